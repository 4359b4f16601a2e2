/*
 * check_wire - the compact binary encoding (util/wire.h): round trips
 * at the edges of each type, a record cut at every byte, overlong and
 * overflowing varints, lengths beyond the input, and the sticky
 * failure.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/wire.h"
#include "tests/testutil.h"

static const uint64_t uvalues[] = {
	0, 1, 127, 128, 255, 300, 16383, 16384, 0xffffffffULL,
	0x100000000ULL, (UINT64_C(1) << 63) - 1, UINT64_C(1) << 63,
	UINT64_MAX - 1, UINT64_MAX,
};

static const int64_t svalues[] = {
	0, 1, -1, 63, -64, 64, -65, INT32_MAX, INT32_MIN, INT64_MAX,
	INT64_MIN, INT64_MIN + 1,
};

static const double fvalues[] = {
	0.0, -0.0, 1.0, -1.5, 1e-300, 4.9e-324, 1.7976931348623157e308,
	0.1, HUGE_VAL, -HUGE_VAL,
};

/* put_record - one of each kind, the record the cut test truncates */
static void
put_record(struct wire_buf *b)
{
	wire_put_u8(b, 0xa5);
	wire_put_uvarint(b, UINT64_MAX);
	wire_put_svarint(b, -12345);
	wire_put_f64(b, 3.25);
	wire_put_bytes(b, "\0\1\2", 3);
	wire_put_str(b, "relay1.example.net");
	wire_put_uvarint(b, 7);
}

/* get_record - read put_record()'s items; true when all match */
static bool
get_record(struct wire_reader *r)
{
	const unsigned char *p;
	size_t		 len;
	bool		 ok = true;
	char		*s;

	ok &= wire_get_u8(r) == 0xa5;
	ok &= wire_get_uvarint(r) == UINT64_MAX;
	ok &= wire_get_svarint(r) == -12345;
	ok &= wire_get_f64(r) == 3.25;
	ok &= wire_get_bytes(r, &p, &len) && len == 3 &&
	    memcmp(p, "\0\1\2", 3) == 0;
	s = wire_get_str(r);
	ok &= s != NULL && strcmp(s, "relay1.example.net") == 0;
	free(s);
	ok &= wire_get_uvarint(r) == 7;
	return ok && !r->failed;
}

/* test_uvarint_roundtrip - edges of each byte count */
START_TEST(test_uvarint_roundtrip)
{
	struct wire_buf	 b;
	struct wire_reader r;
	size_t		 i, n = sizeof(uvalues) / sizeof(uvalues[0]);

	wire_buf_init(&b);
	for (i = 0; i < n; i++)
		wire_put_uvarint(&b, uvalues[i]);
	wire_reader_init(&r, b.data, b.len);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(wire_get_uvarint(&r), uvalues[i]);
	ck_assert(!r.failed);
	ck_assert_uint_eq(wire_remaining(&r), 0);
	wire_buf_free(&b);

	/* Sizes: 127 is one byte, 128 two, UINT64_MAX ten. */
	wire_put_uvarint(&b, 127);
	ck_assert_uint_eq(b.len, 1);
	wire_put_uvarint(&b, 128);
	ck_assert_uint_eq(b.len, 3);
	wire_put_uvarint(&b, UINT64_MAX);
	ck_assert_uint_eq(b.len, 3 + WIRE_UVARINT_MAX_LEN);
	wire_buf_free(&b);
}
END_TEST

/* test_svarint_roundtrip - zigzag keeps small magnitudes short */
START_TEST(test_svarint_roundtrip)
{
	struct wire_buf	 b;
	struct wire_reader r;
	size_t		 i, n = sizeof(svalues) / sizeof(svalues[0]);

	wire_buf_init(&b);
	for (i = 0; i < n; i++)
		wire_put_svarint(&b, svalues[i]);
	wire_reader_init(&r, b.data, b.len);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(wire_get_svarint(&r), svalues[i]);
	ck_assert(!r.failed);
	wire_buf_free(&b);

	wire_put_svarint(&b, -1);
	ck_assert_uint_eq(b.len, 1);
	ck_assert_uint_eq(b.data[0], 1);
	wire_put_svarint(&b, -64);
	ck_assert_uint_eq(b.len, 2);
	wire_buf_free(&b);
}
END_TEST

