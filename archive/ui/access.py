"""Editor access: off unless an editor is configured; then an editor must sign in.

Editors come from the editors file (editors.toml next to the cases folder, or
$ARCHIVE_EDITORS_FILE; see archive/editors.py and 'archive editors add'), each with a name
and a scrypt hash of their secret. The single shared secret of earlier versions still works
as one editor named "editor": from the environment (ARCHIVE_EDITOR_SECRET) or
.streamlit/secrets.toml (editor_secret = "..."). When any named editor exists the sign-in
form asks for a name and a secret; with only the shared secret, for the secret alone.

Secrets are checked in constant time (hashes: one scrypt derivation whatever the name), a
session gets a limited number of attempts, a wrong name and a wrong secret get the same
message, and the entered secret is never shown, logged or kept in the session after checking.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from archive import editors
from archive.strings import t
from archive.ui.state import data_dirs

MAX_ATTEMPTS = 5
_INPUT = "editor_secret_input"
_NAME_INPUT = "editor_name_input"
log = logging.getLogger(__name__)


def configured_secret() -> str | None:
    """The single shared secret (environment first, then Streamlit secrets), if any."""
    secret = os.environ.get(editors.ENV_SECRET)
    if secret:
        return secret
    try:
        value = st.secrets.get("editor_secret")
    except Exception:  # no secrets.toml, or an unreadable one: editing stays off
        return None
    return str(value) if value else None


def configured_editors() -> list[editors.Editor]:
    """Everyone who may sign in: the editors file's editors, then "editor" for the shared
    secret. A damaged editors file leaves only the shared secret (and a warning in the log)."""
    cases_dir, _ = data_dirs()
    shared = configured_secret()
    try:
        return editors.resolve_editors(cases_dir, shared_secret=shared)
    except editors.EditorsFileError as exc:
        log.warning("named editors cannot sign in: %s", exc)
        return [editors.shared_editor(shared)] if shared else []


def editors_configured() -> bool:
    """Whether anyone may sign in (so whether the editor page exists)."""
    return bool(configured_editors())


def current_editor() -> str | None:
    """The name of the editor signed in to this session, or None."""
    if not st.session_state.get("editor_ok"):
        return None
    return st.session_state.get("editor_name")


def _named(found: list[editors.Editor]) -> bool:
    return any(not e.shared for e in found)


def _check() -> None:
    entered = st.session_state.get(_INPUT) or ""
    st.session_state[_INPUT] = ""  # the entered text does not stay in the session
    if st.session_state.get("editor_attempts", 0) >= MAX_ATTEMPTS:
        return
    found = configured_editors()
    if _named(found):
        name = str(st.session_state.get(_NAME_INPUT) or "").strip()
    else:
        name = editors.SHARED_NAME
    signed_in = editors.sign_in(found, name, entered) if found and entered else None
    del entered
    if signed_in is not None:
        st.session_state["editor_ok"] = True
        st.session_state["editor_name"] = signed_in
    else:
        st.session_state["editor_attempts"] = st.session_state.get("editor_attempts", 0) + 1


def _sign_out() -> None:
    st.session_state["editor_ok"] = False
    st.session_state.pop("editor_name", None)


def unlocked(lang: str) -> bool:
    """Whether a named editor has signed in in this session; otherwise shows the sign-in
    form (or says the editor is off when no editor is configured)."""
    found = configured_editors()
    if not found:
        _sign_out()
        st.info(t("editor_off", lang))
        return False
    if st.session_state.get("editor_ok"):
        if st.session_state.get("editor_name") in {e.name for e in found}:
            return True
        _sign_out()  # the editor was removed (or the secret unset) since signing in
    attempts = st.session_state.get("editor_attempts", 0)
    if attempts >= MAX_ATTEMPTS:
        st.error(t("editor_locked", lang))
        return False
    named = _named(found)
    if attempts:
        wrong = "editor_wrong_named" if named else "editor_wrong"
        st.error(t(wrong, lang, n=MAX_ATTEMPTS - attempts))
    with st.form("editor_login"):
        if named:
            st.text_input(
                t("editor_name", lang), key=_NAME_INPUT, max_chars=editors.MAX_NAME_LENGTH
            )
        st.text_input(t("editor_secret", lang), type="password", key=_INPUT)
        st.form_submit_button(t("editor_sign_in", lang), on_click=_check)
    return False
