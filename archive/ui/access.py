"""Editor access: off unless a secret is configured; then the secret must be entered.

The secret comes from the environment (ARCHIVE_EDITOR_SECRET) or .streamlit/secrets.toml
(editor_secret = "..."). It is compared in constant time, a session gets a limited number
of attempts, and it is never shown, logged or kept in the session after checking.
"""

from __future__ import annotations

import hmac
import os

import streamlit as st

from archive.ui.i18n import t

MAX_ATTEMPTS = 5
_INPUT = "editor_secret_input"


def configured_secret() -> str | None:
    secret = os.environ.get("ARCHIVE_EDITOR_SECRET")
    if secret:
        return secret
    try:
        value = st.secrets.get("editor_secret")
    except Exception:  # no secrets.toml, or an unreadable one: editing stays off
        return None
    return str(value) if value else None


def _check() -> None:
    entered = st.session_state.get(_INPUT) or ""
    st.session_state[_INPUT] = ""  # the entered text does not stay in the session
    secret = configured_secret() or ""
    if secret and hmac.compare_digest(entered.encode("utf-8"), secret.encode("utf-8")):
        st.session_state["editor_ok"] = True
    else:
        st.session_state["editor_attempts"] = st.session_state.get("editor_attempts", 0) + 1


def unlocked(lang: str) -> bool:
    if not configured_secret():
        st.info(t("editor_off", lang))
        return False
    if st.session_state.get("editor_ok"):
        return True
    attempts = st.session_state.get("editor_attempts", 0)
    if attempts >= MAX_ATTEMPTS:
        st.error(t("editor_locked", lang))
        return False
    if attempts:
        st.error(t("editor_wrong", lang, n=MAX_ATTEMPTS - attempts))
    with st.form("editor_login"):
        st.text_input(t("editor_secret", lang), type="password", key=_INPUT)
        st.form_submit_button(t("editor_sign_in", lang), on_click=_check)
    return False
