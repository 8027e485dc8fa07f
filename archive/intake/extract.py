"""From a source's bytes to an article: main text and metadata, and its language.

HTML goes through trafilatura (main text without menus, banners and footers; title,
author, site name; the publication date from htmldate), text files are taken as they are
(the first short line is the headline). The language is detected with lingua; the
archive drafts English and Indonesian sources and says which language another one is in.

Example::

    >>> article = extract_article(read_source("tests/fixtures/intake/en-target-breach.html"))
    >>> article.language, article.date
    ('en', '2014-01-14')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from archive.intake.fetch import RawSource, SourceError

MIN_WORDS = 40  # fewer words of main text than this is not an article
_LANG_CODE = {"ENGLISH": "en", "INDONESIAN": "id", "MALAY": "id"}
# Languages the detector tells apart: ours, our neighbours, and the common others, so that
# a French page is called French rather than the closer of English and Indonesian.
_DETECTABLE = (
    "ENGLISH", "INDONESIAN", "MALAY", "TAGALOG", "VIETNAMESE", "THAI", "CHINESE", "JAPANESE",
    "KOREAN", "FRENCH", "GERMAN", "SPANISH", "PORTUGUESE", "ITALIAN", "DUTCH", "RUSSIAN",
    "ARABIC",
)  # fmt: skip


@dataclass
class Article:
    """One source's text and what is known about it; ``notes`` says what was guessed."""

    source: str
    text: str
    language: str  # en or id
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None  # YYYY-MM-DD (or shorter) of publication
    url: str | None = None
    accessed: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.text.split())


def extract_article(raw: RawSource) -> Article:
    """The article in ``raw``; SourceError when there is no usable text or it is in another
    language than English or Indonesian."""
    if raw.kind == "html":
        article = _from_html(raw)
    else:
        article = _from_text(raw)
    if article.words < MIN_WORDS:
        found = (
            f"only {article.words} words of article text" if article.words else "no article text"
        )
        raise SourceError(
            raw.source,
            f"{found} found (menus, banners and footers are left out); "
            "if the page needs JavaScript or a login, copy the text into a .txt file",
        )
    article.language = _language(raw.source, article.text, article.notes)
    return article


def _from_html(raw: RawSource) -> Article:
    import trafilatura

    html = _decode(raw.data, raw.charset)
    doc = trafilatura.bare_extraction(
        html,
        url=raw.url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if doc is None:
        return Article(raw.source, "", "en", url=raw.url, accessed=raw.accessed)
    text = _paragraphs(getattr(doc, "text", "") or "")
    title = _clean(getattr(doc, "title", None))
    if title and text.startswith(title + "\n"):  # the headline is kept apart from the text
        text = text[len(title) + 1 :]
    date = getattr(doc, "date", None) or _htmldate(html)
    return Article(
        raw.source,
        text,
        "en",
        title=title,
        author=_clean(getattr(doc, "author", None)),
        publisher=_clean(getattr(doc, "sitename", None) or getattr(doc, "hostname", None)),
        date=date,
        url=raw.url or _clean(getattr(doc, "url", None)),
        accessed=raw.accessed,
    )


def _htmldate(html: str) -> str | None:
    from htmldate import find_date

    try:
        return find_date(html, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None


def _from_text(raw: RawSource) -> Article:
    text = _decode(raw.data, raw.charset).replace("\r\n", "\n").strip()
    title = None
    first, _, rest = text.partition("\n")
    # A short first line without a final full stop is the headline.
    if (
        first.strip()
        and len(first) <= 200
        and not first.rstrip().endswith((".", ":", ","))
        and rest
    ):
        title = first.strip().lstrip("# ").strip()
        text = rest.strip()
    return Article(raw.source, _paragraphs(text), "en", title=title, url=raw.url,
                   accessed=raw.accessed)  # fmt: skip


def _decode(data: bytes, charset: str | None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in (charset, "utf-8-sig"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", errors="replace")


def _paragraphs(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(str(value).split())
    return value or None


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _DETECTABLE]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` (lingua's name, e.g. 'INDONESIAN') and its confidence."""
    values = _detector().compute_language_confidence_values(text[:5000])
    if not values:
        return "UNKNOWN", 0.0
    return values[0].language.name, values[0].value


def _language(source: str, text: str, notes: list[str]) -> str:
    name, _ = detect_language(text)
    code = _LANG_CODE.get(name)
    if code is None:
        readable = name.title() if name != "UNKNOWN" else "a language that cannot be told"
        raise SourceError(
            source,
            f"the text is in {readable}; the archive drafts cases from English or Indonesian "
            "sources (quote a translation's source in the case by hand)",
        )
    if name == "MALAY":
        notes.append("the text reads as Malay; drafted as Indonesian")
    return code


@dataclass
class SourceProblem:
    """A source that could not be used, and why (the others still count)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def read_articles(
    specs: list[str],
    *,
    stdin=None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    progress=None,
    transport=None,
) -> tuple[list[Article], list[SourceProblem]]:
    """Every source that can be read as an article, and a problem for each one that cannot.

    ``specs`` are URLs, file paths or "-" (standard input, once); ``progress(i, spec)`` is
    called before each source is read (for long fetches).
    """
    from archive.intake.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, read_source

    articles: list[Article] = []
    problems: list[SourceProblem] = []
    if specs.count("-") > 1:
        problems.append(SourceProblem("-", "standard input can be read only once"))
    seen: set[str] = set()
    for i, spec in enumerate(specs):
        if spec in seen:
            continue
        seen.add(spec)
        if progress is not None:
            progress(i, spec)
        try:
            raw = read_source(
                spec,
                stdin=stdin,
                timeout=timeout or DEFAULT_TIMEOUT,
                max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                transport=transport,
            )
            articles.append(extract_article(raw))
        except SourceError as exc:
            problems.append(SourceProblem(exc.source, exc.reason))
    return articles, problems


def article_from_text(text: str, name: str = "pasted text") -> Article:
    """An article from text pasted into the app (headline on the first line, if short)."""
    from archive.intake.fetch import RawSource

    return extract_article(RawSource(name, "text", text.encode("utf-8")))
