"""Study files: what a design-space study varies, how it samples, what it computes.

A study file (TOML) names a base design and/or parameter set, the inputs to vary with their ranges
or distributions, a sampling method (a full grid, a Latin hypercube from ``scipy.stats.qmc``, or
the Sobol sequence of SALib's Saltelli scheme, whose points SALib's Sobol analysis can read), the
cycling protocol of the physics outputs and the outputs. :func:`load_study` checks all of it and
returns a :class:`Study`; :func:`sample_points` gives the points. An example is
``designs/studies/ru_loading_electrolyte.toml``; the format is in the README.

Input names: a design field (``cathode.loading_mg_per_cm2``), the RuCl3 treatment strength
(``treatment.rucl3_mg_per_ml``, mapped to parameters by
:func:`lrmo_cell.parameters.treatment.treatment_parameters`) or any numeric parameter of the set
(``"parameter.Positive electrode thickness [m]"``). A name the LRMO sets give once per couple,
as ``"Primary: "`` (TM) and ``"Secondary: "`` (oxygen), names both when given without the
prefix: ``"parameter.Positive particle radius [m]"`` moves the particles both couples fill, a
prefixed name one couple's alone.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lrmo_cell.errors import InputError

TREATMENT = "treatment.rucl3_mg_per_ml"
PARAMETER_PREFIX = "parameter."
METHODS = ("grid", "lhs", "sobol")
DISTRIBUTIONS = ("uniform", "loguniform", "normal")
#: most points a study may have (its sample matrix and result table must fit in memory)
MAX_POINTS = 50_000_000
MAX_STUDY_BYTES = 1_000_000
# the limits simulate_cycling accepts (lrmo_cell.models.cycling)
PROTOCOL_FIELDS = {
    # name: (default, low, high, integer)
    "c_rate": (0.5, 1e-3, 20.0, False),
    "cycles": (100, 0, 5000, True),
    "formation_c_rate": (0.1, 1e-3, 20.0, False),
    "formation_cycles": (1, 0, 100, True),
    "v_min": (2.0, 1.5, 5.0, False),
    "v_max": (4.8, 1.5, 5.0, False),
}


@dataclass(frozen=True)
class Input:
    """One varied input: its name, kind (design | treatment | parameter) and its values."""

    name: str
    kind: str
    distribution: str = "uniform"
    low: float = math.nan
    high: float = math.nan
    mean: float = math.nan
    sd: float = math.nan
    values: tuple = ()  # a grid's levels

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map uniform [0, 1) numbers to this input's distribution (its inverse CDF)."""
        if self.distribution == "uniform":
            return self.low + u * (self.high - self.low)
        if self.distribution == "loguniform":
            return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        from scipy.stats import truncnorm

        a, b = (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd
        return truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd)

    def describe(self) -> dict:
        keys = ("name", "kind", "distribution", "low", "high", "mean", "sd")
        out = {k: getattr(self, k) for k in keys}
        out = {k: v for k, v in out.items() if not (isinstance(v, float) and math.isnan(v))}
        return {**out, "values": list(self.values)} if self.values else out


@dataclass(frozen=True)
class Study:
    """A checked study: everything that determines its rows (see :meth:`identity`)."""

    name: str
    path: str
    design: object | None  # lrmo_cell.design.core.Design
    parameter_set: str | None
    parameter_values: dict | None  # the numeric parameters of the set, for checks and identity
    inputs: tuple[Input, ...]
    method: str
    points: int  # lhs: points; sobol: base points N (the study has N (D + 2)); grid: unused
    seed: int
    protocol: dict
    outputs: tuple[str, ...]
    prices: dict = field(default_factory=dict)
    report: dict = field(default_factory=dict)

    @property
    def n_points(self) -> int:
        if self.method == "grid":
            return int(np.prod([len(i.values) for i in self.inputs]))
        if self.method == "sobol":
            return self.points * (len(self.inputs) + 2)
        return self.points

    def identity(self) -> dict:
        """Everything a stored row depends on, as plain JSON data."""
        design = None
        if self.design is not None:
            design = {"values": self.design.values, "options": self.design.options}
        return {
            "kind": "study",
            "name": self.name,
            "design": design,
            "parameter_set": self.parameter_set,
            "parameter_values": self.parameter_values,
            "inputs": [i.describe() for i in self.inputs],
            "method": self.method,
            "points": self.points,
            "seed": self.seed,
            "protocol": self.protocol,
            "outputs": list(self.outputs),
            "prices": self.prices,
            "report": self.report,
        }


