"""BPX both ways for the LRMO model: ``lrmo-cell bpx`` writes the full cell, and the cell
rebuilt from that file (``parameter_values_from_bpx``) runs the LRMO model to the same voltage."""

import json

import bpx
import numpy as np
import pybamm
import pytest

from lrmo_cell.cli import main
from lrmo_cell.models.bpx import parameter_values_from_bpx
from lrmo_cell.models.cycling import FULL_CELL_OPTIONS, VAR_PTS
from lrmo_cell.models.lrmo import LRMO
from lrmo_cell.parameters import load_parameter_set, value_at

SET = "LRMO_Sun2025_Ru1_graphite"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("bpx") / "ru1_graphite.bpx.json"
    assert main(["bpx", SET, "--out", str(path)]) == 0
    return path


def test_the_two_couples_are_a_blended_electrode_and_the_mechanisms_user_defined(exported):
    document = bpx.parse_bpx_file(str(exported))
    particles = document.parameterisation.positive_electrode.particle
    assert list(particles) == ["TM couple", "Oxygen couple"]
    named = load_parameter_set(SET)
    for phase, couple in (("Primary", "TM couple"), ("Secondary", "Oxygen couple")):
        c_max = named[f"{phase}: Maximum concentration in positive electrode [mol.m-3]"]
        assert particles[couple].maximum_concentration == c_max
    extension = json.loads(exported.read_text())["Parameterisation"]["User-defined"]
    # the oxygen mechanisms, the couples' own kinetics and PyBaMM's extras travel as numbers
    for name in (
        "Oxygen release rate constant [s-1]",
        "Secondary: Positive electrode formal potential [V]",
        "Secondary: Positive electrode reorganization energy [eV]",
        "Irreversible TM migration share per oxygen-redox site cycled",
        "RuO2 oxygen site density [mol.m-2]",
        "Positive electrode double-layer capacity [F.m-2]",
        "EC diffusivity [m2.s-1]",
    ):
        assert extension[name] == named[name]


def test_the_rebuilt_cell_has_every_number_of_the_set(exported):
    """Where PyBaMM's BPX reader fills in a number its own way (zero-thickness current
    collectors, which halve a lumped cell's heat capacity; a 1C discharge as the default
    current, where an as-made cell with empty graphite can only be charged; the cut-offs as
    the OCV window's ends), the file's User-defined section carries the set's, so every
    number of the named set comes back as it was."""
    rebuilt = parameter_values_from_bpx(exported, SET)
    named = load_parameter_set(SET)
    numbers = {k: v for k, v in named.items() if isinstance(v, int | float)}
    changed = {k: (v, rebuilt[k]) for k, v in numbers.items() if rebuilt[k] != pytest.approx(v)}
    assert changed == {}
    assert rebuilt["Current function [A]"] < 0  # the as-made cell's formation charge


def _formation_charge(values):
    """C/5 charge of the as-made cell to 4.4 V and discharge to 2.5 V, with its SEI."""
    i_c5 = values["Nominal cell capacity [A.h]"] / 5
    simulation = pybamm.Simulation(
        LRMO({"working electrode": "both", **FULL_CELL_OPTIONS}),
        parameter_values=values,
        experiment=pybamm.Experiment(
            [(f"Charge at {i_c5} A until 4.4 V", f"Discharge at {i_c5} A until 2.5 V")]
        ),
        var_pts=VAR_PTS,
        solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8),
    )
    return simulation.solve()


def test_the_rebuilt_cell_runs_to_the_same_voltage(exported):
    """Everything BPX holds comes from the file (the named set adds only the function-valued
    extras BPX cannot carry). The rebuilt cell differs only where BPX tabulates a function
    (the graphite OCP, the electrolyte's transport) or holds its temperature law as one
    activation energy; so the voltages agree to 2 mV, and the capacities to 0.1 %."""
    rebuilt = parameter_values_from_bpx(exported, SET)
    named = pybamm.ParameterValues(load_parameter_set(SET))
    assert set(named.keys()) <= set(rebuilt.keys())
    original, back = _formation_charge(named), _formation_charge(rebuilt)
    # the discharge ends on a cut-off where the voltage falls steeply: compare before it
    t = np.linspace(0, 0.95 * original.t[-1], 300)
    assert np.abs(original["Voltage [V]"](t) - back["Voltage [V]"](t)).max() < 2e-3
    capacity = [abs(s["Discharge capacity [A.h]"].entries[-1]) for s in original.cycles[0].steps]
    capacity_back = [abs(s["Discharge capacity [A.h]"].entries[-1]) for s in back.cycles[0].steps]
    assert capacity_back == pytest.approx(capacity, rel=1e-3)


