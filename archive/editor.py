"""Safe writes of case files: scaffold, id rules, atomic save, conflict detection, audit log.

Nothing here can lose a file: a new case never replaces an existing one; an edit replaces
a file only if it is unchanged since the editor read it (else the edit is kept beside it
as a conflict copy); every write goes to a temporary file in the same folder, is fsynced
and then renamed into place.

Example::

    >>> text = scaffold(title="Acme recalls kettles", subject="Acme", subject_kind="organization",
    ...                 crisis_date="2019-03", crisis_types=["product-safety"])
    >>> saved = save_new(Path("cases"), text)
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.errors import ArchiveError, CaseFileError, CaseNotFoundError, CaseProblem
from archive.files import fsync_dir, temp_beside, write_atomic  # noqa: F401 (write_atomic: re-exported)
from archive.loader import content_hash, declared_id, parse_case
from archive.model import SLUG_PATTERN, Case
from archive.taxonomy import load_taxonomy

MAX_ID = 80


class UnsafeIdError(ArchiveError):
    """An id that is not a slug, or whose file would land outside the cases folder."""


class CaseExistsError(ArchiveError):
    """A new case would overwrite an existing file."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"{path} already exists: choose another id, or edit that case")


class EditConflictError(ArchiveError):
    """The file changed on disk since the editor opened it; the edit was kept aside."""

    def __init__(self, path: Path, kept: Path):
        self.path, self.kept = path, kept
        super().__init__(
            f"{path} changed on disk since you opened it; your version was saved as {kept} "
            "and the file on disk was left as it is: compare the two and edit again"
        )


@dataclass(frozen=True)
class Saved:
    """A case written by the editor: where, the case as read back, its hash, new or not."""

    path: Path
    case: Case
    content_hash: str
    created: bool


# -- ids -----------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Kebun Binatang Surabaya" -> kebun-binatang-surabaya."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def suggest_id(subject: str, crisis_date: str, topic: str = "", taken: Sequence[str] = ()) -> str:
    """'Target Corporation', '2013-11-27', 'data-breach' -> 'target-corporation-2013-data-breach'."""
    parts = [slugify(subject), crisis_date[:4], slugify(topic)]
    base = "-".join(p for p in parts if p)[:MAX_ID].strip("-") or "case"
    candidate, n = base, 2
    while candidate in set(taken):
        suffix = f"-{n}"
        candidate = base[: MAX_ID - len(suffix)].strip("-") + suffix
        n += 1
    return candidate


def case_path(cases_dir: Path, case_id: str, suffix: str = ".md") -> Path:
    """The file of ``case_id`` inside ``cases_dir``; raises UnsafeIdError for anything else."""
    if not isinstance(case_id, str) or not re.match(SLUG_PATTERN, case_id) or len(case_id) > MAX_ID:
        raise UnsafeIdError(
            f"'{case_id}' is not a valid id: use lowercase letters, digits and single hyphens "
            f"(at most {MAX_ID} characters)"
        )
    if suffix not in (".md", ".yaml", ".yml"):
        raise UnsafeIdError(f"'{suffix}' is not a case file type")
    root = cases_dir.resolve()
    path = root / f"{case_id}{suffix}"
    # A symlink placed in cases/ must not lead a write outside it.
    if path.is_symlink() or path.resolve().parent != root:
        raise UnsafeIdError(f"{path} is a link; case files must be regular files inside {root}")
    return path


def existing_file(cases_dir: Path, case_id: str) -> Path | None:
    """The file of a case id in the folder, whatever its extension, or None."""
    for suffix in (".md", ".yaml", ".yml"):
        path = case_path(cases_dir, case_id, suffix)
        if path.exists():
            return path
    return None


# -- scaffold ------------------------------------------------------------------------------


