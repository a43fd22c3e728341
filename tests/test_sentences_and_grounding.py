"""Sentence segmentation and quote anchoring, checked against the statement's own text."""

from __future__ import annotations

from _support import SOURCE_TEXT

from sckg.grounding import Status, locate, nearest_text
from sckg.sentences import split_sentences


def test_statement_has_26_sentences_including_its_four_heading_lines():
    sentences = split_sentences(SOURCE_TEXT)
    assert len(sentences) == 26
    assert [s.text for s in sentences[:4]] == [
        "Center for American Progress",
        "STATEMENT: CAP’s Marshall Fitz on DHS Secure Communities Announcement",
        "Press Statement",
        "STATEMENT: CAP’s Marshall Fitz on DHS Secure Communities Announcement",
    ]
    assert sentences[25].text.startswith("To speak to CAP experts")


def test_sentence_offsets_slice_the_text_exactly():
    for s in split_sentences(SOURCE_TEXT):
        assert SOURCE_TEXT[s.start:s.end] == s.text
        assert s.text == s.text.strip()


def test_phone_number_does_not_split_a_sentence():
    last = split_sentences(SOURCE_TEXT)[-1]
    assert last.text.endswith("202.478.5318.")


def test_paragraph_numbers_follow_the_line_blocks():
    by_number = {s.number: s for s in split_sentences(SOURCE_TEXT)}
    # "Secure Communities is a program ..." opens the second body paragraph (block 7) with five sentences.
    assert [by_number[n].paragraph for n in range(8, 13)] == [7] * 5
    assert by_number[13].paragraph == 8


def test_locate_finds_a_unique_quote_with_exclusive_end():
    status, starts = locate(SOURCE_TEXT, "Securire Communities", None, None)
    assert status is Status.FOUND
    assert SOURCE_TEXT[starts[0]:starts[0] + len("Securire Communities")] == "Securire Communities"


def test_locate_reports_a_repeated_quote_as_ambiguous():
    title = "STATEMENT: CAP’s Marshall Fitz on DHS Secure Communities Announcement"
    status, starts = locate(SOURCE_TEXT, title, None, None)
    assert status is Status.AMBIGUOUS and len(starts) == 2


def test_prefix_or_suffix_settles_a_repeated_quote():
    title = "STATEMENT: CAP’s Marshall Fitz on DHS Secure Communities Announcement"
    first = locate(SOURCE_TEXT, title, "Center for American Progress\n\n", None)
    second = locate(SOURCE_TEXT, title, None, "\n\nThe following")
    assert first[0] is Status.FOUND and second[0] is Status.FOUND
    assert first[1][0] < second[1][0]


def test_a_corrected_typo_is_orphaned_not_re_anchored():
    status, starts = locate(SOURCE_TEXT, "changes to the Secure Communities program announced today", None, None)
    assert status is Status.ORPHANED and starts == []


def test_nearest_text_shows_where_the_quote_breaks():
    hint = nearest_text(SOURCE_TEXT, "changes to the Secure Communities program announced today")
    # The source reads "Securire": the hint shows the quote breaking right after "Secur".
    assert "'changes to the Secur'" in hint
    assert "the text has 'ire Communities" in hint
    assert "nearest sentence is 5" in hint


def test_empty_quote_is_orphaned():
    assert locate(SOURCE_TEXT, "", None, None)[0] is Status.ORPHANED
