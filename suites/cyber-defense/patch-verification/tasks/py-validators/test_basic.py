"""Regular functionality tests for validators.  Exit status 0 iff all pass."""

import unittest

import validators


class EmailTest(unittest.TestCase):
    def test_valid(self):
        for a in [
            "alice@example.com",
            "a.b@example.co.uk",
            "first_last+tag@mail.example.org",
            "x-y@sub-domain.example.net",
            "a1@b2.io",
            "ab@b-c-d.example",
        ]:
            self.assertTrue(validators.is_valid_email(a), a)

    def test_invalid(self):
        for a in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "alice@example",
            "alice@example.c",
            "alice@-example.com",
            "alice@example-.com",
            "al ice@example.com",
            "alice@exa_mple.com",
            ".alice@example.com",
            "alice..b@example.com",
            "alice@@example.com",
            "a" * 250 + "@x.com",
        ]:
            self.assertFalse(validators.is_valid_email(a), a)


class SignupTest(unittest.TestCase):
    def test_ok(self):
        form = {"username": "alice_1", "email": "alice@example.com", "password": "correct horse battery"}
        self.assertEqual(validators.validate_signup(form), [])

    def test_errors(self):
        errors = validators.validate_signup({"username": "1x", "email": "nope", "password": "short"})
        self.assertEqual(len(errors), 3)

    def test_username(self):
        self.assertTrue(validators.is_valid_username("bob"))
        self.assertFalse(validators.is_valid_username("Bob"))
        self.assertFalse(validators.is_valid_username("b" * 33))


if __name__ == "__main__":
    unittest.main()
