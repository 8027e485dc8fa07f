"""Editor page: add or correct a case with live validation, preview and duplicate check.

Shown only when an editor secret is configured (see archive/ui/access.py) and entered.
All writing goes through archive.editor (atomic, no overwrite, conflict copies).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path

import pandas as pd
import streamlit as st

from archive.editor import (
    CaseExistsError,
    EditConflictError,
    UnsafeIdError,
    case_fields,
    case_to_text,
    existing_file,
    find_duplicates,
    save_edit,
    save_new,
    suggest_id,
)
from archive.errors import ArchiveError, CaseFileError
from archive.history import commit_case, repository
from archive.loader import content_hash, parse_case
from archive.model import CHANNELS, source_languages
from archive.search import Archive
from archive.strings import t
from archive.taxonomy import country_name, load_taxonomy
from archive.ui import access, draft_panel, pages
from archive.ui.language import many_choices, one_choice
from archive.ui.render import inert, safe_markdown
from archive.ui.state import current_state, data_dirs, get_archive

TABLES = {
    "timeline": ["date", "event", "tactic", "channel"],
    "sources": ["title", "publisher", "date", "language", "url", "author", "quote", "accessed"],
    "entities": ["name", "kind", "aliases"],
    "statements": ["date", "speaker", "channel", "text", "moves"],
}
LIST_CELLS = {("entities", "aliases"), ("statements", "moves")}  # "a; b" in a cell


def render() -> None:
    """The editor page: sign in, then draft, create or edit a case and save it as a version."""
    lang = current_state().lang
    st.title(t("editor", lang))
    if not access.unlocked(lang):
        return
    archive = get_archive(lang)  # builds the index (if none) now, not mid-typing
    cases_dir, index_dir = data_dirs()
    if repository(cases_dir) is None:
        st.info(t("editor_no_git", lang))
    mode = st.radio(t("editor_mode", lang), ["new", "edit"], key="ed_mode", horizontal=True,
                    format_func=lambda m: t(f"editor_{m}", lang))  # fmt: skip
    if mode == "edit":
        ids = sorted(p.stem for p in cases_dir.iterdir() if p.suffix in (".md", ".yaml", ".yml"))
        chosen = st.selectbox(t("editor_pick", lang), ids, index=None, key="ed_pick",
                              **one_choice(lang))  # fmt: skip
        if not chosen:
            return
        if st.session_state.get("ed_loaded") != chosen:
            _load(cases_dir, chosen)
    else:
        if st.session_state.get("ed_loaded") not in (None, "__new__"):
            _reset()
        draft_panel.render(archive, cases_dir, index_dir, lang)
    _form(archive, cases_dir, mode, lang)


def _reset() -> None:
    for key in [
        k for k in st.session_state if k.startswith("ed_") and k not in ("ed_mode", "ed_pick")
    ]:
        del st.session_state[key]
    st.session_state["ed_loaded"] = "__new__"


def _load(cases_dir: Path, case_id: str) -> None:
    """Fill the form from the file on disk and remember its hash for the conflict check."""
    _reset()
    path = existing_file(cases_dir, case_id)
    data = path.read_bytes()
    case, _ = parse_case(data, path)
    st.session_state["ed_loaded"] = case_id
    st.session_state["ed_opened"] = content_hash(data)
    if case is None:
        st.session_state["ed_unreadable"] = True
        return
    fields = case_fields(case)
    for key in ("title", "subject", "subject_kind", "crisis_date", "language", "outcome",
                "outcome_summary", "status", "body", "sector", "responsibility"):  # fmt: skip
        if key in fields:
            st.session_state[f"ed_{key}"] = fields[key]
    for key in ("crisis_types", "tactics", "countries", "tags", "related"):
        st.session_state[f"ed_{key}"] = list(fields.get(key, []))
    st.session_state["ed_lessons"] = "\n".join(fields.get("lessons", []))
    st.session_state["ed_extra"] = {k: fields[k] for k in ("added", "updated") if k in fields}
    for table, columns in TABLES.items():
        rows = []
        for item in fields.get(table, []):
            row = {c: item.get(c, "") for c in columns}
            for c in columns:
                if (table, c) in LIST_CELLS:
                    row[c] = "; ".join(item.get(c, []))
            rows.append(row)
        st.session_state[f"ed_rows_{table}"] = rows


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _columns(table: str, lang: str) -> dict:
    """The table's columns titled in ``lang``; those holding ids offer them by their labels."""
    tax = load_taxonomy()
    choices = {
        "tactic": (tax.ids("tactics"), lambda v: tax.label("tactics", v, lang)),
        "channel": (list(CHANNELS), lambda v: tax.label("channels", v, lang)),
        "kind": (["person", "organization", "place"], lambda v: t(f"entity_kind_{v}", lang)),
        "language": (list(source_languages()), None),
    }
    config = {}
    for column in TABLES[table]:
        label = t(f"column_{column}", lang)
        if column in choices:
            options, label_of = choices[column]
            config[column] = st.column_config.SelectboxColumn(
                label, options=options, format_func=label_of
            )
        else:
            config[column] = st.column_config.Column(label)
    return config


