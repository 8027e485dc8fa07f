"""Issue 19: the interface is complete in Indonesian. One app server and one browser for the
module walk every page with ``lang=id`` and read what each shows: its text (chart axes and
legends included), the placeholders of its inputs, the headers of its tables, the
descriptions of its chart marks (they carry the tooltips' titles), the tab's title, and the
CSV the search downloads. No English interface string may be left.

The English interface strings are the catalogue's English texts that are no Indonesian text
too, plus what Streamlit and Vega show in English unless told otherwise. A string of two
words or more (or with a number in it) counts anywhere in a line; a single word only as a
whole line (a label, a title, a button), so that case text, which is English in many
cases, is not taken for interface. The case narrative and the citations (code blocks) are
not read at all.

Streamlit texts that no option can change are not checked, and stay English: the file
uploader's "Drag and drop files here", "Limit 200MB per file" and "Upload"; the
multiselect's "No results" when a typed filter matches nothing; the "Skip to main content"
link; the tooltips and aria labels of Streamlit's and Vega's own controls. Neither are the
case file problems the editor lists (the loader's messages, shared with `archive validate`).
"""

from __future__ import annotations

import csv
import io
import re
import string
import subprocess
from pathlib import Path

import pytest

from archive.engine import DEFAULT_ENGINE
from archive.export import CSV_COLUMNS, csv_header
from archive.strings import STRINGS, t

from .conftest import FIXTURES, SOURCE_CASES, copy_cases, share_entity_cache
from .test_browser import CHROMIUM, _serve, chromium, download, settle  # skips without playwright

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed (.ci/run installs it)"
)

TARGET = "target-2013-card-data-breach"
ACME = "acme-2019-product-recall"
SECRET = "interface-test-secret"
NUMERIC = {"n", "small", "page", "pages", "pct", "total", "added", "updated", "removed"}
NUMBER = r"\d[\d.,%]*"
# Streamlit's widget defaults, and Vega's English month and day names (where Indonesian
# differs) as time axes print them: 'December', 'Dec 08', 'Mon 08'.
STREAMLIT_DEFAULTS = ("Choose options", "Choose an option", "Select all")
MONTHS = "January|February|March|May|June|July|August|October|December"
DAYS = "Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
VEGA_DEFAULTS = (
    rf"(?:{MONTHS}|{DAYS})(?: \d{{4}})?",
    r"(?:May|Aug|Oct|Dec|Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d{1,2}",
)
# What a page shows that is case content, not interface: the narrative and the citations.
READ_PAGE = """() => {
  const content = [...document.querySelectorAll('.st-key-case_narrative, [data-testid="stCode"]')];
  const shown = content.map(e => e.style.display);
  content.forEach(e => { e.style.display = 'none'; });
  const text = document.body.innerText;
  content.forEach((e, i) => { e.style.display = shown[i]; });
  const all = (selector, read) => [...document.querySelectorAll(selector)].map(read);
  return {
    text: text.split('\\n'),
    placeholder: all('[placeholder]', e => e.getAttribute('placeholder')),
    'table header': all('th[role="columnheader"], thead th', e => e.textContent),
    'chart mark': all('.stVegaLiteChart [role="graphics-symbol"]', e => e.getAttribute('aria-label') || ''),
    'tab title': [document.title],
  };
}"""


def _pattern(template: str) -> tuple[re.Pattern, bool]:
    """A catalogue template as a regular expression, and whether it counts anywhere in a line
    (two words or more, or a number and a word) or only as the whole line."""
    regex, words, numeric = "", 0, False
    for literal, name, _, _ in string.Formatter().parse(template):
        regex += re.escape(literal)
        words += len(re.findall(r"[A-Za-z][\w'-]*", literal))  # 'crisis_types' is one
        if name is not None:
            regex += NUMBER if name in NUMERIC else ".+?"
            numeric = numeric or name in NUMERIC
    anywhere = words >= 2 or (numeric and words >= 1)
    return re.compile(rf"(?<!\w){regex}(?!\w)" if anywhere else regex), anywhere


def english_interface() -> list[tuple[str, re.Pattern, bool]]:
    """(English text, its pattern, anywhere?) for every English interface string."""
    indonesian = {entry["id"] for entry in STRINGS.values()}
    found = [
        (entry["en"], *_pattern(entry["en"]))
        for entry in STRINGS.values()
        if entry["en"] not in indonesian
    ]
    found += [(text, re.compile(re.escape(text)), True) for text in STREAMLIT_DEFAULTS]
    found += [(regex, re.compile(regex), False) for regex in VEGA_DEFAULTS]
    return found


ENGLISH = english_interface()


def _clean(line: str) -> str:
    return line.strip().strip("\u2190\u2192*:\u2026").strip()


