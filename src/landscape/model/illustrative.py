"""Whether a wave is illustrative: its label's claim, or any invented record in it."""

from __future__ import annotations

from dataclasses import replace

from landscape.model.landscape import Landscape


def holds_invented_records(model: Landscape) -> bool:
    """Whether any area or programme record of the model is marked illustrative."""
    return bool(model.areas["illustrative"].any()) or bool(
        len(model.programmes) and model.programmes["illustrative"].any()
    )


def marked_illustrative(model: Landscape) -> Landscape:
    """The model, its wave marked illustrative when it holds any invented record, whatever the
    wave's own record says (a wave is only as real as its least sourced record)."""
    if model.wave.illustrative or not holds_invented_records(model):
        return model
    return replace(model, wave=replace(model.wave, illustrative=True))
