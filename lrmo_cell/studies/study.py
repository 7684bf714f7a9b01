"""The study runner: every point of a study file through one registry of outputs, on Dask.

Each output is a small function of one :class:`Point` (the design, the parameter values and the
point's inputs) registered in :data:`OUTPUTS`. Designer outputs are evaluated for a whole chunk at
once (pure numpy, millions of designs per second); physics outputs run the LRMO model once per
point (``simulate_cycling``), and a point whose solver fails is stored with its error, its physics
outputs NaN, and the study goes on.

Chunks of points run in this process or on a ``dask.distributed`` cluster; each finished chunk is
stored at once as a Parquet part (:class:`~lrmo_cell.studies.storage.PartStore`, manifest first),
so a stopped study resumes with nothing finished recomputed, and the final table, one row per
point with its inputs, outputs and error, is written atomically only when every part is there.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lrmo_cell.errors import InputError
from lrmo_cell.studies.study_spec import (
    PARAMETER_PREFIX,
    TREATMENT,
    Study,
    parameter_targets,
    sampler,
)

#: a point's error text is cut to this many characters (a solver can say a lot)
MAX_ERROR_CHARS = 300
#: points per chunk unless told: one model run per task keeps every worker busy to the end;
#: designer-only points are so cheap that only large chunks pay for the task overhead
PHYSICS_CHUNK, DESIGN_CHUNK = 1, 200_000
#: runs of this many cycles or more jump over cycles (lrmo_cell.models.extrapolation): shorter
#: ones have too few cycles to jump over for it to pay
EXTRAPOLATE_FROM_CYCLES = 50
THICKNESS = "Positive electrode thickness [m]"


class PointError(RuntimeError):
    """A point's physics did not give its outputs (stored as the point's error)."""


@dataclass(frozen=True)
class Output:
    """One output column: what it needs (design | cycling | at_rate), whether more is better,
    and its value as a function of a :class:`Point`."""

    name: str
    needs: str
    better: str
    value: Callable
    help: str


class Point:
    """One point (or, for designer outputs, a chunk of points as arrays) of a study."""

    def __init__(self, study: Study, inputs: dict, design: dict):
        self.study, self.inputs, self.design = study, inputs, design

    @functools.cached_property
    def cell_design(self):
        """The study's design with this point's design inputs."""
        study = self.study
        values = {k: v for k, v in self.inputs.items() if k in study.design.values}
        return study.design.with_values(values, f"study {study.name}: input of this point")

    @functools.cached_property
    def cycling(self):
        """The per-cycle frame of this point's cell under the study's protocol; from
        ``EXTRAPOLATE_FROM_CYCLES`` cycles on by adaptive inter-cycle extrapolation."""
        from lrmo_cell.models.cycling import simulate_cycling

        protocol = self.study.protocol
        values = point_parameter_values(self.study, self.inputs)
        return simulate_cycling(
            self.study.parameter_set,
            protocol["c_rate"],
            protocol["cycles"],
            protocol["formation_c_rate"],
            protocol["formation_cycles"],
            protocol["v_min"],
            protocol["v_max"],
            extrapolate=protocol["cycles"] >= EXTRAPOLATE_FROM_CYCLES,
            parameter_overrides=dict(values.items()),
            show_progress=False,
        )

    @functools.cached_property
    def cycling_rows(self):
        """The cycles at the cycling rate (formation left out), all of them or an error."""
        protocol = self.study.protocol
        rows = self.cycling.iloc[protocol["formation_cycles"] :]
        if len(rows) < protocol["cycles"] or rows["discharge_capacity_mAh_per_g"].isna().any():
            raise PointError(
                f"the cell completed {len(rows)} of {protocol['cycles']} cycles at "
                f"{protocol['c_rate']:g}C"
            )
        return rows

    @functools.cached_property
    def at_rate(self) -> dict:
        from lrmo_cell.studies.cell_physics import at_rate

        return at_rate(self.cell_design, self.study.protocol["c_rate"])


def point_parameter_values(study: Study, inputs: dict):
    """The PyBaMM parameter values of one point's cell.

    With a design: one electrode pair of the point's design
    (:func:`lrmo_cell.studies.cell_physics.electrode_pair_parameter_values`: the design's
    loading, porosity and thickness, the material of the study's set); else the set itself.
    Then the point's ``parameter.NAME`` inputs and its treatment (``treatment_parameters``: the
    Li-deficient layer and RuO2 share, from the point's particle radius).
    """
    import pybamm

    from lrmo_cell.parameters import load_parameter_set
    from lrmo_cell.parameters.treatment import treatment_parameters

    if study.design is not None:
        from lrmo_cell.studies.cell_physics import electrode_pair_parameter_values

        values = electrode_pair_parameter_values(Point(study, inputs, {}).cell_design)
    else:
        values = pybamm.ParameterValues(load_parameter_set(study.parameter_set))
    # the point's own parameters first: the treatment's layer depends on its particle radius
    values.update(
        {
            target: float(value)
            for name, value in inputs.items()
            if name.startswith(PARAMETER_PREFIX)
            for target in parameter_targets(name.removeprefix(PARAMETER_PREFIX), values)
        }
    )
    if TREATMENT in inputs:
        area_m2 = values["Electrode height [m]"] * values["Electrode width [m]"]
        treated = {
            name: entry["value"]
            for name, entry in treatment_parameters(
                float(inputs[TREATMENT]),
                powder_volume_fraction=values["Positive electrode powder volume fraction"],
                lrmo_density_kg_per_m3=values["LRMO density [kg.m-3]"],
                electrode_volume_m3=values[THICKNESS] * area_m2,
                particle_radius_m=values["Primary: Positive particle radius [m]"],
            ).items()
        }
        if study.design is None:
            # as the treated sets are written (lrmo_cell.models.calibrate): the powder's volume
            # share of the electrode stays, the cell runs at its nominal capacity's current
            treated["Current function [A]"] = treated["Nominal cell capacity [A.h]"]
        else:
            # the design fixes the powder's mass: the RuO2 takes its share of it from the LRMO
            ruo2 = "RuO2 mass fraction in active powder"
            eps = "Positive electrode active material volume fraction"
            treated[eps] = values[eps] * (1 - treated[ruo2]) / (1 - values[ruo2])
            del treated["Nominal cell capacity [A.h]"]
        values.update(treated)
    return values


def _design(name: str, better: str = "max") -> Output:
    return Output(name, "design", better, lambda point: point.design[name], "designer, nominal")


def _materials_cost(point: Point):
    """Materials cost [USD/kWh]: every component's mass times its price over the energy."""
    from lrmo_cell.design.core import COMPONENTS

    usd = sum(
        point.design[f"mass_{c}_g"] / 1e3 * point.study.prices[f"{c}_USD_per_kg"]["value"]
        for c in COMPONENTS
    )
    return usd / (point.design["energy_Wh"] / 1e3)


def _first(point: Point, column: str) -> float:
    return float(point.cycling_rows[column].iloc[0])


def _retention(point: Point, column: str) -> float:
    rows = point.cycling_rows[column]
    return float(rows.iloc[-1] / rows.iloc[0])


def _specific_energy_after_cycles(point: Point) -> float:
    """The cell's Wh/kg in its last cycle: the model's electrode pair is the design's, so its
    energy per kg of active powder times the design's powder is the stack's energy, over the
    designer's cell mass."""
    energy_wh_per_kg = point.cycling_rows["discharge_energy_Wh_per_kg"].iloc[-1]
    return float(energy_wh_per_kg * point.design["mass_cathode_active_g"] / point.design["mass_g"])


def _registry() -> dict[str, Output]:
    from lrmo_cell.design.core import SCALAR_OUTPUTS
    from lrmo_cell.studies.sweep import SWEEP_OUTPUTS

    lower_is_better = {"mass_g", "volume_cm3", "thickness_mm", "electrolyte_g_per_Ah"}
    outputs = [
        _design(name, "min" if name in lower_is_better or name not in SCALAR_OUTPUTS else "max")
        for name in SWEEP_OUTPUTS
    ]
    outputs += [
        Output("materials_cost_USD_per_kWh", "design", "min", _materials_cost, "[prices] table"),
        Output(
            "discharge_capacity_mAh_per_g",
            "cycling",
            "max",
            lambda p: _first(p, "discharge_capacity_mAh_per_g"),
            "first cycle at the cycling rate, per g of active powder",
        ),
        Output(
            "discharge_energy_Wh_per_kg",
            "cycling",
            "max",
            lambda p: _first(p, "discharge_energy_Wh_per_kg"),
            "first cycle at the cycling rate, per kg of active powder",
        ),
        Output(
            "capacity_retention",
            "cycling",
            "max",
            lambda p: _retention(p, "discharge_capacity_mAh_per_g"),
            "last over first discharge capacity at the cycling rate",
        ),
        Output(
            "energy_retention",
            "cycling",
            "max",
            lambda p: _retention(p, "discharge_energy_Wh_per_kg"),
            "last over first discharge energy at the cycling rate",
        ),
        Output(
            "specific_energy_after_cycles_Wh_per_kg",
            "cycling",
            "max",
            _specific_energy_after_cycles,
            "the cell's Wh/kg in the last cycle (needs a design)",
        ),
        Output(
            "oxygen_released_umol_per_g",
            "cycling",
            "min",
            lambda p: float(p.cycling["oxygen_released_umol_per_g"].sum()),
            "all cycles, formation included, per g of active powder",
        ),
    ]
    at_rate = (
        ("capacity_at_rate_Ah", "capacity_Ah"),
        ("energy_at_rate_Wh", "energy_Wh"),
        ("mean_voltage_at_rate_V", "mean_voltage_V"),
        ("specific_energy_at_rate_Wh_per_kg", "specific_energy_Wh_per_kg"),
        ("energy_density_at_rate_Wh_per_L", "energy_density_Wh_per_L"),
    )
    outputs += [
        Output(
            name,
            "at_rate",
            "max",
            lambda p, k=key: float(p.at_rate[k]),
            "one discharge at the rate",
        )
        for name, key in at_rate
    ]
    return {o.name: o for o in outputs}


OUTPUTS: dict[str, Output] = _registry()


def check_outputs(study: Study) -> None:
    """Refuse outputs that are unknown or that the study lacks the means to compute."""
    from lrmo_cell.design.core import COMPONENTS

    for name in study.outputs:
        if name not in OUTPUTS:
            import difflib

            close = difflib.get_close_matches(name, OUTPUTS, n=3)
            hint = (
                f"; did you mean {' or '.join(close)}?"
                if close
                else f"; the outputs are {', '.join(OUTPUTS)}"
            )
            raise InputError(f"outputs: unknown output {name!r}{hint}")
        output = OUTPUTS[name]
        if output.needs in ("design", "at_rate") and study.design is None:
            raise InputError(f"outputs: {name} is a cell output, so the study needs design = FILE")
        if output.needs == "at_rate":
            if study.parameter_set is None:
                raise InputError(f"outputs: {name} needs the design's cathode.parameter_set")
            varied = [i.name for i in study.inputs if i.kind != "design"]
            if varied:
                raise InputError(
                    f"outputs: {name} runs the design's set as it is, so input {varied[0]} "
                    "cannot change it; the cycling outputs (e.g. "
                    "specific_energy_after_cycles_Wh_per_kg) follow every input"
                )
        if output.needs == "cycling":
            if study.parameter_set is None:
                raise InputError(
                    f"outputs: {name} runs the model, so the study needs parameter_set = NAME"
                )
            if study.protocol["cycles"] < 1:
                raise InputError(f"outputs: {name} needs protocol.cycles >= 1")
            if name == "specific_energy_after_cycles_Wh_per_kg" and study.design is None:
                raise InputError(f"outputs: {name} needs design = FILE")
        if name == "materials_cost_USD_per_kWh":
            missing = [c for c in COMPONENTS if f"{c}_USD_per_kg" not in study.prices]
            if missing:
                raise InputError(
                    f"outputs: {name} needs [prices] {missing[0]}_USD_per_kg = {{ value = ..., "
                    f"source = ... }} for every component ({len(missing)} missing)"
                )
    for key, entry in study.prices.items():
        value = entry.get("value") if isinstance(entry, dict) else None
        if not key.endswith("_USD_per_kg") or key.removesuffix("_USD_per_kg") not in COMPONENTS:
            raise InputError(
                f"prices.{key}: known prices are <component>_USD_per_kg for {', '.join(COMPONENTS)}"
            )
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not (ok and math.isfinite(value) and value >= 0 and entry.get("source")):
            raise InputError(f'prices.{key} must be {{ value = number >= 0, source = "..." }}')
    physics = any(OUTPUTS[o].needs != "design" for o in study.outputs)
    varies_physics = [i.name for i in study.inputs if i.kind != "design"]
    if varies_physics and not physics:
        raise InputError(
            f"input {varies_physics[0]} changes only the model, but no output runs it; add "
            "capacity_retention or another model output"
        )


def columns(study: Study) -> list[str]:
    """The columns of a study's table, in order."""
    return ["point", *(i.name for i in study.inputs), *study.outputs, "error"]


def _one_line(text: str) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_ERROR_CHARS else line[: MAX_ERROR_CHARS - 3] + "..."


def evaluate_points(study: Study, start: int, inputs: dict[str, np.ndarray]):
    """Rows of points ``start, start + 1, ...`` with the given inputs, as a DataFrame (the unit
    of work a Dask worker runs). A point whose physics fails keeps its error text."""
    import pandas as pd

    n = len(next(iter(inputs.values())))
    designed = {}
    if study.design is not None:
        from lrmo_cell.design.core import evaluate

        design_inputs = {k: v for k, v in inputs.items() if k in study.design.values}
        # every input value was checked against its field's range when the study was loaded
        # a study varying no design field still gives every point its own row of them
        designed = {
            k: np.broadcast_to(v, (n,))
            for k, v in evaluate(study.design, design_inputs, check=False).items()
        }
    table = {"point": np.arange(start, start + n), **inputs}
    batch = Point(study, inputs, designed)
    physics = []
    for name in study.outputs:
        output = OUTPUTS[name]
        if output.needs == "design":
            table[name] = np.broadcast_to(np.asarray(output.value(batch), dtype=float), (n,))
        else:
            physics.append(output)
            table[name] = np.full(n, np.nan)
    errors = [""] * n
    for i in range(n if physics else 0):
        point = Point(
            study,
            {k: float(v[i]) for k, v in inputs.items()},
            {k: float(v[i]) for k, v in designed.items()},
        )
        try:
            values = [output.value(point) for output in physics]
        except Exception as err:  # noqa: BLE001 - any failure of one point is that point's result
            errors[i] = _one_line(f"{type(err).__name__}: {err}")
            continue
        for output, value in zip(physics, values, strict=True):
            table[output.name][i] = value
    table["error"] = errors
    return pd.DataFrame(table, columns=columns(study))


def manifest(study: Study, chunk_size: int) -> str:
    """Everything that determines the study's rows, as canonical JSON: its identity on disk."""
    identity = {**study.identity(), "chunk_size": chunk_size, "n_points": study.n_points}
    if study.method != "grid":
        sample = sampler(study)(0, study.n_points)
        digest = hashlib.sha256()
        for name in sorted(sample):
            digest.update(np.ascontiguousarray(sample[name], dtype=float).tobytes())
        identity["samples_sha256"] = digest.hexdigest()
    return json.dumps(identity, sort_keys=True, default=str)


def default_chunk_size(study: Study) -> int:
    physics = any(OUTPUTS[o].needs != "design" for o in study.outputs)
    return PHYSICS_CHUNK if physics else DESIGN_CHUNK


def _chunks(study, bounds, pending, client):
    """``(k, frame)`` of every pending chunk as it finishes, here or on ``client``'s workers."""
    sample = sampler(study)
    if client is None:
        for k in pending:
            yield k, evaluate_points(study, bounds[k][0], sample(*bounds[k]))
        return
    from dask.distributed import as_completed

    # the study goes to every worker once, not once per task
    [remote] = client.scatter([study], broadcast=True)
    futures = {
        client.submit(evaluate_points, remote, bounds[k][0], sample(*bounds[k]), pure=False): k
        for k in pending
    }
    for future in as_completed(futures):
        yield futures[future], future.result()
        future.release()


def check_out(study: Study, out, chunk_size: int, resume: bool, overwrite: bool) -> None:
    """Refuse, before any work, an ``out`` (or parts folder) that this run must not touch."""
    from lrmo_cell.studies.storage import PartStore, finished_manifest

    store = PartStore(out)
    spec = manifest(study, chunk_size)
    if store.out.exists() and finished_manifest(store.out) != spec and not overwrite:
        raise InputError(
            f"--out {store.out} already exists and is not this study's result; pass --overwrite "
            "to replace it, or choose another file"
        )
    if store.manifest.is_file() and not resume:
        same = store.manifest.read_text() == spec
        raise InputError(
            f"{store.folder} holds a stopped run of {'this' if same else 'another'} study; "
            + (
                "pass --resume to finish it (nothing finished is computed again), or remove it"
                if same
                else "remove it or choose another --out"
            )
        )


def run_study(
    study: Study,
    out,
    chunk_size: int | None = None,
    client=None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool | None = None,
) -> tuple[str, int]:
    """Compute every point of ``study`` into the Parquet file ``out``; return what happened,
    "computed", "resumed" (parts of a stopped run were kept) or "reused" (``out`` already holds
    this study), and how many points were kept rather than computed.

    ``client``: a ``dask.distributed.Client`` or None (this process). A stopped run's parts are
    adopted only with ``resume``; an existing ``out`` that is not this study is replaced only
    with ``overwrite``. The output is locked while the study runs: an identical study started
    meanwhile is refused in one sentence. ``progress``: a bar on stderr (None: if a terminal).
    """
    from tqdm import tqdm

    from lrmo_cell.files import locked_dir, remove_stale_temporaries
    from lrmo_cell.studies.storage import PartStore, finished_manifest

    if Path(out).suffix.lower() != ".parquet":
        raise InputError(f"--out must end in .parquet (the table keeps its study), got {out!r}")
    store = PartStore(out)
    chunk_size = chunk_size or default_chunk_size(study)
    total = study.n_points
    bounds = [(s, min(s + chunk_size, total)) for s in range(0, total, chunk_size)]
    spec = manifest(study, chunk_size)
    with locked_dir(store.folder, f"--out {store.out}"):
        try:
            remove_stale_temporaries(store.out)
            if finished_manifest(store.out) == spec:
                store.discard()
                return "reused", total
            check_out(study, store.out, chunk_size, resume, overwrite)
            store.claim(spec)
            # a run killed after streaming the final table left it complete in the folder
            pending = (
                []
                if store.final.is_file()
                else [k for k in range(len(bounds)) if not store.done(k)]
            )
            done = total - sum(bounds[k][1] - bounds[k][0] for k in pending)
            # tqdm's disable=None draws the bar only on a terminal
            disable = None if progress is None else not progress
            with tqdm(total=total, initial=done, unit="point", disable=disable) as bar:
                for k, frame in _chunks(study, bounds, pending, client):
                    store.write(k, frame)
                    bar.update(len(frame))
            store.combine(len(bounds), spec)
        finally:
            # a run refused before it claimed the folder leaves no empty folder behind
            with contextlib.suppress(OSError):
                store.folder.rmdir()
    return ("resumed" if len(pending) < len(bounds) else "computed"), done
