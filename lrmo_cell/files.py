"""Ground-floor file helpers: output paths checked before work, atomic writes, PNGs, locks.

Every result file is written to a temporary name in its target folder and moved into place with
``os.replace`` (atomic on POSIX), so an interrupted run leaves either the old file or the new
one, never a partial one. Temporaries carry the writer's process id
(``.<name>.<pid>.<random>.tmp``): one left behind by a killed process is removed by the next
write of the same file. Output paths are checked by :func:`output_file` and :func:`output_dir`
before a command starts its work, so a bad ``--out`` costs nothing.

Nothing here changes process state: the umask is read once (from ``/proc`` where it exists),
never toggled per write, and figures are saved without touching matplotlib's global backend.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from lrmo_cell.errors import InputError


@functools.cache
def _umask() -> int:
    """The process umask, read once and never set: from /proc where it exists, else from the
    mode a directory made with 0o777 gets (mkdir applies the umask, and os.umask would have to
    change it to read it)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / "umask-probe"
        probe.mkdir(mode=0o777)
        return 0o777 & ~probe.stat().st_mode


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(target: str | os.PathLike) -> list[Path]:
    """Remove temporaries of ``target`` left by processes that no longer run; return them."""
    target = Path(target)
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.\w+\.tmp$")
    removed = []
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            match = pattern.match(entry.name)
            if match and not _pid_alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    (entry.unlink() if not entry.is_dir() else shutil.rmtree(entry))
                    removed.append(entry)
    return removed


def new_temporary(target: Path, folder: Path | None = None, directory: bool = False) -> str:
    """A new temporary file (or folder) named after ``target``, in ``folder`` (default: its own).

    Its name carries this process's id, so :func:`remove_stale_temporaries` can tell it from
    the temporaries of writers still running."""
    folder = target.parent if folder is None else folder
    prefix = f".{target.name}.{os.getpid()}."
    try:
        if directory:
            return tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=folder)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as err:
        raise InputError(f"cannot write into folder {str(folder)!r} ({err.strerror})") from None
    os.close(fd)
    return tmp


def publish(tmp: str | os.PathLike, target: str | os.PathLike) -> None:
    """Give a finished temporary file the usual mode and move it onto ``target`` atomically."""
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes owner-only files
    os.replace(tmp, target)


