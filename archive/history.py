"""Versions of case files, kept in git: commit one saved case, its history, diffs, restore.

When ``cases/`` lies in a git work tree, every save is a commit of exactly that case file
(``git commit --only``: whatever else is staged or changed stays as it was), authored by
the editor who saved it, with the message ``<created|edited|restored> <id>: <summary>``.
History follows renames (``git log --follow``). Outside git nothing is versioned and the
save is only recorded in ``audit.log``. A commit that fails (no git identity, a locked
index, a detached HEAD...) never undoes the save: it says why.

The ``git`` command does the work (no object store of our own).

Example::

    >>> commit_case(Path("cases"), Path("cases/acme-2019.md"), "edited", "acme-2019",
    ...             "date of the recall corrected", editor="Siti Rahma")
    Committed(rev='3f2a...', reason=None)
    >>> [v.summary for v in history(Path("cases"), "acme-2019")]
    ['date of the recall corrected', 'new case']
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError, CaseNotFoundError
from archive.model import Case

ACTIONS = ("created", "edited", "restored")
GIT_TIMEOUT = 30
_SEP = "\x1f"
_MESSAGE = re.compile(r"^(created|edited|restored) ([a-z0-9-]+): (.*)$")


class HistoryError(ArchiveError):
    """History cannot be read: not in git, or an unknown version."""


@dataclass(frozen=True)
class Committed:
    """The result of versioning one save: the new revision, or why there is none."""

    rev: str | None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.rev is not None


@dataclass(frozen=True)
class Version:
    """One commit of a case file's history: who made it, when, why, and the file's path then."""

    rev: str
    date: str  # ISO 8601 with the author's offset
    author: str
    action: str  # created, edited, restored, or "" for commits made outside the archive
    summary: str
    path: str  # the file's path at this version, relative to the repository's root

    @property
    def short(self) -> str:
        return self.rev[:10]

    def to_dict(self) -> dict[str, str]:
        return {"rev": self.rev, "date": self.date, "author": self.author,
                "action": self.action, "summary": self.summary, "path": self.path}  # fmt: skip


# -- git ---------------------------------------------------------------------------------


def _git(root: Path, *args: str, check: bool = True, env: dict | None = None):
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT,
        env={**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", **(env or {})},
    )
    if check and result.returncode != 0:
        raise HistoryError(_reason(result.stderr or result.stdout))
    return result


def repository(cases_dir: Path) -> Path | None:
    """The root of the git work tree ``cases_dir`` lies in, or None (no git, or not in one)."""
    if shutil.which("git") is None or not Path(cases_dir).is_dir():
        return None
    try:
        result = _git(Path(cases_dir), "rev-parse", "--show-toplevel", check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip())


def _reason(stderr: str) -> str:
    """A git failure in words an editor can act on."""
    text = stderr.strip()
    low = text.lower()
    if "tell me who you are" in low or "empty ident" in low or "unable to auto-detect email" in low:
        return (
            "git has no identity to commit with: set one with "
            "'git config user.name \"...\"' and 'git config user.email ...'"
        )
    if "index.lock" in low:
        return (
            "git's index is locked (.git/index.lock): another git command is running, or one "
            "was interrupted; when none runs, remove the lock file"
        )
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0].removeprefix("fatal: ").removeprefix("error: ") if lines else "git failed"


# -- saving ------------------------------------------------------------------------------


def commit_case(
    cases_dir: Path,
    path: Path,
    action: str,
    case_id: str,
    summary: str,
    editor: str | None = None,
) -> Committed:
    """Commit exactly ``path`` (a case file just saved), authored by ``editor`` (None: the
    git identity of whoever runs this). Never raises for a git failure: says why instead."""
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}")
    root = repository(cases_dir)
    if root is None:
        return Committed(None, "the cases folder is not in a git repository")
    summary = " ".join((summary or "").split()) or "no summary given"
    message = f"{action} {case_id}: {summary}"
    relative = str(Path(path).resolve().relative_to(root.resolve()))
    try:
        if _git(root, "symbolic-ref", "-q", "HEAD", check=False).returncode != 0:
            return Committed(None, "git's HEAD is detached: check out a branch to version saves")
        _git(root, "add", "--", relative)
        args = ["commit", "--quiet", "--no-verify", "--only", "-m", message]
        if editor:
            args += ["--author", f"{_ident(editor)} <>"]
        result = _git(root, *args, "--", relative, check=False)
        if result.returncode != 0:
            reason = _reason(result.stderr or result.stdout)
            if "nothing to commit" in (result.stdout + result.stderr):
                reason = "the file did not change since its last version"
            _git(root, "reset", "--quiet", "--", relative, check=False)
            return Committed(None, reason)
        rev = _git(root, "rev-parse", "HEAD").stdout.strip()
        _pack_if_needed(root)
    except HistoryError as exc:
        return Committed(None, str(exc))
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Committed(None, f"git could not be run ({exc})")
    return Committed(rev)


# Every save writes a new tree of the whole cases folder (one entry per case): at 10,000
# cases about 600 KB, loose and compressed on its own. Reading 200 of them made one case's
# history take 0.8 s; packed, 0.2 s. git's own automatic gc waits for 6,700 loose objects
# (about 1,600 saves), so the archive packs its loose objects itself, every 64 saves or so.
LOOSE_OBJECTS_TO_PACK = 256


def _pack_if_needed(root: Path) -> None:
    counted = _git(root, "count-objects", check=False).stdout.split()
    loose = int(counted[0]) if counted and counted[0].isdigit() else 0
    if loose >= LOOSE_OBJECTS_TO_PACK:
        _git(root, "repack", "-d", "-q", check=False)


def _ident(name: str) -> str:
    # git refuses < > and newlines in an identity
    return " ".join(re.sub(r"[<>\n]", "", name).split()) or "editor"


# -- reading -----------------------------------------------------------------------------


def _case_file(cases_dir: Path, case_id: str) -> Path:
    from archive.editor import existing_file

    path = existing_file(Path(cases_dir), case_id)
    if path is None:
        raise CaseNotFoundError(case_id)
    return path


def history(cases_dir: Path, case_id: str, limit: int | None = None) -> list[Version]:
    """The case file's versions, newest first, across renames of the file."""
    root = repository(cases_dir)
    if root is None:
        raise HistoryError("the cases folder is not in a git repository: there is no history")
    path = _case_file(cases_dir, case_id)
    relative = str(path.resolve().relative_to(root.resolve()))
    fmt = _SEP.join(["%H", "%aI", "%an", "%s"])
    args = ["log", "--follow", f"--format=\x1e{fmt}", "--name-status", "-M"]
    if limit:
        args.append(f"-n{limit}")
    result = _git(root, *args, "--", relative)
    versions = []
    for record in result.stdout.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        rev, date, author, subject = head.split(_SEP, 3)
        status = next((n.split("\t") for n in names.splitlines() if n.strip()), ["M", relative])
        match = _MESSAGE.match(subject)
        action, summary = (match.group(1), match.group(3)) if match else ("", subject)
        versions.append(Version(rev, date, author, action, summary, status[-1]))
        # A copy of another case starts this one's history; --follow would go on into the
        # other case's past (a rename, "R", is followed).
        if status[0].startswith("C"):
            break
    return versions


