"""Read case files into Case objects, reporting every problem with its file, line and field.

Example::

    >>> result = load_cases(["cases"])
    >>> for problem in result.problems:
    ...     print(problem)          # cases/x.md:12: tactics[2]: unknown tactic 'apolgy': ...
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from archive.errors import CaseProblem
from archive.files import CASE_EXTENSIONS
from archive.model import SUBRECORDS, Case, date_start, duplicate_items, field_names
from archive.taxonomy import Taxonomy, load_taxonomy

MAX_FILE_BYTES = 512 * 1024
# After alias expansion: a real case has a few hundred nodes; "billion laughs" has billions.
MAX_YAML_NODES = 20_000
MAX_YAML_DEPTH = 50  # where the message points when nesting runs out of stack
# C0 controls other than tab and newline, and DEL: YAML refuses them in the front matter,
# and the narrative refuses them too (they are invisible and break exports).
_CONTROL_RE = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BIDI_RE = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_STD_TAG = "tag:yaml.org,2002:"
_NULL_TAG = _STD_TAG + "null"
# Plain data only: no python/object, no binary, no sets.
_ALLOWED_TAGS = {
    _STD_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class LoadedCase:
    """A valid case, the file it came from, the hash of its bytes and where each key stands."""

    case: Case
    path: Path
    content_hash: str
    lines: dict = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, *loc: Any) -> int:
        return _line_for(tuple(loc), self.lines)


@dataclass
class LoadResult:
    """The valid cases of a load, every problem found (errors and warnings), files read."""

    cases: list[LoadedCase] = field(default_factory=list)
    problems: list[CaseProblem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[CaseProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[CaseProblem]:
        return [p for p in self.problems if not p.is_error]


class _Problem(Exception):
    def __init__(self, line: int, field: str, message: str):
        self.line, self.field, self.message = line, field, message


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes, in hex (how the index tells that a case file changed)."""
    return hashlib.sha256(data).hexdigest()


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Case files under the given files or directories (not recursive), sorted by name."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(
                f for f in p.iterdir() if f.suffix in CASE_EXTENSIONS and not f.name.startswith(".")
            )
        else:
            found.append(p)
    return sorted(set(found))


