"""The pouch-cell arithmetic: one vectorised function, :func:`evaluate`, for every use.

A stacked pouch cell of ``n`` double-sided cathode sheets and ``n + 1`` anode sheets (the two
outer ones coated on their inner face only), so ``2 n`` cathode/anode face pairs, each with its
own separator sheet. Sizes follow the usual pouch-cell bookkeeping of cell-design studies (e.g.
Liu et al., Nat. Energy 4 (2019) 180, doi 10.1038/s41560-019-0338-x; Chen et al., Joule 3 (2019)
1094, doi 10.1016/j.joule.2019.02.004): every component's mass is area x areal mass, every
thickness adds up in the stack, and the energy is the reversible capacity times the mean
discharge voltage. Pure numpy: every input may be an array, outputs broadcast against them, so
one call evaluates a million designs. Never imports pybamm, pandas or pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from lrmo_cell.errors import InputError

FARADAY_C_PER_MOL = 96485.33212  # CODATA 2018
LI_MOLAR_MASS_G_PER_MOL = 6.94  # IUPAC standard atomic weight (abridged)
#: theoretical specific capacity of Li metal, F / (3.6 M_Li) = 3861 mAh/g
LI_SPECIFIC_CAPACITY_MAH_PER_G = FARADAY_C_PER_MOL / (3.6 * LI_MOLAR_MASS_G_PER_MOL)

#: the components of the mass breakdown, in stacking order (outputs ``mass_<name>_g``)
COMPONENTS = (
    "cathode_active",
    "cathode_carbon",
    "cathode_binder",
    "al_foil",
    "anode_active",
    "anode_inactive",
    "cu_foil",
    "separator",
    "electrolyte",
    "tabs",
    "pouch",
)
#: outputs that a report, a sweep row or an inverse-design target may use
SCALAR_OUTPUTS = (
    "capacity_Ah",
    "energy_Wh",
    "mass_g",
    "volume_cm3",
    "specific_energy_Wh_per_kg",
    "energy_density_Wh_per_L",
    "energy_density_body_Wh_per_L",
    "thickness_mm",
    "mean_voltage_V",
    "n_p_ratio",
    "electrolyte_g_per_Ah",
    "electrolyte_to_pore_volume",
    "free_electrolyte_cm3",
    "cathode_areal_capacity_mAh_per_cm2",
    "cathode_coating_thickness_um",
    "cathode_porosity",
    "anode_loading_mg_per_cm2",
    "anode_coating_thickness_um",
    "active_mass_fraction",
    "width_mm",
    "height_mm",
)


@dataclass(frozen=True)
class Design:
    """A validated design: numeric inputs (``section.field -> float``), their sources, options."""

    name: str
    values: dict[str, float]
    sources: dict[str, str]
    options: dict[str, str]
    bounds: dict[str, tuple]
    integer_fields: frozenset = field(default_factory=frozenset)
    description: str = ""
    path: str = ""

    @property
    def anode_type(self) -> str:
        return self.options["anode.type"]

    @property
    def needs_model(self) -> bool:
        """The cathode's capacity and mean voltage are still to come from the LRMO model
        (``cathode.performance_from = "model"``: ``lrmo_cell.studies.cell_physics``)."""
        return "cathode.specific_capacity_mAh_per_g" not in self.values

    @property
    def electrolyte_mode(self) -> str:
        return "g_per_Ah" if "electrolyte.g_per_Ah" in self.values else "pore_fill"

    def with_values(self, updates: Mapping[str, float], source: str) -> Design:
        """A copy with some numeric inputs replaced (e.g. by the inverse solver)."""
        values = {**self.values, **{k: float(v) for k, v in updates.items()}}
        sources = {**self.sources, **dict.fromkeys(updates, source)}
        return replace(self, values=values, sources=sources)


def range_text(bounds: tuple) -> str:
    """``(gt, ge, lt, le)`` -> ``"in (0, 1)"`` / ``"> 0"`` / ``"in [1, 500]"``."""
    gt, ge, lt, le = bounds
    low, low_bracket = (gt, "(") if gt is not None else (ge, "[")
    high, high_bracket = (lt, ")") if lt is not None else (le, "]")
    if low is not None and high is not None:
        return f"in {low_bracket}{low:g}, {high:g}{high_bracket}"
    if low is not None:
        return f"{'>' if gt is not None else '>='} {low:g}"
    return f"{'<' if lt is not None else '<='} {high:g}"


def check_ranges(design: Design, overrides: Mapping[str, np.ndarray], where: str) -> None:
    """Raise :class:`InputError` for the first override outside its field's allowed range."""
    for key, array in overrides.items():
        if key not in design.values:
            import difflib

            close = difflib.get_close_matches(key, design.values, n=3) or sorted(design.values)[:3]
            raise InputError(
                f"{key} is not a numeric field of this design ({where}); "
                f"did you mean {' or '.join(close)}?"
            )
        a = np.asarray(array, dtype=float)
        gt, ge, lt, le = design.bounds.get(key, (None, None, None, None))
        bad = ~np.isfinite(a)
        for limit, fails in (
            (gt, a <= gt if gt is not None else None),
            (ge, a < ge if ge is not None else None),
            (lt, a >= lt if lt is not None else None),
            (le, a > le if le is not None else None),
        ):
            if limit is not None:
                bad |= fails
        if np.any(bad):
            first = a.flat[int(np.argmax(bad.ravel()))] if a.ndim else float(a)
            raise InputError(
                f"{key} must be {range_text(design.bounds[key])} ({where}), got {first:g}"
            )
        if key in design.integer_fields and np.any(a != np.round(a)):
            raise InputError(f"{key} must be a whole number ({where})")


