#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"

/* Appends src to dst (capacity cap, currently *len bytes), escaping control
 * characters and backslashes.  Stops silently when dst is full. */
static void append_escaped(char *dst, size_t cap, size_t *len, const char *src)
{
    for (; *src != '\0'; src++) {
        unsigned char c = (unsigned char)*src;
        int n;

        if (c < 0x20 || c == 0x7f || c == '\\')
            n = snprintf(dst + *len, cap - *len, "\\x%02x", c);
        else
            n = snprintf(dst + *len, cap - *len, "%c", c);
        if (n < 0 || (size_t)n >= cap - *len) {
            dst[*len] = '\0';
            return;
        }
        *len += (size_t)n;
    }
}

int audit_write(FILE *out, long ts, const char *level, const char *user, const char *message)
{
    char line[1024];
    size_t len;
    int n, i;

    n = snprintf(line, sizeof(line), "%ld ", ts);
    if (n < 0)
        return -1;
    len = (size_t)n;
    for (i = 0; level[i] != '\0' && len < 16; i++)
        line[len++] = (char)toupper((unsigned char)level[i]);
    line[len] = '\0';
    append_escaped(line, sizeof(line) - 1, &len, " user=");
    append_escaped(line, sizeof(line) - 1, &len, user);
    append_escaped(line, sizeof(line) - 1, &len, " ");
    append_escaped(line, sizeof(line) - 1, &len, message);
    strcat(line, "\n");
    if (fprintf(out, line) < 0)
        return -1;
    return 0;
}
