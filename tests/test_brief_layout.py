"""Issue 19, item 5: the brief as an office suite shows it. The deck and the document are
made from real cases (the longest titles, the most moves, the longest summary, lessons and
citations, plus the three typical source cases), converted to PDF by LibreOffice in one
run, and measured with pypdfium2 (PDFium's text layer: each character's box, size and
colour): every character on its page and inside its own text box, no two boxes
overlapping, no font under 12 pt on a slide, no word of the document's table broken.

To tell which box a character of the PDF came from, the converted copy of the deck has the
text of each shape in a colour of its own; colour does not move text, so the layout
measured is the layout of the deck the brief makes."""

from __future__ import annotations

import ctypes
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx import Document
from pptx import Presentation
from pptx.dml.color import RGBColor

from archive.brief import MAX_MOVES_SHOWN, brief_docx, brief_pptx
from archive.citations import apa_all
from archive.loader import load_cases
from archive.model import Case
from archive.precedents import outcome_text, profile
from archive.taxonomy import load_taxonomy

from .conftest import CASES

SOFFICE = shutil.which("soffice")
TYPICAL = [
    "target-2013-card-data-breach",
    "snapchat-2013-username-phone-leak",
    "lux-accc-2012-unfair-sales",
]
MIN_PT = 12
SLACK = 1.5  # points a glyph's box may pass its text box's edge (font ascent, rounding)
EMU_PER_PT = 12700

if SOFFICE is None and os.environ.get("CI"):
    pytest.fail("LibreOffice (soffice) is missing in CI: .ci/run installs it", pytrace=False)
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-impress-nogui "
    "libreoffice-writer-nogui; .ci/run installs them)",
)


def _hardest(cases: list[Case]) -> list[Case]:
    """The cases that strain a layout most, then the typical ones, each once."""
    by = {
        "title": lambda c: len(c.title),
        "moves": lambda c: len(profile(c).moves),
        "summary": lambda c: len(profile(c).summary),
        "lessons": lambda c: sum(len(x) for x in c.lessons),
        "citations": lambda c: len(apa_all(c)),
    }
    picked = [c for key in by.values() for c in sorted(cases, key=key, reverse=True)[:2]]
    picked += [c for c in cases if c.id in TYPICAL]
    return list({c.id: c for c in picked}.values())


@pytest.fixture(scope="module")
def selection() -> list[Case]:
    chosen = _hardest([lc.case for lc in load_cases([CASES]).cases])
    assert len(chosen) >= 8
    return chosen


@pytest.fixture(scope="module")
def converted(selection, tmp_path_factory) -> dict[str, object]:
    """The deck (English and Indonesian) and the document, converted to PDF in one run."""
    out = tmp_path_factory.mktemp("brief")
    decks = {"deck_en": brief_pptx(selection, "en"), "deck_id": brief_pptx(selection, "id")}
    for name, data in decks.items():
        (out / f"{name}.pptx").write_bytes(_coloured(data))
    document = brief_docx(selection)
    (out / "document.docx").write_bytes(document)
    files = [out / "deck_en.pptx", out / "deck_id.pptx", out / "document.docx"]
    profile_dir = (out / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile_dir}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return {"dir": out, "document": document, **decks}


@pytest.fixture(scope="module")
def pages(converted) -> dict[str, list[Page]]:
    """Each converted file's pages, read once."""
    return {name: _read_pdf(converted["dir"] / f"{name}.pdf")
            for name in ("deck_en", "deck_id", "document")}  # fmt: skip


# -- measuring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Char:
    """A character drawn on a PDF page: its glyph's box in points from the page's top
    left corner, its font size and its fill colour."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    colour: tuple[int, int, int]


@dataclass(frozen=True)
class Page:
    """A PDF page: its size in points, its characters (spaces left out) and its text."""

    width: float
    height: float
    chars: list[Char]
    text: str


def _read_pdf(path: Path) -> list[Page]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [_read_page(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()


def _read_page(page) -> Page:
    width, height = page.get_size()
    textpage = page.get_textpage()
    rgba = [ctypes.c_uint() for _ in range(4)]
    chars = []
    for i in range(textpage.count_chars()):
        text = textpage.get_text_range(i, 1)
        if not text.strip():
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        pdfium_c.FPDFText_GetFillColor(textpage, i, *rgba)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        colour = (rgba[0].value, rgba[1].value, rgba[2].value)
        chars.append(Char(text, left, height - top, right, height - bottom, size, colour))
    return Page(width, height, chars, textpage.get_text_range())


def _colour(k: int) -> RGBColor:
    return RGBColor(40 + 20 * k, 0, 90)


def _runs(shape):
    frames = [shape.text_frame] if shape.has_text_frame else []
    if shape.has_table:
        frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
    return [r for f in frames for p in f.paragraphs for r in p.runs]


def _coloured(data: bytes) -> bytes:
    """The deck with each shape's text in the colour of its position on the slide."""
    deck = Presentation(io.BytesIO(data))
    for slide in deck.slides:
        for k, shape in enumerate(slide.shapes):
            for run in _runs(shape):
                run.font.color.rgb = _colour(k)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _boxes(slide) -> dict[tuple[int, int, int], tuple[float, float, float, float]]:
    """Each text-holding shape's box (x0, top, x1, bottom) in points, by its text colour."""
    boxes = {}
    for k, shape in enumerate(slide.shapes):
        if _runs(shape):
            x0, top = shape.left / EMU_PER_PT, shape.top / EMU_PER_PT
            x1, bottom = x0 + shape.width / EMU_PER_PT, top + shape.height / EMU_PER_PT
            boxes[tuple(_colour(k))] = (x0, top, x1, bottom)
    return boxes


