"""The validation report's predictions section: the study's experiments run in the virtual lab
for pristine and Ru-1, a figure per experiment (the two side by side), the study's qualitative
observations checked against the model, and the first cycle's irreversible-capacity budget.

``write_predictions(out_dir)`` writes the figures into ``out_dir`` and appends the section to
its ``report.md`` (written first by ``lrmo-cell validate``'s calibration; a section already there
is replaced). Nothing here was fitted: the calibration rows stay in the report's calibration
table, and the few lab quantities that are calibration targets are marked as such.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import _model as lab
from . import plots
from .galvanostatic import first_cycle_budget, formation, rate_test
from .spectroscopy import impedance as run_impedance
from .spectroscopy import impedance_drt
from .titration import gitt, gitt_table
from .voltammetry import cv_peaks, cyclic_voltammetry

SAMPLES = ("pristine", "Ru-1")
HEADING = "## Virtual lab: predictions (not fitted)"
# the study's calibration targets that a lab experiment also shows (validation/
# sun2025_calibration.csv): the 1C capacity there is the first cycle after formation, here the
# 1C cycle of the rate test
CALIBRATED_RATES = {1.0: "1C capacity (calibration rows ru1_1c_capacity, pristine_1c_capacity)"}
# GITT over the whole first charge in about 80 pulses; the study's pulse protocol is not known
GITT_PROTOCOL = {"pulse_c_rate": 0.1, "pulse_s": 600.0, "rest_s": 1800.0}
# states of the study's in-situ EIS/DRT comparison: high voltage on charge, and on discharge;
# after a rest at each, and in situ (under the current) at the two the observations read
EIS_STATES_V = {"charge": (3.9, 4.2, 4.5), "discharge": (4.2, 3.9, 3.6)}
IN_SITU_STATES_V = {"charge": (4.5,), "discharge": (3.9,)}
# a DRT peak's resistance is good to a few per cent (in situ on the activation plateau it comes
# out 1.4-1.8 % above 2RT/(F I), of which 0.5 % is the model's, and 3.3 % on a grid from
# 10 mHz): a smaller difference between samples is no ordering
DRT_RESOLUTION = 0.03
# the cycling experiment (experiments.cycling, i.e. simulate_cycling) is the calibration's own
# 300-cycle run, whose figure the report already has: it is not run twice
CYCLING_FIGURE = "capacity_and_voltage_vs_cycle.png"
# the share of its first-charge O2 release a sample has reached at the onset of oxygen loss:
# relative, because a treated sample may release less than 1 umol/g in all
ONSET_SHARE = 0.01


def run_lab(sample) -> dict:
    """Every experiment of the section for one sample: frames by experiment name."""
    voltammogram = cyclic_voltammetry(sample)
    titration = gitt(sample, **GITT_PROTOCOL)
    spectra = pd.concat(
        [run_impedance(sample, v, direction) for direction, v in EIS_STATES_V.items()],
        ignore_index=True,
    )
    in_situ = pd.concat(
        [
            run_impedance(sample, v, direction, in_situ=True)
            for direction, v in IN_SITU_STATES_V.items()
        ],
        ignore_index=True,
    )
    radius = lab.particle_radius_m(lab.parameter_values(sample))
    return {
        "formation": formation(sample),
        "rate": rate_test(sample),
        "cv": voltammogram,
        "cv_peaks": cv_peaks(voltammogram),
        "gitt": titration,
        "gitt_table": gitt_table(titration, radius),
        "eis": spectra,
        "drt": impedance_drt(spectra),
        "drt_in_situ": impedance_drt(in_situ),
        "budget": first_cycle_budget(sample),
    }


def _rct(drt: pd.DataFrame, direction: str, voltage: float) -> float:
    chosen = drt[
        (drt["direction"] == direction)
        & (drt["voltage_V"] == voltage)
        & (drt["process"] == "charge_transfer")
    ]
    # no charge-transfer peak in the window is no number, not 0 ohm
    return float(chosen["resistance_ohm"].sum()) if len(chosen) else float("nan")


def _above(a: float, b: float) -> bool:
    """a exceeds b by more than the DRT's resolution (NaN, no peak, is never above)."""
    return bool(a > b * (1 + DRT_RESOLUTION))


