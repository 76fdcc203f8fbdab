#!/bin/sh
# Regular functionality tests for cfgdump.  Exit 0 iff all pass.
fail=0
t=./work-$$
mkdir -p "$t" || exit 1
trap 'rm -rf "$t"' EXIT

# check NAME EXPECTED_STATUS EXPECTED_STDOUT [KEY...]   (config is $t/in)
check() {
    name=$1 want_rc=$2 want=$3
    shift 3
    out=$(./cfgdump "$t/in" "$@" 2>/dev/null); rc=$?
    if [ "$rc" != "$want_rc" ] || [ "$out" != "$want" ]; then
        echo "FAIL $name: status $rc (want $want_rc)"; echo "  got:  $out"; echo "  want: $want"; fail=1
    else
        echo "ok   $name"
    fi
}

printf '# service settings\n\nname = web\nport=8080\n  log.level =  debug  \n' > "$t/in"
check dump 0 'name=web
port=8080
log.level=debug'
check lookup 0 '8080

debug' port missing log.level

printf 'a = 1\nb = 2\na = 3\nempty =\n' > "$t/in"
check override 0 'a=3
b=2
empty='

printf 'url = http://x/?a=b\n' > "$t/in"
check equals-in-value 0 'url=http://x/?a=b'

printf 'name = web\njust some words\n' > "$t/in"
check missing-equals 2 ''

printf '   \t\n#only = comment\n' > "$t/in"
check comments-only 0 ''

./cfgdump "$t/missing" >/dev/null 2>&1
[ $? = 1 ] && echo "ok   missing-file" || { echo "FAIL missing-file"; fail=1; }
exit $fail
