#ifndef AUDIT_H
#define AUDIT_H

#include <stdio.h>

/*
 * Writes one audit record to out:
 *     "<ts> <LEVEL> user=<user> <message>\n"
 * where LEVEL is the level in upper case.  In user and message, bytes below
 * 0x20, 0x7f and backslash are written as \xHH so that one event is always
 * one line.  Records longer than 1023 bytes are truncated.
 * Returns 0, or -1 on a write error.
 */
int audit_write(FILE *out, long ts, const char *level, const char *user, const char *message);

#endif
