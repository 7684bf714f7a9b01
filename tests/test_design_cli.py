"""The designer through the real command line: JSON contract, what-if, plots, errors, imports."""

import json
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "lrmo_cell.cli"]


def run(*args, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd)


def test_design_json_has_the_contract_keys_and_consistent_numbers():
    result = run("design", "ru1_li_metal_5p83Ah", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in (
        "capacity_Ah",
        "energy_Wh",
        "mass_g",
        "specific_energy_Wh_per_kg",
        "energy_density_Wh_per_L",
        "thickness_mm",
        "mass_breakdown_g",
        "n_p_ratio",
        "electrolyte_g_per_Ah",
    ):
        assert key in report
    assert sum(report["mass_breakdown_g"].values()) == pytest.approx(report["mass_g"])
    assert report["specific_energy_Wh_per_kg"] == pytest.approx(
        1e3 * report["energy_Wh"] / report["mass_g"]
    )


def test_what_if_changes_capacity_in_proportion_to_loading():
    base = json.loads(run("design", "ru1_li_metal_5p83Ah", "--json").stdout)
    what_if = run(
        "design",
        "ru1_li_metal_5p83Ah",
        "--set",
        "cathode.loading_mg_per_cm2=25",
        "--set",
        "electrolyte.g_per_Ah=1.8",
        "--json",
    )
    report = json.loads(what_if.stdout)
    loading = base["inputs"]["cathode.loading_mg_per_cm2"]["value"]
    assert report["capacity_Ah"] == pytest.approx(base["capacity_Ah"] * 25 / loading)
    assert report["electrolyte_g_per_Ah"] == pytest.approx(1.8)
    assert "command line" in report["inputs"]["electrolyte.g_per_Ah"]["source"]


def test_solve_and_plot_from_the_command_line(tmp_path):
    png = tmp_path / "mass.png"
    result = run(
        "design",
        "ru1_graphite",
        "--solve",
        "cell.n_cathode_layers",
        "--target",
        "capacity_Ah=5",
        "--plot",
        str(png),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["solution"]["value"] == round(report["solution"]["value"])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep_writes_csv_plot_and_tornado(tmp_path):
    out, png, tor = tmp_path / "s.csv", tmp_path / "s.png", tmp_path / "t.png"
    result = run(
        "sweep",
        "ru1_li_metal_5p83Ah",
        "--vary",
        "cathode.loading_mg_per_cm2=15:30:4",
        "--vary",
        "electrolyte.g_per_Ah=1.5:2.5:3",
        "--out",
        str(out),
        "--plot",
        str(png),
        "--tornado",
        str(tor),
    )
    assert result.returncode == 0, result.stderr
    assert len(out.read_text().strip().splitlines()) == 1 + 12
    assert png.stat().st_size > 0 and tor.stat().st_size > 0
    assert "| cathode.mean_voltage_V |" in result.stdout


BAD = [
    (("design", "ru1_li_metal_5p83Ah", "--set", "separator.porosity=1.5"), "separator.porosity"),
    (
        ("design", "ru1_li_metal_5p83Ah", "--set", "cell.electrode_width_mm=0"),
        "cell.electrode_width_mm",
    ),
    (
        ("design", "ru1_li_metal_5p83Ah", "--set", "anode.li_thickness_um=-20"),
        "anode.li_thickness_um",
    ),
    (("design", "ru1_graphite", "--set", "anode.n_p_ratio=0.95"), "anode.n_p_ratio"),
    (("design", "ru1_li_metal_5p83Ah", "--set", "cathode.nonsense=1"), "cathode.nonsense"),
    (("design", "no_such_design.toml"), "no_such_design"),
    (("design", "BROKEN"), "not valid TOML"),
    (("sweep", "ru1_li_metal_5p83Ah", "--vary", "cathode.porosity=0.2:0.4"), "--vary"),
    (
        ("sweep", "ru1_li_metal_5p83Ah", "--vary", "cathode.porosity=0.2:0.4:3", "--out", "x.txt"),
        "--out",
    ),
    (
        (
            "design",
            "ru1_li_metal_5p83Ah",
            "--solve",
            "cathode.loading_mg_per_cm2",
            "--target",
            "specific_energy_Wh_per_kg=700",
        ),
        "unreachable",
    ),
]


@pytest.mark.parametrize(("args", "named"), BAD)
def test_bad_input_is_one_line_naming_the_field_and_exit_2(tmp_path, args, named):
    broken = tmp_path / "broken.toml"
    broken.write_text("name = 'x'\n[cell\n")
    args = tuple(str(broken) if a == "BROKEN" else a for a in args)
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert named in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("x.txt*"))


def test_the_design_command_path_never_imports_pybamm():
    code = (
        "import sys; from lrmo_cell.cli import main; "
        "main(['design', 'ru1_li_metal_5p83Ah', '--json']); "
        "import lrmo_cell.design.inverse, lrmo_cell.studies.sweep; "
        "assert 'pybamm' not in sys.modules, 'pybamm imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
