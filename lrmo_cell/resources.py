"""One place that finds the packaged data folders (parameter_sets/, designs/, validation/).

In a source checkout or editable install they are the folders at the repository root; in a wheel
they are copied into ``lrmo_cell/_data`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
DATA_FOLDERS = ("parameter_sets", "designs", "validation")


def data_dir(folder: str) -> Path:
    """Return the directory of one of the packaged data folders."""
    if folder not in DATA_FOLDERS:
        raise ValueError(f"data folder must be one of {', '.join(DATA_FOLDERS)}, got {folder!r}")
    for candidate in (_PACKAGE_DIR / "_data" / folder, _PACKAGE_DIR.parent / folder):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"packaged data folder {folder!r} is missing from this installation")


def data_path(folder: str, name: str) -> Path:
    """Return the path of file ``name`` inside packaged data folder ``folder``."""
    path = data_dir(folder) / name
    if not path.exists():
        available = sorted(p.name for p in data_dir(folder).iterdir() if not p.name.startswith("."))
        raise FileNotFoundError(
            f"{name!r} is not in {folder}/; available: {', '.join(available) or 'none'}"
        )
    return path
