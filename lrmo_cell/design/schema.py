"""Design files (TOML) -> a validated :class:`~lrmo_cell.design.core.Design`.

Every number in a design file is written as ``{value = ..., source = "..."}`` so that its origin
travels with it; material constants have sourced defaults here (``sourced(...)``) and may be
overridden in a file. Strings (names, ``anode.type``) need no source.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lrmo_cell.design.core import Design, range_text
from lrmo_cell.errors import InputError

CLI_SOURCE = "set on the command line (--set)"
CRC = "CRC Handbook of Chemistry and Physics, 97th ed. (2016), density of the element at 20 C"


def sourced(default: float, source: str, **constraints: Any):
    """A field default that carries its source (reported with the design's inputs)."""
    return Field(default=default, json_schema_extra={"source": source}, **constraints)


class _Section(BaseModel):
    # nan and inf pass a range check that is written as comparisons; refuse them outright
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Cell(_Section):
    electrode_width_mm: float = Field(gt=0, le=2000, description="cathode coated width")
    electrode_height_mm: float = Field(gt=0, le=2000, description="cathode coated height")
    n_cathode_layers: int = Field(ge=1, le=500, description="double-sided cathode sheets")


#: ``cathode.performance_from`` value that asks the LRMO model for the cathode's performance
MODEL = "model"


class Cathode(_Section):
    material: str = "cathode"
    # the parameter set of the cathode material, which the physics coupling runs
    parameter_set: str | None = None
    performance_from: str | None = None
    c_rate: float | None = Field(default=None, gt=0, le=100)
    specific_capacity_mAh_per_g: float | None = Field(default=None, gt=0, le=1000)
    mean_voltage_V: float | None = Field(default=None, gt=0, le=6)
    first_cycle_efficiency: float = Field(gt=0, le=1)
    active_fraction: float = Field(gt=0, le=1)
    carbon_fraction_of_inactive: float = Field(ge=0, le=1)
    loading_mg_per_cm2: float = Field(gt=0, le=200)
    porosity: float | None = Field(default=None, gt=0, lt=1)
    coating_density_g_per_cm3: float | None = Field(default=None, gt=0, le=10)
    active_density_g_per_cm3: float = sourced(
        4.22,
        "computed: Li1.2Mn0.555Ni0.158Co0.08O2 (composition, doi 10.1039/d5ee00430f), R-3m, Z=3,"
        " with assumed typical LRMO lattice a = 2.85 A, c = 14.24 A",
        gt=0,
        le=10,
    )
    carbon_density_g_per_cm3: float = sourced(
        1.9, "assumed: skeletal density of carbon black (Super P class), 1.8-2.0 g/cm3", gt=0, le=5
    )
    binder_density_g_per_cm3: float = sourced(
        1.78, "assumed: PVDF, 1.75-1.80 g/cm3 (manufacturer data sheets)", gt=0, le=5
    )
    foil_thickness_um: float = Field(gt=0, le=100, description="Al current collector")
    foil_density_g_per_cm3: float = sourced(2.70, CRC + " (Al)", gt=0, le=25)

    @model_validator(mode="after")
    def _one_way_each(self):
        explicit = (self.specific_capacity_mAh_per_g, self.mean_voltage_V)
        if self.performance_from is not None:
            if any(v is not None for v in explicit):
                raise ValueError(
                    "give either cathode.performance_from (with cathode.c_rate) or "
                    "cathode.specific_capacity_mAh_per_g and cathode.mean_voltage_V, not both"
                )
            if self.c_rate is None:
                raise ValueError("cathode.performance_from needs cathode.c_rate (> 0)")
            if self.performance_from == MODEL and self.parameter_set is None:
                raise ValueError(
                    f'cathode.performance_from = "{MODEL}" needs cathode.parameter_set '
                    "(the set the model runs, e.g. Ru-1)"
                )
        elif any(v is None for v in explicit):
            raise ValueError(
                "cathode needs specific_capacity_mAh_per_g and mean_voltage_V "
                "(or performance_from with c_rate)"
            )
        if (self.porosity is None) == (self.coating_density_g_per_cm3 is None):
            raise ValueError("cathode needs exactly one of porosity or coating_density_g_per_cm3")
        return self


class _Anode(_Section):
    overhang_mm: float = Field(ge=0, le=50, description="anode beyond cathode, each edge")
    foil_thickness_um: float = Field(ge=0, le=100, description="Cu current collector (0: none)")
    foil_density_g_per_cm3: float = sourced(8.96, CRC + " (Cu)", gt=0, le=25)


class LiMetalAnode(_Anode):
    type: Literal["li_metal"]
    li_thickness_um: float = Field(gt=0, le=1000, description="Li per side")
    li_density_g_per_cm3: float = sourced(0.534, CRC + " (Li)", gt=0, le=5)


class GraphiteAnode(_Anode):
    type: Literal["graphite"]
    n_p_ratio: float = Field(ge=1, le=5)
    specific_capacity_mAh_per_g: float = Field(gt=0, le=1000)
    first_cycle_efficiency: float = Field(gt=0, le=1)
    active_fraction: float = Field(gt=0, le=1)
    porosity: float = Field(gt=0, lt=1)
    mean_voltage_V: float = Field(ge=0, le=2, description="mean delithiation potential vs Li")
    active_density_g_per_cm3: float = sourced(2.26, CRC + " (graphite)", gt=0, le=10)
    inactive_density_g_per_cm3: float = sourced(
        1.3, "assumed: CMC (1.6) / SBR (0.96) / carbon black (1.9) blend", gt=0, le=5
    )


class Separator(_Section):
    thickness_um: float = Field(gt=0, le=200)
    porosity: float = Field(gt=0, lt=1)
    overhang_mm: float = Field(ge=0, le=50, description="separator beyond anode, each edge")
    density_g_per_cm3: float = sourced(
        0.95, "assumed: polyethylene skeletal density (HDPE 0.94-0.97 g/cm3)", gt=0, le=5
    )


class Electrolyte(_Section):
    g_per_Ah: float | None = Field(default=None, gt=0, le=100)
    pore_fill_fraction: float | None = Field(default=None, gt=0, le=1)
    excess_fraction: float | None = Field(default=None, ge=0, le=10)
    density_g_per_cm3: float = sourced(
        1.25, "assumed: 1 M LiPF6 in carbonate solvents, 1.2-1.3 g/cm3", gt=0, le=5
    )

    @model_validator(mode="after")
    def _one_mode(self):
        pore_mode = self.pore_fill_fraction is not None or self.excess_fraction is not None
        if (self.g_per_Ah is not None) == pore_mode:
            raise ValueError(
                "electrolyte needs either g_per_Ah or pore_fill_fraction with excess_fraction"
            )
        if pore_mode and (self.pore_fill_fraction is None or self.excess_fraction is None):
            raise ValueError("electrolyte needs both pore_fill_fraction and excess_fraction")
        return self


class Tabs(_Section):
    positive_width_mm: float = Field(gt=0, le=500)
    positive_length_mm: float = Field(gt=0, le=500)
    positive_thickness_um: float = Field(gt=0, le=2000)
    positive_density_g_per_cm3: float = sourced(2.70, CRC + " (Al tab)", gt=0, le=25)
    negative_width_mm: float = Field(gt=0, le=500)
    negative_length_mm: float = Field(gt=0, le=500)
    negative_thickness_um: float = Field(gt=0, le=2000)
    negative_density_g_per_cm3: float = sourced(8.90, CRC + " (Ni tab)", gt=0, le=25)


class Pouch(_Section):
    laminate_thickness_um: float = Field(gt=0, le=1000)
    laminate_density_g_per_cm3: float = sourced(
        1.6,
        "assumed: Al-laminate film (nylon 25 um / Al 40 um / CPP 40 um + adhesives), "
        "layer-weighted density about 1.6 g/cm3",
        gt=0,
        le=10,
    )
    side_seal_mm: float = Field(ge=0, le=100)
    top_seal_mm: float = Field(ge=0, le=100, description="tab side")
    bottom_seal_mm: float = Field(ge=0, le=100)


class DesignFile(_Section):
    name: str
    description: str = ""
    cell: Cell
    cathode: Cathode
    anode: Annotated[LiMetalAnode | GraphiteAnode, Field(discriminator="type")]
    separator: Separator
    electrolyte: Electrolyte
    tabs: Tabs
    pouch: Pouch

    @model_validator(mode="after")
    def _model_performance_needs_li_metal(self):
        if self.cathode.performance_from == MODEL and self.anode.type != "li_metal":
            raise ValueError(
                f'cathode.performance_from = "{MODEL}" is for Li-metal designs (a graphite '
                "cell's capacity is set by its Li inventory, not by the cathode alone); "
                "use lrmo-cell design --at-rate for a graphite design"
            )
        return self

    @model_validator(mode="after")
    def _graphite_cell_is_a_cell(self):
        """Refuse inputs, each in its range, that together give a negative voltage or capacity."""
        if self.anode.type != "graphite":
            return self
        cathode_v, anode_v = self.cathode.mean_voltage_V, self.anode.mean_voltage_V
        # the cell's mean voltage is their difference (None: the cathode's comes from a set)
        if cathode_v is not None and cathode_v <= anode_v:
            raise ValueError(
                f"cathode.mean_voltage_V must be above anode.mean_voltage_V ({anode_v:g} V), "
                f"got {cathode_v:g} V"
            )
        # the Li-inventory balance of core.li_inventory_limited_capacity is positive only if
        # 1/ICE_c > N/P (1/ICE_a - 1)
        n_p = self.anode.n_p_ratio
        lowest = n_p / (n_p + 1 / self.cathode.first_cycle_efficiency)
        if self.anode.first_cycle_efficiency <= lowest:
            raise ValueError(
                f"anode.first_cycle_efficiency must be above {lowest:.3g} for this design "
                "(N/P / (N/P + 1/cathode.first_cycle_efficiency)), else the graphite's first "
                f"charge keeps all the cathode's Li, got {self.anode.first_cycle_efficiency:g}"
            )
        return self


SECTIONS = {
    "cell": (Cell,),
    "cathode": (Cathode,),
    "anode": (LiMetalAnode, GraphiteAnode),
    "separator": (Separator,),
    "electrolyte": (Electrolyte,),
    "tabs": (Tabs,),
    "pouch": (Pouch,),
}
_ANODE_TAGS = ("li_metal", "graphite")


def known_fields() -> list[str]:
    """Every ``section.field`` name a design file may contain (over both anode types)."""
    names = {f"{s}.{f}" for s, models in SECTIONS.items() for m in models for f in m.model_fields}
    return sorted(names)


def resolve_design_path(name_or_path: str | Path) -> Path:
    """A design file path, or the bare name of a file in the packaged ``designs/`` folder.

    Only a bare name (no folder, e.g. ``ru1_graphite`` or ``ru1_graphite.toml``) looks in
    ``designs/``: a path that does not exist is an error, never a packaged file that happens
    to share its file name.
    """
    from lrmo_cell.resources import data_dir

    text = str(name_or_path)
    if not text.strip():  # Path("") is the working folder
        raise InputError("design file name is empty; give a .toml file or a design name")
    path = Path(text)
    if path.is_file():
        return path
    if path.is_dir():
        raise InputError(f"design file {text!r} is a folder; give a .toml file or a design name")
    available = sorted(p.stem for p in data_dir("designs").glob("*.toml"))
    is_bare_name = path.name == text and text not in ("", ".", "..")
    if is_bare_name:
        for candidate in (data_dir("designs") / text, data_dir("designs") / f"{text}.toml"):
            if candidate.is_file():
                return candidate
        raise InputError(
            f"design {text!r} is neither a file here nor one of designs/: "
            f"{', '.join(available) or 'none'}"
        )
    raise InputError(f"design file {text!r} does not exist")


def parse_set(items: list[str] | None) -> dict[str, Any]:
    """``["cathode.porosity=0.3", ...]`` -> ``{"cathode.porosity": 0.3}`` (numbers or strings)."""
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or "." not in key or not text.strip():
            raise InputError(
                f"--set takes SECTION.FIELD=VALUE (e.g. cathode.porosity=0.3), got {item!r}"
            )
        out[key] = _parse_scalar(text.strip())
    return out


def _parse_scalar(text: str) -> Any:
    """A number where the text is one, else the text (names such as anode.type); "nan", "inf"
    and their kin stay text, so a numeric field refuses them as not a number."""
    for kind in (int, float):
        try:
            value = kind(text)
        except ValueError:
            continue
        if kind is int or math.isfinite(value):
            return value
    return text


def load_design(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> Design:
    """Read, override (``--set``) and validate a design file; resolve the cathode's performance.

    Raises :class:`InputError` with one sentence naming the field and its allowed range.
    """
    path = resolve_design_path(name_or_path)
    raw = _read_toml(path)
    values, sources = _split_sources(raw)
    overrides = overrides or {}
    if "cathode.performance_from" in overrides:
        # choosing a parameter set on the command line replaces the file's own two numbers
        for field in ("specific_capacity_mAh_per_g", "mean_voltage_V"):
            if f"cathode.{field}" not in overrides:
                values.get("cathode", {}).pop(field, None)
    for key, value in overrides.items():
        section, _, field = key.partition(".")
        if key not in known_fields():
            raise InputError(_unknown_field_message(key))
        values.setdefault(section, {})[field] = value
        sources[key] = CLI_SOURCE
    try:
        model = DesignFile.model_validate(values)
    except ValidationError as err:
        raise InputError(_first_error_sentence(err, model_bounds(values))) from None
    return _to_design(model, sources, path)


MAX_DESIGN_BYTES = 1_000_000  # a design file is a page of text; the packaged ones are ~5 kB


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML document of a design file that may be anything: binary, huge, deeply nested."""
    if path.stat().st_size > MAX_DESIGN_BYTES:
        raise InputError(f"design file {path} is larger than {MAX_DESIGN_BYTES / 1e6:g} MB")
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        raise InputError(f"design file {path} is a binary file, not TOML text")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"design file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"design file {path} is not valid TOML: {err}") from None
    except RecursionError:
        raise InputError(f"design file {path} is nested too deeply to be a design") from None


def _split_sources(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Separate ``{value, source}`` leaves into plain values and a flat source map."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for section, body in raw.items():
        if not isinstance(body, dict):
            values[section] = body
            continue
        if section not in SECTIONS:
            # said before its fields, whose bare numbers would otherwise be asked for sources
            raise InputError(_unknown_field_message(section))
        values[section] = {}
        for field, leaf in body.items():
            key = f"{section}.{field}"
            if isinstance(leaf, dict):
                if set(leaf) != {"value", "source"} or not str(leaf["source"]).strip():
                    raise InputError(f'{key} must be written as {{value = ..., source = "..."}}')
                if isinstance(leaf["value"], bool | dict | list):
                    kind = "true/false" if isinstance(leaf["value"], bool) else "a table or list"
                    raise InputError(f"{key} must be a number or a name, got {kind}")
                values[section][field] = leaf["value"]
                sources[key] = str(leaf["source"])
            elif isinstance(leaf, bool):
                raise InputError(f"{key} must be a number or a name, got true/false")
            elif isinstance(leaf, (int, float)):
                raise InputError(
                    f'{key} = {leaf} needs its source: write {{value = {leaf}, source = "..."}}'
                )
            else:
                values[section][field] = leaf
    return values, sources


def model_bounds(values: dict[str, Any] | None = None) -> dict[str, tuple]:
    """``section.field -> (gt, ge, lt, le)`` from the pydantic constraints (one source of truth)."""
    anode = (values or {}).get("anode")
    anode_type = anode.get("type", "li_metal") if isinstance(anode, dict) else "li_metal"
    bounds = {}
    for section, models in SECTIONS.items():
        model = models[0] if len(models) == 1 else _ANODE_MODELS.get(anode_type, models[0])
        for field, info in model.model_fields.items():
            limits = {"gt": None, "ge": None, "lt": None, "le": None}
            for meta in info.metadata:
                for name in limits:
                    if getattr(meta, name, None) is not None:
                        limits[name] = getattr(meta, name)
            if any(v is not None for v in limits.values()):
                bounds[f"{section}.{field}"] = tuple(limits.values())
    return bounds


_ANODE_MODELS = {"li_metal": LiMetalAnode, "graphite": GraphiteAnode}


# pydantic's errors for text, nan or a fraction where a (whole) number belongs
_NOT_A_NUMBER = {
    "float_parsing",
    "float_type",
    "finite_number",
    "int_parsing",
    "int_from_float",
    "int_type",
}


def _first_error_sentence(err: ValidationError, bounds: dict[str, tuple]) -> str:
    first = err.errors()[0]
    loc = [str(p) for p in first["loc"] if p not in _ANODE_TAGS]
    field = ".".join(loc) or "design"
    if first["type"] == "extra_forbidden":
        return _unknown_field_message(field)
    if first["type"] == "missing":
        return f"{field} is missing from the design file"
    if first["type"] == "union_tag_invalid":
        # the input of this error is the whole [anode] table; its tag is the type given
        return f"anode.type must be one of {', '.join(_ANODE_TAGS)}, got {first['ctx']['tag']!r}"
    if field in bounds and first["type"] in {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
    }:
        return f"{field} must be {range_text(bounds[field])}, got {first['input']!r}"
    if field in bounds and first["type"] in _NOT_A_NUMBER:
        kind = "a whole number" if first["type"].startswith("int") else "a number"
        return f"{field} must be {kind} {range_text(bounds[field])}, got {first['input']!r}"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "value_error":
        return message
    return f"{field}: {message[0].lower() + message[1:]} (got {first.get('input')!r})"


def _unknown_field_message(field: str) -> str:
    close = difflib.get_close_matches(field, known_fields(), n=3)
    if close:
        return f"unknown design field {field!r}; did you mean {' or '.join(close)}?"
    section = field.partition(".")[0]
    same = [k for k in known_fields() if k.startswith(section + ".")]
    listing = ", ".join(same) if same else ", ".join(f"[{s}]" for s in SECTIONS)
    return f"unknown design field {field!r}; known: {listing}"


def _to_design(model: DesignFile, sources: dict[str, str], path: Path) -> Design:
    """Flatten the validated model: numbers -> ``values``, strings -> ``options``."""
    from lrmo_cell.design.performance import read_performance

    values: dict[str, float] = {}
    options: dict[str, str] = {}
    integer_fields = set()
    for section in SECTIONS:
        sub = getattr(model, section)
        for field, info in type(sub).model_fields.items():
            key = f"{section}.{field}"
            value = getattr(sub, field)
            if value is None:
                continue
            if isinstance(value, str):
                options[key] = value
                continue
            values[key] = float(value)
            if isinstance(value, int):
                integer_fields.add(key)
            if key not in sources:
                sources[key] = (info.json_schema_extra or {}).get("source", "default")
    if model.cathode.parameter_set is not None:
        _check_parameter_set(model.cathode.parameter_set, path.parent, model.anode.type)
    if model.cathode.performance_from not in (None, MODEL):
        perf = read_performance(model.cathode.performance_from, model.cathode.c_rate, path.parent)
        for field in ("specific_capacity_mAh_per_g", "mean_voltage_V"):
            values[f"cathode.{field}"] = perf[field]
            sources[f"cathode.{field}"] = perf["source"]
    return Design(
        name=model.name,
        description=model.description,
        values=values,
        sources={k: sources[k] for k in values},
        options=options,
        bounds=model_bounds({"anode": {"type": model.anode.type}}),
        integer_fields=frozenset(integer_fields),
        path=str(path),
    )


def _check_parameter_set(name_or_path: str, relative_to: Path, anode_type: str) -> None:
    """Refuse a cathode.parameter_set that names no set, or a set of the other kind of cell
    (graphite full cell vs half cell against Li metal), at load, before any model runs."""
    from lrmo_cell.parameters.io import parameter_sources, resolve_parameter_file

    try:
        path = resolve_parameter_file(name_or_path, relative_to)
        full_cell = "Negative particle radius [m]" in parameter_sources(path)
    except InputError as err:
        raise InputError(f"cathode.parameter_set: {err}") from None
    graphite = anode_type == "graphite"
    if full_cell != graphite:
        wanted = "a graphite full-cell set" if graphite else "a half-cell set against Li metal"
        raise InputError(
            f"cathode.parameter_set must be {wanted} for this {anode_type} design, got {path.stem}"
        )
