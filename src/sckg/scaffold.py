"""Laying out a new statement: its verbatim source text and a commented ``statement.ttl`` scaffold.

The scaffold describes the document and holds one stub per sentence. A stub is typed ``sckg:Stub``
and already carries its sentence's exact quote (with sckg:quotePrefix or sckg:quoteSuffix when that
text occurs more than once), so the build anchors it from the start. The gate refuses every stub and
names it, with its file and line (see ``sckg.stubs``): a researcher replaces each stub with the
claims and stances the sentence holds, and the statement is done when no stub is left.

Nothing here decides an encoding: the kinds, voices and stances are explained in comments, for a
person to choose.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import DataError, UsageError
from .grounding import Status, locate
from .parsing import read_bytes
from .project import display
from .sentences import Sentence, split_sentences

# <organisation>-<YYYY-MM-DD>, with an optional suffix for a second statement on the same day.
ID_SHAPE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*?-(\d{4}-\d{2}-\d{2})(?:-[a-z0-9]+)?")
ID_HELP = ("an id is <organisation>-<YYYY-MM-DD>, lower-case letters, digits and hyphens, e.g. "
           "maldef-2011-06-20 (add -2, -3 ... for a second statement of the same day)")


def check_id(statement_id: str) -> None:
    match = ID_SHAPE.fullmatch(statement_id)
    if not match:
        raise UsageError(f"{statement_id!r} is not a statement id: {ID_HELP}")
    try:
        date.fromisoformat(match.group(1))
    except ValueError:
        raise UsageError(f"{statement_id!r}: {match.group(1)} is not a calendar date; {ID_HELP}") from None


def read_source(path: Path) -> tuple[bytes, str]:
    """The source text's bytes and text; refuses what would make offsets depend on the file's encoding."""
    raw = read_bytes(path, f"--source {display(path)}", "not a file: give the statement's text as a .txt file")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(f"--source {display(path)}: the file starts with a byte-order mark (BOM); offsets count "
                        "from the first character of the text, so save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(f"--source {display(path)}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at byte "
                        f"offset {exc.start}); save the file as UTF-8") from None
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        raise DataError(f"--source {display(path)}:{line}: Windows (CRLF) or old Mac (CR) line endings; save the "
                        "file with Unix (LF) line endings, so that offsets do not depend on the editor")
    if "\x00" in text:
        raise DataError(f"--source {display(path)}: holds a NUL character; is it really a text file?")
    if not text.strip():
        raise DataError(f"--source {display(path)}: the file is empty")
    return raw, text


def wrapped_lines(text: str) -> list[int]:
    """Line numbers that look hard-wrapped (a line that does not end a sentence, followed by one that
    opens in lower case): each line is taken as a paragraph, so a wrapped paragraph splits mid-sentence."""
    lines = text.split("\n")
    return [i + 1 for i in range(len(lines) - 1)
            if lines[i].strip() and lines[i + 1][:1].islower() and not lines[i].rstrip().endswith((".", "!", "?", ":"))]


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def turtle_string(value: str) -> str:
    """``value`` as a Turtle string literal (UTF-8 kept; quotes, backslashes and controls escaped)."""
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


@dataclass
class Disambiguation:
    prefix: str | None = None
    suffix: str | None = None


def disambiguate(text: str, sentence: Sentence) -> Disambiguation:
    """The shortest prefix (else suffix) that makes the sentence's text occur once, as the build requires."""
    quote = sentence.text
    status, _ = locate(text, quote, None, None)
    if status is Status.FOUND:
        return Disambiguation()
    for n in range(1, sentence.start + 1):
        prefix = text[sentence.start - n:sentence.start]
        if prefix.strip() and locate(text, quote, prefix, None)[0] is Status.FOUND:
            return Disambiguation(prefix=_widen(text, sentence.start - n, sentence.start, back=True))
    for n in range(1, len(text) - sentence.end + 1):
        suffix = text[sentence.end:sentence.end + n]
        if suffix.strip() and locate(text, quote, None, suffix)[0] is Status.FOUND:
            return Disambiguation(suffix=_widen(text, sentence.end, sentence.end + n, back=False))
    raise DataError(f"sentence {sentence.number} occurs more than once and nothing around it tells the copies apart")


def _widen(text: str, start: int, end: int, back: bool) -> str:
    """Extend a context string to a whole word, so that it reads as text and not as a fragment."""
    if back:
        while start > 0 and not text[start - 1].isspace() and not text[start].isspace():
            start -= 1
    else:
        while end < len(text) and not text[end].isspace() and not text[end - 1].isspace():
            end += 1
    return text[start:end]


