"""Drafting a case from its sources: fetch, extract, dates, keywords, quotes, the draft.

Pages are served from tests/fixtures/intake by a real HTTP server on 127.0.0.1 (never the
internet); the drafter is built from real cases, with the real spaCy pipeline and a model
learned from them.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import threading
from pathlib import Path

import pytest

from archive.intake.dates import find_dates
from archive.intake.draft import drafter_for
from archive.intake.extract import article_from_text, extract_article, read_articles
from archive.intake.fetch import SourceError, read_source
from archive.intake.keywords import KeywordMatcher, Sentence
from archive.intake.learned import MODEL_FILE, load_or_train
from archive.loader import load_cases, parse_case
from archive.taxonomy import load_taxonomy

from .conftest import CASES, FIXTURES

INTAKE = FIXTURES / "intake"
TARGET = CASES / "target-2013-card-data-breach.md"


# -- a local web server for the fixtures ---------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes | None, dict]] = {}

    def do_GET(self):  # noqa: N802 (the http.server API)
        status, ctype, body, headers = self.routes.get(self.path, (404, "text/html", b"gone", {}))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for key, value in headers.items():
            self.send_header(key, value)
        if body is None:  # a body larger than any limit, streamed without a length
            self.end_headers()
            try:
                for _ in range(50 * 16):  # 50 MB in 64 KiB chunks
                    self.wfile.write(b"<p>" + b"x" * 65_529 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def server():
    routes = {
        "/target.html": (200, "text/html; charset=utf-8", (INTAKE / "en-target-breach.html").read_bytes(), {}),
        "/snapchat.txt": (200, "text/plain; charset=utf-8", (INTAKE / "en-snapchat-leak.txt").read_bytes(), {}),
        "/report.pdf": (200, "application/pdf", (INTAKE / "report.pdf").read_bytes(), {}),
        "/photo.png": (200, "image/png", (INTAKE / "photo.png").read_bytes(), {}),
        "/empty.html": (200, "text/html", (INTAKE / "empty.html").read_bytes(), {}),
        "/french.html": (200, "text/html", (INTAKE / "fr-page.html").read_bytes(), {}),
        "/huge.html": (200, "text/html", None, {}),
        "/moved": (302, "text/html", b"", {"Location": "/target.html"}),
        "/to-file": (302, "text/html", b"", {"Location": "file:///etc/passwd"}),
    }  # fmt: skip
    _Handler.routes = routes
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- fetch and extract -------------------------------------------------------------------------


def test_a_page_is_fetched_and_its_article_and_metadata_extracted(server: str):
    raw = read_source(f"{server}/moved")  # a redirect is followed
    assert raw.url == f"{server}/target.html" and raw.accessed == dt.date.today().isoformat()
    article = extract_article(raw)
    assert article.title == "How Target talked to shoppers after the holiday card breach"
    assert article.author == "Marian Testwood"
    assert article.publisher == "The Fixture Ledger"
    assert article.date == "2014-01-15"
    assert article.language == "en"
    assert 1300 < article.words < 1700
    # the article, not the page around it
    assert "free credit monitoring" in article.text
    assert "cookie" not in article.text.lower() and "Related stories" not in article.text
    assert not article.text.startswith(article.title)


@pytest.mark.parametrize(
    "path, words",
    [
        ("/nothing-here", "answered 404"),
        ("/report.pdf", "is a PDF document (application/pdf)"),
        ("/photo.png", "is an image (image/png)"),
        ("/empty.html", "article text found"),
        ("/french.html", "the text is in French"),
        ("/to-file", "redirect led away from http(s)"),
    ],
)
def test_bad_pages_say_why(server: str, path: str, words: str):
    with pytest.raises(SourceError) as caught:
        extract_article(read_source(f"{server}{path}"))
    assert words in str(caught.value)
    assert str(caught.value).startswith(("http://", "file://"))  # names the source


def test_a_huge_page_is_refused_at_the_limit_not_after_it(server: str):
    with pytest.raises(SourceError, match="larger than 1 MB"):
        read_source(f"{server}/huge.html", max_bytes=1024 * 1024)


def test_an_unreachable_server_and_other_schemes_are_clear():
    with pytest.raises(SourceError, match="cannot connect"):
        read_source(f"http://127.0.0.1:{_closed_port()}/x.html", timeout=2)
    for spec in ("ftp://example.org/x.html", "file:///etc/passwd", "javascript:alert(1)"):
        with pytest.raises(SourceError, match="not fetched"):
            read_source(spec)


def test_files_by_type(tmp_path: Path):
    article = extract_article(read_source(str(INTAKE / "en-snapchat-leak.txt")))
    assert article.title and "Snapchat" in article.title
    assert article.language == "en" and article.publisher is None
    pdf = tmp_path / "report.txt"
    pdf.write_bytes((INTAKE / "report.pdf").read_bytes())
    with pytest.raises(SourceError, match="is a PDF document"):  # whatever its name says
        read_source(str(pdf))
    with pytest.raises(SourceError, match="unknown file type '.docx'"):
        (tmp_path / "a.docx").write_text("x")
        read_source(str(tmp_path / "a.docx"))
    with pytest.raises(SourceError, match="no such file"):
        read_source(str(tmp_path / "missing.html"))


def test_several_sources_one_failing_the_others_count(server: str):
    articles, problems = read_articles(
        [
            f"{server}/target.html",
            f"{server}/report.pdf",
            str(INTAKE / "id-tokopedia-kebocoran.html"),
        ]
    )
    assert [a.language for a in articles] == ["en", "id"]
    assert len(problems) == 1 and "PDF" in problems[0].reason
    assert problems[0].source.endswith("/report.pdf")


# -- dates, keywords, quotes -----------------------------------------------------------------


def test_dates_in_both_languages_with_relative_ones_resolved():
    base = dt.date(2020, 7, 6)  # a Monday
    text = ("Pada 2 Mei 2020 data bocor. Senin (4/5/2020) direksi dipanggil. Pada awal Juli "
            "data beredar lagi; pekan lalu polisi dilapori. Kemarin Menkominfo berbicara. "
            "Surel dikirim 12 Mei.")  # fmt: skip
    values = [(d.text, d.value) for d in find_dates(text, "id", base)]
    assert values == [
        ("2 Mei 2020", "2020-05-02"),
        ("4/5/2020", "2020-05-04"),
        ("awal Juli", "2020-07"),
        ("pekan lalu", "2020-06-29"),
        ("Kemarin", "2020-07-05"),
        ("12 Mei", "2020-05-12"),
    ]
    text = ("On December 19, 2013 Target confirmed it; on Dec. 27 it said more. In November 2013 "
            "thieves struck. Early January brought more, and last week the CEO spoke. In 2013 "
            "4000 stores. Target may well recover.")  # fmt: skip
    values = [(d.text, d.value) for d in find_dates(text, "en", dt.date(2014, 1, 15))]
    assert values == [
        ("December 19, 2013", "2013-12-19"),
        ("Dec. 27", "2013-12-27"),
        ("November 2013", "2013-11"),
        ("Early January", "2014-01"),
        ("last week", "2014-01-08"),
        ("In 2013", "2013"),
    ]
    # Without the article's date, only what does not depend on it.
    assert [d.value for d in find_dates("Yesterday, on 3 March 2015, in May.", "en")] == [
        "2015-03-03"
    ]
    assert find_dates((INTAKE / "no-dates.txt").read_text(), "en", dt.date(2020, 1, 1)) == []


def test_keywords_in_both_languages_and_acronyms_as_written():
    matcher = KeywordMatcher(load_taxonomy())
    sentences = [
        Sentence(0, "The chief executive apologised and offered free credit monitoring.", "en"),
        Sentence(0, "Tokopedia meminta maaf setelah kebocoran data pengguna.", "id"),
        Sentence(0, "It said it would not comment.", "en"),
        Sentence(0, "The IT department was overwhelmed.", "en"),
    ]
    found = {(h.sentence, h.kind, h.term) for h in matcher.hits(sentences)}
    assert (0, "tactics", "apology") in found and (0, "tactics", "protect-those-affected") in found
    assert (1, "tactics", "apology") in found and (1, "crisis_types", "data-breach") in found
    assert not any(s == 2 for s, _, _ in found)  # "it" is not the IT sector
    assert (3, "sectors", "technology") in found


# -- the draft ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases():
    return [lc.case for lc in load_cases([CASES]).cases]


@pytest.fixture(scope="module")
def drafter(cases):
    """Built from every case but Target's, so a Target article is new to it."""
    return drafter_for([c for c in cases if c.id != "target-2013-card-data-breach"])