# --- the physics, one small formula each ---------------------------------------------------


def skeleton_density(fractions, densities):
    """Pore-free density of a composite coating [g/cm3], rule of mixtures on volumes:
    1 / sum(w_i / rho_i) for mass fractions w_i (e.g. Chen et al., Joule 3 (2019) 1094)."""
    return 1.0 / sum(w / rho for w, rho in zip(fractions, densities, strict=True))


def coating_thickness_um(loading_mg_per_cm2, coating_density_g_per_cm3):
    """One coated side's thickness [um] = areal mass / coating density (1 mg/cm2 at 1 g/cm3 is
    10 um)."""
    return 10.0 * loading_mg_per_cm2 / coating_density_g_per_cm3


def areal_capacity_mAh_per_cm2(loading_mg_per_cm2, active_fraction, specific_capacity_mAh_per_g):
    """Areal capacity of one coated side [mAh/cm2] = loading x active fraction x specific
    capacity."""
    return 1e-3 * loading_mg_per_cm2 * active_fraction * specific_capacity_mAh_per_g


def li_areal_capacity_mAh_per_cm2(thickness_um, density_g_per_cm3):
    """Capacity of a Li metal foil [mAh/cm2] = thickness x density x 3861 mAh/g."""
    return 1e-4 * thickness_um * density_g_per_cm3 * LI_SPECIFIC_CAPACITY_MAH_PER_G


def li_inventory_limited_capacity(q_cathode_dis, cathode_ice, q_anode_rev, anode_ice):
    """Reversible areal capacity of a Li-ion full cell after formation [mAh/cm2].

    The first charge moves q_dis / ICE_c of Li out of the cathode; the anode's SEI keeps
    q_a,rev (1/ICE_a - 1) of it; the rest can return, but no more than the cathode can take
    back (q_dis) or the anode can hold (q_a,rev). The usual Li-inventory balance of full-cell
    design (e.g. Kasnatscheew et al., PCCP 18 (2016) 3956, doi 10.1039/C5CP07718D).
    """
    li_left = q_cathode_dis / cathode_ice - q_anode_rev * (1.0 / anode_ice - 1.0)
    return np.minimum(np.minimum(q_cathode_dis, li_left), q_anode_rev)


