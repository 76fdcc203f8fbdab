#!/bin/sh
# Proof of vulnerability: a record whose length field runs past the end of
# the file.  Exit 0 iff tlvdump rejects it cleanly (status 2, no crash).
t=./work-$$
mkdir -p "$t" || exit 1
trap 'rm -rf "$t"' EXIT
# a valid name record, then type 0x05 claiming 0x0800 bytes with only 4 present
printf '\001\000\003bob\005\010\000ABCD' > "$t/pov.bin"
./tlvdump "$t/pov.bin" >"$t/out"
rc=$?
if [ "$rc" -ne 2 ]; then
    echo "FAIL: tlvdump exited with status $rc on a record longer than the input (want 2)"
    exit 1
fi
echo "ok: over-long record rejected"
exit 0
