/*
 * fuzz_partial - libFuzzer target for the partial aggregate loader
 * (analysis/partial.h, aggregator_load, distinct_load, hll_load).
 *
 * Input: a mode byte, then the bytes of a partial file.  Mode bit 0
 * set: the last four bytes are replaced by the CRC-32 of the rest
 * before loading, so that mutations reach the section decoders instead
 * of stopping at the checksum.  Mode bit 1 set: the bytes after the
 * mode byte are also given to aggregator_load() as an aggregate
 * section on its own, followed by refusal records
 * (aggregator_load_refusals()), remote rejection records
 * (aggregator_load_remote()) and occurrence samples
 * (aggregator_load_uses()); with bit 2 also set, in the layout of
 * partial formats before 6 (legacy), samples and refusals without the
 * client's address, and no remote rejections nor occurrence samples.  Seeds are real partial files
 * (fuzz/regressions/fuzz_partial/, and those run.sh makes with a built
 * zombiescan).
 *
 * Checked: partial_check() returns ok, corrupt or newer, with a
 * terminated, non-empty message when not ok, and the same status
 * twice; an aggregate that loads saves to bytes that load again and
 * save to the same bytes (the encoding is canonical).  Any failure,
 * crash or leak aborts.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/partial.h"
#include "util/wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

static struct classifier *cls;

/* check_file - the whole-file loader, twice */
static void
check_file(const uint8_t *data, size_t size)
{
	enum partial_status st, again;
	char	 err[512], err2[512];

	memset(err, 'x', sizeof(err));
	st = partial_check(data, size, cls, err, sizeof(err));
	CHECK(st == PARTIAL_OK || st == PARTIAL_CORRUPT ||
	    st == PARTIAL_NEWER);
	if (st != PARTIAL_OK) {
		CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		CHECK(err[0] != '\0');
	}
	again = partial_check(data, size, cls, err2, sizeof(err2));
	CHECK(again == st);
}

/* check_aggregate - load, save, load, save: equal bytes */
static void
check_aggregate(const uint8_t *data, size_t size, bool legacy)
{
	struct aggregator *a = aggregator_new(cls), *b;
	struct wire_reader r;
	struct wire_buf	 first, second;

	wire_reader_init(&r, data, size);
	if (!aggregator_load(a, &r, legacy, !legacy)) {
		CHECK(r.failed);
		aggregator_free(a);
		return;
	}
	/* The refusal, remote rejection and occurrence sample records,
	   as a partial keeps them after it. */
	if (!aggregator_load_refusals(a, &r, !legacy) ||
	    (!legacy && (!aggregator_load_remote(a, &r) ||
	    !aggregator_load_uses(a, &r)))) {
		aggregator_free(a);
		return;
	}
	wire_buf_init(&first);
	wire_buf_init(&second);
	aggregator_save(a, &first);
	aggregator_save_refusals(a, &first);
	aggregator_save_remote(a, &first);
	aggregator_save_uses(a, &first);
	b = aggregator_new(cls);
	wire_reader_init(&r, first.data, first.len);
	CHECK(aggregator_load(b, &r, false, true));
	CHECK(aggregator_load_refusals(b, &r, true));
	CHECK(aggregator_load_remote(b, &r));
	CHECK(aggregator_load_uses(b, &r));
	CHECK(wire_remaining(&r) == 0);
	aggregator_save(b, &second);
	aggregator_save_refusals(b, &second);
	aggregator_save_remote(b, &second);
	aggregator_save_uses(b, &second);
	CHECK(first.len == second.len);
	CHECK(first.len == 0 || memcmp(first.data, second.data,
	    first.len) == 0);
	wire_buf_free(&first);
	wire_buf_free(&second);
	aggregator_free(a);
	aggregator_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	*copy;
	uint32_t	 crc;
	uint8_t		 mode;
	size_t		 len, i;

	if (size < 1)
		return 0;
	if (cls == NULL)
		cls = classifier_new();
	mode = data[0];
	len = size - 1;
	copy = malloc(len > 0 ? len : 1);
	CHECK(copy != NULL);
	if (len > 0)
		memcpy(copy, data + 1, len);
	if ((mode & 1) && len >= 4) {
		crc = wire_crc32(copy, len - 4);
		for (i = 0; i < 4; i++)
			copy[len - 4 + i] = (unsigned char)(crc >> (8 * i));
	}
	check_file(copy, len);
	if (mode & 2)
		check_aggregate(copy, len, (mode & 4) != 0);
	free(copy);
	return 0;
}
