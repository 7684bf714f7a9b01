"""The LRMO PyBaMM extension. Imported lazily so that ``lrmo-cell --help`` never loads PyBaMM."""

from __future__ import annotations

_LAZY = {
    "LRMO": "lrmo_cell.models.lrmo",
    "LRMOSPM": "lrmo_cell.models.lrmo",
    "LRMOSPMe": "lrmo_cell.models.lrmo",
    "LRMODFN": "lrmo_cell.models.lrmo",
    "simulate_cycling": "lrmo_cell.models.cycling",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lrmo_cell.models' has no attribute {name!r}")


__all__ = list(_LAZY)
