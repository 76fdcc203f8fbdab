/* imginfo: prints the size and grey-level statistics of an IMG1 image.
 *   imginfo FILE        ->  "WIDTHxHEIGHT min=A max=B mean=C"
 *   imginfo -m FILE     ->  also prints the mirrored first row as hex
 * Exit status: 0 on success, 1 if the file cannot be read, 2 if it is not a
 * valid IMG1 image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

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
    int mirror = argc == 3 && strcmp(argv[1], "-m") == 0;
    const char *path = argv[argc - 1];
    unsigned char *data;
    struct image *img;
    struct image_stats st;
    size_t len = 0;
    uint32_t x;

    if (argc != 2 && !mirror) {
        fprintf(stderr, "usage: %s [-m] FILE\n", argv[0]);
        return 1;
    }
    data = read_file(path, &len);
    if (data == NULL) {
        perror(path);
        return 1;
    }
    img = image_decode(data, len);
    free(data);
    if (img == NULL) {
        fprintf(stderr, "%s: not a valid IMG1 image\n", path);
        return 2;
    }
    image_stats(img, &st);
    printf("%lux%lu min=%u max=%u mean=%.2f\n", (unsigned long)img->width,
           (unsigned long)img->height, st.min, st.max, st.mean);
    if (mirror) {
        image_mirror(img);
        for (x = 0; x < img->width && x < 16; x++)
            printf("%s%02x", x ? " " : "", img->pix[x]);
        putchar('\n');
    }
    image_free(img);
    return 0;
}
