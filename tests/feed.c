/*
 * feed - hand-made accounts for the report suites; see feed.h
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "analysis/message.h"
#include "tests/feed.h"

static char HOST[] = "relay1", SMTP[] = "smtp", DSN_OK[] = "2.0.0";
static char DSN_BAD[] = "5.7.1", DSN_UNKNOWN[] = "5.1.1";
static char TEXT_OK[] = "250 2.0.0 Ok: queued as 4XyZ";
static char TEXT_SPAM[] = "550 5.7.1 Message rejected as spam";
static char TEXT_UNKNOWN[] = "550 5.1.1 User unknown";

/* feed_account - see feed.h */
void
feed_account(struct aggregator *agg, const struct feed *fd, unsigned idx)
{
	struct recipient r[8];
	struct message	 m;
	char		 addr[8][64], sender[128], qid[32], msgid[64];
	char		 sasl[128], ip[128];
	unsigned	 i, j;

	ck_assert_uint_le(fd->rcpts, 8);
	for (i = 0; i < fd->messages; i++) {
		memset(&m, 0, sizeof(m));
		m.kind = RECORD_MESSAGE;
		m.origin = ORIGIN_SMTP;
		m.host = HOST;
		snprintf(qid, sizeof(qid), "%02X%05X", idx, i);
		m.queue_id = qid;
		snprintf(ip, sizeof(ip), "%s", fd->ip);
		m.client_ip = ip;
		if (fd->sasl != NULL) {
			snprintf(sasl, sizeof(sasl), "%s", fd->sasl);
			m.sasl_username = sasl;
		}
		if (fd->sender != NULL)
			snprintf(sender, sizeof(sender), "%s", fd->sender);
		else
			snprintf(sender, sizeof(sender), "x%u@forged.example",
			    i);
		m.sender = sender;
		snprintf(msgid, sizeof(msgid), "m%u.%u@example.org", idx, i);
		m.message_id = msgid;
		m.uid = -1;
		m.size_bytes = 1000;
		m.nrcpt = fd->rcpts;
		m.first_sec = T0 + (int64_t)fd->hour * 3600 +
		    (int64_t)i * 60;
		m.last_sec = m.first_sec + 1;
		m.is_complete = true;
		for (j = 0; j < fd->rcpts; j++) {
			unsigned k = i * fd->rcpts + j;

			memset(&r[j], 0, sizeof(r[j]));
			snprintf(addr[j], sizeof(addr[j]), "r%u@d%u.example",
			    k, k % fd->domains);
			r[j].address = addr[j];
			r[j].transport = SMTP;
			r[j].status = DELIVERY_SENT;
			r[j].dsn = DSN_OK;
			r[j].response = TEXT_OK;
			r[j].time_sec = m.first_sec + 1;
			if (fd->bad > 0 && k % fd->bad == 0) {
				r[j].status = DELIVERY_BOUNCED;
				r[j].dsn = DSN_BAD;
				r[j].response = TEXT_SPAM;
			} else if (fd->unknown > 0 && k % fd->unknown == 1) {
				r[j].status = DELIVERY_BOUNCED;
				r[j].dsn = DSN_UNKNOWN;
				r[j].response = TEXT_UNKNOWN;
			}
		}
		m.recipients = r;
		m.recipient_count = fd->rcpts;
		aggregator_add(agg, &m);
	}
}
