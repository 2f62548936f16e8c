"""The wheel works like the editable checkout: build it, install it into a fresh venv, serve.

The venv gets the wheel and nothing of the checkout: its modules, templates, i18n files,
static files and the sample competition must all come from the wheel's package data (a
missing ``display/i18n/*.json`` once made every public page a 500). The dependencies come
from the environment running the tests, through a ``.pth`` file (like
``--system-site-packages``, but for this environment, which may itself be a venv), so that
the test needs no package index and pip still checks the wheel's requirements against them.
"""

from __future__ import annotations

import os
import shutil
import signal
import site
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from tests.helpers import free_port, wait_for_port
from tests.hubkit import ROOT

pytestmark = pytest.mark.slow

# What the wheel is built from: the package sources and their data, not the work tree's
# caches, venvs, ledgers or build leftovers (a stale *.egg-info could hide a file that
# package-data forgot).
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "tests",
    "bench",
    "*.db",
    "*.db-*",
    "node_modules",
)

PAGES = [
    "/",
    "/programs/welding",
    "/medals",
    "/display/program/welding",
    "/display/medals",
    "/overlay/top?program=welding",
    "/overlay/lower-third",
    "/feeds/programs/welding.json",
    "/judge",
    "/static/display/display.css",
    "/judge/static/pad.js",
    "/healthz",
]


def run(
    cmd: list[str], env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, cwd=cwd)
    assert r.returncode == 0, f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}"
    return r


def clean_env() -> dict[str, str]:
    """No PYTHONPATH (it would put the checkout back on the path) and no venv activation."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def build_wheel(tmp: Path) -> Path:
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCES)
    cmd = [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-w", str(tmp / "dist")]
    if _has_setuptools(68):
        cmd.append("--no-build-isolation")  # else pip fetches setuptools into a build env
    run(cmd + ["--disable-pip-version-check", "-q"], env=clean_env())
    (wheel,) = (tmp / "dist").glob("scorecast-*.whl")
    return wheel


def _has_setuptools(major: int) -> bool:
    try:
        return int(metadata.version("setuptools").split(".")[0]) >= major
    except metadata.PackageNotFoundError:
        return False


def venv_with(wheel: Path, tmp: Path) -> Path:
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], env=clean_env())
    python = venv / "bin" / "python"
    purelib = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        env=clean_env(),
    ).stdout.strip()
    # After the venv's own site-packages, so that the wheel's modules win over any checkout.
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "test-deps.pth").write_text("".join(f"{p}\n" for p in deps))
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    run([*pip, "install", "-q", "--no-index", "--no-build-isolation", str(wheel)], env=clean_env())
    return venv


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    tmp = tmp_path_factory.mktemp("wheel")
    venv = venv_with(build_wheel(tmp), tmp)
    port = free_port()
    log = tmp / "hub.log"
    cmd = [
        str(venv / "bin" / "scorecast"),
        "serve",  # the bundled sample competition, from the wheel's package data
        "--store",
        f"sqlite:///{tmp / 'ledger.db'}",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=tmp, stdout=out, stderr=subprocess.STDOUT, env=clean_env())
    try:
        try:
            wait_for_port("127.0.0.1", port, 20)
        except TimeoutError:
            pytest.fail(f"scorecast serve from the wheel did not start:\n{log.read_text()}")
        yield venv, f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def test_the_venv_imports_the_wheel_not_the_checkout(served: tuple[Path, str]) -> None:
    venv, _ = served
    code = "import display, judge_client, scoreboard, server; print(server.__file__)"
    where = run([str(venv / "bin" / "python"), "-c", code], cwd=venv, env=clean_env()).stdout
    assert Path(where.strip()).is_relative_to(venv), where


@pytest.mark.parametrize("path", PAGES)
def test_every_kind_of_page_serves_from_the_wheel(served: tuple[Path, str], path: str) -> None:
    venv, base = served
    try:
        with urllib.request.urlopen(base + path, timeout=10) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    log = (venv.parent / "hub.log").read_text(errors="replace")
    assert status == 200, f"GET {path}: {status} {body[:300]!r}\nthe hub's log:\n{log[-3000:]}"
    assert body