def english_in(lines: list[str]) -> list[str]:
    """The English interface strings found in these lines of a page."""
    found = []
    for line in filter(None, map(_clean, lines)):
        for text, pattern, anywhere in ENGLISH:
            if pattern.search(line) if anywhere else pattern.fullmatch(line):
                found.append(f"{text!r} in {line[:100]!r}")
    return found


def _mark_titles(descriptions: list[str]) -> list[str]:
    """The titles in chart marks' descriptions ('Hasil: Pulih; Kasus: 2')."""
    return [m for d in descriptions for m in re.findall(r"(?:^|; )([^:;]+): ", d)]


def english_on(page) -> list[str]:
    """Every English interface string the page shows, with where it shows it. A raw field
    name as a chart's title or a table's header ('row', 'publisher') is a title nobody
    translated."""
    seen = page.evaluate(READ_PAGE)
    seen["chart mark"] = _mark_titles(seen["chart mark"])
    found = [f"{where}: {hit}" for where, lines in seen.items() for hit in english_in(lines)]
    found += [
        f"{where}: field {title!r}"
        for where in ("chart mark", "table header")
        for title in seen[where]
        if re.fullmatch(r"[a-z_]+", title)
    ]
    return list(dict.fromkeys(found))


class Walk:
    """One session's walk through the app: what each page read shows in English, by page."""

    def __init__(self, page):
        self.page, self.read, self.found = page, [], []

    def check(self, name: str) -> None:
        """Read the page as it is now (the app's run finished) under ``name``."""
        settle(self.page)
        self.read.append(name)
        self.found += [f"{name}: {hit}" for hit in english_on(self.page)]

    def assert_no_english(self) -> None:
        assert not self.found, "English left with lang=id, by page:\n" + "\n".join(self.found)


# -- the app, over a git repository (so the case page has its history) -----------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, _archives, request: pytest.FixtureRequest):
    """The app (editor on) over the source cases and fixtures in git, Target in 2 versions
    (its outcome edited, not its title or narrative: their names come from the session's
    entity cache, so that the app starts without spaCy)."""
    from .test_history import CASE, edit

    engine = request.config.getoption("--engine") or DEFAULT_ENGINE
    base = tmp_path_factory.mktemp("interface-id")
    root = base / "project"
    copy_cases(*SOURCE_CASES, FIXTURES / "good", dest=root / "cases")
    (root / ".gitignore").write_text(".archive/\naudit.log\nstreamlit.log\n")
    share_entity_cache([_archives.get("source", engine).index_dir], root / ".archive")
    with pytest.MonkeyPatch.context() as env:
        (base / "home").mkdir()
        env.setenv("HOME", str(base / "home"))
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        env.setenv("ARCHIVE_EDITOR_SECRET", SECRET)
        env.setenv("ARCHIVE_ENGINE", engine)
        for args in (["init", "-q", "-b", "main"], ["config", "user.name", "Repo Owner"],
                     ["config", "user.email", "owner@example.org"], ["add", "."],
                     ["commit", "-q", "-m", "the first cases"]):  # fmt: skip
            _git(root, *args)
        assert CASE == TARGET
        edit(root, "Target stayed in business", "Target remained in business", "Siti Rahma",
             "word choice")  # fmt: skip
        yield from _serve(root / "cases", root / ".archive")


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory):
    yield from chromium(tmp_path_factory.mktemp("profile"))


@pytest.fixture
def page(context):
    """A new tab: a new session of the app."""
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    tab.close()


def _nav(walk: Walk, url: str, ready: str) -> None:
    """Follow the navigation's link to ``url`` until ``ready`` (a selector) shows; the page
    must keep the language, though the navigation's links carry no query."""
    walk.page.locator(f'[data-testid="stSidebarNav"] a[href="{url}"]').click()
    walk.page.locator(ready).first.wait_for()
    if "lang=id" not in walk.page.url:
        walk.found.append(f"{url}: the navigation dropped the language ({walk.page.url})")


def _open_history(page) -> None:
    """Open the case page's History (found by its content, whatever its language)."""
    history = page.locator('[data-testid="stExpander"]', has=page.locator(".st-key-hist_a"))
    history.locator("summary").click()


# -- the pages ------------------------------------------------------------------------------


