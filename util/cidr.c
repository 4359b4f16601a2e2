/*
 * cidr - address prefixes and prefix lists (see cidr.h).
 *
 * A list is one array kept sorted by family, then prefix length
 * (longest first), then address.  A lookup masks the address to each
 * prefix length the list holds, longest first, and binary-searches for
 * that exact network: the first hit is the most specific match.  Which
 * lengths are present is a bitmap per family, so a list of ISP ranges
 * with a dozen distinct lengths costs a dozen searches per address.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cidr.h"
#include "util/errmsg.h"
#include "util/xalloc.h"

/*
 * The longest address text inet_pton(3) accepts is an IPv6 address
 * with an embedded IPv4 one, 45 characters; anything much longer is
 * not an address, and is not copied.
 */
#define ADDR_TEXT_MAX	64

struct cidr_list {
	struct cidr	*entries;	/* sorted: see entry_compare() */
	size_t		 count;
	size_t		 cap;
	uint64_t	 lengths4;	/* bit n: an IPv4 /n is present */
	uint64_t	 lengths6[3];	/* bit n of 0-128 */
};

/* family_max - the address length in bits of a family */
static unsigned
family_max(int family)
{
	return family == AF_INET ? 32 : 128;
}

/* mask_bits - clear every bit of addr after the first len bits */
static void
mask_bits(unsigned char addr[16], unsigned len)
{
	unsigned	i;

	for (i = 0; i < 16; i++) {
		if (len >= 8) {
			len -= 8;
			continue;
		}
		addr[i] &= (unsigned char)(0xff00u >> len);
		len = 0;
	}
}

/*
 * unmap_v4 - turn an IPv4-mapped IPv6 network (::ffff:a.b.c.d, RFC 4291
 * section 2.5.5.2) of at least /96 into the IPv4 network it stands for
 */
static void
unmap_v4(struct cidr *c)
{
	static const unsigned char prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	if (c->family != AF_INET6 || c->prefix_len < 96 ||
	    memcmp(c->addr, prefix, sizeof(prefix)) != 0)
		return;
	c->family = AF_INET;
	c->prefix_len -= 96;
	memmove(c->addr, c->addr + 12, 4);
	memset(c->addr + 4, 0, 12);
}

/*
 * parse_plain_address - inet_pton on an address without prefix, tag or
 * zone; the family is told by the colon every IPv6 text has
 */
static bool
parse_plain_address(const char *text, struct cidr *out)
{
	memset(out, 0, sizeof(*out));
	if (strchr(text, ':') != NULL) {
		if (inet_pton(AF_INET6, text, out->addr) != 1)
			return false;
		out->family = AF_INET6;
		out->prefix_len = 128;
	} else {
		if (inet_pton(AF_INET, text, out->addr) != 1)
			return false;
		out->family = AF_INET;
		out->prefix_len = 32;
	}
	return true;
}

/* cidr_parse - a prefix or a bare address */
bool
cidr_parse(const char *text, struct cidr *out, char *err, size_t errlen)
{
	char		 addr[ADDR_TEXT_MAX], shown[61];
	char		 network[CIDR_TEXT_MAX];
	const char	*slash, *p;
	struct cidr	 c, masked;
	size_t		 addrlen;
	unsigned	 len = 0;

	if (text == NULL)
		text = "";
	errmsg_shown(shown, sizeof(shown), text);
	slash = strchr(text, '/');
	addrlen = slash != NULL ? (size_t)(slash - text) : strlen(text);
	if (addrlen == 0 || addrlen >= sizeof(addr)) {
		return errmsg_fail(err, errlen,
		    "%s: not an IP address or prefix", shown);
	}
	memcpy(addr, text, addrlen);
	addr[addrlen] = '\0';
	if (!parse_plain_address(addr, &c)) {
		return errmsg_fail(err, errlen,
		    "%s: not an IP address or prefix", shown);
	}
	if (slash != NULL) {
		/* Decimal digits only: no sign, no spaces, at most 3. */
		p = slash + 1;
		if (*p == '\0' || strlen(p) > 3 ||
		    strspn(p, "0123456789") != strlen(p)) {
			return errmsg_fail(err, errlen, "%s: prefix length is "
			    "not a number", shown);
		}
		len = (unsigned)atoi(p);
		if (len > family_max(c.family)) {
			return errmsg_fail(err, errlen, "%s: prefix length "
			    "%u is over %u", shown, len, family_max(c.family));
		}
		c.prefix_len = len;
	}
	masked = c;
	mask_bits(masked.addr, masked.prefix_len);
	if (memcmp(masked.addr, c.addr, sizeof(c.addr)) != 0) {
		unmap_v4(&masked);
		cidr_format(&masked, network, sizeof(network));
		return errmsg_fail(err, errlen, "%s: host bits set (the "
		    "network is %s)", shown, network);
	}
	unmap_v4(&c);
	*out = c;
	return true;
}

