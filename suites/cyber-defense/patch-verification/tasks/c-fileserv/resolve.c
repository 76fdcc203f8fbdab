#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "resolve.h"

FILE *open_document(const char *root, const char *name)
{
    char path[4096];
    int n;

    if (name[0] == '\0' || name[0] == '/') {
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
