"""Editors with their own names: a TOML file of names and slow hashes of their secrets.

The file lives at the project root (the parent of the cases folder) as ``editors.toml``,
or wherever the environment variable ``ARCHIVE_EDITORS_FILE`` points. It holds no secret,
only scrypt hashes, but it is still private: it is written with mode 0o600 and must never
be committed (it is in .gitignore). ``archive editors add NAME`` writes it::

    # Editors of the Comeback Case Archive: names and scrypt hashes of their secrets.
    # Written by 'archive editors add'; never commit this file.

    [editors."Siti Rahma"]
    hash = "scrypt$16384$8$1$<salt base64>$<key base64>"
    added = "2026-12-03"

The single shared secret of earlier versions, ``ARCHIVE_EDITOR_SECRET``, keeps working as
one more editor named ``"editor"`` (see :func:`resolve_editors`). A file editor may also be
called "editor"; either secret then signs in as "editor".

Example:

    >>> stored = hash_secret("correct horse battery staple")
    >>> stored.startswith("scrypt$16384$8$1$")
    True
    >>> check_secret("correct horse battery staple", stored), check_secret("wrong", stored)
    (True, False)
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import ArchiveError
from archive.files import write_atomic

ENV_FILE = "ARCHIVE_EDITORS_FILE"
ENV_SECRET = "ARCHIVE_EDITOR_SECRET"
SHARED_NAME = "editor"  # the name of the editor who signs in with ARCHIVE_EDITOR_SECRET
FILE_NAME = "editors.toml"
MIN_SECRET_LENGTH = 12
MAX_NAME_LENGTH = 60
FILE_MODE = 0o600

# scrypt parameters of new hashes: 16 MiB of memory and about 50 ms per derivation.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
_MAXMEM = 64 * 1024 * 1024  # stored parameters may ask for at most this much memory
_MAX_N = 2**20

HEADER = (
    "# Editors of the Comeback Case Archive: names and scrypt hashes of their secrets.\n"
    "# Written by 'archive editors add'; never commit this file.\n"
)
_NAME_PUNCTUATION = frozenset(" .-'\u2019")  # \u2019 is the typographic apostrophe
_HASH = re.compile(r"scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)")
# Checked for names no editor has, so that an unknown name costs one derivation too.
# No secret derives to an all-zero key.
_DUMMY_HASH = (
    f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$"
    f"{base64.b64encode(b'comeback-archive').decode()}${base64.b64encode(bytes(32)).decode()}"
)


class EditorError(ArchiveError):
    """Base class of the errors about editors and the editors file."""


class EditorsFileError(EditorError):
    """The editors file cannot be read or written, printed as ``path:line: message``."""

    def __init__(self, path: Path, message: str, line: int | None = None):
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class EditorNotFound(EditorError):
    """No editor of that name is in the editors file (raised on removing one)."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"no editor named '{name}'")


class EditorExists(EditorError):
    """An editor of that name is already in the file and ``replace`` was not asked for."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"an editor named '{name}' already exists (use --replace to change it)")


class InvalidEditorName(EditorError):
    """A name :func:`check_name` refuses; the message says what is wrong with it."""


class WeakSecret(EditorError):
    """A new secret :func:`check_new_secret` refuses as too short."""


# -- hashing -----------------------------------------------------------------------------


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # never fails, whatever was typed


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(secret: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(_utf8(secret), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=dklen)


def hash_secret(secret: str) -> str:
    """A slow, salted hash of ``secret``: ``scrypt$N$r$p$<salt>$<key>`` (base64).

    A new random salt each time, so the same secret gives a different string.

    >>> hash_secret("correct horse battery staple") != hash_secret("correct horse battery staple")
    True
    """
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def _parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    match = _HASH.fullmatch(stored)
    if not match:
        return None
    n, r, p = (int(g) for g in match.group(1, 2, 3))
    try:
        salt = base64.b64decode(match.group(4), validate=True)
        key = base64.b64decode(match.group(5), validate=True)
    except (binascii.Error, ValueError):
        return None
    usable = (
        1 < n <= _MAX_N
        and n & (n - 1) == 0
        and 1 <= r <= 32
        and 1 <= p <= 16
        and 128 * r * n <= _MAXMEM // 2
        and len(salt) >= 8
        and 16 <= len(key) <= 64
    )
    return (n, r, p, salt, key) if usable else None


_DUMMY = _parse_hash(_DUMMY_HASH)
assert _DUMMY is not None


def check_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches a hash from :func:`hash_secret`; keys compared in constant
    time. A malformed ``stored`` is a mismatch (after one derivation, as for a real one).

    >>> check_secret("x" * 12, hash_secret("x" * 12)), check_secret("x" * 12, "md5$abc")
    (True, False)
    """
    parsed = _parse_hash(stored)
    good = parsed is not None
    n, r, p, salt, key = parsed or _DUMMY
    derived = _derive(secret, salt, n, r, p, len(key))
    return hmac.compare_digest(derived, key) and good