/* cidr_parse_address - an address to look up, as a host prefix */
bool
cidr_parse_address(const char *text, struct cidr *out)
{
	char		 addr[ADDR_TEXT_MAX];
	const char	*zone;
	size_t		 len;

	if (text == NULL)
		return false;
	/* Sendmail logs IPv6 clients as "IPv6:2001:db8::1". */
	if (strncasecmp(text, "IPv6:", 5) == 0)
		text += 5;
	zone = strchr(text, '%');
	len = zone != NULL ? (size_t)(zone - text) : strlen(text);
	if (len == 0 || len >= sizeof(addr))
		return false;
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (!parse_plain_address(addr, out))
		return false;
	unmap_v4(out);
	return true;
}

/* cidr_is_loopback_text - see cidr.h */
bool
cidr_is_loopback_text(const char *ip)
{
	return strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0 ||
	    strncmp(ip, "::ffff:127.", 11) == 0;
}

/* cidr_contains - whether addr lies inside net */
bool
cidr_contains(const struct cidr *net, const struct cidr *addr)
{
	unsigned char	masked[16];

	if (net->family != addr->family || addr->prefix_len < net->prefix_len)
		return false;
	memcpy(masked, addr->addr, sizeof(masked));
	mask_bits(masked, net->prefix_len);
	return memcmp(masked, net->addr, sizeof(masked)) == 0;
}

/* cidr_format - canonical text of a prefix */
void
cidr_format(const struct cidr *c, char *buf, size_t size)
{
	char	addr[INET6_ADDRSTRLEN];

	if (inet_ntop(c->family, c->addr, addr, sizeof(addr)) == NULL)
		snprintf(addr, sizeof(addr), "?");
	snprintf(buf, size, "%s/%u", addr, c->prefix_len);
}

/* ---- lists ------------------------------------------------------ */

/*
 * entry_compare - IPv4 before IPv6, longer prefixes first, then by
 * address: a total order on distinct networks
 */
