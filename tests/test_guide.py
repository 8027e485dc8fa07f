"""The editor's guide (docs/editing.md): its taxonomy section matches taxonomy.yaml, its field
tables cover the model, its example validates, and no document points outside the repository."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from archive.guide import (
    END_MARKER,
    GUIDE_PATH,
    START_MARKER,
    generated_section,
    guide_is_current,
    render_guide,
    taxonomy_markdown,
)
from archive.loader import parse_case
from archive.model import SUBRECORDS, Case
from archive.taxonomy import KINDS, Taxonomy, load_taxonomy

from .conftest import ROOT
from .test_cli import run

GUIDE = ROOT / GUIDE_PATH


@pytest.fixture(scope="module")
def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under the first heading line that starts with ``heading``, up to the next
    heading of the same or a higher level (lines inside code fences are not headings)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    level = len(heading) - len(heading.lstrip("#"))
    end, in_fence = len(lines), False
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("```"):
            in_fence = not in_fence
        elif not in_fence and re.match(rf"#{{1,{level}}} ", lines[i]):
            end = i
            break
    return "\n".join(lines[start + 1 : end])


def _table_rows(section: str) -> dict[str, list[str]]:
    """Rows of the Markdown tables in a section whose first cell is a `key`: key -> cells."""
    rows = {}
    for line in section.split("\n"):
        match = re.match(r"^\| `([a-z_]+)` \|(.*)\|$", line.strip())
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


# -- the generated taxonomy section ---------------------------------------------------------


def test_generated_section_matches_the_taxonomy(guide_text: str):
    assert generated_section(guide_text) == taxonomy_markdown(), (
        "docs/editing.md is out of date with archive/taxonomy.yaml: run 'archive guide'"
    )
    assert guide_is_current(GUIDE)


def test_every_taxonomy_id_is_in_the_guide(guide_text: str):
    tax = load_taxonomy()
    for kind in KINDS:
        for term_id in tax.ids(kind):
            assert f"#### `{term_id}`" in guide_text, (kind, term_id)


def test_every_term_shows_both_labels_definitions_and_synonyms():
    tax = load_taxonomy()
    text = taxonomy_markdown(tax)
    for kind in KINDS:
        for term in tax.terms(kind).values():
            block = _section(text, f"#### `{term.id}`")
            for lang in ("en", "id"):
                assert f"**{term.label[lang]}** ({lang})" in block, (kind, term.id)
                assert f"- Definition ({lang}): {term.definition[lang]}" in block, (kind, term.id)
                for synonym in term.synonyms.get(lang, ()):
                    assert synonym in block, (kind, term.id, synonym)
            if kind == "tactics" and term.family:
                assert f"- Strategy family: `{term.family}`" in block, term.id


def test_taxonomy_markdown_is_deterministic_and_follows_the_taxonomy():
    assert taxonomy_markdown() == taxonomy_markdown()
    data = yaml.safe_load((ROOT / "archive" / "taxonomy.yaml").read_text(encoding="utf-8"))
    data["crisis_types"]["data-breach"]["label"]["id"] = "Kebocoran data pribadi"
    changed = Taxonomy(data)
    assert "**Kebocoran data pribadi** (id)" in taxonomy_markdown(changed)
    # A taxonomy change without 'archive guide' leaves the guide stale.
    assert not guide_is_current(GUIDE, changed)


def test_render_guide_replaces_only_the_generated_part():
    text = f"# Guide\n\nHand-written.\n\n{START_MARKER}\nstale\n{END_MARKER}\n\nAfter.\n"
    rendered = render_guide(text)
    assert rendered.startswith(f"# Guide\n\nHand-written.\n\n{START_MARKER}\n")
    assert rendered.endswith(f"{END_MARKER}\n\nAfter.\n")
    assert "stale" not in rendered
    assert generated_section(rendered) == taxonomy_markdown()
    assert render_guide(rendered) == rendered


@pytest.mark.parametrize(
    "text",
    ["no markers at all\n", f"{START_MARKER}\n", f"{END_MARKER}\n{START_MARKER}\n",
     f"{START_MARKER}\n{START_MARKER}\n{END_MARKER}\n"],
)  # fmt: skip
def test_render_guide_refuses_missing_or_misplaced_markers(text: str, tmp_path: Path):
    with pytest.raises(ValueError, match="marker"):
        render_guide(text)
    path = tmp_path / "editing.md"
    path.write_text(text, encoding="utf-8")
    assert not guide_is_current(path)
    assert not guide_is_current(tmp_path / "missing.md")


# -- the hand-written part ------------------------------------------------------------------


def test_every_model_field_is_in_the_field_tables(guide_text: str):
    tables = {Case: _table_rows(_section(guide_text, "### Case fields"))}
    for key, model in SUBRECORDS.items():
        heading = next(
            line
            for line in guide_text.split("\n")
            if line.startswith("### ") and f"(`{key}`)" in line
        )
        tables[model] = _table_rows(_section(guide_text, heading))
    for model, rows in tables.items():
        for name in model.model_fields:
            if name == "body":
                continue
            assert name in rows, f"{model.__name__}.{name} is not in the guide's field tables"
            key_required_type_meaning_example = rows[name]
            assert len(key_required_type_meaning_example) == 4, (model.__name__, name)
            assert all(key_required_type_meaning_example), (model.__name__, name)


def test_the_guide_names_the_narrative_headings_in_both_languages(guide_text: str):
    for heading in ("Summary", "Crisis", "Response", "Outcome", "Lessons",
                    "Ringkasan", "Krisis", "Respons", "Hasil", "Pelajaran"):  # fmt: skip
        assert f"`## {heading}`" in guide_text, heading


def test_the_complete_example_validates_without_warnings(guide_text: str):
    example = _section(guide_text, "### A complete example")
    match = re.search(r"```markdown\n(.*?)\n```", example, flags=re.S)
    assert match, "no Markdown example under 'A complete example'"
    text = match.group(1) + "\n"
    case_id = re.search(r"^id: (\S+)$", text, flags=re.M).group(1)
    case, problems = parse_case(text.encode("utf-8"), Path("cases") / f"{case_id}.md")
    assert case is not None and not problems, [str(p) for p in problems]


def test_the_guide_documents_the_commands_and_the_schema(guide_text: str):
    for needle in ("archive draft", "archive new", "archive validate --strict", "archive index",
                   "Start from sources", "schema/case.schema.json", "yaml.schemas",
                   "# yaml-language-server: $schema="):  # fmt: skip
        assert needle in guide_text, needle
    assert (ROOT / "schema" / "case.schema.json").is_file()


# -- the command ----------------------------------------------------------------------------


def test_guide_check_on_the_repository_and_on_a_changed_copy(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    copy = tmp_path / "docs" / "editing.md"
    shutil.copy2(GUIDE, copy)
    result = run("guide", "--check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    original = copy.read_text(encoding="utf-8")
    copy.write_text(original.replace("| `data-breach` | Data breach |", "| `data-breach` | Leak |"))
    result = run("guide", "--check", cwd=tmp_path)
    assert result.returncode == 1
    assert "out of date: run 'archive guide'" in result.stderr

    assert run("guide", cwd=tmp_path).returncode == 0
    assert copy.read_text(encoding="utf-8") == original
    assert run("guide", "--check", cwd=tmp_path).returncode == 0


def test_guide_output_option_and_a_guide_without_markers(tmp_path: Path):
    other = tmp_path / "guide.md"
    other.write_text(f"# Mine\n\n{START_MARKER}\n{END_MARKER}\n", encoding="utf-8")
    assert run("guide", "--check", "--output", str(other), cwd=tmp_path).returncode == 1
    assert run("guide", "--output", str(other), cwd=tmp_path).returncode == 0
    assert generated_section(other.read_text(encoding="utf-8")) == taxonomy_markdown()

    other.write_text("# No markers\n", encoding="utf-8")
    result = run("guide", "--output", str(other), cwd=tmp_path)
    assert result.returncode == 1 and "marker" in result.stderr
    assert other.read_text(encoding="utf-8") == "# No markers\n"
    assert run("guide", cwd=tmp_path).returncode == 2  # no docs/editing.md here


# -- documents stay inside the repository ----------------------------------------------------

# The one '../' the guide may name: a case file's schema comment, which from cases/ leads to
# schema/case.schema.json in this repository.
_SCHEMA_MODELINE = "$schema=../schema/case.schema.json"
_LINK = re.compile(r"\]\(([^)\s]+)[^)]*\)|(?:href|src)=\"([^\"]+)\"")


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("path", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_point_only_inside_the_repository(path: Path):
    text = path.read_text(encoding="utf-8")
    assert "CASE_FORMAT.md" not in text
    assert "shared/" not in text
    assert "../" not in text.replace(_SCHEMA_MODELINE, ""), f"{path.name} points outside"
    if _SCHEMA_MODELINE in text:
        assert (ROOT / "cases" / "../schema/case.schema.json").resolve().is_file()
    for match in _LINK.finditer(text):
        target = (match.group(1) or match.group(2)).split("#")[0]
        if not target or re.match(r"^[a-z]+:", target):
            continue  # an anchor in the same page, or a web address
        resolved = (path.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{path.name}: {target} is outside the repository"
        assert resolved.exists(), f"{path.name}: {target} does not exist"
