"""Where the bundled data lives: the wave workbook and the force-area boundaries.

They are data, not code, so the wheel does not carry them (the reference tables it needs are
package data, read through importlib.resources). The folder is found, at each use:

1. env `LANDSCAPE_DATA_DIR`: a folder laid out like the repository's data/ (survey/, boundaries/);
2. else the checkout's data/ when this module runs from a source checkout (the editable install
   that `python3 dev.py` makes);
3. else a `LandscapeError` saying what to set, rather than a FileNotFoundError from deep inside.

`BUNDLED_WAVE`, `BOUNDARIES_DIR`, ... are resolved when read (a module `__getattr__`), so setting
the variable after import takes effect and importing this module never fails.
"""

from __future__ import annotations

import os
from pathlib import Path

from landscape.errors import LandscapeError

DATA_DIR_ENV = "LANDSCAPE_DATA_DIR"
BUNDLED_WAVE_NAME = "survey/apcc-2025-illustrative.xlsx"
BOUNDARY_FILE_NAME = "boundaries/police_force_areas.geojson"

_FIX = (
    f"Set {DATA_DIR_ENV} to a folder holding survey/ and boundaries/ "
    "(a copy of the repository's data/ folder)"
)


class DataDirMissing(LandscapeError):
    """The bundled data folder (or a file in it) cannot be found."""


def checkout_root() -> Path | None:
    """The source checkout this module runs from, or None when installed from a wheel."""
    root = Path(__file__).resolve().parents[2]
    is_checkout = (root / "pyproject.toml").is_file() and (root / "src" / "landscape").is_dir()
    return root if is_checkout else None


def data_dir() -> Path:
    """The folder holding the bundled wave and boundaries (see the module docstring)."""
    explicit = os.environ.get(DATA_DIR_ENV)
    if explicit:
        folder = Path(explicit).expanduser()
        if not folder.is_dir():
            raise DataDirMissing(f"{DATA_DIR_ENV} is {explicit}, which is not a folder", fix=_FIX)
        return folder
    root = checkout_root()
    if root is not None and (root / "data").is_dir():
        return root / "data"
    raise DataDirMissing(
        "the bundled data folder was not found: landscape is installed outside a checkout "
        f"and {DATA_DIR_ENV} is not set",
        fix=_FIX,
    )


def data_file(relative: str) -> Path:
    """A file in the data folder, which must exist."""
    path = data_dir() / relative
    if not path.is_file():
        raise DataDirMissing(f"{path} is missing from the data folder", fix=_FIX)
    return path


def bundled_wave() -> Path:
    return data_file(BUNDLED_WAVE_NAME)


def boundary_file() -> Path:
    return data_file(BOUNDARY_FILE_NAME)


def __getattr__(name: str) -> Path:
    # The names callers have always used, resolved at each read rather than once at import.
    if name == "DATA_DIR":
        return data_dir()
    if name == "SURVEY_DIR":
        return data_dir() / "survey"
    if name == "BOUNDARIES_DIR":
        return data_dir() / "boundaries"
    if name == "BUNDLED_WAVE":
        # The folder must exist, the file need not: scripts/build_illustrative_wave.py writes it.
        return data_dir() / BUNDLED_WAVE_NAME
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
