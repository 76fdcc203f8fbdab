"""Input validation for the sign-up form."""

import re

# local part: runs of letters/digits separated by single '.', '_', '+' or '-'
# domain: labels of letters/digits (inner hyphens allowed) separated by dots,
# ending in a top-level domain of at least two letters
EMAIL_RE = re.compile(
    r"^([A-Za-z0-9]+[._+-]?)+[A-Za-z0-9]@"
    r"([A-Za-z0-9]+(-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,}$"
)
USERNAME_RE = re.compile(r"^[a-z][a-z0-9_]{2,31}$")


def is_valid_email(address: str) -> bool:
    if len(address) > 254:
        return False
    return EMAIL_RE.match(address) is not None


def is_valid_username(name: str) -> bool:
    return USERNAME_RE.match(name) is not None


def validate_signup(form: dict) -> list:
    """Returns a list of error messages (empty if the form is valid)."""
    errors = []
    if not is_valid_username(form.get("username", "")):
        errors.append("username must be 3-32 lowercase letters, digits or '_', starting with a letter")
    if not is_valid_email(form.get("email", "")):
        errors.append("email address is not valid")
    if len(form.get("password", "")) < 12:
        errors.append("password must be at least 12 characters")
    return errors
