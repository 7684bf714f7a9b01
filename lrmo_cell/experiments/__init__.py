"""The virtual lab: the study's experiments on the LRMO model, one function each.

Each takes ``sample`` (a name such as "Ru-1", a set name such as "LRMO_Sun2025_Ru1_graphite", a
parameter-set .json file or a dict of values) and keyword options, runs the model and returns a
pandas DataFrame with stable columns; currents and capacities per gram of active powder,
1C = 250 mA/g unless the set says otherwise.

- ``formation``: the first charge with the lattice oxygen oxidised, released and escaped;
- ``rate_test``: charge and discharge capacity and mean voltage per C-rate;
- ``cyclic_voltammetry`` and ``cv_peaks``;
- ``gitt`` (the standard measured-data frame) and ``gitt_table`` (Weppner-Huggins per pulse);
- ``impedance`` at states of charge or discharge and ``impedance_drt`` (DRT peaks);
- ``cycling``: ``lrmo_cell.simulate_cycling``;
- ``first_cycle_budget``: where the first cycle's irreversible capacity goes.

Imported lazily, so that ``lrmo-cell --help`` never loads PyBaMM.
"""

from __future__ import annotations

from lrmo_cell._lazy import lazy_getattr

_LAZY = {
    "formation": "lrmo_cell.experiments.galvanostatic",
    "rate_test": "lrmo_cell.experiments.galvanostatic",
    "cycling": "lrmo_cell.experiments.galvanostatic",
    "first_cycle_budget": "lrmo_cell.experiments.galvanostatic",
    "cyclic_voltammetry": "lrmo_cell.experiments.voltammetry",
    "cv_peaks": "lrmo_cell.experiments.voltammetry",
    "gitt": "lrmo_cell.experiments.titration",
    "gitt_table": "lrmo_cell.experiments.titration",
    "impedance": "lrmo_cell.experiments.spectroscopy",
    "impedance_drt": "lrmo_cell.experiments.spectroscopy",
}

__getattr__ = lazy_getattr(__name__, _LAZY)

__all__ = list(_LAZY)
