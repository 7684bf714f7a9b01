"""A pouch design's performance at a C-rate from the LRMO model: one electrode pair, scaled.

The designer (``lrmo_cell.design``) gives capacity and energy from a nominal specific capacity
and mean voltage; here the LRMO model discharges one electrode pair of the design instead:

- :func:`electrode_pair_parameter_values` turns the design's cathode (loading, porosity,
  thickness, active fraction; the material from ``cathode.parameter_set``) and its counter
  electrode (Li metal, or graphite with the design's N/P) into PyBaMM parameter values for one
  cathode face, its separator and the counter electrode facing it;
- :func:`at_rate` runs the set's model (``lrmo_cell.models.cycling.model_for``) at a C-rate and
  temperature and scales the pair to the stack: ``2 n`` pairs for ``n`` double-sided cathodes,
  the mass and volume the designer's; it reports the nominal figures beside them and the
  voltage losses by mechanism, from PyBaMM's public overpotential variables (the ones
  ``pybamm.plot_voltage_components`` draws);
- :func:`resolve_performance` gives a ``cathode.performance_from = "model"`` design its specific
  capacity and mean voltage from the model at the design's ``cathode.c_rate``.

The protocol is the calibration's rate test (the set's "performance" block): a formation cycle at
0.1C, then a cycle charged and discharged at the rate asked, CC between 2.0 V and the set's
upper cut-off; 1C = 250 mA per g of active powder (LRMO with its RuO2, the mass the study weighs,
``cathode.active_fraction`` of the coating), so the designer's 0.1C and the study's agree.

PyBaMM's open-circuit voltage and reaction overpotential are those of the electrode's primary
particle phase, the TM couple in both LRMO models; the oxygen couple runs below the TM couple's
OCV late in a discharge, so its lag (kinetics in the wide sense) shows in the reaction term.
The terms add up to the voltage; what they do not split is reported as the residual.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pybamm

from lrmo_cell.design.core import FARADAY_C_PER_MOL, Design, evaluate
from lrmo_cell.design.schema import MODEL
from lrmo_cell.errors import InputError
from lrmo_cell.models.cycling import active_powder_mass_g, run_experiment
from lrmo_cell.parameters import load_parameter_set, resolve_parameter_file
from lrmo_cell.parameters.treatment import SPECIFIC_CURRENT_1C_A_PER_KG
from lrmo_cell.plotting import quantity_label
from lrmo_cell.studies.at_rate_commands import C_RATE_RANGE, TEMPERATURE_RANGE_K

FORMATION_C_RATE = 0.1  # Sun et al. 2025 (doi 10.1039/d5ee00430f): formation at 0.1C
LOWER_CUT_OFF_V = 2.0  # the study's discharge limit vs Li; kept for the graphite cell as well
#: outputs of the designer that at_rate gives at the rate as well
FIGURES = (
    "capacity_Ah",
    "energy_Wh",
    "mean_voltage_V",
    "specific_energy_Wh_per_kg",
    "energy_density_Wh_per_L",
)
OPEN_CIRCUIT = "Battery open-circuit voltage [V]"
#: voltage terms of the discharge, PyBaMM's names (as pybamm.plot_voltage_components), keyed by
#: the mechanism they stand for; OCV + their sum is the voltage
LOSS_TERMS = {
    "solid_diffusion": "Battery particle concentration overpotential [V]",
    "reaction_kinetics": "X-averaged battery reaction overpotential [V]",
    "electrolyte_diffusion": "X-averaged battery concentration overpotential [V]",
    "electrolyte_ohmic": "X-averaged battery electrolyte ohmic losses [V]",
    "electrode_ohmic": "X-averaged battery solid phase ohmic losses [V]",
    "contact": "Contact overpotential [V]",
}
LOSS_LABELS = {
    "solid_diffusion": "solid-state Li diffusion (particle concentration)",
    "reaction_kinetics": "reaction kinetics (reaction overpotential)",
    "electrolyte_diffusion": "electrolyte transport (concentration overpotential)",
    "electrolyte_ohmic": "electrolyte transport (ohmic)",
    "electrode_ohmic": "electrode ohmic",
    "contact": "contact",
    "residual": "not split by PyBaMM's terms",
}


def _set_path(design: Design) -> Path:
    name = design.options.get("cathode.parameter_set")
    if name is None:
        raise InputError(
            "cathode.parameter_set is missing from the design: name the cathode's parameter "
            "set (e.g. Ru-1, or LRMO_Sun2025_Ru1_graphite for a graphite design) to run it"
        )
    relative_to = Path(design.path).parent if design.path else None
    try:
        return resolve_parameter_file(name, relative_to)
    except InputError as err:
        raise InputError(f"cathode.parameter_set: {err}") from None


def _geometry(design: Design) -> dict:
    """The designer's per-face outputs; the coating geometry does not depend on the cathode's
    performance, so a design still waiting for the model is evaluated with stand-ins for it."""
    stand_ins = (
        {"cathode.specific_capacity_mAh_per_g": 1.0, "cathode.mean_voltage_V": 1.0}
        if design.needs_model
        else {}
    )
    return {k: float(v) for k, v in evaluate(design, stand_ins, check=False).items()}


def electrode_pair_parameter_values(design: Design) -> pybamm.ParameterValues:
    """PyBaMM parameter values of one electrode pair of ``design``: one cathode face of the
    design's area, loading, porosity and thickness, its separator, and the counter electrode.

    The material is the set named by ``cathode.parameter_set`` (a half-cell set against Li
    metal for a Li-metal design, a graphite full-cell set for a graphite design). The LRMO
    volume fraction holds the design's active powder (loading x active fraction, less its RuO2)
    at the set's LRMO density, so the model's active mass is the designer's. Graphite keeps its
    thickness and porosity from the design, and its volume fraction is what holds N/P x the
    cathode's areal capacity at the set's maximum concentration (the design's N/P, not the
    set's), and its first-cycle efficiency, which its SEI formation takes on the first charge,
    is the design's; the anode's overhang carries no current in a 1D model and is left out.
    """
    # load_design checked that the set is of this design's kind of cell
    values = pybamm.ParameterValues(load_parameter_set(_set_path(design)))
    graphite = design.anode_type == "graphite"
    g = _geometry(design)
    v = design.values
    thickness_m = 1e-6 * g["cathode_coating_thickness_um"]
    powder_kg_per_m2 = 1e-2 * v["cathode.loading_mg_per_cm2"] * v["cathode.active_fraction"]
    lrmo_kg_per_m2 = powder_kg_per_m2 * (1 - values["RuO2 mass fraction in active powder"])
    area_m2 = 1e-6 * v["cell.electrode_width_mm"] * v["cell.electrode_height_mm"]
    update = {
        "Electrode width [m]": 1e-3 * v["cell.electrode_width_mm"],
        "Electrode height [m]": 1e-3 * v["cell.electrode_height_mm"],
        "Positive electrode thickness [m]": thickness_m,
        "Positive electrode porosity": g["cathode_porosity"],
        "Positive electrode active material volume fraction": lrmo_kg_per_m2
        / (thickness_m * values["LRMO density [kg.m-3]"]),
        "Separator thickness [m]": 1e-6 * v["separator.thickness_um"],
        "Separator porosity": v["separator.porosity"],
        "Negative electrode thickness [m]": 1e-6 * g["anode_coating_thickness_um"],
        # the set's convention: the nominal capacity is the 1C current for one hour
        "Nominal cell capacity [A.h]": SPECIFIC_CURRENT_1C_A_PER_KG * powder_kg_per_m2 * area_m2,
        "Current function [A]": 0.0,
    }
    if graphite:
        anode_m = update["Negative electrode thickness [m]"]
        q_anode_C_per_m2 = 3.6e4 * g["n_p_ratio"] * g["cathode_areal_capacity_mAh_per_cm2"]
        c_max = values["Maximum concentration in negative electrode [mol.m-3]"]
        fraction = q_anode_C_per_m2 / (anode_m * c_max * FARADAY_C_PER_MOL)
        if fraction >= 1 - v["anode.porosity"]:
            raise InputError(
                f"anode.n_p_ratio {g['n_p_ratio']:.3g} needs a graphite volume fraction of "
                f"{fraction:.2f} at the set's maximum concentration, more than the solid share "
                f"{1 - v['anode.porosity']:.2f} of the coating; lower anode.porosity or N/P"
            )
        update["Negative electrode porosity"] = v["anode.porosity"]
        update["Negative electrode active material volume fraction"] = fraction
        # the model's formation takes the share of Li the designer's graphite keeps
        update["Negative electrode first-cycle Coulombic efficiency"] = v[
            "anode.first_cycle_efficiency"
        ]
    values.update(update)
    return values


def _check_conditions(c_rate: float, temperature_K: float) -> None:
    low, high = C_RATE_RANGE
    if not (np.isfinite(c_rate) and low <= c_rate <= high):
        raise InputError(f"c_rate must be in [{low:g}, {high:g}] C, got {c_rate!r}")
    low, high = TEMPERATURE_RANGE_K
    if not (np.isfinite(temperature_K) and low <= temperature_K <= high):
        raise InputError(f"temperature_K must be in [{low:g}, {high:g}] K, got {temperature_K!r}")


def _discharge(design: Design, c_rate: float, temperature_K: float) -> tuple[dict, dict]:
    """One pair's discharge at ``c_rate``: its figures and the curves of its voltage terms."""
    _check_conditions(c_rate, temperature_K)
    set_file = _set_path(design)
    values = electrode_pair_parameter_values(design)
    values.update(
        {"Ambient temperature [K]": temperature_K, "Initial temperature [K]": temperature_K}
    )
    v_max = float(values["Upper voltage cut-off [V]"])
    solution, _ = run_experiment(
        values,
        [(FORMATION_C_RATE, 1), (c_rate, 1)],
        v_min=LOWER_CUT_OFF_V,
        v_max=v_max,
    )
    steps = solution.cycles[-1].steps if len(solution.cycles) == 2 else []
    step = steps[-1] if len(steps) == 2 else None
    if step is None or isinstance(step, pybamm.EmptySolution):
        raise InputError(
            f"c_rate {c_rate:.3g}C: the pair cannot complete a charge and discharge at this rate "
            f"between {LOWER_CUT_OFF_V:g} and {v_max:g} V; ask for a lower rate"
        )
    q = step["Discharge capacity [A.h]"].entries
    q = q - q[0]
    voltage = step["Voltage [V]"].entries
    curve = {"capacity_Ah": q, "voltage_V": voltage, "open_circuit_V": step[OPEN_CIRCUIT].entries}
    for key, name in LOSS_TERMS.items():
        curve[key] = step[name].entries
    curve["residual"] = voltage - curve["open_circuit_V"] - sum(curve[k] for k in LOSS_TERMS)
    capacity = float(q[-1])
    if capacity <= 0:
        raise InputError(f"c_rate {c_rate:.3g}C: the pair delivers no capacity at this rate")

    def mean(x):  # over the charge discharged, so the terms add up to the mean voltage
        return float(np.trapezoid(x, q)) / capacity

    energy = float(np.trapezoid(voltage, q))
    mass_g = active_powder_mass_g(values)
    pair = {
        "capacity_Ah": capacity,
        "energy_Wh": energy,
        "mean_voltage_V": energy / capacity,
        "active_mass_g": mass_g,
        "specific_capacity_mAh_per_g": 1000 * capacity / mass_g,
        "mean_open_circuit_voltage_V": mean(curve["open_circuit_V"]),
        "voltage_losses_V": {k: mean(curve[k]) for k in (*LOSS_TERMS, "residual")},
        "parameter_set": set_file.stem,
        "upper_cut_off_V": v_max,
    }
    return pair, curve


def resolve_performance(design: Design, temperature_K: float = 298.15) -> Design:
    """``design`` with its cathode's specific capacity [mAh per g of active powder] and mean
    voltage from the LRMO model at ``cathode.c_rate``, when it asks for them
    (``cathode.performance_from = "model"``, Li-metal designs); else ``design`` itself."""
    if not design.needs_model:
        return design
    c_rate = design.values["cathode.c_rate"]
    pair, _ = _discharge(design, c_rate, temperature_K)
    source = (
        f"{MODEL}: LRMO model, one electrode pair of this design, set {pair['parameter_set']}, "
        f"0.1C formation then {c_rate:.3g}C, {LOWER_CUT_OFF_V:g}-{pair['upper_cut_off_V']:g} V, "
        f"{temperature_K:g} K (lrmo_cell.studies.cell_physics)"
    )
    return design.with_values(
        {
            "cathode.specific_capacity_mAh_per_g": pair["specific_capacity_mAh_per_g"],
            "cathode.mean_voltage_V": pair["mean_voltage_V"],
        },
        source,
    )


def at_rate(
    design: Design, c_rate: float, temperature_K: float = 298.15, *, with_curve: bool = False
) -> dict:
    """The design at ``c_rate`` [C] and ``temperature_K`` from the LRMO model, scaled to the stack.

    Keys: ``capacity_Ah``, ``energy_Wh``, ``mean_voltage_V``, ``specific_energy_Wh_per_kg``,
    ``energy_density_Wh_per_L`` (the stack: pairs x one pair, over the designer's mass and
    volume); ``nominal`` (the designer's same five figures), ``ratio_to_nominal``; ``pairs``;
    ``pair`` (one pair: capacity, energy, active mass, specific capacity, mean open-circuit
    voltage, ``voltage_losses_V``: each PyBaMM voltage term averaged over the charge discharged,
    negative where it lowers the voltage; OCV + their sum = the mean voltage);
    ``c_rate``, ``temperature_K``, ``one_c_mA_per_g``. With ``with_curve``, ``curve``: the
    discharge's arrays (stack capacity [Ah], voltage, OCV and each term [V]).
    Raises :class:`InputError` for a rate or temperature out of range or a set that does not fit.
    """
    design = resolve_performance(design)
    nominal_all = _geometry(design)
    nominal = {k: nominal_all[k] for k in FIGURES}
    pair, curve = _discharge(design, c_rate, temperature_K)
    pairs = 2 * int(design.values["cell.n_cathode_layers"])
    capacity, energy = pairs * pair["capacity_Ah"], pairs * pair["energy_Wh"]
    figures = {
        "capacity_Ah": capacity,
        "energy_Wh": energy,
        "mean_voltage_V": energy / capacity,
        "specific_energy_Wh_per_kg": 1e3 * energy / nominal_all["mass_g"],
        "energy_density_Wh_per_L": 1e3 * energy / nominal_all["volume_cm3"],
    }
    result = {
        "c_rate": float(c_rate),
        "temperature_K": float(temperature_K),
        "one_c_mA_per_g": SPECIFIC_CURRENT_1C_A_PER_KG,
        **figures,
        "nominal": nominal,
        "ratio_to_nominal": {k: figures[k] / nominal[k] for k in FIGURES},
        "pairs": pairs,
        "pair": pair,
    }
    if with_curve:
        result["curve"] = {**curve, "capacity_Ah": pairs * curve["capacity_Ah"]}
    return result


def table(result: dict) -> str:
    """Nominal and at-rate figures side by side, and the mean voltage terms, as plain text."""
    rate = f"{result['c_rate']:.3g}C, {result['temperature_K']:g} K"
    lines = [
        f"  at {rate} (LRMO model, set {result['pair']['parameter_set']}, "
        f"{result['pairs']} electrode pairs; 1C = {result['one_c_mA_per_g']:g} mA/g)",
        f"  {'':<34} {'nominal':>10} {'at rate':>10} {'ratio':>7}",
    ]
    for key in FIGURES:
        lines.append(
            f"  {quantity_label(key):<34} {result['nominal'][key]:>10.4g} "
            f"{result[key]:>10.4g} {result['ratio_to_nominal'][key]:>7.3f}"
        )
    pair = result["pair"]
    lines += [
        "",
        f"  one pair: {1e3 * pair['capacity_Ah']:.2f} mAh, "
        f"{pair['specific_capacity_mAh_per_g']:.1f} mAh/g of "
        f"{1e3 * pair['active_mass_g']:.1f} mg active powder",
        f"  mean voltage = mean OCV {pair['mean_open_circuit_voltage_V']:.4f} V plus, over the "
        "discharge:",
    ]
    for key, volts in pair["voltage_losses_V"].items():
        lines.append(f"    {LOSS_LABELS[key]:<52} {1e3 * volts:9.1f} mV")
    return "\n".join(lines)


def plot_voltage_losses(result: dict, path, title: str = "") -> None:
    """Voltage-loss breakdown of an :func:`at_rate` result (``with_curve=True``) to PNG: the
    discharge curve under its open-circuit voltage with each term filled between, and the terms'
    means over the discharge as bars."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    from lrmo_cell.files import save_png

    curve = result["curve"]
    q = curve["capacity_Ah"]
    terms = [k for k in (*LOSS_TERMS, "residual") if np.max(np.abs(curve[k])) > 1e-4]
    colors = dict(zip(terms, colormaps["tab10"].colors, strict=False))
    fig = Figure(figsize=(11, 4.6))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
    top = curve["open_circuit_V"]
    left.plot(
        q, top, color="black", lw=1.2, label="open-circuit voltage (TM couple vs counter electrode)"
    )
    for key in terms:
        bottom = top + curve[key]
        left.fill_between(q, top, bottom, color=colors[key], alpha=0.7, label=LOSS_LABELS[key])
        top = bottom
    left.plot(q, curve["voltage_V"], color="black", lw=1.2, ls="--", label="cell voltage")
    left.set_xlabel("discharged capacity of the cell [Ah]")
    left.set_ylabel("voltage [V]")
    left.set_ylim(LOWER_CUT_OFF_V - 0.3, None)
    left.legend(fontsize=7, loc="lower left", frameon=False)
    losses = result["pair"]["voltage_losses_V"]
    names = terms
    right.barh(
        range(len(names)),
        [-1e3 * losses[k] for k in names],
        color=[colors[k] for k in names],
    )
    right.set_yticks(range(len(names)), [LOSS_LABELS[k] for k in names], fontsize=7)
    right.invert_yaxis()
    right.axvline(0, color="black", lw=0.8)
    right.set_xlabel("mean voltage loss over the discharge [mV]")
    nominal = result["nominal"]
    fig.suptitle(
        f"{title}{' - ' if title else ''}{result['c_rate']:.3g}C, {result['temperature_K']:g} K: "
        f"{result['capacity_Ah']:.2f} Ah, {result['mean_voltage_V']:.3f} V, "
        f"{result['specific_energy_Wh_per_kg']:.0f} Wh/kg (nominal {nominal['capacity_Ah']:.2f} "
        f"Ah, {nominal['mean_voltage_V']:.3f} V, {nominal['specific_energy_Wh_per_kg']:.0f} Wh/kg)",
        fontsize=9,
    )
    fig.tight_layout()
    save_png(fig, path)
