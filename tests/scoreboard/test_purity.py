"""scoreboard/ is pure (style.md lesson 1, architecture: "must not do I/O").

Every module of the package, its subpackages included, is parsed, not imported: no I/O, clock,
randomness, concurrency or network module is imported, ``datetime``'s
``now``/``today`` and ``open()`` are never called.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import scoreboard

PACKAGE = Path(scoreboard.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))  # subpackages too (loader/, program/, board/)

FORBIDDEN = {
    "asyncio",
    "starlette",
    "redis",
    "sqlite3",
    "socket",
    "websockets",
    "time",
    "os",
    "pathlib",
    "io",
    "threading",
    "random",
    "uvicorn",
    "msgpack",
    "subprocess",
    "multiprocessing",
    "shutil",
    "tempfile",
    "urllib",
    "http",
    "httpx",
    "select",
    "selectors",
    "signal",
    "secrets",
    "uuid",
}
CLOCK_CALLS = {"now", "today", "utcnow", "fromtimestamp"}
BUILTIN_IO = {"open", "input", "print", "__import__", "exec", "eval", "breakpoint"}
FILE_METHODS = {"open", "read_text", "write_text", "read_bytes", "write_bytes"}


def impurities(source: str, name: str = "<source>") -> list[str]:
    """What in ``source`` is I/O, a clock or randomness."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            else:
                modules = [node.module or ""] if node.level == 0 else []
            for m in modules:
                if m.split(".")[0] in FORBIDDEN:
                    found.append(f"{name}:{node.lineno} imports {m}")
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in BUILTIN_IO:
                found.append(f"{name}:{node.lineno} calls {f.id}()")
            elif isinstance(f, ast.Attribute) and f.attr in CLOCK_CALLS:
                found.append(f"{name}:{node.lineno} calls .{f.attr}() (a clock)")
            elif isinstance(f, ast.Attribute) and f.attr in FILE_METHODS:
                found.append(f"{name}:{node.lineno} calls .{f.attr}() (file I/O)")
    return found


def test_the_package_has_modules() -> None:
    names = {".".join(m.relative_to(PACKAGE).with_suffix("").parts) for m in MODULES}
    assert {n.removesuffix(".__init__") for n in names} >= {
        "board",
        "loader",
        "scoring",
        "views",
        "program",
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_pure(path: Path) -> None:
    assert impurities(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE))) == []


@pytest.mark.parametrize(
    "source",
    [
        "import os",
        "import asyncio.tasks",
        "from time import monotonic",
        "from redis import asyncio",
        "import sqlite3 as db",
        "from pathlib import Path",
        "import random",
        "from msgpack import packb",
        "from datetime import datetime\ndatetime.now()",
        "import datetime\ndatetime.datetime.now()",
        "open('x')",
        "x.read_text()",
        "__import__('socket')",
        "date.today()",
    ],
)
def test_the_checker_catches_each_kind(source: str) -> None:
    assert impurities(source)


def test_the_checker_lets_pure_code_through() -> None:
    assert (
        impurities(
            "from fractions import Fraction\nfrom decimal import Decimal\nimport enum\nfrom .x import y"
        )
        == []
    )
