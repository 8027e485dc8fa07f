"""Find precedents: a consultant describes a client's situation and gets every case ranked by
closeness (archive/finder.py), each with its reasons, what the closest cases did by outcome,
and the cases to pick for compare and the brief. The situation lives in the URL (``s``,
``crisis``, ``sector``, ``country``, ``kind``, ``resp``), so a link reproduces it."""

from __future__ import annotations

import streamlit as st

from archive.finder import (
    CLUSTERS,
    FACET_OF,
    FIELDS,
    GRADES,
    SUBJECT_KINDS,
    TOP_CASES,
    WEIGHTS,
    FinderError,
    Finding,
    Situation,
    find,
)
from archive.strings import t
from archive.taxonomy import load_taxonomy
from archive.ui import pages
from archive.ui.language import one_choice
from archive.ui.render import OUTCOME_COLOURS, badge, inert
from archive.ui.selection import selection_bar, toggle
from archive.ui.state import ViewState, current_state, get_archive, set_params, value_label

PARAM = {"text": "s", "crisis_type": "crisis", "sector": "sector", "country": "country",
         "subject_kind": "kind", "responsibility": "resp"}  # fmt: skip
LIMIT = 10
MAX_CHARS = 2000  # a situation's description, kept in the URL: a few paragraphs at most


def _options(archive, field: str, lang: str) -> list[str]:
    """The values offered for a field ("" first: not given), by their labels."""
    tax = load_taxonomy()
    values = {
        "crisis_type": lambda: tax.ids("crisis_types"),
        "sector": lambda: tax.ids("sectors"),
        "country": lambda: archive.coverage().counts["countries"],
        "subject_kind": lambda: SUBJECT_KINDS,
        "responsibility": lambda: CLUSTERS,
    }[field]()
    ordered = (
        values
        if field == "responsibility"
        else sorted(values, key=lambda v: _label(field, v, lang))
    )
    return ["", *ordered]


def _label(field: str, value: str, lang: str) -> str:
    return value_label(FACET_OF[field], value, lang) if value else t("finder_any", lang)


def _seed(url: dict[str, str], archive, lang: str) -> None:
    """The form's widgets start from the URL once per session."""
    if "fp_text" in st.session_state:
        return
    st.session_state["fp_text"] = url.get(PARAM["text"], "")[:MAX_CHARS]
    for field in FIELDS:
        value = url.get(PARAM[field], "")
        st.session_state[f"fp_{field}"] = value if value in _options(archive, field, lang) else ""


def render() -> None:
    """The page: the situation's form, the closest cases with reasons and pick boxes, the
    selection bar, what the closest did, and how the ranking weighs."""
    url = {k: st.query_params.get(k, "") for k in PARAM.values()}
    state = current_state()
    lang = state.lang
    st.title(t("finder_title", lang))
    st.caption(t("finder_caption", lang))
    archive = get_archive(lang)
    _seed(url, archive, lang)
    if "selected" not in st.session_state:
        st.session_state["selected"] = list(state.selected)
    _form(archive, lang)
    situation = Situation(
        st.session_state["fp_text"].strip(),
        **{f: st.session_state[f"fp_{f}"] or None for f in FIELDS},
    )
    view = ViewState(lang=lang, selected=list(st.session_state["selected"]))
    given = {PARAM[f]: v for f, v in situation.given().items()}
    set_params(view, **({PARAM["text"]: situation.text} if situation.text else {}), **given)
    _how_it_ranks(lang)
    if not situation.text and not situation.given():
        st.info(t("finder_start", lang))
        return
    try:
        found = find(archive, situation, limit=LIMIT, top=TOP_CASES)
    except FinderError as exc:
        st.error(str(exc))
        return
    if view.selected:
        selection_bar(archive, view, lang, key="finder")
    if not found.precedents:
        st.warning(t("finder_nothing", lang))
        return
    _results(found, view, lang)
    _what_worked(found, view, lang)


