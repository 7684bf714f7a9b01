"""The LRMO PyBaMM extension. Imported lazily so that ``lrmo-cell --help`` never loads PyBaMM."""

from __future__ import annotations

from lrmo_cell._lazy import lazy_getattr

_LAZY = {
    "LRMO": "lrmo_cell.models.lrmo",
    "LRMOSPM": "lrmo_cell.models.lrmo",
    "LRMOSPMe": "lrmo_cell.models.lrmo",
    "LRMODFN": "lrmo_cell.models.lrmo",
    "simulate_cycling": "lrmo_cell.models.cycling",
}


__getattr__ = lazy_getattr(__name__, _LAZY)

__all__ = list(_LAZY)
