"""Reading, validating, resolving and writing parameter-set files (JSON, the project's format).

A parameter-set file is data from anywhere, so nothing in it runs code and nothing in it is
taken on trust:

- a function value ``"module:attr"`` resolves only through :func:`resolve_function` (this
  package's own functions, PyBaMM's input functions, and functions that installed packages
  register under the ``lrmo_cell.parameter_functions`` entry point group), never through an
  import of a string read from the file;
- every number is checked on read by rules derived from the unit in the parameter's name
  (:func:`check_value`), so parameters added later are covered without a list to keep;
- the ``base`` chain has a depth limit, a set that is its own base is refused as circular, and a
  ``base`` that is a path counts from the set's own file;
- a set loaded to run the LRMO model (``complete=True``) must give every parameter of the
  packaged pristine set, which is what the model reads (so a parameter the model gains and the
  packaged set gives is required here by itself), and none that no packaged set gives (a
  misspelt name is refused, with the nearest name, not ignored).
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

from lrmo_cell.errors import InputError
from lrmo_cell.files import atomic_path
from lrmo_cell.resources import data_dir

# sample names of the study (Sun et al. 2025, doi:10.1039/d5ee00430f) -> parameter set names
SAMPLE_SETS = {
    "pristine": "LRMO_Sun2025_pristine",
    "Ru-0.5": "LRMO_Sun2025_Ru0p5",
    "Ru-1": "LRMO_Sun2025_Ru1",
    "Ru-3": "LRMO_Sun2025_Ru3",
}
#: the set whose parameters every loaded set must give (the LRMO model reads all of them)
ROOT_SET = "LRMO_Sun2025_pristine"
#: temperatures a set may hold [K]: the electrolyte's functions (Valoen & Reimers, J.
#: Electrochem. Soc. 152 (2005) A882) are fitted to measurements from -10 to 60 C
TEMPERATURE_RANGE_K = (263.15, 333.15)
#: entry point group through which other packages add functions that sets may name
FUNCTION_ENTRY_POINTS = "lrmo_cell.parameter_functions"
#: longest chain of sets patching a base; the packaged sets need 2
MAX_BASE_DEPTH = 16
#: largest parameter-set file read (the packaged ones are below 40 kB)
MAX_FILE_BYTES = 10_000_000
_PACKAGED_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_FUNCTION_SPEC = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


def _packaged(name: str) -> Path | None:
    if not _PACKAGED_NAME.match(name):
        return None
    path = data_dir("parameter_sets") / f"{name}.json"
    return path if path.is_file() else None


def resolve_parameter_file(
    name_or_path: str | os.PathLike, relative_to: Path | None = None
) -> Path:
    """Path of a parameter set given a sample name, a packaged set name or a file path.

    A relative path counts from ``relative_to`` (the folder of the set that names it as its
    base) when given, else from the working folder.
    """
    text = str(name_or_path)
    packaged = _packaged(SAMPLE_SETS.get(text, text))
    if packaged is not None:
        return packaged
    path = Path(text)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if path.suffix.lower() == ".json" and path.is_file():
        return path
    known = ", ".join(
        [*SAMPLE_SETS, *sorted(p.stem for p in data_dir("parameter_sets").glob("*.json"))]
    )
    if not text.strip():  # Path("") is the working folder
        raise InputError(f"parameter set name is empty; give a .json file or one of {known}")
    if path.is_dir():
        raise InputError(f"parameter set {text!r} is a folder; give a .json file or one of {known}")
    raise InputError(
        f"sample must be one of {known} or an existing parameter set .json file, got {text!r}"
    )


def _load_json(path: Path, what: str) -> object:
    """A JSON document from a file that may be anything: binary, huge, deeply nested."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{what} {path} is larger than {MAX_FILE_BYTES / 1e6:g} MB")
    raw = path.read_bytes()
    if b"\0" in raw[:8192]:
        raise InputError(f"{what} {path} is a binary file, not JSON text")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{what} {path} is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise InputError(
            f"{what} {path} is not valid JSON ({err.msg} at line {err.lineno})"
        ) from None
    except RecursionError:
        raise InputError(f"{what} {path} is nested too deeply to be a parameter set") from None