# -- names -------------------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """The name in Unicode NFC, so that "José" typed either way is the same editor."""
    return unicodedata.normalize("NFC", name)


def check_name(name: str) -> str:
    """The normalised name, or :class:`InvalidEditorName` saying what is wrong.

    1-60 characters: letters of any script, digits, spaces, dots, hyphens and apostrophes,
    with no space at either end.

    >>> check_name("Siti Rahma"), check_name("O'Brien-Ng Jr.")
    ('Siti Rahma', "O'Brien-Ng Jr.")
    """
    name = normalize_name(name)
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidEditorName(f"an editor's name has 1 to {MAX_NAME_LENGTH} characters")
    if name != name.strip(" "):
        raise InvalidEditorName("an editor's name cannot start or end with a space")
    for ch in name:
        category = unicodedata.category(ch)
        if not (category[0] in "LM" or category == "Nd" or ch in _NAME_PUNCTUATION):
            raise InvalidEditorName(
                f"{ch!r} is not allowed in an editor's name "
                "(letters, digits, spaces, dots, hyphens and apostrophes are)"
            )
    if not any(unicodedata.category(ch)[0] in "LN" for ch in name):
        raise InvalidEditorName("an editor's name needs at least one letter or digit")
    return name


def check_new_secret(secret: str) -> None:
    """Refuse a secret too short to be one (the message never contains the secret)."""
    if len(secret) < MIN_SECRET_LENGTH:
        raise WeakSecret(f"a secret has at least {MIN_SECRET_LENGTH} characters")


# -- editors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Editor:
    """One configured editor. ``shared`` editors sign in with ARCHIVE_EDITOR_SECRET (or the
    app's ``editor_secret``), compared in constant time with the plain value; the others
    with a scrypt hash from the editors file. Neither value is shown by ``repr``."""

    name: str
    hash: str = field(default="", repr=False)
    added: str = ""
    shared_secret: str = field(default="", repr=False)

    @property
    def shared(self) -> bool:
        return bool(self.shared_secret)

    def check(self, secret: str) -> bool:
        if self.shared:
            return hmac.compare_digest(_utf8(secret), _utf8(self.shared_secret))
        return check_secret(secret, self.hash)


def shared_editor(secret: str) -> Editor:
    """The editor of a single shared secret, named "editor"."""
    return Editor(SHARED_NAME, shared_secret=secret)


def editors_path(cases_dir: Path, environ: Mapping[str, str] | None = None) -> Path:
    """``$ARCHIVE_EDITORS_FILE``, or ``editors.toml`` in the parent of the cases folder.

    >>> editors_path(Path("/srv/archive/cases"), environ={})
    PosixPath('/srv/archive/editors.toml')
    """
    env = os.environ if environ is None else environ
    override = env.get(ENV_FILE)
    return Path(override) if override else Path(cases_dir).resolve().parent / FILE_NAME


