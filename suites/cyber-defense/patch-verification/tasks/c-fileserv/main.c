/* fileserv: prints a document from a document root, the way the server's
 * request handler does.
 *   fileserv ROOT NAME
 * Exit status: 0 and the document on stdout; 1 if it does not exist (or is
 * not a regular file); 3 if the request is refused; 4 on other errors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "resolve.h"

int main(int argc, char **argv)
{
    struct stat sb;
    char buf[4096];
    size_t n;
    FILE *f;

    if (argc != 3) {
        fprintf(stderr, "usage: %s ROOT NAME\n", argv[0]);
        return 4;
    }
    f = open_document(argv[1], argv[2]);
    if (f == NULL) {
        fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
        return errno == EACCES ? 3 : errno == ENOENT ? 1 : 4;
    }
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "%s: not a regular file\n", argv[2]);
        fclose(f);
        return 1;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return fflush(stdout) == 0 ? 0 : 4;
}
