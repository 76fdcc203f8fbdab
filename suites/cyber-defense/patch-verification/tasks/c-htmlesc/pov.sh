#!/bin/sh
# Proof of vulnerability: a line consisting mostly of double quotes.  Exit 0
# iff htmlesc escapes it correctly without crashing.
q='""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""'
in="$q$q$q$q"
out=$(printf '%s\n' "$in" | ./htmlesc); rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL: htmlesc exited with status $rc on a line of 256 double quotes"
    exit 1
fi
e='&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;&quot;'
e="$e$e$e$e"; e="$e$e$e$e"
if [ "$out" != "$e" ]; then
    echo "FAIL: wrong output for a line of 256 double quotes"
    exit 1
fi
echo "ok: quotes escaped"
exit 0
