"""The case page's History: versions (date, editor, summary), a diff between any two, and
for a signed-in editor, restoring an earlier version. Only when cases/ is in git."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from archive.errors import ArchiveError
from archive.history import Version, diff_texts, history, repository, restore, text_at
from archive.strings import t
from archive.ui import access
from archive.ui.language import one_choice
from archive.ui.render import inert
from archive.ui.state import data_dirs, get_archive


@st.cache_data(show_spinner=False, max_entries=256)
def _versions(cases_dir: str, case_id: str, stamp: tuple) -> list[Version]:
    """The case's versions; ``stamp`` (the repository's HEAD and the file's mtime) makes a
    new commit or save read them again."""
    return history(Path(cases_dir), case_id)


@st.cache_data(show_spinner=False, max_entries=512)
def _text(cases_dir: str, version: Version) -> str:
    return text_at(Path(cases_dir), version)


def _stamp(root: Path, path: Path) -> tuple:
    head = root / ".git" / "HEAD"
    refs = [p.stat().st_mtime_ns for p in (head, root / ".git" / "index") if p.exists()]
    return (path.stat().st_mtime_ns, *refs)


def render(case_id: str, path: Path, lang: str) -> None:
    """A case's versions: who saved what and when, the changes between two, and restore."""
    cases_dir, _ = data_dirs()
    root = repository(cases_dir)
    if root is None:
        return
    try:
        versions = _versions(str(cases_dir), case_id, _stamp(root, path))
    except ArchiveError as exc:
        st.caption(inert(str(exc)))
        return
    flash = st.session_state.pop("hist_flash", None)
    with st.expander(t("history", lang, n=len(versions)), expanded=flash is not None):
        if flash:
            (st.success if flash[0] == "success" else st.warning)(flash[1])
        rows = [{t("date", lang): v.date[:16].replace("T", " "), t("history_editor", lang): v.author,
                 t("history_summary", lang): _summary(v, lang),
                 t("history_version", lang): v.short}  # fmt: skip
                for v in versions]  # fmt: skip
        st.dataframe(rows, hide_index=True, width="stretch")
        if len(versions) >= 2:
            _diff(cases_dir, versions, path.suffix, lang)
        if access.current_editor() and len(versions) >= 2:
            _restore(cases_dir, case_id, versions, lang)


def _summary(version: Version, lang: str) -> str:
    """A version's summary after what it did, in ``lang``: 'edited: word choice'."""
    if not version.action:
        return version.summary
    return f"{t(f'history_action_{version.action}', lang)}: {version.summary}"


def _label(versions: list[Version], i: int) -> str:
    v = versions[i]
    return f"{len(versions) - i}. {v.date[:10]} · {v.author} · {v.summary[:60]} ({v.short})"


def _diff(cases_dir: Path, versions: list[Version], suffix: str, lang: str) -> None:
    st.markdown(f"**{t('history_compare', lang)}**")
    left, right = st.columns(2)
    options = list(range(len(versions)))
    a = left.selectbox(t("history_from", lang), options, index=len(versions) - 1, key="hist_a",
                       format_func=lambda i: _label(versions, i), **one_choice(lang))  # fmt: skip
    b = right.selectbox(t("history_to", lang), options, index=0, key="hist_b",
                        format_func=lambda i: _label(versions, i), **one_choice(lang))  # fmt: skip
    old = _text(str(cases_dir), versions[a])
    new = _text(str(cases_dir), versions[b])
    result = diff_texts(old, new, suffix)
    if result.empty:
        st.caption(t("history_same", lang))
        return
    for change in result.fields:
        if change.added or change.removed:
            items = [f":green[+ {inert(_show(v))}]" for v in change.added]
            items += [f":red[\u2212 {inert(_show(v))}]" for v in change.removed]
            st.markdown(f"**{inert(change.field)}**  \n" + "  \n".join(items))
        else:
            st.markdown(
                f"**{inert(change.field)}**: :red[{inert(_show(change.old))}] \u2192 "
                f":green[{inert(_show(change.new))}]"
            )
    for change in result.paragraphs:
        st.markdown(f"**{t('history_narrative', lang)}**")
        for paragraph in change.old:
            st.markdown(f":red[\u2212 {inert(paragraph)}]")
        for paragraph in change.new:
            st.markdown(f":green[+ {inert(paragraph)}]")


def _show(value) -> str:
    if value is None:
        return "\u2014"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _restore(cases_dir: Path, case_id: str, versions: list[Version], lang: str) -> None:
    st.markdown(f"**{t('history_restore', lang)}**")
    options = list(range(1, len(versions)))  # the newest is the current text
    chosen = st.selectbox(t("history_restore_which", lang), options, key="hist_restore",
                          format_func=lambda i: _label(versions, i), **one_choice(lang))  # fmt: skip
    summary = st.text_input(t("history_restore_why", lang), key="hist_restore_summary")
    if st.button(t("history_restore_button", lang), key="hist_restore_go"):
        try:
            restored = restore(cases_dir, case_id, versions[chosen].rev,
                               access.current_editor(), summary)  # fmt: skip
        except ArchiveError as exc:
            st.error(inert(str(exc)))
            return
        get_archive(lang)  # re-index the restored file now
        if restored.committed.ok:
            flash = ("success", t("history_restored", lang, rev=restored.version.short))
        else:
            reason = inert(restored.committed.reason or "")
            flash = ("warning", t("editor_not_versioned", lang, reason=reason))
        st.session_state["hist_flash"] = flash
        st.session_state.pop("hist_b", None)
        st.session_state.pop("hist_a", None)
        st.rerun()
