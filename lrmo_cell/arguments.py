"""Argument types for the command line: every number is checked where argparse reads it.

``number("--mass-g", gt=0, unit="g")`` is an argparse ``type`` that accepts a finite number in
range and refuses anything else (text, ``nan``, ``inf``, ``true``, out of range) with one
sentence naming the option (argparse puts it first) and the allowed range; argparse then exits
with status 2 before any work.
"""

from __future__ import annotations

import argparse
import math


def range_text(gt=None, ge=None, lt=None, le=None, unit: str = "") -> str:
    """``"> 0 g"``, ``"in [0, 5000]"`` ... for the limits given."""
    unit = f" {unit}" if unit else ""
    low = (f"({gt:g}", gt) if gt is not None else (f"[{ge:g}", ge) if ge is not None else None
    high = (f"{lt:g})", lt) if lt is not None else (f"{le:g}]", le) if le is not None else None
    if low and high:
        return f"in {low[0]}, {high[0]}{unit}"
    if low:
        return f"{'>' if gt is not None else '>='} {low[1]:g}{unit}"
    if high:
        return f"{'<' if lt is not None else '<='} {high[1]:g}{unit}"
    return f"a finite number{unit}"


def number(option: str, gt=None, ge=None, lt=None, le=None, unit: str = "", integer=False, name=""):
    """An argparse type for ``option``: a finite (whole, if ``integer``) number in range.

    ``name`` is the Python parameter the option feeds (``c_rate``), said in the message too, so
    that it reads the same to users of the command line and of the Python functions.
    """
    allowed = range_text(gt, ge, lt, le, unit)
    kind = f"{name + ' ' if name else ''}must be {'a whole number' if integer else 'a number'}"

    def parse(text: str):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{kind} {allowed}, got {text[:40]!r}") from None
        if not math.isfinite(value) or (integer and value != int(value)):
            raise argparse.ArgumentTypeError(f"{kind} {allowed}, got {text[:40]!r}")
        for limit, fails in ((gt, value <= (gt or 0)), (ge, value < (ge or 0))):
            if limit is not None and fails:
                raise argparse.ArgumentTypeError(f"{kind} {allowed}, got {text!r}")
        for limit, fails in ((lt, value >= (lt or 0)), (le, value > (le or 0))):
            if limit is not None and fails:
                raise argparse.ArgumentTypeError(f"{kind} {allowed}, got {text!r}")
        return int(value) if integer else value

    parse.__name__ = option  # argparse names the type in its own messages
    return parse
