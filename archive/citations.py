"""Citations of a case and its sources: APA style (7th edition) and BibTeX.

Sources in case files are news articles, press releases and web pages, so each is cited as
a web document: author (or, without one, the title in the author's place), date as
precise as the case file has it, title, site or publisher, and web address. Author names are
kept as the case file writes them (they are often organisations; splitting a person's name
into surname and initials would guess). The case itself is cited as a dataset record of
the archive, dated by its last update.

Example::

    >>> apa_source(case.sources[1])
    'Target Confirms Unauthorized Access to Payment Card Data in U.S. Stores. (2013, December 19). Target Corporation (press release).'
    >>> print(bibtex_all(case))   # the case and every source, ready for a .bib file
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence

from archive.model import Case, Source, language_name

ARCHIVE_NAME = "Comeback Case Archive"


def _apa_date(value: str | None) -> str:
    """'2013' -> '2013'; '2013-12' -> '2013, December'; '2013-12-19' -> '2013, December 19'."""
    if not value:
        return "n.d."
    parts = value.split("-")
    out = parts[0]
    if len(parts) > 1:
        out += f", {calendar.month_name[int(parts[1])]}"
    if len(parts) > 2:
        out += f" {int(parts[2])}"
    return out


def _end(text: str) -> str:
    """A sentence of the citation: ends with one full stop (or its own ? or !)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def apa_source(source: Source, markdown: bool = False) -> str:
    """APA reference of one source; ``markdown`` puts the title in italics."""
    title = _end(source.title)
    shown = f"*{title[:-1]}*{title[-1]}" if markdown else title
    date = f"({_apa_date(source.date)})."
    if source.author:
        parts = [_end(source.author), date, shown]
    else:  # no author: the title moves to the author's place
        parts = [shown, date]
    if source.publisher and source.publisher != source.author:
        parts.append(_end(source.publisher))
    if source.url:
        parts.append(source.url)
    return " ".join(parts)


def apa_case(case: Case, url: str | None = None, markdown: bool = False) -> str:
    """APA reference of the case record itself."""
    title = f"{case.title} [Case record {case.id}]"
    shown = f"*{case.title}* [Case record {case.id}]" if markdown else title
    parts = [f"{ARCHIVE_NAME}.", f"({_apa_date(case.updated or case.added)}).", _end(shown)]
    parts.append(_end(ARCHIVE_NAME))
    if url:
        parts.append(url)
    return " ".join(parts)


# -- BibTeX --------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def _tex(text: str) -> str:
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group()], " ".join(text.split()))


def _bibtex(kind: str, key: str, fields: Sequence[tuple[str, str | None]]) -> str:
    # month is BibTeX's own macro (jan ... dec), written without braces.
    rows = [
        f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},"
        for name, value in fields
        if value
    ]
    return "\n".join([f"@{kind}{{{key},", *rows, "}"])


def _date_fields(value: str | None) -> list[tuple[str, str | None]]:
    """year and month for BibTeX, and the whole date for biblatex (BibTeX ignores it)."""
    if not value:
        return []
    parts = value.split("-")
    fields: list[tuple[str, str | None]] = [("year", parts[0])]
    if len(parts) > 1:
        fields.append(("month", calendar.month_abbr[int(parts[1])].lower()))
    fields.append(("date", value))
    return fields


def source_key(case: Case, index: int) -> str:
    """BibTeX key of the case's source at ``index`` (0-based): 'target-2013-...:src1'."""
    return f"{case.id}:src{index + 1}"


def bibtex_source(case: Case, index: int) -> str:
    """BibTeX entry (@misc) of the case's source at ``index`` (0-based)."""
    source = case.sources[index]
    fields: list[tuple[str, str | None]] = [
        # Double braces: BibTeX keeps the name as written (often an organisation).
        ("author", f"{{{_tex(source.author)}}}" if source.author else None),
        ("title", f"{{{_tex(source.title)}}}"),
        ("howpublished", _tex(source.publisher) if source.publisher else None),
        *_date_fields(source.date),
        ("url", source.url),
        ("language", language_name(source.language).lower() if source.language else None),
        ("note", f"Source of {_tex(ARCHIVE_NAME)} case {_tex(case.id)}"),
    ]
    return _bibtex("misc", source_key(case, index), fields)


def bibtex_case(case: Case, url: str | None = None) -> str:
    """BibTeX entry (@misc) of the case record itself, keyed by the case id."""
    fields: list[tuple[str, str | None]] = [
        ("author", f"{{{ARCHIVE_NAME}}}"),
        ("title", f"{{{_tex(case.title)}}}"),
        ("howpublished", f"{ARCHIVE_NAME}, case record {_tex(case.id)}"),
        *_date_fields(case.updated or case.added),
        ("url", url),
    ]
    return _bibtex("misc", case.id, fields)


def apa_all(case: Case, url: str | None = None) -> list[str]:
    """APA references of the case record, then of each of its sources."""
    return [apa_case(case, url)] + [apa_source(s) for s in case.sources]


def bibtex_all(case: Case, url: str | None = None) -> str:
    """BibTeX entries of the case record and of each of its sources, as one .bib text."""
    entries = [bibtex_case(case, url)]
    entries += [bibtex_source(case, i) for i in range(len(case.sources))]
    return "\n\n".join(entries)


def citations(case: Case, url: str | None = None) -> dict[str, object]:
    """Every citation of a case: the record and each source, in both styles."""
    return {
        "case": {"apa": apa_case(case, url), "bibtex": bibtex_case(case, url)},
        "sources": [
            {"key": source_key(case, i), "apa": apa_source(s), "bibtex": bibtex_source(case, i)}
            for i, s in enumerate(case.sources)
        ],
    }
