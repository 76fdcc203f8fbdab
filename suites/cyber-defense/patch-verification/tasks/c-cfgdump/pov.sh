#!/bin/sh
# Proof of vulnerability: a line whose key contains a character that is not
# allowed.  Exit 0 iff cfgdump reports it as an invalid line (status 2)
# without crashing.
t=./work-$$
mkdir -p "$t" || exit 1
trap 'rm -rf "$t"' EXIT
printf 'name = web\nlisten port = 8080\n' > "$t/pov.conf"
./cfgdump "$t/pov.conf" >/dev/null
rc=$?
if [ "$rc" -ne 2 ]; then
    echo "FAIL: cfgdump exited with status $rc on a line with an invalid key (want 2)"
    exit 1
fi
echo "ok: invalid key rejected"
exit 0