HEADER = """\
# {title}
# Scaffold written by `sckg new-statement {id}`. The source text is source.txt beside this file, kept
# byte for byte as given (sha256 recorded below). Do not edit source.txt: the build checks its sha256.
#
# WHAT TO DO: every sentence of source.txt has a stub below (st:sNN, NN = sentence number), typed
# sckg:Stub and carrying the sentence's exact quote. `sckg validate --with data/statements/{id}` lists the stubs
# that are left, with file:line. For each one:
#   1. Replace `sckg:Stub` with the kind of claim, or with sckg:Stance (below), and give the item a name
#      that says what it is (st:s07 -> st:welcomes-training); the sentence number is only a placeholder.
#   2. Narrow sckg:quote to the words that carry the item, copied exactly (typos kept). A quote that
#      occurs twice in source.txt needs sckg:quotePrefix or sckg:quoteSuffix (the text just before/after).
#   3. Uncomment and fill the lines under it. One sentence can hold several items (copy the block);
#      every sentence must end up covered by at least one.
#
# KIND of a claim (prov:wasAttributedTo the actor who says it, usually the publisher {publisher}):
#   sckg:FactualAssertion  something is or was the case (schema:about what it concerns)
#   sckg:Evidence          a factual assertion offered for another claim (make it the sckg:premise of a sckg:Support)
#   sckg:Evaluation        a judgement: good or bad, enough or lacking, what ought to be (schema:about what is judged)
#   sckg:CausalClaim       X brings about Y (add a sckg:CausalLink: sckg:cause, sckg:effect, sckg:assertedBy)
#   sckg:Concern           a harm done, or a risk of one (schema:about who or what is harmed)
#   sckg:Recommendation    someone should do something (sckg:addressedTo the actor)
#   sckg:Hope              what the speaker hopes another actor will do (sckg:addressedTo the actor)
# A claim that states one relation of the graph names it with rdf:subject/rdf:predicate/rdf:object and the
# relation is asserted beside it (see data/statements/*/statement.ttl for worked examples).
#
# VOICE (sckg:voice, one per claim or stance):
#   sckg:voiceAsserted   the publisher's own claim ("we believe", "the program has failed")
#   sckg:voiceReported   what the text reports others did or said ("ICE announced", "states decided")
#   Facts from outside the text (the date, a URL) are not claims: they go to data/context/ as
#   sckg:ContextFact with their source.
#
# STANCE (sckg:Stance, instead of a claim kind): sckg:holder (an actor), sckg:target (the change, program,
# actor or claim), sckg:polarity one of sckg:polaritySupports, sckg:polarityWelcomes, sckg:polarityApplauds,
# sckg:polarityOpposes, sckg:polarityCriticises, sckg:polarityMixed. A stance has no prov:wasAttributedTo.
# Use the shared IRIs of data/entities/ (kg:ice, kg:dhs, kg:secure-communities, the announced changes...);
# `sckg query -e 'SELECT ?x ?label WHERE {{ GRAPH <https://w3id.org/sckg/graph/entities> {{ ?x rdfs:label ?label }} }}'`
# lists them. Argument relations: sckg:Support / sckg:Attack with sckg:premise and sckg:conclusion.

@prefix sckg:    <https://w3id.org/sckg/ontology#> .
@prefix kg:      <https://w3id.org/sckg/id/> .
@prefix st:      <https://w3id.org/sckg/id/{id}/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix schema:  <https://schema.org/> .

# ============================================================================================
# The document
# ============================================================================================

kg:{id} a sckg:PolicyStatement ;
    rdfs:label {label}@en ;
    # The title as printed (a guess: the first line that is not the publisher's name; correct it if need be).
    dcterms:title {label}@en ;
    dcterms:publisher {publisher} ;
    dcterms:type sckg:genrePressStatement ;
    dcterms:language "en" ;
{speaker}{reacts}    sckg:sha256 "{sha256}" .
"""

STUB = """
# ---- Sentence {number} (paragraph {paragraph}) {rule}
st:s{number:02d} a sckg:Stub ;   # TODO: the kind (sckg:FactualAssertion, sckg:Evaluation, ... or sckg:Stance)
    # rdfs:label "TODO: what it says, in one sentence"@en ;
    # sckg:voice sckg:voiceAsserted ;   # or sckg:voiceReported
    # prov:wasAttributedTo {publisher} ;   # a claim; a stance has instead:
    # sckg:holder {publisher} ; sckg:target kg:TODO ; sckg:polarity sckg:polarityWelcomes ;
    # schema:about kg:TODO ;
{context}    sckg:quote {quote} .
"""


