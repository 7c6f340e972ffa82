"""Placeholder: commands are added by the owning issue."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this module's commands to the `landscape` group."""