class Registry:
    """The editors file in memory: load it, change it, save it.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "editors.toml"
    >>> registry = Registry.load(path)  # no file yet: no editors
    >>> registry.add("Siti Rahma", "correct horse battery staple").name
    'Siti Rahma'
    >>> registry.save()
    >>> Registry.load(path).verify("Siti Rahma", "correct horse battery staple")
    True
    """

    def __init__(self, path: Path, editors: Iterable[Editor] = ()):
        self.path = Path(path)
        self._editors: dict[str, Editor] = {e.name: e for e in editors}

    @classmethod
    def load(cls, path: Path) -> Registry:
        """Read ``path``; a missing file is an empty registry, a damaged one an
        :class:`EditorsFileError` naming the file and the line."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise EditorsFileError(path, f"cannot read the editors file: {exc}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            found = re.search(r"at line (\d+)", message)
            line = int(found.group(1)) if found else None
            raise EditorsFileError(path, f"not valid TOML: {message}", line) from None
        return cls(path, _editors_from(path, text, data))

    def names(self) -> list[str]:
        """The editors' names, in the file's order."""
        return list(self._editors)

    def editors(self) -> list[Editor]:
        return list(self._editors.values())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalize_name(name) in self._editors

    def __len__(self) -> int:
        return len(self._editors)

    def add(self, name: str, secret: str, *, replace: bool = False) -> Editor:
        """Add an editor (or, with ``replace``, give an existing one a new secret)."""
        name = check_name(name)
        check_new_secret(secret)
        old = self._editors.get(name)
        if old is not None and not replace:
            raise EditorExists(name)
        added = old.added if old is not None else dt.date.today().isoformat()
        editor = Editor(name, hash=hash_secret(secret), added=added)
        self._editors[name] = editor
        return editor

    def remove(self, name: str) -> None:
        name = normalize_name(name)
        if name not in self._editors:
            raise EditorNotFound(name)
        del self._editors[name]

    def verify(self, name: str, secret: str) -> bool:
        """Whether ``secret`` is the secret of the editor ``name``. One scrypt derivation
        either way, so an unknown name takes as long as a wrong secret; never raises."""
        editor = self._editors.get(normalize_name(name))
        return check_secret(secret, editor.hash if editor is not None else _DUMMY_HASH)

    def to_toml(self) -> str:
        parts = [HEADER]
        for editor in self._editors.values():
            parts.append(f'\n[editors."{editor.name}"]\nhash = "{editor.hash}"\n')
            if editor.added:
                parts.append(f'added = "{editor.added}"\n')
        return "".join(parts)

    def save(self) -> None:
        """Write the file atomically (temporary file, fsync, rename, fsync of the folder)
        with mode 0o600."""
        write_private(self.path, self.to_toml().encode("utf-8"))


def _line_of(text: str, name: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("[") and name in line:
            return number
    return None


def _editors_from(path: Path, text: str, data: dict) -> list[Editor]:
    unknown = sorted(set(data) - {"editors"})
    if unknown:
        raise EditorsFileError(path, f"unknown key {unknown[0]!r} (only [editors.NAME] tables)")
    table = data.get("editors", {})
    if not isinstance(table, dict):
        raise EditorsFileError(path, "'editors' must be a table of [editors.NAME] tables")
    found = []
    for raw_name, entry in table.items():
        line = _line_of(text, raw_name)
        try:
            name = check_name(raw_name)
        except InvalidEditorName as exc:
            raise EditorsFileError(path, f"editor {raw_name!r}: {exc}", line) from None
        if not isinstance(entry, dict):
            raise EditorsFileError(path, f"editor '{name}' must be a table", line)
        extra = sorted(set(entry) - {"hash", "added"})
        if extra:
            raise EditorsFileError(path, f"editor '{name}': unknown key {extra[0]!r}", line)
        stored, added = entry.get("hash"), entry.get("added", "")
        if not isinstance(stored, str) or _parse_hash(stored) is None:
            raise EditorsFileError(
                path, f"editor '{name}': 'hash' is not a hash from 'archive editors add'", line
            )
        if isinstance(added, dt.date):
            added = added.isoformat()
        if not isinstance(added, str):
            raise EditorsFileError(path, f"editor '{name}': 'added' must be a date", line)
        found.append(Editor(name, hash=stored, added=added))
    return found


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, readable by its owner only (0o600)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise EditorsFileError(path, f"no such folder: {path.parent}")
    try:
        write_atomic(path, data, mode=FILE_MODE)
    except OSError as exc:
        raise EditorsFileError(path, f"cannot write the editors file: {exc}") from None


def resolve_editors(
    cases_dir: Path,
    *,
    shared_secret: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[Editor]:
    """Everyone who may sign in: the editors file's editors, then an editor named "editor"
    when ``ARCHIVE_EDITOR_SECRET`` is set (or else when ``shared_secret`` is given: the app
    passes its ``editor_secret`` from Streamlit secrets). Raises :class:`EditorsFileError`
    for a damaged file.

    >>> import tempfile
    >>> cases = Path(tempfile.mkdtemp()) / "cases"
    >>> resolve_editors(cases, environ={ENV_SECRET: "correct horse battery staple"})
    [Editor(name='editor', added='')]
    """
    env = os.environ if environ is None else environ
    found = Registry.load(editors_path(cases_dir, env)).editors()
    secret = env.get(ENV_SECRET) or shared_secret
    if secret:
        found.append(shared_editor(secret))
    return found


def sign_in(editors: Iterable[Editor], name: str, secret: str) -> str | None:
    """The name of the editor ``name`` whose secret is ``secret``, or None.

    Exactly one scrypt derivation whatever the name (a dummy one for unknown names and for
    the shared editor), and every candidate's check runs, so the time taken says little
    about which names exist. Never raises for a wrong name or secret.

    >>> team = [Editor("Siti Rahma", hash=hash_secret("a secret of hers")),
    ...         shared_editor("the shared secret")]
    >>> sign_in(team, "Siti Rahma", "a secret of hers"), sign_in(team, "editor", "nope")
    ('Siti Rahma', None)
    """
    name = normalize_name(name)
    candidates = [e for e in editors if e.name == name]
    hashed = [e for e in candidates if not e.shared]
    ok = False
    if not hashed:
        check_secret(secret, _DUMMY_HASH)
    for editor in candidates:
        ok = editor.check(secret) | ok  # no short-circuit: every candidate is checked
    return name if ok else None
