/* tlvdump: prints the records of a TLV file.  Exit status: 0 on success,
 * 1 if the file cannot be read, 2 if it is malformed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlv.h"

static unsigned char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL, *exact;
    size_t len = 0, cap = 0, n;

    if (f == NULL)
        return NULL;
    for (;;) {
        if (len == cap) {
            unsigned char *p;
            cap = cap ? cap * 2 : 4096;
            p = realloc(buf, cap);
            if (p == NULL)
                goto fail;
            buf = p;
        }
        n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    if (ferror(f))
        goto fail;
    fclose(f);
    /* keep exactly `len` bytes so that nothing follows the data */
    exact = malloc(len ? len : 1);
    if (exact == NULL) {
        free(buf);
        return NULL;
    }
    memcpy(exact, buf, len);
    free(buf);
    *len_out = len;
    return exact;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

int main(int argc, char **argv)
{
    unsigned char *data;
    size_t len = 0, bad = 0;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 1;
    }
    data = read_file(argv[1], &len);
    if (data == NULL) {
        perror(argv[1]);
        return 1;
    }
    rc = tlv_dump(stdout, data, len, &bad);
    fflush(stdout);
    if (rc != 0)
        fprintf(stderr, "%s: malformed record at offset %lu\n", argv[1], (unsigned long)bad);
    free(data);
    return rc == 0 ? 0 : 2;
}
