"""Read a source an editor names: an http(s) URL, an HTML or text file, or standard input.

Fetching is the one place the archive goes on the network, and only when an editor asks:
http and https only, a time-out, a size limit read as the body arrives (a 50 MB page is
refused at the limit, not after downloading it), and the content type checked against
what the extractor can read. Every failure is a SourceError that names the source.

Example::

    >>> raw = read_source("https://example.org/news/article.html")
    >>> raw.kind, raw.content_type
    ('html', 'text/html')
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from archive.errors import ArchiveError

DEFAULT_TIMEOUT = 20.0  # seconds, for connecting and between bytes
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
USER_AGENT = "ComebackCaseArchive-draft/1 (an editor's request; +https://example.org/archive)"
# What people save by mistake instead of an article, recognised by their first bytes.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Office file)"),
    (b"RIFF", "a RIFF media file (WebP image, WAV sound or AVI video)"),
)


class SourceError(ArchiveError):
    """One source could not be used; the others still count."""

    def __init__(self, source: str, reason: str):
        self.source, self.reason = source, reason
        super().__init__(f"{source}: {reason}")


@dataclass(frozen=True)
class RawSource:
    """The bytes of one source and what is known about them before extraction."""

    source: str  # as the editor gave it: URL, path or "-"
    kind: str  # "html" or "text"
    data: bytes
    url: str | None = None  # final URL after redirects, for URLs
    content_type: str | None = None
    charset: str | None = None
    accessed: str | None = None  # YYYY-MM-DD, for URLs


def read_source(
    spec: str,
    *,
    stdin: BinaryIO | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    transport=None,
) -> RawSource:
    """The source named by ``spec``: a URL, a file path, or ``-`` for standard input.

    ``transport`` is an httpx transport, for tests that serve pages without a network.
    """
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        _check_size("-", len(data), max_bytes)
        _refuse_binary("-", data)
        return RawSource("-", "html" if _looks_like_html(data) else "text", data)
    scheme = urlsplit(spec).scheme.lower()
    if scheme in ("http", "https"):
        return fetch_url(spec, timeout=timeout, max_bytes=max_bytes, transport=transport)
    if "://" in spec or scheme in ("file", "ftp", "data", "javascript", "mailto"):
        raise SourceError(
            spec, f"'{scheme}:' addresses are not fetched: give an http(s) URL or a file"
        )
    return read_file(Path(spec), max_bytes=max_bytes)


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawSource:
    """An .html/.htm file or a .txt/.md file, size-checked and sniffed for binary content."""
    name = str(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        _check_size(name, size, max_bytes)
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(name, "no such file") from None
    except IsADirectoryError:
        raise SourceError(name, "is a folder, not a file") from None
    except OSError as exc:
        raise SourceError(name, f"cannot read it: {exc.strerror}") from None
    _refuse_binary(name, data)  # a PDF says it is a PDF, whatever its name
    if suffix not in HTML_SUFFIXES + TEXT_SUFFIXES:
        raise SourceError(
            name, f"unknown file type '{path.suffix or '(none)'}': use .html, .htm, .txt or .md"
        )
    return RawSource(name, "html" if suffix in HTML_SUFFIXES else "text", data)


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    transport=None,
) -> RawSource:
    """GET a page with httpx: redirects followed (http/https only), size and type checked."""
    import httpx

    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain"}
    try:
        with httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=5,
            headers=headers,
            transport=transport,
            event_hooks={"request": [_only_web]},
        ) as client:
            with client.stream("GET", url) as response:
                return _read_response(url, response, max_bytes)
    except SourceError:
        raise
    except httpx.TimeoutException:
        raise SourceError(
            url, f"no answer within {timeout:g} s (time-out); try again later"
        ) from None
    except httpx.TooManyRedirects:
        raise SourceError(url, "too many redirects") from None
    except httpx.ConnectError as exc:
        raise SourceError(url, f"cannot connect ({_reason(exc)}); check the address") from None
    except httpx.HTTPError as exc:
        raise SourceError(url, f"the download failed ({_reason(exc)})") from None


def _only_web(request) -> None:
    if request.url.scheme not in ("http", "https"):
        raise SourceError(str(request.url), "a redirect led away from http(s); not followed")


def _read_response(url: str, response, max_bytes: int) -> RawSource:
    if response.status_code >= 400:
        phrase = response.reason_phrase or "error"
        raise SourceError(url, f"the server answered {response.status_code} {phrase}")
    content_type = response.headers.get("content-type", "")
    mime = content_type.split(";")[0].strip().lower()
    if mime and mime not in HTML_TYPES + TEXT_TYPES:
        raise SourceError(
            url,
            f"is {_describe(mime)} ({mime}), not a web page or text: save the article's text "
            "as a .txt file and draft from that",
        )
    declared = response.headers.get("content-length")
    if declared and declared.isdigit():
        _check_size(url, int(declared), max_bytes)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        _check_size(url, size, max_bytes)
        chunks.append(chunk)
    data = b"".join(chunks)
    _refuse_binary(url, data)
    kind = "text" if mime in TEXT_TYPES else "html"
    if not mime:
        kind = "html" if _looks_like_html(data) else "text"
    return RawSource(
        url,
        kind,
        data,
        url=str(response.url),
        content_type=mime or None,
        charset=response.charset_encoding,
        accessed=dt.date.today().isoformat(),
    )


def _check_size(source: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise SourceError(
            source,
            f"is larger than {max_bytes // (1024 * 1024) or max_bytes} "
            f"{'MB' if max_bytes >= 1024 * 1024 else 'bytes'}, too large for an article "
            "(the limit can be raised with --max-bytes)",
        )


def _refuse_binary(source: str, data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SourceError(
                source, f"is {what}, not a web page or text: save the article's text as .txt"
            )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(source, "is binary data, not a web page or text")


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _describe(mime: str) -> str:
    if mime == "application/pdf":
        return "a PDF document"
    if mime.startswith("image/"):
        return "an image"
    if mime.startswith(("audio/", "video/")):
        return "a sound or video file"
    return "a file of another kind"


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__