def test_the_couples_keep_their_temperature_laws(exported):
    """BPX carries each couple's diffusivity with its activation energy and each electrode's
    reaction activation energy: rebuilt, the diffusivities are the set's at 0 and 45 C (1.36
    times their 25 C value at 45 C for the 12 kJ/mol both couples have), not frozen at 25 C, and
    every exchange current changes from 25 to 0 C by the set's own factor (the couples' 17.8
    kJ/mol, Chen2020's graphite 35 kJ/mol)."""
    rebuilt = parameter_values_from_bpx(exported, SET)
    named = pybamm.ParameterValues(load_parameter_set(SET))
    for prefix, side in (("", "Negative"), ("Primary: ", "Positive"), ("Secondary: ", "Positive")):
        name = f"{prefix}{side} electrode exchange-current density [A.m-2]"
        c_max = named[f"{prefix}Maximum concentration in {side.lower()} electrode [mol.m-3]"]

        def cooling(values, name=name, c_max=c_max):
            j0 = values[name]
            return value_at(values, j0, 1000, c_max / 2, c_max, 273.15) / value_at(
                values, j0, 1000, c_max / 2, c_max, 298.15
            )

        assert cooling(rebuilt) == pytest.approx(cooling(named), rel=1e-6)
    for phase in ("Primary", "Secondary"):
        name = f"{phase}: Positive particle diffusivity [m2.s-1]"

        def at(values, kelvin, name=name):
            return values.evaluate(values[name](pybamm.Scalar(0.5), pybamm.Scalar(kelvin)))

        for kelvin in (273.15, 318.15):
            assert at(rebuilt, kelvin) == pytest.approx(at(named, kelvin), rel=1e-9)
        assert at(rebuilt, 318.15) / at(rebuilt, 298.15) == pytest.approx(1.357, rel=1e-3)


def test_the_electrolyte_keeps_its_concentration_and_temperature_laws(exported):
    """BPX holds the electrolyte's transport as a table on concentration with an Arrhenius
    activation energy: rebuilt at 25 C, Valoen's diffusivity and conductivity come back between
    the table's points (25 mol/m3 apart: linear interpolation within 1e-3 from 0.3 to 4.3 M); at
    1 M over 0-45 C, where Valoen's laws are not Arrhenius, their largest error is under a fifth
    of that of the laws frozen at 25 C (measured 0.11 and 0.04 of it: 26 % against 245 % for the
    diffusivity at 0 C, 2.5 % against 68 % for the conductivity)."""
    rebuilt = parameter_values_from_bpx(exported, SET)
    named = pybamm.ParameterValues(load_parameter_set(SET))
    kelvins = np.linspace(273.15, 318.15, 10)
    for name in ("Electrolyte diffusivity [m2.s-1]", "Electrolyte conductivity [S.m-1]"):

        def at(values, c, kelvin, name=name):
            law = values[name](pybamm.Scalar(c), pybamm.Scalar(kelvin))
            return float(values.evaluate(law))

        for c in (333.0, 1237.0, 2789.0, 4321.0):
            assert at(rebuilt, c, 298.15) == pytest.approx(at(named, c, 298.15), rel=1e-3)
        error = max(abs(at(rebuilt, 1000, k) / at(named, 1000, k) - 1) for k in kelvins)
        frozen = max(abs(at(named, 1000, 298.15) / at(named, 1000, k) - 1) for k in kelvins)
        assert error < frozen / 5


def test_a_fitted_diffusivity_profile_survives_the_round_trip(tmp_path):
    """A couple's diffusivity that depends on stoichiometry (a GITT fit's table, log-linear
    between its points) goes to BPX as a table on stoichiometry with its activation energy:
    rebuilt, it is the set's at 25 C between the table's points, where linear interpolation of
    a function falling a decade per 0.4 of stoichiometry on a grid 0.005 apart errs by ~1e-4,
    and at 0 and 45 C by the set's own Arrhenius factor."""
    fitted = tmp_path / "fitted_diffusivity.json"
    fitted.write_text(
        json.dumps(
            {
                "name": "fitted_diffusivity",
                "description": "Ru-1 || graphite with a stoichiometry-dependent oxygen couple",
                "base": SET,
                "parameters": {
                    "Secondary: Positive particle diffusivity at reference temperature [m2.s-1]": {
                        "value": {
                            "stoichiometry": [0.1, 0.5, 0.9],
                            "values": [1e-17, 1e-16, 1e-15],
                        },
                        "source": "assumed: the test's profile",
                    }
                },
            }
        )
    )
    path = tmp_path / "fitted.bpx.json"
    assert main(["bpx", str(fitted), "--out", str(path)]) == 0
    document = json.loads(path.read_text())
    particle = document["Parameterisation"]["Positive electrode"]["Particle"]["Oxygen couple"]
    assert isinstance(particle["Diffusivity [m2.s-1]"], dict)
    rebuilt = parameter_values_from_bpx(path, str(fitted))
    named = pybamm.ParameterValues(load_parameter_set(str(fitted)))
    name = "Secondary: Positive particle diffusivity [m2.s-1]"

    def at(values, sto, kelvin):
        law = values[name](pybamm.Scalar(sto), pybamm.Scalar(kelvin))
        return np.asarray(values.evaluate(law)).item()

    for sto in (0.123, 0.37, 0.61, 0.88):
        for kelvin in (273.15, 298.15, 318.15):
            assert at(rebuilt, sto, kelvin) == pytest.approx(at(named, sto, kelvin), rel=1e-3)
