"""Precedent briefs: selected cases as Markdown, a PowerPoint deck and a Word document.

Each brief has a title, one part per case (what happened, what they did and when, how it
ended, lessons), a comparison table (one row per case, so it works for any number of
cases) and the citations of every case and source in APA style.

Example::

    >>> Path("brief.pptx").write_bytes(brief_pptx([target, snapchat, lux]))
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from archive.choices import BRIEF_FORMATS
from archive.citations import apa_all
from archive.errors import ArchiveError
from archive.model import Case
from archive.precedents import Profile, outcome_text, profile, tactics_in_order
from archive.strings import t
from archive.taxonomy import Taxonomy, load_taxonomy
from archive.textfit import (
    Section,
    Style,
    column_widths,
    fit_text,
    height_of,
    paginate,
    split_rows,
    text_height,
)

FORMATS = BRIEF_FORMATS
MAX_BRIEF_CASES = 20  # a deck of more slides than that is no longer a brief
MAX_MOVES_SHOWN = 8  # per case in the deck, the rest counted; the document lists them all


class BriefError(ArchiveError):
    """A brief cannot be made as asked (no case, or more than it can hold)."""


def _w(key: str, lang: str, **values: object) -> str:
    return t(f"brief_{key}", lang, **values)


@dataclass(frozen=True)
class _Brief:
    profiles: list[Profile]
    tax: Taxonomy
    lang: str
    title: str
    subtitle: str

    def move_lines(self, p: Profile) -> list[str]:
        lines = []
        for m in p.moves:
            what = [self.tax.label("tactics", m.tactic, self.lang)] if m.tactic else []
            what += [self.tax.label("channels", m.channel, self.lang)] if m.channel else []
            tag = f" [{', '.join(what)}]" if what else ""
            lines.append(f"{_w('day', self.lang)} {m.day} ({m.date}){tag}: {m.event}")
        return lines

    def table(self) -> list[list[str]]:
        head = [_w(k, self.lang) for k in ("case", "crisis", "tactics", "statement",
                                             "apology", "outcome")]  # fmt: skip
        rows = [head]
        for p in self.profiles:
            c = p.case
            rows.append([
                c.title,
                ", ".join(self.tax.label("crisis_types", t, self.lang) for t in c.crisis_types),
                tactics_in_order(p, self.tax, self.lang),
                _days(p.times["first_statement"]),
                _days(p.times["first_apology"]),
                self.tax.label("outcomes", c.outcome, self.lang),
            ])  # fmt: skip
        return rows

    def continued(self, key: str, n: int) -> str:
        """The heading ``key`` in the brief's language; from the second slide on, marked
        as continued."""
        heading = _w(key, self.lang)
        return heading if n == 0 else _w("continued", self.lang, what=heading)

    def citations(self) -> list[str]:
        return [line for p in self.profiles for line in apa_all(p.case)]


def _days(value: int | None) -> str:
    return "-" if value is None else str(value)


def _brief(cases: Sequence[Case], lang: str, title: str | None, tax: Taxonomy | None) -> _Brief:
    if not cases:
        raise BriefError("a brief needs at least one case")
    if len(cases) > MAX_BRIEF_CASES:
        raise BriefError(f"a brief holds at most {MAX_BRIEF_CASES} cases; got {len(cases)}")
    lang = lang if lang in ("en", "id") else "en"
    today = dt.date.today().isoformat()
    return _Brief(
        [profile(c) for c in cases],
        tax or load_taxonomy(),
        lang,
        title or _w("title", lang),
        _w("subtitle", lang, n=len(cases), date=today),
    )


# -- Markdown ------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def brief_markdown(
    cases: Sequence[Case], lang: str = "en", title: str | None = None, taxonomy=None
) -> str:
    """The brief as Markdown: per case what happened, the moves, the outcome and the
    lessons; then the comparison table and the citations."""
    b = _brief(cases, lang, title, taxonomy)
    out = [f"# {b.title}", "", b.subtitle, ""]
    for p in b.profiles:
        c = p.case
        out += [f"## {c.title}", "", f"*{c.subject}, {c.crisis_date}*", ""]
        out += [f"### {_w('happened', b.lang)}", "", p.summary, ""]
        out += [f"### {_w('did', b.lang)}", ""]
        out += [f"- {line}" for line in b.move_lines(p)] or [_w("none", b.lang)]
        out += ["", f"### {_w('ended', b.lang)}", "", outcome_text(c, b.tax, b.lang), ""]
        out += [f"### {_w('lessons', b.lang)}", ""]
        out += [f"- {x}" for x in c.lessons] or [_w("none", b.lang)]
        out.append("")
    rows = b.table()
    out += [f"## {_w('comparison', b.lang)}", ""]
    out.append("| " + " | ".join(_md_cell(h) for h in rows[0]) + " |")
    out.append("|" + "---|" * len(rows[0]))
    out += ["| " + " | ".join(_md_cell(x) for x in r) + " |" for r in rows[1:]]
    out += ["", f"## {_w('citations', b.lang)}", ""]
    out += [f"- {line}" for line in b.citations()]
    return "\n".join(out) + "\n"


# -- PowerPoint ----------------------------------------------------------------------------
#
# Every size is set here and every box is measured (archive.textfit) before it is filled:
# nothing relies on the office suite's autofit, which LibreOffice honours by shrinking a
# full case to 8 pt. What does not fit a slide goes on to the next one. Boxes are
# (left, top, width, height) in points on a 16:9 slide of 960 x 540 points.

_SLIDE = (960, 540)
_TITLE_BOX = (36, 18, 888, 84)
_BODY_BOX = (36, 108, 888, 402)
_COVER_TITLE_BOX, _COVER_SUBTITLE_BOX = (72, 140, 816, 170), (72, 320, 816, 90)
_INSET_X, _INSET_Y = 7.2, 3.6  # a text frame's margins
_SPARE = 6.0  # points of a box kept free below the estimate, against rounding
_TITLE_SIZES, _COVER_SIZES, _SUBTITLE_SIZES = (32, 28, 24, 20), (44, 40, 36, 32, 28), (24, 20, 16)
_BULLET = 27.0  # the master's first-level indent (0.375 in), room for the bullet
_HEADING = Style(16, bold=True, space_before=10)
_TEXT = Style(14, indent=_BULLET, space_before=4)
_DETAIL = Style(12, indent=_BULLET, space_before=3)  # a case's moves, a citation
_CELL = Style(12)
_CELL_X, _CELL_Y = 7.2, 3.6  # a table cell's margins


def brief_pptx(
    cases: Sequence[Case], lang: str = "en", title: str | None = None, taxonomy=None
) -> bytes:
    """The brief as a 16:9 PowerPoint deck: a title slide, one or two slides per case (what
    happened and the moves; then the outcome and the lessons), the comparison table and
    the citations, each continued on further slides when it does not fit one. Titles are
    sized to fit their box; each case slide has the case's full title in its notes."""
    from pptx import Presentation
    from pptx.util import Pt

    b = _brief(cases, lang, title, taxonomy)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Pt(_SLIDE[0]), Pt(_SLIDE[1])
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    _fit(slide.shapes.title, _COVER_TITLE_BOX, b.title, _COVER_SIZES)
    _fit(slide.placeholders[1], _COVER_SUBTITLE_BOX, b.subtitle, _SUBTITLE_SIZES)
    slide.notes_slide.notes_text_frame.text = b.title
    for p in b.profiles:
        for page in _case_pages(b, p):
            _pptx_text_slide(deck, p.case.title, page, notes=p.case.title)
    _pptx_table_slides(deck, b)
    sections = [Section(p.case.title, tuple(apa_all(p.case)), _DETAIL) for p in b.profiles]
    for n, page in enumerate(_paginate(b, sections)):
        _pptx_text_slide(deck, b.continued("citations", n), page)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _inner(box: tuple[float, float, float, float]) -> tuple[float, float]:
    """The room for text in a box: its width and height less the frame's margins."""
    return box[2] - 2 * _INSET_X, box[3] - 2 * _INSET_Y - _SPARE


