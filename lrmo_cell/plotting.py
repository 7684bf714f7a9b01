"""Words for figures: a quantity's code name (``cathode.loading_mg_per_cm2``,
``specific_energy_Wh_per_kg``) as an axis label with its unit (``cathode loading [mg/cm²]``),
so that no figure shows a code identifier. Pure strings; no matplotlib here."""

from __future__ import annotations

# unit suffixes of the project's plain-Python names, longest first so that "_mAh_per_g" wins
# over "_g"
_UNITS = (
    ("_mAh_per_cm2", "mAh/cm²"),
    ("_USD_per_kWh", "USD/kWh"),
    ("_umol_per_g", "µmol/g"),
    ("_mg_per_ml", "mg/mL"),
    ("_mg_per_cm2", "mg/cm²"),
    ("_g_per_cm3", "g/cm³"),
    ("_mAh_per_g", "mAh/g"),
    ("_Wh_per_kg", "Wh/kg"),
    ("_Wh_per_L", "Wh/L"),
    ("_g_per_Ah", "g/Ah"),
    ("_cm3", "cm³"),
    ("_um", "µm"),
    ("_mm", "mm"),
    ("_Ah", "Ah"),
    ("_Wh", "Wh"),
    ("_V", "V"),
    ("_g", "g"),
)
_WORDS = {"n_p": "N/P", "li": "Li", "al": "Al", "cu": "Cu", "n": "number of", "rucl3": "RuCl3"}


def quantity_label(name: str) -> str:
    """``"cathode.loading_mg_per_cm2"`` -> ``"cathode loading [mg/cm²]"``,
    ``"electrolyte.g_per_Ah"`` -> ``"electrolyte [g/Ah]"``, ``"n_p_ratio"`` -> ``"N/P ratio"``."""
    text, unit = f"_{name.replace('.', ' _')}", ""
    for suffix, symbol in _UNITS:
        if text.endswith(suffix):
            text, unit = text[: -len(suffix)], symbol
            break
    words = []
    for part in text.split(" "):
        part = part.strip("_")
        for short, long in _WORDS.items():
            if part == short or part.startswith(short + "_"):
                part = long + part[len(short) :]
                break
        if part:
            words.append(part.replace("_", " "))
    return " ".join(words) + (f" [{unit}]" if unit else "")
