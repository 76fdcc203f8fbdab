#!/bin/sh
# Proof of vulnerability: dimensions whose product does not fit in 32 bits
# (0x80000001 x 2 = 2 mod 2^32) with two pixel bytes.  Exit 0 iff imginfo
# rejects the file cleanly (status 2, no crash).
t=./work-$$
mkdir -p "$t" || exit 1
trap 'rm -rf "$t"' EXIT
printf 'IMG1\001\000\000\200\002\000\000\000\052\052' > "$t/pov.img"
./imginfo "$t/pov.img" >/dev/null
rc=$?
if [ "$rc" -ne 2 ]; then
    echo "FAIL: imginfo exited with status $rc on an image whose size overflows (want 2)"
    exit 1
fi
echo "ok: oversized image rejected"
exit 0
