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

FORMATS = BRIEF_FORMATS
MAX_BRIEF_CASES = 20  # a deck of more slides than that is no longer a brief
MAX_MOVES_SHOWN = 8  # per case on a slide; the document lists them all


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


def brief_pptx(
    cases: Sequence[Case], lang: str = "en", title: str | None = None, taxonomy=None
) -> bytes:
    """The brief as a 16:9 PowerPoint deck: a title slide, one slide per case, the
    comparison table and the citations."""
    from pptx import Presentation
    from pptx.util import Inches

    b = _brief(cases, lang, title, taxonomy)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)  # 16:9
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = b.title
    slide.placeholders[1].text = b.subtitle
    for p in b.profiles:
        _pptx_case_slide(deck, b, p)
    _pptx_table_slide(deck, b)
    citations = b.citations()
    per_slide = 8
    for start in range(0, len(citations), per_slide):
        slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
        box = slide.shapes.add_textbox(Inches(0.5), Inches(0.4), Inches(12.3), Inches(6.8))
        frame = box.text_frame
        frame.word_wrap = True
        _bullets(frame, _w("citations", b.lang), citations[start : start + per_slide], 12)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _bullets(frame, heading: str, lines: Sequence[str], size: int = 14) -> None:
    """A bold heading and its lines, one level in, added to a text frame."""
    from pptx.util import Pt

    para = frame.add_paragraph() if frame.text else frame.paragraphs[0]
    para.text = heading
    para.font.bold, para.font.size = True, Pt(size + 2)
    for line in lines:
        item = frame.add_paragraph()
        item.text, item.level = line, 1
        item.font.size = Pt(size)


def _pptx_case_slide(deck, b: _Brief, p) -> None:
    """One case: what happened, what the subject did, how it ended, the lessons."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches

    c = p.case
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = c.title
    body = slide.placeholders[1]
    body.left, body.top = Inches(0.5), Inches(1.4)
    body.width, body.height = Inches(12.3), Inches(5.8)
    frame = body.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # long cases shrink, not overflow
    moves = b.move_lines(p)
    shown = moves[:MAX_MOVES_SHOWN]
    if len(moves) > MAX_MOVES_SHOWN:
        shown.append(_w("more", b.lang, n=len(moves) - MAX_MOVES_SHOWN))
    _bullets(frame, _w("happened", b.lang), [p.summary], 12)
    _bullets(frame, _w("did", b.lang), shown or [_w("none", b.lang)], 11)
    _bullets(frame, _w("ended", b.lang), [outcome_text(c, b.tax, b.lang)], 12)
    _bullets(frame, _w("lessons", b.lang), list(c.lessons) or [_w("none", b.lang)], 12)


def _pptx_table_slide(deck, b: _Brief) -> None:
    """The comparison table on a title-only slide."""
    from pptx.util import Inches, Pt

    rows = b.table()
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = _w("comparison", b.lang)
    shape = slide.shapes.add_table(
        len(rows), len(rows[0]), Inches(0.4), Inches(1.4), Inches(12.5), Inches(0.4) * len(rows)
    )
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = shape.table.cell(i, j)
            cell.text = value
            for para in cell.text_frame.paragraphs:
                para.font.size = Pt(11 if i else 12)


# -- Word ----------------------------------------------------------------------------------


def brief_docx(
    cases: Sequence[Case], lang: str = "en", title: str | None = None, taxonomy=None
) -> bytes:
    """The brief as a Word document, with every move of every case listed."""
    from docx import Document

    b = _brief(cases, lang, title, taxonomy)
    doc = Document()
    doc.core_properties.title = b.title
    doc.add_heading(b.title, level=0)
    doc.add_paragraph(b.subtitle)
    for p in b.profiles:
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
    rows = b.table()
    doc.add_heading(_w("comparison", b.lang), level=1)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    doc.add_heading(_w("citations", b.lang), level=1)
    for line in b.citations():
        doc.add_paragraph(line, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def brief(cases: Sequence[Case], fmt: str, lang: str = "en", title: str | None = None) -> bytes:
    """The brief in one of FORMATS, as bytes (Markdown in UTF-8)."""
    if fmt == "md":
        return brief_markdown(cases, lang, title).encode("utf-8")
    if fmt == "pptx":
        return brief_pptx(cases, lang, title)
    if fmt == "docx":
        return brief_docx(cases, lang, title)
    raise BriefError(f"unknown brief format '{fmt}': use one of {', '.join(FORMATS)}")
