/*
 * wire - compact binary encoding (see wire.h).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/wire.h"
#include "util/xalloc.h"

/* wire_buf_init - empty buffer */
void
wire_buf_init(struct wire_buf *buf)
{
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
}

/* wire_buf_free - free the data */
void
wire_buf_free(struct wire_buf *buf)
{
	free(buf->data);
	wire_buf_init(buf);
}

/* wire_reserve - room for n more bytes, growing geometrically */
void
wire_reserve(struct wire_buf *buf, size_t n)
{
	size_t	cap;

	if (buf->cap - buf->len >= n)
		return;
	if (n > SIZE_MAX / 2 - buf->len)
		abort();
	cap = buf->cap < 64 ? 64 : buf->cap;
	while (cap - buf->len < n)
		cap *= 2;
	buf->data = xreallocarray(buf->data, cap, 1);
	buf->cap = cap;
}

/* wire_put_raw - bytes with no length */
void
wire_put_raw(struct wire_buf *buf, const void *data, size_t len)
{
	if (len == 0)
		return;
	wire_reserve(buf, len);
	memcpy(buf->data + buf->len, data, len);
	buf->len += len;
}

/* wire_put_u8 - one byte */
void
wire_put_u8(struct wire_buf *buf, uint8_t value)
{
	wire_reserve(buf, 1);
	buf->data[buf->len++] = value;
}

/* wire_put_uvarint - LEB128 */
void
wire_put_uvarint(struct wire_buf *buf, uint64_t value)
{
	wire_reserve(buf, WIRE_UVARINT_MAX_LEN);
	buf->len = (size_t)(wire_encode_uvarint(buf->data + buf->len, value) -
	    buf->data);
}

/* wire_put_svarint - zigzag: 0, -1, 1, -2, ... become 0, 1, 2, 3, ... */
void
wire_put_svarint(struct wire_buf *buf, int64_t value)
{
	wire_reserve(buf, WIRE_UVARINT_MAX_LEN);
	buf->len = (size_t)(wire_encode_svarint(buf->data + buf->len, value) -
	    buf->data);
}

/* wire_put_f64 - binary64 bits, least significant byte first */
void
wire_put_f64(struct wire_buf *buf, double value)
{
	uint64_t	bits;
	int		i;

	memcpy(&bits, &value, sizeof(bits));
	wire_reserve(buf, 8);
	for (i = 0; i < 8; i++)
		buf->data[buf->len++] = (unsigned char)(bits >> (8 * i));
}

/* wire_put_bytes - length then bytes */
void
wire_put_bytes(struct wire_buf *buf, const void *data, size_t len)
{
	wire_put_uvarint(buf, len);
	wire_put_raw(buf, data, len);
}

/* wire_put_str - a string as bytes */
void
wire_put_str(struct wire_buf *buf, const char *s)
{
	if (s == NULL)
		s = "";
	wire_put_bytes(buf, s, strlen(s));
}

/* wire_reader_init - read len bytes at data */
void
wire_reader_init(struct wire_reader *r, const void *data, size_t len)
{
	r->p = data;
	r->end = data == NULL ? NULL : r->p + len;
	r->failed = false;
}

/* fail - mark the reader failed and leave nothing to read */
static void
fail(struct wire_reader *r)
{
	r->failed = true;
	r->p = r->end;
}

/* wire_remaining - bytes left */
size_t
wire_remaining(const struct wire_reader *r)
{
	if (r->failed || r->p == NULL)
		return 0;
	return (size_t)(r->end - r->p);
}

/* wire_get_raw - len bytes, borrowed */
const unsigned char *
wire_get_raw(struct wire_reader *r, size_t len)
{
	const unsigned char *p;

	if (r->failed || wire_remaining(r) < len) {
		fail(r);
		return NULL;
	}
	p = r->p;
	if (len > 0)
		r->p += len;
	return p;
}

/* wire_get_u8 - one byte */
uint8_t
wire_get_u8(struct wire_reader *r)
{
	const unsigned char *p = wire_get_raw(r, 1);

	return p == NULL ? 0 : *p;
}

/*
 * wire_get_uvarint - LEB128.  The tenth byte may carry only the top
 * bit of a 64-bit value; more, or an eleventh byte, is an overflow.
 * Non-minimal encodings (trailing 0x80 groups) are accepted: they name
 * the same value and cost the writer nothing to avoid.
 */
uint64_t
wire_get_uvarint(struct wire_reader *r)
{
	uint64_t	value = 0;
	unsigned	shift = 0;
	int		i;
	unsigned char	b;

	for (i = 0; i < WIRE_UVARINT_MAX_LEN; i++) {
		if (r->failed || r->p == r->end) {
			fail(r);
			return 0;
		}
		b = *r->p++;
		if (i == WIRE_UVARINT_MAX_LEN - 1 && b > 1) {
			fail(r);
			return 0;
		}
		value |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			return value;
		shift += 7;
	}
	fail(r);
	return 0;
}

/* wire_get_svarint - undo the zigzag mapping */
int64_t
wire_get_svarint(struct wire_reader *r)
{
	uint64_t	u = wire_get_uvarint(r);
	uint64_t	v = (u >> 1) ^ (0 - (u & 1));
	int64_t		s;

	memcpy(&s, &v, sizeof(s));
	return s;
}

/* wire_get_f64 - 8 bytes little-endian */
double
wire_get_f64(struct wire_reader *r)
{
	const unsigned char *p = wire_get_raw(r, 8);
	uint64_t	bits = 0;
	double		value;
	int		i;

	if (p == NULL)
		return 0;
	for (i = 7; i >= 0; i--)
		bits = bits << 8 | p[i];
	memcpy(&value, &bits, sizeof(value));
	return value;
}

/* wire_get_bytes - length then bytes, borrowed */
bool
wire_get_bytes(struct wire_reader *r, const unsigned char **ptr, size_t *len)
{
	uint64_t	n = wire_get_uvarint(r);
	const unsigned char *p;

	*ptr = NULL;
	*len = 0;
	if (r->failed || n > WIRE_BYTES_MAX || n > wire_remaining(r)) {
		fail(r);
		return false;
	}
	p = wire_get_raw(r, (size_t)n);
	if (p == NULL)
		return false;
	*ptr = p;
	*len = (size_t)n;
	return true;
}

/* wire_get_str - length-prefixed, NUL-free string, copied */
char *
wire_get_str(struct wire_reader *r)
{
	const unsigned char *p;
	size_t		 len;

	if (!wire_get_bytes(r, &p, &len))
		return NULL;
	if (len > 0 && memchr(p, '\0', len) != NULL) {
		fail(r);
		return NULL;
	}
	return xmemdup0(len > 0 ? (const void *)p : "", len);
}

/* wire_crc32_update - zlib's CRC-32 continued, fed in pieces zlib's
   uInt can hold */
uint32_t
wire_crc32_update(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;
	uLong		 c = crc;
	uInt		 n;

	while (len > 0) {
		n = len > UINT_MAX ? UINT_MAX : (uInt)len;
		c = crc32(c, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)c;
}

/* wire_crc32 - from zlib's initial value, 0 */
uint32_t
wire_crc32(const void *data, size_t len)
{
	return wire_crc32_update(0, data, len);
}
