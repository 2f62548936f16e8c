"""The compiled (mypyc) build of the hot core modules: used only when current, same results.

``python setup.py build_ext --inplace`` (``./scripts/install.sh``) compiles
``scoreboard._native.MODULES``; ``tests/conftest.py`` refuses to run the suite on the source
when a native build is there but not used (stale), so the property tests of this folder run
against the compiled modules wherever one was built, and the last test here runs them once
more on the source (``SCORECAST_PURE=1``). The tests of the stale check work on a copy of the
package and need a native build (else they skip: there is nothing to shadow).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import scoreboard
from bench.scoreboard_bench import competition
from scoreboard import Scoreboard, _native, load_competition
from scoreboard.board.channels import PUBLIC
from server.simulate import simulated_marks
from tests.hubkit import ROOT

NATIVE = _native.STATE == "native"
needs_native = pytest.mark.skipif(not NATIVE, reason=f"no native build used: {_native.STATE}")


def loaded_from(names: tuple[str, ...] | list[str], cwd: Path, env: dict[str, str]) -> list[str]:
    """Each module's file, imported in a fresh interpreter from ``cwd``."""
    code = (
        "import importlib, json, sys, scoreboard._native as n;"
        "print(json.dumps([n.STATE] + [importlib.import_module(m).__file__ for m in sys.argv[1:]]))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, *names],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    out: list[str] = json.loads(r.stdout)
    return out


def test_every_compiled_module_is_the_build_the_state_says() -> None:
    native = [m for m in _native.MODULES if sys.modules[m].__file__.endswith(".so")]  # type: ignore[union-attr]
    assert native == (list(_native.MODULES) if NATIVE else []), _native.STATE


def test_the_row_mode_is_one_object_until_it_changes() -> None:
    """Rows are cached on the identity of ``row_mode``: compiled, a ``tuple[Visibility,
    Lifecycle]`` attribute was unboxed and each read a new tuple, so no row was ever reused
    (1,300 marks/s instead of 16,000, rows/mark 9.1 instead of 1.5)."""
    sb = Scoreboard(load_competition(competition(6, aspects=3)))
    state = sb.programs["big"]
    assert state.row_mode is state.row_mode


def test_a_mark_that_completes_nothing_remakes_no_other_row() -> None:
    comp = load_competition(competition(6, aspects=3))
    sb = Scoreboard(comp)
    marks = simulated_marks(comp, 1)
    seen = set()
    for m in marks[:30]:
        sb.apply(m)
        seen.add((m.competitor, m.aspect))
    first = next(m for m in marks[30:] if (m.competitor, m.aspect) not in seen)
    for m in marks[30 : marks.index(first)]:
        sb.apply(m)
    state, cache = sb.programs["big"], sb.boards.rows
    others = [c for c in state.results if c != first.competitor]
    before = {c: cache.row(state, c, PUBLIC) for c in others}
    sb.apply(first)  # the first judge of a panel of 5: nothing completes
    assert all(cache.row(state, c, PUBLIC) is before[c] for c in others)


def _copy(tmp_path: Path) -> Path:
    """The checkout's ``scoreboard`` package with its native build, and the group library."""
    root = tmp_path / "copy"
    shutil.copytree(Path(scoreboard.__file__).parent, root / "scoreboard")
    for lib in ROOT.glob("scoreboard_native__mypyc*"):
        shutil.copy2(lib, root)
    return root


@needs_native
def test_a_copy_of_the_build_imports_native(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    state, *files = loaded_from(_native.MODULES, root, dict(os.environ))
    assert state == "native"
    assert all(f.startswith(str(root)) and f.endswith(".so") for f in files), files


@needs_native
def test_the_build_loads_with_only_the_package_mapped(tmp_path: Path) -> None:
    """As an editable install maps it: the package by a finder, its parent not on sys.path
    (the group library there was not found: ModuleNotFoundError on import)."""
    root = _copy(tmp_path)
    code = (
        "import importlib.util, sys;"
        f"pkg = {str(root / 'scoreboard')!r};"
        "spec = importlib.util.spec_from_file_location("
        "'scoreboard', pkg + '/__init__.py', submodule_search_locations=[pkg]);"
        "m = importlib.util.module_from_spec(spec); sys.modules['scoreboard'] = m;"
        "spec.loader.exec_module(m);"
        "import scoreboard._native as n, scoreboard.ranking as r; print(n.STATE, r.__file__)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    state, file = r.stdout.split()
    assert (state, file) == ("native", str(root / "scoreboard" / Path(file).name)), r.stdout
    assert file.endswith(".so")


@needs_native
def test_a_source_edited_after_the_build_is_imported_as_source(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    edited = root / "scoreboard" / "ranking.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEDITED = True\n", encoding="utf-8")
    state, *files = loaded_from([*_native.MODULES, "scoreboard"], root, dict(os.environ))
    assert state.startswith("pure: scoreboard.ranking changed since the native build"), state
    assert "setup.py build_ext --inplace" in state
    # all of them from source, not only the edited one (compiled modules call each other)
    assert all(f.startswith(str(root)) and f.endswith(".py") for f in files), files
    code = "import scoreboard.ranking as r; print(r.EDITED)"
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.stdout.strip() == "True", r.stderr


@needs_native
def test_a_build_without_its_manifest_or_with_pure_set_is_not_used(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    state, file = loaded_from(["scoreboard.totals"], root, {**os.environ, "SCORECAST_PURE": "1"})
    assert (state, file.endswith(".py")) == ("pure: SCORECAST_PURE=1", True)
    (root / "scoreboard" / _native.MANIFEST).unlink()
    state, file = loaded_from(["scoreboard.totals"], root, dict(os.environ))
    assert state.startswith("pure: no native build") and file.endswith(".py"), (state, file)


@needs_native
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_property_tests_pass_on_the_source_too() -> None:
    """The suite runs on the native build; the incremental-against-full properties once more
    on the pure modules (the source of truth)."""
    tests = [
        "tests/scoreboard/test_properties.py",
        "tests/scoreboard/test_incremental_standardised.py",
        "tests/scoreboard/test_fourth_pass_caches.py",
        "tests/scoreboard/test_native.py::test_every_compiled_module_is_the_build_the_state_says",
    ]
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *tests,
            "-x",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env={**os.environ, "SCORECAST_PURE": "1", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
