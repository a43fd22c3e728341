"""``sckg new-statement ID --source FILE.txt --publisher IRI-or-name``: lay out a new statement folder.

It writes data/statements/ID/source.txt (the given file, byte for byte) and a commented statement.ttl
scaffold with one stub per sentence (see sckg.scaffold); a publisher or speaker given by name and not
yet in data/entities/ is added there. An existing id, or a folder of that name, is refused: nothing is
ever merged into another statement.
"""

from __future__ import annotations

EPILOG = """then:
  $ sckg validate --with data/statements/ID  # lists the stubs left to fill in, with file:line
  $ sckg build                           # passes once no stub is left

See docs/extending.md for the whole walk-through."""


def register(sub) -> None:
    p = sub.add_parser("new-statement", help="lay out a new statement: its source text and a scaffold to fill in",
                       description="Create data/statements/ID/ with the source text (copied byte for byte, its "
                                   "sha256 recorded) and a commented statement.ttl with one stub per sentence, "
                                   "each carrying its exact quote. A publisher or speaker given by name that the "
                                   "shared entities do not know is added to data/entities/. Refuses an existing "
                                   "id; never merges.",
                       epilog=EPILOG)
    p.add_argument("id", metavar="ID", help="the statement's id, <organisation>-<YYYY-MM-DD>, e.g. maldef-2011-06-20")
    p.add_argument("--source", required=True, metavar="FILE.txt",
                   help="the statement's text, UTF-8 with LF line endings, one paragraph or heading per line")
    p.add_argument("--publisher", required=True, metavar="IRI-or-name",
                   help="the organisation that issued it: an entity's IRI or CURIE (kg:ice), or a name "
                        "(a known label reuses that entity; a new name adds one)")
    p.add_argument("--speaker", metavar="IRI-or-name",
                   help="the person whose words it gives, if any: an IRI or CURIE, or a name")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the publication date, when you know it from outside the text: written to "
                        "data/context/ID.ttl as an outside-context fact, a stub until you name its source")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys
    from pathlib import Path

    from ..atomic import write_file_atomically
    from ..entities import EntityIndex
    from ..errors import UsageError
    from ..project import display, project_root, statement_dirs
    from ..scaffold import (
        check_date,
        check_id,
        context_ttl,
        digest,
        entities_ttl,
        read_source,
        slug,
        statement_ttl,
        wrapped_lines,
    )

    root = project_root(args.root)
    check_id(args.id)
    target = root / "data" / "statements" / args.id
    if target.exists() or any(st.id == args.id for st in statement_dirs(root)):
        raise UsageError(f"{display(target)} exists already: a statement id is used once, and sckg never merges "
                         "into an existing statement. Choose another id (e.g. add -2), or edit that statement")
    published = check_date(args.date) if args.date else None
    context_file = root / "data" / "context" / f"{args.id}.ttl"
    if published and context_file.exists():
        raise UsageError(f"{display(context_file)} exists already; sckg never merges into it. "
                         "Remove --date, or that file")
    raw, text = read_source(Path(args.source))

    index = EntityIndex.of_project(root)
    if index.mentions(f"https://w3id.org/sckg/id/{args.id}"):
        raise UsageError(f"kg:{args.id} is already used in the project's data; choose another id")
    new: list[tuple[str, str, str]] = []
    publisher = index.resolve(args.publisher, "sckg:Organization", "--publisher", new)
    speaker = index.resolve(args.speaker, "sckg:Person", "--speaker", new) if args.speaker else None

    names = (args.publisher, *index.labels(publisher), *(label for curie, _, label in new if curie == publisher))
    scaffold = statement_ttl(args.id, text, digest(raw), publisher, speaker, index.announcements(), names)
    # Lay the folder out beside its final place, then rename: a failure leaves no half-made statement.
    staging = target.with_name(f".{args.id}.new")
    if staging.exists():
        raise UsageError(f"{display(staging)} is left from an interrupted run: delete it, then try again")
    staging.mkdir(parents=True)
    try:
        (staging / "source.txt").write_bytes(raw)
        (staging / "statement.ttl").write_text(scaffold, encoding="utf-8")
        staging.rename(target)
    except BaseException:
        for f in staging.iterdir():
            f.unlink()
        staging.rmdir()
        raise
    # The shared files come after the folder: each is written whole (atomically) or not at all.
    entity_file = root / "data" / "entities" / f"{slug(new[0][2])}.ttl" if new else None
    if entity_file:
        existing = entity_file.read_bytes() if entity_file.exists() else b""
        write_file_atomically(entity_file, existing + entities_ttl(args.id, new).encode("utf-8"))
    if published:
        write_file_atomically(context_file, context_ttl(args.id, published).encode("utf-8"))

    sentences = scaffold.count("a sckg:Stub ;")
    print(f"created {display(target)}/")
    print(f"  source.txt     {len(raw)} bytes, sha256 {digest(raw)}")
    print(f"  statement.ttl  the document and {sentences} stubs, one per sentence")
    if entity_file:  # there is one exactly when there are new entities
        for curie, cls, label in new:
            print(f"  added {curie} ({cls}, {label!r}) to {display(entity_file)}")
    if published:
        print(f"  {display(context_file)}  its publication date {published}, an outside-context fact: "
              "a stub until it names its source")
    for line in wrapped_lines(text)[:5]:
        print(f"warning: {display(Path(args.source))}:{line}: the line does not end a sentence and the next one "
              "opens in lower case: is the paragraph hard-wrapped? Each line is taken as a paragraph or heading, "
              "so join a wrapped paragraph into one line (then run new-statement again)", file=sys.stderr)
    print(f"next: fill in the stubs, then `sckg validate --with {display(target)}` lists what is left")
    return 0
