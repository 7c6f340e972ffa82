"""Category colours, patterns and wording: declared once, used by every chart and map.

Colours follow the UK Government Analysis Function colour guidance (categorical, sequential and
focus palettes). Colour is never the only cue: each category also has a fill pattern.
"""

from __future__ import annotations

from collections.abc import Iterable

from landscape.labels import DID_NOT_RESPOND, StalkingCategory

# Analysis Function categorical palette, in the order the guidance asks for.
DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"
CATEGORICAL = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)
# With only two categories the guidance uses the pair with the best contrast.
CATEGORICAL_PAIR = (DARK_BLUE, ORANGE)

# Sequential palette (light to dark) for ordered classes.
MID_BLUE = "#2073BC"
LIGHT_BLUE = "#6BACE6"
SEQUENTIAL = (LIGHT_BLUE, MID_BLUE, DARK_BLUE)

# Missing or no-answer: a light grey no data colour ever takes.
MISSING_GREY = "#BFBFBF"
# Focus palette: one area highlighted, the rest muted.
HIGHLIGHT = DARK_BLUE
MUTED = MISSING_GREY

# Lines and text on maps.
BORDER = "#FFFFFF"
TEXT_DARK = "#0B0C0C"  # GOV.UK text colour
TEXT_LIGHT = "#FFFFFF"

# Plotly fill pattern shapes ("" is solid). Did not respond is plain grey: no pattern to read.
PATTERNS = ("", "/", ".", "x", "\\", "+", "|", "-")


# Categories whose look never depends on what else is drawn beside them.
_FIXED_COLOURS: dict[str, str] = {
    StalkingCategory.SPECIALIST_NON_DA: DARK_BLUE,
    StalkingCategory.SPECIALIST_DA_RELATED: TURQUOISE,
    StalkingCategory.WITHIN_DA: ORANGE,
    StalkingCategory.NO_PROVISION: DARK_PINK,
    DID_NOT_RESPOND: MISSING_GREY,
}
_FIXED_PATTERNS: dict[str, str] = {
    StalkingCategory.SPECIALIST_NON_DA: "",
    StalkingCategory.SPECIALIST_DA_RELATED: "/",
    StalkingCategory.WITHIN_DA: ".",
    StalkingCategory.NO_PROVISION: "x",
    DID_NOT_RESPOND: "",
}


def _distinct(categories: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(str(c) for c in categories))


def category_colours(categories: Iterable[str]) -> dict[str, str]:
    """A colour per category: fixed ones for the stalking categories and "Did not respond",
    the rest from the categorical palette in the order given (so the same order always gives
    the same colours). "None" is a real answer and gets a palette colour, never the grey."""
    names = _distinct(categories)
    free = [name for name in names if name not in _FIXED_COLOURS]
    palette = CATEGORICAL_PAIR if len(free) == 2 and len(names) == 2 else CATEGORICAL
    unused = [c for c in palette if c not in {_FIXED_COLOURS.get(n) for n in names}]
    colours: dict[str, str] = {}
    for name in names:
        if name in _FIXED_COLOURS:
            colours[name] = _FIXED_COLOURS[name]
        else:
            colours[name] = unused[free.index(name) % len(unused)] if unused else DARK_GREY
    return colours


def category_patterns(categories: Iterable[str]) -> dict[str, str]:
    """A plotly fill-pattern shape per category, the second cue beside colour."""
    names = _distinct(categories)
    free = [name for name in names if name not in _FIXED_PATTERNS]
    used = {_FIXED_PATTERNS[n] for n in names if n in _FIXED_PATTERNS}
    unused = [p for p in PATTERNS if p not in used] or list(PATTERNS)
    return {
        name: _FIXED_PATTERNS[name]
        if name in _FIXED_PATTERNS
        else unused[free.index(name) % len(unused)]
        for name in names
    }


def sequential_colours(count: int) -> list[str]:
    """`count` ordered colours, light to dark (at most three tints, as the guidance advises)."""
    if count <= 0:
        return []
    if count == 1:
        return [DARK_BLUE]
    if count == 2:
        return [LIGHT_BLUE, DARK_BLUE]
    if count == 3:
        return list(SEQUENTIAL)
    raise ValueError("the Analysis Function sequential palette has three tints; group into three")


def text_colour_on(fill: str) -> str:
    """Dark or white text, whichever contrasts more with the fill colour."""
    red, green, blue = (int(fill.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return TEXT_DARK if luminance > 0.18 else TEXT_LIGHT
