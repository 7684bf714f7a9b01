"""PyBaMM submodels of the LRMO positive electrode, one per mechanism.

All oxygen states are lumped over the positive electrode ("X-averaged", domain "current
collector") in every base model: the oxygen chemistry happens in a few-nm surface shell whose
through-electrode variation is second order next to its cycle-to-cycle evolution, and a lumped state
keeps the system small enough to run hundreds of cycles in seconds (issue 3, speed target).
"""

from .activation import ActivationHysteresis
from .densification import SurfaceDensification
from .kinetics import FilmButlerVolmer, MigratedOpenCircuitPotential, OxygenLossActiveMaterial
from .li_deficient_layer import LiDeficientLayer
from .oxygen_crossover import OxygenCrossover
from .oxygen_loss import OxygenLoss
from .oxygen_recapture import OxygenRecapture
from .oxygen_redox import OxygenRedoxReservoir
from .total_interfacial_current import LRMOTotalInterfacialCurrent

__all__ = [
    "ActivationHysteresis",
    "FilmButlerVolmer",
    "LRMOTotalInterfacialCurrent",
    "LiDeficientLayer",
    "MigratedOpenCircuitPotential",
    "OxygenCrossover",
    "OxygenLoss",
    "OxygenLossActiveMaterial",
    "OxygenRecapture",
    "OxygenRedoxReservoir",
    "SurfaceDensification",
]
