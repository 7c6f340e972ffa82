"""`landscape`: the analysts' and administrators' command line.

Each command group lives in its own module and registers itself here, so that this file stays the
one list of what the CLI offers. Commands turn the library's typed errors into user errors
(`click.ClickException`) with exit codes: 0 fine, 1 the input is invalid, 2 usage.
"""

from __future__ import annotations

import click

from landscape import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="landscape")
def main() -> None:
    """Survey data for the PCC perpetrator intervention programmes dashboard."""


def _register_commands() -> None:
    from landscape.cli import figures as cli_figures
    from landscape.cli import store as cli_store
    from landscape.cli import survey as cli_survey

    for module in (cli_survey, cli_figures, cli_store):
        module.register(main)


_register_commands()
