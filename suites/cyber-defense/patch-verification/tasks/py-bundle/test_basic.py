"""Regular functionality tests for bundle.  Exit status 0 iff all pass."""

import io
import os
import tarfile
import tempfile
import unittest

import bundle


def make_tar(path, entries):
    """entries: list of (name, bytes) for files, (name, None) for directories,
    (name, "->target") for symlinks."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            elif isinstance(data, str):
                info.type = tarfile.SYMTYPE
                info.linkname = data[2:]
                tar.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))


class BundleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.theme = os.path.join(self.tmp.name, "site", "themes", "blue")
        self.archive = os.path.join(self.tmp.name, "theme.tar.gz")

    def tearDown(self):
        self.tmp.cleanup()

    def read(self, rel):
        with open(os.path.join(self.theme, rel), "rb") as fh:
            return fh.read()

    def test_install(self):
        make_tar(self.archive, [
            ("css", None),
            ("css/site.css", b"body { color: blue }\n"),
            ("templates/base.html", b"<html>{{ body }}</html>\n"),
            ("img/logo.png", b"\x89PNG\r\n"),
            ("README", b"Blue theme\n"),
        ])
        self.assertEqual(
            bundle.install_bundle(self.archive, self.theme),
            ["README", "css/site.css", "img/logo.png", "templates/base.html"],
        )
        self.assertEqual(self.read("css/site.css"), b"body { color: blue }\n")
        self.assertEqual(self.read("img/logo.png"), b"\x89PNG\r\n")

    def test_dot_prefixed_names(self):
        make_tar(self.archive, [("./a.txt", b"a"), ("./dir/./b.txt", b"b"), ("dir/c..txt", b"c")])
        self.assertEqual(bundle.install_bundle(self.archive, self.theme), ["a.txt", "dir/b.txt", "dir/c..txt"])
        self.assertEqual(self.read("dir/c..txt"), b"c")

    def test_reinstall_overwrites(self):
        make_tar(self.archive, [("style.css", b"v1")])
        bundle.install_bundle(self.archive, self.theme)
        make_tar(self.archive, [("style.css", b"v2")])
        bundle.install_bundle(self.archive, self.theme)
        self.assertEqual(self.read("style.css"), b"v2")

    def test_symlink_rejected(self):
        make_tar(self.archive, [("ok.css", b"x"), ("link", "->/etc/passwd")])
        with self.assertRaises(bundle.BadBundle):
            bundle.install_bundle(self.archive, self.theme)
        self.assertFalse(os.path.lexists(os.path.join(self.theme, "link")))

    def test_not_a_tar(self):
        with open(self.archive, "wb") as fh:
            fh.write(b"this is not an archive")
        with self.assertRaises(bundle.BadBundle):
            bundle.install_bundle(self.archive, self.theme)

    def test_bad_bundle_is_value_error(self):
        self.assertTrue(issubclass(bundle.BadBundle, ValueError))


if __name__ == "__main__":
    unittest.main()
