"""Generations of the index and what each records: ``CURRENT`` names the live generation;
a generation holds the engine's files, ``meta.json`` (schema version, taxonomy, engine,
curated names, the file table) and the spelling vocabulary. Opening the live generation
says why it cannot be used when it cannot."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive import engine as engines
from archive.entities import CuratedName
from archive.errors import IndexUnusable
from archive.fields import schema_fingerprint
from archive.files import write_atomic
from archive.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:  # searching never builds a Case (pydantic) unless one is read
    from archive.model import Case

# Bump when the schema or what goes into a document changes: older indexes are rebuilt.
# 4: boosts at query time only (archive/fields.py); the channel facet.
# 5: the analyzers, which Whoosh pickles into the index, moved to archive.engine.whoosh.
# 6: the analyzers moved to archive.engine.analysis; a second engine (meta.json names it).
# 7: bilingual bridge words, source titles and the case id's words (archive/fields.py).
SCHEMA_VERSION = 7


VOCABULARY_FILE = "vocabulary.json"


@dataclass
class Meta:
    """What a generation's ``meta.json`` records about how and from what it was built."""

    schema_version: int = SCHEMA_VERSION
    taxonomy: str = ""
    # case id -> its curated entities [[name, kind, aliases], ...]: the ruler's patterns
    curated: dict[str, list[list[Any]]] = field(default_factory=dict)
    entity_fingerprint: str = ""
    # file name -> [mtime_ns, size, content hash]: the cheap staleness check
    files: dict[str, list[Any]] = field(default_factory=dict)
    cases_dir: str = ""
    pipeline: str = ""  # entity pipeline and model version the entities came from
    engine: str = engines.DEFAULT_ENGINE  # the search engine whose files these are
    fields: str = ""  # archive.fields.schema_fingerprint() of the fields it was built with

    def curated_of(self, case_id: str) -> list[CuratedName]:
        return [CuratedName(n, k, tuple(a)) for n, k, a in self.curated.get(case_id, [])]


def curated_rows(case: Case) -> list[list[Any]]:
    """The case's curated entities as ``Meta.curated`` holds them: [name, kind, aliases]."""
    return [[e.name, e.kind, list(e.aliases)] for e in case.entities]


def current_generation(index_dir: Path) -> Path | None:
    """The live generation's folder, as ``CURRENT`` names it; None if there is none."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = index_dir / name
    return gen if name.startswith("gen-") and gen.is_dir() else None


def read_meta(gen: Path) -> Meta:
    """The generation's ``meta.json``, without keys this version does not know.

    Raises OSError, ValueError or TypeError when the file is missing or damaged.
    """
    data = json.loads((gen / "meta.json").read_text(encoding="utf-8"))
    known = set(Meta.__dataclass_fields__)
    return Meta(**{k: v for k, v in data.items() if k in known})


def write_meta(gen: Path, meta: Meta) -> None:
    """Write the generation's ``meta.json`` (atomically)."""
    write_atomic(gen / "meta.json", json.dumps(meta.__dict__, ensure_ascii=False))


@dataclass
class Opened:
    """An open index and the engine it belongs to (the steps below read and write it)."""

    engine: engines.Engine
    ix: Any

    def snapshot(self) -> engines.base.Snapshot:
        return self.engine.snapshot(self.ix)

    def close(self) -> None:
        self.engine.close(self.ix)


def open_current(
    index_dir: Path, tax: Taxonomy | None = None, engine: str | None = None
) -> tuple[Opened, Meta, Path]:
    """Open the live generation with the engine chosen (``archive.engine.chosen``), or raise
    IndexUnusable saying why it cannot be used."""
    tax = tax or load_taxonomy()
    name = engines.chosen(engine)
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexUnusable("no index yet")
    try:
        meta = read_meta(gen)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexUnusable(f"index metadata unreadable ({exc.__class__.__name__})") from exc
    if meta.schema_version != SCHEMA_VERSION:
        raise IndexUnusable(
            f"index schema version {meta.schema_version}, this program needs {SCHEMA_VERSION}"
        )
    if meta.fields != schema_fingerprint():
        raise IndexUnusable("the index's fields changed (archive/fields.py)")
    if meta.taxonomy != tax.fingerprint:
        raise IndexUnusable("the taxonomy changed since the index was built")
    if meta.engine != name:
        raise IndexUnusable(f"the index was built by {meta.engine}, the engine chosen is {name}")
    try:
        json.loads((gen / VOCABULARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUnusable(f"the vocabulary file is damaged ({exc.__class__.__name__})") from exc
    eng = engines.load(name)
    try:
        ix = eng.open_index(gen)
    except Exception as exc:  # engines raise many kinds on damaged files
        raise IndexUnusable(f"index files are damaged ({exc.__class__.__name__}: {exc})") from exc
    return Opened(eng, ix), meta, gen


def read_vocabulary(gen: Path) -> Counter[str]:
    """word -> how many cases use it (see spell_words); empty if the file is missing."""
    try:
        return Counter(json.loads((gen / VOCABULARY_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Counter()


def write_vocabulary(gen: Path, words: Counter[str]) -> None:
    """Write the spelling vocabulary (word -> cases using it) atomically, without zero counts."""
    kept = {w: n for w, n in sorted(words.items()) if n > 0}
    write_atomic(gen / VOCABULARY_FILE, json.dumps(kept, ensure_ascii=False))


def remove_unfinished(index_dir: Path) -> None:
    """What a build killed half-way left behind (only ever called under the build lock):
    generations newer than the live one, which no reader can have opened, and temp files."""
    current = current_generation(index_dir)
    number = int(current.name.split("-")[1]) if current else 0
    for d in index_dir.glob("gen-*"):
        if re.fullmatch(r"gen-\d{6}", d.name) and int(d.name[4:]) > number:
            shutil.rmtree(d, ignore_errors=True)
    for tmp in index_dir.glob(".CURRENT.*.tmp"):
        tmp.unlink(missing_ok=True)


def remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    """Delete every generation whose folder name is not in ``keep`` (failures are ignored)."""
    # The previous generation is kept one round: a reader may still have it open.
    for d in index_dir.glob("gen-*"):
        if d.name not in keep:
            shutil.rmtree(d, ignore_errors=True)
