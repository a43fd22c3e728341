"""The sentence splitter on a table of hard cases (abbreviations, quotes, dashes, headings, contact
lines), whose expected splits were written by hand: tests/fixtures/sentences/hard-cases.txt."""

from __future__ import annotations

import pytest
from sentence_cases import read_cases

from sckg.sentences import split_sentences

CASES = read_cases()


def test_the_table_has_the_cases_the_issue_names():
    names = {name for name, _, _, _ in CASES}
    assert {"titles-and-dotted-acronym", "doctor-governor-saint", "number-abbreviation", "initials",
            "quoted-sentences", "em-dashes", "headings-and-dateline-lines", "contact-line-phone-and-email"} <= names
    assert all(expected for _, _, expected, _ in CASES)


def _params():
    for name, text, expected, limitation in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=limitation)] if limitation else []
        yield pytest.param(text, expected, id=name, marks=marks)


@pytest.mark.parametrize("text,expected", list(_params()))
def test_hard_case_splits_as_written_by_hand(text, expected):
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    for s in sentences:  # offsets slice the text exactly
        assert text[s.start:s.end] == s.text


def test_the_example_from_the_issue_is_one_sentence():
    text = "Sen. Durbin and Mr. Smith met U.S. officials on Jan. 5."
    assert [s.text for s in split_sentences(text)] == [text]


def test_no_before_a_word_ends_the_sentence_but_before_a_number_does_not():
    assert len(split_sentences("Is it final? No. It is not.")) == 3
    assert len(split_sentences("See item No. 7 below.")) == 1


def test_paragraph_numbers_count_non_empty_lines():
    sentences = split_sentences("Heading\n\nOne. Two.\n   \nThree.")
    assert [(s.text, s.paragraph) for s in sentences] == [("Heading", 1), ("One.", 2), ("Two.", 2), ("Three.", 3)]
