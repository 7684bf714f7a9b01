"""lrmo-cell: lithium-rich manganese-based oxide cathodes, from oxygen-redox physics to pouch cells.

Imports stay light here so that ``lrmo-cell design`` starts fast; the PyBaMM model is imported only
when a model function is first used.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "simulate_cycling": "lrmo_cell.models.cycling",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lrmo_cell' has no attribute {name!r}")


__all__ = ["__version__", *_LAZY]
