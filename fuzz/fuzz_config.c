/*
 * fuzz_config - libFuzzer target for analysis/zsconfig and util/cidr.
 *
 * Input: a configuration file's text.  It is parsed with
 * zsconfig_parse(); a configuration that reads goes to scorer_new()
 * (its lists copied), its ISP networks are asked about a few
 * addresses, and when it adds reply patterns they extend a fresh
 * classifier.  Then each line of the input is read as a network with
 * cidr_parse() and as an address with cidr_parse_address().
 *
 * Checked: a refused file comes with a terminated, non-empty message;
 * a network that parses formats to text that parses back to the same
 * network, within CIDR_TEXT_MAX bytes, and contains its own address;
 * error messages are terminated.  Any failure aborts.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "analysis/classify.h"
#include "analysis/scorer.h"
#include "analysis/zsconfig.h"
#include "util/cidr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* Patterns compile at a cost: a file adding more is not extended. */
#define MAX_PATTERNS_EXTENDED	8

/* check_config - parse the text as a configuration file */
static void
check_config(const uint8_t *data, size_t size)
{
	static const char *const addresses[] = {
		"192.0.2.7", "10.1.2.3", "2001:db8::1", "::ffff:192.0.2.1",
		"IPv6:2001:db8::2", "fe80::1%eth0", "not an address", "",
	};
	struct zs_config *cfg;
	struct classifier *cls;
	struct scorer	*sc;
	char		*text, err[512];
	size_t		 i;

	text = malloc(size);	/* ASan: malloc(0) is a unique pointer */
	CHECK(text != NULL);
	memcpy(text, data, size);
	memset(err, 0x55, sizeof(err));
	cfg = zsconfig_parse(text, size, "fuzz.conf", err, sizeof(err));
	if (cfg == NULL) {
		CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		CHECK(err[0] != '\0');
		free(text);
		return;
	}
	sc = scorer_new(zsconfig_scoring(cfg));
	scorer_free(sc);
	for (i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++)
		(void)zsconfig_is_isp_address(cfg, addresses[i]);
	(void)cidr_list_count(zsconfig_isp_networks(cfg));
	if (zsconfig_pattern_count(cfg) > 0 &&
	    zsconfig_pattern_count(cfg) <= MAX_PATTERNS_EXTENDED) {
		cls = classifier_new();
		CHECK(zsconfig_extend_classifier(cfg, cls, err, sizeof(err)));
		(void)classifier_classify(cls, text, size);
		classifier_free(cls);
	}
	zsconfig_free(cfg);
	free(text);
}

/* check_cidr - one line as a network and as an address */
static void
check_cidr(const char *line)
{
	struct cidr	 net, again, addr;
	char		 buf[CIDR_TEXT_MAX], err[256];

	memset(err, 0x55, sizeof(err));
	if (cidr_parse(line, &net, err, sizeof(err))) {
		CHECK(net.family != 0);
		CHECK(net.prefix_len <= 128);
		memset(buf, 0x55, sizeof(buf));
		cidr_format(&net, buf, sizeof(buf));
		CHECK(memchr(buf, '\0', sizeof(buf)) != NULL);
		CHECK(cidr_parse(buf, &again, err, sizeof(err)));
		CHECK(again.family == net.family &&
		    again.prefix_len == net.prefix_len &&
		    memcmp(again.addr, net.addr, sizeof(net.addr)) == 0);
	} else
		CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	if (cidr_parse_address(line, &addr)) {
		CHECK(addr.prefix_len == (addr.family == AF_INET6 ? 128u :
		    32u));
		CHECK(cidr_contains(&addr, &addr));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*s = data, *end = data + size, *nl;
	char		*line;
	size_t		 len;

	check_config(data, size);
	for (;;) {
		nl = memchr(s, '\n', (size_t)(end - s));
		len = (size_t)((nl != NULL ? nl : end) - s);
		line = malloc(len + 1);
		CHECK(line != NULL);
		memcpy(line, s, len);
		line[len] = '\0';
		check_cidr(line);
		free(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return 0;
}
