"""The LRMO model: PyBaMM's SPM/SPMe/DFN with an LRMO positive electrode of two redox couples.

``LRMO(options=None, base="SPMe")`` returns a real PyBaMM lithium-ion model whose positive
electrode has two particle phases, the TM couple (primary) and the lattice-oxygen couple
(secondary), each with its own Li transport, OCP and MSMR kinetics (``couples``), and one
submodel per mechanism, each chosen by an option with a "none" twin:

=================================  ===============================  =========================
option                             values (default first)           submodel
=================================  ===============================  =========================
"LRMO oxygen-redox activation"     "Li2MnO3", "none"                ``OxygenRedoxActivation``
"LRMO TM migration"                "reversible and irreversible",   ``TMMigration``
                                   "none"
"LRMO oxygen loss"                 "surface", "none"                ``SurfaceOxygenLoss``
"LRMO Li-deficient layer"          "true", "none"                   ``LiDeficientLayer``
"LRMO RuO2 islands"                "true", "none"                   ``RuO2Islands``
"LRMO electrolyte oxidation"       "Tafel", "none"                  ``ElectrolyteOxidation``
"LRMO TM dissolution"              "Mn-catalysed SEI" (full cell    ``TMDissolution``,
                                   with a growing SEI), "none"      ``DissolvedTMCrossover``,
                                                                    ``MnCatalysedSEIGrowth``
"LRMO graphite formation"          "first lithiation" (full cell),  ``GraphiteFormation``
                                   "none"
=================================  ===============================  =========================

"LRMO TM dissolution" defaults to "Mn-catalysed SEI" in a full cell (graphite) whose PyBaMM "SEI"
option grows a film, and to "none" otherwise. The Mn it dissolves acts through the graphite's
growing SEI (``tm_dissolution``), so it is refused in a half cell, whose Li metal has none (the
half-cell sets and their calibration rows are exactly as without it), and with "SEI" "none" or
"constant". "LRMO graphite formation" (``formation``) is the fresh graphite's one-off SEI
formation on its first lithiation: "first lithiation" in a full cell, refused in a half cell,
"none" for a graphite whose SEI is already formed.

"LRMO kinetics" is "Marcus-Hush-Chidsey" (default) or "Butler-Volmer" (``couples``).
Butler-Volmer is there to compare with PyBaMM's own kinetics (mechanisms off,
``tests/test_model.py``); with the mechanisms on, its unbounded exponentials (``couples`` says
where they reach e^21-e^35) leave IDAKLU a system it cannot factor: the Ru-1 half cell stops
(IDA_LSETUP_FAIL) in the charge of its second 1C cycle after formation, the pristine one runs.
Released oxygen (``ReleasedOxygen``) and the Li/O inventories (``Inventories``) are always there.
Every other option is PyBaMM's own. A Li metal counter electrode keeps PyBaMM's explicit
interface, and its Li inventory is tracked (``CounterElectrodeLithium``).
"""

from __future__ import annotations

import pybamm

from . import (
    activation,
    couples,
    electrode,
    electrolyte_oxidation,
    formation,
    inventory,
    migration,
    oxygen_loss,
    tm_dissolution,
    treatment,
)
from .base import OXYGEN, TM
from .released_oxygen import ReleasedOxygen
from .summary import lrmo_degradation_variables, lrmo_summary_variables

MECHANISMS = {
    "LRMO oxygen-redox activation": {
        "Li2MnO3": activation.OxygenRedoxActivation,
        "none": activation.NoOxygenRedoxActivation,
    },
    "LRMO TM migration": {
        "reversible and irreversible": migration.TMMigration,
        "none": migration.NoTMMigration,
    },
    "LRMO oxygen loss": {
        "surface": oxygen_loss.SurfaceOxygenLoss,
        "none": oxygen_loss.NoOxygenLoss,
    },
    "LRMO Li-deficient layer": {
        "true": treatment.LiDeficientLayer,
        "none": treatment.NoLiDeficientLayer,
    },
    "LRMO RuO2 islands": {"true": treatment.RuO2Islands, "none": treatment.NoRuO2Islands},
    "LRMO electrolyte oxidation": {
        "Tafel": electrolyte_oxidation.ElectrolyteOxidation,
        "none": electrolyte_oxidation.NoElectrolyteOxidation,
    },
    "LRMO TM dissolution": {
        "Mn-catalysed SEI": tm_dissolution.TMDissolution,
        "none": tm_dissolution.NoTMDissolution,
    },
}
TM_DISSOLUTION = "LRMO TM dissolution"
# negative-electrode mechanisms of a full cell
GRAPHITE_MECHANISMS = {
    "LRMO graphite formation": {
        "first lithiation": formation.GraphiteFormation,
        "none": formation.NoGraphiteFormation,
    },
}


