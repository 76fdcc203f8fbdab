#!/bin/sh
# Regular functionality tests for tlvdump.  Exit 0 iff all pass.
fail=0
t=./work-$$
mkdir -p "$t" || exit 1
trap 'rm -rf "$t"' EXIT

# check NAME EXPECTED_STATUS EXPECTED_STDOUT  (input is $t/in)
check() {
    out=$(./tlvdump "$t/in" 2>"$t/err"); rc=$?
    if [ "$rc" != "$2" ] || [ "$out" != "$3" ]; then
        echo "FAIL $1: status $rc (want $2)"; echo "  got:  $out"; echo "  want: $3"; fail=1
    else
        echo "ok   $1"
    fi
}

printf '\001\000\005alice\002\000\004\000\000\001\000' > "$t/in"
check name-and-counter 0 'name "alice"
counter 256'

printf '' > "$t/in"
check empty 0 ''

printf '\007\000\003\001\002\377\001\000\000' > "$t/in"
check hex-and-empty-name 0 'type 0x07 len 3: 01 02 ff
name ""'

printf '\001\000\004a"b\n' > "$t/in"
check escaping 0 'name "a\x22b\x0a"'

printf '\002\000\004\377\377\377\377\011\000\002hi' > "$t/in"
check max-counter 0 'counter 4294967295
type 0x09 len 2: 68 69'

printf '\001\000\002ok\002\000\003abc' > "$t/in"
check bad-counter-length 2 'name "ok"'

printf '\001\000\002ok\005\000' > "$t/in"
check truncated-header 2 'name "ok"'

./tlvdump "$t/does-not-exist" >/dev/null 2>&1
[ $? = 1 ] && echo "ok   missing-file" || { echo "FAIL missing-file"; fail=1; }

exit $fail