def read_parameter_file(name_or_path: str | os.PathLike, relative_to: Path | None = None) -> dict:
    """The raw JSON document of one parameter set file (no base resolution), checked entry by
    entry: every value a finite number in its unit's range, a table or a function name."""
    path = resolve_parameter_file(name_or_path, relative_to)
    document = _load_json(path, "parameter set file")
    if not isinstance(document, dict):
        raise InputError(
            f"parameter set file {path} must hold a JSON object with 'parameters', "
            f"not a {type(document).__name__}"
        )
    if not isinstance(document.get("parameters"), dict):
        raise InputError(f"parameter set file {path} needs a 'parameters' object")
    base = document.get("base")
    if base is not None and not (isinstance(base, str) and base.strip()):
        raise InputError(f"parameter set file {path}: 'base' must be a set name or a .json path")
    for key, entry in document["parameters"].items():
        if not isinstance(entry, dict) or "value" not in entry or not entry.get("source"):
            raise InputError(f"parameter {key!r} in {path} needs a 'value' and a 'source'")
        check_value(key, entry["value"], path)
    return document


# ---- the rules a value must follow, from the unit in its name --------------------------------

# (pattern on the name, low, low included, high, high included); the first match decides
_DIMENSIONLESS_RULES = (
    # a first-cycle efficiency: what comes back of a charge (the graphite's formation takes
    # 1/ICE - 1 of its capacity)
    (r"Coulombic efficiency", 0, False, 1, True),
    (r"fraction|porosity|share\b|transference number|transfer coefficient", 0, True, 1, True),
    (r"^Number of ", 1, True, math.inf, False),
    (r"[Rr]atio|factor|enhancement", 0, False, math.inf, False),
    (r"Bruggeman|rate constant", 0, True, math.inf, False),
    # counts of sites, ions or events per another: never negative
    (r" per ", 0, True, math.inf, False),
)
# units whose quantity is > 0 whenever it exists: absolute temperature, diffusivity, density,
# conductivity, double-layer capacitance, a cell's capacity (PyBaMM divides by it), heat
# capacity, thermal conductivity, elastic modulus
_POSITIVE_UNITS = {
    "K",
    "m2.s-1",
    "kg.m-3",
    "S.m-1",
    "F.m-2",
    "A.h",
    # heat capacity, thermal conductivity and elastic modulus of a material that exists
    "J.kg-1.K-1",
    "W.m-1.K-1",
    "Pa",
}
# units of amounts, rates and resistances: >= 0 (zero switches a mechanism off)
_NON_NEGATIVE_UNITS = {
    "m",
    "m2",
    "m3",
    "mol.m-3",
    "mol.m-2",
    "mol.kg-1",
    "m3.mol-1",
    "s-1",
    "m.s-1",
    "m3.mol-1.s-1",
    "A.m-2",
    "A.m-3",
    "W.m-2.K-1",
    "mg.mL-1",
    "s",
    "J.mol-1",
}
# lengths that are never zero: the electrode's sizes and the particle's radius
_POSITIVE_LENGTH = re.compile(
    r"radius|^Electrode (height|width)|electrode thickness|^Separator thickness"
)
_UNIT = re.compile(r"\[([^\]]+)\]\s*$")


def allowed_range(name: str) -> tuple[float, bool, float, bool]:
    """``(low, low included, high, high included)`` of parameter ``name``, from its unit (the
    text in the last square brackets) or, without one, from what the name says it is."""
    match = _UNIT.search(name)
    unit = match.group(1) if match else None
    if unit == "K" and name.endswith("temperature [K]"):
        return (TEMPERATURE_RANGE_K[0], True, TEMPERATURE_RANGE_K[1], True)
    if unit is None:
        for pattern, *limits in _DIMENSIONLESS_RULES:
            if re.search(pattern, name):
                return tuple(limits)
        return (-math.inf, False, math.inf, False)
    if (
        unit in _POSITIVE_UNITS
        or (unit == "m" and _POSITIVE_LENGTH.search(name))
        or (unit == "mol.m-3" and "Maximum concentration" in name)
        # Marcus reorganization energy: positive by definition, and MHC rates divide by it
        or (unit == "eV" and "reorganization energy" in name)
        # a Tafel slope divides the overpotential
        or (unit == "V" and "Tafel slope" in name)
    ):
        return (0, False, math.inf, False)
    if unit in _NON_NEGATIVE_UNITS or unit.startswith("Ohm"):
        return (0, True, math.inf, False)
    return (-math.inf, False, math.inf, False)


def _range_text(limits) -> str:
    low, low_in, high, high_in = limits
    if math.isinf(high):
        return f"{'>=' if low_in else '>'} {low:g}" if not math.isinf(low) else "finite"
    return f"in {'[' if low_in else '('}{low:g}, {high:g}{']' if high_in else ')'}"