def pouch_laminate_area_cm2(width_cm, height_cm, stack_width_cm, stack_height_cm, stack_mm):
    """Laminate of a formed pouch [cm2]: two sheets of the sealed outline plus the drawn
    cup walls around the stack (perimeter x stack thickness)."""
    return 2.0 * width_cm * height_cm + 2.0 * (stack_width_cm + stack_height_cm) * stack_mm / 10


# --- the stages of one evaluation: each takes the inputs ``p`` (floats or arrays) ----------


def _layout(p) -> dict:
    """Sheet counts and areas [cm2]: ``n`` double-sided cathodes, ``2 n`` faces of each
    electrode and ``2 n`` separator sheets; the anode and separator overhang on every edge."""
    n = p["cell.n_cathode_layers"]
    w, h = p["cell.electrode_width_mm"] / 10, p["cell.electrode_height_mm"] / 10
    grow_a, grow_s = 2 * p["anode.overhang_mm"] / 10, 2 * p["separator.overhang_mm"] / 10
    return {
        "n": n,
        "faces": 2 * n,
        "cathode_cm2": w * h,
        "anode_cm2": (w + grow_a) * (h + grow_a),
        "stack_width_cm": w + grow_a + grow_s,
        "stack_height_cm": h + grow_a + grow_s,
        "separator_cm2": (w + grow_a + grow_s) * (h + grow_a + grow_s),
    }


def _cathode(p, check: bool) -> dict:
    """Per-face cathode coating: composition, density/porosity, thickness, areal capacity."""
    c = "cathode."
    af, cf = p[c + "active_fraction"], p[c + "carbon_fraction_of_inactive"]
    fractions = (af, (1 - af) * cf, (1 - af) * (1 - cf))
    rho_skeleton = skeleton_density(
        fractions,
        (
            p[c + "active_density_g_per_cm3"],
            p[c + "carbon_density_g_per_cm3"],
            p[c + "binder_density_g_per_cm3"],
        ),
    )
    if c + "porosity" in p:
        porosity = p[c + "porosity"]
        rho_coat = (1 - porosity) * rho_skeleton
    else:
        rho_coat = p[c + "coating_density_g_per_cm3"]
        porosity = 1 - rho_coat / rho_skeleton
        if check and np.any(porosity <= 0):
            raise InputError(
                "cathode.coating_density_g_per_cm3 must be below the coating's pore-free density "
                f"({np.min(rho_skeleton):.3g} g/cm3)"
            )
    loading = p[c + "loading_mg_per_cm2"]
    return {
        "fractions": fractions,
        "porosity": porosity,
        "loading": loading,
        "thickness_um": coating_thickness_um(loading, rho_coat),
        "q_dis": areal_capacity_mAh_per_cm2(loading, af, p[c + "specific_capacity_mAh_per_g"]),
    }


def _graphite_anode(p, q_dis) -> dict:
    """Graphite sized by N/P on the facing area; the cell's reversible areal capacity is
    limited by Li inventory after both electrodes' first-cycle losses."""
    a = "anode."
    q_anode = p[a + "n_p_ratio"] * q_dis
    af = p[a + "active_fraction"]
    loading = 1e3 * q_anode / (af * p[a + "specific_capacity_mAh_per_g"])
    rho = (1 - p[a + "porosity"]) * skeleton_density(
        (af, 1 - af), (p[a + "active_density_g_per_cm3"], p[a + "inactive_density_g_per_cm3"])
    )
    return {
        "q_anode": q_anode,
        "q_cell": li_inventory_limited_capacity(
            q_dis, p["cathode.first_cycle_efficiency"], q_anode, p[a + "first_cycle_efficiency"]
        ),
        "loading": loading,
        "active_loading": loading * af,
        "thickness_um": coating_thickness_um(loading, rho),
        "porosity": p[a + "porosity"],
        "mean_voltage_V": p[a + "mean_voltage_V"],
    }


