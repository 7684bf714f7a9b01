"""What a single design evaluates to: a JSON-ready summary, a text table, a mass-breakdown PNG."""

from __future__ import annotations

from lrmo_cell.design.core import COMPONENTS, SCALAR_OUTPUTS, Design, evaluate

_VOLUME_PARTS = (
    "cathode_coating",
    "al_foil",
    "anode",
    "cu_foil",
    "separator",
    "electrolyte",
    "pouch",
)
_LABELS = {
    "capacity_Ah": ("capacity", "Ah", ".3f"),
    "energy_Wh": ("energy", "Wh", ".2f"),
    "mean_voltage_V": ("mean discharge voltage", "V", ".3f"),
    "mass_g": ("mass", "g", ".2f"),
    "specific_energy_Wh_per_kg": ("specific energy", "Wh/kg", ".1f"),
    "energy_density_Wh_per_L": ("energy density (with seals)", "Wh/L", ".0f"),
    "energy_density_body_Wh_per_L": ("energy density (body, no seals)", "Wh/L", ".0f"),
    "thickness_mm": ("thickness", "mm", ".2f"),
    "width_mm": ("width (with seals)", "mm", ".1f"),
    "height_mm": ("height (with seals)", "mm", ".1f"),
    "n_p_ratio": ("N/P (areal capacity ratio)", "", ".2f"),
    "electrolyte_g_per_Ah": ("electrolyte", "g/Ah", ".2f"),
    "electrolyte_to_pore_volume": ("electrolyte / pore volume", "", ".2f"),
    "free_electrolyte_cm3": ("electrolyte beyond the pores", "cm3", ".2f"),
    "cathode_areal_capacity_mAh_per_cm2": ("cathode areal capacity", "mAh/cm2", ".2f"),
    "cathode_coating_thickness_um": ("cathode coating per side", "um", ".1f"),
    "cathode_porosity": ("cathode porosity", "", ".3f"),
    "anode_loading_mg_per_cm2": ("anode loading per side", "mg/cm2", ".2f"),
    "anode_coating_thickness_um": ("anode (Li or coating) per side", "um", ".1f"),
    "active_mass_fraction": ("cathode active / cell mass", "", ".3f"),
}


def summary(design: Design, result: dict | None = None) -> dict:
    """The JSON report: headline outputs, mass and volume breakdowns, every input with source."""
    r = result if result is not None else evaluate(design)
    out = {"design": design.name, "file": design.path, "anode_type": design.anode_type}
    out.update({k: float(r[k]) for k in SCALAR_OUTPUTS})
    out["mass_breakdown_g"] = {c: float(r[f"mass_{c}_g"]) for c in COMPONENTS}
    out["volume_breakdown_cm3"] = {c: float(r[f"volume_{c}_cm3"]) for c in _VOLUME_PARTS}
    out["inputs"] = {
        k: {"value": design.values[k], "source": design.sources[k]} for k in sorted(design.values)
    }
    out["options"] = dict(design.options)
    return out


def table(report: dict, with_sources: bool = False) -> str:
    """The report as aligned plain text (what ``lrmo-cell design FILE`` prints)."""
    lines = [f"{report['design']}  ({report['file']})", ""]
    for key, (label, unit, fmt) in _LABELS.items():
        lines.append(f"  {label:<34} {format(report[key], fmt):>10} {unit}")
    total = report["mass_g"]
    lines += ["", f"  {'component':<18} {'mass / g':>9} {'share':>7}"]
    for name, grams in report["mass_breakdown_g"].items():
        lines.append(f"  {name:<18} {grams:9.3f} {100 * grams / total:6.1f}%")
    lines.append(f"  {'total':<18} {total:9.3f} {100.0:6.1f}%")
    box = report["volume_cm3"]
    lines += ["", f"  {'volume':<18} {'cm3':>9} {'share':>7}"]
    for name, cm3 in report["volume_breakdown_cm3"].items():
        lines.append(f"  {name:<18} {cm3:9.3f} {100 * cm3 / box:6.1f}%")
    lines.append(f"  {'sealed box':<18} {box:9.3f} {100.0:6.1f}%")
    lines.append("  (electrolyte fills pores of coatings and separator; the box includes seals)")
    if with_sources:
        lines += ["", "  inputs:"]
        for key, item in report["inputs"].items():
            lines.append(f"  {key:<44} {item['value']:>10g}  {item['source']}")
    return "\n".join(lines)


def plot_mass_breakdown(report: dict, path: str) -> None:
    """Stacked bar of the mass breakdown (g), each segment labelled with its share, to PNG."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    from lrmo_cell.files import save_png

    masses = {k: v for k, v in report["mass_breakdown_g"].items() if v > 0}
    total = report["mass_g"]
    fig = Figure(figsize=(6.4, 5.2))
    ax = fig.subplots()
    colors = colormaps["tab20"].colors
    bottom = 0.0
    for i, (name, grams) in enumerate(masses.items()):
        ax.bar(
            0,
            grams,
            bottom=bottom,
            width=0.5,
            color=colors[i % 20],
            edgecolor="white",
            label=f"{name.replace('_', ' ')}: {grams:.2f} g ({100 * grams / total:.1f}%)",
        )
        if grams / total > 0.03:
            ax.text(
                0,
                bottom + grams / 2,
                f"{100 * grams / total:.0f}%",
                ha="center",
                va="center",
                fontsize=8,
            )
        bottom += grams
    ax.set_xlim(-0.5, 2.4)
    ax.set_xticks([])
    ax.set_ylabel("mass / g")
    ax.set_title(
        f"{report['design']}\n{report['capacity_Ah']:.2f} Ah, "
        f"{report['specific_energy_Wh_per_kg']:.0f} Wh/kg, "
        f"{report['energy_density_Wh_per_L']:.0f} Wh/L, {total:.1f} g",
        fontsize=9,
    )
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="center right", fontsize=8, frameon=False)
    fig.tight_layout()
    save_png(fig, path)
