"""The LRMO positive-electrode model (see ``model``)."""

from .model import LRMO, LRMODFN, LRMOSPM, MECHANISMS, LRMOSPMe

__all__ = ["LRMO", "LRMODFN", "LRMOSPM", "LRMOSPMe", "MECHANISMS"]
