#!/bin/sh
# Regular functionality tests for sessions.  Exit 0 iff all pass.
fail=0

# check NAME COMMANDS EXPECTED_OUTPUT
check() {
    out=$(printf '%s\n' "$2" | ./sessions); rc=$?
    if [ "$rc" != 0 ] || [ "$out" != "$3" ]; then
        echo "FAIL $1: status $rc"; echo "  got:  $out"; echo "  want: $3"; fail=1
    else
        echo "ok   $1"
    fi
}

check nobody-initially 'whoami' 'nobody'
check login-sets-current 'login alice
whoami
login bob
whoami' 'session 1
alice
session 2
bob'
check switch 'login alice
login bob
switch 1
whoami
switch 7' 'session 1
session 2
ok
alice
error: no such session'
check logout-other 'login alice
login bob
login carol
switch 1
logout 2
whoami
list' 'session 1
session 2
session 3
ok
ok
alice
1 alice
3 carol'
check logout-unknown 'login alice
logout 5
logout 1
logout 1
list' 'session 1
error: no such session
ok
error: no such session'
check ids-not-reused 'login a
logout 1
login b
list' 'session 1
ok
session 2
2 b'
check bad-name 'login abcdefghijklmnopqrstuvwxyz0123456789
bogus' 'error: invalid user name
error: unknown command'
exit $fail
