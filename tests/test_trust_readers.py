"""Bad input to the Python readers and loaders: an InputError of one line naming the file, field
or parameter, never another exception; and what a data file may never make the package do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lrmo_cell.design.schema import load_design, resolve_design_path
from lrmo_cell.errors import InputError
from lrmo_cell.fitting import readers
from lrmo_cell.parameters import load_parameter_set, read_parameter_file
from lrmo_cell.parameters.io import resolve_function
from lrmo_cell.resources import data_dir

ROOT_SET = data_dir("parameter_sets") / "LRMO_Sun2025_pristine.json"
SERIES = pd.DataFrame(
    {"time_s": [0.0, 1.0, 2.0, 3.0], "current_A": [0.0, 1.0, 1.0, 0.0], "voltage_V": 3.8}
)
SPECTRUM = pd.DataFrame(
    {
        "frequency_Hz": np.logspace(3, -1, 6),
        "z_real_ohm": np.linspace(0.1, 0.3, 6),
        "z_imag_ohm": -0.05,
    }
)


def write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, pd.DataFrame):
        content.to_csv(path, index=False)
    else:
        path.write_text(content)
    return path


# (function, file name, content, keyword arguments, text the message must contain)
FILE_CASES = [
    (readers.read_csv, "bin.csv", b"\x00\xff" * 500, {}, "binary"),
    (readers.read_csv, "empty.csv", "", {}, "empty"),
    (readers.read_csv, "blank_lines.csv", "\n\n\n", {}, "empty CSV"),
    (readers.read_csv, "header.csv", "time_s,current_A,voltage_V\n", {}, "no rows"),
    (readers.read_csv, "text.csv", SERIES.assign(voltage_V=["3.8", "x", "3.8", "3.8"]), {}, "'x'"),
    (readers.read_csv, "nan.csv", SERIES.assign(current_A=[0, np.nan, 1, 0]), {}, "current_A"),
    (readers.read_csv, "inf.csv", SERIES.assign(voltage_V=[3.8, np.inf, 3.8, 3.8]), {}, "voltage"),
    (readers.read_csv, "dup.csv", SERIES.assign(time_s=[0, 1, 1, 2]), {}, "strictly"),
    (readers.read_csv, "few.csv", SERIES.iloc[:2], {}, "at least 3"),
    (readers.read_csv, "cols.csv", SERIES.drop(columns="time_s"), {}, "time_s"),
    (readers.read_csv, "map.csv", SERIES, {"columns": {"time_s": "Time"}}, "'Time'"),
    (readers.read_csv, "step.csv", SERIES.assign(step=[0, 1.5, 1, 1]), {}, "step"),
    (readers.read_csv, "quote.csv", 'time_s,current_A\n"1,2\n', {}, "CSV"),
    (readers.read_file, "gitt_for_eis.csv", SERIES, {"kind": "impedance"}, "time series"),
    (readers.read_file, "eis_for_gitt.csv", SPECTRUM, {"kind": "timeseries"}, "impedance"),
    (readers.read_file, "garbage.mpr", b"\x00BIO" * 100, {}, ".mpr"),
    (readers.read_file, "garbage.mpt", b"\x00BIO" * 100, {}, "binary"),
    (readers.read_file, "text.mpt", "EC-Lab ASCII FILE\nnonsense\n", {}, ".mpt"),
    (readers.read_file, "neg_f.csv", SPECTRUM.assign(frequency_Hz=-1.0), {}, "frequency_Hz"),
    (readers.read_file, "dup_f.csv", SPECTRUM.assign(frequency_Hz=1.0), {}, "duplicated"),
    (readers.read_file, "short.csv", SPECTRUM.iloc[:3], {}, "at least 5"),
    (readers.read_file, "zero_z.csv", SPECTRUM.assign(z_real_ohm=0.0, z_imag_ohm=0.0), {}, "zero"),
    (readers.read_cycling_csv, "cycling.mpr", b"\x00" * 10, {}, "per-cycle"),
    (readers.read_cycling_csv, "series.csv", SERIES, {}, "time series"),
    (
        readers.read_cycling_csv,
        "text_cycle.csv",
        pd.DataFrame({"cycle": [1, "two"], "charge_capacity_mAh_per_g": [1, 1]}),
        {},
        "cycle",
    ),
    (
        readers.read_cycling_csv,
        "nan_cap.csv",
        pd.DataFrame({"cycle": [1, 2], "charge_capacity_mAh_per_g": [1, np.nan]}),
        {},
        "charge_capacity_mAh_per_g",
    ),
    (read_parameter_file, "list.json", "[]", {}, "list"),
    (read_parameter_file, "bin.json", b"\x00" * 64, {}, "binary"),
    (
        read_parameter_file,
        "deep.json",
        "{" * 1 + '"a":' + "[" * 200_000 + "]" * 200_000 + "}",
        {},
        "nested",
    ),
    (
        read_parameter_file,
        "nan.json",
        '{"parameters": {"X [m]": {"value": NaN, "source": "s"}}}',
        {},
        "X [m]",
    ),
    (
        read_parameter_file,
        "bool.json",
        '{"parameters": {"X [K]": {"value": true, "source": "s"}}}',
        {},
        "X [K]",
    ),
    (read_parameter_file, "base.json", '{"base": 5, "parameters": {}}', {}, "'base'"),
    (
        read_parameter_file,
        "text.json",
        '{"parameters": {"X [m]": {"value": "1e-6", "source": "s"}}}',
        {},
        "X [m]",
    ),
    (load_parameter_set, "missing.json", '{"parameters": {}}', {"complete": True}, "misses"),
    (load_design, "bin.toml", b"\x00" * 64, {}, "binary"),
    (load_design, "deep.toml", "x = " + "[" * 100_000 + "]" * 100_000, {}, "nested"),
    (load_design, "latin.toml", "name = '\xe9'".encode("latin-1"), {}, "UTF-8"),
    (load_design, "section.toml", "name = 'x'\ncell = 5\n", {}, "cell"),
]


@pytest.mark.parametrize(
    ("function", "name", "content", "kwargs", "named"),
    FILE_CASES,
    ids=[f"{c[0].__name__}-{c[1]}" for c in FILE_CASES],
)
def test_a_bad_file_is_one_input_error_naming_it(tmp_path, function, name, content, kwargs, named):
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as caught:
        function(path, **kwargs)
    message = str(caught.value)
    assert named in message and "\n" not in message


@pytest.mark.parametrize(
    "function", [readers.read_csv, readers.read_file, readers.read_cycling_csv, load_design]
)
def test_a_folder_or_an_absent_file_is_said_as_such(tmp_path, function):
    with pytest.raises(InputError, match="folder"):
        function(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        function(tmp_path / "absent" / "x.csv")


@pytest.mark.parametrize(
    "spec",
    [
        "os:system",
        "builtins:eval",
        "subprocess:run",
        "antigravity:fly",
        "lrmo_cell.parameters.functions:_clipped",
        "lrmo_cell.parameters.functions:pybamm",
        "lrmo_cell.cli:main",
        "pybamm:Simulation",
        "pybamm.input.parameters.lithium_ion.Xu2019:pybamm",
    ],
)
def test_a_set_can_name_only_registered_functions(spec):
    with pytest.raises(InputError, match="not a registered function"):
        resolve_function("Positive electrode OCP [V]", spec)


def test_a_refused_function_name_imports_nothing():
    """The refusal must come before any import: the named module stays unloaded."""
    code = (
        "import sys\n"
        "from lrmo_cell.errors import InputError\n"
        "from lrmo_cell.parameters.io import resolve_function\n"
        "try:\n"
        "    resolve_function('x', 'antigravity:fly')\n"
        "except InputError:\n"
        "    pass\n"
        "assert 'antigravity' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_packaged_functions_resolve_and_are_the_modules_own():
    from lrmo_cell.parameters import functions

    assert resolve_function("x", "lrmo_cell.parameters.functions:tm_ocp") is functions.tm_ocp
    xu = "pybamm.input.parameters.lithium_ion.Xu2019:electrolyte_conductivity_Valoen2005"
    assert resolve_function("x", xu).__name__ == "electrolyte_conductivity_Valoen2005"


def test_base_counts_from_the_sets_own_folder(tmp_path, monkeypatch):
    """A patch whose base is a relative path loads the same from any working folder."""
    folder = tmp_path / "sets"
    folder.mkdir()
    (folder / "mine.json").write_text(ROOT_SET.read_text())
    patch = {
        "name": "patch",
        "base": "mine.json",
        "parameters": {"Primary: Positive particle radius [m]": {"value": 3e-7, "source": "test"}},
    }
    (folder / "patch.json").write_text(json.dumps(patch))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    values = load_parameter_set(folder / "patch.json", complete=True)
    assert values["Primary: Positive particle radius [m]"] == 3e-7
    assert (
        values["LRMO density [kg.m-3]"] == load_parameter_set("pristine")["LRMO density [kg.m-3]"]
    )


def test_a_design_path_never_falls_back_to_a_packaged_design(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        resolve_design_path("somewhere/ru1_graphite.toml")
    with pytest.raises(InputError, match="does not exist"):
        resolve_design_path(tmp_path / "ru1_graphite.toml")
    # a bare name does look in designs/, and a file here with that name wins over it
    assert resolve_design_path("ru1_graphite") == data_dir("designs") / "ru1_graphite.toml"
    (tmp_path / "ru1_graphite.toml").write_text("x")
    assert resolve_design_path("ru1_graphite.toml") == Path("ru1_graphite.toml")


def test_every_packaged_value_passes_the_unit_rules():
    """The rules are derived from units, not from the packaged numbers: every packaged set must
    still load, and the rules must say something about nearly every numeric parameter."""
    from lrmo_cell.parameters.io import allowed_range

    document = read_parameter_file("LRMO_Sun2025_Ru1_graphite")
    root = read_parameter_file("pristine")
    names = [
        k
        for d in (root, document)
        for k, e in d["parameters"].items()
        if isinstance(e["value"], int | float)
    ]
    ruled = [n for n in names if allowed_range(n) != (-np.inf, False, np.inf, False)]
    # only potentials, currents and entropic coefficients may take any sign
    free = {n for n in names if n not in ruled}
    assert all(("[V" in n or "[A]" in n or "per lost oxygen" in n) for n in free), free
    for name in ("pristine", "Ru-0.5", "Ru-1", "Ru-3", "LRMO_Sun2025_Ru1_graphite"):
        load_parameter_set(name, complete=True)


def test_an_installed_package_registers_functions_through_the_entry_point(tmp_path, monkeypatch):
    """A package on the path that declares a function under 'lrmo_cell.parameter_functions'
    makes that one function (and no other of its module) usable in a set."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "my_ocps.py").write_text(
        "def flat(sto):\n    return 4.0\n\ndef other(sto):\n    pass\n"
    )
    info = site / "my_ocps-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: my-ocps\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[lrmo_cell.parameter_functions]\nflat = my_ocps:flat\n")
    monkeypatch.syspath_prepend(str(site))
    assert resolve_function("Positive electrode OCP [V]", "my_ocps:flat")(0.5) == 4.0
    with pytest.raises(InputError, match="not a registered function"):
        resolve_function("Positive electrode OCP [V]", "my_ocps:other")
