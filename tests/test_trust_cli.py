"""Bad input to every sub-command: one line on stderr naming what is wrong, exit 2, no traceback,
no file touched, no model run.

Each case runs ``main(argv)`` in this process in a folder of prepared files (``workspace``):
valid data of every kind, data that is broken in one way each, parameter sets with one bad
value each, and files that must survive untouched. A solver call during a case fails it, so a
rejected input provably costs no simulation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lrmo_cell.cli import main
from lrmo_cell.resources import data_dir

ROOT_SET = data_dir("parameter_sets") / "LRMO_Sun2025_pristine.json"
DESIGN = data_dir("designs") / "ru1_li_metal_5p83Ah.toml"
RADIUS = "Primary: Positive particle radius [m]"
XU2019 = "pybamm.input.parameters.lithium_ion.Xu2019"


REMOVE = object()
M2_RADIUS = "Primary: Positive particle radius [m]"
M2_PATCHES = (
    ("m2_negative_radius", M2_RADIUS, -1e-7),
    ("m2_negative_diffusivity", "Secondary: Positive particle diffusivity [m2.s-1]", -1e-17),
    ("m2_share_above_one", "Secondary: Initial unactivated oxygen-redox share", 1.5),
    ("m2_fraction_above_one", "Primary: Positive electrode active material volume fraction", 1.2),
    ("m2_negative_reorganization", "Primary: Positive electrode reorganization energy [eV]", -0.2),
    ("m2_zero_temperature", "Ambient temperature [K]", 0.0),
    ("m2_code_function", "Primary: Positive electrode OCP [V]", "os:system"),
    ("m2_zero_non_ideality", "Primary: Positive electrode non-ideality factor", 0.0),
    ("m2_negative_rate", "Secondary: Positive electrode reaction rate constant [A.m-2]", -1.0),
    ("m2_initial_above_max", "Primary: Initial concentration in positive electrode [mol.m-3]", 1e9),
    ("m2_boolean_radius", "Secondary: Positive particle radius [m]", True),
    ("m2_text_radius", "Secondary: Positive particle radius [m]", "big"),
)


def _set_with(path: Path, **changes) -> None:
    """A complete standalone copy of the pristine set with some values changed (or REMOVEd)."""
    document = json.loads(ROOT_SET.read_text())
    for name, value in changes.items():
        if value is REMOVE:
            document["parameters"].pop(name)
        else:
            document["parameters"][name] = {"value": value, "source": "test"}
    path.write_text(json.dumps(document))


def _patch(path: Path, base: str, **values) -> None:
    document = {
        "name": path.stem,
        "base": base,
        "parameters": {k: {"value": v, "source": "test"} for k, v in values.items()},
    }
    path.write_text(json.dumps(document))


def _timeseries(n: int = 40) -> pd.DataFrame:
    # a rest, a discharge pulse (voltage falls), a rest: a plausible GITT step
    t = np.arange(n) * 10.0
    current = np.where((t >= 100) & (t < 200), 1e-4, 0.0)
    voltage = 3.8 - 0.05 * (current > 0) - 1e-4 * np.cumsum(current > 0)
    return pd.DataFrame({"time_s": t, "current_A": current, "voltage_V": voltage})


def _spectrum(n: int = 30) -> pd.DataFrame:
    f = np.logspace(4, -2, n)
    z = 0.05 + 0.1 / (1 + 2j * np.pi * f * 0.1 * 1e-2)
    return pd.DataFrame({"frequency_Hz": f, "z_real_ohm": z.real, "z_imag_ohm": z.imag})


def _cycles(n: int = 4) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cycle": np.arange(1, n + 1),
            "charge_capacity_mAh_per_g": np.linspace(330, 300, n),
            "discharge_capacity_mAh_per_g": np.linspace(300, 290, n),
        }
    )


def _make_workspace(root: Path) -> None:
    """Every file the cases name, written once per test session."""
    _timeseries().to_csv(root / "gitt.csv", index=False)
    _spectrum().to_csv(root / "eis.csv", index=False)
    _spectrum().set_axis(["freq", "zr", "zi"], axis=1).to_csv(root / "eis_renamed.csv", index=False)
    _cycles().to_csv(root / "cycles.csv", index=False)
    # inputs named like the table a fit writes beside its --out (run.json -> run_pulses.csv)
    _timeseries().to_csv(root / "run_pulses.csv", index=False)
    _cycles().to_csv(root / "fit_cycles.csv", index=False)
    (root / "binary.csv").write_bytes(bytes(range(256)) * 64)
    (root / "binary.json").write_bytes(b"\x00\x01\x02" * 300)
    (root / "binary.toml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 100)
    (root / "binary.mpr").write_bytes(b"\x00garbage" * 200)
    (root / "empty.csv").write_text("")
    (root / "header_only.csv").write_text("time_s,current_A,voltage_V\n")
    (root / "blank.json").write_text("")
    (root / "list.json").write_text("[1, 2, 3]")
    (root / "string.json").write_text('"hello"')
    (root / "no_parameters.json").write_text('{"name": "x"}')
    (root / "parameters_list.json").write_text('{"parameters": [1, 2]}')
    (root / "broken.json").write_text('{"parameters": {')
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (root / "latin1.json").write_bytes('{"name": "\xe9"}'.encode("latin-1"))
    frame = _timeseries()
    frame.astype(object).assign(voltage_V=["abc", *frame["voltage_V"][1:]]).to_csv(
        root / "text_voltage.csv", index=False
    )
    frame.assign(current_A=[*frame["current_A"][:5], np.nan, *frame["current_A"][6:]]).to_csv(
        root / "nan_current.csv", index=False
    )
    frame.assign(voltage_V=[np.inf, *frame["voltage_V"][1:]]).to_csv(
        root / "inf_voltage.csv", index=False
    )
    frame.iloc[::-1].to_csv(root / "unsorted.csv", index=False)
    frame.drop(columns="voltage_V").to_csv(root / "no_voltage.csv", index=False)
    frame.iloc[:2].to_csv(root / "two_rows.csv", index=False)
    frame.assign(current_A=0.0).to_csv(root / "no_pulse.csv", index=False)
    frame.assign(cycle=[np.nan] * len(frame)).to_csv(root / "nan_cycle.csv", index=False)
    spectrum = _spectrum()
    spectrum.assign(frequency_Hz=-spectrum["frequency_Hz"]).to_csv(
        root / "negative_frequency.csv", index=False
    )
    spectrum.iloc[:3].to_csv(root / "short_spectrum.csv", index=False)
    spectrum.assign(frequency_Hz=[1e300, *spectrum["frequency_Hz"][1:]]).to_csv(
        root / "huge_frequency.csv", index=False
    )
    spectrum.assign(z_imag_ohm=np.nan).to_csv(root / "nan_spectrum.csv", index=False)
    spectrum.astype(object).assign(z_real_ohm="x").to_csv(root / "text_spectrum.csv", index=False)
    cycles = _cycles()
    cycles.assign(cycle=[1, 3, 4, 5]).to_csv(root / "gap_cycles.csv", index=False)
    cycles.assign(charge_capacity_mAh_per_g=-1.0).to_csv(root / "negative_cycles.csv", index=False)
    cycles.astype(object).assign(discharge_capacity_mAh_per_g="lots").to_csv(
        root / "text_cycles.csv", index=False
    )
    cycles.drop(columns="cycle").to_csv(root / "no_cycle_column.csv", index=False)
    cycles.assign(mean_discharge_voltage_V=np.inf).to_csv(root / "inf_cycles.csv", index=False)
    cycles.assign(mean_discharge_voltage_V=35.5).to_csv(root / "mv_cycles.csv", index=False)
    (root / "a_folder").mkdir()
    (root / "a_folder" / "keep.txt").write_text("keep me\n")
    (root / "existing.png").write_bytes(b"not yours to overwrite")
    (root / "existing.csv").write_text("a,b\n1,2\n")
    (root / "existing.parquet").write_bytes(b"an unrelated file, not a sweep")
    (root / "existing.json").write_text('{"mine": true}\n')
    (root / "read_only").mkdir()
    # bad parameter sets: complete standalone copies of the root set with one value wrong
    sets = root / "sets"
    sets.mkdir()
    _set_with(sets / "negative_radius.json", **{RADIUS: -2.5e-7})
    _set_with(sets / "zero_radius.json", **{RADIUS: 0.0})
    _set_with(
        sets / "negative_diffusivity.json",
        **{"Secondary: Positive particle diffusivity [m2.s-1]": -1e-16},
    )
    _set_with(sets / "zero_temperature.json", **{"Ambient temperature [K]": 0.0})
    _set_with(sets / "hot.json", **{"Initial temperature [K]": 5000.0})
    _set_with(sets / "negative_temperature.json", **{"Reference temperature [K]": -298.15})
    _set_with(sets / "boolean_value.json", **{"Positive electrode thickness [m]": True})
    _set_with(sets / "null_value.json", **{"Positive electrode thickness [m]": None})
    _set_with(sets / "text_value.json", **{"Positive electrode thickness [m]": "thick"})
    _set_with(sets / "list_value.json", **{"Positive electrode thickness [m]": [1, 2]})
    _set_with(sets / "fraction_above_one.json", **{"Positive electrode porosity": 1.4})
    _set_with(sets / "negative_fraction.json", **{"Cation transference number": -0.1})
    _set_with(sets / "negative_density.json", **{"LRMO density [kg.m-3]": -4250.0})
    _set_with(sets / "negative_resistance.json", **{"Contact resistance [Ohm]": -1.0})
    _set_with(sets / "negative_rate.json", **{"Oxygen escape rate constant [s-1]": -1e-3})
    _set_with(sets / "zero_capacity.json", **{"Nominal cell capacity [A.h]": 0.0})
    _set_with(
        sets / "negative_concentration.json", **{"Lattice oxygen concentration [mol.m-3]": -5.0}
    )
    _set_with(sets / "code_function.json", **{"Primary: Positive electrode OCP [V]": "os:system"})
    _set_with(
        sets / "private_function.json",
        **{"Primary: Positive electrode OCP [V]": "lrmo_cell.parameters.functions:_clipped"},
    )
    _set_with(
        sets / "pybamm_non_function.json",
        **{"Primary: Positive electrode OCP [V]": XU2019 + ":pybamm"},
    )
    _set_with(
        sets / "shell_text.json",
        **{"Primary: Positive electrode OCP [V]": "__import__('os').system('x')"},
    )
    _set_with(sets / "missing_radius.json", **{RADIUS: REMOVE})
    _set_with(
        sets / "initial_above_max.json",
        **{"Secondary: Initial concentration in positive electrode [mol.m-3]": 1e6},
    )
    _set_with(sets / "cutoffs_reversed.json", **{"Lower voltage cut-off [V]": 4.9})
    _set_with(
        sets / "layer_thicker_than_particle.json", **{"Li-deficient layer thickness [m]": 1e-6}
    )
    _set_with(
        sets / "bad_table.json",
        **{
            "Secondary: Positive particle diffusivity [m2.s-1]": {
                "stoichiometry": [0, 2],
                "values": [1, 1],
            }
        },
    )
    _set_with(
        sets / "electrode_count_zero.json",
        **{"Number of electrodes connected in parallel to make a cell": 0},
    )
    radius = f'"{RADIUS}": {{\n      "value": 1.25e-07'
    text = ROOT_SET.read_text().replace(radius, radius.replace("1.25e-07", "NaN"), 1)
    (sets / "nan_value.json").write_text(text)
    (sets / "infinite_value.json").write_text(
        ROOT_SET.read_text().replace('"value": 0.45', '"value": Infinity', 1)
    )
    _patch(sets / "self_base.json", "self_base", **{RADIUS: 2e-7})
    _patch(sets / "loop_a.json", "loop_b.json", **{RADIUS: 2e-7})
    _patch(sets / "loop_b.json", "loop_a.json", **{RADIUS: 2e-7})
    _patch(sets / "missing_base.json", "no_such_base.json", **{RADIUS: 2e-7})
    _patch(sets / "patch_negative.json", "LRMO_Sun2025_Ru1", **{RADIUS: -1.0})
    _patch(sets / "misspelt.json", "LRMO_Sun2025_Ru1", **{RADIUS.replace("radius", "radus"): 5e-7})
    for i in range(30):
        _patch(sets / f"chain{i}.json", f"chain{i + 1}.json" if i < 29 else "LRMO_Sun2025_Ru1")
    (sets / "patch_without_base.json").write_text(
        json.dumps({"name": "p", "parameters": {RADIUS: {"value": 2e-7, "source": "test"}}})
    )
    (sets / "no_source.json").write_text(json.dumps({"parameters": {RADIUS: {"value": 2e-7}}}))
    # bad two-couple sets: patches of LRMO_Sun2025_Ru1 with one value wrong, a copy with one missing
    for name, parameter, value in M2_PATCHES:
        _patch(sets / f"{name}.json", "LRMO_Sun2025_Ru1", **{parameter: value})
    model2 = json.loads((data_dir("parameter_sets") / "LRMO_Sun2025_pristine.json").read_text())
    model2["parameters"].pop(M2_RADIUS)
    (sets / "m2_missing_radius.json").write_text(json.dumps(model2))
    # bad designs
    good = DESIGN.read_text()
    designs = root / "designs"
    designs.mkdir()
    (designs / "bool_loading.toml").write_text(
        _with_line(good, "loading_mg_per_cm2", '{ value = true, source = "t" }')
    )
    (designs / "nan_loading.toml").write_text(
        _with_line(good, "loading_mg_per_cm2", '{ value = nan, source = "t" }')
    )
    (designs / "inf_width.toml").write_text(
        _with_line(good, "electrode_width_mm", '{ value = inf, source = "t" }')
    )
    (designs / "text_loading.toml").write_text(
        _with_line(good, "loading_mg_per_cm2", '{ value = "heavy", source = "t" }')
    )
    (designs / "no_source.toml").write_text(_with_line(good, "loading_mg_per_cm2", "25.0"))
    (designs / "missing_cell.toml").write_text(good.replace("[cell]", "[cellx]", 1))
    (designs / "deep.toml").write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n")
    (designs / "ru1_graphite.toml").write_text(good.replace('name = "', 'name = "copy ', 1))
    (designs / "perf_missing.toml").write_text(_perf_design(good, "no_such_set.json"))
    (designs / "perf_list.toml").write_text(_perf_design(good, "../list.json"))
    (designs / "unknown_section.toml").write_text(good + "\n[cellz]\nn_cathode_layers = 4\n")


def _with_line(toml: str, field: str, value: str) -> str:
    lines = toml.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"{field} ="):
            lines[i] = f"{field} = {value}"
            return "\n".join(lines) + "\n"
    raise AssertionError(f"{field} not in the design")


def _perf_design(toml: str, target: str) -> str:
    """The design with its cathode performance taken from parameter set ``target``."""
    lines, section = [], ""
    for line in toml.splitlines():
        if line.startswith("["):
            section = line
        if section == "[cathode]" and line.startswith(("specific_capacity", "mean_voltage")):
            continue
        lines.append(line)
        if line == "[cathode]":
            lines += [f'performance_from = "{target}"', 'c_rate = { value = 0.1, source = "t" }']
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def prepared(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("trust")
    _make_workspace(root)
    return root


@contextlib.contextmanager
def unwritable(folder: Path):
    """Make ``folder`` refuse new files for this process: mode 555, and for root (who ignores
    mode bits) the immutable attribute, the "immutable folder" of the issue."""
    folder.chmod(0o555)
    immutable = os.geteuid() == 0 and shutil.which("chattr") is not None
    if immutable:
        subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True, capture_output=True)
        folder.chmod(0o755)


@pytest.fixture
def workspace(prepared, tmp_path, monkeypatch):
    """A fresh copy of the prepared files as the working folder; solvers fail if called."""
    root = tmp_path / "ws"
    shutil.copytree(prepared, root)
    monkeypatch.chdir(root)
    import pybamm

    def no_solve(*args, **kwargs):
        raise AssertionError("a solver ran for a rejected input")

    monkeypatch.setattr(pybamm.BaseSolver, "solve", no_solve)
    monkeypatch.setattr(pybamm.BaseSolver, "step", no_solve)
    with unwritable(root / "read_only"):
        yield root


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder below ``root`` with a digest of its content."""
    out = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        out[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


S = "sets/"
D = "designs/"
SWEEP = ["sweep", "ru1_li_metal_5p83Ah", "--vary", "cathode.porosity=0.2:0.4:3"]
DESIGN_CMD = ["design", "ru1_li_metal_5p83Ah"]
SOLVE = [*DESIGN_CMD, "--solve", "cathode.loading_mg_per_cm2"]
GITT = ["fit", "gitt", "gitt.csv"]
DRT = ["fit", "drt", "eis.csv"]
CYC = ["fit", "cycling", "cycles.csv", "--fit", RADIUS]
EXP = ["experiment", "rate", "Ru-1", "--out", "r.csv"]

# (argv, a text the one-line message must contain)
CASES = [
    # ---- top level
    ([], "required"),
    (["no-such-command"], "invalid choice"),
    (["fit"], "required"),
    (["fit", "nonsense", "x"], "invalid choice"),
    (["design"], "file"),
    # ---- design: options
    ([*DESIGN_CMD, "--set", "cathode.loading_mg_per_cm2=nan"], "cathode.loading_mg_per_cm2"),
    ([*DESIGN_CMD, "--set", "cathode.loading_mg_per_cm2=inf"], "cathode.loading_mg_per_cm2"),
    ([*DESIGN_CMD, "--set", "cathode.loading_mg_per_cm2=-inf"], "cathode.loading_mg_per_cm2"),
    ([*DESIGN_CMD, "--set", "cathode.loading_mg_per_cm2=true"], "cathode.loading_mg_per_cm2"),
    ([*DESIGN_CMD, "--set", "cathode.loading_mg_per_cm2=-5"], "cathode.loading_mg_per_cm2"),
    ([*DESIGN_CMD, "--set", "cathode.loading_mg_per_cm2=0"], "cathode.loading_mg_per_cm2"),
    ([*DESIGN_CMD, "--set", "cathode.loading_mg_per_cm2=1e9"], "cathode.loading_mg_per_cm2"),
    ([*DESIGN_CMD, "--set", "cathode.loading_mg_per_cm2="], "--set"),
    ([*DESIGN_CMD, "--set", "loading=5"], "--set"),
    ([*DESIGN_CMD, "--set", "cathode.porosity=1"], "cathode.porosity"),
    ([*DESIGN_CMD, "--set", "cathode.active_fraction=1.2"], "cathode.active_fraction"),
    ([*DESIGN_CMD, "--set", "cell.n_cathode_layers=2.5"], "cell.n_cathode_layers"),
    ([*DESIGN_CMD, "--set", "cell.n_cathode_layers=0"], "cell.n_cathode_layers"),
    ([*DESIGN_CMD, "--set", "anode.type=sodium"], "anode.type"),
    ([*DESIGN_CMD, "--set", "anode.type=sodium"], "got 'sodium'"),
    ([*DESIGN_CMD, "--set", "cell.n_cathode_layers=2.5"], "whole number in [1, 500]"),
    ([*DESIGN_CMD, "--set", "cathode.porosity=high"], "porosity must be a number in (0, 1)"),
    ([*DESIGN_CMD, "--set", "electrolyte.g_per_Ah=-1"], "electrolyte.g_per_Ah"),
    ([*DESIGN_CMD, "--set", "pouch.side_seal_mm=-1"], "pouch.side_seal_mm"),
    ([*DESIGN_CMD, "--set", "separator.thickness_um=nan"], "separator.thickness_um"),
    ([*DESIGN_CMD, "--set", "cathode.performance_from=no_such_set"], "performance_from"),
    ([*DESIGN_CMD, "--set", "cathode.perfomance=1"], "cathode.perfomance"),
    (
        ["design", "ru1_graphite", "--set", "anode.first_cycle_efficiency=0.3"],
        "anode.first_cycle_efficiency must be above 0.516",
    ),
    (
        ["design", "ru1_graphite", "--set", "cathode.mean_voltage_V=0.1"],
        "cathode.mean_voltage_V must be above anode.mean_voltage_V (0.15 V)",
    ),
    ([*SOLVE], "--target"),
    ([*SOLVE, "--target", "capacity_Ah"], "--target"),
    ([*SOLVE, "--target", "capacity_Ah=nan"], "--target"),
    ([*SOLVE, "--target", "capacity_Ah=inf"], "--target"),
    ([*SOLVE, "--target", "capacity_Ah=lots"], "--target"),
    ([*SOLVE, "--target", "nonsense=5"], "nonsense"),
    ([*SOLVE, "--target", "capacity_Ah=5", "--bounds", "-1:2"], "cathode.loading_mg_per_cm2"),
    ([*SOLVE, "--target", "capacity_Ah=5", "--bounds", "40:10"], "--bounds"),
    ([*SOLVE, "--target", "capacity_Ah=5", "--bounds", "10"], "--bounds"),
    ([*SOLVE, "--target", "capacity_Ah=5", "--bounds", "nan:40"], "--bounds"),
    ([*SOLVE, "--target", "capacity_Ah=5", "--bounds", "a:b"], "--bounds"),
    ([*DESIGN_CMD, "--solve", "cathode.nonsense", "--target", "capacity_Ah=5"], "cathode.nonsense"),
    ([*DESIGN_CMD, "--target", "capacity_Ah=5"], "--solve"),
    ([*DESIGN_CMD, "--bounds", "1:2"], "--solve"),
    ([*SOLVE, "--target", "capacity_Ah=500"], "unreachable"),
    # ---- design: files and output places
    (["design", "no_such_design"], "no_such_design"),
    (["design", "nowhere/ru1_graphite.toml"], "does not exist"),
    (["design", "a_folder"], "folder"),
    (["design", ""], "design file name is empty"),
    (["design", "binary.toml"], "binary"),
    (["design", "empty.csv"], "cell"),
    (["design", D + "bool_loading.toml"], "cathode.loading_mg_per_cm2"),
    (["design", D + "nan_loading.toml"], "cathode.loading_mg_per_cm2"),
    (["design", D + "inf_width.toml"], "cell.electrode_width_mm"),
    (["design", D + "text_loading.toml"], "cathode.loading_mg_per_cm2"),
    (["design", D + "no_source.toml"], "source"),
    (["design", D + "missing_cell.toml"], "cell"),
    (["design", D + "deep.toml"], "deep"),
    (["design", D + "perf_missing.toml"], "performance_from"),
    (["design", D + "perf_list.toml"], "performance_from"),
    (["design", D + "text_loading.toml"], "must be a number in (0, 200]"),
    (["design", D + "unknown_section.toml"], "unknown design field 'cellz'"),
    ([*DESIGN_CMD, "--plot", "a_folder"], "--plot"),
    ([*DESIGN_CMD, "--plot", "mass.jpg"], "--plot"),
    ([*DESIGN_CMD, "--plot", "/dev/null/x.png"], "--plot"),
    ([*DESIGN_CMD, "--plot", "no_folder/x.png"], "--plot"),
    ([*DESIGN_CMD, "--plot", "read_only/x.png"], "--plot"),
    ([*DESIGN_CMD, "--plot", "existing.csv/x.png"], "--plot"),
    ([*DESIGN_CMD, "--plot", ""], "--plot must end in .png"),
    # ---- sweep
    (["sweep", "ru1_li_metal_5p83Ah"], "--vary"),
    ([*SWEEP[:3], "cathode.porosity=0.2:0.4"], "--vary"),
    ([*SWEEP[:3], "cathode.porosity=a:b:3"], "--vary"),
    ([*SWEEP[:3], "cathode.porosity=0.2:0.4:0"], "--vary"),
    ([*SWEEP[:3], "cathode.porosity=0.2:0.4:-3"], "--vary"),
    ([*SWEEP[:3], "cathode.porosity=0.2:0.4:2.5"], "--vary"),
    ([*SWEEP[:3], "cathode.porosity=0.2:0.4:1e12"], "--vary"),
    ([*SWEEP[:3], "cathode.porosity=0.2:0.4:1000000000000"], "--vary"),
    ([*SWEEP[:3], "cathode.porosity=nan:0.4:3"], "cathode.porosity"),
    ([*SWEEP[:3], "cathode.porosity=0.2:inf:3"], "cathode.porosity"),
    ([*SWEEP[:3], "cathode.porosity=0.2:1.5:3"], "cathode.porosity"),
    ([*SWEEP[:3], "cathode.nonsense=1:2:3"], "cathode.nonsense"),
    ([*SWEEP, "--vary", "cathode.porosity=0.3:0.5:3"], "twice"),
    ([*SWEEP, "--vary", "cathode.porosity=0.3:0.5:3"], "cathode.porosity twice"),
    (
        [
            *SWEEP[:3],
            "cathode.loading_mg_per_cm2=10:40:100000",
            "--vary",
            "electrolyte.g_per_Ah=1:3:100000",
        ],
        "designs",
    ),
    (
        [
            *SWEEP[:3],
            "cathode.loading_mg_per_cm2=10:40:3000",
            "--vary",
            "electrolyte.g_per_Ah=1:3:3000",
            "--plot",
            "h.png",
        ],
        "--plot",
    ),
    ([*SWEEP, "--chunk-size", "0"], "--chunk-size"),
    ([*SWEEP, "--chunk-size", "-5"], "--chunk-size"),
    ([*SWEEP, "--chunk-size", "1.5"], "--chunk-size"),
    ([*SWEEP, "--chunk-size", "nan"], "--chunk-size"),
    ([*SWEEP, "--metric", "nonsense"], "--metric"),
    ([*SWEEP, "--step", "0.1"], "--tornado"),
    (["sweep", "ru1_li_metal_5p83Ah", "--tornado", "t.png", "--step", "0"], "--step"),
    (["sweep", "ru1_li_metal_5p83Ah", "--tornado", "t.png", "--step", "1"], "--step"),
    (["sweep", "ru1_li_metal_5p83Ah", "--tornado", "t.png", "--step", "inf"], "--step"),
    (["sweep", "ru1_li_metal_5p83Ah", "--tornado", "t.png", "--step", "true"], "--step"),
    (["sweep", "ru1_li_metal_5p83Ah", "--tornado", "a_folder"], "--tornado"),
    (["sweep", "ru1_li_metal_5p83Ah", "--tornado", "/dev/null/t.png"], "--tornado"),
    (["sweep", "ru1_li_metal_5p83Ah", "--plot", "p.png"], "--vary"),
    ([*SWEEP, "--out", "x.txt"], "--out"),
    ([*SWEEP, "--out", "a_folder"], "--out"),
    ([*SWEEP, "--out", "/dev/null/x.csv"], "--out"),
    ([*SWEEP, "--out", "/dev/null"], "--out"),
    ([*SWEEP, "--out", "read_only/s.csv"], "--out"),
    ([*SWEEP, "--out", "no_folder/s.csv"], "--out"),
    ([*SWEEP, "--out", ""], "--out must end in"),
    ([*SWEEP, "--plot", ""], "--plot must end in .png"),
    (["sweep", "ru1_li_metal_5p83Ah", "--tornado", ""], "--tornado must end in .png"),
    ([*SWEEP, "--out", "existing.csv"], "--overwrite"),
    ([*SWEEP, "--out", "existing.parquet"], "--overwrite"),
    ([*SWEEP, "--plot", "a_folder"], "--plot"),
    ([*SWEEP, "--plot", "existing.csv"], "--plot"),
    (
        [
            *SWEEP,
            "--vary",
            "electrolyte.g_per_Ah=1:2:2",
            "--vary",
            "cell.n_cathode_layers=5:9:3",
            "--plot",
            "p.png",
        ],
        "--plot",
    ),
    ([*SWEEP, "--plot", "p.png", "--tornado", "p.png"], "same file"),
    ([*SWEEP, "--dask", "nonsense"], "--dask"),
    ([*SWEEP, "--dask", "tcp://127.0.0.1:1"], "--dask"),
    ([*SWEEP, "--dask", "tcp://127.0.0.1:99999"], "--dask"),
    ([*SWEEP, "--dask", "tcp://127.0.0.1"], "--dask"),
    (
        ["sweep", "nowhere/ru1_li_metal_5p83Ah.toml", "--vary", "cathode.porosity=0.2:0.4:3"],
        "does not exist",
    ),
    (["sweep", "binary.toml", "--vary", "cathode.porosity=0.2:0.4:3"], "binary"),
    # ---- simulate: options
    (["simulate", "Ru-1", "--c-rate", "0"], "--c-rate"),
    (["simulate", "Ru-1", "--c-rate", "-1"], "--c-rate"),
    (["simulate", "Ru-1", "--c-rate", "nan"], "--c-rate"),
    (["simulate", "Ru-1", "--c-rate", "inf"], "--c-rate"),
    (["simulate", "Ru-1", "--c-rate", "true"], "--c-rate"),
    (["simulate", "Ru-1", "--c-rate", "1e6"], "--c-rate"),
    (["simulate", "Ru-1", "--cycles", "-1"], "--cycles"),
    (["simulate", "Ru-1", "--cycles", "2.5"], "--cycles"),
    (["simulate", "Ru-1", "--cycles", "1e9"], "--cycles"),
    (["simulate", "Ru-1", "--cycles", "many"], "--cycles"),
    (["simulate", "Ru-1", "--formation-c-rate", "0"], "--formation-c-rate"),
    (["simulate", "Ru-1", "--formation-cycles", "-2"], "--formation-cycles"),
    (["simulate", "Ru-1", "--cycles", "0", "--formation-cycles", "0"], "--cycles"),
    (["simulate", "Ru-1", "--v-min", "-1"], "--v-min"),
    (["simulate", "Ru-1", "--v-min", "nan"], "--v-min"),
    (["simulate", "Ru-1", "--v-max", "9"], "--v-max"),
    (["simulate", "Ru-1", "--v-min", "4.0", "--v-max", "3.0"], "--v-min"),
    (["simulate", "Ru-1", "--charge-mode", "CV"], "--charge-mode"),
    (["simulate", "Ru-1", "--base", "P2D"], "--base"),
    (["simulate", "Ru-1", "--charge-positive"], "unrecognized"),
    # ---- simulate: parameter sets
    (["simulate", "Ru-9"], "sample"),
    (["simulate", "a_folder"], "folder"),
    (["simulate", ""], "parameter set name is empty"),
    (["simulate", "binary.json"], "binary"),
    (["simulate", "blank.json"], "JSON"),
    (["simulate", "list.json"], "list"),
    (["simulate", "string.json"], "str"),
    (["simulate", "no_parameters.json"], "'parameters'"),
    (["simulate", "parameters_list.json"], "'parameters'"),
    (["simulate", "broken.json"], "JSON"),
    (["simulate", "deep.json"], "nested"),
    (["simulate", "latin1.json"], "UTF-8"),
    (["simulate", S + "negative_radius.json"], RADIUS),
    (["simulate", S + "zero_radius.json"], RADIUS),
    (["simulate", S + "negative_diffusivity.json"], "Secondary: Positive particle diffusivity"),
    (["simulate", S + "zero_temperature.json"], "Ambient temperature [K]"),
    (["simulate", S + "negative_temperature.json"], "Reference temperature [K]"),
    (["simulate", S + "hot.json"], "'Initial temperature [K]' in"),
    (["simulate", S + "misspelt.json"], f"did you mean {RADIUS!r}"),
    (["simulate", "Ru-1", "--v-max", "2.1", "--cycles", "0"], "as-made"),
    (["experiment", "formation", "Ru-1", "--v-max", "2.1", "--out", "f.csv"], "as-made"),
    (
        ["experiment", "gitt", "Ru-1", "--v-max", "2.1", "--pulses", "2", "--out", "g.csv"],
        "as-made",
    ),
    (
        ["experiment", "rate", "Ru-1", "--v-max", "2.1", "--c-rates", "1", "--out", "r.csv"],
        "as-made",
    ),
    (["simulate", S + "boolean_value.json"], "Positive electrode thickness [m]"),
    (["simulate", S + "text_value.json"], "Positive electrode thickness [m]"),
    (["simulate", S + "null_value.json"], "Positive electrode thickness [m]"),
    (["simulate", S + "list_value.json"], "Positive electrode thickness [m]"),
    (["simulate", S + "fraction_above_one.json"], "Positive electrode porosity"),
    (["simulate", S + "negative_fraction.json"], "Cation transference number"),
    (["simulate", S + "negative_density.json"], "LRMO density"),
    (["simulate", S + "negative_resistance.json"], "Contact resistance"),
    (["simulate", S + "negative_rate.json"], "Oxygen escape rate constant"),
    (["simulate", S + "zero_capacity.json"], "Nominal cell capacity"),
    (["simulate", S + "negative_concentration.json"], "Lattice oxygen concentration"),
    (["simulate", S + "code_function.json"], "os:system"),
    (["simulate", S + "private_function.json"], "_clipped"),
    (["simulate", S + "pybamm_non_function.json"], "not a registered function"),
    (["simulate", S + "shell_text.json"], "Positive electrode OCP"),
    (["simulate", S + "missing_radius.json"], RADIUS),
    (["simulate", S + "initial_above_max.json"], "Initial concentration in positive electrode"),
    (["simulate", S + "cutoffs_reversed.json"], "Lower voltage cut-off"),
    (["simulate", S + "layer_thicker_than_particle.json"], "Li-deficient layer thickness"),
    (["simulate", S + "bad_table.json"], "Secondary: Positive particle diffusivity"),
    (["simulate", S + "electrode_count_zero.json"], "Number of electrodes"),
    (["simulate", S + "nan_value.json"], RADIUS),
    (["simulate", S + "infinite_value.json"], "Positive electrode powder volume fraction"),
    (["simulate", S + "self_base.json"], "circular"),
    (["simulate", S + "loop_a.json"], "circular"),
    (["simulate", S + "missing_base.json"], "no_such_base"),
    (["simulate", S + "missing_base.json"], "missing_base.json, 'base'"),
    (["simulate", S + "patch_negative.json"], RADIUS),
    (["simulate", S + "chain0.json"], "deeper"),
    (["simulate", S + "patch_without_base.json"], "misses"),
    (["simulate", S + "no_source.json"], "source"),
    # ---- validate and bpx
    (["validate", "--out", "existing.csv"], "--out"),
    (["validate", "--out", "/dev/null/report"], "--out"),
    (["validate", "--out", "read_only"], "--out"),
    (["validate", "--out", "existing.csv/sub"], "--out"),
    (["validate", "--out", ""], "--out is empty"),
    (["bpx", "Ru-1", "--out", "half.json"], "full-cell"),
    (["bpx", "LRMO_Sun2025_Ru1_graphite", "--out", "a_folder"], "--out"),
    (["bpx", "LRMO_Sun2025_Ru1_graphite", "--out", "/dev/null/x.json"], "--out"),
    (["bpx", "LRMO_Sun2025_Ru1_graphite", "--out", "cell.txt"], "--out"),
    (["bpx", "nothing", "--out", "cell.json"], "sample"),
    (["bpx", S + "negative_radius.json", "--out", "cell.json"], RADIUS),
    (["bpx", "LRMO_Sun2025_Ru1_graphite"], "--out"),
    (["bpx", "existing.json", "--out", "existing.json"], "input file"),
    # ---- reproduce
    (["reproduce", "--out", "existing.csv"], "--out"),
    (["reproduce", "--out", "/dev/null/results"], "--out"),
    (["reproduce", "--out", "read_only", "--skip-model"], "--out"),
    (["reproduce", "--out", "existing.csv/results", "--skip-model"], "--out"),
    (["reproduce", "--out", "", "--skip-model"], "--out is empty"),
    # ---- fit gitt
    (["fit", "gitt", "absent.csv", "--out", "p.json"], "does not exist"),
    (["fit", "gitt", "a_folder", "--out", "p.json"], "folder"),
    (["fit", "gitt", "binary.csv", "--out", "p.json"], "binary"),
    (["fit", "gitt", "binary.mpr", "--out", "p.json"], "BioLogic"),
    (["fit", "gitt", "empty.csv", "--out", "p.json"], "empty"),
    (["fit", "gitt", "header_only.csv", "--out", "p.json"], "no rows"),
    (["fit", "gitt", "eis.csv", "--out", "p.json"], "impedance"),
    (["fit", "gitt", "cycles.csv", "--out", "p.json"], "neither a time series"),
    (["fit", "gitt", "text_voltage.csv", "--out", "p.json"], "voltage_V"),
    (["fit", "gitt", "nan_current.csv", "--out", "p.json"], "current_A"),
    (["fit", "gitt", "inf_voltage.csv", "--out", "p.json"], "voltage_V"),
    (["fit", "gitt", "unsorted.csv", "--out", "p.json"], "time_s"),
    (["fit", "gitt", "no_voltage.csv", "--out", "p.json"], "voltage_V"),
    (["fit", "gitt", "two_rows.csv", "--out", "p.json"], "rows"),
    (["fit", "gitt", "no_pulse.csv", "--out", "p.json"], "pulse"),
    (["fit", "gitt", "nan_cycle.csv", "--out", "p.json"], "cycle"),
    (["fit", "gitt", "gitt.csv", "--charge-positive", "--out", "p.json"], "charge"),
    ([*GITT, "--out", "p.txt"], "--out"),
    ([*GITT, "--out", "a_folder"], "--out"),
    ([*GITT, "--out", "/dev/null/p.json"], "--out"),
    ([*GITT, "--out", "read_only/p.json"], "--out"),
    ([*GITT], "--out"),
    ([*GITT, "--mass-g", "inf", "--out", "p.json"], "--mass-g"),
    ([*GITT, "--mass-g", "nan", "--out", "p.json"], "--mass-g"),
    ([*GITT, "--mass-g", "0", "--out", "p.json"], "--mass-g"),
    ([*GITT, "--mass-g", "-0.004", "--out", "p.json"], "--mass-g"),
    ([*GITT, "--mass-g", "true", "--out", "p.json"], "--mass-g"),
    ([*GITT, "--capacity-ah", "0", "--out", "p.json"], "--capacity-ah"),
    ([*GITT, "--capacity-ah", "-inf", "--out", "p.json"], "--capacity-ah"),
    ([*GITT, "--mass-g", "1", "--capacity-ah", "1", "--out", "p.json"], "not allowed"),
    ([*GITT, "--pulses", "0", "--out", "p.json"], "--pulses"),
    ([*GITT, "--pulses", "1.5", "--out", "p.json"], "--pulses"),
    ([*GITT, "--model", "Ru-9", "--out", "p.json"], "--model"),
    ([*GITT, "--model", "Chen2020", "--out", "p.json"], "half-cell"),
    ([*GITT, "--model", S + "negative_radius.json", "--out", "p.json"], RADIUS),
    ([*GITT, "--model", S + "code_function.json", "--out", "p.json"], "os:system"),
    ([*GITT, "--out", "existing.png/p.json"], "--out"),
    ([*GITT, "--out", "p_fit.png/x.json"], "--out"),
    # ---- fit drt
    (["fit", "drt", "gitt.csv", "--out", "peaks.csv"], "impedance"),
    (["fit", "drt", "cycles.csv", "--out", "peaks.csv"], "frequency_Hz, z_real_ohm"),
    (["fit", "drt", "eis_renamed.csv", "--out", "peaks.csv"], "frequency_Hz, z_real_ohm"),
    (["fit", "drt", "binary.csv", "--out", "peaks.csv"], "binary"),
    (["fit", "drt", "empty.csv", "--out", "peaks.csv"], "empty"),
    (["fit", "drt", "negative_frequency.csv", "--out", "peaks.csv"], "frequency_Hz"),
    (["fit", "drt", "short_spectrum.csv", "--out", "peaks.csv"], "frequencies"),
    (["fit", "drt", "huge_frequency.csv", "--out", "peaks.csv"], "frequency_Hz must be in"),
    (["fit", "drt", "nan_spectrum.csv", "--out", "peaks.csv"], "NaN"),
    (["fit", "drt", "text_spectrum.csv", "--out", "peaks.csv"], "z_real_ohm"),
    (["fit", "drt", "a_folder", "--out", "peaks.csv"], "folder"),
    (["fit", "drt", "", "--out", "peaks.csv"], "data file name is empty"),
    ([*DRT, "--out", "peaks.json"], "--out"),
    ([*DRT, "--out", "a_folder"], "--out"),
    ([*DRT, "--out", "/dev/null/peaks.csv"], "--out"),
    ([*DRT, "--out", "existing.png/peaks.csv"], "--out"),
    ([*DRT, "--area-m2", "0", "--out", "peaks.csv"], "--area-m2"),
    ([*DRT, "--area-m2", "nan", "--out", "peaks.csv"], "--area-m2"),
    ([*DRT, "--temperature-k", "0", "--out", "peaks.csv"], "--temperature-k"),
    ([*DRT, "--temperature-k", "-273", "--out", "peaks.csv"], "--temperature-k"),
    ([*DRT, "--temperature-k", "inf", "--out", "peaks.csv"], "--temperature-k"),
    ([*DRT, "--window", "ct=10:1", "--out", "peaks.csv"], "--window"),
    ([*DRT, "--window", "ct=-1:2", "--out", "peaks.csv"], "--window"),
    ([*DRT, "--window", "ct=1:inf", "--out", "peaks.csv"], "--window"),
    ([*DRT, "--window", "=1:2", "--out", "peaks.csv"], "--window"),
    ([*DRT, "--window", "ct", "--out", "peaks.csv"], "--window"),
    (
        [*DRT, "--window", "ct=0.01:10", "--window", "ct=10:100", "--out", "peaks.csv"],
        "--window names ct twice",
    ),
    (
        [*DRT, "--window", "ct=0.01:10", "--window", "d=5:100", "--out", "peaks.csv"],
        "--window d=5:100 overlaps ct=0.01:10",
    ),
    (["fit", "drt", "eis.csv", "--out", "eis.csv"], "input file"),
    (["fit", "gitt", "run_pulses.csv", "--out", "run.json"], "input file"),
    (["fit", "cycling", "fit_cycles.csv", "--fit", RADIUS, "--out", "fit.json"], "input file"),
    # ---- fit cycling
    (["fit", "cycling", "absent.csv", "--fit", RADIUS, "--out", "p.json"], "does not exist"),
    (["fit", "cycling", "binary.mpr", "--fit", RADIUS, "--out", "p.json"], "per-cycle"),
    (["fit", "cycling", "gitt.csv", "--fit", RADIUS, "--out", "p.json"], "time series"),
    (["fit", "cycling", "eis.csv", "--fit", RADIUS, "--out", "p.json"], "impedance"),
    (["fit", "cycling", "empty.csv", "--fit", RADIUS, "--out", "p.json"], "empty"),
    (["fit", "cycling", "binary.csv", "--fit", RADIUS, "--out", "p.json"], "binary"),
    (["fit", "cycling", "gap_cycles.csv", "--fit", RADIUS, "--out", "p.json"], "cycle"),
    (["fit", "cycling", "negative_cycles.csv", "--fit", RADIUS, "--out", "p.json"], "capacities"),
    (
        ["fit", "cycling", "text_cycles.csv", "--fit", RADIUS, "--out", "p.json"],
        "discharge_capacity_mAh_per_g",
    ),
    (["fit", "cycling", "no_cycle_column.csv", "--fit", RADIUS, "--out", "p.json"], "cycle"),
    (
        ["fit", "cycling", "inf_cycles.csv", "--fit", RADIUS, "--out", "p.json"],
        "mean_discharge_voltage_V",
    ),
    (
        ["fit", "cycling", "mv_cycles.csv", "--fit", RADIUS, "--out", "p.json"],
        "mean_discharge_voltage_V must be in [1.5, 5] V",
    ),
    ([*CYC, "--out", "p.csv"], "--out"),
    ([*CYC, "--out", "a_folder"], "--out"),
    ([*CYC, "--out", "/dev/null/p.json"], "--out"),
    ([*CYC, "--c-rate", "0", "--out", "p.json"], "--c-rate"),
    ([*CYC, "--c-rate", "nan", "--out", "p.json"], "--c-rate"),
    ([*CYC, "--model", "Ru-9", "--out", "p.json"], "--model"),
    ([*CYC, "--model", S + "negative_diffusivity.json", "--out", "p.json"], "diffusivity"),
    (["fit", "cycling", "cycles.csv", "--fit", "Nonsense [m]", "--out", "p.json"], "--fit"),
    (
        ["fit", "cycling", "cycles.csv", "--fit", "Positive electrode OCP [V]", "--out", "p.json"],
        "--fit",
    ),
    (
        [
            "fit",
            "cycling",
            "cycles.csv",
            "--fit",
            "Contact resistance [Ohm]",
            "--out",
            "p.json",
        ],
        "--fit",
    ),
    (["fit", "cycling", "cycles.csv", "--out", "p.json"], "--fit"),
    (
        ["fit", "cycling", "binary.mpr", "--mass-g", "0.01", "--fit", RADIUS, "--out", "p.json"],
        "mpr",
    ),
    (["fit", "cycling", "absent.mpr", "--fit", RADIUS, "--out", "p.json"], "does not exist"),
    ([*CYC, "--mass-g", "0", "--out", "p.json"], "--mass-g"),
    ([*CYC, "--mass-g", "nan", "--out", "p.json"], "--mass-g"),
    (
        ["fit", "cycling", "no_pulse.csv", "--mass-g", "1", "--fit", RADIUS, "--out", "p.json"],
        "cycle",
    ),
    # ---- simulate: LRMO sets (each: the parameter named with its allowed range)
    *[(["simulate", f"{S}{name}.json"], parameter) for name, parameter, _ in M2_PATCHES],
    (["simulate", S + "m2_missing_radius.json"], M2_RADIUS),
    (["simulate", "LRMO_Sun2025_Ru1", "--c-rate", "0"], "--c-rate"),
    (["simulate", "LRMO_Sun2025_Ru1", "--cycles", "-3"], "--cycles"),
    (["simulate", "LRMO_Sun2025_Ru1", "--v-min", "4.5", "--v-max", "3"], "--v-min"),
    (["simulate", "LRMO_Sun2025_Ru9"], "sample"),
    # ---- validate
    (["validate", "--out", "a_folder/keep.txt"], "--out"),
    (["validate", "--out", "/proc/x"], "--out"),
    (["validate", "--out", "read_only/report"], "--out"),
    (["validate", "--bogus"], "unrecognized"),
    # ---- experiment: options, output places, measured data, parameter sets
    ([*EXP, "--c-rates", "0,1"], "c_rates"),
    ([*EXP, "--c-rates", "50"], "c_rates"),
    ([*EXP, "--c-rates", "1,nan"], "--c-rates"),
    ([*EXP, "--c-rates", ""], "--c-rates"),
    ([*EXP, "--charge-c-rate", "-1"], "--charge-c-rate"),
    ([*EXP, "--formation-c-rate", "inf"], "--formation-c-rate"),
    ([*EXP, "--v-min", "4.5", "--v-max", "3.0"], "v_min"),
    ([*EXP, "--v-min", "1"], "--v-min"),
    ([*EXP, "--plot", "r.jpg"], "--plot"),
    ([*EXP, "--plot", "a_folder"], "--plot"),
    ([*EXP, "--plot", "r.csv"], "--plot"),
    ([*EXP[:-1], "a_folder"], "--out"),
    ([*EXP[:-1], "/dev/null/r.csv"], "--out"),
    ([*EXP[:-1], "read_only/r.csv"], "--out"),
    ([*EXP[:-1], "existing.csv/r.csv"], "--out"),
    ([*EXP[:-1], "r.txt"], "--out"),
    ([*EXP, "--data", "binary.mpr", "--mass-g", "1"], "mpr"),
    ([*EXP, "--data", "gitt.csv"], "--mass-g"),
    ([*EXP, "--data", "a_folder", "--mass-g", "1"], "folder"),
    ([*EXP, "--data", "absent.csv", "--mass-g", "1"], "does not exist"),
    ([*EXP, "--data", "", "--mass-g", "1"], "data file name is empty"),
    ([*EXP, "--data", "empty.csv", "--mass-g", "1"], "empty"),
    ([*EXP, "--data", "nan_current.csv", "--mass-g", "1"], "current_A"),
    ([*EXP, "--data", "eis.csv", "--mass-g", "1"], "time series"),
    ([*EXP, "--data", "gitt.csv", "--mass-g", "0"], "--mass-g"),
    ([*EXP, "--data", "gitt.csv", "--mass-g", "inf"], "--mass-g"),
    (["experiment", "rate", "Ru-1", "--data", "existing.csv", "--out", "existing.csv"], "input"),
    (["experiment", "formation", "Ru-1", "--c-rate", "25", "--out", "f.csv"], "--c-rate"),
    (["experiment", "formation", "Ru-1", "--c-rate", "true", "--out", "f.csv"], "--c-rate"),
    (["experiment", "formation", S + "m2_code_function.json", "--out", "f.csv"], "os:system"),
    (["experiment", "cv", "Ru-1", "--scan-rate", "0", "--out", "c.csv"], "--scan-rate"),
    (["experiment", "cv", "Ru-1", "--scan-rate", "1000", "--out", "c.csv"], "--scan-rate"),
    (["experiment", "cv", "Ru-1", "--cycles", "0", "--out", "c.csv"], "--cycles"),
    (["experiment", "cv", S + "m2_zero_temperature.json", "--out", "c.csv"], "Ambient temp"),
    (["experiment", "gitt", "Ru-1", "--pulse-c-rate", "0", "--out", "g.csv"], "--pulse-c-rate"),
    (["experiment", "gitt", "Ru-1", "--pulse-s", "0", "--out", "g.csv"], "--pulse-s"),
    (["experiment", "gitt", "Ru-1", "--rest-s", "1e6", "--out", "g.csv"], "--rest-s"),
    (["experiment", "gitt", "Ru-1", "--pulses", "1e6", "--out", "g.csv"], "--pulses"),
    (["experiment", "gitt", S + "negative_diffusivity.json", "--out", "g.csv"], "diffusivity"),
    (["experiment", "eis", "Ru-1", "--voltages", "3.9,nan", "--out", "z.csv"], "--voltages"),
    (["experiment", "eis", "Ru-1", "--voltages", "1.0", "--out", "z.csv"], "voltages_V"),
    (["experiment", "eis", "Ru-1", "--c-rate", "0", "--out", "z.csv"], "--c-rate"),
    (["experiment", "eis", "Ru-1", "--rest-s", "0", "--out", "z.csv"], "--rest-s"),
    (["experiment", "eis", "Ru-1", "--direction", "sideways", "--out", "z.csv"], "--direction"),
    (["experiment", "eis", "Ru-1", "--data", "gitt.csv", "--out", "z.csv"], "spectrum"),
    (["experiment", "eis", S + "m2_share_above_one.json", "--out", "z.csv"], "share"),
    (["experiment", "cycling", "Ru-1", "--cycles", "1e5", "--out", "y.csv"], "--cycles"),
    (["experiment", "cycling", "Ru-1", "--c-rate", "nan", "--out", "y.csv"], "--c-rate"),
    (["experiment", "cycling", "Ru-1", "--formation-cycles", "101", "--out", "y.csv"], "formation"),
    (
        [
            "experiment",
            "cycling",
            "Ru-1",
            "--cycles",
            "0",
            "--formation-cycles",
            "0",
            "--out",
            "y.csv",
        ],
        "cycles",
    ),
    (["experiment", "cycling", S + "m2_initial_above_max.json", "--out", "y.csv"], "Initial conc"),
    (["experiment", "cycling", S + "m2_missing_radius.json", "--out", "y.csv"], M2_RADIUS),
    (["experiment", "cycling", S + "missing_radius.json", "--out", "y.csv"], RADIUS),
    (["experiment", "nothing", "Ru-1", "--out", "y.csv"], "invalid choice"),
    (["experiment", "rate", "Ru-1"], "--out"),
    (["experiment", "formation", "Ru-1", "--mass-g", "1", "--out", "f.csv"], "--data"),
]


def _id(case) -> str:
    return " ".join(case[0])[:80] or "(no arguments)"


@pytest.mark.parametrize(("argv", "named"), CASES, ids=[_id(c) for c in CASES])
def test_bad_input_is_one_line_exit_2_and_touches_nothing(workspace, capsys, argv, named):
    before = snapshot(workspace)
    status = main(argv)
    err = capsys.readouterr().err
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert named in err, err
    assert snapshot(workspace) == before


def test_the_corpus_is_large():
    assert len(CASES) >= 150


def test_the_read_only_folder_refuses_this_process(workspace):
    """The read_only cases test what they claim only if this process cannot write there."""
    with pytest.raises(PermissionError):
        (workspace / "read_only" / "x").write_text("x")
