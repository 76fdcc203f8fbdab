#!/bin/sh
# Proof of vulnerability: requests that climb out of the document root with
# ".." components.  Exit 0 iff every one is refused (status 3) and the file
# outside the root is never printed.
t=./work-$$
rm -rf "$t"
mkdir -p "$t/srv/www/img" || exit 1
trap 'rm -rf "$t"' EXIT
printf 'ok\n' > "$t/srv/www/img/logo.txt"
printf 'db_password=hunter2\n' > "$t/srv/secret.conf"
status=0
for name in ../secret.conf img/../../secret.conf 'img/../../www/../secret.conf' ..; do
    out=$(./fileserv "$t/srv/www" "$name" 2>/dev/null); rc=$?
    case "$out" in
    *hunter2*) echo "FAIL: '$name' disclosed a file outside the document root"; status=1; continue ;;
    esac
    if [ "$rc" -ne 3 ]; then
        echo "FAIL: '$name' gave status $rc (want 3, refused)"; status=1
    fi
done
[ $status = 0 ] && echo "ok: traversal refused"
exit $status
