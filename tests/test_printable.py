"""`landscape.text.printable`: the one function every line the CLI prints and every text a page
renders through `ui.layout.plain` passes, so no control or escape character from data acts."""

from __future__ import annotations

import pytest

from landscape.errors import Problem, format_problems
from landscape.text import control_characters, printable
from ui.layout import plain

HOSTILE = {
    "ANSI clear screen": "\x1b[2J",
    "OSC retitle": "\x1b]0;owned\x07",
    "8-bit CSI": "\x9b31m",
    "newline forging a line": "ok\nError: forged",
    "carriage return overwriting": "safe\rEVIL",
    "bidi override": "abc\u202edef",
    "zero-width joiner": "a\u200db",
    "line separator": "a\u2028b",
    "delete": "a\x7fb",
}


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_every_control_and_escape_character_is_shown_as_its_escape(text):
    shown = printable(text)
    assert shown.isprintable()
    assert control_characters(shown) == []
    assert control_characters(text)  # and the raw text is what a label is refused for
    # a page keeps a text's line breaks (Markdown shows them as such); nothing else acts
    assert all(line.isprintable() for line in plain(text).split("\n"))


def test_printable_text_and_spaces_are_kept_as_they_are():
    text = "Avon and Somerset: 43 areas, £1,000 – café\u00a0(no-break)"
    assert printable(text) == text
    assert control_characters(text) == []


def test_each_problem_line_is_printable_whatever_its_value():
    problems = [Problem("Areas", "B2", "x\x1b[2J", "Value 'x\x1b[2J\nforged' is wrong", "Fix it")]
    lines = format_problems(problems).split("\n")
    assert len(lines) == 1
    assert "\x1b" not in lines[0] and "\\x1b[2J\\nforged" in lines[0]
