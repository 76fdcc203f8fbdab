#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "resolve.h"

/* Whether one of the '/'-separated components of name is "..". */
static int has_parent_component(const char *name)
{
    const char *p = name;

    for (;;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        if (p[n] == '\0')
            return 0;
        p += n + 1;
    }
}

FILE *open_document(const char *root, const char *name)
{
    char path[4096];
    int n;

    if (name[0] == '\0' || name[0] == '/' || has_parent_component(name)) {
        errno = EACCES;
        return NULL;
    }
    n = snprintf(path, sizeof(path), "%s/%s", root, name);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    return fopen(path, "r");
}
