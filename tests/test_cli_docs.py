"""Every command of the CLI is documented (as sqlite-utils tests its own): it appears in
README.md's "Command line" section as `landscape <command>`, and it and each of its options have
help text. Walks the click group, subgroups included, so a new command cannot go undocumented."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from landscape.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def commands(group: click.Group, path: str = "landscape") -> Iterator[tuple[str, click.Command]]:
    """(full name, command) for every command under `group`, subgroups and their commands too."""
    for name, command in sorted(group.commands.items()):
        full_name = f"{path} {name}"
        yield full_name, command
        if isinstance(command, click.Group):
            yield from commands(command, full_name)


def command_line_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Command line\n(.*?)(?=^## )", text, flags=re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Command line' section"
    return match.group(1)


ALL_COMMANDS = list(commands(main))


def test_the_walk_finds_every_registered_command():
    names = {name for name, _ in ALL_COMMANDS}
    assert names >= {
        "landscape validate",
        "landscape template",
        "landscape figures",
        "landscape publish",
        "landscape waves",
        "landscape backup",
        "landscape restore",
        "landscape hash-password",
    }


@pytest.mark.parametrize("name", [name for name, _ in ALL_COMMANDS])
def test_every_command_is_in_the_readmes_command_line_section(name):
    assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", command_line_section()), name


@pytest.mark.parametrize(("name", "command"), ALL_COMMANDS)
def test_every_command_and_option_has_help(name, command):
    assert (command.help or "").strip(), f"{name} has no help"
    undocumented = [
        param.name
        for param in command.params
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert undocumented == [], f"{name}: options without help"


def test_the_readme_names_every_key_validate_json_prints(tmp_path):
    from click.testing import CliRunner

    from tests.store_support import valid_workbook

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(valid_workbook(monitoring_frequency="Fortnightly"))
    printed = json.loads(CliRunner().invoke(main, ["validate", str(bad), "--json"]).stdout)
    good = tmp_path / "good.xlsx"
    good.write_bytes(valid_workbook())
    parsed = json.loads(CliRunner().invoke(main, ["validate", str(good), "--json"]).stdout)
    keys = {*printed, *printed["problems"][0], *parsed, *parsed["survey"]}
    section = command_line_section()
    assert "landscape validate FILE --json" in section
    assert [
        key for key in sorted(keys) if f'"{key}"' not in section and f"`{key}`" not in section
    ] == []