/* test_f64_roundtrip - bits survive, and the byte order is fixed */
START_TEST(test_f64_roundtrip)
{
	struct wire_buf	 b;
	struct wire_reader r;
	size_t		 i, n = sizeof(fvalues) / sizeof(fvalues[0]);
	double		 d;

	wire_buf_init(&b);
	for (i = 0; i < n; i++)
		wire_put_f64(&b, fvalues[i]);
	wire_put_f64(&b, NAN);
	ck_assert_uint_eq(b.len, 8 * (n + 1));
	wire_reader_init(&r, b.data, b.len);
	for (i = 0; i < n; i++) {
		d = wire_get_f64(&r);
		ck_assert(memcmp(&d, &fvalues[i], sizeof(d)) == 0);
	}
	ck_assert(isnan(wire_get_f64(&r)));
	ck_assert(!r.failed);
	wire_buf_free(&b);

	/* 1.0 is 0x3ff0000000000000: the last byte written is 0x3f. */
	wire_put_f64(&b, 1.0);
	ck_assert_uint_eq(b.data[0], 0);
	ck_assert_uint_eq(b.data[6], 0xf0);
	ck_assert_uint_eq(b.data[7], 0x3f);
	wire_buf_free(&b);
}
END_TEST

/* test_bytes_and_str - empty, binary, NULL string */
START_TEST(test_bytes_and_str)
{
	struct wire_buf	 b;
	struct wire_reader r;
	const unsigned char *p;
	size_t		 len;
	char		*s;

	wire_buf_init(&b);
	wire_put_bytes(&b, NULL, 0);
	wire_put_str(&b, NULL);
	wire_put_str(&b, "queue-id");
	wire_put_raw(&b, "ZS", 2);
	wire_reader_init(&r, b.data, b.len);
	ck_assert(wire_get_bytes(&r, &p, &len));
	ck_assert_uint_eq(len, 0);
	s = wire_get_str(&r);
	ck_assert_str_eq(s, "");
	free(s);
	s = wire_get_str(&r);
	ck_assert_str_eq(s, "queue-id");
	free(s);
	p = wire_get_raw(&r, 2);
	ck_assert(p != NULL && memcmp(p, "ZS", 2) == 0);
	ck_assert(!r.failed);
	ck_assert(wire_get_raw(&r, 1) == NULL);
	ck_assert(r.failed);
	wire_buf_free(&b);
}
END_TEST

/* test_str_rejects_nul - a string with a NUL inside fails the reader */
START_TEST(test_str_rejects_nul)
{
	struct wire_buf	 b;
	struct wire_reader r;

	wire_buf_init(&b);
	wire_put_bytes(&b, "ab\0c", 4);
	wire_put_uvarint(&b, 5);
	wire_reader_init(&r, b.data, b.len);
	ck_assert(wire_get_str(&r) == NULL);
	ck_assert(r.failed);
	ck_assert_uint_eq(wire_get_uvarint(&r), 0);
	wire_buf_free(&b);
}
END_TEST

/* test_truncation - a record cut at every byte fails, never over-reads */
START_TEST(test_truncation)
{
	struct wire_buf	 b;
	struct wire_reader r;
	unsigned char	*copy;
	size_t		 cut;

	wire_buf_init(&b);
	put_record(&b);
	wire_reader_init(&r, b.data, b.len);
	ck_assert(get_record(&r));
	ck_assert_uint_eq(wire_remaining(&r), 0);
	for (cut = 0; cut < b.len; cut++) {
		/* An exact-size heap copy lets ASan see any over-read. */
		copy = malloc(cut > 0 ? cut : 1);
		memcpy(copy, b.data, cut);
		wire_reader_init(&r, copy, cut);
		ck_assert(!get_record(&r));
		ck_assert(r.failed);
		ck_assert_uint_eq(wire_remaining(&r), 0);
		free(copy);
	}
	wire_buf_free(&b);
}
END_TEST

/* test_overlong_varint - eleven bytes, or a tenth byte above 1, fail */
START_TEST(test_overlong_varint)
{
	static const unsigned char eleven[] = {
		0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
	};
	static const unsigned char overflow[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
	};
	static const unsigned char max[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
	};
	static const unsigned char padded_zero[] = { 0x80, 0x00 };
	struct wire_reader r;

	wire_reader_init(&r, eleven, sizeof(eleven));
	ck_assert_uint_eq(wire_get_uvarint(&r), 0);
	ck_assert(r.failed);
	wire_reader_init(&r, overflow, sizeof(overflow));
	ck_assert_uint_eq(wire_get_uvarint(&r), 0);
	ck_assert(r.failed);
	wire_reader_init(&r, max, sizeof(max));
	ck_assert_uint_eq(wire_get_uvarint(&r), UINT64_MAX);
	ck_assert(!r.failed);
	wire_reader_init(&r, padded_zero, sizeof(padded_zero));
	ck_assert_uint_eq(wire_get_uvarint(&r), 0);
	ck_assert(!r.failed);
}
END_TEST