def _frame(shape, box: tuple[float, float, float, float], anchor: str):
    """The shape placed on ``box``, its text frame cleared: wrapping, no autofit, set
    margins, text anchored at the top or the middle."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Pt

    shape.left, shape.top, shape.width, shape.height = (Pt(v) for v in box)
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Pt(_INSET_X)
    frame.margin_top = frame.margin_bottom = Pt(_INSET_Y)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if anchor == "middle" else MSO_ANCHOR.TOP
    return frame


def _fit(shape, box, text: str, sizes: Sequence[float]) -> None:
    """``text`` in ``shape`` at the largest of ``sizes`` that fits ``box``, shortened with
    an ellipsis if it fits at none."""
    width, height = _inner(box)
    shown, size = fit_text(text, width, height, sizes)
    _run(_frame(shape, box, "middle").paragraphs[0], shown, size)


def _run(para, text: str, size: float, bold: bool = False) -> None:
    """The paragraph's text as one run of an explicit size, at single line spacing."""
    from pptx.util import Pt

    para.line_spacing = 1.0
    run = para.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold


def _paragraph(frame, text: str, style: Style, bullet: bool) -> None:
    """A paragraph added to a text frame: an item with the master's bullet, or a heading
    flush left without one."""
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    para = frame.paragraphs[0] if not frame.paragraphs[0].runs else frame.add_paragraph()
    _run(para, text, style.size, style.bold)
    para.space_before = Pt(style.space_before)
    if not bullet:
        ppr = para._p.get_or_add_pPr()
        ppr.set("marL", "0")
        ppr.set("indent", "0")
        ppr.insert_element_before(ppr.makeelement(qn("a:buNone"), {}), "a:tabLst", "a:defRPr")


