"""The library's shape, checked: every public function and class has a docstring, every
command of the command line an example whose options exist, and no function is longer
than 60 lines (cyclomatic complexity at most 15 is ruff's C901, in test_architecture)."""

from __future__ import annotations

import ast
import shlex
from pathlib import Path

import click

from archive.cli import cli

from .conftest import ROOT

LIBRARY = ROOT / "archive"
MAX_LINES = 60


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(LIBRARY.rglob("*.py"))]


def _public(node: ast.AST) -> bool:
    return isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")


def test_every_module_public_function_and_class_has_a_docstring():
    missing = []
    for path, tree in _modules():
        where = path.relative_to(ROOT)
        if not ast.get_docstring(tree):
            missing.append(f"{where}: the module")
        for node in tree.body:
            if _public(node) and not ast.get_docstring(node):
                missing.append(f"{where}:{node.lineno}: {node.name}")
    assert not missing, "no docstring:\n" + "\n".join(missing)


def test_no_function_of_the_library_is_longer_than_60_lines():
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.name} ({length} lines)"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := node.end_lineno - node.lineno + 1) > MAX_LINES
    ]
    assert not long, "\n".join(long)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield path, command


def _examples(command: click.Command) -> list[list[str]]:
    lines = [line.strip() for line in (command.help or "").splitlines()]
    found = []
    for line in lines:
        if line.startswith("Example:"):
            text = line.removeprefix("Example:").strip()
            text = text.split("|")[-1].split(">")[0]  # what is piped in or redirected out
            found.append(shlex.split(text))
    return found


def test_every_command_has_an_example_that_names_it_and_uses_its_options():
    commands = list(_commands(cli))
    assert len(commands) >= 18  # validate, index, search, show, ... editors list
    global_options = {opt for p in cli.params for opt in p.opts}
    for path, command in commands:
        examples = _examples(command)
        assert examples, f"'archive {' '.join(path)}' has no 'Example:' line in its help"
        for words in examples:
            assert words[0] == "archive", words
            assert tuple(words[1 : 1 + len(path)]) == path, (path, words)
            known = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
            known |= global_options | {"--help", "-h"}
            used = {w.split("=")[0] for w in words if w.startswith("-")}
            assert used <= known, (path, used - known)
