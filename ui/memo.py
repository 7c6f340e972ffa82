"""The facade's cache for what a view derives: an LRU per function, keyed by the call's (hashable)
arguments, and emptied whenever Streamlit's caches are cleared.

Why not `st.cache_data` / `st.cache_resource` for these: a call of a Streamlit-cached function
hashes every argument its own way (a `FilterKey` goes through `dataclasses.asdict`), 120-160 us
a call, and a page asks the facade 20-40 times a rerun: a fifth of a warm rerun (issue 13). Every
argument here is a hashable value (`FilterKey`, strings, tuples, frozen dataclasses), so Python's
own hash does it in well under a microsecond; a call costs ~28 us, nearly all of it the two
no-argument lookups below. What is kept is shared by every session, as with
`cache_resource`: never mutate it.

Streamlit's caches stay the one switch that forgets: the entries live in a `cache_resource`
object and each key carries a `cache_data` token, so `st.cache_resource.clear()` or
`st.cache_data.clear()` (as the tests and an operator's restart do) empties this too. The model
of a wave itself stays in `st.cache_resource` (ui.data.model), with its loading spinner.
"""

from __future__ import annotations

import collections
import functools
import secrets
import threading
from collections.abc import Callable, Hashable
from typing import Generic, ParamSpec, TypeVar

import streamlit as st

P = ParamSpec("P")
R = TypeVar("R")

_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _entries() -> dict[str, collections.OrderedDict[Hashable, object]]:
    """Every memoised function's entries, by its qualified name (cleared with cache_resource)."""
    return {}


@st.cache_data(show_spinner=False)
def _data_token() -> str:
    """A token that changes when cache_data is cleared: part of every key."""
    return secrets.token_hex(8)


class Memoised(Generic[P, R]):
    """`function`, its results kept for its last `max_entries` distinct arguments."""

    def __init__(self, function: Callable[P, R], max_entries: int) -> None:
        self._function = function
        self._max_entries = max_entries
        self._name = f"{function.__module__}.{function.__qualname__}"
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (_data_token(), args, tuple(sorted(kwargs.items())))
        with _LOCK:
            kept = _entries().setdefault(self._name, collections.OrderedDict())
            if key in kept:
                kept.move_to_end(key)
                return kept[key]  # type: ignore[return-value]
        # made outside the lock: a slow view must not hold up another session's page; two
        # sessions asking for the same new view at once may both make it (the same value)
        made = self._function(*args, **kwargs)
        with _LOCK:
            kept[key] = made
            while len(kept) > self._max_entries:
                kept.popitem(last=False)
        return made

    def clear(self) -> None:
        """Forget this function's results (every session's)."""
        with _LOCK:
            _entries().pop(self._name, None)


def memo(max_entries: int) -> Callable[[Callable[P, R]], Memoised[P, R]]:
    """Decorator: keep the function's results per arguments (see the module's docstring)."""

    def decorate(function: Callable[P, R]) -> Memoised[P, R]:
        return Memoised(function, max_entries)

    return decorate