def test_a_reader_walks_search_compare_and_a_case_in_indonesian(site: str, page, tmp_path):
    walk = Walk(page)
    page.goto(f"{site}/?lang=id&q=kettles&outcome=recovered&sel={TARGET}&sel={ACME}")
    page.get_by_text(t("no_results", "id")).wait_for()
    walk.check("search, no results")
    outcome = t("outcome", "id").lower()
    page.get_by_role("button", name=t("drop_filter", "id", facet=outcome, n=1)).click()
    page.get_by_text(t("results", "id", n=1), exact=True).wait_for()
    settle(page)
    page.locator(".st-key-f_outcome").click()  # the dropdown open: its options and defaults
    page.get_by_role("option").first.wait_for()
    walk.check("search, a filter open")
    page.keyboard.press("Escape")

    csv_file = tmp_path / "results.csv"
    download(page, page.get_by_role("button", name=t("download_csv", "id"))).save_as(csv_file)
    header = next(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    if header != csv_header("id"):
        walk.found.append(f"CSV header: {header} (English: {english_in(header)})")

    page.get_by_role("link", name=t("compare", "id"), exact=True).click()
    page.get_by_text(t("compare_title", "id")).first.wait_for()
    page.locator(".stVegaLiteChart svg").first.wait_for()
    walk.check("compare")
    page.get_by_role("link", name="1. Target's 2013 holiday card data breach").click()
    page.locator(".stVegaLiteChart svg").first.wait_for()
    _open_history(page)
    page.locator(".st-key-hist_a").wait_for()
    walk.check("case, with its history")
    walk.assert_no_english()


def test_an_editor_walks_every_page_of_the_navigation_in_indonesian(site: str, page):
    """Signed in, then through the navigation's links (which carry no language) to every
    page, and to a case's history with its restore form."""
    walk = Walk(page)
    page.goto(f"{site}/editor?lang=id")
    page.get_by_role("button", name=t("editor_sign_in", "id")).wait_for()
    walk.check("editor, sign-in")
    page.locator(".st-key-editor_secret_input input").fill(SECRET)
    page.get_by_role("button", name=t("editor_sign_in", "id")).click()
    page.get_by_text(t("draft_start", "id")).wait_for()
    page.locator(".st-key-ed_table_statements").scroll_into_view_if_needed()  # grids draw
    page.locator(".st-key-ed_table_statements th").first.wait_for(state="attached")  # when seen
    walk.check("editor, new case")
    page.get_by_text(t("editor_edit", "id"), exact=True).click()
    page.locator(".st-key-ed_pick").wait_for()
    walk.check("editor, edit a case")

    _nav(walk, f"{site}/insights", ".stVegaLiteChart svg >> nth=2")
    for expander in page.get_by_text(t("as_table", "id")).all():
        expander.click()
    page.locator('th[role="columnheader"]').first.wait_for(state="attached")
    walk.check("insights")
    _nav(walk, f"{site}/glossary", '[data-testid="stExpander"]')
    walk.check("glossary")
    _nav(walk, f"{site}/precedents", ".st-key-fp_text textarea")
    page.locator(".st-key-fp_text textarea").fill("data nasabah bocor, kementerian bertanya")
    page.get_by_role("button", name=t("finder_submit", "id")).click()
    page.locator('[class*="st-key-fsel_"]').first.wait_for()
    page.get_by_text(t("finder_how", "id")).click()  # the weights explained, opened
    settle(page)
    walk.check("precedents")
    _nav(walk, f"{site}/", ".st-key-q")
    walk.check("search, every case")
    page.get_by_role("link", name="Target's 2013 holiday card data breach").first.click()
    _open_history(page)
    page.locator(".st-key-hist_restore").wait_for()
    walk.check("case, history with restore")
    assert len(walk.read) == 8
    walk.assert_no_english()


def test_the_csv_header_is_the_field_names_in_english_and_labels_in_indonesian():
    assert csv_header("en") == CSV_COLUMNS  # what scripts reading the export expect
    labels = csv_header("id")
    assert len(set(labels)) == len(labels) == len(CSV_COLUMNS)
    assert [c for c, label in zip(CSV_COLUMNS, labels, strict=True) if c == label] == ["id"]
    assert english_in(labels) == []


def test_the_session_keeps_the_language_last_chosen(archive, monkeypatch):
    """Opened in Indonesian, then switched to English on the search page: the session now
    remembers English (what a page reached without a language in its URL is shown in), and
    the URL names no language."""
    from streamlit.testing.v1 import AppTest

    from archive.ui import state

    from .conftest import ROOT

    monkeypatch.setenv("ARCHIVE_CASES_DIR", str(archive.cases_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(archive.index_dir))
    state._open.clear()  # cache_resource is shared by AppTests of one process
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["lang"] = "id"
    at.run()
    assert at.session_state[state.SESSION_LANG] == "id" and not at.exception
    at.radio(key="lang").set_value("en").run()
    assert at.session_state[state.SESSION_LANG] == "en" and "lang" not in at.query_params
    assert at.title[0].value == t("app_title", "en")
    state._open.clear()
