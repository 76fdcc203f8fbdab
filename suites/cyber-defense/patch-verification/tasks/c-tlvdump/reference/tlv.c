#include "tlv.h"

int tlv_next(const uint8_t *buf, size_t len, size_t *off, struct tlv_record *rec)
{
    size_t pos = *off;

    if (pos == len)
        return 0;
    if (len - pos < 3)
        return -1;
    rec->type = buf[pos];
    rec->len = (uint16_t)(buf[pos + 1] << 8 | buf[pos + 2]);
    if (rec->len > len - pos - 3)
        return -1;
    rec->value = buf + pos + 3;
    *off = pos + 3 + rec->len;
    return 1;
}

static void print_name(FILE *out, const struct tlv_record *rec)
{
    uint16_t i;

    fputs("name \"", out);
    for (i = 0; i < rec->len; i++) {
        uint8_t c = rec->value[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            fputc(c, out);
        else
            fprintf(out, "\\x%02x", c);
    }
    fputs("\"\n", out);
}

int tlv_dump(FILE *out, const uint8_t *buf, size_t len, size_t *bad_off)
{
    size_t off = 0, start;
    struct tlv_record rec;
    int r;

    for (;;) {
        start = off;
        r = tlv_next(buf, len, &off, &rec);
        if (r == 0)
            return 0;
        if (r < 0)
            goto bad;
        switch (rec.type) {
        case 0x01:
            print_name(out, &rec);
            break;
        case 0x02:
            if (rec.len != 4)
                goto bad;
            fprintf(out, "counter %lu\n",
                    (unsigned long)rec.value[0] << 24 | (unsigned long)rec.value[1] << 16 |
                    (unsigned long)rec.value[2] << 8 | (unsigned long)rec.value[3]);
            break;
        default: {
            uint16_t i;
            fprintf(out, "type 0x%02x len %u:", rec.type, (unsigned)rec.len);
            for (i = 0; i < rec.len; i++)
                fprintf(out, " %02x", rec.value[i]);
            fputc('\n', out);
        }
        }
    }
bad:
    *bad_off = start;
    return -1;
}
