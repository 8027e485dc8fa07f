"""Rendering helpers shared by the pages: safe text, snippets, badges."""

from __future__ import annotations

import html
import re

from archive.search import Snippet

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")
# Links whose target is not a web address (javascript:, data:, file: ...) become plain text.
_UNSAFE_LINK = re.compile(r"\[([^\]]*)\]\((?!https?://)([^)]*)\)")


def inert(text: str) -> str:
    """Case text as Markdown that renders literally: no HTML, no links, no formatting."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def safe_markdown(body: str) -> str:
    """A narrative's Markdown with raw HTML and non-web links shown as text."""
    body = _UNSAFE_LINK.sub(lambda m: inert(m.group(0)), body)
    # Every < and > is escaped, so no tag can be formed; Markdown itself is kept.
    return body.replace("<", "\\<").replace(">", "\\>")


def marked_snippet(snippet: Snippet) -> str:
    """A snippet as inert Markdown with its matches highlighted."""
    out, pos = [], 0
    for start, end in snippet.matches:
        out += [
            inert(snippet.text[pos:start]),
            ":orange-background[**",
            inert(snippet.text[start:end]),
            "**]",
        ]
        pos = end
    out.append(inert(snippet.text[pos:]))
    return "".join(out)


OUTCOME_COLOURS = {
    "recovered": "green",
    "partially-recovered": "orange",
    "not-recovered": "red",
    "ongoing": "gray",
}


def badge(text: str, colour: str = "blue") -> str:
    """Markdown for a coloured badge holding ``text`` (made inert)."""
    return f":{colour}-badge[{inert(text)}]"
