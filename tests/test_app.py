"""The minimal Streamlit app through AppTest: it builds the index and searches through the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from archive.ui import state

from .conftest import ROOT


@pytest.fixture
def app(cases_dir: Path, index_dir: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ARCHIVE_CASES_DIR", str(cases_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(index_dir))
    state._open.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_app_builds_the_index_and_searches(app: AppTest, index_dir: Path):
    assert (index_dir / "CURRENT").exists()  # built on first start
    app.text_input(key="q").input("kebocoran data").run()
    text = _markdown(app)
    assert "Target rebuilds shopper trust" in text
    assert "<mark>" in text  # a highlighted snippet


def test_app_outcome_filter(app: AppTest):
    app.text_input(key="q").input("kebocoran data").run()
    app.multiselect(key="outcome").select("ongoing").run()
    text = _markdown(app)
    assert "Bank Sentosa" in text and "Target rebuilds" not in text


def test_case_text_cannot_inject_markup(app: AppTest, cases_dir: Path):
    acme = cases_dir / "acme-2019-product-recall.md"
    acme.write_text(
        acme.read_text().replace(
            "Sales of the new model",
            "<script>alert(1)</script> [click](javascript:alert(2)) Sales of the new model",
        )
    )
    app.text_input(key="q").input("alert").run()  # the changed file is picked up without restart
    text = _markdown(app)
    assert "Acme" in text
    assert "<script>" not in text and "](javascript:" not in text
    assert "&lt;script&gt;" in text
