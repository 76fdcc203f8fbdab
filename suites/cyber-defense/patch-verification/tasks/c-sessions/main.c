/* sessions: a tiny session manager driven by commands on stdin, one per line:
 *   login USER | switch ID | logout ID | whoami | list
 * Replies go to stdout; unknown commands and failures print "error: ...". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

int main(void)
{
    struct store st;
    char line[256], arg[256];
    int id;

    store_init(&st);
    while (fgets(line, sizeof(line), stdin) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (sscanf(line, "login %255s", arg) == 1) {
            id = store_login(&st, arg);
            if (id < 0)
                puts("error: invalid user name");
            else
                printf("session %d\n", id);
        } else if (sscanf(line, "switch %d", &id) == 1) {
            puts(store_switch(&st, id) == 0 ? "ok" : "error: no such session");
        } else if (sscanf(line, "logout %d", &id) == 1) {
            puts(store_logout(&st, id) == 0 ? "ok" : "error: no such session");
        } else if (strcmp(line, "whoami") == 0) {
            const char *u = store_whoami(&st);
            puts(u != NULL ? u : "nobody");
        } else if (strcmp(line, "list") == 0) {
            store_list(&st, stdout);
        } else if (line[0] != '\0') {
            puts("error: unknown command");
        }
        fflush(stdout);
    }
    store_clear(&st);
    return 0;
}
