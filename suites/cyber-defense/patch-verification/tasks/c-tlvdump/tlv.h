#ifndef TLV_H
#define TLV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Record format: 1-byte type, 2-byte big-endian length, then `length` bytes
 * of value.  Type 0x01 is a UTF-8 name, type 0x02 a 32-bit big-endian
 * counter (length must be 4); any other type is printed as hex.
 */
struct tlv_record {
    uint8_t type;
    uint16_t len;
    const uint8_t *value;
};

/* Reads the record at *off and advances *off past it.
 * Returns 1 if a record was read, 0 at the end of the input and -1 if the
 * input is malformed. */
int tlv_next(const uint8_t *buf, size_t len, size_t *off, struct tlv_record *rec);

/* Prints every record of buf, one per line.  Returns 0 on success; on
 * malformed input prints what it could and returns -1, setting *bad_off to
 * the offset of the offending record. */
int tlv_dump(FILE *out, const uint8_t *buf, size_t len, size_t *bad_off);

#endif
