"""Regular functionality tests for cursor.  Exit status 0 iff all pass."""

import unittest

import cursor


class CursorTest(unittest.TestCase):
    def test_round_trip(self):
        states = [
            {},
            {"offset": 20},
            {"offset": 0, "q": "naïve café", "tags": ["a", "b"], "exact": True, "min": 1.5, "owner": None},
            {"nested": [[1, 2], ["x"]], "neg": -7},
        ]
        for state in states:
            token = cursor.encode_cursor(state)
            self.assertIsInstance(token, str)
            self.assertRegex(token, r"^[A-Za-z0-9_-]*$")
            self.assertEqual(cursor.decode_cursor(token), state)

    def test_malformed(self):
        for token in ["!!!", "abc", "", cursor.encode_cursor({"a": 1})[:-3]]:
            with self.assertRaises(cursor.InvalidCursor, msg=repr(token)):
                cursor.decode_cursor(token)

    def test_not_a_dict(self):
        with self.assertRaises(cursor.InvalidCursor):
            cursor.decode_cursor(cursor.encode_cursor([1, 2, 3]))

    def test_invalid_cursor_is_value_error(self):
        self.assertTrue(issubclass(cursor.InvalidCursor, ValueError))

    def test_paging(self):
        items = list("abcdefgh")
        page, nxt = cursor.next_page(items)
        self.assertEqual(page, ["a", "b", "c"])
        page, nxt = cursor.next_page(items, nxt)
        self.assertEqual(page, ["d", "e", "f"])
        page, nxt = cursor.next_page(items, nxt)
        self.assertEqual(page, ["g", "h"])
        self.assertIsNone(nxt)

    def test_paging_keeps_state(self):
        token = cursor.encode_cursor({"offset": 3, "q": "x"})
        _, nxt = cursor.next_page(list(range(10)), token)
        self.assertEqual(cursor.decode_cursor(nxt), {"offset": 6, "q": "x"})

    def test_bad_offset(self):
        with self.assertRaises(cursor.InvalidCursor):
            cursor.next_page([1, 2], cursor.encode_cursor({"offset": -1}))


if __name__ == "__main__":
    unittest.main()
