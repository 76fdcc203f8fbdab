#!/bin/sh
# Builds ./cfgdump with the guard-page allocator (see guardalloc.c), which
# makes double frees and use-after-free abort or crash deterministically.
set -e
${CC:-cc} -std=gnu11 -g -O0 -Wall -fstack-protector-all -o cfgdump main.c config.c guardalloc.c \
    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
