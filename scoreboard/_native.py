"""Which build of the hot core modules is imported: the compiled one (mypyc) or the source.

``python setup.py build_ext --inplace`` (``./scripts/install.sh`` runs it) compiles
``MODULES`` with mypyc next to their ``.py`` files and writes ``MANIFEST``: the SHA-256 of
each source as it was compiled. The ``.py`` files stay the source of truth. Python prefers
an extension module to a ``.py`` of the same name, so on import of ``scoreboard`` this module
puts a finder first on ``sys.meta_path`` that loads ``MODULES`` from their ``.py`` files
unless the native build is current and wanted: all of them, never some (compiled modules
call each other's native code directly, so a mix would hold two classes of one name).

The source is used when ``SCORECAST_PURE=1``, when there is no manifest (a ``.so`` built
by hand), or when a source changed since its build (a stale ``.so`` never shadows an edit);
``STATE`` says which and why. This is the package's only file access: reading its own
sources at import, never a competition's data (``tests/scoreboard/test_purity.py``).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

# compiled together (one mypyc group): the scoring, ranking and row paths of a mark. Their
# classes are marked mypyc_attr(native_class=False): Python classes in compiled modules, as
# the hub's snapshots pickle them (compiled as native classes, none could be unpickled: their
# __new__ runs __init__ without its arguments; serializable=True leaves a plain class made from
# interpreted code uninitialised and a frozen dataclass unable to take its pickled state)
MODULES = (
    "scoreboard.totals",
    "scoreboard.scoring",
    "scoreboard.ranking",
    "scoreboard.numbers",
    "scoreboard.awards",
    "scoreboard.standardise",
    "scoreboard.program.incremental",
    "scoreboard.program.field_ranking",
    "scoreboard.program.standings",
    "scoreboard.program.state",
    "scoreboard.program.progress",
    "scoreboard.program.layer_rule",
    "scoreboard.board.rows",
    "scoreboard.board.row_cache",
    "scoreboard.board.scoreboard",
    "scoreboard.board.tallies",
    "scoreboard.board.leaderboards",
    "scoreboard.board.overview",
    "scoreboard.board.ticker",
    "scoreboard.board.channels",
    "scoreboard.views",
    "scoreboard.board.amend",
    "scoreboard.program.entries",
    "scoreboard.program.checks",
)
MANIFEST = "native-build.json"  # next to this file
# the group's shared library, GROUP__mypyc: above the package (mypyc derives each module's
# __file__ from it), so loaded from there by path (an editable install maps only the package)
GROUP = "scoreboard_native"
REBUILD = "python setup.py build_ext --inplace (or ./scripts/install.sh)"
HERE = Path(__file__).resolve().parent


def source_of(name: str, root: Path = HERE) -> Path:
    """``scoreboard.program.state`` → ``<root>/program/state.py``."""
    return root.joinpath(*name.split(".")[1:]).with_suffix(".py")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(root: Path = HERE) -> dict[str, str]:
    """What a build compiles, for ``setup.py`` to write as ``MANIFEST``."""
    return {name: digest(source_of(name, root)) for name in MODULES}


def _compiled(name: str) -> bool:
    base = source_of(name).with_suffix("")
    return any(
        base.with_name(base.name + s).exists() for s in importlib.machinery.EXTENSION_SUFFIXES
    )


def state() -> str:
    """``native``, or ``pure: <why>``."""
    if os.environ.get("SCORECAST_PURE") == "1":
        return "pure: SCORECAST_PURE=1"
    path = HERE / MANIFEST
    if not path.exists():
        return "pure: no native build (" + REBUILD + " makes one)"
    try:
        built = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return f"pure: {path} is unreadable; rebuild: {REBUILD}"
    if built.get("cache_tag") != sys.implementation.cache_tag:
        return f"pure: the native build is for {built.get('cache_tag')}; rebuild: {REBUILD}"
    modules = built.get("modules", {})
    changed = [n for n in MODULES if modules.get(n) != digest(source_of(n))]
    if changed:
        return f"pure: {', '.join(changed)} changed since the native build; rebuild: {REBUILD}"
    missing = [n for n in MODULES if not _compiled(n)]
    if missing:
        return f"pure: {', '.join(missing)} has no native module; rebuild: {REBUILD}"
    if _group() is None:
        return f"pure: no {GROUP}__mypyc library beside the package; rebuild: {REBUILD}"
    return "native"


def _group() -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = HERE.parent / f"{GROUP}__mypyc{suffix}"
        if path.exists():
            return path
    return None


def _load_group(path: Path) -> None:
    """The shared library, under the name the compiled modules import it by."""
    name = f"{GROUP}__mypyc"
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


class SourceFirst(importlib.abc.MetaPathFinder):
    """Loads ``MODULES`` from their ``.py`` files, whatever extension modules lie beside them."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MODULES:
            return None
        file = str(source_of(fullname))
        loader = importlib.machinery.SourceFileLoader(fullname, file)
        return importlib.util.spec_from_file_location(fullname, file, loader=loader)


STATE = state()
if __name__ == "scoreboard._native":  # not setup.py's run of this file
    if STATE == "native":
        _load_group(_group())  # type: ignore[arg-type]  # (state: there is one)
    elif not any(isinstance(f, SourceFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, SourceFirst())