def observations(labs: dict) -> pd.DataFrame:
    """The study's qualitative findings (docs: the paper digest), each with the model's number
    for pristine and Ru-1 and whether the model shows the same ordering."""
    p, r = labs["pristine"], labs["Ru-1"]

    def onset(frame):
        released = frame["o2_released_umol_per_g"]
        over = frame[released > ONSET_SHARE * released.max()]
        return float(over["voltage_V"].iloc[0]) if released.max() > 0 else float("nan")

    def gas(frame):
        return float(frame["o2_escaped_umol_per_g"].iloc[-1])

    def median(frame, column):
        return float(np.median(frame[column]))

    def diffusivity(lab_runs, oxygen: bool):
        # the TM couple's pulses and the oxygen couple's apart: the first charge has more of
        # the former, whose host the treatment leaves alike, and a median over all of them
        # hides how the two samples' oxygen couples differ
        table = lab_runs["gitt_table"]
        chosen = table[(table["oxygen_couple_share"] > 0.5) == oxygen]
        return median(chosen, "diffusivity_m2_per_s")

    def q(frame, c_rate):
        return float(frame.set_index("c_rate").loc[c_rate, "discharge_capacity_mAh_per_g"])

    rows = [
        (
            "onset of lattice-oxygen loss on the first charge (~4.4 vs ~4.6 V) [V]; set, "
            "not predicted: the onset is a parameter from the study",
            onset(p["formation"]),
            onset(r["formation"]),
            onset(r["formation"]) > onset(p["formation"]),
        ),
        (
            "DEMS: less O2 gas from Ru-1 on the first charge [µmol/g escaped]",
            gas(p["formation"]),
            gas(r["formation"]),
            gas(r["formation"]) < gas(p["formation"]),
        ),
        (
            "GITT: lower overpotential for Ru-1 [mV, median over the first charge]",
            1000 * median(p["gitt_table"], "overpotential_V"),
            1000 * median(r["gitt_table"], "overpotential_V"),
            median(r["gitt_table"], "overpotential_V") < median(p["gitt_table"], "overpotential_V"),
        ),
        *(
            (
                f"GITT: higher Li+ diffusivity for Ru-1 [m²/s, Weppner-Huggins median over "
                f"the pulses {label}]",
                diffusivity(p, oxygen),
                diffusivity(r, oxygen),
                diffusivity(r, oxygen) > diffusivity(p, oxygen),
            )
            for oxygen, label in (
                (False, "the TM couple carries mostly"),
                (True, "the oxygen couple carries mostly"),
            )
        ),
        *(
            row
            for drt, when in (
                ("drt", "after a 10 min rest"),
                ("drt_in_situ", "in situ, under the 0.1C current"),
            )
            for row in (
                (
                    f"DRT on charge at high voltage, {when}: larger Rct for Ru-1 [Ω at 4.5 V]",
                    _rct(p[drt], "charge", 4.5),
                    _rct(r[drt], "charge", 4.5),
                    _above(_rct(r[drt], "charge", 4.5), _rct(p[drt], "charge", 4.5)),
                ),
                (
                    f"DRT on discharge, {when}: smaller Rct for Ru-1 [Ω at 3.9 V]",
                    _rct(p[drt], "discharge", 3.9),
                    _rct(r[drt], "discharge", 3.9),
                    _above(_rct(p[drt], "discharge", 3.9), _rct(r[drt], "discharge", 3.9)),
                ),
            )
        ),
        (
            "better rate capability of Ru-1 [mAh/g at 2C]",
            q(p["rate"], 2),
            q(r["rate"], 2),
            q(r["rate"], 2) > q(p["rate"], 2),
        ),
    ]
    frame = pd.DataFrame(rows, columns=["study's observation", "pristine", "Ru-1", "model agrees"])
    frame["model agrees"] = frame["model agrees"].map({True: "yes", False: "no"})
    return frame


def rate_table(labs: dict) -> pd.DataFrame:
    rows = []
    for c_rate in labs["Ru-1"]["rate"]["c_rate"]:
        row = {"C-rate": c_rate}
        for sample, results in labs.items():
            rate = results["rate"].set_index("c_rate")
            row[f"{sample} discharge [mAh/g]"] = rate.loc[c_rate, "discharge_capacity_mAh_per_g"]
            row[f"{sample} mean voltage [V]"] = rate.loc[c_rate, "mean_discharge_voltage_V"]
        row["role"] = CALIBRATED_RATES.get(float(c_rate), "prediction")
        rows.append(row)
    return pd.DataFrame(rows)