def load_cases(
    paths: Iterable[str | Path],
    taxonomy: Taxonomy | None = None,
    known_ids: set[str] | None = None,
) -> LoadResult:
    """Load and validate every case file; bad files are reported and skipped.

    ``known_ids``: ids of the whole archive when only some of its files are loaded, so that
    ``related`` links to cases not loaded now are not reported as missing.
    """
    tax = taxonomy or load_taxonomy()
    result = LoadResult()
    files = discover(paths)
    result.files = len(files)
    for path in files:
        try:
            data = _read_bytes(path)
        except _Problem as p:
            result.problems.append(CaseProblem(str(path), p.line, p.field, p.message))
            continue
        case, problems, lines = _parse(data, path, tax)
        result.problems.extend(problems)
        if case is not None:
            result.cases.append(LoadedCase(case, path, content_hash(data), lines))
    _cross_file_checks(result, known_ids or set())
    result.problems.sort(key=lambda p: (p.path, p.line))
    return result


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _Problem(
                1, "", f"file is {size} bytes; a case file may be at most {MAX_FILE_BYTES}"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise _Problem(1, "", "no such file") from None
    except IsADirectoryError:
        raise _Problem(1, "", "is a directory, not a case file") from None
    except OSError as exc:
        raise _Problem(1, "", f"cannot read: {exc.strerror}") from None


def parse_case(
    data: bytes, path: Path, taxonomy: Taxonomy | None = None
) -> tuple[Case | None, list[CaseProblem]]:
    """Parse one case file's bytes. Returns the case (None if it has errors) and its problems."""
    case, problems, _ = _parse(data, path, taxonomy or load_taxonomy())
    return case, problems


def _parse(data: bytes, path: Path, tax: Taxonomy) -> tuple[Case | None, list[CaseProblem], dict]:
    problems: list[CaseProblem] = []

    def add(line: int, fld: str, message: str, severity: str = "error") -> None:
        problems.append(CaseProblem(str(path), line, fld, message, severity))

    if path.suffix not in CASE_EXTENSIONS:
        add(1, "", f"unknown file type '{path.suffix}': use .md or .yaml")
        return None, problems, {}
    if len(data) > MAX_FILE_BYTES:
        add(1, "", f"file is {len(data)} bytes; a case file may be at most {MAX_FILE_BYTES}")
        return None, problems, {}
    try:
        text = _decode(data)
        raw, lines, body, body_line = _split_and_compose(text, path.suffix)
    except _Problem as p:
        add(p.line, p.field, p.message)
        return None, problems, {}

    _check_unknown_keys(raw, lines, add, is_markdown=path.suffix == ".md")
    _check_placeholders(raw, lines, add)
    if body is not None and (bad := _CONTROL_RE.search(body)):
        line = body_line + body.count("\n", 0, bad.start())
        add(line, "body", _control_message(bad.group()))
        return None, problems, {}
    _check_bidi(raw, lines, add)
    if body is not None and (bad := _BIDI_RE.search(body)):
        line = body_line + body.count("\n", 0, bad.start())
        add(line, "body", _bidi_message(bad.group()), "warning")
    if body is not None and re.search(r"^TODO\b", body, flags=re.M):
        add(body_line, "body", "the narrative still has TODO placeholders", "warning")
    if body is not None:
        raw = {**raw, "body": body}
        lines[("body",)] = body_line
    try:
        case = Case.model_validate(raw, context={"taxonomy": tax})
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            add(_line_for(loc, lines), _dotted(loc), _message(err))
        return None, problems, lines

    _check_case(case, path, lines, add)
    if any(p.is_error for p in problems):
        return None, problems, lines
    return case, problems, lines


def declared_id(data: bytes, suffix: str = ".md") -> str | None:
    """The ``id`` a case file's text declares, or None if it cannot be read."""
    try:
        raw, _, _, _ = _split_and_compose(_decode(data), suffix)
    except _Problem:
        return None
    value = raw.get("id")
    return value if isinstance(value, str) else None


def front_matter(text: str, suffix: str = ".md") -> tuple[dict[str, Any], str]:
    """A case file's values, read as the loader reads them (scalars as written), and its
    narrative; ValueError when the text cannot be read as a case file at all."""
    try:
        raw, _, body, _ = _split_and_compose(_decode(text.encode("utf-8")), suffix)
    except _Problem as problem:
        raise ValueError(f"line {problem.line}: {problem.message}") from None
    if body is None:
        body = str(raw.pop("body", "") or "")
    return raw, body


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _Problem(1, "", "the file is UTF-16; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Problem(
            line, "", f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_and_compose(text: str, suffix: str) -> tuple[dict, dict[Path_, int], str | None, int]:
    """Returns (raw mapping, key path -> 1-based line, narrative or None, narrative's first line)."""
    if not text.strip():
        raise _Problem(1, "", "the file is empty")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _Problem(line, "", "file contains NUL bytes; is it a binary file?")
    if suffix == ".md":
        lines = text.split("\n")
        if not lines or lines[0].strip() != "---":
            raise _Problem(
                1, "", "a .md case must start with a '---' line opening the YAML front matter"
            )
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            raise _Problem(1, "", "the front matter opened on line 1 is never closed with '---'")
        front = "\n".join(lines[1:end])
        body = "\n".join(lines[end + 1 :]).strip("\n")
        raw, line_map = _compose(front, offset=1)
        return raw, line_map, body, end + 2
    raw, line_map = _compose(text, offset=0)
    return raw, line_map, None, 0


# libyaml parses about five times faster; its error messages are terser, so a file it refuses
# is parsed again by the pure-Python parser for the message.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str, offset: int) -> tuple[dict, dict[Path_, int]]:
    try:
        if _FAST_LOADER is not None:
            try:
                node = yaml.compose(text, Loader=_FAST_LOADER)
            except (yaml.YAMLError, RecursionError):
                node = yaml.compose(text, Loader=yaml.SafeLoader)
        else:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; no line mark
        index = text.count("\n", 0, max(exc.position, 0))
        key = re.match(r"([A-Za-z_][\w-]*)\s*:", text.split("\n")[index])
        raise _Problem(
            index + 1 + offset, key.group(1) if key else "", _control_message(exc.character)
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else 1 + offset
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem:
            what += f" ({exc.context} started on line {exc.context_mark.line + 1 + offset})"
        raise _Problem(line, "", f"YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:
        raise _Problem(1 + offset, "", f"YAML error: {exc}") from None
    except RecursionError:
        raise _too_deep(text, offset) from None
    if node is None:
        raise _Problem(1 + offset, "", "the case has no keys")
    if not isinstance(node, yaml.MappingNode):
        raise _Problem(node.start_mark.line + 1 + offset, "", "the case must be a mapping of keys")
    lines: dict[Path_, int] = {(): offset + 1 if offset else 1}
    budget: list[Any] = [0, set()]
    try:
        raw = _build(node, (), lines, offset, budget)
    except RecursionError:
        raise _too_deep(text, offset) from None
    return raw, lines


def _too_deep(text: str, offset: int) -> _Problem:
    """Where the nesting passes ``MAX_YAML_DEPTH``, found from the parser's events (which
    do not recurse) after composing the nodes ran out of stack."""
    depth, key, line = 0, "", 1 + offset
    expect_key = False
    for event in yaml.parse(text, Loader=_FAST_LOADER or yaml.SafeLoader):
        if isinstance(event, yaml.ScalarEvent) and depth == 1 and expect_key:
            key = event.value
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                line = event.start_mark.line + 1 + offset
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        # At the top level, keys and values alternate; a nested value ends where depth is 1.
        if depth == 1 and isinstance(
            event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionEndEvent)
        ):
            expect_key = not expect_key
        elif depth == 1 and isinstance(event, yaml.MappingStartEvent):
            expect_key = True
    return _Problem(line, key, f"nested more than {MAX_YAML_DEPTH} levels deep")


def _build(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], offset: int, budget: list[Any]
) -> Any:
    """Node -> plain Python, keeping scalars as written (YAML 1.2 style: NO stays 'NO')."""
    budget[0] += 1
    budget[1].add(id(node))  # distinct nodes: fewer than values means aliases repeat some
    if budget[0] > MAX_YAML_NODES:
        if len(budget[1]) < budget[0]:
            why = (
                f"more than {MAX_YAML_NODES} values after expanding aliases; refusing (alias bomb?)"
            )
        else:
            why = (
                f"more than {MAX_YAML_NODES} values; a case file may hold at most {MAX_YAML_NODES}"
            )
        raise _Problem(node.start_mark.line + 1 + offset, _dotted(path[:1]), why)
    line = node.start_mark.line + 1 + offset
    if node.tag not in _ALLOWED_TAGS:
        raise _Problem(line, _dotted(path), f"YAML tag '{node.tag}' is not allowed in case files")
    if isinstance(node, yaml.ScalarNode):
        # A plain null: libyaml marks the plain style '' where the Python parser has None.
        if node.tag == _NULL_TAG and not node.style:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1 + offset
            items.append(_build(item, path + (i,), lines, offset, budget))
        return items
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Problem(key_line, _dotted(path), "keys must be plain words")
            key = key_node.value
            if key == "<<":
                raise _Problem(
                    key_line, _dotted(path), "merge keys (<<) are not supported in case files"
                )
            if key in out:
                raise _Problem(
                    key_line, _dotted(path + (key,)), "duplicate key (it is already set above)"
                )
            lines[path + (key,)] = key_line
            out[key] = _build(value_node, path + (key,), lines, offset, budget)
        return out
    raise _Problem(line, _dotted(path), "unsupported YAML node")


def _dotted(loc: Path_) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_for(loc: Path_, lines: dict[Path_, int]) -> int:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 1


_FRIENDLY = {
    "missing": "required field is missing",
    "list_type": "expected a list, e.g. [a, b]",
    "dict_type": "expected a mapping of keys",
    "model_type": "expected a mapping of keys",
    "too_short": "needs at least one item",
}


def _message(err: dict) -> str:
    kind = err["type"]
    if kind == "string_type" and err.get("input") is None:
        return "is empty; expected text"
    if kind == "string_type":
        return f"expected text, got {type(err.get('input')).__name__}"
    if (
        kind == "string_pattern_mismatch"
        and err["loc"]
        and err["loc"][-1] in ("id", "tags", "related")
    ):
        return f"'{err.get('input')}' is not a slug: use lowercase letters, digits and hyphens"
    if kind == "string_pattern_mismatch" and err["loc"] and isinstance(err["loc"][-1], int):
        return f"'{err.get('input')}' is not a slug: use lowercase letters, digits and hyphens"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"'{err.get('input')}' is not allowed; expected {expected}"
    if kind == "string_too_short" and err["loc"] == ("body",):
        return "the narrative is empty: write it after the front matter (or in 'body' in .yaml)"
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    return err["msg"]


def _check_unknown_keys(raw: dict, lines: dict[Path_, int], add, is_markdown: bool) -> None:
    known = field_names(Case)
    for key in raw:
        if key == "body" and is_markdown:
            add(
                lines[(key,)],
                key,
                "in a .md case the narrative goes after the front matter, not in 'body'",
            )
        elif key not in known:
            add(lines[(key,)], key, _unknown_key_message(key, known), "warning")
    for list_key, model in SUBRECORDS.items():
        items = raw.get(list_key)
        if not isinstance(items, list):
            continue
        sub_known = field_names(model)
        for i, item in enumerate(items):
            if isinstance(item, dict):
                for key in item:
                    if key not in sub_known:
                        loc = (list_key, i, key)
                        add(
                            lines.get(loc, 1),
                            _dotted(loc),
                            _unknown_key_message(key, sub_known),
                            "warning",
                        )


def _strings(value: Any, loc: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every text value of the raw case, with its key path."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, loc + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, loc + (i,))


def _check_placeholders(raw: dict, lines: dict[Path_, int], add) -> None:
    """Scaffold placeholders ('TODO: ...') left in a field are reported as warnings."""
    for loc, value in _strings(raw):
        if value.startswith("TODO"):
            add(_line_for(loc, lines), _dotted(loc), f"placeholder left in: {value}", "warning")


def _control_message(char: str | int) -> str:
    code = char if isinstance(char, int) else ord(char)
    return f"control character U+{code:04X} is not allowed in a case file; remove it"


def _bidi_message(char: str) -> str:
    return (
        f"invisible bidirectional control character U+{ord(char):04X}: it changes how the "
        "text around it is displayed; remove it unless it is meant"
    )


def _check_bidi(raw: dict, lines: dict[Path_, int], add) -> None:
    """Bidirectional overrides and isolates make text display other than it reads."""
    for loc, value in _strings(raw):
        if bad := _BIDI_RE.search(value):
            add(_line_for(loc, lines), _dotted(loc), _bidi_message(bad.group()), "warning")


def _unknown_key_message(key: str, known: set[str]) -> str:
    guess = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean '{guess[0]}'?" if guess else ""
    return f"unknown key (ignored){hint}"


def _check_case(case: Case, path: Path, lines: dict[Path_, int], add) -> None:
    if case.id != path.stem:
        add(lines.get(("id",), 1), "id", f"'{case.id}' must equal the file name '{path.stem}'")
    for key in ("crisis_types", "tactics", "countries", "tags", "related"):
        for i in duplicate_items(getattr(case, key)):
            add(lines.get((key, i), 1), f"{key}[{i}]", "listed twice", "warning")
    if case.id in case.related:
        i = case.related.index(case.id)
        add(
            lines.get(("related", i), 1),
            f"related[{i}]",
            "a case cannot be related to itself",
            "warning",
        )
    previous = None
    for i, event in enumerate(case.timeline):
        start = date_start(event.date)
        if previous and start < previous:
            add(
                lines.get(("timeline", i), 1),
                f"timeline[{i}].date",
                "events must be oldest first",
                "warning",
            )
        previous = start
    if not case.body.strip():
        add(lines.get(("body",), 1), "body", "the narrative is empty")


def _cross_file_checks(result: LoadResult, known_ids: set[str]) -> None:
    by_id: dict[str, LoadedCase] = {}
    kept: list[LoadedCase] = []
    for loaded in result.cases:
        first = by_id.get(loaded.case.id)
        if first is not None:
            result.problems.append(
                CaseProblem(
                    str(loaded.path),
                    loaded.line_of("id"),
                    "id",
                    f"duplicate id '{loaded.case.id}': also used by {first.path}",
                )
            )
            continue
        by_id[loaded.case.id] = loaded
        kept.append(loaded)
    result.cases = kept
    for loaded in kept:
        for i, rel in enumerate(loaded.case.related):
            if rel not in by_id and rel not in known_ids:
                result.problems.append(
                    CaseProblem(
                        str(loaded.path),
                        loaded.line_of("related", i),
                        f"related[{i}]",
                        f"no case with id '{rel}' in this archive",
                        "warning",
                    )
                )
