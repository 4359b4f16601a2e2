/*
 * wire - a compact binary encoding: a growable byte buffer to write
 * and a bounds-checked reader.
 *
 * Used for files one run writes and a later run reads back (partial
 * aggregates, saved state).  Integers are LEB128 varints (7 bits a
 * byte, low group first, high bit set on every byte but the last);
 * signed integers are zigzag-mapped first so that small negative
 * numbers stay short.  Doubles are their IEEE 754 binary64 bits, 8
 * bytes little-endian.  Byte strings are a varint length then the
 * bytes.  Nothing is aligned and nothing depends on the host's byte
 * order.
 *
 * The reader never reads past its end.  The first malformed item
 * (truncation, a varint longer than 10 bytes or above 2^64 - 1, a
 * length beyond what is left, a NUL inside a string) sets failed;
 * from then on every get returns 0, false or NULL and failed stays
 * set, so a decoder may read a whole record and check once.
 *
 * Ownership: a wire_buf owns its data (wire_buf_free() frees it; the
 * caller may take data and len instead and free data with free()).
 * The reader borrows its input, which must outlive it;
 * wire_get_bytes() points into that input; wire_get_str() returns a
 * copy the caller frees.
 */
#ifndef ZS_WIRE_H
#define ZS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest byte string wire_get_bytes() accepts, whatever is left. */
#define WIRE_BYTES_MAX	((size_t)1 << 30)

/* Longest encoding of a uvarint: ceil(64 / 7) bytes. */
#define WIRE_UVARINT_MAX_LEN	10

struct wire_buf {
	unsigned char	*data;
	size_t		 len;
	size_t		 cap;
};

struct wire_reader {
	const unsigned char *p;
	const unsigned char *end;
	bool		 failed;
};

/* wire_buf_init - an empty buffer */
void		 wire_buf_init(struct wire_buf *buf);

/* wire_buf_free - free the data and empty the buffer; reusable after */
void		 wire_buf_free(struct wire_buf *buf);

/*
 * wire_reserve - room for n more bytes at data + len, growing the
 * buffer when needed: for a record written in one go with the
 * wire_encode_*() calls below, whose caller then sets len to its end
 */
void		 wire_reserve(struct wire_buf *buf, size_t n);

/* wire_encode_uvarint - value as wire_put_uvarint() writes it, at p
   with WIRE_UVARINT_MAX_LEN bytes free; the byte after it */
static inline unsigned char *
wire_encode_uvarint(unsigned char *p, uint64_t value)
{
	while (value >= 0x80) {
		*p++ = (unsigned char)(value | 0x80);
		value >>= 7;
	}
	*p++ = (unsigned char)value;
	return p;
}

/* wire_uvarint_len - bytes of value as a uvarint */
static inline size_t
wire_uvarint_len(uint64_t value)
{
	size_t	n = 1;

	while (value >= 0x80) {
		value >>= 7;
		n++;
	}
	return n;
}

/* wire_encode_svarint - value as wire_put_svarint() writes it */
static inline unsigned char *
wire_encode_svarint(unsigned char *p, int64_t value)
{
	uint64_t	u = (uint64_t)value;

	return wire_encode_uvarint(p,
	    (u << 1) ^ (value < 0 ? UINT64_MAX : 0));
}

/* wire_put_u8 - one byte */
void		 wire_put_u8(struct wire_buf *buf, uint8_t value);

/* wire_put_uvarint - an unsigned LEB128 varint, 1 to 10 bytes */
void		 wire_put_uvarint(struct wire_buf *buf, uint64_t value);

/* wire_put_svarint - a signed integer, zigzag-mapped, as a uvarint */
void		 wire_put_svarint(struct wire_buf *buf, int64_t value);

/* wire_put_f64 - the IEEE binary64 bits, 8 bytes little-endian */
void		 wire_put_f64(struct wire_buf *buf, double value);

/* wire_put_bytes - a uvarint length, then len bytes (data may be NULL if len 0) */
void		 wire_put_bytes(struct wire_buf *buf, const void *data,
		    size_t len);

/* wire_put_str - a NUL-free string as wire_put_bytes(); NULL writes "" */
void		 wire_put_str(struct wire_buf *buf, const char *s);

/* wire_put_raw - len bytes as they are, no length (magic numbers) */
void		 wire_put_raw(struct wire_buf *buf, const void *data,
		    size_t len);

/* wire_reader_init - read the len bytes at data (borrowed) */
void		 wire_reader_init(struct wire_reader *r, const void *data,
		    size_t len);

/* wire_remaining - bytes left to read; 0 once failed */
size_t		 wire_remaining(const struct wire_reader *r);

/* wire_get_u8 - one byte */
uint8_t		 wire_get_u8(struct wire_reader *r);

/* wire_get_uvarint - a varint; fails on truncation or overflow */
uint64_t	 wire_get_uvarint(struct wire_reader *r);

/* wire_get_svarint - a zigzag-mapped signed integer */
int64_t		 wire_get_svarint(struct wire_reader *r);

/* wire_get_f64 - 8 bytes little-endian as a double (any bits, NaN too) */
double		 wire_get_f64(struct wire_reader *r);

/*
 * wire_get_bytes - a length-prefixed byte string: *ptr points into the
 * input (borrowed), *len bytes.  false, with *ptr NULL and *len 0, when
 * the length exceeds what is left or WIRE_BYTES_MAX.
 */
bool		 wire_get_bytes(struct wire_reader *r,
		    const unsigned char **ptr, size_t *len);

/*
 * wire_get_str - a length-prefixed string as a NUL-terminated copy;
 * NULL (and failed) on a bad length or an embedded NUL.  Caller frees.
 */
char		*wire_get_str(struct wire_reader *r);

/* wire_get_raw - len bytes as they are (borrowed), NULL when short */
const unsigned char *wire_get_raw(struct wire_reader *r, size_t len);

/* wire_crc32 - the zlib (ISO-HDLC) CRC-32 of len bytes */
uint32_t	 wire_crc32(const void *data, size_t len);

/*
 * wire_crc32_update - the CRC-32 of the bytes crc was computed over
 * followed by data[0..len): wire_crc32() of a file is the update of 0
 * with each of its pieces in turn
 */
uint32_t	 wire_crc32_update(uint32_t crc, const void *data, size_t len);

#endif
