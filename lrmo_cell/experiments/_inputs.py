"""Checks of the experiments' options: each failure is one sentence naming the option and its
allowed range (the CLI prints it and exits 2)."""

from __future__ import annotations

import math

from lrmo_cell.errors import InputError

MAX_C_RATE = 20.0
VOLTAGE_RANGE_V = (1.5, 5.0)


def check(ok: bool, message: str) -> None:
    if not ok:
        raise InputError(message)


def positive(name: str, value, upper: float = math.inf, unit: str = "") -> float:
    """``value`` as a float in (0, upper]."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    bound = "" if math.isinf(upper) else f" and <= {upper:g}{unit}"
    shown = f"{number:g}" if math.isfinite(number) else repr(value)  # not np.float64(0.0)
    check(0 < number <= upper, f"{name} must be > 0{unit}{bound}, got {shown}")
    return number


def c_rate(name: str, value) -> float:
    return positive(name, value, MAX_C_RATE)


def window(v_min, v_max) -> tuple[float, float]:
    low, high = VOLTAGE_RANGE_V
    check(
        low <= v_min < v_max <= high,
        f"need {low} <= v_min < v_max <= {high} V, got v_min={v_min}, v_max={v_max}",
    )
    return float(v_min), float(v_max)


def choice(name: str, value, allowed: tuple) -> str:
    check(value in allowed, f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def count(name: str, value, low: int, high: int):
    """An integer in [low, high], or None."""
    if value is None:
        return None
    check(
        isinstance(value, int | float) and int(value) == value and low <= value <= high,
        f"{name} must be an integer from {low} to {high}, got {value!r}",
    )
    return int(value)