def _form(archive, lang: str) -> None:
    with st.form("finder"):
        st.text_area(
            t("finder_situation", lang),
            key="fp_text",
            placeholder=t("finder_placeholder", lang),
            max_chars=MAX_CHARS,
        )
        cols = st.columns(len(FIELDS))
        for col, field in zip(cols, FIELDS, strict=True):
            col.selectbox(
                t(f"finder_field_{field}", lang),
                _options(archive, field, lang),
                key=f"fp_{field}",
                format_func=lambda v, f=field: _label(f, v, lang),
                **one_choice(lang),
            )
        st.form_submit_button(t("finder_submit", lang), type="primary")


def _results(found: Finding, view: ViewState, lang: str) -> None:
    tax = load_taxonomy()
    st.subheader(t("finder_results", lang, n=len(found.precedents)))
    best = found.precedents[0].score or 1.0
    for p in found.precedents:
        with st.container(border=True):
            st.page_link(pages.case(), label=f"**{inert(p.title)}**",
                         query_params={"id": p.id, **view.to_params()})  # fmt: skip
            outcome = badge(
                tax.label("outcomes", p.outcome, lang), OUTCOME_COLOURS.get(p.outcome, "gray")
            )
            st.markdown(f"{inert(p.subject)} · {p.year} · {outcome}")
            st.progress(
                min(1.0, p.score / best), text=t("finder_score", lang, score=f"{p.score:.2f}")
            )
            chips = [
                badge(
                    r.text(lang, tax),
                    "gray" if r.kind == "words" else "green" if r.grade >= 1 else "orange",
                )
                for r in p.reasons
            ]
            st.markdown(" ".join(chips))
            key = f"fsel_{p.id}"
            st.session_state[key] = p.id in view.selected
            st.checkbox(t("select_case", lang), key=key, on_change=toggle, args=(p.id, key))


def _case_links(ids: list[str], view: ViewState) -> str:
    """The cases as "3: a, b, c", each linked to its page; "0" for none."""
    if not ids:
        return "0"
    return f"{len(ids)}: " + ", ".join(f"[{inert(i)}]({view.url('case', id=i)})" for i in ids)


def _what_worked(found: Finding, view: ViewState, lang: str) -> None:
    """The tactics of the closest cases by outcome, and their response times (thin marked)."""
    tax = load_taxonomy()
    worked = found.what_worked
    st.subheader(t("finder_what_worked", lang, n=len(worked.cases)))
    st.caption(t("finder_what_worked_caption", lang, thin=worked.thin_below))
    rows = [f"| {t('finder_tactic', lang)} | {t('finder_recovered', lang)} | {t('finder_not_recovered', lang)} |",
            "|---|---|---|"]  # fmt: skip
    for r in worked.tactics:
        rows.append(
            f"| {inert(tax.label('tactics', r.tactic, lang))} "
            f"| {_case_links(r.recovered, view)} | {_case_links(r.not_recovered, view)} |"
        )
    st.markdown("\n".join(rows))
    if worked.ongoing:
        st.caption(t("finder_ongoing", lang, cases=", ".join(worked.ongoing)))
    lines = []
    for tm in worked.timings:
        if tm.median is None:
            continue
        thin = f" ({t('thin', lang)})" if len(tm.days) < worked.thin_below else ""
        lines.append(
            f"- {t(f'finder_{tm.measure}', lang)}, {tax.label('outcomes', tm.outcome, lang)}: "
            f"{t('finder_median', lang, days=f'{tm.median:g}', n=len(tm.days))}{thin}"
        )
    if lines:
        st.markdown(f"**{t('finder_times', lang)}**\n\n" + "\n".join(lines))


def _how_it_ranks(lang: str) -> None:
    """The weights and grades, from the finder's own tables."""
    with st.expander(t("finder_how", lang)):
        lines = [t("finder_how_words", lang, w=WEIGHTS["text"])]
        for field in FIELDS:
            near = t(f"finder_how_near_{field}", lang, g=GRADES[field]) if field in GRADES else ""
            lines.append(
                t(
                    "finder_how_field",
                    lang,
                    field=t(f"finder_field_{field}", lang),
                    w=WEIGHTS[field],
                )
                + (f" {near}" if near else "")
            )
        st.markdown("\n".join(f"- {line}" for line in lines))
        st.caption(t("finder_how_caption", lang))
