"""lrmo-cell: lithium-rich manganese-based oxide cathodes, from oxygen-redox physics to pouch cells.

Imports stay light here so that ``lrmo-cell design`` starts fast; the PyBaMM model is imported only
when a model function is first used.
"""

from __future__ import annotations

from lrmo_cell._lazy import lazy_getattr

__version__ = "0.1.0"

_LAZY = {
    "simulate_cycling": "lrmo_cell.models.cycling",
}


__getattr__ = lazy_getattr(__name__, _LAZY)

__all__ = ["__version__", *_LAZY]
