"""The one table of facets and fields: every part reads it, and a facet added there (the
response channel) is a filter with counts in the search API, the command line and the app."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from archive.engine.whoosh.schema import build_schema
from archive.fields import (
    BOOSTS,
    FACET_NAMES,
    FACETS,
    FIELD_ALIASES,
    TEXT_FIELDS,
    channels_of,
    facet,
)
from archive.loader import load_cases
from archive.search import Archive, SearchRequest
from archive.search.query_text import DEFAULT_FIELDS

from .conftest import CASES, ROOT
from .test_app import env  # noqa: F401  (the fixture)
from .test_cli import project, run  # noqa: F401  (the fixture)


def test_the_schema_and_the_parser_come_from_the_table():
    schema = build_schema()
    for name in (*FACET_NAMES, *(f.name for f in TEXT_FIELDS)):
        assert name in schema.names()
    assert DEFAULT_FIELDS == [f.name for f in TEXT_FIELDS]
    # Boosts apply once, at query time: the schema stores plain frequencies.
    assert all(schema[f.name].format.field_boost == 1.0 for f in TEXT_FIELDS)
    assert BOOSTS["title_en"] == 3.0 and "narrative_en" not in BOOSTS
    assert FIELD_ALIASES["title"] == ["title_en", "title_id"]
    assert FIELD_ALIASES["channel"] == ["channel"]


def test_the_channel_facet_counts_the_channels_of_events_and_statements(full_archive: Archive):
    cases = [lc.case for lc in load_cases([CASES]).cases]
    expected: dict[str, int] = {}
    for case in cases:
        for channel in channels_of(case):
            expected[channel] = expected.get(channel, 0) + 1
    response = full_archive.search(SearchRequest(per_page=0))
    got = {v.value: v.count for v in response.facets["channel"] if v.count}
    assert got == expected and got["video"] >= 2
    videos = full_archive.search(SearchRequest(filters={"channel": ["video"]}, per_page=100))
    assert {h.id for h in videos.hits} == {c.id for c in cases if "video" in channels_of(c)}
    assert [h.id for h in full_archive.search(SearchRequest("channel:video", per_page=100)).hits]


def test_the_channel_is_an_option_of_the_command_line(project: Path):  # noqa: F811
    result = run("search", "--channel", "video", "--facets", cwd=project)
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.strip().startswith("channel:")]
    assert "*video 1" in line  # selected, with its count (the Target case's CEO video)
    assert facet("channel").cli == "channel"


def test_the_channel_is_a_filter_in_the_app(env: Path):  # noqa: F811
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    options = at.multiselect(key="f_channel").options
    assert any(o.startswith("Video (") for o in options), options
    at.multiselect(key="f_channel").select("video").run()
    assert at.query_params["channel"] in (["video"], "video")


def test_every_facet_is_labelled_in_both_languages():
    from archive.strings import STRINGS

    for spec in FACETS:
        assert {"en", "id"} <= set(STRINGS[spec.name]), spec.name
