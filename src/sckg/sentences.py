"""Cutting a statement's text into sentences, with character offsets.

Each non-empty line is a block: a heading, a dateline, a contact line or a paragraph. A block is cut
after '.', '!' or '?' (and any closing quotes or brackets right after it) when white space follows and
then a capital letter, a digit or an opening quote or bracket. A full stop does not end a sentence
when it closes an abbreviation:

- a title before a name ("Mr.", "Sen.", "Dr.", "Gov.", "St." ...) or "e.g.", "i.e.", "vs.": never;
- "No.", "Vol.", "Art.", "approx." and the month abbreviations ("Jan.", "Sept.") when a digit follows ("No. 3",
  "Jan. 5");
- an initial ("J. Smith"), or a dotted acronym ("U.S.", "D.C.") unless the next word is one that
  usually opens a sentence ("The", "It", "We" ...).

Numbers such as "202.478.5318" and e-mail addresses stay whole, since no white space follows their
dots. Offsets count Unicode code points from 0, end exclusive, as Web Annotation's
TextPositionSelector does. The rules and the hard cases they were checked on (against pysbd and
sentencex) are in docs/sentences.md; the table is tests/fixtures/sentences/hard-cases.txt.

Sentence numbers are part of sentence IRIs (<document>/sentence/NN), so a change to these rules
that moves a boundary in a project statement renumbers it: the tests pin every statement's split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK = re.compile(r"[^\n]+")
# punctuation, then closing quotes/brackets, then white space, then (looked at, not taken) an opener
_BOUNDARY = re.compile(r"([.!?])[”’\"')\]]*(\s+)(?=[A-Z0-9“\"‘'(\[])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"[“\"‘'(\[]*([A-Za-z]+)")

# Titles and Latin abbreviations: a full stop after them never ends a sentence.
TITLES = frozenset("""Mr Mrs Ms Messrs Mmes Dr Drs Sen Sens Rep Reps Gov Govs Lt Gen Col Maj Capt Cmdr Adm
Sgt Rev Prof Hon Pres Supt Det Insp Atty Amb Sec St Ste Mt Ft""".split()) | {"e.g", "i.e", "vs", "cf", "viz"}
# Abbreviations that stand before a number: no boundary when a digit follows.
BEFORE_NUMBERS = frozenset("""No Nos Vol Art Fig approx Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""".split())
# Words that usually open a sentence: after a dotted acronym ("the U.S. The states ..."), they mark a boundary.
SENTENCE_OPENERS = frozenset("""The This That These Those It Its We Our They Their He She His Her I
But And Yet So Or In On At For If When While As A An There Today Now Instead However Meanwhile""".split())
_INITIAL = re.compile(r"[A-Z]")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


@dataclass(frozen=True)
class Sentence:
    number: int  # from 1, in reading order
    paragraph: int  # the block (line) it stands in, from 1
    start: int
    end: int
    text: str

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraph = 0
    for block in _BLOCK.finditer(text):
        if not block.group().strip():
            continue
        paragraph += 1
        cursor = block.start()
        for cut in _BOUNDARY.finditer(text, block.start(), block.end()):
            if _abbreviation_ends(text, cursor, cut.start(1), cut.end(2)):
                continue
            sentences.append(_trimmed(text, len(sentences) + 1, paragraph, cursor, cut.start(2)))
            cursor = cut.end(2)
        sentences.append(_trimmed(text, len(sentences) + 1, paragraph, cursor, block.end()))
    return sentences


def _abbreviation_ends(text: str, cursor: int, stop: int, following: int) -> bool:
    """Whether the '.' at ``stop`` closes an abbreviation rather than the sentence; ``following`` is
    where the next word starts."""
    if text[stop] != ".":
        return False
    word = _WORD_BEFORE.search(text, cursor, stop)
    if not word:
        return False
    token = word.group(1).lstrip("“\"‘'([")
    if token in TITLES:
        return True
    next_char = text[following] if following < len(text) else ""
    if token in BEFORE_NUMBERS:
        return next_char.isdigit()
    if _INITIAL.fullmatch(token) or _DOTTED.fullmatch(token):
        nxt = _NEXT_WORD.match(text, following)
        return not (nxt and nxt.group(1) in SENTENCE_OPENERS)
    return False


def _trimmed(text: str, number: int, paragraph: int, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(number, paragraph, start, end, text[start:end])
