"""Module attributes imported on first use, so that light commands never load heavy modules."""

from __future__ import annotations

import importlib


def lazy_getattr(package: str, attributes: dict[str, str]):
    """A module ``__getattr__`` that imports ``attributes[name]`` (a module path) on first use."""

    def __getattr__(name: str):
        if name in attributes:
            return getattr(importlib.import_module(attributes[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