def _q(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars: no quoting surprises.
    return json.dumps(value, ensure_ascii=False)


def _flow(values: Sequence[str]) -> str:
    return "[" + ", ".join(values) + "]"


def scaffold(
    *,
    title: str,
    subject: str,
    subject_kind: str,
    crisis_date: str,
    crisis_types: Sequence[str] = (),
    tactics: Sequence[str] = (),
    outcome: str = "ongoing",
    case_id: str | None = None,
    language: str = "en",
    sector: str | None = None,
    countries: Sequence[str] = (),
    source_title: str | None = None,
    source_publisher: str | None = None,
    source_url: str | None = None,
    today: dt.date | None = None,
) -> str:
    """A new case file in which every field is present or documented in a comment.

    Placeholders start with TODO; `archive validate` warns about them (and --strict fails).
    """
    case_id = case_id or suggest_id(subject, crisis_date, (crisis_types or [""])[0])
    today = today or dt.date.today()
    lines = [
        "---",
        f"id: {case_id}",
        f"title: {_q(title)}",
        f"subject: {_q(subject)}",
        f"subject_kind: {subject_kind}  # organization or person",
        f"language: {language}  # en or id: the language of the narrative",
        f"crisis_types: {_flow(crisis_types or ['TODO'])}  # ids: archive stats or the glossary",
        f"tactics: {_flow(tactics or ['TODO'])}  # what the subject did to recover (or tried)",
        f"outcome: {outcome}  # recovered, partially-recovered, not-recovered or ongoing",
        f"crisis_date: {crisis_date}  # YYYY, YYYY-MM or YYYY-MM-DD",
        *_where_lines(sector, countries),
        f"outcome_summary: {_q('TODO: one or two sentences of evidence for the outcome')}",
        "timeline:  # dated events, oldest first; tactic and channel where the event carried one",
        f"  - {{date: {crisis_date}, event: {_q('TODO: what happened')}}}",
        '#  - {date: YYYY-MM-DD, event: "...", tactic: apology, channel: press-release}',
        "# statements:  # the subject's own words, verbatim, with the tactics they perform",
        '#  - {date: YYYY-MM-DD, speaker: "...", channel: video, text: "...", moves: [apology]}',
        "entities:  # people, organisations and places named in the case",
        f"  - {{name: {_q(subject)}, kind: {subject_kind}}}  # aliases: [short names]",
        "lessons:",
        f"  - {_q('TODO: a take-away a student or consultant can quote')}",
        "# tags: [free-keywords]",
        "# related: [other-case-ids]",
        "sources:  # title and a publisher or url; a short verbatim quote where you can",
        *_source_lines(source_title, source_publisher, source_url),
        "status: draft  # reviewed once an editor has checked the facts against the sources",
        f"added: {today.isoformat()}",
        "---",
    ]
    return "\n".join(lines) + "\n" + _body(language)


def _body(language: str) -> str:
    """The narrative's headings in the case's language, each with a TODO."""
    headings = (
        ["Summary", "Crisis", "Response", "Outcome", "Lessons"]
        if language == "en"
        else ["Ringkasan", "Krisis", "Respons", "Hasil", "Pelajaran"]
    )
    body = []
    for heading in headings:
        body += [f"## {heading}", "", "TODO", ""]
    return "\n".join(body)


def _where_lines(sector: str | None, countries: Sequence[str]) -> list[str]:
    """The sector, countries and responsibility lines of a scaffold (commented when unknown)."""
    sectors = ", ".join(load_taxonomy().ids("sectors"))
    return [
        f"sector: {sector}" if sector else f"# sector: one of {sectors}",
        f"countries: {_flow(list(countries))}  # ISO 3166-1 alpha-2 codes, e.g. [ID, US]"
        if countries
        else "# countries: [ID]  # ISO 3166-1 alpha-2 codes",
        "# responsibility: victim  # victim, accidental or preventable (SCCT crisis cluster)",
    ]


def _source_lines(title: str | None, publisher: str | None, url: str | None) -> list[str]:
    """The first source of a scaffold: its title, and a publisher or url."""
    source = [f"  - title: {_q(title or 'TODO: exact title of the source')}"]
    if publisher or not url:
        source.append(f"    publisher: {_q(publisher or 'TODO: publisher')}")
    if url:
        source.append(f"    url: {_q(url)}")
    return source


# -- saving --------------------------------------------------------------------------------


@contextmanager
def _case_lock(cases_dir: Path, case_id: str):
    """One writer per case across processes and threads (a lock file outside cases/)."""
    lock_dir = cases_dir.resolve().parent / ".archive" / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{case_id}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _validated(text: str, path: Path) -> Case:
    case, problems = parse_case(text.encode("utf-8"), path)
    errors = [p for p in problems if p.is_error]
    if case is None or errors:
        raise CaseFileError(errors or problems)
    return case


def audit(
    cases_dir: Path, action: str, case_id: str, path: Path, editor: str | None = None
) -> None:
    """Append one line to audit.log beside cases/: when, which case, created or edited, by whom."""
    log = cases_dir.resolve().parent / "audit.log"
    record = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "action": action,
              "case": case_id, "file": path.name}  # fmt: skip
    if editor:
        record["editor"] = editor
    line = json.dumps(record, ensure_ascii=False)
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def save_new(cases_dir: Path, text: str, editor: str | None = None) -> Saved:
    """Validate and write a new case; never replaces a file (CaseExistsError instead)."""
    cases_dir = Path(cases_dir)
    case_id = declared_id(text.encode("utf-8"))
    if case_id is None:
        _validated(text, Path("new.md"))  # reports why the text cannot be read
        raise CaseFileError([CaseProblem("new.md", 1, "id", "required field is missing")])
    path = case_path(cases_dir, case_id)
    case = _validated(text, path)
    data = text.encode("utf-8")
    _create(cases_dir, case.id, path, data, editor)
    return Saved(path, case, content_hash(data), True)


