"""Reading, resolving and writing parameter-set files (JSON, shared format of the project)."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

from lrmo_cell.errors import InputError
from lrmo_cell.resources import data_dir
from lrmo_cell.studies.storage import atomic_path

# sample names of the study (Sun et al. 2025, doi:10.1039/d5ee00430f) -> parameter set names
SAMPLE_SETS = {
    "pristine": "LRMO_Sun2025_pristine",
    "Ru-0.5": "LRMO_Sun2025_Ru0p5",
    "Ru-1": "LRMO_Sun2025_Ru1",
    "Ru-3": "LRMO_Sun2025_Ru3",
}


def resolve_parameter_file(name_or_path: str | os.PathLike) -> Path:
    """Path of a parameter set given a sample name, a packaged set name or a file path."""
    text = str(name_or_path)
    name = SAMPLE_SETS.get(text, text)
    packaged = data_dir("parameter_sets") / f"{name}.json"
    if packaged.is_file():
        return packaged
    path = Path(text)
    if path.suffix == ".json" and path.is_file():
        return path
    known = ", ".join(
        [*SAMPLE_SETS, *sorted(p.stem for p in data_dir("parameter_sets").glob("*.json"))]
    )
    raise InputError(
        f"sample must be one of {known} or an existing parameter set .json file, got {text!r}"
    )


def read_parameter_file(name_or_path: str | os.PathLike) -> dict:
    """The raw JSON document of one parameter set file (no base resolution)."""
    path = resolve_parameter_file(name_or_path)
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise InputError(f"parameter set file {path} is not valid JSON ({err.msg})") from err
    if not isinstance(document.get("parameters"), dict):
        raise InputError(f"parameter set file {path} needs a 'parameters' object")
    for key, entry in document["parameters"].items():
        if not isinstance(entry, dict) or "value" not in entry or not entry.get("source"):
            raise InputError(f"parameter {key!r} in {path} needs a 'value' and a 'source'")
        if isinstance(entry["value"], dict) and not _is_stoichiometry_table(entry["value"]):
            raise InputError(
                f"parameter {key!r} in {path}: a table value needs 'stoichiometry' (distinct, "
                "0 to 1) and 'values' (> 0) lists of the same length, at least 2"
            )
    return document


def _is_stoichiometry_table(value: dict) -> bool:
    x, y = value.get("stoichiometry"), value.get("values")
    if not (isinstance(x, list) and isinstance(y, list) and len(x) == len(y) >= 2):
        return False
    try:
        return len(set(x)) == len(x) and all(0 <= v <= 1 for v in x) and all(v > 0 for v in y)
    except TypeError:
        return False


def _resolved_entries(name_or_path, seen=()) -> dict:
    document = read_parameter_file(name_or_path)
    entries = {}
    base = document.get("base")
    if base and base != document.get("name"):
        if base in seen:
            raise InputError(f"parameter set {name_or_path} has a circular 'base' chain")
        entries.update(_resolved_entries(base, (*seen, base)))
    entries.update(document["parameters"])
    return entries


def _import_function(spec: str):
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _value(name: str, entry_value):
    if isinstance(entry_value, str) and ":" in entry_value:
        return _import_function(entry_value)
    if isinstance(entry_value, dict):
        from .functions import stoichiometry_table

        return stoichiometry_table(entry_value["stoichiometry"], entry_value["values"], name)
    return entry_value


def load_parameter_set(name_or_path: str | os.PathLike) -> dict:
    """A parameter set as a dict for ``pybamm.ParameterValues`` (base resolved, functions imported).

    ``name_or_path`` is a sample name ("Ru-1"), a set name ("LRMO_Sun2025_Ru1") or a JSON file.
    """
    entries = _resolved_entries(name_or_path)
    values = {key: _value(key, entry["value"]) for key, entry in entries.items()}
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