def _table(table: str, lang: str) -> list[dict]:
    columns = TABLES[table]
    frame = pd.DataFrame(st.session_state.get(f"ed_rows_{table}", []), columns=columns).astype(
        "string"
    )
    config = _columns(table, lang)
    edited = st.data_editor(frame, key=f"ed_table_{table}", num_rows="dynamic", column_config=config,
                            width="stretch", hide_index=True, placeholder="")  # fmt: skip
    rows = []
    for record in edited.to_dict("records"):
        row = {c: _cell(record.get(c)) for c in columns}
        if not any(row.values()):
            continue
        for c in columns:
            if (table, c) in LIST_CELLS:
                row[c] = [v.strip() for v in row[c].split(";") if v.strip()]
        rows.append({k: v for k, v in row.items() if v not in ("", [])})
    return rows


def _form(archive: Archive, cases_dir: Path, mode: str, lang: str) -> None:
    """The case form, its check as the loader sees it, a duplicate check and the save."""
    loaded = st.session_state.get("ed_loaded")
    if st.session_state.get("ed_unreadable"):
        st.error(t("editor_unreadable", lang))
        return
    data = _fields(lang)
    case_id = loaded if mode == "edit" else None
    if case_id is None:
        taken = [p.stem for p in cases_dir.iterdir()]
        case_id = suggest_id(
            data["subject"] or "case",
            data["crisis_date"] or "0000",
            (data["crisis_types"] or [""])[0],
            taken,
        )
        st.caption(f"id: `{case_id}`")
    text = case_to_text({"id": case_id, **data})
    case, problems = parse_case(text.encode("utf-8"), cases_dir / f"{case_id}.md")
    st.subheader(t("editor_check", lang))
    if problems:
        for problem in problems:
            (st.error if problem.is_error else st.warning)(
                f"{problem.field or '(file)'}: {problem.message}"
            )
    else:
        st.success(t("editor_valid", lang))
    with st.expander(t("editor_preview", lang)):
        st.markdown(safe_markdown(data["body"] or ""))
    confirmed = _no_duplicate(archive, case, case_id, lang)
    summary = st.text_input(t("editor_summary", lang), key="ed_summary", max_chars=200)
    if st.button(t("editor_save", lang), key="ed_save", type="primary",
                 disabled=case is None or not confirmed):  # fmt: skip
        _save(cases_dir, mode, case_id, text, summary, lang)