def _li_metal_anode(p, q_dis) -> dict:
    """Li foil of the given thickness per face; Li is in excess, so the cathode limits."""
    thickness, rho = p["anode.li_thickness_um"], p["anode.li_density_g_per_cm3"]
    loading = 0.1 * thickness * rho  # mg/cm2
    return {
        "q_anode": li_areal_capacity_mAh_per_cm2(thickness, rho),
        "q_cell": q_dis,
        "loading": loading,
        "active_loading": loading,
        "thickness_um": thickness,
        "porosity": 0.0,
        "mean_voltage_V": 0.0,
    }


def _tab_mass_g(p):
    """Tabs [g]: width x length x thickness x density, one tab per pole."""
    return sum(
        p[f"tabs.{pole}_width_mm"]
        * p[f"tabs.{pole}_length_mm"]
        * p[f"tabs.{pole}_thickness_um"]
        * 1e-6
        * p[f"tabs.{pole}_density_g_per_cm3"]
        for pole in ("positive", "negative")
    )


def _electrolyte_mass_g(p, mode: str, capacity_ah, pores_cm3):
    """Electrolyte [g]: g/Ah x capacity, or pore volume x fill x (1 + excess) x density."""
    if mode == "g_per_Ah":
        return p["electrolyte.g_per_Ah"] * capacity_ah
    fill = p["electrolyte.pore_fill_fraction"] * (1 + p["electrolyte.excess_fraction"])
    return pores_cm3 * fill * p["electrolyte.density_g_per_cm3"]


# --- the one evaluation ----------------------------------------------------------------------


