"""Editor: "Start from sources". Paste URLs or text, or upload files; the New form opens
pre-filled with the draft, and every suggestion is shown beside its evidence with a tick.

Nothing is written here: ticks change the form's fields; the editor page's validation,
duplicate warning and atomic save do the rest. The drafting itself is archive.intake's.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from archive.intake.draft import Drafter, drafter_for
from archive.intake.extract import (
    SourceProblem,
    article_from_text,
    extract_article,
    read_articles,
)
from archive.intake.fetch import HTML_SUFFIXES, RawSource, SourceError
from archive.intake.learned import fingerprint
from archive.search import Archive
from archive.strings import t
from archive.taxonomy import country_name, load_taxonomy
from archive.ui.render import inert

_URL = re.compile(r"^https?://\S+$")
SHOWN_UNTICKED = 5  # suggestions below the threshold offered per kind, best first
# suggestion kind -> (form field, taxonomy kind or None, many values?)
FIELDS = {
    "crisis_types": ("crisis_types", "crisis_types", True),
    "tactics": ("tactics", "tactics", True),
    "sector": ("sector", "sectors", False),
    "countries": ("countries", None, True),
    "subject_kind": ("subject_kind", None, False),
    "responsibility": ("responsibility", None, False),
}


@st.cache_resource(show_spinner=False, max_entries=2)
def _drafter(index_dir: str, cases_key: str, _cases: tuple) -> Drafter:
    """One drafter per state of the cases (its model is relearned when they change)."""
    return drafter_for(list(_cases), Path(index_dir))


def render(archive: Archive, cases_dir: Path, index_dir: Path, lang: str) -> None:
    """The "Start from sources" box, and the suggestions of a draft once there is one."""
    data = st.session_state.get("ed_draft")
    with st.expander(t("draft_start", lang), expanded=data is None):
        st.text_area(t("draft_paste", lang), key="ed_src_text", height=140,
                     placeholder=t("draft_paste_help", lang))  # fmt: skip
        st.file_uploader(t("draft_upload", lang), type=["html", "htm", "txt", "md"],
                         accept_multiple_files=True, key="ed_src_files")  # fmt: skip
        if st.button(t("draft_go", lang), key="ed_src_go", type="primary"):
            _make_draft(archive, cases_dir, index_dir, lang)
            data = st.session_state.get("ed_draft")
    if data is not None:
        _suggestions(data, lang)


def _make_draft(archive: Archive, cases_dir: Path, index_dir: Path, lang: str) -> None:
    pasted = st.session_state.get("ed_src_text") or ""
    urls = [line.strip() for line in pasted.splitlines() if _URL.match(line.strip())]
    text = "\n".join(line for line in pasted.splitlines() if not _URL.match(line.strip()))
    articles, problems = [], []
    with st.status(t("draft_reading", lang), expanded=True) as status:
        for url in urls:
            status.write(t("draft_fetching", lang, url=inert(url)))
            found, failed = read_articles([url])
            articles += found
            problems += failed
        if text.strip():
            try:
                articles.append(article_from_text(text))
            except SourceError as exc:
                problems.append(SourceProblem(t("draft_pasted", lang), exc.reason))
        for upload in st.session_state.get("ed_src_files") or []:
            kind = "html" if Path(upload.name).suffix.lower() in HTML_SUFFIXES else "text"
            try:
                articles.append(extract_article(RawSource(upload.name, kind, upload.getvalue())))
            except SourceError as exc:
                problems.append(SourceProblem(upload.name, exc.reason))
        for problem in problems:
            status.write(f":orange[{inert(str(problem))}]")
        if not articles:
            status.update(label=t("draft_none", lang), state="error")
            st.error(t("draft_none", lang))
            return
        status.write(t("draft_suggesting", lang))
        cases = tuple(archive.all_cases())
        drafter = _drafter(str(index_dir), fingerprint(cases), cases)
        taken = [p.stem for p in cases_dir.iterdir()]
        draft = drafter.draft(articles, taken=taken)
        status.update(label=t("draft_ready", lang, n=len(articles)), state="complete",
                      expanded=bool(problems))  # fmt: skip
    _apply(draft.to_dict(), [str(p) for p in problems])


def _apply(data: dict, problems: list[str]) -> None:
    """Fill the New form from a draft and tick what the draft chose."""
    for key in [k for k in st.session_state if k.startswith(("ed_acc_", "ed_table_"))]:
        del st.session_state[key]
    case = data["case"]
    state = st.session_state
    state["ed_draft"] = data
    state["ed_draft_problems"] = problems
    for key in ("title", "subject", "subject_kind", "crisis_date", "language", "outcome",
                "outcome_summary", "body", "sector", "responsibility"):  # fmt: skip
        state[f"ed_{key}"] = case.get(key)
    for key in ("crisis_types", "tactics", "countries"):
        state[f"ed_{key}"] = list(case.get(key) or [])
    state["ed_lessons"] = "\n".join(case.get("lessons") or [])
    for kind, (field, _, many) in FIELDS.items():
        chosen = case.get(field) or []
        chosen = chosen if many else [chosen]
        for suggestion in data["suggestions"][kind]:
            state[f"ed_acc_{kind}_{suggestion['id']}"] = suggestion["id"] in chosen
    for i, candidate in enumerate(data["timeline"]):
        state[f"ed_acc_tl_{i}"] = bool(candidate["tactic"] or candidate["channel"])
    for i, entity in enumerate(data["entities"]):
        state[f"ed_acc_en_{i}"] = entity["known"] or entity.get("count", 1) > 1
    state["ed_rows_sources"] = [
        {
            k: source.get(k, "")
            for k in (
                "title",
                "publisher",
                "date",
                "language",
                "url",
                "author",
                "quote",
                "accessed",
            )
        }  # fmt: skip
        for source in case["sources"]
    ]
    _timeline_rows()
    _entity_rows()


def _toggle(kind: str, value: str) -> None:
    """A tick changed: put the value in its form field or take it out."""
    field, _, many = FIELDS[kind]
    state = st.session_state
    ticked = state.get(f"ed_acc_{kind}_{value}", False)
    if many:
        values = [v for v in state.get(f"ed_{field}") or [] if v != value]
        state[f"ed_{field}"] = values + [value] if ticked else values
        return
    if ticked:
        state[f"ed_{field}"] = value
        for s in state["ed_draft"]["suggestions"][kind]:
            if s["id"] != value:
                state[f"ed_acc_{kind}_{s['id']}"] = False
    elif state.get(f"ed_{field}") == value and kind != "subject_kind":
        state[f"ed_{field}"] = None


def _timeline_rows() -> None:
    """The timeline table from the ticked dated sentences (each to be rewritten)."""
    data = st.session_state["ed_draft"]
    st.session_state["ed_rows_timeline"] = [
        {
            "date": c["date"],
            "event": f"TODO: {c['text']}",
            "tactic": c["tactic"] or "",
            "channel": c["channel"] or "",
        }  # fmt: skip
        for i, c in enumerate(data["timeline"])
        if st.session_state.get(f"ed_acc_tl_{i}")
    ]
    st.session_state.pop("ed_table_timeline", None)


def _entity_rows() -> None:
    data = st.session_state["ed_draft"]
    st.session_state["ed_rows_entities"] = [
        {"name": e["name"], "kind": e["kind"], "aliases": ""}
        for i, e in enumerate(data["entities"])
        if st.session_state.get(f"ed_acc_en_{i}")
    ]
    st.session_state.pop("ed_table_entities", None)


def _label(kind: str, value: str, lang: str) -> str:
    tax_kind = FIELDS[kind][1]
    if tax_kind:
        return load_taxonomy().label(tax_kind, value, lang)
    if kind == "countries":
        return f"{country_name(value, lang)} ({value})"
    if kind in ("subject_kind", "responsibility"):
        return t(f"{kind}_{value}", lang)
    return value


def _suggestions(data: dict, lang: str) -> None:
    st.subheader(t("draft_suggestions", lang))
    st.caption(t("draft_suggestions_help", lang))
    for problem in st.session_state.get("ed_draft_problems") or []:
        st.warning(inert(problem))
    for dup in data["duplicates"]:
        st.warning(t("draft_duplicate", lang, id=dup["id"], title=inert(dup["title"]),
                     reason=inert(dup["reason"])))  # fmt: skip
    columns = st.columns(3)
    for n, kind in enumerate(FIELDS):
        with columns[n % 3]:
            st.markdown(f"**{t(kind, lang)}**")
            if not data["suggestions"][kind]:
                st.caption("-")
            chosen = [
                s
                for s in data["suggestions"][kind]
                if st.session_state.get(f"ed_acc_{kind}_{s['id']}")
            ]
            others = [s for s in data["suggestions"][kind] if s not in chosen][:SHOWN_UNTICKED]
            for s in chosen + others:
                st.checkbox(f"{_label(kind, s['id'], lang)} · {s['score']:.2f}",
                            key=f"ed_acc_{kind}_{s['id']}", on_change=_toggle,
                            args=(kind, s["id"]))  # fmt: skip
                if s["evidence"]:
                    st.caption(inert(f"\u201c{s['evidence'][0]}\u201d"))
    with st.expander(t("draft_timeline", lang, n=len(data["timeline"])), expanded=False):
        st.caption(t("draft_timeline_help", lang))
        tax = load_taxonomy()
        for i, c in enumerate(data["timeline"]):
            extra = " · ".join(
                tax.label(kind, v, lang)
                for kind, v in (("tactics", c["tactic"]), ("channels", c["channel"]))
                if v
            )
            st.checkbox(f"{c['date']}" + (f" · {extra}" if extra else ""), key=f"ed_acc_tl_{i}",
                        on_change=_timeline_rows)  # fmt: skip
            st.caption(inert(c["text"]))
    with st.expander(t("draft_entities", lang, n=len(data["entities"])), expanded=False):
        for i, e in enumerate(data["entities"]):
            known = t("draft_known", lang) if e["known"] else t("draft_new_name", lang)
            kind = t(f"entity_kind_{e['kind']}", lang)
            st.checkbox(f"{e['name']} ({kind}, {known})", key=f"ed_acc_en_{i}",
                        on_change=_entity_rows)  # fmt: skip
    if data["quotes"]:
        with st.expander(t("draft_quotes", lang, n=len(data["quotes"])), expanded=False):
            for q in data["quotes"]:
                who = f" \u2014 {q['speaker']}" if q["speaker"] else ""
                st.markdown(inert(f"\u201c{q['text']}\u201d{who}"))
    if st.button(t("draft_discard", lang), key="ed_draft_discard"):
        for key in [k for k in st.session_state if k.startswith("ed_") and k != "ed_mode"]:
            del st.session_state[key]
        st.rerun()
