"""The benchmark corpus generator makes valid, seeded, realistic case files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from archive.loader import load_cases

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "generate_corpus", ROOT / "scripts" / "generate_corpus.py"
)
generate_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate_corpus)


def test_generated_cases_are_valid_seeded_and_mixed(tmp_path: Path):
    paths = generate_corpus.generate(tmp_path / "a", 200, seed=3)
    result = load_cases([tmp_path / "a"])
    assert result.problems == [] and len(result.cases) == 200
    words = [len(lc.case.body.split()) for lc in result.cases]
    assert min(words) >= 400 and max(words) <= 900
    languages = {lc.case.language for lc in result.cases}
    assert languages == {"en", "id"}
    assert all(any(e.aliases for e in lc.case.entities) for lc in result.cases)
    assert len({t for lc in result.cases for t in lc.case.tactics}) >= 15
    again = generate_corpus.generate(tmp_path / "b", 200, seed=3)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
