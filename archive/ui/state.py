"""The archive shared by the app's sessions, and the view state that lives in the URL."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from archive.brief import MAX_BRIEF_CASES
from archive.fields import FILTER_FACETS, TAXONOMY_FACETS
from archive.index import current_generation, update_index
from archive.locations import locate
from archive.model import SLUG_PATTERN
from archive.search import SORTS, Archive, SearchRequest, open_archive, update_archive
from archive.strings import STRINGS, t
from archive.taxonomy import country_name, load_taxonomy

# Facets offered as filters (year is the slider; status is for editors), from the table.
TAXONOMY_KIND = TAXONOMY_FACETS
PER_PAGE = 10
RECHECK = 2.0  # seconds between two full checks of the case files (update_archive)
MAX_SELECTED = MAX_BRIEF_CASES  # cases picked for a brief (compare takes 2-4 of them)
_ID = re.compile(SLUG_PATTERN)


def data_dirs() -> tuple[Path, Path]:
    """The cases and index folders, by the rule the command line follows too."""
    folders = locate()
    return folders.cases, folders.index


@st.cache_resource(show_spinner=False)
def _open(cases_dir: str, index_dir: str) -> Archive:
    return open_archive(cases_dir, index_dir, update="if-stale")


def open_shared(cases_dir: Path, index_dir: Path) -> Archive:
    """The archive every session of this process shares (``archive.ui.serve`` opens it before
    the server starts)."""
    return _open(str(cases_dir), str(index_dir))


def get_archive(lang: str = "en") -> Archive:
    """The open archive (one per process); a case file changed on disk is picked up here."""
    cases, index = data_dirs()
    reports = []
    if current_generation(index) is None:
        bar = st.progress(0.0, text=t("building_index", lang))
        reports.append(
            update_index(
                cases, index, progress=lambda done, total: bar.progress(done / max(total, 1))
            )
        )
        bar.empty()
    archive = open_shared(cases, index)
    # One stat per case file at most every RECHECK seconds; the folder's mtime every rerun.
    reports.append(update_archive(archive, "if-stale", recheck=RECHECK))
    for report in reports:
        if report is not None and report.changed:
            st.toast(index_updated(report, lang))
        skipped = {p.path for p in report.problems if p.is_error} if report else set()
        if skipped:
            st.toast(t("skipped_files", lang, n=len(skipped)), icon="⚠️")
    return archive


def index_updated(report, lang: str) -> str:
    """What an update of the index changed, for a toast: 'Search index updated: 1 added, ...'."""
    return t("index_updated", lang, added=len(report.added), updated=len(report.updated),
             removed=len(report.removed), total=report.total)  # fmt: skip


# -- URL state -----------------------------------------------------------------------------


@dataclass
class ViewState:
    """What a page shows: query, filters, years, sort, page, language and picked cases;
    it round-trips through the URL, so a copied link reproduces the view."""

    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    lang: str = "en"
    selected: list[str] = field(default_factory=list)  # case ids picked for compare / brief
    exact: bool = False  # search the words as typed: no spelling correction

    def request(self, per_page: int | None = None) -> SearchRequest:
        return SearchRequest(
            self.query,
            filters=self.filters,
            year_from=self.year_from,
            year_to=self.year_to,
            sort=self.sort,
            page=self.page,
            per_page=PER_PAGE if per_page is None else per_page,
            correct=not self.exact,
        )

    def to_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {}
        if self.query:
            params["q"] = self.query
        for facet in FILTER_FACETS:
            if self.filters.get(facet):
                params[facet] = list(self.filters[facet])
        if self.year_from is not None:
            params["from"] = str(self.year_from)
        if self.year_to is not None:
            params["to"] = str(self.year_to)
        if self.sort != "relevance":
            params["sort"] = self.sort
        if self.page > 1:
            params["page"] = str(self.page)
        if self.lang != "en":
            params["lang"] = self.lang
        if self.selected:
            params["sel"] = list(self.selected)
        if self.exact and self.query:
            params["exact"] = "1"
        return params

    def url(self, path: str, **extra: str) -> str:
        """A relative link to a page carrying this state: 'case?id=...&q=...'."""
        params = {**extra, **self.to_params()}
        return f"{path}?{urlencode(params, doseq=True)}" if params else path


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def state_from_params(params: Mapping) -> ViewState:
    """Read a view from query parameters; anything malformed is ignored, never an error."""

    def all_of(key: str) -> list[str]:
        getter = getattr(params, "get_all", None)
        values = getter(key) if getter else params.get(key, [])
        if isinstance(values, str):
            values = [values]
        return [v for v in values if v]

    def one(key: str) -> str | None:
        values = all_of(key)
        return values[0] if values else None

    sort = one("sort") or "relevance"
    lang = one("lang") or "en"
    return ViewState(
        query=one("q") or "",
        filters={f: all_of(f) for f in FILTER_FACETS if all_of(f)},
        year_from=_int(one("from")),
        year_to=_int(one("to")),
        sort=sort if sort in SORTS else "relevance",
        page=max(1, _int(one("page")) or 1),
        lang=lang if lang in ("en", "id") else "en",
        selected=list(dict.fromkeys(v for v in all_of("sel") if _ID.match(v)))[:MAX_SELECTED],
        exact=one("exact") == "1",
    )


# The session's interface language, kept between pages: the navigation's links carry no
# query parameters, so a page reached through them learns the language here.
SESSION_LANG = "interface_lang"
LANG_SWITCH = "lang"  # the search page's language switch (a widget key)


def current_state() -> ViewState:
    """The view the URL describes; without a language in the URL, the session's (which the
    URL then shows, so that a copied link keeps it)."""
    state = state_from_params(st.query_params)
    if "lang" in st.query_params:
        st.session_state[SESSION_LANG] = state.lang
    elif st.session_state.get(SESSION_LANG, "en") != "en":
        state.lang = st.session_state[SESSION_LANG]
        st.query_params["lang"] = state.lang
    return state


def interface_lang() -> str:
    """The language of this run's interface, for what comes before a page's own code (the
    navigation, the tab's title): the search page's switch while the session has it (it may
    have just changed, ahead of the URL), otherwise the URL's or the session's."""
    switch = st.session_state.get(LANG_SWITCH)
    return switch if switch in ("en", "id") else current_state().lang


def set_params(state: ViewState, **extra: str) -> None:
    """Write the view into the URL, so that a copied link reproduces it (and keep its
    language as the session's)."""
    st.session_state[SESSION_LANG] = state.lang
    wanted = {**extra, **state.to_params()}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normal:
        st.query_params.from_dict(wanted)


# -- labels --------------------------------------------------------------------------------


def value_label(facet: str, value: str, lang: str) -> str:
    """A facet value as people read it: a taxonomy label, a country name, or the value."""
    tax = load_taxonomy()
    kind = TAXONOMY_KIND.get(facet)
    if kind:
        return tax.label(kind, value, lang)
    if facet == "countries":
        return country_name(value, lang)  # type: ignore[arg-type]
    if facet in ("subject_kind", "language", "responsibility"):
        key = f"{'case_language' if facet == 'language' else facet}_{value}"
        return t(key, lang) if key in STRINGS else value
    return value


def tactic_label(tactic: str, lang: str) -> str:
    """A tactic with its strategy family, as students learn them: 'Apology (rebuild)'."""
    tax = load_taxonomy()
    label = tax.label("tactics", tactic, lang)
    if tax.has("tactics", tactic):
        family = tax.get("tactics", tactic).family
        if family:
            return f"{label} ({tax.label('families', family, lang).lower()})"
    return label
