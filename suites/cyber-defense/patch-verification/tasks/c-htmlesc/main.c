/* htmlesc: reads text lines on stdin and writes them HTML-escaped to stdout.
 * With -a, uses the attribute variant.  Exit status 0, or 1 on error. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

int main(int argc, char **argv)
{
    char *line = NULL, *esc;
    size_t cap = 0;
    ssize_t n;
    int attr = argc > 1 && strcmp(argv[1], "-a") == 0;

    while ((n = getline(&line, &cap, stdin)) != -1) {
        if (n > 0 && line[n - 1] == '\n')
            line[n - 1] = '\0';
        esc = attr ? html_escape_attr(line) : html_escape(line);
        if (esc == NULL) {
            fputs("htmlesc: out of memory\n", stderr);
            free(line);
            return 1;
        }
        puts(esc);
        free(esc);
    }
    free(line);
    return 0;
}
