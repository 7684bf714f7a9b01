"""Result files that are never left half-written, and resumable folders of sweep parts.

Every file is written to a temporary name in its target folder and moved into place with
``os.replace`` (atomic on POSIX and Windows), so an interrupted run leaves either the old file
or the new one, never a partial one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from lrmo_cell.errors import InputError

TABLE_SUFFIXES = (".csv", ".parquet")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path next to ``path``; move it onto ``path`` only if the block succeeds."""
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError(f"output folder {str(target.parent)!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield tmp
        # mkstemp makes owner-only files; a result file gets the usual umask-based mode
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def save_png(fig, path: str | os.PathLike, dpi: int = 130) -> None:
    """Write a matplotlib figure as PNG atomically and close it (long runs make many)."""
    import matplotlib.pyplot as plt

    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
    plt.close(fig)


def check_table_path(path: str | os.PathLike) -> Path:
    """A sweep output must end in .csv or .parquet and go to an existing folder."""
    target = Path(path)
    if target.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(f"--out must end in .csv or .parquet, got {str(path)!r}")
    if not target.parent.is_dir():
        raise InputError(f"--out folder {str(target.parent)!r} does not exist")
    return target


def write_table(frame, path: str | os.PathLike) -> None:
    """Write a DataFrame to .csv or .parquet atomically."""
    target = check_table_path(path)
    with atomic_path(target) as tmp:
        if target.suffix.lower() == ".csv":
            frame.to_csv(tmp, index=False)
        else:
            frame.to_parquet(tmp, index=False)


class PartStore:
    """A folder ``<out>.parts/`` of ``part-00000.parquet`` files, one per finished chunk.

    A rerun of the same sweep skips the chunks whose part exists, so an interrupted sweep keeps
    its finished points; :meth:`combine` writes the final table and removes the folder.
    """

    def __init__(self, out: str | os.PathLike):
        self.out = check_table_path(out)
        self.folder = self.out.with_name(self.out.name + ".parts")

    def part_path(self, index: int) -> Path:
        return self.folder / f"part-{index:05d}.parquet"

    def done(self, index: int) -> bool:
        return self.part_path(index).is_file()

    def write(self, index: int, frame) -> None:
        self.folder.mkdir(exist_ok=True)
        with atomic_path(self.part_path(index)) as tmp:
            frame.to_parquet(tmp, index=False)

    def combine(self, n_parts: int):
        """Concatenate the parts in order, write the final table atomically, drop the folder."""
        import pandas as pd

        frame = pd.concat(
            [pd.read_parquet(self.part_path(i)) for i in range(n_parts)], ignore_index=True
        )
        write_table(frame, self.out)
        shutil.rmtree(self.folder)
        return frame
