"""Regular functionality tests for logzip.  Exit status 0 iff all pass."""

import os
import tempfile
import unittest
import zipfile

import logzip


class BundleLogsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.logs = os.path.join(self.tmp.name, "logs")
        os.makedirs(os.path.join(self.logs, "app"))
        files = {
            "app/api.log": "GET / 200\n",
            "app/db.log": "slow query\n",
            "app/readme.txt": "not a log\n",
            "worker-2024-05-01.log": "job 1 done\n",
            "worker-2024-05-02.log": "job 2 done\n",
            "worker-2024-06-01.log": "job 3 done\n",
        }
        for name, text in files.items():
            with open(os.path.join(self.logs, name), "w") as fh:
                fh.write(text)
        self.dest = os.path.join(self.tmp.name, "bundle.zip")

    def tearDown(self):
        self.tmp.cleanup()

    def test_directory_glob(self):
        self.assertEqual(logzip.bundle_logs(self.logs, self.dest, "app/*.log"), ["api.log", "db.log"])
        with zipfile.ZipFile(self.dest) as zf:
            self.assertEqual(zf.read("api.log"), b"GET / 200\n")

    def test_question_marks(self):
        self.assertEqual(
            logzip.bundle_logs(self.logs, self.dest, "worker-2024-05-??.log"),
            ["worker-2024-05-01.log", "worker-2024-05-02.log"],
        )

    def test_character_class(self):
        self.assertEqual(
            logzip.bundle_logs(self.logs, self.dest, "worker-2024-0[6]-*.log"),
            ["worker-2024-06-01.log"],
        )

    def test_single_file(self):
        self.assertEqual(logzip.bundle_logs(self.logs, self.dest, "app/readme.txt"), ["readme.txt"])

    def test_no_match(self):
        with self.assertRaises(logzip.NoMatchingLogs):
            logzip.bundle_logs(self.logs, self.dest, "missing-*.log")


if __name__ == "__main__":
    unittest.main()
