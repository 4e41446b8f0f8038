"""Atomic file writes for models/ (the same rule as src/core/files/atomic-write.ts):
write a temporary file in the target's folder, fsync it, then os.replace it over the
target. A failed or interrupted export leaves the previous model files as they were."""
from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Callable, Iterator


def _mode_for(path: str) -> int:
    """The existing file's permissions, else the usual 0666 minus the umask (mkstemp makes 0600)."""
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """Yields a temporary path beside `path`; on success it replaces `path`, on error it is removed."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".dx-tmp-" + os.path.basename(path) + ".", dir=folder)
    os.close(fd)
    try:
        os.chmod(tmp, _mode_for(path))
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def write_atomic(path: str, write: Callable[[object], None], mode: str = "w") -> None:
    """Opens a temporary file with `mode`, lets `write(f)` fill it, then replaces `path`."""
    with atomic_path(path) as tmp:
        with open(tmp, mode) as f:
            write(f)
