/*
 * fuzz_state - libFuzzer target for the --state file loader
 * (analysis/state.h).  fuzz-needs: analysis/state.c
 *
 * Input: the bytes of a state file, given to state_decode().  Seeds
 * are real state files (fuzz/regressions/fuzz_state/, and those
 * run.sh makes with a built zombiescan).
 *
 * Checked: the status is one of ok, corrupt or newer, with a message
 * when it is not ok and no state; an accepted file encodes to bytes
 * that decode again to the same bytes (the encoding is canonical, so
 * a file that loads is rewritten without loss); folding an empty run
 * after its as-of time decays and prunes without failing, and the
 * result round-trips too.  Any failure aborts.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/state.h"
#include "util/wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* round_trip - encode st, decode it, encode again: equal bytes */
static void
round_trip(const struct state *st)
{
	struct wire_buf	 one, two;
	struct state	*back = NULL;
	char		 err[256];

	wire_buf_init(&one);
	wire_buf_init(&two);
	state_encode(st, &one);
	CHECK(state_decode(one.data, one.len, NULL, &back, err,
	    sizeof(err)) == STATE_OK);
	CHECK(back != NULL);
	CHECK(state_as_of(back) == state_as_of(st));
	CHECK(state_account_count(back) == state_account_count(st));
	state_encode(back, &two);
	CHECK(one.len == two.len && memcmp(one.data, two.data, one.len) == 0);
	state_free(back);
	wire_buf_free(&one);
	wire_buf_free(&two);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct classifier *cls;
	struct aggregator *agg;
	struct state	*st = NULL;
	enum state_status status;
	char		 err[256];
	int64_t		 next;

	if (cls == NULL)
		cls = classifier_new();
	err[0] = '\0';
	status = state_decode(data, size, NULL, &st, err, sizeof(err));
	if (status != STATE_OK) {
		CHECK(status == STATE_CORRUPT || status == STATE_NEWER);
		CHECK(st == NULL);
		CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL);
		return 0;
	}
	CHECK(st != NULL);
	round_trip(st);

	/* A night with no mail after the state's: everything decays. */
	next = state_as_of(st) + 86400;
	agg = aggregator_new(cls);
	CHECK(state_update(st, agg, next - 86399, next, NULL) ==
	    STATE_UPDATED);
	CHECK(state_as_of(st) == next);
	CHECK(state_update(st, agg, next - 86399, next, NULL) ==
	    STATE_NOT_NEWER);
	round_trip(st);
	aggregator_free(agg);
	state_free(st);
	return 0;
}