def _inside(char: Char, box: tuple[float, float, float, float], slack: float = SLACK) -> bool:
    x0, top, x1, bottom = box
    return (char.x0 >= x0 - slack and char.x1 <= x1 + slack
            and char.top >= top - slack and char.bottom <= bottom + slack)  # fmt: skip


def _overlaps(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK and min(a[3], b[3]) - max(a[1], b[1]) > SLACK


def _deck_problems(pptx_data: bytes, pdf_pages: list[Page]) -> dict[str, list[str]]:
    """What is wrong with each page of the converted deck, by kind of problem."""
    slides = list(Presentation(io.BytesIO(pptx_data)).slides)
    assert len(pdf_pages) == len(slides)
    found: dict[str, list[str]] = {"off the slide": [], "out of its box": [],
                                   "boxes overlap": [], "small font": []}  # fmt: skip
    for n, (slide, page) in enumerate(zip(slides, pdf_pages, strict=True), start=1):
        _check_page(n, _boxes(slide), page, found)
    return found


def _check_page(n: int, boxes: dict, page: Page, found: dict[str, list[str]]) -> None:
    sheet = (0.0, 0.0, page.width, page.height)
    listed = list(boxes.values())
    for i, a in enumerate(listed):
        found["boxes overlap"] += [f"slide {n}" for b in listed[i + 1 :] if _overlaps(a, b)]
    off = "".join(c.text for c in page.chars if not _inside(c, sheet, 0.5))
    out = "".join(c.text for c in page.chars
                  if c.colour in boxes and not _inside(c, boxes[c.colour]))  # fmt: skip
    small = min((c.size for c in page.chars), default=99.0)
    found["off the slide"] += [f"slide {n}: {off[:60]!r}"] if off else []
    found["out of its box"] += [f"slide {n}: {out[:60]!r}"] if out else []
    found["small font"] += [f"slide {n}: {small:.1f} pt"] if small < MIN_PT - 0.05 else []


# -- the deck ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "id"])
def test_slides_keep_text_on_the_slide_in_its_own_box_at_12pt_or_more(converted, pages, lang):
    problems = _deck_problems(converted[f"deck_{lang}"], pages[f"deck_{lang}"])
    assert {kind: found for kind, found in problems.items() if found} == {}


def test_the_deck_holds_every_case_in_full_or_says_what_it_left_out(converted, selection):
    """Split, not cut: each case's summary, shown moves, outcome and lessons are on its
    slides, the moves beyond the limit counted; its full title in the notes."""
    deck = Presentation(io.BytesIO(converted["deck_en"]))
    text = {}
    for slide in deck.slides:
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        body = "\n".join(r.text for shape in slide.shapes for r in _runs(shape))
        text[notes] = text.get(notes, "") + "\n" + body
    for case in selection:
        assert case.title in text, f"no slide has the full title of {case.id} in its notes"
        shown = _flat(text[case.title])
        p = profile(case)
        told = [p.summary, outcome_text(case, load_taxonomy()), *case.lessons]
        for bit in told + [m.event for m in p.moves[:MAX_MOVES_SHOWN]]:
            assert _flat(bit) in shown, (case.id, bit[:60])
        if len(p.moves) > MAX_MOVES_SHOWN:
            assert f"{len(p.moves) - MAX_MOVES_SHOWN} more in the document" in shown, case.id


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- the document --------------------------------------------------------------------------


def test_the_document_keeps_its_text_on_the_page_and_inside_the_side_margins(converted, pages):
    """Writer flows text down onto new pages; what can run off is sideways: a table wider
    than the text, a long word or URL."""
    sections = Document(io.BytesIO(converted["document"])).sections
    outside = []
    for n, page in enumerate(pages["document"], start=1):
        section = next(s for s in sections if abs(s.page_width / EMU_PER_PT - page.width) < 1)
        left, right = section.left_margin / EMU_PER_PT, section.right_margin / EMU_PER_PT
        area = (left, 0.0, page.width - right, page.height)
        stray = "".join(c.text for c in page.chars if not _inside(c, area))
        outside += [f"page {n}: {stray[:60]!r}"] if stray else []
    assert outside == []


def _words(text: str) -> set[str]:
    """Words as a line break may leave them: split at spaces, hyphens and slashes."""
    pieces = re.split(r"[\s\-–/]+", text)
    return {w for w in (re.sub(r"^\W+|\W+$", "", x) for x in pieces) if w}


def test_the_documents_table_breaks_no_word(converted, pages):
    """Columns wide enough for their longest words: a word the converted table shows in two
    pieces ('CrowdStri' / 'ke') is missing from the words of the table's pages."""
    (table,) = Document(io.BytesIO(converted["document"])).tables
    wanted = {w for row in table.rows for cell in row.cells for w in _words(cell.text)}
    lines = [{line.strip() for line in p.text.splitlines()} for p in pages["document"]]
    first = next(i for i, ls in enumerate(lines) if "Comparison" in ls)
    last = next(i for i, ls in enumerate(lines) if "Citations" in ls and i > first)
    shown = set().union(*(_words(pages["document"][i].text) for i in range(first, last + 1)))
    assert sorted(wanted - shown) == []