/* test_huge_length - a claimed length beyond the input fails cleanly */
START_TEST(test_huge_length)
{
	struct wire_buf	 b;
	struct wire_reader r;
	const unsigned char *p = (const unsigned char *)"x";
	size_t		 len = 99;

	wire_buf_init(&b);
	wire_put_uvarint(&b, UINT64_MAX);
	wire_put_raw(&b, "abc", 3);
	wire_reader_init(&r, b.data, b.len);
	ck_assert(!wire_get_bytes(&r, &p, &len));
	ck_assert(p == NULL);
	ck_assert_uint_eq(len, 0);
	ck_assert(r.failed);
	wire_buf_free(&b);

	/* One byte more than is left. */
	wire_put_uvarint(&b, 4);
	wire_put_raw(&b, "abc", 3);
	wire_reader_init(&r, b.data, b.len);
	ck_assert(wire_get_str(&r) == NULL);
	ck_assert(r.failed);
	wire_buf_free(&b);

	/* Above WIRE_BYTES_MAX, even if it were there. */
	wire_put_uvarint(&b, (uint64_t)WIRE_BYTES_MAX + 1);
	wire_reader_init(&r, b.data, b.len);
	ck_assert(!wire_get_bytes(&r, &p, &len));
	ck_assert(r.failed);
	wire_buf_free(&b);
}
END_TEST

/* test_sticky_failure - once failed, even valid bytes read as 0 */
START_TEST(test_sticky_failure)
{
	struct wire_buf	 b;
	struct wire_reader r;

	wire_buf_init(&b);
	wire_put_uvarint(&b, 5);
	wire_put_f64(&b, 2.0);
	wire_reader_init(&r, b.data, 0);
	ck_assert_uint_eq(wire_get_u8(&r), 0);
	ck_assert(r.failed);
	r.end = b.data + b.len;		/* valid data after the failure */
	ck_assert_uint_eq(wire_get_uvarint(&r), 0);
	ck_assert(wire_get_f64(&r) == 0.0);
	ck_assert_int_eq(wire_get_svarint(&r), 0);
	ck_assert(wire_get_str(&r) == NULL);
	ck_assert(r.failed);
	wire_buf_free(&b);

	/* An empty reader over NULL is simply empty. */
	wire_reader_init(&r, NULL, 0);
	ck_assert_uint_eq(wire_remaining(&r), 0);
	ck_assert_uint_eq(wire_get_uvarint(&r), 0);
	ck_assert(r.failed);
}
END_TEST

/* test_crc32 - the standard check value, empty input, and the same
   value from pieces */
START_TEST(test_crc32)
{
	const char *digits = "123456789";
	uint32_t crc = 0;
	size_t	 i;

	ck_assert_uint_eq(wire_crc32(digits, 9), 0xcbf43926U);
	ck_assert_uint_eq(wire_crc32("", 0), 0);
	for (i = 0; i < 9; i += 4)
		crc = wire_crc32_update(crc, digits + i, 9 - i < 4 ? 9 - i : 4);
	ck_assert_uint_eq(crc, 0xcbf43926U);
	ck_assert_uint_eq(wire_crc32_update(crc, "", 0), 0xcbf43926U);
}
END_TEST

/* test_growth - many small writes keep every byte */
START_TEST(test_growth)
{
	struct wire_buf	 b;
	struct wire_reader r;
	uint64_t	 i;

	wire_buf_init(&b);
	for (i = 0; i < 100000; i++)
		wire_put_uvarint(&b, i * 2654435761U);
	ck_assert_uint_le(b.len, b.cap);
	wire_reader_init(&r, b.data, b.len);
	for (i = 0; i < 100000; i++)
		ck_assert_uint_eq(wire_get_uvarint(&r), i * 2654435761U);
	ck_assert(!r.failed);
	wire_buf_free(&b);
	ck_assert(b.data == NULL && b.len == 0 && b.cap == 0);
}
END_TEST

static Suite *
wire_suite(void)
{
	Suite	*s = suite_create("wire");
	TCase	*tc = tcase_create("wire");

	tcase_add_test(tc, test_uvarint_roundtrip);
	tcase_add_test(tc, test_svarint_roundtrip);
	tcase_add_test(tc, test_f64_roundtrip);
	tcase_add_test(tc, test_bytes_and_str);
	tcase_add_test(tc, test_str_rejects_nul);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_overlong_varint);
	tcase_add_test(tc, test_huge_length);
	tcase_add_test(tc, test_sticky_failure);
	tcase_add_test(tc, test_crc32);
	tcase_add_test(tc, test_growth);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(wire_suite());
}