@pytest.fixture(scope="module")
def target_draft(drafter):
    article = extract_article(read_source(str(INTAKE / "en-target-breach.html")))
    return drafter.draft([article], taken=["target-2013-data-breach"], today=dt.date(2026, 12, 3))


def test_the_draft_suggests_with_evidence(target_draft):
    d = target_draft
    top = d.suggestions["crisis_types"][0]
    assert top.id == "data-breach" and top.evidence
    assert any("breach" in e.lower() for e in top.evidence)
    tactics = {s.id: s for s in d.suggestions["tactics"]}
    assert {"apology", "protect-those-affected"} <= set(d.case["tactics"])
    assert any("credit monitoring" in e for e in tactics["protect-those-affected"].evidence)
    assert d.case["subject"] == "Target" and d.case["subject_kind"] == "organization"
    assert d.case["countries"] == ["US"] and d.case["language"] == "en"
    assert d.case["crisis_date"].startswith("2013-1")
    assert d.case["id"] == "target-2013-data-breach-2"  # the taken id is not reused
    assert d.case["status"] == "draft"
    for suggestion in [s for kind in d.suggestions.values() for s in kind]:
        assert 0.0 <= suggestion.score <= 1.0


def test_timeline_candidates_carry_their_sentence_and_tactic(target_draft):
    by_date = {}
    for t in target_draft.timeline:
        by_date.setdefault(t.date, []).append(t)
    assert "2013-12-19" in by_date and "2013-11" in by_date
    video = [t for t in by_date.get("2013-12-20", []) if "video" in t.text]
    assert video and video[0].channel == "video"
    apology = [t for t in target_draft.timeline if t.tactic == "apology"]
    assert apology and all(t.date == "2014-01-13" for t in apology)  # "On Monday", resolved
    dates = [t.date for t in target_draft.timeline]
    assert dates == sorted(dates)


