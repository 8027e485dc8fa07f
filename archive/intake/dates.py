"""Dates in English and Indonesian sentences, as the partial dates case files use.

Date expressions are found by patterns over month and weekday names of both languages
("19 December 2013", "Dec. 27", "2 Mei 2020", "Senin (4/5/2020)", "early January", "awal
Juli", "in 2013") and relative words ("yesterday", "last week", "kemarin", "pekan lalu");
dateparser turns each into a date, resolving relative ones and years left out against the
article's publication date (never later than it). Each date keeps its precision: a month
named without a day is ``YYYY-MM``, a year alone ``YYYY``.

Example::

    >>> [d.value for d in find_dates("Pada 2 Mei 2020 data bocor; awal Juli beredar lagi.",
    ...                                "id", base=dt.date(2020, 7, 20))]
    ['2020-05-02', '2020-07']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
ID_MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "september": 9, "oktober": 10,
    "okt": 10, "nopember": 11, "november": 11, "desember": 12, "des": 12,
}  # fmt: skip
MONTHS = {**EN_MONTHS, **ID_MONTHS}
WEEKDAYS = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    "Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu"
)

# Month names start with a capital letter ("may" and "mar" are also common words).
_MON = (
    r"(?P<mon>"
    + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
    + r")\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_QUAL = (
    r"(?P<qual>(?i:early|mid|late|the (?:beginning|start|middle|end) of|"
    r"awal|pertengahan|akhir|penghujung))[\s-]+"
)
_PATTERNS = [
    ("iso", rf"\b{_YEAR}-(?P<mm>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("dmy", rf"\b{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b"),
    ("mdy", rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b"),
    ("numeric", r"\b(?P<a>[0-3]?\d)/(?P<b>[01]?\d)/(?P<year>(?:19|20)\d\d)\b"),
    ("qual", rf"\b{_QUAL}{_MON}(?:,?\s+{_YEAR})?\b"),
    ("dm", rf"\b{_DAY}\s+{_MON}(?!\w)"),
    ("md", rf"\b{_MON}\s+{_DAY}\b(?!\s*,?\s*\d)"),
    ("my", rf"\b{_MON},?\s+{_YEAR}\b"),
    ("month", rf"\b(?i:in|on|by|since|during|until|pada|bulan|sejak|hingga|sampai)\s+{_MON}"
              r"(?!\w|\.?\s*,?\s*\d)"),
    ("year", rf"\b(?i:in|since|by|during|until|of|pada|tahun|sejak|hingga|sampai)\s+{_YEAR}\b"
             r"(?![-/]\d)"),
    ("relative", r"\b(?P<rel>(?i:yesterday|today|tonight|last (?:week|month|year|night)|"
                 r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten) "
                 r"(?:days?|weeks?|months?|years?) ago|"
                 r"kemarin|hari ini|malam ini|(?:pekan|minggu|bulan|tahun) lalu|"
                 r"\d+ (?:hari|pekan|minggu|bulan|tahun) (?:yang )?lalu))\b"),
    ("weekday", rf"\b(?i:on|last|pada|hari)\s+(?P<wd>{WEEKDAYS})\b(?!\s*\()"),
]  # fmt: skip
_REGEXES = [(kind, re.compile(pattern)) for kind, pattern in _PATTERNS]
# Relative phrases dateparser does not know, as ones it knows.
_REWRITE = {"pekan lalu": "7 hari lalu", "minggu lalu": "7 hari lalu", "tonight": "today",
            "malam ini": "hari ini", "last night": "yesterday"}  # fmt: skip
_PRECISION_OF_RELATIVE = (("year", 4), ("tahun", 4), ("month", 7), ("bulan", 7))


@dataclass(frozen=True)
class FoundDate:
    """A date expression in a text: its span, its words and the partial date it means."""

    start: int
    end: int
    text: str
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    relative: bool = False


def find_dates(text: str, lang: str, base: dt.date | None = None) -> list[FoundDate]:
    """Every date expression in ``text`` that can be resolved, in order, without overlaps.

    ``base`` is the article's publication date: relative dates and dates without a year
    are resolved against it (to the latest such date not after it); without it they are
    left out.
    """
    spans: list[tuple[int, int, str, re.Match]] = []
    for kind, regex in _REGEXES:
        for match in regex.finditer(text):
            spans.append((match.start(), match.end(), kind, match))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    found: list[FoundDate] = []
    last_end = -1
    for start, end, kind, match in spans:
        if start < last_end:
            continue
        value = _resolve(kind, match, lang, base)
        if value is None:
            continue
        words = match.group().rstrip(".") if kind in ("dm", "month") else match.group()
        found.append(FoundDate(start, end, words, value, kind in ("relative", "weekday")))
        last_end = end
    return found


def _resolve(kind: str, m: re.Match, lang: str, base: dt.date | None) -> str | None:
    groups = m.groupdict()
    month = MONTHS.get(groups["mon"].lower()) if groups.get("mon") else None
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if kind == "iso":
        return _valid(year, int(groups["mm"]), day)
    if kind == "numeric":
        first, second = int(groups["a"]), int(groups["b"])
        # Indonesian (and most of the world) writes day/month; American English month/day.
        d, mo = (first, second) if lang == "id" or first > 12 else (second, first)
        return _valid(year, mo, d)
    if kind in ("dmy", "mdy"):
        return _valid(year, month, day)
    if kind in ("dm", "md"):
        return _with_base_year(base, month, day)
    if kind == "qual":
        if year is None:
            return _with_base_year(base, month, None)
        return _valid(year, month, None)
    if kind == "my":
        return _valid(year, month, None)
    if kind == "month":
        return _with_base_year(base, month, None)
    if kind == "year":
        return str(year) if base is None or year <= base.year else None
    if kind in ("relative", "weekday") and base is not None:
        phrase = m.group("wd") if kind == "weekday" else m.group("rel")
        return _relative(phrase, kind, lang, base)
    return None


def _valid(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None:
        return None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _with_base_year(base: dt.date | None, month: int | None, day: int | None) -> str | None:
    """A month (and day) without a year: the latest such date not after the article's date."""
    if base is None or month is None:
        return None
    year = base.year
    if (month, day or 1) > (base.month, base.day):
        year -= 1
    return _valid(year, month, day)


def _relative(phrase: str, kind: str, lang: str, base: dt.date) -> str | None:
    phrase = phrase.lower()
    phrase = _REWRITE.get(phrase, phrase)
    parsed = _dateparser(phrase, lang, base)
    if parsed is None or parsed > base:
        return None
    length = 10
    if kind == "relative":
        for word, precision in _PRECISION_OF_RELATIVE:
            if word in phrase:
                length = precision
    return parsed.isoformat()[:length]


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, lang: str, base: dt.date) -> dt.date | None:
    import dateparser

    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day, 12),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(phrase, languages=[lang, "en"], settings=settings)
    return parsed.date() if parsed else None


def parse_publication_date(value: str | None) -> dt.date | None:
    """An article's publication date (YYYY-MM-DD, possibly with a time) as a date."""
    if not value:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None