def resolve_study_path(name_or_path: str | Path) -> Path:
    """A study file, or the bare name of one in the packaged ``designs/studies/``."""
    from lrmo_cell.resources import data_dir

    text = str(name_or_path)
    path = Path(text)
    if path.is_file():
        return path
    folder = data_dir("designs") / "studies"
    if path.name == text and text not in ("", ".", ".."):
        for candidate in (folder / text, folder / f"{text}.toml"):
            if candidate.is_file():
                return candidate
    available = ", ".join(sorted(p.stem for p in folder.glob("*.toml"))) or "none"
    raise InputError(
        f"study file {text!r} is neither a file here nor one of designs/studies/: {available}"
    )


def _read(path: Path) -> dict:
    if path.stat().st_size > MAX_STUDY_BYTES:
        raise InputError(f"study file {path} is larger than {MAX_STUDY_BYTES / 1e6:g} MB")
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"study file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"study file {path} is not valid TOML: {err}") from None
    except RecursionError:
        raise InputError(f"study file {path} is nested too deeply to be a study") from None


def _number(table: dict, key: str, where: str, low=None, high=None, integer=False, default=None):
    """``table[key]``, a finite number in [low, high] (whole if ``integer``), or one sentence."""
    value = table.get(key, default)
    allowed = "a whole number" if integer else "a number"
    if low is not None and high is not None:
        allowed += f" in [{low:g}, {high:g}]"
    elif low is not None:
        allowed += f" >= {low:g}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}{key} must be {allowed}, got {value!r}")
    bad = not math.isfinite(value) or (integer and value != int(value))
    bad = bad or (low is not None and value < low) or (high is not None and value > high)
    if bad:
        raise InputError(f"{where}{key} must be {allowed}, got {value!r}")
    return int(value) if integer else float(value)


def _table(document: dict, key: str, where: str = "") -> dict:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise InputError(f"{where}[{key}] must be a table, got {value!r}")
    return value


def _unknown(table: dict, known, where: str) -> None:
    extra = sorted(set(table) - set(known))
    if extra:
        # ``where`` is a prefix for a key ("protocol.", "inputs.'x': "); here it names a table
        table_name = where.rstrip(".: ") or "the study file"
        raise InputError(
            f"unknown key {extra[0]!r} in {table_name}; known: {', '.join(sorted(known))}"
        )


PHASES = ("Primary: ", "Secondary: ")


def parameter_targets(key: str, parameter_values: dict) -> tuple[str, ...]:
    """The set's numeric parameters an input ``parameter.<key>`` sets: ``key`` itself, or, for
    a name the set gives once per couple, both couples' (``PHASES``); () if neither."""
    names = (key,) if key in parameter_values else tuple(p + key for p in PHASES)
    return names if all(isinstance(parameter_values.get(n), int | float) for n in names) else ()