def _pptx_text_slide(deck, title: str, page: list[Section], notes: str = "") -> None:
    """A slide of sections under a title (layout 'Title and Content')."""
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    _fit(slide.shapes.title, _TITLE_BOX, title, _TITLE_SIZES)
    frame = _frame(slide.placeholders[1], _BODY_BOX, "top")
    for section in page:
        _paragraph(frame, section.heading, _HEADING, bullet=False)
        for item in section.items:
            _paragraph(frame, item, section.style, bullet=True)
    if notes:
        slide.notes_slide.notes_text_frame.text = notes


def _paginate(b: _Brief, sections: Sequence[Section]) -> list[list[Section]]:
    """Sections over as many slide bodies as they need, lists continued under a heading
    marked as continued."""
    width, height = _inner(_BODY_BOX)
    return paginate(sections, width, height, _HEADING, lambda h: _w("continued", b.lang, what=h))


def _case_pages(b: _Brief, p: Profile) -> list[list[Section]]:
    """A case's sections over slides: all on one if they fit, else what happened and the
    moves, then how it ended and the lessons, each continued if it needs more (run on
    from one to the other when that makes fewer slides)."""
    c = p.case
    moves = b.move_lines(p)
    shown = moves[:MAX_MOVES_SHOWN]
    if len(moves) > MAX_MOVES_SHOWN:
        shown.append(_w("more", b.lang, n=len(moves) - MAX_MOVES_SHOWN))
    none = (_w("none", b.lang),)
    first = [
        Section(_w("happened", b.lang), (p.summary,), _TEXT),
        Section(_w("did", b.lang), tuple(shown) or none, _DETAIL),
    ]
    second = [
        Section(_w("ended", b.lang), (outcome_text(c, b.tax, b.lang),), _TEXT),
        Section(_w("lessons", b.lang), tuple(c.lessons) or none, _TEXT),
    ]
    width, height = _inner(_BODY_BOX)
    if height_of(first + second, width, _HEADING) <= height:
        return [first + second]
    pages = _paginate(b, first) + _paginate(b, second)
    if len(pages) > 2:  # three slides or more: run the parts on if that saves a slide
        flowed = _paginate(b, first + second)
        pages = flowed if len(flowed) < len(pages) else pages
    return pages


def _row_height(row: Sequence[str], columns: Sequence[float], bold: bool = False) -> float:
    """A table row's estimated height: its tallest cell, with the cell's margins."""
    return 2 * _CELL_Y + max(
        text_height(text, width - 2 * _CELL_X, _CELL.size, bold)
        for text, width in zip(row, columns, strict=True)
    )


def _pptx_table_slides(deck, b: _Brief) -> None:
    """The comparison table on title-only slides, its rows continued over as many slides
    as they need, the header row on each."""
    rows = b.table()
    columns = column_widths(rows, _BODY_BOX[2], _CELL.size, _CELL_X)
    header = _row_height(rows[0], columns, bold=True)
    heights = [_row_height(r, columns) for r in rows[1:]]
    pages = split_rows(heights, header, _BODY_BOX[3] - _SPARE)
    for n, page in enumerate(pages):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        _fit(slide.shapes.title, _TITLE_BOX, b.continued("comparison", n), _TITLE_SIZES)
        chosen = [rows[0]] + [rows[i + 1] for i in page]
        _pptx_table(slide, chosen, columns, [header] + [heights[i] for i in page])


