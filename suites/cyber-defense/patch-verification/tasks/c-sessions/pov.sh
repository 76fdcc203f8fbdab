#!/bin/sh
# Proof of vulnerability: close the current session, then ask who is logged
# in.  Exit 0 iff sessions answers "nobody" without crashing.
out=$(printf 'login alice\nlogin bob\nlogout 2\nwhoami\nlist\n' | ./sessions)
rc=$?
want='session 1
session 2
ok
nobody
1 alice'
if [ "$rc" -ne 0 ]; then
    echo "FAIL: sessions exited with status $rc after the current session was closed"
    exit 1
fi
if [ "$out" != "$want" ]; then
    echo "FAIL: unexpected output after the current session was closed:"
    echo "$out"
    exit 1
fi
echo "ok: closing the current session is handled"
exit 0