def test_entities_quotes_and_sources(target_draft):
    entities = {(e.name, e.kind): e for e in target_draft.entities}
    assert ("Gregg Steinhafel", "person") in entities
    assert ("Steinhafel", "organization") not in entities  # the surname is the person
    assert entities[("United States", "place")].known  # a name the archive knows
    assert not entities[("Gregg Steinhafel", "person")].known  # only Target's case has it
    speakers = {q.speaker for q in target_draft.quotes}
    assert "Gregg Steinhafel" in speakers
    for quote in target_draft.quotes:
        assert quote.text in target_draft.articles[quote.source].text  # verbatim
    (source,) = target_draft.case["sources"]
    assert source["title"].startswith("How Target talked")
    assert source["publisher"] == "The Fixture Ledger" and source["date"] == "2014-01-15"
    assert source["quote"] in target_draft.articles[0].text


def test_the_draft_file_validates_apart_from_its_placeholders(target_draft, tmp_path: Path):
    text = target_draft.to_text()
    path = tmp_path / f"{target_draft.case['id']}.md"
    case, problems = parse_case(text.encode(), path)
    assert case is not None, [str(p) for p in problems]
    assert problems and all(not p.is_error for p in problems)
    assert all("placeholder" in p.message or "TODO" in p.message for p in problems)
    assert case.status == "draft" and case.crisis_types == target_draft.case["crisis_types"]
    assert "# suggested tactics" in text and "credit monitoring" in text  # the evidence