static int
entry_compare(const struct cidr *a, const struct cidr *b)
{
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	if (a->prefix_len != b->prefix_len)
		return a->prefix_len > b->prefix_len ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

/*
 * search - binary search for key; true when found.  *at is its index,
 * or where it would be inserted.
 */
static bool
search(const struct cidr_list *list, const struct cidr *key, size_t *at)
{
	size_t	lo = 0, hi = list->count, mid;
	int	cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = entry_compare(key, &list->entries[mid]);
		if (cmp == 0) {
			*at = mid;
			return true;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*at = lo;
	return false;
}

/* has_length - whether the list holds a prefix of family and len */
static bool
has_length(const struct cidr_list *list, int family, unsigned len)
{
	if (family == AF_INET)
		return (list->lengths4 >> len) & 1;
	return (list->lengths6[len / 64] >> (len % 64)) & 1;
}

/* cidr_list_new - an empty list */
struct cidr_list *
cidr_list_new(void)
{
	return xcalloc(1, sizeof(struct cidr_list));
}

/* cidr_list_free - free the list */
void
cidr_list_free(struct cidr_list *list)
{
	if (list == NULL)
		return;
	free(list->entries);
	free(list);
}

/* cidr_list_copy - a deep copy */
struct cidr_list *
cidr_list_copy(const struct cidr_list *list)
{
	struct cidr_list *copy = cidr_list_new();

	if (list == NULL || list->count == 0)
		return copy;
	*copy = *list;
	copy->cap = list->count;
	copy->entries = xcalloc(list->count, sizeof(*copy->entries));
	memcpy(copy->entries, list->entries,
	    list->count * sizeof(*copy->entries));
	return copy;
}

/* cidr_list_add_cidr - insert a network in order, once */
void
cidr_list_add_cidr(struct cidr_list *list, const struct cidr *c)
{
	struct cidr	entry = *c;
	size_t		at;

	if (entry.prefix_len > family_max(entry.family))
		entry.prefix_len = family_max(entry.family);
	mask_bits(entry.addr, entry.prefix_len);
	if (search(list, &entry, &at))
		return;
	if (list->count == list->cap) {
		list->cap = list->cap == 0 ? 8 : list->cap * 2;
		list->entries = xreallocarray(list->entries, list->cap,
		    sizeof(*list->entries));
	}
	/*
	 * Insertion keeps the array sorted; configuration lists hold
	 * thousands of ranges at most, so the moves cost little.
	 */
	memmove(&list->entries[at + 1], &list->entries[at],
	    (list->count - at) * sizeof(*list->entries));
	list->entries[at] = entry;
	list->count++;
	if (entry.family == AF_INET)
		list->lengths4 |= UINT64_C(1) << entry.prefix_len;
	else
		list->lengths6[entry.prefix_len / 64] |=
		    UINT64_C(1) << (entry.prefix_len % 64);
}

/* cidr_list_add - parse and add */
bool
cidr_list_add(struct cidr_list *list, const char *text, char *err,
    size_t errlen)
{
	struct cidr	c;

	if (!cidr_parse(text, &c, err, errlen))
		return false;
	cidr_list_add_cidr(list, &c);
	return true;
}

/* cidr_list_count - number of prefixes */
size_t
cidr_list_count(const struct cidr_list *list)
{
	return list != NULL ? list->count : 0;
}

/* cidr_list_get - the i-th prefix in list order */
const struct cidr *
cidr_list_get(const struct cidr_list *list, size_t i)
{
	if (list == NULL || i >= list->count)
		return NULL;
	return &list->entries[i];
}

/* cidr_list_match_address - the most specific prefix holding addr */
const struct cidr *
cidr_list_match_address(const struct cidr_list *list,
    const struct cidr *addr)
{
	struct cidr	key;
	unsigned	len;
	size_t		at;

	if (list == NULL || list->count == 0 || addr == NULL)
		return NULL;
	len = addr->prefix_len < family_max(addr->family) ?
	    addr->prefix_len : family_max(addr->family);
	for (len++; len-- > 0;) {
		if (!has_length(list, addr->family, len))
			continue;
		key = *addr;
		key.prefix_len = len;
		mask_bits(key.addr, len);
		if (search(list, &key, &at))
			return &list->entries[at];
	}
	return NULL;
}

/* cidr_list_match - look address text up */
const struct cidr *
cidr_list_match(const struct cidr_list *list, const char *ip_text)
{
	struct cidr	addr;

	if (list == NULL || list->count == 0 ||
	    !cidr_parse_address(ip_text, &addr))
		return NULL;
	return cidr_list_match_address(list, &addr);
}

/* cidr_list_contains - whether the address is inside the list */
bool
cidr_list_contains(const struct cidr_list *list, const char *ip_text)
{
	return cidr_list_match(list, ip_text) != NULL;
}
