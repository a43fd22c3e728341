"""A synthetic corpus for benchmarks (not tests, never under data/): N statement folders shaped like a
template statement of the project, in a scratch copy of the project.

Each synthetic statement is the template's encoding with every IRI of the template statement renamed
(``<id>`` -> ``syn-00001``...) and a generated text: every word of four letters or more of the
template's source.txt is replaced, consistently within the statement, by a generated word of the same
length and capitalisation (short words, digits and punctuation stay, so the sentence boundaries do
too). The quotes, prefixes and suffixes of the encoding get the same replacement, so each one still
resolves to exactly one place of its own text, and the recorded sha256 is that of the new text. The
classes, the fan-out (claims per sentence, relations per claim, anchors) and the grounding work are the
template's; only the words differ, and they differ between statements.

    python bench/synthetic_corpus.py --triples 1e5 --out ../corpus-1e5
    python bench/synthetic_corpus.py --statements 3 --out ../corpus --template cap-2011-06-17

The scratch project is a copy of ontology/, data/ and queries/ plus the generated folders under
data/statements/; run ``sckg --root OUT build`` or ``sckg --root OUT validate`` on it.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[A-Za-z]{4,}")
# The literals that must match the text: sckg:quote, sckg:quotePrefix, sckg:quoteSuffix, written
# "..." on one line or """...""" over several (a quote that spans paragraphs).
QUOTED = re.compile(r'(sckg:quote(?:Prefix|Suffix)?\s+)(?:"""((?:[^"\\]|\\.|"(?!""))*)"""|"((?:[^"\\\n]|\\.)*)")')
_UNESCAPE = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(m: re.Match) -> str:
    code = m.group(1) or m.group(2)
    return chr(int(code, 16)) if code else _UNESCAPE.get(m.group(3), m.group(3))


CONSONANTS, VOWELS = "bcdfghjklmnprstvwz", "aeiou"


def _word(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(CONSONANTS if i % 2 == 0 else VOWELS) for i in range(length))


class Rewording:
    """One injective word -> generated word map per statement (case pattern kept)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.map: dict[str, str] = {}
        self.used: set[str] = set()

    def word(self, original: str) -> str:
        key = original.lower()
        if key not in self.map:
            while True:
                candidate = _word(self.rng, len(key))
                if candidate not in self.used:
                    break
            self.used.add(candidate)
            self.map[key] = candidate
        new = self.map[key]
        if original.isupper():
            return new.upper()
        if original[0].isupper():
            return new.capitalize()
        return new

    def text(self, text: str) -> str:
        return WORD.sub(lambda m: self.word(m.group(0)), text)


def synthesise(template_dir: Path, new_id: str, seed: int) -> tuple[str, str]:
    """The (source.txt, statement.ttl) of one synthetic statement."""
    old_id = template_dir.name
    source = (template_dir / "source.txt").read_text(encoding="utf-8")
    encoding = "\n".join(p.read_text(encoding="utf-8") for p in sorted(template_dir.glob("*.ttl")))
    words = Rewording(seed)
    new_source = words.text(source)

    def requote(match: re.Match) -> str:
        # Unescape first: in "\n\nSTATEMENT" the letters after a backslash are not a word of the text.
        written = match.group(2) if match.group(2) is not None else match.group(3)
        literal = re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)", _unescape, written)
        reworded = words.text(literal)
        escaped = reworded.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'{match.group(1)}"{escaped}"'

    new_encoding = QUOTED.sub(requote, encoding).replace(old_id, new_id)
    old_sha = hashlib.sha256(source.encode("utf-8")).hexdigest()
    new_sha = hashlib.sha256(new_source.encode("utf-8")).hexdigest()
    new_encoding = new_encoding.replace(old_sha, new_sha)
    return new_source, new_encoding


def template_triples(template_dir: Path) -> tuple[int, int]:
    """Triples one statement contributes once loaded and grounded (the template's own graph), and the
    project's total (what a corpus holds besides its synthetic statements)."""
    sys.path.insert(0, str(ROOT / "src"))
    import sckg

    kg = sckg.load(ROOT)
    return kg.triples_per_graph()["https://w3id.org/sckg/graph/statement/" + template_dir.name], len(kg)


def make_corpus(out: Path, statements: int, template: str, seed: int = 1) -> Path:
    if out.exists():
        shutil.rmtree(out)
    for part in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / part, out / part, ignore=shutil.ignore_patterns("__pycache__", "review"))
    template_dir = ROOT / "data" / "statements" / template
    for i in range(1, statements + 1):
        new_id = f"syn-{i:05d}"
        source, encoding = synthesise(template_dir, new_id, seed * 1_000_003 + i)
        folder = out / "data" / "statements" / new_id
        folder.mkdir(parents=True)
        (folder / "source.txt").write_text(source, encoding="utf-8")
        (folder / "statement.ttl").write_text(encoding, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="the scratch project folder (replaced)")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--statements", type=int, help="how many synthetic statements")
    size.add_argument("--triples", type=float, help="about how many triples in all (e.g. 1e5)")
    parser.add_argument("--template", default="cap-2011-06-17", help="the statement folder whose shapes are copied")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    template_dir = ROOT / "data" / "statements" / args.template
    count = args.statements
    if count is None:
        per_statement, project = template_triples(template_dir)
        count = max(1, round((args.triples - project) / per_statement))
    make_corpus(args.out, count, args.template, args.seed)
    print(f"{count} synthetic statements from {args.template} in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
