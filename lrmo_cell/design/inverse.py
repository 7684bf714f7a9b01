"""Inverse design: the value of one input field that makes an output hit a target.

The output is scanned over the search interval with one vectorised :func:`evaluate` call (this
finds every bracket, and the reachable range when there is none), then the first bracket is
refined with Brent's method (``scipy.optimize.brentq``). Integer fields (layer count) take the
integer whose output is nearest the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lrmo_cell.design.core import SCALAR_OUTPUTS, Design, check_ranges, evaluate
from lrmo_cell.errors import InputError


@dataclass(frozen=True)
class Solution:
    field: str
    value: float
    target: str
    target_value: float
    achieved: float
    interval: tuple[float, float]
    design: Design
    note: str = ""


def search_interval(design: Design, field: str) -> tuple[float, float]:
    """Default interval: a decade either side of the design's value, inside the field's range."""
    base = design.values[field]
    gt, ge, lt, le = design.bounds.get(field, (None, None, None, None))
    if field in design.integer_fields:
        lo = int(ge if ge is not None else np.floor(gt) + 1)
        return float(lo), float(le if le is not None else max(10 * base, lo + 1))
    lo, hi = (base / 10, base * 10) if base > 0 else (0.0, le if le is not None else 10.0)
    if gt is not None:
        lo = max(lo, gt + 1e-9 * max(1.0, abs(gt)))
    if ge is not None:
        lo = max(lo, ge)
    if lt is not None:
        hi = min(hi, lt - 1e-9 * max(1.0, abs(lt)))
    if le is not None:
        hi = min(hi, le)
    return float(lo), float(hi)


def solve(
    design: Design,
    field: str,
    target: str,
    target_value: float,
    interval: tuple[float, float] | None = None,
    n_scan: int = 401,
) -> Solution:
    """Solve ``evaluate(design, {field: x})[target] == target_value`` for ``x``.

    Raises :class:`InputError` naming the reachable range when the target cannot be met.
    """
    from scipy.optimize import brentq

    if target not in SCALAR_OUTPUTS:
        raise InputError(f"--target must be one of {', '.join(SCALAR_OUTPUTS)}, got {target!r}")
    check_ranges(design, {field: design.values.get(field, np.nan)}, where="--solve")
    lo, hi = interval if interval is not None else search_interval(design, field)
    if not lo < hi:
        raise InputError(f"--bounds must have LOW < HIGH, got {lo:g}:{hi:g}")
    integer = field in design.integer_fields
    grid = np.arange(np.ceil(lo), np.floor(hi) + 1) if integer else np.linspace(lo, hi, n_scan)
    check_ranges(design, {field: grid}, where="--bounds")
    y = evaluate(design, {field: grid})[target]
    gap = y - target_value
    finite = np.isfinite(gap)
    if not np.any(finite):
        raise InputError(f"{target} is undefined for {field} in [{lo:g}, {hi:g}]")
    crossings = np.flatnonzero(np.sign(gap[:-1]) * np.sign(gap[1:]) <= 0)
    if integer:
        best = int(np.nanargmin(np.abs(gap)))
        if crossings.size == 0 and best in (0, grid.size - 1):
            _raise_unreachable(field, target, target_value, grid, y, lo, hi)
        x, note = float(grid[best]), "nearest whole number"
    elif crossings.size == 0:
        _raise_unreachable(field, target, target_value, grid, y, lo, hi)
    else:
        i = int(crossings[0])

        def residual(x):
            return float(evaluate(design, {field: x}, check=False)[target]) - target_value

        x = (
            grid[i]
            if gap[i] == 0
            else brentq(residual, grid[i], grid[i + 1], xtol=1e-12, rtol=1e-12)
        )
        x = float(x)
        note = (
            ""
            if crossings.size == 1
            else (f"{crossings.size} solutions in the interval; the lowest is given")
        )
    solved = design.with_values({field: x}, source=f"solved for {target} = {target_value:g}")
    achieved = float(evaluate(solved)[target])
    return Solution(field, x, target, target_value, achieved, (lo, hi), solved, note)


def _raise_unreachable(field, target, target_value, grid, y, lo, hi):
    if target_value > np.nanmax(y):
        word, i = "maximum", int(np.nanargmax(y))
    else:
        word, i = "minimum", int(np.nanargmin(y))
    raise InputError(
        f"{target} = {target_value:g} is unreachable by varying {field} in [{lo:g}, {hi:g}]: "
        f"the {word} is {y[i]:.4g} at {field} = {grid[i]:.4g}"
    )