def check_value(name: str, value, path: Path | str = "parameter set") -> None:
    """Raise :class:`InputError` unless ``value`` is a valid value of parameter ``name``: a
    finite number in its range, a stoichiometry table, or a "module:function" name."""
    where = f"parameter {name!r} in {path}"
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where} must be a number, got {json.dumps(value)}")
    if isinstance(value, str):
        if not _FUNCTION_SPEC.match(value):
            raise InputError(
                f"{where} must be a number or a registered function 'module:function', "
                f"got {value[:60]!r}"
            )
        return
    if isinstance(value, dict):
        if not _is_stoichiometry_table(value):
            raise InputError(
                f"{where}: a table value needs 'stoichiometry' (distinct, 0 to 1) and 'values' "
                "(> 0) lists of the same length, at least 2"
            )
        return
    if not isinstance(value, int | float):
        raise InputError(f"{where} must be a number, got a {type(value).__name__}")
    limits = allowed_range(name)
    low, low_in, high, high_in = limits
    ok = math.isfinite(value) and (value >= low if low_in else value > low)
    ok = ok and (value <= high if high_in else value < high or math.isinf(high))
    if not ok:
        raise InputError(f"{where} must be {_range_text(limits)}, got {value!r}")


def _is_stoichiometry_table(value: dict) -> bool:
    x, y = value.get("stoichiometry"), value.get("values")
    if not (isinstance(x, list) and isinstance(y, list) and len(x) == len(y) >= 2):
        return False
    numbers = [v for v in x + y if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != len(x) + len(y) or not all(math.isfinite(v) for v in numbers):
        return False
    return len(set(x)) == len(x) and all(0 <= v <= 1 for v in x) and all(v > 0 for v in y)


# pairs that must be ordered: (smaller, larger) where both are given
_ORDERED = (
    ("Lower voltage cut-off [V]", "Upper voltage cut-off [V]"),
    (
        "Initial concentration in positive electrode [mol.m-3]",
        "Maximum concentration in positive electrode [mol.m-3]",
    ),
    (
        "Initial concentration in negative electrode [mol.m-3]",
        "Maximum concentration in negative electrode [mol.m-3]",
    ),
    ("Li-deficient layer thickness [m]", "Primary: Positive particle radius [m]"),
)


def _check_set(entries: dict, label: str, complete: bool) -> None:
    """Checks over the whole resolved set: pairs that must be ordered, and (``complete``) that
    it gives every parameter of the root set."""
    missing = [name for name in _root_names() if name not in entries] if complete else []
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(
            f"parameter set {label} misses the parameter {missing[0]!r}{more}; give it or "
            "patch a complete set through 'base'"
        )
    # the LRMO model's particle phases carry PyBaMM's "Primary: " / "Secondary: " prefixes
    phased = [(f"{p}{small}", f"{p}{large}") for small, large in _ORDERED for p in _PHASES]
    for small, large in phased:
        a, b = (entries.get(k, {}).get("value") for k in (small, large))
        if isinstance(a, int | float) and isinstance(b, int | float):
            strict = "thickness" in small or "cut-off" in small
            if a > b or (strict and a == b):
                raise InputError(
                    f"parameter set {label}: {small!r} ({a:g}) must be "
                    f"{'below' if strict else 'at most'} {large!r} ({b:g})"
                )


_PHASES = ("", "Primary: ", "Secondary: ")


def _root_names() -> tuple[str, ...]:
    """The parameters a complete set gives: those of the LRMO root set."""
    return tuple(read_parameter_file(ROOT_SET)["parameters"])


def _check_known(entries: dict, label: str) -> None:
    """Refuse a parameter that no packaged set gives (half and full cells): the model would
    ignore a misspelt name and run the set as its base."""
    known = {
        name
        for path in sorted(data_dir("parameter_sets").glob("*.json"))
        for name in read_parameter_file(path)["parameters"]
    }
    unknown = [name for name in entries if name not in known]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(
            f"parameter set {label}: {unknown[0]!r} is not a parameter of the LRMO model's "
            f"sets{hint}"
        )


def _resolved_entries(name_or_path, relative_to: Path | None = None, chain=()) -> dict:
    path = resolve_parameter_file(name_or_path, relative_to)
    if path.resolve() in chain:
        raise InputError(f"parameter set {path} has a circular 'base' chain")
    chain = (*chain, path.resolve())
    if len(chain) > MAX_BASE_DEPTH:
        raise InputError(
            f"parameter set {chain[0]} has a 'base' chain deeper than {MAX_BASE_DEPTH} sets"
        )
    document = read_parameter_file(path)
    entries = {}
    base = document.get("base")
    if base is not None:
        if base == document.get("name"):
            raise InputError(f"parameter set {path} has itself as 'base' (circular)")
        try:
            base_path = resolve_parameter_file(base, path.parent)
        except InputError as err:
            raise InputError(f"parameter set file {path}, 'base': {err}") from None
        entries.update(_resolved_entries(base_path, chain=chain))
    entries.update(document["parameters"])
    return entries


_OWN_MODULE = "lrmo_cell.parameters.functions"


def _own_functions() -> list[str]:
    import inspect

    from lrmo_cell.parameters import functions

    return [
        name
        for name, obj in vars(functions).items()
        if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == _OWN_MODULE
    ]


def _pybamm_modules() -> set[str]:
    """Modules of PyBaMM's own parameter sets, from PyBaMM's ``pybamm_parameter_sets`` entry
    points (never from a file): their functions are PyBaMM's, as trusted as PyBaMM."""
    from importlib.metadata import entry_points

    return {
        point.module
        for point in entry_points(group="pybamm_parameter_sets")
        if point.module.startswith("pybamm.input.parameters.")
    }


def resolve_function(name: str, spec: str, path="parameter set"):
    """The function that a set's value ``spec`` ("module:function") names, from the registry:
    this package's public functions in :mod:`lrmo_cell.parameters.functions`, the functions
    defined in PyBaMM's own parameter-set modules, and the functions that installed packages
    register in the entry point group ``lrmo_cell.parameter_functions`` (entry point value
    "module:function", the same text a set then uses). Anything else is refused: a file never
    makes this package import a module it names."""
    import importlib
    import inspect
    from importlib.metadata import entry_points

    module_name, _, attribute = spec.partition(":")
    if module_name == _OWN_MODULE and attribute in _own_functions():
        from lrmo_cell.parameters import functions

        return getattr(functions, attribute)
    if module_name in _pybamm_modules():
        # the module name matched one of PyBaMM's own, so this import runs PyBaMM's code only
        obj = getattr(importlib.import_module(module_name), attribute, None)
        if inspect.isfunction(obj) and obj.__module__ == module_name:
            return obj
    for point in entry_points(group=FUNCTION_ENTRY_POINTS):
        if point.value == spec:
            return point.load()
    raise InputError(
        f"parameter {name!r} in {path} names {spec!r}, which is not a registered function (this "
        f"package's {_OWN_MODULE}, PyBaMM's parameter functions, or the "
        f"'{FUNCTION_ENTRY_POINTS}' entry points)"
    )


def _value(name: str, entry_value, path):
    if isinstance(entry_value, str):
        return resolve_function(name, entry_value, path)
    if isinstance(entry_value, dict):
        from .functions import stoichiometry_table

        return stoichiometry_table(entry_value["stoichiometry"], entry_value["values"], name)
    return entry_value


def value_at(values, value, *args) -> float:
    """``value`` of a parameter: a number, or a PyBaMM parameter function evaluated at the
    numbers ``args`` (e.g. a diffusivity at (stoichiometry, temperature [K])), the parameters
    the function refers to filled in from ``values`` (a ``pybamm.ParameterValues``)."""
    import numpy as np
    import pybamm

    if callable(value):
        # its one element: a table-valued function evaluates to a 1 x 1 array
        return float(np.asarray(values.evaluate(value(*[pybamm.Scalar(a) for a in args]))).item())
    return float(value)


def load_parameter_set(name_or_path: str | os.PathLike, complete: bool = False) -> dict:
    """A parameter set as a dict for ``pybamm.ParameterValues`` (base resolved, checked,
    functions resolved through the registry).

    ``name_or_path`` is a sample name ("Ru-1"), a set name ("LRMO_Sun2025_Ru1") or a JSON file.
    ``complete``: the set is to run the LRMO model, so it must give every parameter of the root
    set (a fit patch of a PyBaMM set, loaded for its functions, need not).
    Raises :class:`InputError` with one sentence naming the parameter for anything wrong.
    """
    entries = _resolved_entries(name_or_path)
    _check_set(entries, str(name_or_path), complete)
    values = {key: _value(key, entry["value"], name_or_path) for key, entry in entries.items()}
    if complete:
        _check_known(entries, str(name_or_path))
    values["chemistry"] = "lithium_ion"
    return values


def parameter_sources(name_or_path: str | os.PathLike) -> dict:
    """The source of every parameter of a set (base resolved), name -> source text."""
    return {key: entry["source"] for key, entry in _resolved_entries(name_or_path).items()}


def write_parameter_file(document: dict, path: str | os.PathLike) -> Path:
    """Write a parameter-set document atomically (never a half-written file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, open(tmp, "w") as stream:
        json.dump(document, stream, indent=2)
        stream.write("\n")
    return path