def find_version(versions: list[Version], rev: str) -> Version:
    """The version whose revision starts with ``rev`` (at least 4 characters), or by number
    counted from the oldest (1 is the first version)."""
    if rev.isdigit() and len(rev) < 4:
        n = int(rev)
        if 1 <= n <= len(versions):
            return versions[len(versions) - n]
    found = [v for v in versions if len(rev) >= 4 and v.rev.startswith(rev.lower())]
    if len(found) == 1:
        return found[0]
    which = "is ambiguous" if found else "is not a version of this case"
    raise HistoryError(f"'{rev}' {which}: see 'archive history' for its versions")


def text_at(cases_dir: Path, version: Version) -> str:
    """The case file's text at ``version``."""
    root = repository(cases_dir)
    if root is None:
        raise HistoryError("the cases folder is not in a git repository")
    result = subprocess.run(
        ["git", "show", f"{version.rev}:{version.path}"],
        cwd=root, capture_output=True, timeout=GIT_TIMEOUT,
    )  # fmt: skip
    if result.returncode != 0:
        raise HistoryError(_reason(result.stderr.decode("utf-8", "replace")))
    return result.stdout.decode("utf-8")


# -- diffs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """A front-matter key whose value differs between two versions (None where absent)."""

    field: str
    old: Any
    new: Any
    added: list[Any] = field(default_factory=list)  # for lists: items only in new
    removed: list[Any] = field(default_factory=list)  # for lists: items only in old


