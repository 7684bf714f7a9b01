"""Readers from cycler files into one standard DataFrame.

The standard frame (``STANDARD_COLUMNS``), SI units throughout:

- ``time_s`` [s], strictly increasing;
- ``current_A`` [A], **discharge positive** (PyBaMM's convention: current leaves the positive
  terminal; for a cathode half cell vs Li metal, lithiation of the cathode is positive);
- ``voltage_V`` [V] of the working electrode against the counter/reference;
- ``step`` (int), ``cycle`` (int): the cycler's step and cycle counters (0 if the file has none);
- impedance files instead carry ``frequency_Hz`` [Hz], ``z_real_ohm`` [Ohm], ``z_imag_ohm`` [Ohm]
  with the usual sign (capacitive arcs have ``z_imag_ohm < 0``).

Every reader ends in :func:`check_timeseries` or :func:`check_impedance`, which raise
:class:`lrmo_cell.errors.InputError` with one sentence naming the file and what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from lrmo_cell.errors import InputError

TIMESERIES_COLUMNS = ("time_s", "current_A", "voltage_V", "step", "cycle")
IMPEDANCE_COLUMNS = ("frequency_Hz", "z_real_ohm", "z_imag_ohm")
STANDARD_COLUMNS = TIMESERIES_COLUMNS + IMPEDANCE_COLUMNS
#: frequencies a spectrum may hold [Hz]: impedance analysers span about 10 uHz to 10 MHz, and
#: these wider limits refuse only what none measures (1e300 Hz overflowed the DRT's matrices)
FREQUENCY_RANGE_HZ = (1e-9, 1e9)

# BioLogic EC-Lab column names (as galvani exposes them) -> (standard name, scale to SI)
_BIOLOGIC_COLUMNS = {
    "time/s": ("time_s", 1.0),
    "I/mA": ("current_A", 1e-3),
    "<I>/mA": ("current_A", 1e-3),
    "control/V/mA": ("current_A", 1e-3),  # the set-point, when no measured current is stored
    "Ewe/V": ("voltage_V", 1.0),
    "Ns": ("step", 1.0),
    "cycle number": ("cycle", 1.0),
    "freq/Hz": ("frequency_Hz", 1.0),
    "Re(Z)/Ohm": ("z_real_ohm", 1.0),
    "-Im(Z)/Ohm": ("z_imag_ohm", -1.0),
}

_SET_POINT = "control/V/mA"


def check_timeseries(frame: pd.DataFrame, source: str | Path = "data") -> pd.DataFrame:
    """Check a time-series frame in the standard layout and return it with clean dtypes.

    Rejects missing columns, NaN/inf values, and time that is not strictly increasing (a
    duplicated or unsorted time would silently corrupt pulse durations and fitted time
    constants, so it is an error rather than something to repair).
    """
    missing = [c for c in ("time_s", "current_A", "voltage_V") if c not in frame]
    if missing:
        raise InputError(
            f"{source}: missing column(s) {', '.join(missing)} (need time, current, voltage)."
        )
    out = frame.copy()
    for col in ("step", "cycle"):
        if col not in out:
            out[col] = 0
    out = out[list(TIMESERIES_COLUMNS)]
    values = out[["time_s", "current_A", "voltage_V"]].to_numpy(dtype=float)
    for col in ("step", "cycle"):
        counter = out[col].to_numpy(dtype=float)
        if not np.all(np.isfinite(counter) & (counter == np.round(counter))):
            raise InputError(f"{source}: {col} must hold whole numbers in every row.")
    if len(out) < 3:
        raise InputError(f"{source}: has {len(out)} rows; a time series needs at least 3.")
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        name = ("time_s", "current_A", "voltage_V")[col]
        raise InputError(f"{source}: {name} is NaN or infinite at row {row}; remove or fill it.")
    dt = np.diff(values[:, 0])
    if (dt <= 0).any():
        row = int(np.argmax(dt <= 0)) + 1
        raise InputError(
            f"{source}: time_s must be strictly increasing, but row {row} "
            f"({values[row, 0]:g} s) does not exceed the row before; sort or de-duplicate it."
        )
    out = out.astype({"time_s": float, "current_A": float, "voltage_V": float})
    return out.astype({"step": int, "cycle": int}).reset_index(drop=True)


def check_sign_convention(frame: pd.DataFrame, source: str | Path = "data") -> None:
    """Check that positive current (discharge) lowers the voltage of the working electrode.

    During a galvanostatic discharge the voltage falls with time and during a charge it rises;
    a file whose sign is flipped shows the opposite correlation in every step. The check uses the
    sign of the voltage change over each constant-current step and needs at least one step.
    """
    current = frame["current_A"].to_numpy()
    voltage = frame["voltage_V"].to_numpy()
    on = np.abs(current) > 1e-3 * np.max(np.abs(current), initial=0.0)
    if not on.any():
        return
    edges = np.flatnonzero(np.diff(np.r_[0, np.sign(current) * on, 0]))
    votes = 0.0
    for start, stop in zip(edges[:-1], edges[1:], strict=False):
        if on[start] and stop - start >= 3:
            votes += np.sign(current[start]) * np.sign(voltage[stop - 1] - voltage[start + 1])
    if votes > 0:
        raise InputError(
            f"{source}: voltage rises under positive current, so the current sign is charge-"
            "positive; pass charge_positive=True (CLI --charge-positive) to convert it to the "
            "discharge-positive convention."
        )


def check_impedance(frame: pd.DataFrame, source: str | Path = "data") -> pd.DataFrame:
    """Check an impedance frame (frequency_Hz, z_real_ohm, z_imag_ohm) and sort it by frequency.

    Frequencies must be in ``FREQUENCY_RANGE_HZ`` and unique. The frame is returned sorted from
    high to low frequency (the order of a usual sweep).
    """
    missing = [c for c in IMPEDANCE_COLUMNS if c not in frame]
    if missing:
        raise InputError(f"{source}: missing impedance column(s) {', '.join(missing)}.")
    out = frame[list(IMPEDANCE_COLUMNS)].astype(float)
    if len(out) < 5:
        raise InputError(f"{source}: has {len(out)} frequencies; a spectrum needs at least 5.")
    if not np.isfinite(out.to_numpy()).all():
        raise InputError(f"{source}: impedance columns contain NaN or infinite values.")
    low, high = FREQUENCY_RANGE_HZ
    if not out["frequency_Hz"].between(low, high).all():
        raise InputError(f"{source}: frequency_Hz must be in [{low:g}, {high:g}] Hz.")
    if not np.hypot(out["z_real_ohm"], out["z_imag_ohm"]).gt(0).any():
        raise InputError(f"{source}: the impedance is zero at every frequency.")
    if out["frequency_Hz"].duplicated().any():
        raise InputError(f"{source}: frequency_Hz has duplicated values; average or drop them.")
    return out.sort_values("frequency_Hz", ascending=False).reset_index(drop=True)


#: largest data file read; cycler exports of months of data stay far below this
MAX_FILE_BYTES = 2_000_000_000


def check_input_file(path: str | Path, text: bool = True) -> Path:
    """``path`` as a Path if it is a non-empty regular file (and, for a ``text`` format, does
    not look binary); else one sentence saying what it is instead."""
    if not str(path).strip():  # Path("") is the working folder
        raise InputError("data file name is empty; give the path of a data file.")
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a data file.")
    if not path.exists():
        raise InputError(f"{path}: file does not exist.")
    if not path.is_file():
        raise InputError(f"{path}: is not a regular file.")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: is empty.")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: is larger than {MAX_FILE_BYTES / 1e9:g} GB.")
    if text:
        with open(path, "rb") as stream:
            head = stream.read(8192)
        if b"\0" in head:
            raise InputError(f"{path}: is a binary file, not CSV text.")
    return path


def read_table(path: str | Path, **read_kwargs) -> pd.DataFrame:
    """A CSV file as a DataFrame, any failure of reading it said in one sentence."""
    path = check_input_file(path)
    try:
        raw = pd.read_csv(path, **read_kwargs)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: has no columns (an empty CSV).") from None
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        reason = str(err).splitlines()[0][:120] if str(err) else type(err).__name__
        raise InputError(f"{path}: cannot be read as CSV ({reason}).") from None
    if raw.empty:
        raise InputError(f"{path}: has a header but no rows.")
    return raw


def numeric_column(raw: pd.DataFrame, name: str, source, label: str | None = None) -> pd.Series:
    """Column ``name`` as floats; text where a number belongs is named with its row."""
    values = pd.to_numeric(raw[name], errors="coerce")
    text = values.isna() & raw[name].notna()
    if text.any():
        row = int(np.argmax(text.to_numpy()))
        shown = str(raw[name].iloc[row])[:30]
        raise InputError(f"{source}: {label or name} at row {row} is {shown!r}, not a number.")
    return values.astype(float)


def read_cycling_csv(
    path: str | Path, mass_g: float | None = None, charge_positive: bool = False
) -> pd.DataFrame:
    """A measured per-cycle table (``cycle``, ``charge_capacity_mAh_per_g``,
    ``discharge_capacity_mAh_per_g`` [, ``mean_discharge_voltage_V``]) with numeric columns;
    the per-cycle checks follow in :func:`lrmo_cell.fitting.cycling.check_cycling`.

    A cycler time series (BioLogic ``.mpr``/``.mpt`` through :func:`read_file`, or a CSV in the
    standard columns) is summarised cycle by cycle
    (:func:`lrmo_cell.fitting.cycling.cycles_from_timeseries`), which needs the active mass
    ``mass_g`` [g] of the measured electrode for its mAh/g; ``charge_positive`` flips a CSV's
    current as :func:`read_csv` does."""
    from lrmo_cell.fitting.cycling import REQUIRED, VOLTAGE, cycles_from_timeseries

    biologic = Path(path).suffix.lower() in (".mpr", ".mpt")
    if biologic:  # a missing or empty file is said as such before --mass-g is asked for
        check_input_file(path, text=False)
    raw = None if biologic else read_table(path)
    if biologic or "time_s" in raw:
        if mass_g is None or not 0 < mass_g < float("inf"):
            raise InputError(
                f"{path}: is a time series; fit cycling makes its per-cycle table ("
                f"{', '.join(REQUIRED)}) only with --mass-g, the active mass in g (> 0)."
            )
        frame = (
            read_file(path, kind="timeseries")
            if biologic
            else _to_standard(raw, path, {}, {}, charge_positive)
        )
        return cycles_from_timeseries(frame, mass_g, source=path)
    if "frequency_Hz" in raw:
        raise InputError(f"{path}: holds an impedance spectrum; fit cycling reads a per-cycle CSV.")
    out = raw.copy()
    for name in (*REQUIRED, VOLTAGE):
        if name in raw:
            out[name] = numeric_column(raw, name, path)
            bad = ~np.isfinite(out[name].to_numpy())
            if bad.any():
                row = int(np.argmax(bad))
                raise InputError(
                    f"{path}: {name} is empty, NaN or infinite at row {row}; remove or fill it."
                )
    return out


def read_csv(
    path: str | Path,
    columns: Mapping[str, str] | None = None,
    scale: Mapping[str, float] | None = None,
    charge_positive: bool = False,
    **read_kwargs,
) -> pd.DataFrame:
    """Read a CSV cycler export into the standard frame.

    Parameters
    ----------
    path : file name.
    columns : mapping standard name -> column name in the file, e.g.
        ``{"time_s": "Time [s]", "current_A": "Current [mA]"}``; standard names in the file are
        used as they are.
    scale : factor per standard name to reach SI units, e.g. ``{"current_A": 1e-3}`` for mA or
        ``{"time_s": 3600}`` for hours.
    charge_positive : the file's current is positive on charge (BioLogic, many cyclers); it is
        negated to the discharge-positive convention.
    read_kwargs : passed to :func:`pandas.read_csv` (``sep``, ``skiprows`` ...).
    """
    raw = read_table(path, **read_kwargs)  # checks the name as given ("" is no folder)
    return _to_standard(raw, Path(path), columns or {}, scale or {}, charge_positive)


def read_mpr(path: str | Path) -> pd.DataFrame:
    """Read a BioLogic EC-Lab ``.mpr`` file through galvani into the standard frame.

    BioLogic reports current positive on oxidation (charge of a cathode), in mA, and the imaginary
    impedance as ``-Im(Z)``; both are converted here. Returns an impedance frame when the file has
    frequency columns, otherwise a time series.
    """
    from galvani import BioLogic

    path = check_input_file(path, text=False)
    try:
        mpr = BioLogic.MPRfile(str(path))
    except Exception as err:  # galvani raises bare ValueError/KeyError/struct.error on bad files
        reason = str(err).splitlines()[0][:120] if str(err) else type(err).__name__
        raise InputError(f"{path}: is not a readable BioLogic .mpr file ({reason}).") from None
    raw = pd.DataFrame(mpr.data)
    return from_biologic_columns(raw, path)


def from_biologic_columns(raw: pd.DataFrame, source: str | Path) -> pd.DataFrame:
    """Convert a frame with EC-Lab column names (``.mpr`` via galvani, or ``.mpt``) to standard."""
    columns, scale = {}, {}
    for name, (std, factor) in _BIOLOGIC_COLUMNS.items():
        if name in raw and std not in columns:
            columns[std], scale[std] = name, factor
    if columns.get("current_A") == _SET_POINT:
        # a set-point holds from its own row on, while the standard frame's current of a row is
        # the one over the interval before it; where the set-point changes, the switch fell at
        # an unknown moment of that interval (EC-Lab logs one row at each switch, so it is short)
        # and the interval counts as a rest
        set_point = pd.to_numeric(raw[_SET_POINT], errors="coerce")
        changed = set_point.ne(set_point.shift()) & (np.arange(len(raw)) > 0)
        raw = raw.assign(**{_SET_POINT: set_point.mask(changed, 0.0)})
    # EC-Lab: charge (oxidation) positive -> negate into discharge-positive
    if "current_A" in scale:
        scale["current_A"] = -scale["current_A"]
    return _to_standard(raw, source, columns, scale, charge_positive=False)


KINDS = {
    "timeseries": "a time series (time_s, current_A, voltage_V)",
    "impedance": "an impedance spectrum (frequency_Hz, z_real_ohm, z_imag_ohm)",
}


def read_file(path: str | Path, kind: str | None = None, **kwargs) -> pd.DataFrame:
    """Read any supported file by extension: ``.mpr`` (galvani), ``.mpt``, else CSV.

    ``kind`` ("timeseries" or "impedance") is what the caller needs; a file of the other kind
    is refused in one sentence rather than failing somewhere inside the analysis.
    """
    # read_mpr and read_table check the file themselves
    suffix = Path(path).suffix.lower()
    if suffix == ".mpr":
        frame = read_mpr(path)
    elif suffix == ".mpt":
        from galvani import BioLogic

        path = check_input_file(path)
        try:
            data, _ = BioLogic.MPTfile(str(path), encoding="latin1")
        except Exception as err:  # galvani raises bare ValueError/KeyError on bad files
            reason = str(err).splitlines()[0][:120] if str(err) else type(err).__name__
            raise InputError(f"{path}: is not a readable BioLogic .mpt file ({reason}).") from None
        frame = from_biologic_columns(pd.DataFrame(data), path)
    else:
        frame = read_csv(path, **kwargs)
    found = "impedance" if "frequency_Hz" in frame else "timeseries"
    if kind is not None and found != kind:
        raise InputError(f"{path}: holds {KINDS[found]}, but this needs {KINDS[kind]}.")
    return frame


def _to_standard(raw, source, columns, scale, charge_positive) -> pd.DataFrame:
    renamed = {}
    for std in STANDARD_COLUMNS:
        name = columns.get(std, std)
        if name in raw:
            renamed[std] = numeric_column(raw, name, source, std) * scale.get(std, 1.0)
        elif std in columns:
            raise InputError(
                f"{source}: column {name!r} (mapped to {std}) is not in the file; "
                f"it has {', '.join(map(str, raw.columns))}."
            )
    frame = pd.DataFrame(renamed)
    if charge_positive and "current_A" in frame:
        frame["current_A"] = -frame["current_A"]
    if "frequency_Hz" in frame:
        return check_impedance(frame, source)
    if "time_s" not in frame:
        raise InputError(
            f"{source}: holds neither a time series (columns time_s, current_A, voltage_V) nor "
            f"a spectrum (frequency_Hz, z_real_ohm, z_imag_ohm); it has "
            f"{', '.join(map(str, raw.columns))}."
        )
    frame = check_timeseries(frame, source)
    check_sign_convention(frame, source)
    return frame
