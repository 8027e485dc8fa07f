"""Safe writes: ids that cannot escape cases/, no overwrite, atomic edits, conflicts, races."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from archive.editor import (
    CaseExistsError,
    EditConflictError,
    UnsafeIdError,
    case_path,
    save_edit,
    save_new,
    scaffold,
    suggest_id,
    write_scaffold,
)
from archive.errors import CaseFileError
from archive.index import update_index
from archive.loader import content_hash, load_cases

from .conftest import FIXTURES

GOOD = (FIXTURES / "good" / "acme-2019-product-recall.md").read_text()


def new_text(case_id: str = "acme-2020-second-recall") -> str:
    return GOOD.replace("id: acme-2019-product-recall", f"id: {case_id}")


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    return folder


def test_suggest_id():
    assert (
        suggest_id("Target Corporation", "2013-11-27", "data-breach")
        == "target-corporation-2013-data-breach"
    )
    assert suggest_id("Nestlé India", "2015", "") == "nestle-india-2015"
    assert suggest_id("Acme", "2019", "recall", taken=["acme-2019-recall"]) == "acme-2019-recall-2"
    assert len(suggest_id("x" * 200, "2019", "recall")) <= 80


@pytest.mark.parametrize(
    "bad",
    [
        "../escape",
        "/etc/passwd",
        "a/b",
        "..",
        ".",
        "Upper",
        "with space",
        "a\\b",
        "",
        "x" * 81,
        "a--b",
    ],
)
def test_ids_cannot_escape_cases(cases: Path, bad: str):
    with pytest.raises(UnsafeIdError):
        case_path(cases, bad)
    with pytest.raises(UnsafeIdError):
        write_scaffold(cases, bad, "x")
    assert list(cases.parent.rglob("*escape*")) == [] and not (cases.parent / "etc").exists()


def test_symlink_out_of_cases_is_refused(cases: Path, tmp_path: Path):
    outside = tmp_path / "outside.md"
    outside.write_text("precious")
    (cases / "linked-case.md").symlink_to(outside)
    with pytest.raises(UnsafeIdError):
        case_path(cases, "linked-case")
    with pytest.raises(UnsafeIdError):
        save_new(cases, new_text("linked-case"))
    assert outside.read_text() == "precious"


def test_new_case_round_trip_and_audit(cases: Path):
    saved = save_new(cases, new_text())
    assert saved.created and saved.path == cases.resolve() / "acme-2020-second-recall.md"
    (loaded,) = load_cases([cases]).cases
    assert loaded.case == saved.case
    assert saved.path.read_text() == new_text()  # byte for byte what the editor wrote
    (line,) = (cases.parent / "audit.log").read_text().splitlines()
    entry = json.loads(line)
    assert (
        entry["action"] == "created"
        and entry["case"] == "acme-2020-second-recall"
        and entry["when"]
    )
    assert [p.name for p in cases.iterdir()] == ["acme-2020-second-recall.md"]  # no temp files left


def test_new_never_overwrites(cases: Path):
    save_new(cases, new_text())
    before = (cases / "acme-2020-second-recall.md").read_bytes()
    with pytest.raises(CaseExistsError):
        save_new(cases, new_text().replace("exploding kettles", "other words"))
    (cases / "other.yaml").write_text("x")  # a .yaml spelling of an id counts too
    with pytest.raises(CaseExistsError):
        save_new(cases, new_text("other"))
    assert (cases / "acme-2020-second-recall.md").read_bytes() == before


def test_invalid_case_is_not_written(cases: Path):
    with pytest.raises(CaseFileError) as err:
        save_new(cases, new_text().replace("outcome: partially-recovered", "outcome: sort-of"))
    assert "outcome" in str(err.value)
    assert list(cases.iterdir()) == []


def test_edit_keeps_untouched_text_and_reindexes_only_that_case(cases: Path, tmp_path: Path):
    save_new(cases, new_text())
    save_new(cases, new_text("acme-2021-third"))
    update_index(cases, tmp_path / "index")
    path = cases / "acme-2020-second-recall.md"
    opened = content_hash(path.read_bytes())
    edited = path.read_text().replace("exploding kettles", "overheating kettles")
    saved = save_edit(cases, "acme-2020-second-recall", edited, opened)
    assert path.read_text() == edited and saved.case.title.endswith(
        "overheating kettles and apologises"
    )
    report = update_index(cases, tmp_path / "index")
    assert report.updated == ["acme-2020-second-recall"] and report.parsed == 1


def test_conflicting_edit_loses_nothing(cases: Path):
    save_new(cases, new_text())
    path = cases / "acme-2020-second-recall.md"
    opened = content_hash(path.read_bytes())
    theirs = path.read_text().replace("exploding", "their")
    path.write_text(theirs)  # someone else saved first
    mine = GOOD.replace("id: acme-2019-product-recall", "id: acme-2020-second-recall").replace(
        "exploding", "my"
    )
    with pytest.raises(EditConflictError) as err:
        save_edit(cases, "acme-2020-second-recall", mine, opened)
    assert path.read_text() == theirs
    assert err.value.kept.read_text() == mine
    assert load_cases([cases]).problems == []  # the kept copy is not a case file


def test_two_saves_racing_on_one_case(cases: Path):
    save_new(cases, new_text())
    path = cases / "acme-2020-second-recall.md"
    opened = content_hash(path.read_bytes())
    texts = [path.read_text().replace("exploding", word) for word in ("red", "blue")]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(text: str) -> None:
        barrier.wait()
        try:
            save_edit(cases, "acme-2020-second-recall", text, opened)
            outcomes.append("saved")
        except EditConflictError as exc:
            outcomes.append(exc.kept.read_text())

    threads = [threading.Thread(target=save, args=(t,)) for t in texts]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(o == "saved" for o in outcomes) == [False, True]
    kept = next(o for o in outcomes if o != "saved")
    assert {path.read_text(), kept} == set(texts)  # one on disk, one kept aside: nothing lost


def test_edit_cannot_change_the_id(cases: Path):
    save_new(cases, new_text())
    path = cases / "acme-2020-second-recall.md"
    with pytest.raises((UnsafeIdError, CaseFileError)):
        save_edit(
            cases,
            "acme-2020-second-recall",
            new_text("acme-renamed"),
            content_hash(path.read_bytes()),
        )


def test_scaffold_is_documented_and_flags_placeholders(cases: Path):
    text = scaffold(
        title="Acme recalls its kettles",
        subject='Acme: Appliances "Ltd"',
        subject_kind="organization",
        crisis_date="2019-03",
        crisis_types=["product-safety"],
        tactics=["recall"],
        language="id",
    )
    path = write_scaffold(
        cases,
        "acme-2019-kettles",
        text.replace("id: acme", "id: acme", 1).replace(
            "id: acme-appliances-ltd-2019-product-safety", "id: acme-2019-kettles"
        ),
    )
    result = load_cases([path])
    assert result.errors == []
    assert result.cases[0].case.subject == 'Acme: Appliances "Ltd"'
    assert any("placeholder" in p.message for p in result.warnings)
    for documented in (
        "# sector:",
        "# responsibility:",
        "# statements:",
        "# related:",
        "## Ringkasan",
    ):
        assert documented in text
    assert os.path.exists(cases.parent / "audit.log")


def test_every_real_case_survives_a_form_round_trip():
    from archive.editor import case_fields, case_to_text
    from archive.loader import parse_case

    from .conftest import CASES

    for loaded in load_cases([CASES]).cases:
        text = case_to_text(case_fields(loaded.case))
        case, problems = parse_case(text.encode("utf-8"), loaded.path)
        assert problems == [] and case == loaded.case, loaded.case.id
