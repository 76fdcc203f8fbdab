#!/bin/sh
# Regular functionality tests for fileserv.  Exit 0 iff all pass.
fail=0
t=./work-$$
rm -rf "$t"
mkdir -p "$t/www/css" "$t/www/docs/v1.2" || exit 1
trap 'rm -rf "$t"' EXIT
printf '<h1>home</h1>\n' > "$t/www/index.html"
printf 'body{}\n' > "$t/www/css/site.css"
printf 'notes\n' > "$t/www/docs/v1.2/..notes.txt"
printf 'dots\n' > "$t/www/docs/a..b"

# check NAME DOC EXPECTED_STATUS EXPECTED_STDOUT
check() {
    out=$(./fileserv "$t/www" "$2" 2>/dev/null); rc=$?
    if [ "$rc" != "$3" ] || [ "$out" != "$4" ]; then
        echo "FAIL $1: status $rc (want $3)"; echo "  got:  $out"; echo "  want: $4"; fail=1
    else
        echo "ok   $1"
    fi
}

check index index.html 0 '<h1>home</h1>'
check subdir css/site.css 0 'body{}'
check dotted-names 'docs/v1.2/..notes.txt' 0 'notes'
check dots-inside-name 'docs/a..b' 0 'dots'
check current-dir './css/site.css' 0 'body{}'
check missing nothere.html 1 ''
check directory css 1 ''
check absolute /etc/hostname 3 ''
check empty '' 3 ''
exit $fail
