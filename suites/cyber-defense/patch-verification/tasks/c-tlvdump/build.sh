#!/bin/sh
# Builds ./tlvdump with the guard-page allocator (see guardalloc.c), which
# makes heap out-of-bounds accesses and use-after-free crash deterministically.
set -e
${CC:-cc} -std=gnu11 -g -O0 -Wall -fstack-protector-all -o tlvdump main.c tlv.c guardalloc.c \
    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
