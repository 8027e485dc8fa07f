"""Compare page: 2-4 picked cases side by side, their timelines aligned on day 0, a brief
of them to download, and their citations to copy."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from archive.errors import CaseNotFoundError
from archive.precedents import MAX_COMPARED, MIN_COMPARED, compare
from archive.strings import t
from archive.ui import pages
from archive.ui.briefs import brief_buttons, citation_blocks
from archive.ui.language import localised
from archive.ui.render import inert
from archive.ui.state import current_state, get_archive

# The timeline's tooltip: each field and the string it is titled by.
TOOLTIP = (("case:N", "case"), ("day:Q", "day_from_crisis"), ("date:N", "date"),
           ("tactic:N", "tactic"), ("channel:N", "channel"), ("event:N", "event"))  # fmt: skip


def render() -> None:
    """The compare page: two to four picked cases side by side, their moves on one time
    axis, the brief downloads and the citations."""
    state = current_state()
    lang = state.lang
    archive = get_archive(lang)
    st.page_link(
        pages.search(),
        label=f"\u2190 {t('back_to_search', lang)}",
        query_params=state.to_params() or None,
    )
    st.title(t("compare_title", lang))
    cases, missing = [], []
    for case_id in state.selected:
        try:
            cases.append(archive.get(case_id).case)
        except CaseNotFoundError:
            missing.append(case_id)
    if missing:
        st.warning(t("unknown_cases", lang, ids=", ".join(missing)))
    if not MIN_COMPARED <= len(cases) <= MAX_COMPARED:
        st.info(t("compare_how_many", lang))
        return
    comparison = compare(cases)
    _table(comparison, cases, state, lang)
    _timeline(comparison, cases, lang)
    cols = st.columns(3)
    brief_buttons(archive, [c.id for c in cases], lang, cols, key="compare")
    st.subheader(t("cite", lang))
    for case in cases:
        with st.expander(case.title):
            citation_blocks(case, lang)


def _table(comparison, cases, state, lang: str) -> None:
    """The cases side by side, one column each, with links to their pages."""
    table = comparison.table(lang)

    # st.table renders Markdown in cells: case text is made inert, list lines joined.
    def cell(text: str) -> str:
        return inert(" · ".join(line.removeprefix("- ") for line in text.splitlines()))

    frame = pd.DataFrame(
        {c.id: [cell(cells[i]) for _, cells in table[1:]] for i, c in enumerate(cases)},
        index=[inert(label) for label, _ in table[1:]],
    )
    for i, case in enumerate(cases, start=1):
        st.page_link(
            pages.case(), label=f"{i}. {inert(case.title)}",
            query_params={"id": case.id, **state.to_params()},
        )  # fmt: skip
    st.table(frame)


def _timeline(comparison, cases, lang: str) -> None:
    """Every case's dated moves on one axis: days from its crisis date."""
    st.subheader(t("compare_timeline", lang))
    rows = pd.DataFrame(comparison.timeline(lang))
    if not rows.empty:
        rows["tactic"] = rows["tactic"].replace("", "-")
        points = (
            alt.Chart(rows)
            .mark_point(size=110, filled=True)
            .encode(
                x=alt.X("day:Q", title=t("day_from_crisis", lang)),
                # Titled for the marks' descriptions; the axis shows none.
                y=alt.Y("case:N", title=t("case", lang), sort=[c.title for c in cases],
                        axis=alt.Axis(labelLimit=320, title=None)),
                color=alt.Color("tactic:N", title=t("tactic", lang)),
                tooltip=[alt.Tooltip(field, title=t(key, lang)) for field, key in TOOLTIP],
            )
        )  # fmt: skip
        zero = alt.Chart(pd.DataFrame({"day": [0]})).mark_rule(color="red", strokeDash=[4, 4])
        zero = zero.encode(x=alt.X("day:Q", title=t("day_from_crisis", lang)))
        st.altair_chart(localised(points + zero, lang), width="stretch")
