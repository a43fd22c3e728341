"""Cutting a statement's text into sentences, with character offsets.

Each non-empty line is a block (a heading or a paragraph). A block is cut after '.', '!' or '?'
when white space and a capital letter, a digit or an opening quote follow, so that numbers such as
"202.478.5318" stay whole. Offsets count Unicode code points from 0, end exclusive, as Web
Annotation's TextPositionSelector does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"‘'(])")


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
            sentences.append(_trimmed(text, len(sentences) + 1, paragraph, cursor, cut.start()))
            cursor = cut.end()
        sentences.append(_trimmed(text, len(sentences) + 1, paragraph, cursor, block.end()))
    return sentences


def _trimmed(text: str, number: int, paragraph: int, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(number, paragraph, start, end, text[start:end])