def _input(name: str, spec, method: str, design, parameter_values, set_name) -> Input:
    where = f"inputs.{name!r}: " if " " in name else f"inputs.{name}."
    if name == TREATMENT:
        kind, limits = "treatment", (0.0, 2.0)  # the range treatment_parameters accepts
    elif name.startswith(PARAMETER_PREFIX):
        kind, limits = "parameter", None
        if parameter_values is None:
            raise InputError(f"input {name!r} varies a parameter, so the study needs parameter_set")
        key = name.removeprefix(PARAMETER_PREFIX)
        if not parameter_targets(key, parameter_values):
            import difflib

            numeric = [k for k, v in parameter_values.items() if isinstance(v, int | float)]
            close = difflib.get_close_matches(key, numeric, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(
                f"input {name!r}: {key!r} is not a numeric parameter of set {set_name}{hint}"
            )
    else:
        kind, limits = "design", None
        if design is None:
            raise InputError(
                f"input {name!r} is a design field, so the study needs design = FILE; other "
                f"inputs are {TREATMENT} or parameter.NAME"
            )
    if not isinstance(spec, dict):
        raise InputError(f"{where[:-1]} must be a table like {{ low = 1, high = 2 }}, got {spec!r}")
    if method == "grid" and "values" in spec:
        _unknown(spec, ("values",), where)
        levels = spec["values"]
        if not isinstance(levels, list) or not levels:
            raise InputError(f"{where}values must be a non-empty list of numbers")
        values = tuple(_number({"values": v}, "values", where) for v in levels)
        result = Input(name, kind, values=values)
    else:
        distribution = spec.get("distribution", "uniform")
        if distribution not in DISTRIBUTIONS:
            raise InputError(
                f"{where}distribution must be one of {', '.join(DISTRIBUTIONS)}, "
                f"got {distribution!r}"
            )
        known = ["distribution", "low", "high"]
        known += ["mean", "sd"] if distribution == "normal" else []
        known += ["points"] if method == "grid" else []
        _unknown(spec, known, where)
        low, high = _number(spec, "low", where), _number(spec, "high", where)
        if not low < high:
            raise InputError(f"{where}low must be below high, got {low:g} and {high:g}")
        if distribution == "loguniform" and low <= 0:
            raise InputError(f"{where}low must be > 0 for a loguniform input, got {low:g}")
        mean = sd = math.nan
        if distribution == "normal":
            mean = _number(spec, "mean", where, low, high)
            sd = _number(spec, "sd", where, 0.0)
            if sd <= 0:
                raise InputError(f"{where}sd must be > 0, got {sd:g}")
        values = ()
        if method == "grid":
            if distribution != "uniform":
                raise InputError(f"{where}distribution: a grid takes evenly spaced levels only")
            n = _number(spec, "points", where, 1, 10_000, integer=True, default=None)
            values = tuple(np.linspace(low, high, n).tolist())
        result = Input(name, kind, distribution, low, high, mean, sd, values)
    # every value the input can take is checked now, not point by point later
    extremes = np.array(result.values or (result.low, result.high))
    if limits is not None and (extremes.min() < limits[0] or extremes.max() > limits[1]):
        raise InputError(f"{name} must stay in [{limits[0]:g}, {limits[1]:g}] mg/mL")
    if kind == "design":
        from lrmo_cell.design.core import check_ranges

        check_ranges(design, {name: extremes}, where=f"study input {name}")
        if name in design.integer_fields and method != "grid":
            raise InputError(f"input {name} is a whole number; vary it on a grid")
    if kind == "parameter":
        from lrmo_cell.parameters.io import check_value

        for target in parameter_targets(name.removeprefix(PARAMETER_PREFIX), parameter_values):
            for value in extremes:
                check_value(target, float(value), "the study's inputs")
    return result


def load_study(name_or_path: str | Path) -> Study:
    """Read and check a study file; every problem is one sentence naming the field."""
    from lrmo_cell.studies.study import OUTPUTS, check_outputs

    path = resolve_study_path(name_or_path)
    document = _read(path)
    top = ("name", "description", "design", "parameter_set", "outputs")
    _unknown(document, (*top, "sampling", "inputs", "protocol", "prices", "report"), "")
    from lrmo_cell.parameters.io import SAMPLE_SETS, load_parameter_set, resolve_parameter_file

    design = parameter_values = None
    parameter_set = document.get("parameter_set")
    if parameter_set is not None:
        text = str(parameter_set)
        local = path.parent / text
        parameter_set = str(local.resolve()) if local.is_file() else SAMPLE_SETS.get(text, text)
        try:
            resolve_parameter_file(parameter_set)
        except InputError as err:
            raise InputError(f"parameter_set: {err}") from None
    if "design" in document:
        from lrmo_cell.design.schema import load_design

        text = str(document["design"])
        local = path.parent / text
        # the study's set is the design's cathode material (checked there: the kind of cell)
        overrides = {} if parameter_set is None else {"cathode.parameter_set": parameter_set}
        design = load_design(local if local.is_file() else text, overrides)
        if design.needs_model:
            raise InputError(
                'design: cathode.performance_from = "model" is not for studies yet; give the '
                "design cathode.specific_capacity_mAh_per_g and cathode.mean_voltage_V"
            )
        name = design.options.get("cathode.parameter_set")
        if name is not None:
            parameter_set = str(resolve_parameter_file(name, Path(design.path).parent))
    if design is None and parameter_set is None:
        raise InputError("a study needs design = FILE and/or parameter_set = NAME")
    if parameter_set is not None:
        loaded = load_parameter_set(parameter_set, complete=True)
        parameter_values = {k: v for k, v in sorted(loaded.items()) if isinstance(v, int | float)}

    sampling = _table(document, "sampling")
    _unknown(sampling, ("method", "points", "seed"), "sampling.")
    method = sampling.get("method", "grid")
    if method not in METHODS:
        raise InputError(f"sampling.method must be one of {', '.join(METHODS)}, got {method!r}")
    points = 0
    if method != "grid":
        points = _number(sampling, "points", "sampling.", 1, MAX_POINTS, integer=True)
        if method == "sobol" and points & (points - 1):
            raise InputError(
                f"sampling.points of a sobol study (its base points N) must be a power of 2, "
                f"got {points}"
            )
    seed = _number(sampling, "seed", "sampling.", 0, 2**32 - 1, integer=True, default=0)

    table = _table(document, "inputs")
    if not table:
        raise InputError("[inputs] must name at least one input to vary")
    inputs = tuple(
        _input(k, v, method, design, parameter_values, parameter_set) for k, v in table.items()
    )
    if method == "sobol" and len(inputs) < 2:
        raise InputError("a sobol study needs at least two inputs (its indices rank them)")
    if any(i.name == TREATMENT for i in inputs):
        from lrmo_cell.parameters.treatment import TREATED_PARAMETERS

        for i in (i for i in inputs if i.kind == "parameter"):
            targets = parameter_targets(i.name.removeprefix(PARAMETER_PREFIX), parameter_values)
            clash = [t for t in targets if t in TREATED_PARAMETERS]
            if clash:
                raise InputError(
                    f"input {i.name!r}: the treatment input {TREATMENT} sets {clash[0]!r}; "
                    "vary one of the two"
                )

    protocol_table = _table(document, "protocol")
    _unknown(protocol_table, PROTOCOL_FIELDS, "protocol.")
    protocol = {
        key: _number(protocol_table, key, "protocol.", low, high, integer, default)
        for key, (default, low, high, integer) in PROTOCOL_FIELDS.items()
    }
    if protocol["v_min"] >= protocol["v_max"]:
        raise InputError("protocol.v_min must be below protocol.v_max")

    outputs = document.get("outputs")
    if not isinstance(outputs, list) or not outputs or not all(isinstance(o, str) for o in outputs):
        raise InputError(
            f"outputs must be a list of output names (before the first [table]); known: "
            f"{', '.join(OUTPUTS)}"
        )
    prices = _table(document, "prices")
    study = Study(
        name=str(document.get("name", path.stem)),
        path=str(path),
        design=design,
        parameter_set=parameter_set,
        parameter_values=parameter_values,
        inputs=inputs,
        method=method,
        points=points,
        seed=seed,
        protocol=protocol,
        outputs=tuple(dict.fromkeys(outputs)),
        prices=prices,
        report=_table(document, "report"),
    )
    if study.n_points > MAX_POINTS:
        raise InputError(f"the study has {study.n_points:.4g} points, more than {MAX_POINTS:.0e}")
    check_outputs(study)
    from lrmo_cell.studies.study_report import plan

    plan(study.identity())  # the [report] wishes are checked now, not after the run
    return study


def sampler(study: Study):
    """A function ``(start, stop) -> {input: values}`` giving the inputs of points
    ``start..stop-1``, the same on every call.

    A grid's points are computed from their flat index (last input fastest), so a grid of any
    size needs memory for the requested points only; a Latin hypercube or Sobol matrix is drawn
    once from ``seed`` and sliced.
    """
    if study.method == "grid":
        shape = tuple(len(i.values) for i in study.inputs)
        levels = [np.asarray(i.values) for i in study.inputs]

        def grid(start: int, stop: int) -> dict[str, np.ndarray]:
            index = np.unravel_index(np.arange(start, stop), shape)
            return {i.name: v[k] for i, v, k in zip(study.inputs, levels, index, strict=True)}

        return grid
    unit = _unit_matrix(study)

    def scattered(start: int, stop: int) -> dict[str, np.ndarray]:
        return {i.name: i.from_unit(unit[start:stop, j]) for j, i in enumerate(study.inputs)}

    return scattered


def _unit_matrix(study: Study) -> np.ndarray:
    d = len(study.inputs)
    if study.method == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=d, seed=study.seed).random(study.points)
    from SALib.sample import sobol

    problem = {"num_vars": d, "names": [i.name for i in study.inputs], "bounds": [[0, 1]] * d}
    # Saltelli's scheme without second-order terms: N (D + 2) points, first and total indices
    return sobol.sample(problem, study.points, calc_second_order=False, seed=study.seed)
