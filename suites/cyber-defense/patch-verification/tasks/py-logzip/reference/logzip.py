"""Bundles log files into a zip archive for a support ticket.

The support portal calls ``bundle_logs(dest, pattern)`` with the pattern the
user typed, e.g. ``app/*.log`` or ``worker-2024-05-??.log``, relative to the
log directory.  Archiving is done by the stdlib zipfile command-line tool in
a child process so that a crash while compressing cannot take down the
portal.
"""

import glob
import os
import subprocess
import sys
import zipfile


class NoMatchingLogs(Exception):
    pass


def bundle_logs(log_dir: str, dest: str, pattern: str) -> list:
    """Archives every file of log_dir matching the glob pattern into dest.

    Returns the sorted list of archived names (relative to log_dir).
    Raises NoMatchingLogs if nothing matches.
    """
    if os.path.isabs(pattern) or ".." in pattern.replace(os.sep, "/").split("/"):
        raise NoMatchingLogs(pattern)
    matches = sorted(glob.glob(pattern, root_dir=log_dir))
    if not matches:
        raise NoMatchingLogs(pattern)
    # "./" keeps a name that starts with "-" from being read as an option
    args = [os.path.join(".", m) for m in matches]
    cmd = [sys.executable, "-m", "zipfile", "-c", os.path.abspath(dest), *args]
    proc = subprocess.run(cmd, cwd=log_dir, capture_output=True, text=True)
    if proc.returncode != 0:
        raise NoMatchingLogs(pattern)
    with zipfile.ZipFile(dest) as zf:
        names = sorted(n for n in zf.namelist() if not n.endswith("/"))
    if not names:
        raise NoMatchingLogs(pattern)
    return names
