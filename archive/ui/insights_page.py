"""Insights page: what the archive's cases say together. Every number shows how many cases
stand behind it, and every cell or bar opens the search that lists those cases."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from archive.insights import (
    THIN_BELOW,
    Matrix,
    crisis_types_over_time,
    family_outcome_matrix,
    response_times_by_outcome,
    tactic_outcome_matrix,
)
from archive.strings import t
from archive.taxonomy import load_taxonomy
from archive.ui import pages
from archive.ui.language import localised
from archive.ui.state import ViewState, current_state, get_archive, tactic_label

SMALL = THIN_BELOW  # shares from fewer decided cases than this are marked as thin


def search_url(lang: str, **kwargs) -> str:
    """The search page listing the cases behind a number."""
    return ViewState(lang=lang, **kwargs).url(pages.SEARCH_HREF)


def render() -> None:
    """The insights page: tactics and families by outcome, crisis types over time,
    response times by outcome; every number links to the cases behind it."""
    state = current_state()
    lang = state.lang
    archive = get_archive(lang)
    cases = archive.all_cases()
    st.title(t("insights_title", lang))
    st.caption(t("insights_caption", lang, n=len(cases), small=SMALL))
    if not cases:
        return
    tax = load_taxonomy()

    st.subheader(t("tactic_by_outcome", lang))
    matrix = tactic_outcome_matrix(cases, tax)
    _matrix_chart(matrix, lambda k: tactic_label(k, lang), lang)
    _matrix_table(matrix, lambda k: tactic_label(k, lang), lang, "tactics")

    st.subheader(t("family_by_outcome", lang))
    families = family_outcome_matrix(cases, tax)
    _matrix_chart(families, lambda k: tax.label("families", k, lang), lang)
    _matrix_table(families, lambda k: tax.label("families", k, lang), lang, "family")

    _types_over_time(cases, tax, lang)
    _response_times(cases, tax, lang)


def _types_over_time(cases, tax, lang: str) -> None:
    """Crisis types per five-year period, each bar linking to its search."""
    st.subheader(t("crisis_types_over_time", lang))
    rows = [
        {
            "period": f"{p.start}-{p.end}",
            "type": tax.label("crisis_types", ct, lang),
            "cases": n,
            "url": search_url(lang, filters={"crisis_types": [ct]}, year_from=p.start,
                              year_to=p.end),
        }
        for p in crisis_types_over_time(cases, 5, tax)
        for ct, n in p.counts.items()
    ]  # fmt: skip
    if rows:
        chart = (
            alt.Chart(pd.DataFrame(rows))
            .mark_bar()
            .encode(
                x=alt.X("period:O", title=t("period", lang)),
                y=alt.Y("cases:Q", title=t("cases", lang)),
                color=alt.Color("type:N", title=t("crisis_types", lang)),
                href=alt.Href("url:N", title=t("chart_link", lang)),
                tooltip=[
                    alt.Tooltip("period:O", title=t("period", lang)),
                    alt.Tooltip("type:N", title=t("crisis_types", lang)),
                    alt.Tooltip("cases:Q", title=t("cases", lang)),
                ],
            )
        )
        st.altair_chart(localised(chart, lang), width="stretch")


def _response_times(cases, tax, lang: str) -> None:
    """Days to the first statement and the apology, by outcome, with links to the cases."""
    st.subheader(t("response_times_by_outcome", lang))
    timing_rows = []
    for timing in response_times_by_outcome(cases, tax):
        timing_rows.append({
            t("measure", lang): t(f"days_{timing.measure}", lang),
            t("outcome", lang): tax.label("outcomes", timing.outcome, lang),
            t("cases_with_event", lang): len(timing.days),
            t("cases_without_event", lang): timing.without,
            t("median_days", lang): timing.median,
            t("all_days", lang): ", ".join(map(str, timing.days)),
            t("open_search", lang): search_url(lang, filters={"outcome": [timing.outcome]}),
        })  # fmt: skip
    st.dataframe(
        pd.DataFrame(timing_rows),
        hide_index=True,
        column_config={
            t("open_search", lang): st.column_config.LinkColumn(display_text=t("open", lang))
        },
    )


def _matrix_chart(matrix: Matrix, label, lang: str) -> None:
    tax = load_taxonomy()
    # Each row says how many cases stand behind it and the share of its ended cases that
    # recovered: 'Apology (rebuild) · n=4 · 67% recovered' (* when fewer than SMALL ended).
    names = {r.key: f"{label(r.key)} · n={r.cases} · {_share(r, lang)}" for r in matrix.rows}
    order = [names[r.key] for r in matrix.rows]
    data = pd.DataFrame(
        {
            "row": names[cell.row],
            "outcome": tax.label("outcomes", cell.outcome, lang),
            "cases": cell.count,
            "of": matrix.row(cell.row).cases,
            "url": search_url(lang, filters=cell.filters),
        }
        for cell in matrix.cells.values()
    )
    outcomes = [tax.label("outcomes", o, lang) for o in matrix.outcomes]
    base = alt.Chart(data).encode(
        x=alt.X(
            "outcome:N",
            sort=outcomes,
            title=t("outcome", lang),
            axis=alt.Axis(orient="top", labelAngle=0),
        ),
        # The row's title names it in the marks' descriptions; the axis shows none.
        y=alt.Y("row:N", sort=order, title=t("row", lang),
                axis=alt.Axis(labelLimit=280, title=None)),
        href=alt.Href("url:N", title=t("chart_link", lang)),
    )  # fmt: skip
    cells = base.mark_rect().encode(
        color=alt.Color("cases:Q", scale=alt.Scale(scheme="blues"), title=t("cases", lang)),
        tooltip=[
            alt.Tooltip("row:N", title=t("row", lang)),
            alt.Tooltip("outcome:N", title=t("outcome", lang)),
            alt.Tooltip("cases:Q", title=t("cases", lang)),
            alt.Tooltip("of:Q", title=t("chart_row_cases", lang)),
        ],
    )
    counts = base.mark_text().encode(text=alt.Text("cases:Q", title=t("cases", lang)))
    # One 24-pixel band per row, so that every label shows.
    chart = (cells + counts).properties(height=alt.Step(24))
    st.altair_chart(localised(chart, lang), width="stretch")


def _share(row, lang: str) -> str:
    share = row.share_recovered
    if share is None:
        return t("none_ended", lang)
    return t("recovered_pct", lang, pct=f"{share:.0%}") + (" *" if row.decided < SMALL else "")


def _matrix_table(matrix: Matrix, label, lang: str, facet: str) -> None:
    rows = []
    for r in matrix.rows:
        share = r.share_recovered
        shown = "-" if share is None else f"{share:.0%} ({r.recovered}/{r.decided})"
        if share is not None and r.decided < SMALL:
            shown += " *"
        rows.append({
            t("row", lang): label(r.key),
            t("cases", lang): r.cases,
            t("decided", lang): r.decided,
            t("share_recovered", lang): shown,
            t("open_search", lang): search_url(lang, filters={facet: [r.key]}),
        })  # fmt: skip
    with st.expander(t("as_table", lang)):
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            column_config={
                t("open_search", lang): st.column_config.LinkColumn(display_text=t("open", lang))
            },
        )
        st.caption(t("thin_share", lang, small=SMALL))
