"""Where the project's bundled data lives (the repository's data/ folder)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("LANDSCAPE_ROOT", Path(__file__).resolve().parents[2]))
DATA_DIR = PROJECT_ROOT / "data"
SURVEY_DIR = DATA_DIR / "survey"
BOUNDARIES_DIR = DATA_DIR / "boundaries"
BUNDLED_WAVE = SURVEY_DIR / "apcc-2025-illustrative.xlsx"
