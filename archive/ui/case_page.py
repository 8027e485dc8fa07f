"""Case page: narrative, metadata, timeline chart, entities, sources, similar cases."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from archive.errors import CaseNotFoundError
from archive.fields import ENTITY_FACETS
from archive.model import date_start, response_times
from archive.precedents import responsibility_label
from archive.strings import t
from archive.taxonomy import country_name, load_taxonomy
from archive.ui import history_view, pages
from archive.ui.briefs import citation_blocks
from archive.ui.language import localised
from archive.ui.render import OUTCOME_COLOURS, badge, inert, safe_markdown
from archive.ui.state import current_state, get_archive, tactic_label

ENTITY_FACET = ENTITY_FACETS


def render() -> None:
    """A case's page: its facts, narrative, timeline, names, lessons, sources, history and
    similar cases."""
    state = current_state()
    lang = state.lang
    case_id = st.query_params.get("id", "")
    archive = get_archive(lang)
    back = state.to_params()
    st.page_link(
        pages.search(), label=f"\u2190 {t('back_to_search', lang)}", query_params=back or None
    )
    try:
        view = archive.get(case_id)
    except CaseNotFoundError as exc:
        hint = t("no_case_suggestion", lang, id=exc.suggestion) if exc.suggestion else ""
        st.error(f"{t('no_case', lang, id=case_id)} {hint}".strip())
        return
    case = view.case
    tax = load_taxonomy()
    st.title(case.title)
    outcome = badge(
        tax.label("outcomes", case.outcome, lang), OUTCOME_COLOURS.get(case.outcome, "gray")
    )
    st.markdown(f"**{inert(case.subject)}** · {case.crisis_date} · {outcome}")

    main, side = st.columns([2, 1])
    with side, st.container(border=True):
        _facts(case, tax, lang)
    with main, st.container(key="case_narrative"):
        st.markdown(safe_markdown(case.body))

    _timeline(case, lang)
    _entities(view.entities, lang)
    if case.lessons:
        st.subheader(t("lessons", lang))
        for lesson in case.lessons:
            st.markdown(f"- {inert(lesson)}")
    st.subheader(t("sources", lang))
    citation_blocks(case, lang)
    history_view.render(case.id, Path(view.path), lang)
    similar = archive.similar(case.id, limit=4)
    if similar:
        st.subheader(t("similar", lang))
        for hit in similar:
            st.page_link(pages.case(), label=hit.title, query_params={"id": hit.id, **back})


def _facts(case, tax, lang: str) -> None:
    """The case's facts box: its taxonomy labels, dates, responsibility, status, evidence."""
    rows = [
        (
            t("crisis_types", lang),
            ", ".join(tax.label("crisis_types", c, lang) for c in case.crisis_types),
        ),
        (t("tactics", lang), ", ".join(tactic_label(x, lang) for x in case.tactics)),
        (t("outcome", lang), tax.label("outcomes", case.outcome, lang)),
        (t("sector", lang), tax.label("sectors", case.sector, lang) if case.sector else "-"),
        (t("countries", lang), ", ".join(country_name(c, lang) for c in case.countries) or "-"),
        (t("crisis_date", lang), case.crisis_date),
        (t("responsibility", lang), responsibility_label(case, lang)),
        (t("status", lang), t(f"status_{case.status}", lang)),
    ]
    for label, value in rows:
        st.markdown(f"**{inert(label)}**  \n{inert(value)}")
    if case.outcome_summary:
        st.markdown(f"**{t('outcome_evidence', lang)}**  \n{inert(case.outcome_summary)}")


def _timeline(case, lang: str) -> None:
    st.subheader(t("timeline", lang))
    times = response_times(case)
    cols = st.columns(3)
    for col, key in zip(cols, ("first_statement", "first_apology", "first_fix"), strict=True):
        days = times[key]
        col.metric(t(f"days_{key}", lang), days if days is not None else t("none_recorded", lang))
    if not case.timeline:
        return
    tax = load_taxonomy()
    rows = [
        {
            "date": date_start(e.date).isoformat(),
            "when": e.date,
            "event": e.event,
            "tactic": tactic_label(e.tactic, lang) if e.tactic else t("event", lang),
            "channel": tax.label("channels", e.channel, lang) if e.channel else "-",
        }
        for e in case.timeline
    ]
    data = pd.DataFrame(rows)
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=t("date", lang)),
        y=alt.Y("tactic:N", title=t("tactic", lang), sort=None, axis=alt.Axis(labelLimit=260)),
        tooltip=[
            alt.Tooltip("when:N", title=t("date", lang)),
            alt.Tooltip("event:N", title=t("event", lang)),
            alt.Tooltip("tactic:N", title=t("tactic", lang)),
            alt.Tooltip("channel:N", title=t("channel", lang)),
        ],
    )
    points = base.mark_point(size=120, filled=True).encode(
        color=alt.Color("channel:N", title=t("channel", lang))
    )
    crisis = (
        alt.Chart(pd.DataFrame({"date": [date_start(case.crisis_date).isoformat()]}))
        .mark_rule(color="red", strokeDash=[4, 4])
        .encode(x=alt.X("date:T", title=t("date", lang)))
    )
    st.altair_chart(localised(points + crisis, lang), width="stretch")


def _entities(entities, lang: str) -> None:
    shown = [e for e in entities if e.kind in ENTITY_FACET]
    if not shown:
        return
    st.subheader(t("entities", lang))
    cols = st.columns(3)
    for col, kind in zip(cols, ("person", "organization", "place"), strict=True):
        facet = ENTITY_FACET[kind]
        col.markdown(f"**{t(facet, lang)}**")
        for e in [x for x in shown if x.kind == kind][:15]:
            params = {facet: e.name} if lang == "en" else {facet: e.name, "lang": lang}
            col.page_link(pages.search(), label=e.name, query_params=params)
