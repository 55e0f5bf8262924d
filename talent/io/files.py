"""Paths a user gives, checked before use: every failure is a named error, never a traceback.

Inputs: missing, a broken or looping symbolic link, a folder where a file is
expected, not a regular file (a device or a pipe: `/dev/zero` would never
end), unreadable, or larger than the limit. Outputs: a file where a folder is
expected (or the reverse), a parent that cannot be created or written, a
symbolic-link loop, a target inside the shipped package data, or one of the
run's own inputs.

Inside `command_inputs()` (the CLI opens it around every command) each file
read through this module is recorded, and no output of the same command may
overwrite it or (for an output folder) contain it: a command never writes
over a file it read, whether or not a writer was told about it.
"""

from __future__ import annotations

import codecs
import difflib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from talent.errors import InputFileError, OutputError, TalentError, shorten
from talent.limits import human_bytes
from talent.paths import assets_dir

_READ: ContextVar[set[Path] | None] = ContextVar("talent_files_read", default=None)


@contextmanager
def command_inputs() -> Iterator[set[Path]]:
    """Record the files read inside the block (see the module docstring); yield the set."""
    token = _READ.set(set())
    try:
        yield _READ.get() or set()
    finally:
        _READ.reset(token)


def files_read() -> set[Path]:
    """The files read so far inside `command_inputs()` (resolved), empty outside it."""
    return set(_READ.get() or ())


def _near(path: Path) -> str:
    """The end of a 'not found' message: the file of the same folder meant (a name differing in case, spaces or
    suffix, or close: 'Data.csv' for 'data.csv', 's.xlsx' for 's.csv'), or why '-' is not read; '' for none."""
    if path.name == "-":
        return "; '-' (standard input) is not read: save the table to a file and give its path"
    try:
        with os.scandir(path.parent) as entries:
            names = sorted(e.name for _, e in zip(range(5000), entries, strict=False) if e.is_file())
    except OSError:
        return ""
    def key(name: str) -> str:
        return " ".join(name.split()).casefold()
    same = [n for n in names if key(n) == key(path.name)] or \
        [n for n in names if key(Path(n).stem) == key(path.stem) and n != path.name]
    close = same or difflib.get_close_matches(path.name, names, n=1, cutoff=0.8)
    return f"; did you mean '{path.parent / close[0]}'?" if close else ""


def reason(exc: OSError) -> str:
    """Why the operating system refused a path, in words."""
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied)"
    if exc.errno == errno.ENOTDIR:
        return "has a file where a folder is expected in its path"
    if exc.errno == errno.ENAMETOOLONG:
        return "is too long a name"
    return f"cannot be read ({exc.strerror or exc})"


def check_input(path: Path, what: str, max_bytes: int, error: type[TalentError] = InputFileError) -> int:
    """Raise `error` unless `path` is a readable regular file of at most `max_bytes`; return its size."""
    try:
        info = path.stat()
    except FileNotFoundError:
        broken = path.is_symlink()
        raise error(f"{path}: {what} not found" + (" (a symbolic link to a missing file)" if broken else
                                                   _near(path))) from None
    except OSError as exc:
        raise error(f"{path}: the {what} {reason(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path}: is a folder; give the path of the {what}")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path}: not a regular file (a device, pipe or socket); save the {what} as a file")
    if info.st_size > max_bytes:
        raise error(f"{path}: the {what} is {human_bytes(info.st_size)}, above the limit of "
                    f"{human_bytes(max_bytes)}; split it or remove what is not needed")
    if not os.access(path, os.R_OK):
        raise error(f"{path}: the {what} cannot be read (permission denied)")
    read = _READ.get()
    if read is not None:
        read.add(path.resolve())
    return int(info.st_size)


def read_bytes(path: Path, what: str, max_bytes: int, error: type[TalentError] = InputFileError) -> bytes:
    """The bytes of a checked input file."""
    check_input(path, what, max_bytes, error)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: the {what} {reason(exc)}") from None


#: Byte-order marks and the encoding each says (UTF-32's first: its little-endian mark begins with UTF-16's).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def bom_encoding(raw: bytes) -> str | None:
    """The encoding a text's byte-order mark says, or None when it has none."""
    return next((enc for bom, enc in BOMS if raw.startswith(bom)), None)


def head_bytes(path: Path, n: int = 4096) -> bytes | None:
    """The first `n` bytes of a file, to tell what it is (None when it cannot be read: the reader names that)."""
    try:
        with path.open("rb") as f:
            return f.read(n)
    except OSError:
        return None


def resolved(path: Path) -> Path:
    """`path` made absolute with its symbolic links followed; a loop is an `OutputError`."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:  # Python raises RuntimeError for a symlink loop
        raise OutputError(f"{path}: is a symbolic link loop; choose another output path") from exc


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or lies under it (both resolved)."""
    p, f = resolved(path), resolved(folder)
    return p == f or f in p.parents


def ensure_folder(folder: Path, role: str = "output folder") -> None:
    """Create `folder` (and its parents) unless it exists; name what is in the way."""
    for parent in [folder, *folder.parents]:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                where = "" if parent == folder else f" (in the path of {folder})"
                raise OutputError(f"{parent}: is a file, not a folder{where}; choose another {role}")
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the {role} ({exc.strerror or exc}); "
                          "choose a folder you can write to") from exc
    try:  # the only sure test: write a file (permissions, read-only disks and /proc all refuse here)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write into this folder ({exc.strerror or exc}); "
                          "choose a folder you can write to") from exc


def check_name_length(path: Path, spare: int = 0) -> None:
    """Refuse a name in `path` longer than its file system allows (with `spare` bytes for a temporary name made
    from it): it failed only when the file was written, after all the work ('File name too long')."""
    anchor = next((p for p in path.absolute().parents if p.is_dir()), Path(path.absolute().anchor))
    try:
        limit = os.pathconf(anchor, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    for part in path.parts:
        if part not in ("/", "..", ".") and len(part.encode("utf-8", "surrogateescape")) + spare > limit:
            raise OutputError(f"{shorten(str(path), 120)}: the name {shorten(part, 40)!r} is "
                              f"{len(part.encode('utf-8', 'surrogateescape')):,} bytes, more than the "
                              f"{limit - spare:,} this file system allows here; choose a shorter name")


def check_output(path: Path, inputs: Iterable[Path | str]) -> None:
    """A file about to be written: not an input, not shipped package data, not a folder; its folder writable."""
    check_name_length(path, spare=16)  # the temporary file beside it: ".NAME.", 8 random characters, ".tmp"
    target = resolved(path)
    for p in [*inputs, *files_read()]:
        if target == resolved(Path(p)):
            raise OutputError(f"{path}: refusing to overwrite an input file; choose another output path")
    if is_inside(target, assets_dir()):
        raise OutputError(f"{path}: refusing to write into the program's own data folder; choose another output path")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name for this output")
    ensure_folder(path.parent)
