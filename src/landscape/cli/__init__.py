"""The `landscape` command line: one module per command group, registered in `group.py`."""

from landscape.cli.group import main

__all__ = ["main"]
