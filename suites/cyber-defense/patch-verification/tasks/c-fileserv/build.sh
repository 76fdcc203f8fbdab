#!/bin/sh
set -e
${CC:-cc} -std=gnu11 -g -O0 -Wall -fstack-protector-all -o fileserv main.c resolve.c