@contextlib.contextmanager
def atomic_paths(paths: Sequence[str | os.PathLike]) -> Iterator[list[str]]:
    """Yield one temporary path per target; move them all into place only if the block succeeds.

    A command that writes several files (a patch, its table, its figure) thus leaves all of them
    or none: the moves at the end take microseconds, the work before them takes minutes.
    """
    targets = [Path(p) for p in paths]
    for target in targets:
        if not target.parent.is_dir():
            raise InputError(f"output folder {str(target.parent)!r} does not exist")
        remove_stale_temporaries(target)
    temporaries: list[str] = []
    try:
        temporaries.extend(new_temporary(t) for t in targets)
        yield list(temporaries)
        for tmp, target in zip(temporaries, targets, strict=True):
            publish(tmp, target)
    finally:
        for tmp in temporaries:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path next to ``path``; move it onto ``path`` only if the block succeeds."""
    with atomic_paths([path]) as (tmp,):
        yield tmp


def save_png(fig, path: str | os.PathLike, dpi: int = 130) -> None:
    """Write a matplotlib figure as PNG atomically.

    Figures made with ``matplotlib.figure.Figure`` need nothing else; one made through pyplot
    is also closed, since pyplot keeps every open figure alive (long runs make many).
    """
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)


def _first_existing(path: Path) -> Path:
    """``path`` or its nearest existing ancestor (a relative path ends at ".", which exists)."""
    return next(c for c in (path, *path.parents) if c.exists())


def _check_writable_folder(folder: Path, option: str, path: str | os.PathLike) -> None:
    """``folder`` (existing, or creatable below its first existing ancestor) accepts files."""
    existing = _first_existing(folder)
    if not existing.is_dir():
        raise InputError(
            f"{option} {str(path)!r} cannot be created: {str(existing)!r} is not a folder"
        )
    try:
        fd, probe = tempfile.mkstemp(prefix=".lrmo-cell-write-probe.", dir=existing)
    except OSError as err:
        raise InputError(
            f"{option}: cannot write into folder {str(existing)!r} ({err.strerror})"
        ) from None
    os.close(fd)
    os.remove(probe)


def output_file(
    path: str | os.PathLike, option: str = "--out", suffixes: Sequence[str] = ()
) -> Path:
    """Check, before any work, that ``path`` can become an output file; return it as a Path.

    Refused: a wrong suffix, an existing folder or device in its place, a parent folder that is
    missing, is a file, or cannot be written to (read-only, immutable).
    """
    target = Path(path)
    if suffixes and target.suffix.lower() not in suffixes:
        raise InputError(f"{option} must end in {' or '.join(suffixes)}, got {str(path)!r}")
    if target.is_dir():
        raise InputError(f"{option} {str(path)!r} is a folder; a file name is needed")
    if target.exists() and not target.is_file():
        raise InputError(f"{option} {str(path)!r} is not a regular file and cannot be replaced")
    if not target.parent.exists() and _first_existing(target.parent).is_dir():
        raise InputError(f"{option} folder {str(target.parent)!r} does not exist")
    _check_writable_folder(target.parent, option, path)
    return target


def distinct_outputs(outputs: dict[str, str | os.PathLike | None], inputs=()) -> None:
    """Refuse two options writing the same file, or an output that is one of the ``inputs``
    (a result written over the measured data it came from would lose that data)."""
    seen: dict[Path, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        resolved = Path(path).resolve()
        if resolved in seen:
            raise InputError(f"{option} and {seen[resolved]} name the same file {str(path)!r}")
        seen[resolved] = option
        for source in inputs:
            if Path(source).exists() and Path(source).resolve() == resolved:
                raise InputError(f"{option} {str(path)!r} is the input file; write elsewhere")


def output_dir(path: str | os.PathLike, option: str = "--out") -> Path:
    """Check, before any work, that ``path`` can be (or already is) an output folder."""
    if not str(path).strip():  # Path("") is the working folder, whose entries it would replace
        raise InputError(f"{option} is empty; give a folder name")
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise InputError(f"{option} {str(path)!r} is a file; a folder is needed")
    _check_writable_folder(target, option, path)
    return target


@contextlib.contextmanager
def staged_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty staging folder inside ``path``; on success each entry made in it replaces
    the entry of that name in ``path``, and nothing else in ``path`` is touched.

    A command that fills a folder for minutes (``reproduce``) thus leaves each of its results
    complete, new or old, never half-written; on failure the staging folder is removed, and one
    left by a killed run is removed by the next.
    """
    target = Path(path)
    target.mkdir(parents=True, exist_ok=True)
    marker = target / "staging"  # its temporaries: .staging.<pid>.<random>.tmp
    remove_stale_temporaries(marker)
    staging = Path(new_temporary(marker, directory=True))
    os.chmod(staging, 0o777 & ~_umask())
    try:
        yield staging
        for entry in sorted(staging.iterdir()):
            final = target / entry.name
            if final.is_dir() and not final.is_symlink():
                old = Path(new_temporary(marker, directory=True))
                os.replace(final, old / entry.name)
                os.replace(entry, final)
                shutil.rmtree(old)
            else:
                os.replace(entry, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


@contextlib.contextmanager
def locked_dir(folder: str | os.PathLike, what: str) -> Iterator[Path]:
    """Create ``folder`` if needed and hold an exclusive lock on it for the block.

    The lock is the folder itself (``flock`` on its descriptor), so no lock file outlives a
    killed process. A second process that finds it locked gets one sentence and gives up.
    """
    import fcntl

    folder = Path(folder)
    while True:
        folder.mkdir(exist_ok=True)
        try:
            fd = os.open(folder, os.O_RDONLY)
        except FileNotFoundError:  # removed by the holder before us as it finished: make it anew
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError(
                f"{what} is being written by another lrmo-cell process; run again when it ends"
            ) from None
        # the holder before us may have removed the folder between our open and our lock
        try:
            same = os.stat(folder).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield folder
    finally:
        os.close(fd)
