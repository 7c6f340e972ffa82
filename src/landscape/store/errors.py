"""What the store raises when it cannot do something: each a `LandscapeError`, so pages show it
as one error summary and the CLI exits 1 with it."""

from __future__ import annotations

from landscape.errors import LandscapeError


class StoreError(LandscapeError):
    """A store operation could not be done; `message` says why and what to do."""


class StoreBusy(StoreError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "The data store is busy with another upload. Nothing was changed: "
            "please try again in a moment." + (f" ({detail})" if detail else "")
        )


class WaveNotFound(StoreError, KeyError):
    def __init__(self, wave_id: str) -> None:
        super().__init__(f"There is no wave {wave_id!r}.")


class NotALandscapeDatabase(StoreError):
    """A file offered as a backup is not an intact landscape database."""
