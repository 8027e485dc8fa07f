"""The one string catalogue: every string in both languages, with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from archive.strings import STRINGS, t

FIELDS = string.Formatter()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in FIELDS.parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_and_the_same_placeholders(key: str):
    entry = STRINGS[key]
    assert set(entry) == {"en", "id"}, key
    assert entry["en"].strip() and entry["id"].strip(), key
    assert _placeholders(entry["en"]) == _placeholders(entry["id"]), key


def test_lookup_falls_back_and_picks_the_singular():
    assert t("results", "id", n=3) == "3 kasus" and t("results", "en", n=1) == "1 case"
    assert t("brief_more", "en", n=2) == "... and 2 more in the document"
    assert t("responsibility_preventable", "fr") == "Preventable (strong responsibility)"
    assert t("no-such-key", "en") == "no-such-key"


def test_no_module_keeps_its_own_english_indonesian_pairs():
    """Strings in both languages live in archive/strings.py only (taxonomy labels live in
    taxonomy.yaml): a dict literal with "en" and "id" text elsewhere is a second catalogue."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "archive"
    pair = re.compile(r'\{\s*"en":\s*"([^"]*)",\s*"id":\s*"')
    found = [
        f"{p.relative_to(root)}: {text}"
        for p in root.rglob("*.py")
        if p.name != "strings.py"
        for text in pair.findall(p.read_text(encoding="utf-8"))
        if not re.fullmatch(r"[a-z0-9_]+", text)  # field names such as "title_en" are not text
    ]
    assert found == []
