"""Text from files, labels and accounts made safe to show: no control, format or escape character
from data reaches a terminal or a page.

A cell, a file name or a round's label can hold ESC (an ANSI sequence that recolours, moves or
retitles a terminal), a newline that forges another line of output, a bidi override that shows
text reversed, or a zero-width character. `printable` shows each as its escape (`\\x1b`,
`\\n`, `\\u202e`), visible and inert; every line the CLI prints and every text `ui.layout.plain`
renders passes through it. `control_characters` is what a label is refused for when entered.
"""

from __future__ import annotations

import unicodedata


def _shown(character: str) -> str:
    if character.isprintable() or unicodedata.category(character) == "Zs":
        return character  # a letter, a mark, or a space (no-break, thin, ...)
    return character.encode("unicode_escape").decode("ascii")


def printable(text: object) -> str:
    """`text` with every control, format, separator and unassigned character shown as its
    escape (ESC as `\\x1b`, a newline as `\\n`, U+202E as `\\u202e`): one line, inert."""
    return "".join(_shown(character) for character in str(text))


def control_characters(text: str) -> list[str]:
    """The characters of `text` that `printable` would escape, each once, as U+XXXX names."""
    return [
        f"U+{ord(character):04X}"
        for character in dict.fromkeys(text)
        if _shown(character) != character
    ]
