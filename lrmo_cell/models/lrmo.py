"""The LRMO model: PyBaMM's SPM/SPMe/DFN with lattice-oxygen redox and surface-oxygen loss.

``LRMO(options=None, base="SPMe")`` returns a real PyBaMM lithium-ion model (a subclass of the
chosen base) whose positive electrode carries, besides PyBaMM's transition-metal intercalation
particle, the submodels of ``lrmo_cell.models.submodels``:

1. lattice-oxygen redox reservoir (``OxygenRedoxReservoir``),
2. Li2MnO3 activation and O-redox hysteresis (``ActivationHysteresis``),
3. irreversible surface-oxygen loss (``OxygenLoss``),
4. recapture by the RuO2 catalyst (``OxygenRecapture``),
5. densification film, TM-migration voltage decay, loss of active material
   (``SurfaceDensification``, ``MigratedOpenCircuitPotential``, ``OxygenLossActiveMaterial``),
6. the Li-deficient surface layer (``LiDeficientLayer``),
7. in full cells, escaped oxygen reduced on the graphite (``OxygenCrossover``),

with the charge-carrying oxygen reactions summed by ``LRMOTotalInterfacialCurrent``. Because extra
surface reactions compete with intercalation for the same surface potential, the positive electrode
uses PyBaMM's "differential" surface form (every reaction is an explicit function of the surface
potential difference; the double-layer capacitance closes the current balance). A Li metal
counter electrode keeps PyBaMM's explicit (inverted Butler-Volmer) interface.
"""

from __future__ import annotations

import pybamm

from . import submodels

_LRMO_SUBMODELS = {
    "Li-deficient layer": submodels.LiDeficientLayer,
    "oxygen redox reservoir": submodels.OxygenRedoxReservoir,
    "Li2MnO3 activation and hysteresis": submodels.ActivationHysteresis,
    "oxygen loss": submodels.OxygenLoss,
    "oxygen recapture": submodels.OxygenRecapture,
    "surface densification": submodels.SurfaceDensification,
}


def _citation() -> str:
    """BibTeX of Sun et al. 2025, kept once, in the model's zoo entry."""
    from importlib.resources import files

    return (files("lrmo_cell.zoo") / "lrmo" / "CITATION.bib").read_text(encoding="utf-8")


def set_explicit_lithium_metal_submodels(model) -> None:
    """The Li metal counter electrode of ``model`` as PyBaMM has it without a surface form:
    inverted Butler-Volmer, no double layer. The surface form the LRMO models need for their
    positive electrode would otherwise also give the Li metal a double-layer state, whose
    millisecond transient at every current step only costs solver steps."""
    param, options = model.param, model.options
    model.submodels["negative electrode potential"] = pybamm.electrode.ohm.LithiumMetalExplicit(
        param, "negative", options
    )
    model.submodels["negative electrode interface"] = pybamm.kinetics.InverseButlerVolmer(
        param, "negative", "lithium metal plating", options
    )
    model.submodels["negative electrode interface current"] = (
        pybamm.kinetics.CurrentForInverseKineticsLithiumMetal(
            param, "negative", "lithium metal plating", options
        )
    )


class _LRMOMixin:
    """Adds the LRMO submodels to a PyBaMM lithium-ion model before it is built."""

    # options PyBaMM sets only for its own classes (it checks ``self.__class__``, not subclasses)
    _base_defaults: dict = {}

    def __init__(self, options=None, name=None, build=True):
        options = dict(options or {})
        if options.get("surface form", "differential") == "false":
            raise pybamm.OptionError(
                "the LRMO model needs a surface form ('differential' or 'algebraic') because its "
                "oxygen reactions are explicit in the surface potential difference"
            )
        options.setdefault("surface form", "differential")
        for key, value in self._base_defaults.items():
            options.setdefault(key, value)
        super().__init__(options=options, name=name or self._default_name, build=build)
        pybamm.citations.register(_citation())

    def set_submodels(self, build):
        super().set_submodels(build=False)
        self._set_lrmo_submodels()
        if build:
            self.build_model()

    def _set_lrmo_submodels(self):
        param, options = self.param, self.options
        if self.options.phases["positive"] != ["primary"]:
            raise pybamm.OptionError("the LRMO model supports one positive particle phase")
        for key, submodel in _LRMO_SUBMODELS.items():
            self.submodels[key] = submodel(param, options)
        if options["working electrode"] == "both":
            self.submodels["oxygen crossover"] = submodels.OxygenCrossover(param, options)
        elif options["SEI"] in ("none", "constant") and options["intercalation kinetics"] == (
            "symmetric Butler-Volmer"
        ):
            set_explicit_lithium_metal_submodels(self)
        self.submodels["positive primary open-circuit potential"] = (
            submodels.MigratedOpenCircuitPotential(
                param, "positive", "lithium-ion main", options, "primary", self.x_average
            )
        )
        self.submodels["positive primary interface"] = submodels.FilmButlerVolmer(
            param, "positive", "lithium-ion main", options, "primary"
        )
        self.submodels["positive primary active material"] = submodels.OxygenLossActiveMaterial(
            param, "positive", options, self.x_average, "primary"
        )
        self.submodels["total interface"] = submodels.LRMOTotalInterfacialCurrent(param, options)

    @property
    def default_parameter_values(self):
        from lrmo_cell.parameters import load_parameter_set

        name = (
            "LRMO_Sun2025_Ru1"
            if self.options["working electrode"] == "positive"
            else ("LRMO_Sun2025_Ru1_graphite")
        )
        return pybamm.ParameterValues(load_parameter_set(name))


class LRMOSPM(_LRMOMixin, pybamm.lithium_ion.SPM):
    """LRMO extension of PyBaMM's single particle model."""

    _default_name = "LRMO SPM"
    _base_defaults = {"x-average side reactions": "true"}


class LRMOSPMe(_LRMOMixin, pybamm.lithium_ion.SPMe):
    """LRMO extension of PyBaMM's single particle model with electrolyte (the default base)."""

    _default_name = "LRMO SPMe"


class LRMODFN(_LRMOMixin, pybamm.lithium_ion.DFN):
    """LRMO extension of PyBaMM's Doyle-Fuller-Newman model."""

    _default_name = "LRMO DFN"


_CLASSES = {"SPM": LRMOSPM, "SPMe": LRMOSPMe, "DFN": LRMODFN}


def LRMO(options=None, base="SPMe", name=None, build=True):  # noqa: N802 - reads like a class
    """Build the LRMO model on a PyBaMM base model ("SPM", "SPMe" or "DFN").

    ``options`` are PyBaMM model options, e.g. ``{"working electrode": "positive"}`` for a half
    cell against Li metal.
    """
    if base not in _CLASSES:
        raise ValueError(f"base must be one of {', '.join(_CLASSES)}, got {base!r}")
    return _CLASSES[base](options=options, name=name, build=build)
