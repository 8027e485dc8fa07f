"""Search page: query, filters with disjunctive counts, results, pages, exports.

Every widget's value is mirrored into the URL (``st.query_params``), so a copied link
reproduces the view; on a new session the widgets start from the URL.
"""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from archive.export import hits_to_csv, hits_to_json
from archive.fields import ENTITY_FACETS as ENTITY_FACET_OF
from archive.search import SORTS, Archive, SearchRequest, SearchResponse
from archive.strings import t
from archive.taxonomy import load_taxonomy
from archive.ui import pages
from archive.ui.language import many_choices, one_choice
from archive.ui.render import OUTCOME_COLOURS, badge, inert, marked_snippet
from archive.ui.selection import selection_bar, toggle
from archive.ui.state import (
    FILTER_FACETS,
    MAX_SELECTED,
    ViewState,
    current_state,
    get_archive,
    set_params,
    tactic_label,
    value_label,
)

ENTITY_FACETS = tuple(ENTITY_FACET_OF.values())
ENTITY_OPTIONS = 100  # names offered per entity facet: the most frequent in the results


def _seed(key: str, value) -> None:
    # Widgets take their first value from the URL; afterwards the user owns them.
    if key not in st.session_state:
        st.session_state[key] = value


def _search_key(state: ViewState) -> tuple:
    return (state.query, tuple(sorted((k, tuple(v)) for k, v in state.filters.items())),
            state.year_from, state.year_to, state.sort)  # fmt: skip


def render() -> None:
    """The search page: the query, filters and sort from the URL, the results, exports."""
    url = current_state()
    _seed("lang", url.lang)
    lang = st.session_state["lang"]
    # The heading first: elements are sent as they are made, so a new visitor sees the page
    # before the search has run.
    st.title(t("app_title", lang))
    st.caption(t("tagline", lang))
    archive = get_archive(lang)
    coverage = archive.coverage()
    years = sorted(int(y) for y in coverage.counts["year"]) or [2000]
    lo, hi = years[0], years[-1]
    state = _view_state(url, lang, lo, hi)
    response = archive.search(state.request())
    if state.page > response.pages:
        state.page = st.session_state["page"] = response.pages
        response = archive.search(state.request())
    set_params(state)

    _sidebar(response, coverage.counts, lang, lo, hi)
    st.text_input(t("search", lang), key="q", placeholder=t("query_placeholder", lang))
    if response.notice:
        st.info(response.notice_in(lang))
    if response.corrected:
        st.markdown(_corrected_line(state, response.corrected, lang), unsafe_allow_html=True)
    elif response.suggestion:
        st.button(
            f"{t('did_you_mean', lang)}: {response.suggestion}",
            key="suggestion",
            on_click=lambda s=response.suggestion: st.session_state.update(q=s),
        )
    head, sort_col = st.columns([3, 1])
    head.subheader(t("results", lang, n=response.total))
    if response.near:
        head.caption(t("near_results", lang, n=response.near))
    sort_col.selectbox(
        t("sort", lang),
        SORTS,
        key="sort",
        format_func=lambda s: t(f"sort_{s}", lang),
        **one_choice(lang),
    )
    if state.selected:
        selection_bar(archive, state, lang, key="search")
    if response.total == 0:
        _empty_state(archive, state, lang, (lo, hi))
    for hit in response.hits:
        _result(hit, state, lang)
    _pager(response, lang)
    _exports(archive, state, response, lang)


def _corrected_line(state: ViewState, corrected: str, lang: str) -> str:
    """The line "Showing results for *chicken*; search instead for *chiken*" as HTML: both are
    links in the same tab (Markdown links open a new one), the second to the words as typed
    (``exact``). The queries are escaped; nothing else of the page is HTML."""
    run = replace(state, query=corrected, page=1, exact=False).url(pages.SEARCH_HREF)
    typed = replace(state, page=1, exact=True).url(pages.SEARCH_HREF)

    def link(href: str, text: str) -> str:
        return f'<a href="{html.escape(href)}" target="_self"><em>{html.escape(text)}</em></a>'

    return t(
        "showing_results_for", lang, corrected=link(run, corrected), typed=link(typed, state.query)
    )


def _view_state(url: ViewState, lang: str, lo: int, hi: int) -> ViewState:
    """The widgets seeded from the URL on a session's first run, read back as a view state
    (a new search starts on page 1; a page change keeps the search)."""
    _seed("q", url.query)
    for facet in FILTER_FACETS:
        _seed(f"f_{facet}", list(url.filters.get(facet, [])))
    _seed("years", (max(lo, url.year_from or lo), min(hi, url.year_to or hi)))
    _seed("sort", url.sort)
    _seed("page", url.page)
    _seed("selected", list(url.selected))
    _seed("exact_q", url.query if url.exact else None)  # the query to search as typed
    # Keep the range inside the archive's years (a case added meanwhile may widen them).
    y_from, y_to = st.session_state["years"]
    y_from, y_to = min(max(lo, y_from), hi), max(min(hi, y_to), lo)
    st.session_state["years"] = (y_from, y_to)
    state = ViewState(
        query=st.session_state["q"].strip(),
        filters={
            f: list(st.session_state[f"f_{f}"]) for f in FILTER_FACETS if st.session_state[f"f_{f}"]
        },
        year_from=y_from if y_from > lo else None,
        year_to=y_to if y_to < hi else None,
        sort=st.session_state["sort"],
        lang=lang,
        selected=list(st.session_state["selected"]),
    )
    state.exact = bool(state.query) and state.query == st.session_state["exact_q"]
    if st.session_state.get("_last_search") not in (None, _search_key(state)):
        st.session_state["page"] = 1
    st.session_state["_last_search"] = _search_key(state)
    state.page = st.session_state["page"]
    return state