def _fields(lang: str) -> dict:
    """The form's widgets, as the case's fields (all but the id)."""
    tax = load_taxonomy()
    left, right = st.columns(2)
    title = left.text_input(t("editor_title", lang), key="ed_title")
    subject = left.text_input(
        t("subject_kind", lang) + " / " + t("editor_subject", lang), key="ed_subject"
    )
    one, many = one_choice(lang), many_choices(lang)
    kind = left.selectbox(t("subject_kind", lang), ["organization", "person"], key="ed_subject_kind",
                          format_func=lambda v: t(f"subject_kind_{v}", lang), **one)  # fmt: skip
    crisis_date = left.text_input(
        f"{t('crisis_date', lang)} ({t('editor_date_format', lang)})", key="ed_crisis_date"
    )
    language = left.selectbox(t("language", lang), ["en", "id"], key="ed_language",
                              format_func=lambda v: t(f"case_language_{v}", lang), **one)  # fmt: skip
    crisis_types = right.multiselect(t("crisis_types", lang), tax.ids("crisis_types"), key="ed_crisis_types",
                                     format_func=lambda v: tax.label("crisis_types", v, lang), **many)  # fmt: skip
    tactics = right.multiselect(t("tactics", lang), tax.ids("tactics"), key="ed_tactics",
                                format_func=lambda v: tax.label("tactics", v, lang), **many)  # fmt: skip
    outcome = right.selectbox(t("outcome", lang), tax.ids("outcomes"), key="ed_outcome",
                              format_func=lambda v: tax.label("outcomes", v, lang), **one)  # fmt: skip
    sector = right.selectbox(t("sector", lang), tax.ids("sectors"), key="ed_sector", index=None,
                             format_func=lambda v: tax.label("sectors", v, lang), **one)  # fmt: skip
    countries = right.multiselect(t("countries", lang), _country_codes(lang), key="ed_countries",
                                  format_func=lambda c: f"{country_name(c, lang)} ({c})", **many)  # fmt: skip
    responsibility = right.selectbox(t("responsibility", lang), ["victim", "accidental", "preventable"],
                                     key="ed_responsibility", index=None,
                                     format_func=lambda v: t(f"responsibility_{v}", lang), **one)  # fmt: skip
    status = right.selectbox(t("status", lang), ["draft", "reviewed"], key="ed_status",
                             format_func=lambda v: t(f"status_{v}", lang), **one)  # fmt: skip
    outcome_summary = st.text_area(t("outcome_evidence", lang), key="ed_outcome_summary", height=80)
    tables = {}
    for table in TABLES:
        st.subheader(t(f"editor_{table}", lang))
        tables[table] = _table(table, lang)
    lessons = st.text_area(
        t("lessons", lang) + " " + t("editor_one_per_line", lang), key="ed_lessons"
    )
    body = st.text_area(t("editor_body", lang), key="ed_body", height=300)
    return {
        "title": title, "subject": subject, "subject_kind": kind,
        "crisis_types": crisis_types, "tactics": tactics, "outcome": outcome,
        "crisis_date": crisis_date, "sources": tables["sources"], "language": language,
        "sector": sector, "countries": countries, "responsibility": responsibility,
        "outcome_summary": outcome_summary, "timeline": tables["timeline"],
        "statements": tables["statements"], "entities": tables["entities"],
        "lessons": [line.strip() for line in (lessons or "").splitlines() if line.strip()],
        "tags": st.session_state.get("ed_tags", []), "related": st.session_state.get("ed_related", []),
        "status": status, **st.session_state.get("ed_extra", {"added": dt.date.today().isoformat()}),
        "body": body,
    }  # fmt: skip


def _no_duplicate(archive: Archive, case, case_id: str, lang: str) -> bool:
    """Lists the indexed cases this one may duplicate; True once none or the editor says so."""
    if case is None:
        return True
    # From the open index (read once per index state), not the files: this runs on every keystroke.
    others = [c for c in archive.all_cases() if c.id != case_id]
    duplicates = find_duplicates(case, others)
    if not duplicates:
        return True
    st.warning(t("editor_duplicates", lang))
    for dup in duplicates:
        st.markdown(f"- `{dup.case_id}`: {dup.title} ({dup.reason})")
    return st.checkbox(t("editor_not_duplicate", lang), key="ed_confirm")


def _save(cases_dir: Path, mode: str, case_id: str, text: str, summary: str, lang: str) -> None:
    editor = access.current_editor()
    try:
        if mode == "edit":
            saved = save_edit(cases_dir, case_id, text, st.session_state["ed_opened"], editor)
            st.session_state["ed_opened"] = saved.content_hash
        else:
            saved = save_new(cases_dir, text, editor)
    except EditConflictError as exc:
        st.error(str(exc))
        return
    except (CaseExistsError, UnsafeIdError, CaseFileError, ArchiveError) as exc:
        st.error(str(exc))
        return
    get_archive(lang)  # re-indexes the changed file (only that one)
    st.success(t("editor_saved", lang, path=saved.path.name))
    action = "created" if saved.created else "edited"
    committed = commit_case(cases_dir, saved.path, action, saved.case.id, summary, editor)
    if committed.ok:
        st.success(t("editor_versioned", lang, rev=committed.rev[:10], editor=inert(editor or "")))
    elif repository(cases_dir) is not None:  # outside git the page already says so
        st.warning(t("editor_not_versioned", lang, reason=inert(committed.reason or "")))
    st.page_link(pages.case(), label=saved.case.title, query_params={"id": saved.case.id})


@functools.cache
def _country_codes(lang: str) -> list[str]:
    """Every country's code, in the order of the countries' names in ``lang``."""
    import pycountry

    return sorted((c.alpha_2 for c in pycountry.countries), key=lambda c: country_name(c, lang))
