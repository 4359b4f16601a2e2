/*
 * feed - hand-made accounts for the report suites (check_report,
 * check_render): message records built in memory and handed to
 * aggregator_add(), with no log, parser or correlator in between.
 */
#ifndef ZS_TESTS_FEED_H
#define ZS_TESTS_FEED_H

#include <stdint.h>

#include "analysis/aggregator.h"

/* Monday 2026-11-16 00:00:00 UTC; the suites run with TZ=UTC. */
#define T0	INT64_C(1794787200)

/*
 * An account to feed: messages messages from hour on, a minute apart,
 * each to rcpts recipients at domains distinct domains; every bad-th
 * recipient is refused as spam and every unknown-th as an unknown user
 * (0: never).  An account without a SASL name is known by its client
 * "address", which the aggregator keeps as logged.
 */
struct feed {
	const char	*sasl;		/* NULL: an IP account */
	const char	*ip;
	const char	*sender;	/* NULL: forged, a new one each
					   message */
	unsigned	 messages, rcpts, domains, bad, unknown;
	int		 hour;
};

/* feed_account - fd's messages (at most 8 recipients each) into agg;
   idx, distinct for each account fed, makes its queue and message IDs
   its own */
void	feed_account(struct aggregator *agg, const struct feed *fd,
	    unsigned idx);

#endif
