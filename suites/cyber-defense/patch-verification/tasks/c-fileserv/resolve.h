#ifndef RESOLVE_H
#define RESOLVE_H

#include <stdio.h>

/*
 * Opens the document `name` of the document root `root` for reading.
 * `name` is a relative path such as "index.html" or "css/site.css", taken
 * from a request.  Requests that would leave the document root must be
 * refused: in that case NULL is returned with errno set to EACCES.  Missing
 * files give NULL with errno ENOENT (as set by fopen), and names longer than
 * the path buffer give NULL with errno ENAMETOOLONG.
 */
FILE *open_document(const char *root, const char *name);

#endif
