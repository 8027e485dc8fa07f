"""How much room text takes in a box, estimated without the fonts, and text laid out on pages.

The briefs' slides set every font size themselves rather than let the office suite shrink
text that overflows (LibreOffice's "shrink on overflow" scales a full case down to 8 pt):
so they need to know, before writing a slide, how tall a paragraph will be. Widths come
from a small table of character classes measured on DejaVu Sans, the widest of the fonts a
deck is likely to be shown in (LibreOffice's fallback when Calibri is missing; Calibri
itself is about 15% narrower), so an estimate errs on the side of room to spare.

Example::

    >>> line_count("What happened next", width=100, size=12)
    2
    >>> fit_text("A long title ...", width=880, height=72, sizes=(32, 28, 24, 20))
    ('A long title ...', 32)
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

LINE_EM = 1.22  # a line at single spacing: LibreOffice sets 1.2 em, PowerPoint Calibri 1.22 em
BOLD_EM = 1.12  # bold is this much wider (DejaVu Sans Bold over DejaVu Sans)
ELLIPSIS = "…"

# Advance widths in ems by class, rounded up from DejaVu Sans.
_NARROW = frozenset(" .,;:'!|iIjlf`")
_SEMI = frozenset('rt()[]{}-/"*')
_WIDE = frozenset("mwMW%@—…")
_NARROW_EM, _SEMI_EM, _WIDE_EM, _CAPITAL_EM, _OTHER_EM = 0.34, 0.46, 1.0, 0.8, 0.64


def char_em(char: str) -> float:
    """The estimated advance of one character, in ems of its font size."""
    if char in _NARROW:
        return _NARROW_EM
    if char in _SEMI:
        return _SEMI_EM
    if char in _WIDE or unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE_EM
    if char.isupper() or char.isdigit() or char in "&#$?":
        return _CAPITAL_EM
    return _OTHER_EM


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The estimated width of ``text`` on one line, in points, at ``size`` points."""
    return sum(char_em(c) for c in text) * size * (BOLD_EM if bold else 1.0)


def line_count(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a box ``width`` points wide (newlines start new
    lines; a word longer than a line is broken, as office suites do)."""
    space = text_width(" ", size, bold)
    total = 0
    for para in text.split("\n"):
        lines, used = 1, 0.0
        for word in para.split():
            w = text_width(word, size, bold)
            need = w if used == 0 else used + space + w
            if need <= width:
                used = need
                continue
            if used:
                lines += 1
            spans = max(1, math.ceil(w / width - 1e-9))  # lines the word itself takes
            lines += spans - 1
            used = w - (spans - 1) * width
        total += lines
    return total


def text_height(text: str, width: float, size: float, bold: bool = False) -> float:
    """The estimated height of ``text`` wrapped in a box ``width`` points wide, in points."""
    return line_count(text, width, size, bold) * size * LINE_EM


def shorten(text: str, width: float, height: float, size: float, bold: bool = False) -> str:
    """``text`` cut at a word, with an ellipsis, so that it fits ``width`` x ``height``."""
    words = text.split()
    while words and text_height(" ".join(words) + ELLIPSIS, width, size, bold) > height:
        words.pop()
    return " ".join(words) + ELLIPSIS if words else ELLIPSIS


def fit_text(
    text: str, width: float, height: float, sizes: Sequence[float], bold: bool = False
) -> tuple[str, float]:
    """The text and the largest of ``sizes`` (largest first) at which it fits the box; at
    the smallest size, text that still does not fit is shortened."""
    for size in sizes:
        if text_height(text, width, size, bold) <= height:
            return text, size
    return shorten(text, width, height, sizes[-1], bold), sizes[-1]


@dataclass(frozen=True)
class Style:
    """How a paragraph is set: its size, weight, the room its indent and bullet take from
    the box's width, and the space above it (all in points)."""

    size: float
    bold: bool = False
    indent: float = 0.0
    space_before: float = 0.0

    def height(self, text: str, width: float) -> float:
        """The paragraph's estimated height in a box ``width`` points wide."""
        return self.space_before + text_height(text, width - self.indent, self.size, self.bold)

    def shorten(self, text: str, width: float, height: float) -> str:
        """``text`` shortened so that the paragraph fits ``height`` points."""
        room = height - self.space_before
        return shorten(text, width - self.indent, room, self.size, self.bold)


@dataclass(frozen=True)
class Section:
    """A heading and its items (paragraphs), the items set in ``style``."""

    heading: str
    items: tuple[str, ...]
    style: Style


def paginate(
    sections: Sequence[Section],
    width: float,
    height: float,
    heading: Style,
    continued: Callable[[str], str],
) -> list[list[Section]]:
    """Sections laid out on pages of ``width`` x ``height`` points: in order, a heading
    never alone at the foot of a page, a list that does not fit continued on the next page
    under ``continued(heading)``; an item too tall for a page of its own is shortened."""
    pages: list[list[Section]] = [[]]
    room = height
    for section in sections:
        title, items = section.heading, list(section.items)
        while items:
            head = heading.height(title, width)
            first = section.style.height(items[0], width)
            if pages[-1] and head + first > room:
                pages.append([])
                room = height
            if head + first > room:  # alone on a page and still too tall
                items[0] = section.style.shorten(items[0], width, room - head)
            taken, room = _take(items, section.style, width, room - head)
            pages[-1].append(Section(title, tuple(taken), section.style))
            items = items[len(taken) :]
            if items:
                pages.append([])
                room, title = height, continued(section.heading)
    return [page for page in pages if page]


def _take(items: list[str], style: Style, width: float, room: float) -> tuple[list[str], float]:
    """The leading items that fit ``room`` points (at least one), and the room left; a
    list continued on the next page takes at least two items there, not one alone."""
    taken: list[str] = []
    for item in items:
        need = style.height(item, width)
        if taken and need > room:
            break
        taken.append(item)
        room -= need
    if len(items) - len(taken) == 1 and len(taken) >= 3:
        room += style.height(taken.pop(), width)
    return taken, room


def height_of(sections: Sequence[Section], width: float, heading: Style) -> float:
    """The estimated height of sections set one after the other on one page."""
    return sum(
        heading.height(s.heading, width) + sum(s.style.height(x, width) for x in s.items)
        for s in sections
    )


def split_rows(heights: Sequence[float], header: float, height: float) -> list[range]:
    """Table rows over pages of ``height`` points, the header row (``header`` points tall)
    repeated on each: the ranges of row indexes on each page (a row taller than a page
    gets a page of its own)."""
    pages: list[range] = []
    start, room = 0, height - header
    for i, h in enumerate(heights):
        if i > start and h > room:
            pages.append(range(start, i))
            start, room = i, height - header
        room -= h
    if heights:
        pages.append(range(start, len(heights)))
    return pages


def column_widths(
    rows: Sequence[Sequence[str]], total: float, size: float, margin: float
) -> list[float]:
    """Widths of a table's columns summing to ``total`` points: each wide enough for its
    longest word (the first row, the header, set in bold) with the cells' side margins,
    the rest shared in proportion to each column's text, so that no word is broken."""
    least = [
        2 * margin + max(text_width(w, size, i == 0) for i, r in enumerate(rows) for w in
                         r[j].split() or [""])
        for j in range(len(rows[0]))
    ]  # fmt: skip
    text = [sum(text_width(r[j], size) for r in rows) + 1.0 for j in range(len(rows[0]))]
    spare = total - sum(least)
    if spare <= 0:  # even the longest words do not fit: share the width by them
        return [total * w / sum(least) for w in least]
    return [w + spare * t / sum(text) for w, t in zip(least, text, strict=True)]
