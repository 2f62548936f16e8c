"""Build the hot core modules with mypyc when it is there (the metadata is in pyproject.toml).

``python setup.py build_ext --inplace`` compiles ``scoreboard._native.MODULES`` next to their
sources and writes the manifest of the sources' hashes that ``scoreboard/_native.py`` checks
on import (a source edited after the build is imported as source). ``SCORECAST_PURE=1``, or
no mypyc in the build environment (pip's isolated build of a wheel or an editable install),
builds pure Python: the same package without extension modules.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
native: dict[str, Any] = runpy.run_path(str(ROOT / "scoreboard" / "_native.py"), run_name="setup")
COMPILED: dict[str, str] = {}  # module → SHA-256 of the source compiled


class BuildWithManifest(build_ext):
    """build_ext, then the manifest beside the compiled modules (in place or in the build)."""

    def run(self) -> None:
        super().run()
        if not COMPILED:
            return
        target = ROOT if self.inplace else Path(self.build_lib)
        data = {"cache_tag": sys.implementation.cache_tag, "modules": COMPILED}
        path = target / "scoreboard" / native["MANIFEST"]
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def ext_modules() -> list[Any]:
    if os.environ.get("SCORECAST_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("setup.py: no mypyc here: pure Python build", file=sys.stderr)
        return []
    paths = [str(native["source_of"](name, Path("scoreboard"))) for name in native["MODULES"]]
    # pyproject.toml's mypy settings apply (strict here); its sections for the other packages
    # are unused in this run, which warn_unused_configs would make an error
    options = ["--no-warn-unused-configs"]
    COMPILED.update(native["manifest"](ROOT / "scoreboard"))  # the sources as mypyc reads them
    return list(mypycify(options + paths, opt_level="3", group_name=native["GROUP"]))


setup(ext_modules=ext_modules(), cmdclass={"build_ext": BuildWithManifest})
