"""The text-room estimates behind the brief's slides (archive/textfit.py): wrapping, fitting
a title, pages of sections with lists continued, table rows and column widths. The
estimates against a real office suite are in tests/test_brief_layout.py."""

from __future__ import annotations

from archive.textfit import (
    ELLIPSIS,
    LINE_EM,
    Section,
    Style,
    column_widths,
    fit_text,
    line_count,
    paginate,
    shorten,
    split_rows,
    text_height,
    text_width,
)


def test_wrapping_counts_lines_and_breaks_a_word_longer_than_a_line():
    word = text_width("word", 12)
    assert line_count("word " * 10, width=word * 10 + 1, size=12) == 2  # spaces take room
    assert line_count("word word", width=word * 2.5, size=12) == 1
    assert line_count("first\nsecond", width=1000, size=12) == 2
    assert line_count("x" * 30, width=text_width("x" * 10, 12), size=12) == 3
    assert text_width("Wm", 10) > text_width("il", 10)  # wide and narrow letters differ
    assert text_width("bold", 10, bold=True) > text_width("bold", 10)
    assert text_height("one line", 500, 20) == 20 * LINE_EM


def test_a_title_gets_the_largest_size_that_fits_or_is_shortened():
    long = "A title long enough to need two lines at twenty-four points"
    width, height = text_width(long, 24) * 0.65, 2 * 24 * LINE_EM
    assert fit_text("Short", width, height, (32, 24)) == ("Short", 32)
    text, size = fit_text(long, width, height, (32, 24))
    assert (text, size) == (long, 24) and line_count(long, width, 32) > 1
    text, size = fit_text(long * 4, width, height, (32, 24))
    assert size == 24 and text.endswith(ELLIPSIS) and text_height(text, width, 24) <= height
    assert shorten("nothing fits", 5, 1, 12) == ELLIPSIS


def test_sections_fill_pages_and_a_long_list_is_continued():
    item = Style(12, indent=20, space_before=3)
    heading = Style(16, bold=True, space_before=10)
    one_item = item.height("an item", 500)
    head = heading.height("Moves", 500)
    height = head + 4 * one_item + 1  # room for a heading and four items
    sections = [Section("Moves", tuple(f"move {i}" for i in range(10)), item)]
    pages = paginate(sections, 500, height, heading, lambda h: f"{h} (continued)")
    assert [[s.heading for s in p] for p in pages] == [
        ["Moves"],
        ["Moves (continued)"],
        ["Moves (continued)"],
    ]
    assert [len(p[0].items) for p in pages] == [4, 4, 2]
    assert [x for p in pages for x in p[0].items] == list(sections[0].items)  # none lost


def test_no_heading_alone_at_a_page_foot_and_no_item_alone_on_the_next_page():
    item, heading = Style(12), Style(16, bold=True)
    h_item, h_head = item.height("x", 500), heading.height("H", 500)
    room = 2 * h_head + 3 * h_item + 1  # after First, room for a heading but no item
    first = Section("First", ("x", "x", "x"), item)
    second = Section("Second", ("x", "x"), item)
    pages = paginate([first, second], 500, room, heading, lambda h: h + "+")
    assert [[s.heading for s in p] for p in pages] == [["First"], ["Second"]]
    four = Section("Four", ("a", "b", "c", "d"), item)  # three fit: one would be left alone
    pages = paginate([four], 500, h_head + 3 * h_item + 1, heading, lambda h: h + "+")
    assert [p[0].items for p in pages] == [("a", "b"), ("c", "d")]


def test_an_item_too_tall_for_any_page_is_shortened():
    item, heading = Style(12), Style(16, bold=True)
    room = heading.height("H", 300) + 3 * item.height("x", 300)
    (page,) = paginate([Section("H", ("word " * 500,), item)], 300, room, heading, str)
    (text,) = page[0].items
    assert text.endswith(ELLIPSIS) and item.height(text, 300) <= room - heading.height("H", 300)


def test_table_rows_split_over_pages_under_a_repeated_header():
    assert split_rows([10, 10, 10, 10, 10], header=5, height=30) == [range(0, 2), range(2, 4),
                                                                      range(4, 5)]  # fmt: skip
    assert split_rows([50, 10], header=5, height=30) == [range(0, 1), range(1, 2)]
    assert split_rows([], header=5, height=30) == []


def test_columns_are_wide_enough_for_their_longest_word_and_fill_the_width():
    rows = [["Case", "First statement (days)"], ["A rather long title of a case " * 3, "5"]]
    widths = column_widths(rows, total=300, size=10, margin=5)
    assert abs(sum(widths) - 300) < 1e-6
    assert widths[1] >= text_width("statement", 10, bold=True) + 10
    assert widths[0] > widths[1]  # the text-heavy column gets the room left
