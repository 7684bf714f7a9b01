"""Pouch-cell designer: design files -> capacity, energy, mass and volume (pure numpy).

``load_design(file, overrides)`` reads and validates a TOML design, ``evaluate(design,
{field: array})`` is the one vectorised evaluation behind reports, inverse design and sweeps, and
``solve(design, field, target, value)`` inverts it for one free variable. Imports stay lazy so
that ``lrmo-cell design`` starts fast.
"""

from __future__ import annotations

from lrmo_cell._lazy import lazy_getattr

_LAZY = {
    "Design": "lrmo_cell.design.core",
    "evaluate": "lrmo_cell.design.core",
    "load_design": "lrmo_cell.design.schema",
    "solve": "lrmo_cell.design.inverse",
    "summary": "lrmo_cell.design.report",
}


__getattr__ = lazy_getattr(__name__, _LAZY)

__all__ = list(_LAZY)
