#include <stdlib.h>
#include <string.h>

#include "image.h"

static uint32_t rd32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct image *image_decode(const uint8_t *data, size_t len)
{
    struct image *img;
    uint32_t w, h, npix, y;

    if (len < 12 || memcmp(data, "IMG1", 4) != 0)
        return NULL;
    w = rd32le(data + 4);
    h = rd32le(data + 8);
    if (w == 0 || h == 0)
        return NULL;
    npix = w * h;
    if (len - 12 < npix)
        return NULL;
    img = malloc(sizeof(*img));
    if (img == NULL)
        return NULL;
    img->pix = malloc(npix);
    if (img->pix == NULL) {
        free(img);
        return NULL;
    }
    img->width = w;
    img->height = h;
    for (y = 0; y < h; y++)
        memcpy(img->pix + (size_t)y * w, data + 12 + (size_t)y * w, w);
    return img;
}

void image_stats(const struct image *img, struct image_stats *st)
{
    size_t i, n = (size_t)img->width * img->height;
    double sum = 0;

    st->min = 255;
    st->max = 0;
    for (i = 0; i < n; i++) {
        unsigned v = img->pix[i];
        if (v < st->min)
            st->min = v;
        if (v > st->max)
            st->max = v;
        sum += v;
    }
    st->mean = sum / (double)n;
}

void image_mirror(struct image *img)
{
    uint32_t x, y;

    for (y = 0; y < img->height; y++) {
        uint8_t *row = img->pix + (size_t)y * img->width;
        for (x = 0; x < img->width / 2; x++) {
            uint8_t t = row[x];
            row[x] = row[img->width - 1 - x];
            row[img->width - 1 - x] = t;
        }
    }
}

void image_free(struct image *img)
{
    if (img != NULL) {
        free(img->pix);
        free(img);
    }
}
