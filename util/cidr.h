/*
 * cidr - IPv4 and IPv6 address prefixes, and lists of them to look
 * addresses up in.
 *
 * The configuration names networks ("192.0.2.0/24", "2001:db8::/32")
 * for allowlists and for the ISP's own address ranges; the scorer asks
 * whether a client address the logs gave is inside one of them.
 * Addresses are parsed with inet_pton(3), so only the standard forms
 * are accepted (dotted quad without leading zeros, RFC 4291 IPv6 text).
 *
 * Rules of the text forms:
 *   - "a.b.c.d/n" (n 0-32) and "ipv6/n" (n 0-128); a bare address is a
 *     host prefix (/32, /128).
 *   - A prefix with host bits set ("192.0.2.1/24") is rejected, as
 *     Postfix's cidr tables reject it: it is more often a typo for the
 *     host or for the network than a deliberate network, so the error
 *     names the network it would be.
 *   - IPv4-mapped IPv6 ("::ffff:192.0.2.1", and prefixes of
 *     ::ffff:0:0/96 that are at least /96 long) stands for the IPv4
 *     address or prefix: servers listening on IPv6 sockets log IPv4
 *     clients that way.
 *   - An address to look up may carry Sendmail's "IPv6:" tag and a
 *     zone ("fe80::1%eth0"), both ignored.
 *
 * Lookups in a list cost one binary search per distinct prefix length
 * present, so lists of thousands of ranges are cheap.  When several
 * prefixes contain an address, the longest (most specific) one is the
 * match.
 *
 * Ownership: a cidr_list owns its entries; pointers to entries stay
 * valid until the list is changed or freed.
 */
#ifndef ZS_CIDR_H
#define ZS_CIDR_H

#include <stdbool.h>
#include <stddef.h>

/* A network: the address with every host bit clear, and its length. */
struct cidr {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned	 prefix_len;	/* 0-32 or 0-128 */
	unsigned char	 addr[16];	/* IPv4 in the first 4 bytes, the
					   rest zero */
};

/* Longest text cidr_format() writes, with its NUL: "ipv6/128". */
#define CIDR_TEXT_MAX	(46 + 4)

struct cidr_list;

/*
 * cidr_parse - a prefix or bare address from text.  false with a
 * message in err (naming the text, clipped) when it is not one.
 */
bool		 cidr_parse(const char *text, struct cidr *out, char *err,
		    size_t errlen);

/*
 * cidr_parse_address - one address as a host prefix (/32 or /128),
 * accepting the lookup forms above; false when text is not an address
 * (a prefix length is not accepted here).
 */
bool		 cidr_parse_address(const char *text, struct cidr *out);

/* cidr_contains - whether the host prefix addr lies inside net */
bool		 cidr_contains(const struct cidr *net, const struct cidr *addr);

/*
 * cidr_is_loopback_text - whether ip, an address in canonical text
 * (inet_ntop(3)'s), is one of the host itself: 127.0.0.0/8, ::1, or
 * ::ffff:127.x.y.z
 */
bool		 cidr_is_loopback_text(const char *ip);

/* cidr_format - canonical text ("192.0.2.0/24", "2001:db8::/32") */
void		 cidr_format(const struct cidr *c, char *buf, size_t size);

/* cidr_list_new - an empty list; free with cidr_list_free() */
struct cidr_list *cidr_list_new(void);

/* cidr_list_free - free the list; NULL is a no-op */
void		 cidr_list_free(struct cidr_list *list);

/* cidr_list_copy - a copy of list (an empty list for NULL) */
struct cidr_list *cidr_list_copy(const struct cidr_list *list);

/*
 * cidr_list_add - parse text (cidr_parse) and add it; a prefix already
 * in the list is not added twice.  false with a message in err when
 * the text does not parse (the list is then unchanged).
 */
bool		 cidr_list_add(struct cidr_list *list, const char *text,
		    char *err, size_t errlen);

/* cidr_list_add_cidr - add a parsed prefix (host bits are cleared) */
void		 cidr_list_add_cidr(struct cidr_list *list,
		    const struct cidr *c);

/* cidr_list_count - number of distinct prefixes; 0 for NULL */
size_t		 cidr_list_count(const struct cidr_list *list);

/*
 * cidr_list_get - the i-th prefix (IPv4 first, then longest first,
 * then by address): borrowed
 */
const struct cidr *cidr_list_get(const struct cidr_list *list, size_t i);

/*
 * cidr_list_match_address - the longest prefix of list containing the
 * host prefix addr, or NULL (also for a NULL or empty list); borrowed
 */
const struct cidr *cidr_list_match_address(const struct cidr_list *list,
		    const struct cidr *addr);

/*
 * cidr_list_match - as cidr_list_match_address() for address text;
 * NULL when ip_text is not an address
 */
const struct cidr *cidr_list_match(const struct cidr_list *list,
		    const char *ip_text);

/* cidr_list_contains - whether ip_text is an address inside the list */
bool		 cidr_list_contains(const struct cidr_list *list,
		    const char *ip_text);

#endif
