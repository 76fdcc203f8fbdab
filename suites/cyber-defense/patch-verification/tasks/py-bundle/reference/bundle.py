"""Installs theme bundles uploaded by site administrators.

A bundle is a .tar.gz of regular files and directories (templates, CSS,
images).  It is unpacked into the site's theme directory.
"""

import os
import shutil
import tarfile


class BadBundle(ValueError):
    pass


def install_bundle(archive_path: str, theme_dir: str) -> list:
    """Unpacks the bundle into theme_dir and returns the sorted list of the
    installed file names (relative, '/'-separated).  Raises BadBundle if the
    archive cannot be read or contains anything but regular files and
    directories, or an entry that would be written outside theme_dir; in
    that case nothing is written outside theme_dir."""
    try:
        tar = tarfile.open(archive_path, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BadBundle(str(exc)) from None
    installed = []
    with tar:
        members = tar.getmembers()
        root = os.path.realpath(theme_dir)
        for m in members:
            if not (m.isfile() or m.isdir()):
                raise BadBundle(f"{m.name}: unsupported entry type")
            dest = os.path.realpath(os.path.join(root, m.name))
            if os.path.isabs(m.name) or os.path.commonpath([root, dest]) != root:
                raise BadBundle(f"{m.name}: outside the theme directory")
        os.makedirs(theme_dir, exist_ok=True)
        for m in members:
            target = os.path.join(root, m.name)
            if m.isdir():
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            with tar.extractfile(m) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            installed.append(os.path.normpath(m.name).replace(os.sep, "/"))
    return sorted(installed)