KINETICS = ("Marcus-Hush-Chidsey", "Butler-Volmer")


def _negative_sei(options: dict) -> str:
    """The negative electrode's (first phase's) "SEI" option, in any of PyBaMM's forms: one
    value, a (negative, positive) pair, each a value or a tuple of phases."""
    sei = options.get("SEI", "none")
    while isinstance(sei, tuple):
        sei = sei[0]
    return sei


def _choose(options: dict, key: str, choices, default: str) -> str:
    """The value of LRMO option ``key`` taken out of ``options`` (``default`` if absent)."""
    value = options.pop(key, default)
    if value not in choices:
        raise pybamm.OptionError(
            f"option {key!r} must be one of {', '.join(map(repr, choices))}, got {value!r}"
        )
    return value


def split_options(options: dict | None) -> tuple[dict, dict]:
    """(PyBaMM options, LRMO mechanism options with defaults); bad LRMO options raise."""
    options = dict(options or {})
    half_cell = options.get("working electrode", "both") == "positive"
    growing_sei = _negative_sei(options) not in ("none", "constant")
    lrmo = {}
    for key, choices in MECHANISMS.items():
        no_sei = key == TM_DISSOLUTION and (half_cell or not growing_sei)
        lrmo[key] = _choose(options, key, choices, "none" if no_sei else next(iter(choices)))
    if half_cell and lrmo[TM_DISSOLUTION] != "none":
        raise pybamm.OptionError(
            f"option {TM_DISSOLUTION!r} must be 'none' in a half cell (working electrode "
            "'positive'): the dissolved Mn acts through a graphite SEI"
        )
    if not growing_sei and lrmo[TM_DISSOLUTION] != "none":
        raise pybamm.OptionError(
            f"option {TM_DISSOLUTION!r} needs a growing SEI: option 'SEI' of the negative "
            f"electrode must be a growth model, not {_negative_sei(options)!r} (the deposited Mn "
            "catalyses its growth)"
        )
    for key, choices in GRAPHITE_MECHANISMS.items():
        lrmo[key] = _choose(options, key, choices, "none" if half_cell else next(iter(choices)))
        if half_cell and lrmo[key] != "none":
            raise pybamm.OptionError(
                f"option {key!r} must be 'none' in a half cell (working electrode 'positive'): "
                "a Li metal counter electrode has no graphite"
            )
    lrmo["LRMO kinetics"] = _choose(options, "LRMO kinetics", KINETICS, KINETICS[0])
    unknown = [key for key in options if key.startswith("LRMO ")]
    if unknown:
        raise pybamm.OptionError(f"unknown LRMO option {unknown[0]!r}")
    if options.get("surface form", "differential") == "false":
        raise pybamm.OptionError(
            "the LRMO model needs a surface form ('differential' or 'algebraic'): its surface "
            "reactions are explicit in the surface potential difference"
        )
    options.setdefault("surface form", "differential")
    options["particle phases"] = ("1", "2")
    return options, lrmo


def _citation() -> str:
    """BibTeX of Sun et al. 2025, kept once, in the model's zoo entry."""
    from importlib.resources import files

    return (files("lrmo_cell.zoo") / "lrmo" / "CITATION.bib").read_text(encoding="utf-8")