def test_json_keeps_suggestions_apart_from_the_case(target_draft):
    data = json.loads(target_draft.to_json())
    assert set(data) >= {"case", "suggestions", "entities", "timeline", "quotes", "duplicates"}
    assert set(data["suggestions"]) == {
        "crisis_types", "tactics", "sector", "countries", "subject_kind", "responsibility"
    }  # fmt: skip
    first = data["suggestions"]["tactics"][0]
    assert set(first) == {"id", "score", "evidence"}
    assert {"name", "kind", "known"} <= set(data["entities"][0])
    assert {"date", "text", "tactic"} <= set(data["timeline"][0])
    assert "suggestions" not in data["case"]


def test_an_existing_case_is_found_as_a_duplicate(cases):
    drafter = drafter_for(cases)  # Target's case included this time
    article = extract_article(read_source(str(INTAKE / "en-target-breach.html")))
    duplicates = drafter.draft([article]).duplicates
    assert duplicates[0].id == "target-2013-card-data-breach"
    assert "same subject" in duplicates[0].reason


def test_an_indonesian_article_drafts_in_indonesian(drafter):
    article = extract_article(read_source(str(INTAKE / "id-tokopedia-kebocoran.html")))
    d = drafter.draft([article])
    assert d.case["language"] == "id" and d.case["countries"] == ["ID"]
    assert d.suggestions["crisis_types"][0].id == "data-breach"
    assert "## Ringkasan" in d.case["body"]
    names = {e.name for e in d.entities}
    assert {"William Tanuwijaya", "Kementerian Komunikasi dan Informatika"} <= names
    assert ("2020-05-04", "4/5/2020") in {(t.date, t.words) for t in d.timeline}
    assert {q.speaker for q in d.quotes} >= {"Nuraini Razak", "William Tanuwijaya"}


def test_pasted_text_without_dates_still_drafts(drafter):
    article = article_from_text((INTAKE / "no-dates.txt").read_text())
    d = drafter.draft([article], today=dt.date(2026, 12, 3))
    assert d.timeline == []
    assert d.case["crisis_date"] == "2026"  # nothing dated: this year, marked to check
    assert "no dated sentence" in d.to_text()


# -- the learned model -----------------------------------------------------------------------


def test_the_model_is_kept_beside_the_index_and_relearned_when_cases_change(cases, tmp_path):
    matcher = KeywordMatcher(load_taxonomy())
    some = [c for c in cases if c.language == "en"][:10]
    first = load_or_train(some, tmp_path, matcher)
    path = tmp_path / MODEL_FILE
    assert path.exists() and first.combiners and first.weights["tactics"]
    again = load_or_train(some, tmp_path, matcher)
    assert again.fingerprint == first.fingerprint
    changed = [some[0].model_copy(update={"body": some[0].body + "\n\nMore."}), *some[1:]]
    relearned = load_or_train(changed, tmp_path, matcher)
    assert relearned.fingerprint != first.fingerprint
    path.write_bytes(b"not a model")  # damaged: learned again, not an error
    assert load_or_train(some, tmp_path, matcher).fingerprint == first.fingerprint


def test_leave_one_out_reports_both_scores(cases):
    from archive.intake.evaluate import leave_one_out

    report = leave_one_out(
        cases, only=["tokopedia-2020-kebocoran-data", "snapchat-2013-username-phone-leak"]
    )
    for figures in (report.combined, report.keywords):
        assert figures["cases"] == 2
        for key in ("crisis_top1", "tactics_precision", "tactics_recall", "entities_found",
                    "timeline_month"):  # fmt: skip
            assert 0.0 <= figures[key] <= 1.0
    assert report.combined["timeline_month"] > 0  # real dates were found
