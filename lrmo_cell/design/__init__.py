"""Pouch-cell designer: design files -> capacity, energy, mass and volume (pure numpy).

``load_design(file, overrides)`` reads and validates a TOML design, ``evaluate(design,
{field: array})`` is the one vectorised evaluation behind reports, inverse design and sweeps, and
``solve(design, field, target, value)`` inverts it for one free variable. Imports stay lazy so
that ``lrmo-cell design`` starts fast.
"""

from __future__ import annotations

_LAZY = {
    "Design": "lrmo_cell.design.core",
    "evaluate": "lrmo_cell.design.core",
    "load_design": "lrmo_cell.design.schema",
    "solve": "lrmo_cell.design.inverse",
    "summary": "lrmo_cell.design.report",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lrmo_cell.design' has no attribute {name!r}")


__all__ = list(_LAZY)