def statement_ttl(statement_id: str, text: str, sha256: str, publisher: str, speaker: str | None,
                  announcements: list[str], publisher_names: tuple[str, ...] = ()) -> str:
    sentences = split_sentences(text)
    # The title is a guess: the first line that is not the publisher's name (press releases often open with it).
    names = {n.strip().lower() for n in publisher_names}
    title = next((s.text for s in sentences if s.text.lower() not in names),
                 sentences[0].text if sentences else statement_id)
    speaker_lines = f"    sckg:speaker {speaker} ;\n" if speaker else ""
    if announcements:
        reacts = ("    # The announcement it responds to, if any: one of " + ", ".join(announcements) + "\n"
                  f"    # sckg:reactsTo {announcements[0]} ;\n")
    else:
        reacts = ""
    out = HEADER.format(title=title.replace("\n", " "), id=statement_id, publisher=publisher,
                        label=turtle_string(title), speaker=speaker_lines, reacts=reacts, sha256=sha256)
    if speaker:
        out += (f"\n# The speaker speaks for the publisher (read off the text; delete if the text does not say so).\n"
                f"{speaker} sckg:speaksFor {publisher} .\n")
    out += ("\n# ============================================================================================\n"
            "# One stub per sentence: replace each with the claims and stances it holds\n"
            "# ============================================================================================\n")
    for s in sentences:
        d = disambiguate(text, s)
        context = ""
        if d.prefix is not None:
            context = f"    sckg:quotePrefix {turtle_string(d.prefix)} ;   # the same text occurs more than once\n"
        elif d.suffix is not None:
            context = f"    sckg:quoteSuffix {turtle_string(d.suffix)} ;   # the same text occurs more than once\n"
        rule = "-" * max(4, 80 - len(f"# ---- Sentence {s.number} (paragraph {s.paragraph}) "))
        out += STUB.format(number=s.number, paragraph=s.paragraph, rule=rule, publisher=publisher,
                           context=context, quote=turtle_string(s.text))
    return out


def entities_ttl(statement_id: str, new: list[tuple[str, str, str]]) -> str:
    """Turtle for new shared entities: (curie, class curie, label) each."""
    out = (f"\n# ---- Added by `sckg new-statement {statement_id}`: check the class (sckg:Organization can be\n"
           "# narrowed to sckg:ThinkTank, sckg:GovernmentAgency ...; see docs/ontology.md) and the label.\n"
           "@prefix sckg:   <https://w3id.org/sckg/ontology#> .\n"
           "@prefix kg:     <https://w3id.org/sckg/id/> .\n"
           "@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .\n\n")
    for curie, cls, label in new:
        out += f"{curie} a {cls} ;\n    rdfs:label {turtle_string(label)}@en .\n\n"
    return out


CONTEXT = """\
# Outside context for {id}: its publication date, given to `sckg new-statement --date`. The date is not
# a quote of the text, so it is an outside-context fact (see data/context/facts.ttl): a plain triple plus
# a sckg:ContextFact that reifies it and cites where the date comes from. The fact is a stub until it
# names its source: add an sckg:Source (label, dcterms:bibliographicCitation, schema:url) to
# data/context/sources.ttl, point dcterms:source and prov:wasDerivedFrom at it, and remove sckg:Stub.

@prefix sckg:    <https://w3id.org/sckg/ontology#> .
@prefix kg:      <https://w3id.org/sckg/id/> .
@prefix ctx:     <https://w3id.org/sckg/id/context/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .

kg:{id} schema:datePublished "{date}"^^xsd:date .
ctx:{id}-date a sckg:ContextFact, sckg:Stub ;
    rdfs:label "The statement {id} was published on {date}."@en ;
    rdfs:comment "name the source of the date: dcterms:source and prov:wasDerivedFrom an sckg:Source of data/context/sources.ttl, then remove sckg:Stub (and this comment)" ;
    rdf:subject kg:{id} ; rdf:predicate schema:datePublished ; rdf:object "{date}"^^xsd:date ;
    sckg:voice sckg:voiceOutsideContext ;
    sckg:verificationStatus sckg:statusVerified ;   # or sckg:statusInferred, if the date is worked out
    # dcterms:source kg:src-TODO ;
    # prov:wasDerivedFrom kg:src-TODO ;
    .
"""  # noqa: E501  (the stub's comment is one Turtle literal, written as it reads)


def check_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> str:
    raise UsageError(f"--date {value!r}: give the publication date as YYYY-MM-DD, e.g. 2011-06-20")


def context_ttl(statement_id: str, published: str) -> str:
    return CONTEXT.format(id=statement_id, date=published)


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
