#ifndef IMAGE_H
#define IMAGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * IMG1 format: the 4 bytes "IMG1", width and height as 32-bit little-endian
 * unsigned integers, then width*height 8-bit grey pixels, row by row.
 * Trailing bytes after the pixel data are ignored.
 */
struct image {
    uint32_t width;
    uint32_t height;
    uint8_t *pix; /* width*height bytes */
};

struct image_stats {
    unsigned min, max;
    double mean;
};

/* Decodes an IMG1 buffer.  Returns NULL if the data is not a valid image
 * (bad magic, zero dimension, or fewer pixel bytes than width*height) or if
 * memory is exhausted. */
struct image *image_decode(const uint8_t *data, size_t len);
void image_stats(const struct image *img, struct image_stats *st);
/* Mirrors the image left to right, in place. */
void image_mirror(struct image *img);
void image_free(struct image *img);

#endif