def budget_table(labs: dict) -> pd.DataFrame:
    table = pd.concat(
        [results["budget"].set_index("item")["mAh_per_g"].rename(s) for s, results in labs.items()],
        axis=1,
    )
    return table.rename_axis("first cycle at 0.1C [mAh/g]").reset_index()


def figures(labs: dict, out: Path) -> list[str]:
    """One PNG per experiment, the samples side by side; returns the file names."""
    from lrmo_cell.files import save_png

    def per(name):
        return {sample: results[name] for sample, results in labs.items()}

    made = {
        "lab_first_charge.png": plots.formation(per("formation")),
        "lab_rate_test.png": plots.rate(per("rate")),
        "lab_cyclic_voltammetry.png": plots.voltammogram(per("cv"), per("cv_peaks")),
        "lab_gitt.png": plots.titration(per("gitt"), per("gitt_table")),
        "lab_impedance_drt.png": plots.spectra(per("eis"), per("drt")),
    }
    for name, figure in made.items():
        save_png(figure, out / name)
    return list(made)


def section(labs: dict, names: list[str]) -> str:
    def markdown(frame, fmt=".4g"):
        return frame.to_markdown(index=False, floatfmt=fmt)

    lines = [
        HEADING,
        "",
        "Made by `lrmo_cell.experiments` (the virtual lab, `lrmo-cell experiment ...`) for the "
        "pristine and Ru-1 half cells vs Li, 1C = 250 mA/g. Nothing here was fitted; the "
        "calibration rows are the table above and are not repeated. Protocols: first charge at "
        "0.1C to 4.8 V; rate test after a 0.1C formation cycle, charge and discharge at each "
        "rate; CV at 0.1 mV/s from the open-circuit voltage; GITT of the first charge "
        f"({GITT_PROTOCOL['pulse_c_rate']}C for {GITT_PROTOCOL['pulse_s']:g} s, rest "
        f"{GITT_PROTOCOL['rest_s']:g} s, to 4.8 V); impedance after a 10 min rest at "
        f"{', '.join(f'{v:g}' for v in EIS_STATES_V['charge'])} V on the first charge and "
        f"{', '.join(f'{v:g}' for v in EIS_STATES_V['discharge'])} V on the first discharge "
        "(0.1C), and in situ, linearised under the 0.1C current without a rest (the study's "
        "in-situ galvanostatic EIS), at 4.5 V on charge and 3.9 V on discharge; DRT with the "
        "study's windows, an ordering counted where the two samples differ by more than "
        f"{100 * DRT_RESOLUTION:g} % (a DRT peak's resolution). Where the current goes into a "
        "one-way reaction, as the activation on the plateau at 4.5 V, an in-situ "
        "charge-transfer resistance is 2RT/(F I) for any rate constant. The cycling "
        "experiment is the calibration's "
        f"own 300 cycles at 1C ({CYCLING_FIGURE} above).",
        "",
        "### The study's observations",
        "",
        markdown(observations(labs)),
        "",
        "### Rate test",
        "",
        markdown(rate_table(labs)),
        "",
        "### First-cycle irreversible capacity: where it goes",
        "",
        "The cycler sees charge minus discharge; the model splits it into the O2 that left the "
        "lattice (4 e- per O2) net of what RuO2 recaptured and reduced back, and the Li the "
        "host did not take back by 2.0 V. (First charge and discharge set the calibrated ICE.)",
        "",
        markdown(budget_table(labs), ".2f"),
        "",
        "### Figures",
        "",
        *[f"![{name}]({name})" for name in names],
        "",
    ]
    return "\n".join(lines)


def write_predictions(out_dir, samples=SAMPLES) -> Path:
    """Run the lab for ``samples``, write the figures into ``out_dir`` and the section into its
    ``report.md`` (appended after the calibration, replacing an earlier predictions section)."""
    from lrmo_cell.files import atomic_path

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    labs = {sample: run_lab(sample) for sample in samples}
    text = section(labs, figures(labs, out))
    report = out / "report.md"
    before = report.read_text() if report.is_file() else ""
    before = before.split(HEADING)[0].rstrip("\n")
    with atomic_path(report) as tmp:
        Path(tmp).write_text((before + "\n\n" if before else "") + text)
    return report


def write_report(out_dir) -> bool:
    """The whole validation report into ``out_dir``: the calibration table (which decides the
    result, True when every row passes), then the predictions section."""
    from lrmo_cell.models.report import write_validation_report

    passed = write_validation_report(str(out_dir))
    write_predictions(str(out_dir))
    return passed