def write_scaffold(cases_dir: Path, case_id: str, text: str, editor: str | None = None) -> Path:
    """Write a new scaffold (placeholders allowed) with the same no-overwrite guarantee."""
    path = case_path(Path(cases_dir), case_id)
    _create(Path(cases_dir), case_id, path, text.encode("utf-8"), editor)
    return path


def write_new_file(path: Path, data: bytes) -> Path:
    """Write a file that must not exist yet (FileExistsError if it does, even in a race)."""
    tmp = temp_beside(path, data)
    try:
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)
    return path


def _create(
    cases_dir: Path, case_id: str, path: Path, data: bytes, editor: str | None = None
) -> None:
    with _case_lock(cases_dir, case_id):
        other = existing_file(cases_dir, case_id)
        if other is not None:
            raise CaseExistsError(other)
        tmp = temp_beside(path, data)
        try:
            os.link(tmp, path)  # fails if the name exists: no overwrite, even in a race
        except FileExistsError:
            raise CaseExistsError(path) from None
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(path.parent)
    audit(cases_dir, "created", case_id, path, editor)


def save_edit(
    cases_dir: Path,
    case_id: str,
    text: str,
    opened_hash: str,
    editor: str | None = None,
    action: str = "edited",
) -> Saved:
    """Replace a case's file with ``text`` if the file still has ``opened_hash``.

    Otherwise the new text is written beside it as ``<id>.conflict-<time>.md.txt`` (not a
    case file, so it is not indexed) and EditConflictError says where.
    """
    cases_dir = Path(cases_dir)
    path = existing_file(cases_dir, case_id)
    if path is None:
        raise CaseNotFoundError(case_id)
    case = _validated(text, path)
    if case.id != case_id:
        raise UnsafeIdError(
            f"an edit cannot change the id ('{case_id}' -> '{case.id}'); create a new case"
        )
    data = text.encode("utf-8")
    with _case_lock(cases_dir, case_id):
        current = content_hash(path.read_bytes())
        if current != opened_hash:
            stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
            kept = path.with_name(f"{case_id}.conflict-{stamp}{path.suffix}.txt")
            tmp = temp_beside(kept, data)
            os.replace(tmp, kept)
            fsync_dir(path.parent)
            raise EditConflictError(path, kept)
        tmp = temp_beside(path, data)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    audit(cases_dir, action, case_id, path, editor)
    return Saved(path, case, content_hash(data), False)


# -- forms: case <-> text, duplicates --------------------------------------------------------


def case_to_text(data: dict) -> str:
    """A case file (.md) from a mapping of case fields plus ``body``.

    Empty optional fields are left out; keys keep the contract's order, so a case read and
    written back keeps every value and its narrative exactly.
    """
    import yaml

    order = list(Case.model_fields)
    body = str(data.get("body") or "").strip("\n")
    front = {}
    for key in order:
        if key == "body" or key not in data:
            continue
        value = data[key]
        if value in (None, "", [], {}):
            continue
        front[key] = _plain(value)
    dumped = yaml.safe_dump(
        front, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )
    return f"---\n{dumped}---\n{body}\n"


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def case_fields(case: Case) -> dict:
    """The editable fields of a case (what case_to_text takes back)."""
    return case.model_dump(exclude_none=True)


@dataclass(frozen=True)
class Duplicate:
    """An existing case that may be the same story, and why it looks so."""

    case_id: str
    title: str
    reason: str


def find_duplicates(candidate: Case, others: Sequence[Case]) -> list[Duplicate]:
    """Existing cases that may be the same story: same subject and a crisis within a year,
    or a very similar title or narrative."""
    import difflib

    from archive.model import date_start

    found: list[Duplicate] = []
    words = set(re.findall(r"\w+", candidate.body.lower()))
    for other in others:
        if other.id == candidate.id:
            continue
        same_subject = slugify(other.subject) == slugify(candidate.subject)
        days = abs((date_start(other.crisis_date) - date_start(candidate.crisis_date)).days)
        title_ratio = difflib.SequenceMatcher(
            None, other.title.lower(), candidate.title.lower()
        ).ratio()
        other_words = set(re.findall(r"\w+", other.body.lower()))
        overlap = len(words & other_words) / max(1, len(words | other_words))
        if same_subject and days <= 366:
            found.append(
                Duplicate(other.id, other.title, f"same subject, crisis {days} days apart")
            )
        elif title_ratio >= 0.8:
            found.append(Duplicate(other.id, other.title, f"title {title_ratio:.0%} similar"))
        elif overlap >= 0.6:
            found.append(
                Duplicate(other.id, other.title, f"narrative shares {overlap:.0%} of its words")
            )
    return found