class _LRMOMixin:
    _base_defaults: dict = {}
    # the SPM's electrolyte concentration is fixed: its Li inventory misses the double layers'
    _fixed_electrolyte = False

    def __init__(self, options=None, name=None, build=True):
        options, self.lrmo_options = split_options(options)
        for key, value in self._base_defaults.items():
            options.setdefault(key, value)
        super().__init__(options=options, name=name or self._default_name, build=build)
        pybamm.citations.register(_citation())

    @property
    def default_parameter_values(self):
        from lrmo_cell.parameters import load_parameter_set

        half_cell = self.options["working electrode"] == "positive"
        name = "LRMO_Sun2025_Ru1" if half_cell else "LRMO_Sun2025_Ru1_graphite"
        return pybamm.ParameterValues(load_parameter_set(name))

    def set_submodels(self, build):
        super().set_submodels(build=False)
        self._set_lrmo_submodels()
        if build:
            self.build_model()

    def set_degradation_variables(self):
        super().set_degradation_variables()
        self.variables.update(lrmo_degradation_variables(self.variables, self.param))

    def set_summary_variables(self):
        super().set_summary_variables()
        self.summary_variables = [*self.summary_variables, *lrmo_summary_variables(self.variables)]

    def _set_lrmo_submodels(self):
        param, options, x_av = self.param, self.options, self.x_average
        half_cell = options["working electrode"] == "positive"
        for phase in (TM, OXYGEN):
            self.submodels[f"positive {phase} open-circuit potential"] = (
                couples.GalleryOpenCircuitPotential(
                    param, options, phase, x_av, self.lrmo_options["LRMO kinetics"]
                )
            )
            self.submodels[f"positive {phase} interface"] = couples.MassActionKinetics(
                param, options, phase, self.lrmo_options["LRMO kinetics"]
            )
        if self.lrmo_options["LRMO oxygen loss"] != "none":
            for phase in (TM, OXYGEN):
                self.submodels[f"positive {phase} active material"] = (
                    electrode.LostSitesActiveMaterial(param, "positive", options, x_av, phase)
                )
        for key, choices in MECHANISMS.items():
            self.submodels[key] = choices[self.lrmo_options[key]](param, options, x_av)
        self.submodels["released oxygen"] = ReleasedOxygen(
            param, options, x_av, self.lrmo_options["LRMO kinetics"]
        )
        if half_cell:
            self.submodels["counter electrode lithium"] = electrode.CounterElectrodeLithium(
                param, options=options
            )
        else:
            self.submodels["oxygen crossover"] = electrode.EscapedOxygenCrossover(param, options)
            self.submodels["electrolyte oxidation products"] = (
                electrolyte_oxidation.ElectrolyteOxidationProductsReduction(param, options)
            )
            for key, choices in GRAPHITE_MECHANISMS.items():
                self.submodels[key] = choices[self.lrmo_options[key]](param, options)
        tm_crossover = not half_cell and self.lrmo_options[TM_DISSOLUTION] != "none"
        if tm_crossover:
            self.submodels["dissolved TM crossover"] = tm_dissolution.DissolvedTMCrossover(
                param, options
            )
            self.submodels["negative primary sei"] = tm_dissolution.MnCatalysedSEIGrowth(
                param, options
            )
        if self._fixed_electrolyte:
            self.submodels["double-layer lithium"] = electrode.DoubleLayerLithium(
                param, options=options
            )
        self.submodels["inventories"] = inventory.Inventories(param, options, x_av)
        self.submodels["total interface"] = electrode.LRMOTotalInterfacialCurrent(param, options)
        if half_cell and options["SEI"] in ("none", "constant"):
            electrode.set_explicit_lithium_metal_submodels(self)


class LRMOSPM(_LRMOMixin, pybamm.lithium_ion.SPM):
    """The LRMO model on PyBaMM's single particle model."""

    _default_name = "LRMO SPM"
    _base_defaults = {"x-average side reactions": "true"}
    _fixed_electrolyte = True


class LRMOSPMe(_LRMOMixin, pybamm.lithium_ion.SPMe):
    """The LRMO model on PyBaMM's single particle model with electrolyte (the default base)."""

    _default_name = "LRMO SPMe"


class LRMODFN(_LRMOMixin, pybamm.lithium_ion.DFN):
    """The LRMO model on PyBaMM's Doyle-Fuller-Newman model."""

    _default_name = "LRMO DFN"


_CLASSES = {"SPM": LRMOSPM, "SPMe": LRMOSPMe, "DFN": LRMODFN}


def LRMO(options=None, base="SPMe", name=None, build=True):  # noqa: N802 - reads like a class
    """Build the LRMO model on a PyBaMM base model ("SPM", "SPMe" or "DFN")."""
    if base not in _CLASSES:
        raise ValueError(f"base must be one of {', '.join(_CLASSES)}, got {base!r}")
    return _CLASSES[base](options=options, name=name, build=build)
