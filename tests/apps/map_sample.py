"""The data the browser test's map app draws (imported by the app and by the test)."""

from __future__ import annotations

import pandas as pd

from landscape.areas import force_area_table
from landscape.labels import StalkingCategory

TITLE = "Stalking provision by force area (test data)"


def sample_values() -> pd.Series:
    """All four answers, the City of London included, and the last five areas not responding."""
    codes = list(force_area_table().index)
    answers = [c.value for c in StalkingCategory if c != StalkingCategory.DID_NOT_RESPOND]
    return pd.Series([answers[i % 4] for i in range(43)], index=codes).drop(codes[-5:])


def sample_illustrative() -> pd.Series:
    return pd.Series(True, index=force_area_table().index)
