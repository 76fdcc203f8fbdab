#!/bin/sh
# Regular functionality tests for auditlog.  Exit 0 iff all pass.
fail=0
tab=$(printf '\t')

# check NAME INPUT EXPECTED
check() {
    out=$(printf '%s\n' "$2" | ./auditlog 2>/dev/null); rc=$?
    if [ "$rc" != 0 ] || [ "$out" != "$3" ]; then
        echo "FAIL $1: status $rc"; echo "  got:  $out"; echo "  want: $3"; fail=1
    else
        echo "ok   $1"
    fi
}

check simple "1700000000${tab}info${tab}alice${tab}logged in" '1700000000 INFO user=alice logged in'
check two-lines "1${tab}warn${tab}bob${tab}password change
2${tab}error${tab}root${tab}sudo failed" '1 WARN user=bob password change
2 ERROR user=root sudo failed'
check escapes "5${tab}info${tab}eve${tab}a\\b$(printf '\033')[31m" '5 INFO user=eve a\x5cb\x1b[31m'
check tab-in-message "6${tab}info${tab}carol${tab}x${tab}y" '6 INFO user=carol x\x09y'
check skips-short-lines "only${tab}two
7${tab}debug${tab}dave${tab}ok" '7 DEBUG user=dave ok'
check punctuation "8${tab}info${tab}o'neil${tab}paid 100 USD (50 off) & more!" "8 INFO user=o'neil paid 100 USD (50 off) & more!"
long=$(python3 -c 'print("x" * 1500)')
check truncates "9${tab}info${tab}u${tab}$long" "$(python3 -c 'print(("9 INFO user=u " + "x" * 1500)[:1022])')"
exit $fail
