#!/bin/sh
# Builds ./sessions with the guard-page allocator (see guardalloc.c), which
# makes heap out-of-bounds accesses and use-after-free crash deterministically.
set -e
${CC:-cc} -std=gnu11 -g -O0 -Wall -fstack-protector-all -o sessions main.c store.c guardalloc.c \
    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
