/* auditlog: reads events on stdin, one per line, as tab-separated fields
 *     TIMESTAMP <TAB> LEVEL <TAB> USER <TAB> MESSAGE
 * and writes them to stdout as audit records (see audit.h).  Lines that do
 * not have four fields are skipped with a warning on stderr.
 * Exit status 0, or 1 on a write error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

int main(void)
{
    char buf[2048];
    char *fields[4];
    unsigned long lineno = 0;

    while (fgets(buf, sizeof(buf), stdin) != NULL) {
        char *p = buf;
        int i;

        lineno++;
        buf[strcspn(buf, "\n")] = '\0';
        for (i = 0; i < 4 && p != NULL; i++) {
            fields[i] = p;
            p = i < 3 ? strchr(p, '\t') : NULL;
            if (p != NULL)
                *p++ = '\0';
        }
        if (i < 4 || fields[3] == NULL) {
            fprintf(stderr, "auditlog: line %lu: expected 4 fields\n", lineno);
            continue;
        }
        if (audit_write(stdout, strtol(fields[0], NULL, 10), fields[1], fields[2], fields[3]) != 0)
            return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