def evaluate(
    design: Design, overrides: Mapping[str, np.ndarray] | None = None, check: bool = True
) -> dict[str, np.ndarray]:
    """Capacity, energy, mass, volume and their breakdown for one design or a broadcast array.

    ``overrides`` maps numeric fields (``"cathode.loading_mg_per_cm2"``) to arrays; all outputs
    broadcast to their common shape. Units are in the output names. With ``check`` every
    override is checked against its field's range first (:class:`InputError` on the first).
    Volumes: coatings, foils and separators are geometric (pores included); the cell volume is
    the sealed outline x thickness (tabs excluded), ``body`` the stack footprint only.
    """
    overrides = {k: np.asarray(v, dtype=float) for k, v in (overrides or {}).items()}
    if check:
        check_ranges(design, overrides, where="override")
    p = {**design.values, **overrides}
    if "cathode.specific_capacity_mAh_per_g" not in p:
        raise InputError(
            'cathode.performance_from = "model" needs the LRMO model to run first: '
            "lrmo_cell.studies.cell_physics.resolve_performance(design), or lrmo-cell design"
        )
    geo = _layout(p)
    faces, n = geo["faces"], geo["n"]
    cat = _cathode(p, check)
    anode = (_graphite_anode if design.anode_type == "graphite" else _li_metal_anode)(
        p, cat["q_dis"]
    )
    capacity_ah = faces * geo["cathode_cm2"] * anode["q_cell"] / 1e3
    mean_v = p["cathode.mean_voltage_V"] - anode["mean_voltage_V"]

    # volumes [cm3] of the stack's layers: area x thickness
    um = 1e-4  # cm per um
    volumes = {
        "cathode_coating": faces * geo["cathode_cm2"] * cat["thickness_um"] * um,
        "al_foil": n * geo["cathode_cm2"] * p["cathode.foil_thickness_um"] * um,
        "anode": faces * geo["anode_cm2"] * anode["thickness_um"] * um,
        "cu_foil": (n + 1) * geo["anode_cm2"] * p["anode.foil_thickness_um"] * um,
        "separator": faces * geo["separator_cm2"] * p["separator.thickness_um"] * um,
    }
    pores_cm3 = (
        volumes["cathode_coating"] * cat["porosity"]
        + volumes["anode"] * anode["porosity"]
        + volumes["separator"] * p["separator.porosity"]
    )
    m_electrolyte = _electrolyte_mass_g(p, design.electrolyte_mode, capacity_ah, pores_cm3)

    # the package: stack + two laminate walls thick; seals around the separator outline
    stack_um = (
        n * p["cathode.foil_thickness_um"]
        + faces * cat["thickness_um"]
        + (n + 1) * p["anode.foil_thickness_um"]
        + faces * anode["thickness_um"]
        + faces * p["separator.thickness_um"]
    )
    thickness_mm = (stack_um + 2 * p["pouch.laminate_thickness_um"]) / 1e3
    width_cm = geo["stack_width_cm"] + 2 * p["pouch.side_seal_mm"] / 10
    height_cm = geo["stack_height_cm"] + (p["pouch.top_seal_mm"] + p["pouch.bottom_seal_mm"]) / 10
    laminate_cm2 = pouch_laminate_area_cm2(
        width_cm, height_cm, geo["stack_width_cm"], geo["stack_height_cm"], stack_um / 1e3
    )
    volumes["electrolyte"] = m_electrolyte / p["electrolyte.density_g_per_cm3"]
    volumes["pouch"] = laminate_cm2 * p["pouch.laminate_thickness_um"] * um
    volume_cm3 = width_cm * height_cm * thickness_mm / 10
    body_cm3 = geo["stack_width_cm"] * geo["stack_height_cm"] * thickness_mm / 10

    coating_g = faces * geo["cathode_cm2"] * cat["loading"] / 1e3
    anode_g = faces * geo["anode_cm2"] * anode["loading"] / 1e3
    anode_active_g = faces * geo["anode_cm2"] * anode["active_loading"] / 1e3
    masses = {
        "cathode_active": coating_g * cat["fractions"][0],
        "cathode_carbon": coating_g * cat["fractions"][1],
        "cathode_binder": coating_g * cat["fractions"][2],
        "al_foil": volumes["al_foil"] * p["cathode.foil_density_g_per_cm3"],
        "anode_active": anode_active_g,
        "anode_inactive": anode_g - anode_active_g,
        "cu_foil": volumes["cu_foil"] * p["anode.foil_density_g_per_cm3"],
        "separator": volumes["separator"]
        * (1 - p["separator.porosity"])
        * p["separator.density_g_per_cm3"],
        "electrolyte": m_electrolyte,
        "tabs": _tab_mass_g(p),
        "pouch": volumes["pouch"] * p["pouch.laminate_density_g_per_cm3"],
    }
    mass_g = sum(masses.values())
    energy_wh = capacity_ah * mean_v
    out = {
        "capacity_Ah": capacity_ah,
        "energy_Wh": energy_wh,
        "mass_g": mass_g,
        "volume_cm3": volume_cm3,
        "specific_energy_Wh_per_kg": 1e3 * energy_wh / mass_g,
        "energy_density_Wh_per_L": 1e3 * energy_wh / volume_cm3,
        "energy_density_body_Wh_per_L": 1e3 * energy_wh / body_cm3,
        "thickness_mm": thickness_mm,
        "mean_voltage_V": mean_v,
        "n_p_ratio": anode["q_anode"] / cat["q_dis"],
        "electrolyte_g_per_Ah": m_electrolyte / capacity_ah,
        "electrolyte_to_pore_volume": volumes["electrolyte"] / pores_cm3,
        # liquid beyond the pores: held in the cup walls and between layers, not in thickness
        "free_electrolyte_cm3": np.maximum(volumes["electrolyte"] - pores_cm3, 0.0),
        "cathode_areal_capacity_mAh_per_cm2": cat["q_dis"],
        "cathode_coating_thickness_um": cat["thickness_um"],
        "cathode_porosity": cat["porosity"],
        "anode_loading_mg_per_cm2": anode["loading"],
        "anode_coating_thickness_um": anode["thickness_um"],
        "active_mass_fraction": masses["cathode_active"] / mass_g,
        "width_mm": 10 * width_cm,
        "height_mm": 10 * height_cm,
        **{f"mass_{k}_g": v for k, v in masses.items()},
        **{f"volume_{k}_cm3": v for k, v in volumes.items()},
    }
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()))
    return {k: np.broadcast_to(np.asarray(v, dtype=float), shape) for k, v in out.items()}
