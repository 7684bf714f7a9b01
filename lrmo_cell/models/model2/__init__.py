"""Model 2 of the LRMO positive electrode (see ``model``)."""

from .model import LRMO2, LRMO2DFN, LRMO2SPM, MECHANISMS, LRMO2SPMe

__all__ = ["LRMO2", "LRMO2DFN", "LRMO2SPM", "LRMO2SPMe", "MECHANISMS"]
