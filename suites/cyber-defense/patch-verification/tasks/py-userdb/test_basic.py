"""Regular functionality tests for userdb.  Exit status 0 iff all pass."""

import unittest

import userdb


class UserDbTest(unittest.TestCase):
    def setUp(self):
        self.conn = userdb.connect()
        self.alice = userdb.add_user(self.conn, "alice", "Alice Liddell", "correct horse")
        self.bob = userdb.add_user(self.conn, "bob", "Bob Stone", "s3cret!")
        self.albert = userdb.add_user(self.conn, "albert", "Albert Ng", "pa ss")

    def tearDown(self):
        self.conn.close()

    def test_login_ok(self):
        self.assertEqual(userdb.authenticate(self.conn, "alice", "correct horse"), self.alice)
        self.assertEqual(userdb.authenticate(self.conn, "bob", "s3cret!"), self.bob)

    def test_wrong_password(self):
        self.assertIsNone(userdb.authenticate(self.conn, "alice", "s3cret!"))
        self.assertIsNone(userdb.authenticate(self.conn, "alice", ""))

    def test_unknown_user(self):
        self.assertIsNone(userdb.authenticate(self.conn, "carol", "correct horse"))

    def test_search_prefix(self):
        self.assertEqual(
            userdb.search_users(self.conn, "al"),
            [("albert", "Albert Ng"), ("alice", "Alice Liddell")],
        )
        self.assertEqual(userdb.search_users(self.conn, "b"), [("bob", "Bob Stone")])
        self.assertEqual(userdb.search_users(self.conn, "z"), [])

    def test_search_all(self):
        self.assertEqual(len(userdb.search_users(self.conn, "")), 3)

    def test_duplicate_name_rejected(self):
        with self.assertRaises(Exception):
            userdb.add_user(self.conn, "alice", "Other Alice", "x")


if __name__ == "__main__":
    unittest.main()
