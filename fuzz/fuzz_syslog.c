/*
 * fuzz_syslog - libFuzzer target for parsers/syslog.
 *
 * Input: one configuration byte, then lines ("\n"-separated) parsed in
 * turn by one parser, so that year inference carries from line to
 * line as it does in a file.  The configuration byte picks how the
 * first RFC 3164 stamp gets its year: a reference time (bits 0-2 pick
 * one), a fixed year, or a fixed year with an anchor month.
 *
 * Checked on every line: a header that parsed points into the line
 * (host, program, message; service and instance into the program),
 * the host and program are non-empty, the fraction is below a second,
 * and a refused line leaves the header cleared.  Any failure aborts.
 * TZ is fixed to a zone with daylight saving time, written as a POSIX
 * rule so that no zoneinfo file is needed: the run is deterministic.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/syslog.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* Reference times: ordinary, early, late, around New Year, extremes. */
static const time_t references[8] = {
	1795728715,		/* 2026-11-26 */
	1798761599,		/* 2026-12-31 23:59:59 */
	1798761600,		/* 2027-01-01 */
	1,			/* just after the epoch */
	-86400 * 365,		/* before it */
	2147483647,		/* 2038 */
	253402300799,		/* 9999-12-31 */
	(time_t)1 << 40,	/* year ~36812 */
};

static const int years[8] = { 2026, 2027, 2024, 1970, 1, 9999, 2100, 2000 };

/* Anchor months; 0 and 13 are refused by the parser: try them too. */
static const int anchor_months[8] = { 0, 1, 2, 6, 7, 11, 12, 13 };

/* within - whether z lies inside [lo, lo + len) */
static int
within(struct zstr z, const char *lo, size_t len)
{
	return z.ptr != NULL && z.ptr >= lo && z.len <= len &&
	    (size_t)(z.ptr - lo) <= len - z.len;
}

/* LLVMFuzzerInitialize - a fixed zone with DST rules, no zoneinfo */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	return 0;
}

/*
 * check_line - parse one line and check what came back.  The line is
 * copied to a buffer of its own size first, so that reading past its
 * end is caught even when more input follows.
 */
static void
check_line(struct syslog_parser *p, const char *text, size_t len)
{
	struct syslog_header hdr;
	char		*line;

	line = malloc(len);	/* ASan: malloc(0) is a unique pointer */
	CHECK(line != NULL);
	memcpy(line, text, len);
	if (syslog_parse(p, line, len, &hdr) == SYSLOG_OK) {
		CHECK(within(hdr.host, line, len) && hdr.host.len > 0);
		CHECK(within(hdr.program, line, len) && hdr.program.len > 0);
		CHECK(within(hdr.message, line, len));
		CHECK(within(hdr.service, hdr.program.ptr, hdr.program.len));
		CHECK(within(hdr.instance, hdr.program.ptr,
		    hdr.program.len));
		CHECK(hdr.time_usec < 1000000);
		CHECK(hdr.pid >= -1);
		CHECK(memchr(hdr.host.ptr, ' ', hdr.host.len) == NULL);
	} else {
		CHECK(hdr.host.ptr == NULL && hdr.program.ptr == NULL &&
		    hdr.message.ptr == NULL && hdr.pid == -1);
	}
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syslog_parser *p;
	const char	*s, *end, *nl;
	unsigned	 config;

	if (size < 1)
		return 0;
	config = data[0];
	s = (const char *)data + 1;
	end = (const char *)data + size;

	switch (config >> 6) {
	case 0:
	case 1:
		p = syslog_parser_new(0, references[config & 7]);
		break;
	case 2:
		p = syslog_parser_new(years[config & 7], references[0]);
		break;
	default:
		p = syslog_parser_new(years[config & 7], references[0]);
		syslog_parser_set_anchor(p, years[config & 7],
		    anchor_months[(config >> 3) & 7]);
		break;
	}
	for (;;) {
		nl = memchr(s, '\n', (size_t)(end - s));
		check_line(p, s, (size_t)((nl != NULL ? nl : end) - s));
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	syslog_parser_free(p);
	return 0;
}
