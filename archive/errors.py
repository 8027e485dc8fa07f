"""Domain errors. The library raises these; the command line and the app turn them into messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ArchiveError(Exception):
    """Base class of every error the archive raises on purpose."""


@dataclass(frozen=True, order=True)
class CaseProblem:
    """One problem in one case file, printed as ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str
    severity: str = "error"  # "error" or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        prefix = "" if self.is_error else "warning: "
        field = self.field or "(file)"
        return f"{self.path}:{self.line}: {field}: {prefix}{self.message}"


class CaseFileError(ArchiveError):
    """A single case file could not be read or is invalid."""

    def __init__(self, problems: list[CaseProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class IndexLockedError(ArchiveError):
    """Another process holds the index writer lock."""

    def __init__(self, index_dir: Path, timeout: float):
        self.index_dir = index_dir
        super().__init__(
            f"the index at {index_dir} is locked by another writer (waited {timeout:g} s); "
            "wait for the other 'archive index' or app save to finish and try again"
        )


class CaseNotFoundError(ArchiveError):
    """No case has the id asked for; ``suggestion`` is a close id to offer instead, if any."""

    def __init__(self, case_id: str, suggestion: str | None = None):
        self.case_id = case_id
        self.suggestion = suggestion
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        super().__init__(f"no case with id '{case_id}'{hint}")


class TaxonomyError(ArchiveError):
    """The taxonomy file itself is broken (a packaging bug, not a user mistake)."""


class IndexUnusable(ArchiveError):
    """The index cannot be opened as it is (missing, damaged, outdated): rebuild it."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class QueryTooBroad(ArchiveError):
    """A wildcard, prefix or range stands for too many index words, or a query has too
    many of them; the message says which, for the reader. ``key`` and ``values`` name the
    message in the strings catalogue, for a reader of another language."""

    def __init__(self, message: str, key: str = "", **values: object):
        super().__init__(message)
        self.key, self.values = key, values


class UnknownEngine(ArchiveError):
    """The engine named by ``ARCHIVE_ENGINE`` or ``--engine`` is not one the archive has."""

    def __init__(self, name: str, known: tuple[str, ...]):
        self.name = name
        super().__init__(
            f"unknown search engine '{name}' (ARCHIVE_ENGINE or --engine): "
            f"choose one of {', '.join(known)}"
        )
