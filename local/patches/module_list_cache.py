"""
Every request lists moto's package directory.

Bug: to route a request, moto's server asks `list_of_moto_modules()` whether the host names a
service, twice per request, and that function lists moto's install directory and stats each of its
~190 entries every time. On a deploy that is about a quarter of the server's time, spent on a
directory that cannot change while the server runs.

Fix: the list is read once and kept.
"""

from __future__ import annotations

import functools
from typing import Iterable

from moto import backends

from . import require


def apply() -> None:
    require((backends, "list_of_moto_modules"))
    scan = backends.list_of_moto_modules
    once = functools.cache(lambda: tuple(scan()))

    def list_of_moto_modules() -> Iterable[str]:
        return once()

    backends.list_of_moto_modules = list_of_moto_modules
