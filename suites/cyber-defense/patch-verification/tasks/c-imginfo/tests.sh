#!/bin/sh
# Regular functionality tests for imginfo.  Exit 0 iff all pass.
fail=0
t=./work-$$
mkdir -p "$t" || exit 1
trap 'rm -rf "$t"' EXIT

# check NAME FLAGS EXPECTED_STATUS EXPECTED_STDOUT  (input is $t/in)
check() {
    out=$(./imginfo $2 "$t/in" 2>/dev/null); rc=$?
    if [ "$rc" != "$3" ] || [ "$out" != "$4" ]; then
        echo "FAIL $1: status $rc (want $3)"; echo "  got:  $out"; echo "  want: $4"; fail=1
    else
        echo "ok   $1"
    fi
}

# 2x2
printf 'IMG1\002\000\000\000\002\000\000\000\000\020\040\377' > "$t/in"
check two-by-two "" 0 '2x2 min=0 max=255 mean=75.75'
check mirror -m 0 '2x2 min=0 max=255 mean=75.75
10 00'
# 3x1 with trailing data
printf 'IMG1\003\000\000\000\001\000\000\000\001\002\003trailing' > "$t/in"
check trailing-bytes -m 0 '3x1 min=1 max=3 mean=2.00
03 02 01'
# 1x300 (height > 255)
python3 -c 'import sys; sys.stdout.buffer.write(b"IMG1" + (1).to_bytes(4, "little") + (300).to_bytes(4, "little") + bytes(i % 256 for i in range(300)))' > "$t/in"
check tall "" 0 '1x300 min=0 max=255 mean=111.95'
# 256x256
python3 -c 'import sys; sys.stdout.buffer.write(b"IMG1" + (256).to_bytes(4, "little") * 2 + bytes([7]) * 65536)' > "$t/in"
check square "" 0 '256x256 min=7 max=7 mean=7.00'
# invalid inputs
printf 'IMG1\002\000\000\000\002\000\000\000\000\020\040' > "$t/in"
check short-pixels "" 2 ''
printf 'IMG1\000\000\000\000\002\000\000\000' > "$t/in"
check zero-width "" 2 ''
printf 'GIF89a' > "$t/in"
check bad-magic "" 2 ''
printf 'IMG1\001\000' > "$t/in"
check short-header "" 2 ''
exit $fail
