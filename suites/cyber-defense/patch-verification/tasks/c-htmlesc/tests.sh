#!/bin/sh
# Regular functionality tests for htmlesc.  Exit 0 iff all pass.
fail=0

# check NAME FLAGS INPUT EXPECTED
check() {
    out=$(printf '%s\n' "$3" | ./htmlesc $2); rc=$?
    if [ "$rc" != 0 ] || [ "$out" != "$4" ]; then
        echo "FAIL $1: status $rc"; echo "  got:  $out"; echo "  want: $4"; fail=1
    else
        echo "ok   $1"
    fi
}

check plain "" 'hello world' 'hello world'
check empty "" '' ''
check amp "" 'fish & chips' 'fish &amp; chips'
check tags "" '<b>bold</b>' '&lt;b&gt;bold&lt;/b&gt;'
check apostrophe "" "it's" 'it&#39;s'
check link "" '<a href="/x">' '&lt;a href=&quot;/x&quot;&gt;'
check backtick-text "" 'a`b' 'a`b'
check backtick-attr -a 'a`b & c' 'a&#96;b &amp; c'
check multiline "" 'x < y
y > z' 'x &lt; y
y &gt; z'
check utf8 "" 'café <ü>' 'café &lt;ü&gt;'
exit $fail
