"""Issue #8: compare, citations and precedent briefs (Markdown, PowerPoint, Word) from the
real case files; the exported files are opened again with python-pptx and python-docx."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pptx import Presentation

from archive import brief as brief_mod
from archive.brief import brief_docx, brief_markdown, brief_pptx
from archive.citations import apa_case, apa_source, bibtex_case, bibtex_source, citations
from archive.loader import load_cases
from archive.model import Case, Source, date_start
from archive.precedents import CompareError, compare, narrative_summary, profile
from archive.taxonomy import load_taxonomy

from .conftest import CASES

TAX = load_taxonomy()
IDS = [
    "target-2013-card-data-breach",
    "snapchat-2013-username-phone-leak",
    "lux-accc-2012-unfair-sales",
]


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    return {lc.case.id: lc.case for lc in load_cases([CASES]).cases}


@pytest.fixture(scope="module")
def chosen(cases) -> list[Case]:
    return [cases[i] for i in IDS]


# -- citations -----------------------------------------------------------------------------


def test_apa_of_a_full_source_and_of_one_without_author():
    full = Source(title="Sources: Target Investigating Data Breach", author="Brian Krebs",
                  publisher="Krebs on Security", date="2013-12-18",
                  url="https://krebsonsecurity.com/2013/12/x/")  # fmt: skip
    assert apa_source(full) == (
        "Brian Krebs. (2013, December 18). Sources: Target Investigating Data Breach. "
        "Krebs on Security. https://krebsonsecurity.com/2013/12/x/"
    )
    assert apa_source(full, markdown=True).startswith(
        "Brian Krebs. (2013, December 18). *Sources: Target Investigating Data Breach*."
    )
    bare = Source(title="Find Friends Abuse", publisher="Snapchat", date="2014-01")
    assert apa_source(bare) == "Find Friends Abuse. (2014, January). Snapchat."
    undated = Source(title="What happened?", publisher="Example Press")
    assert apa_source(undated) == "What happened? (n.d.). Example Press."


def test_bibtex_escapes_and_uses_month_macros(cases):
    case = cases["target-2013-card-data-breach"]
    tricky = case.model_copy(
        update={
            "sources": [
                Source(
                    title="Profits & losses: 50% of #data_breach {cost}",
                    publisher="A&B",
                    date="2013-12-19",
                )
            ]
        }  # fmt: skip
    )
    entry = bibtex_source(tricky, 0)
    assert entry.startswith("@misc{target-2013-card-data-breach:src1,\n")
    assert r"title = {{Profits \& losses: 50\% of \#data\_breach \{cost\}}}," in entry
    assert "  month = dec,\n" in entry and "  year = {2013}," in entry
    assert "  date = {2013-12-19}," in entry and entry.endswith("\n}")
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")


def test_every_case_has_citations_with_unique_keys(cases):
    keys = []
    for case in cases.values():
        data = citations(case)
        assert case.title in data["case"]["apa"] and f"@misc{{{case.id}," in data["case"]["bibtex"]
        assert len(data["sources"]) == len(case.sources)
        for source, entry in zip(case.sources, data["sources"], strict=True):
            assert source.title.rstrip(".?!") in entry["apa"]
            assert entry["bibtex"].startswith(f"@misc{{{entry['key']},")
            keys.append(entry["key"])
    assert len(keys) == len(set(keys))


def test_case_citation_is_dated_by_its_last_update(cases):
    case = cases["target-2013-card-data-breach"].model_copy(update={"updated": "2025-02-03"})
    assert apa_case(case).startswith("Comeback Case Archive. (2025, February 3). ")
    assert "  month = feb," in bibtex_case(case)


# -- compare -------------------------------------------------------------------------------


def test_tactics_come_in_the_order_they_happened_with_their_day(cases):
    for case in cases.values():
        p = profile(case)
        start = date_start(case.crisis_date)
        dated = [d for _, d in p.tactics if d is not None]
        assert dated == sorted(dated), case.id
        assert {t for t, _ in p.tactics} >= set(case.tactics), case.id
        for tactic, day in p.tactics:
            if day is None:  # listed on the case, never dated in its timeline or statements
                assert not any(e.tactic == tactic for e in case.timeline)
                continue
            first = min(
                [date_start(e.date) for e in case.timeline if e.tactic == tactic]
                + [date_start(s.date) for s in case.statements if tactic in s.moves]
            )
            assert day == (first - start).days, (case.id, tactic)


def test_compare_table_and_aligned_timeline(chosen):
    comparison = compare(chosen)
    table = dict(comparison.table())
    assert table["Case"] == [c.title for c in chosen]
    assert table["Outcome"][2].startswith(TAX.label("outcomes", chosen[2].outcome))
    assert table["Responsibility"][:2] == [
        "Preventable (strong responsibility)",  # Target: malware alerts seen and not acted on
        "Preventable (strong responsibility)",  # Snapchat: a reported flaw left open
    ]
    assert (
        dict(compare(chosen).table("id"))["Tanggung jawab"][0]
        == "Dapat dicegah (tanggung jawab besar)"
    )
    target_tactics = table["Tactics (day from the crisis)"][0]
    assert target_tactics.index("Contain and fix (day 18)") < target_tactics.index("Apology")
    rows = comparison.timeline()
    assert {r["id"] for r in rows} == set(IDS)
    for case in chosen:
        start = date_start(case.crisis_date)
        days = sorted(r["day"] for r in rows if r["id"] == case.id)
        expected = sorted(
            [(date_start(e.date) - start).days for e in case.timeline]
            + [(date_start(s.date) - start).days for s in case.statements for _ in s.moves or [1]]
        )
        assert days == expected
    assert dict(compare(chosen).table("id"))["Kasus"] == [c.title for c in chosen]


def test_compare_needs_two_to_four_distinct_cases(cases, chosen):
    with pytest.raises(CompareError, match="got 1"):
        compare(chosen[:1])
    with pytest.raises(CompareError, match="got 5"):
        compare(list(cases.values())[:5])
    with pytest.raises(CompareError, match="listed twice"):
        compare([chosen[0], chosen[0]])


def test_narrative_summary_prefers_the_summary_section():
    body = "Intro line.\n\n## Summary\n\nThe **first** [paragraph](https://x.org).\n\nMore.\n"
    assert narrative_summary(body) == "The first paragraph."
    assert narrative_summary("Just one paragraph\nover two lines.") == (
        "Just one paragraph over two lines."
    )
    assert narrative_summary("word " * 200, max_words=5) == "word word word word word …"


# -- briefs --------------------------------------------------------------------------------


def _expected_bits(case: Case) -> list[str]:
    """What every format must hold of a case: title, its dated tactics, its citations."""
    p = profile(case)
    bits = [case.title, TAX.label("outcomes", case.outcome), apa_case(case)]
    bits += [TAX.label("tactics", t) for t, _ in p.tactics]
    bits += [apa_source(s) for s in case.sources]
    return bits


def test_markdown_brief_holds_cases_tactics_and_citations(chosen):
    text = brief_markdown(chosen)
    assert text.startswith("# Precedent brief\n\n3 cases from the Comeback Case Archive")
    for case in chosen:
        for bit in _expected_bits(case):
            assert bit in text, (case.id, bit)
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(chosen)  # header and one row per case


def test_pptx_brief_opens_and_holds_cases_tactics_and_citations(chosen):
    deck = Presentation(io.BytesIO(brief_pptx(chosen)))
    slides = list(deck.slides)
    assert slides[0].shapes.title.text == "Precedent brief"

    def text_of(slide) -> str:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        return "\n".join(parts)

    # Each case on one or two slides in turn (tests/test_brief_layout.py measures them),
    # its full title in their notes.
    notes = [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in slides]
    titles = [c.title for c in chosen]
    assert [n for i, n in enumerate(notes) if n in titles and notes[i - 1] != n] == titles
    for case in chosen:
        own = [s for s, n in zip(slides, notes, strict=True) if n == case.title]
        assert 1 <= len(own) <= 2 and {s.shapes.title.text for s in own} == {case.title}
        body = "\n".join(text_of(s) for s in own)
        for tactic, _ in profile(case).tactics[:3]:
            if any(m.tactic == tactic for m in profile(case).moves[: brief_mod.MAX_MOVES_SHOWN]):
                assert TAX.label("tactics", tactic) in body
    table = next(s for s in slides if s.shapes.title is not None
                 and s.shapes.title.text == "Comparison")  # fmt: skip
    grid = next(shape.table for shape in table.shapes if shape.has_table)
    assert len(grid.rows) == 1 + len(chosen)
    assert [grid.cell(i + 1, 0).text for i in range(len(chosen))] == [c.title for c in chosen]
    everything = "\n".join(text_of(s) for s in slides)
    for case in chosen:
        for bit in _expected_bits(case):
            assert bit in everything, (case.id, bit)


def test_docx_brief_opens_and_holds_cases_tactics_and_citations(chosen):
    doc = Document(io.BytesIO(brief_docx(chosen, title="Data breaches and a court case")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Data breaches and a court case"
    assert [h for h in headings if h in {c.title for c in chosen}] == [c.title for c in chosen]
    (table,) = doc.tables
    assert len(table.rows) == 1 + len(chosen)
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n" + "\n".join(cell.text for row in table.rows for cell in row.cells)
    for case in chosen:
        for bit in _expected_bits(case):
            assert bit in text, (case.id, bit)


def test_brief_in_indonesian_and_its_limits(chosen):
    text = brief_markdown(chosen[:1], lang="id")
    assert "## Perbandingan" in text and "### Apa yang dilakukan dan kapan" in text
    assert TAX.label("tactics", "apology", "id") in text
    with pytest.raises(brief_mod.BriefError, match="at least one case"):
        brief_mod.brief([], "md")
    with pytest.raises(brief_mod.BriefError, match="unknown brief format 'pdf'"):
        brief_mod.brief(chosen, "pdf")