@dataclass(frozen=True)
class ParagraphChange:
    """Paragraphs of the narrative inserted, deleted or replaced (spaces collapsed)."""

    op: str  # "insert", "delete" or "replace"
    old: list[str]
    new: list[str]


@dataclass
class CaseDiff:
    """What changed between two versions of a case file: front-matter keys, then paragraphs."""

    fields: list[FieldChange]
    paragraphs: list[ParagraphChange]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.paragraphs

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": [vars(f) for f in self.fields],
            "paragraphs": [vars(p) for p in self.paragraphs],
        }


def diff_texts(old: str, new: str, suffix: str = ".md") -> CaseDiff:
    """Field by field for the front matter, paragraph by paragraph for the narrative."""
    old_fields, old_body = split_case_text(old, suffix)
    new_fields, new_body = split_case_text(new, suffix)
    order = [k for k in Case.model_fields if k != "body"]
    keys = order + sorted((set(old_fields) | set(new_fields)) - set(order))
    changes = []
    for key in keys:
        a, b = old_fields.get(key), new_fields.get(key)
        if a == b:
            continue
        if isinstance(a, list) or isinstance(b, list):
            a_list, b_list = a or [], b or []
            changes.append(FieldChange(key, a, b, [x for x in b_list if x not in a_list],
                                       [x for x in a_list if x not in b_list]))  # fmt: skip
        else:
            changes.append(FieldChange(key, a, b))
    return CaseDiff(changes, _paragraph_changes(old_body, new_body))


def _paragraph_changes(old: str, new: str) -> list[ParagraphChange]:
    a, b = _paragraphs(old), _paragraphs(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            out.append(ParagraphChange(op, a[i1:i2], b[j1:j2]))
    return out


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def split_case_text(text: str, suffix: str = ".md") -> tuple[dict[str, Any], str]:
    """The front matter's values (as the loader reads them) and the narrative of a case
    file's text; a version the loader cannot read is all narrative."""
    from archive.loader import front_matter

    try:
        return front_matter(text, suffix)
    except ValueError:
        return {}, text


# -- restoring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    """An earlier version made current again: the saved file, that version and its commit."""

    path: Path
    version: Version
    committed: Committed


def restore(
    cases_dir: Path, case_id: str, rev: str, editor: str | None = None, summary: str = ""
) -> Restored:
    """Make an earlier version the current one, as a new version (nothing is rewritten).

    The file is saved like any edit (validated, atomic); the commit says which version came
    back. Raises HistoryError for an unknown version or one that is the current text.
    """
    from archive.editor import save_edit
    from archive.loader import content_hash

    cases_dir = Path(cases_dir)
    versions = history(cases_dir, case_id)
    version = find_version(versions, rev)
    old_text = text_at(cases_dir, version)
    path = _case_file(cases_dir, case_id)
    current = path.read_bytes()
    if old_text.encode("utf-8") == current:
        raise HistoryError(f"version {version.short} is the case's current text")
    if Path(version.path).suffix != path.suffix:
        raise HistoryError(
            f"version {version.short} is a {Path(version.path).suffix} file and the case is "
            f"now {path.suffix}: restore it by hand"
        )
    saved = save_edit(
        cases_dir, case_id, old_text, content_hash(current), editor=editor, action="restored"
    )
    note = summary.strip() or f"back to {version.short} of {version.date[:10]}"
    committed = commit_case(cases_dir, saved.path, "restored", case_id, note, editor)
    return Restored(saved.path, version, committed)
