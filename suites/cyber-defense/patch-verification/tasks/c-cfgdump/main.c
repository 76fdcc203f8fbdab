/* cfgdump: parses a config file and prints it.
 *   cfgdump FILE          prints every "key=value", in order of definition
 *   cfgdump FILE KEY...   prints the value of each KEY ("" if unset)
 * Exit status: 0 on success, 1 if the file cannot be read, 2 if a line is
 * invalid (reported as "FILE:LINE: invalid line" on stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int main(int argc, char **argv)
{
    struct config cfg;
    const struct config_entry *e;
    char line[1024];
    unsigned long lineno = 0;
    FILE *f;
    int i;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [KEY...]\n", argv[0]);
        return 1;
    }
    f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    config_init(&cfg);
    while (fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        if (config_parse_line(&cfg, line) != 0) {
            fprintf(stderr, "%s:%lu: invalid line\n", argv[1], lineno);
            fclose(f);
            config_free(&cfg);
            return 2;
        }
    }
    fclose(f);
    if (argc == 2) {
        for (e = cfg.head; e != NULL; e = e->next)
            printf("%s=%s\n", e->key, e->value);
    } else {
        for (i = 2; i < argc; i++) {
            const char *v = config_get(&cfg, argv[i]);
            printf("%s\n", v != NULL ? v : "");
        }
    }
    config_free(&cfg);
    return 0;
}