def _sidebar(
    response: SearchResponse, all_values: dict[str, dict[str, int]], lang: str, lo: int, hi: int
) -> None:
    with st.sidebar:
        st.radio(
            t("interface_language", lang),
            ["en", "id"],
            key="lang",
            horizontal=True,
            format_func=lambda v: t(f"interface_language_{v}", v),
        )
        st.header(t("filters", lang))
        for facet in FILTER_FACETS:
            if facet in ENTITY_FACETS:
                # Thousands of names in a large archive: offer the most frequent in the
                # current results (any name can still be searched with entity:"...").
                shown = response.facets.top(facet, ENTITY_OPTIONS)
                values = [v.value for v in shown]
            else:
                # Options stay the same whatever the query (stable widgets).
                values = list(all_values.get(facet, {}))
            options = sorted(values, key=lambda v, f=facet: value_label(f, v, lang).casefold())
            for value in st.session_state[f"f_{facet}"]:
                if value not in options:
                    options.append(value)
            label_of = (
                tactic_label if facet == "tactics" else lambda v, lg, f=facet: value_label(f, v, lg)
            )
            st.multiselect(
                t(facet, lang),
                options,
                key=f"f_{facet}",
                format_func=lambda v, f=facet, lf=label_of: (
                    f"{lf(v, lang)} ({response.facets.count(f, v)})"
                ),
                **many_choices(lang),
            )
        if lo < hi:
            st.slider(t("years", lang), lo, hi, key="years")
        st.page_link(
            pages.glossary(),
            label=t("glossary", lang),
            query_params={"lang": lang} if lang != "en" else None,
        )


def _result(hit, state: ViewState, lang: str) -> None:
    tax = load_taxonomy()
    with st.container(border=True):
        st.page_link(
            pages.case(),
            label=f"**{inert(hit.title)}**",
            query_params={"id": hit.id, **state.to_params()},
        )
        outcome = badge(
            tax.label("outcomes", hit.outcome, lang), OUTCOME_COLOURS.get(hit.outcome, "gray")
        )
        st.markdown(f"{inert(hit.subject)} · {hit.year} · {outcome}")
        chips = [badge(tax.label("crisis_types", c, lang), "violet") for c in hit.crisis_types]
        chips += [badge(tactic_label(c, lang), "blue") for c in hit.tactics]
        st.markdown(" ".join(chips))
        for snippet in hit.snippets[:1]:
            st.markdown(marked_snippet(snippet))
        if hit.missing:
            words = ", ".join(f"~~{inert(w)}~~" for w in hit.missing)
            st.caption(t("missing_words", lang, words=words))
        key = f"sel_{hit.id}"
        st.session_state[key] = hit.id in state.selected  # the selection owns the box
        st.checkbox(
            t("select_case", lang),
            key=key,
            on_change=toggle,
            args=(hit.id, key),
            disabled=hit.id not in state.selected and len(state.selected) >= MAX_SELECTED,
        )


def _empty_state(
    archive: Archive, state: ViewState, lang: str, full_range: tuple[int, int]
) -> None:
    st.warning(t("no_results", lang))
    shown = False
    for facet in state.filters:
        without = {k: v for k, v in state.filters.items() if k != facet}
        n = archive.search(
            SearchRequest(state.query, without, state.year_from, state.year_to, per_page=0)
        ).total
        if n:
            shown = True
            st.button(
                t("drop_filter", lang, facet=t(facet, lang).lower(), n=n),
                key=f"drop_{facet}",
                on_click=lambda f=facet: st.session_state.update({f"f_{f}": []}),
            )
    if state.year_from is not None or state.year_to is not None:
        n = archive.search(SearchRequest(state.query, state.filters, per_page=0)).total
        if n:
            shown = True
            st.button(
                t("drop_filter", lang, facet=t("year", lang).lower(), n=n),
                key="drop_years",
                on_click=lambda: st.session_state.update(years=full_range),
            )
    if not shown:
        st.caption(t("try_fewer_words", lang))


def _pager(response: SearchResponse, lang: str) -> None:
    if response.pages <= 1:
        return
    page = st.session_state["page"]
    left, middle, right = st.columns([1, 2, 1])
    left.button(
        t("previous", lang),
        key="prev",
        disabled=page <= 1,
        on_click=lambda: st.session_state.update(page=page - 1),
    )
    middle.caption(t("page_of", lang, page=page, pages=response.pages))
    right.button(
        t("next", lang),
        key="next",
        disabled=page >= response.pages,
        on_click=lambda: st.session_state.update(page=page + 1),
    )


def _exports(archive: Archive, state: ViewState, response: SearchResponse, lang: str) -> None:
    if not response.total:
        return
    request = state.request()
    if response.corrected:  # the files hold the results shown
        request = replace(request, query=response.corrected, correct=False)
    st.caption(t("exports", lang))
    left, right = st.columns(2)
    # Deferred: the files are built only when a button is clicked, from all the results.
    left.download_button(
        t("download_csv", lang),
        lambda: hits_to_csv(archive.all_matches(request), lang),
        "comeback-cases.csv",
        "text/csv",
        key="csv",
    )
    right.download_button(
        t("download_json", lang),
        lambda: hits_to_json(archive.all_matches(request)),
        "comeback-cases.json",
        "application/json",
        key="json",
    )
