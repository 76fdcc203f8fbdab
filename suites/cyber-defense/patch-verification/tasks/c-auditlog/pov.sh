#!/bin/sh
# Proof of vulnerability: an event whose user and message contain printf
# conversion specifications.  Exit 0 iff they are logged literally.
tab=$(printf '\t')
out=$(printf '%s\n' "10${tab}info${tab}%x%x${tab}path=/tmp/%08x.%08x.%08x.%08x|%p" | ./auditlog)
rc=$?
want='10 INFO user=%x%x path=/tmp/%08x.%08x.%08x.%08x|%p'
if [ "$rc" -ne 0 ] || [ "$out" != "$want" ]; then
    echo "FAIL: conversion specifications in the event were not logged literally (status $rc):"
    echo "  got:  $out"
    echo "  want: $want"
    exit 1
fi
echo "ok: logged literally"
exit 0