def _pptx_table(slide, rows: list[list[str]], columns: list[float], heights: list[float]) -> None:
    """A table of ``rows`` (the first the header) with set column widths and row heights."""
    from pptx.util import Pt

    left, top = _BODY_BOX[0], _BODY_BOX[1]
    shape = slide.shapes.add_table(
        len(rows), len(columns), Pt(left), Pt(top), Pt(sum(columns)), Pt(sum(heights))
    )
    table = shape.table
    for j, width in enumerate(columns):
        table.columns[j].width = Pt(width)
    for i, row in enumerate(rows):
        table.rows[i].height = Pt(heights[i])
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Pt(_CELL_X)
            cell.margin_top = cell.margin_bottom = Pt(_CELL_Y)
            cell.text_frame.word_wrap = True
            _run(cell.text_frame.paragraphs[0], value, _CELL.size, bold=i == 0)


# -- Word ----------------------------------------------------------------------------------


_DOC_CELL_PT = 10
_DOC_CELL_MARGIN = 5.4  # Table Grid's cell margins (0.075 in) on either side


def brief_docx(
    cases: Sequence[Case], lang: str = "en", title: str | None = None, taxonomy=None
) -> bytes:
    """The brief as a Word document, with every move of every case listed; the comparison
    table on landscape pages, its columns sized to their text."""
    from docx import Document

    b = _brief(cases, lang, title, taxonomy)
    doc = Document()
    doc.core_properties.title = b.title
    doc.add_heading(b.title, level=0)
    doc.add_paragraph(b.subtitle)
    for p in b.profiles:
        _docx_case(doc, b, p)
    _docx_section(doc, landscape=True)
    doc.add_heading(_w("comparison", b.lang), level=1)
    _docx_table(doc, b.table())
    _docx_section(doc, landscape=False)
    doc.add_heading(_w("citations", b.lang), level=1)
    for line in b.citations():
        doc.add_paragraph(line, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_case(doc, b: _Brief, p: Profile) -> None:
    """One case: what happened, every move, how it ended, the lessons."""
    c = p.case
    doc.add_heading(c.title, level=1)
    doc.add_paragraph(f"{c.subject}, {c.crisis_date}").italic = True
    doc.add_heading(_w("happened", b.lang), level=2)
    doc.add_paragraph(p.summary)
    doc.add_heading(_w("did", b.lang), level=2)
    for line in b.move_lines(p) or [_w("none", b.lang)]:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(_w("ended", b.lang), level=2)
    doc.add_paragraph(outcome_text(c, b.tax, b.lang))
    doc.add_heading(_w("lessons", b.lang), level=2)
    for line in c.lessons or [_w("none", b.lang)]:
        doc.add_paragraph(line, style="List Bullet")


def _docx_section(doc, landscape: bool) -> None:
    """A new section on a new page, turned to landscape or back to portrait."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    long, short = sorted((section.page_width, section.page_height), reverse=True)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _docx_table(doc, rows: list[list[str]]) -> None:
    """The comparison table across the text's width, its columns wide enough for their
    longest words, the header row bold and repeated on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section = doc.sections[-1]
    total = (section.page_width - section.left_margin - section.right_margin) / 12700
    widths = column_widths(rows, total, _DOC_CELL_PT, _DOC_CELL_MARGIN)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    for j, width in enumerate(widths):
        table.columns[j].width = Pt(width)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.width = Pt(widths[j])
            run = cell.paragraphs[0].add_run(value)
            run.font.size, run.font.bold = Pt(_DOC_CELL_PT), i == 0
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)


def brief(cases: Sequence[Case], fmt: str, lang: str = "en", title: str | None = None) -> bytes:
    """The brief in one of FORMATS, as bytes (Markdown in UTF-8)."""
    if fmt == "md":
        return brief_markdown(cases, lang, title).encode("utf-8")
    if fmt == "pptx":
        return brief_pptx(cases, lang, title)
    if fmt == "docx":
        return brief_docx(cases, lang, title)
    raise BriefError(f"unknown brief format '{fmt}': use one of {', '.join(FORMATS)}")
