/*
 * utf8 - UTF-8 validation and repair (see utf8.h).
 *
 * Well-formed sequences follow Unicode 15, table 3-7: no overlong
 * forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
 */
#include "config.h"

#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

/* utf8_sequence - see utf8.h */
size_t
utf8_sequence(const char *text, size_t avail)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned char	c = s[0];
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		need, i;

	if (c >= 0x01 && c <= 0x7f)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (avail < need)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < need; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return need;
}

/* utf8_valid - check a byte string */
bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		i = 0, n;

	while (i < len) {
		if (p[i] >= 0x01 && p[i] <= 0x7f) {
			i++;
			continue;
		}
		n = utf8_sequence((const char *)p + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/*
 * invalid_run - length of the maximal invalid subpart at p: a lead byte
 * followed by those continuation bytes that could still have completed
 * it, so each broken sequence becomes one U+FFFD.
 */
static size_t
invalid_run(const unsigned char *p, size_t avail)
{
	size_t	n = 1;

	if (p[0] >= 0xc2 && p[0] <= 0xf4) {
		while (n < avail && n < 4 && p[n] >= 0x80 && p[n] <= 0xbf) {
			/* Stop where the prefix itself cannot be valid. */
			if (n == 1 && ((p[0] == 0xe0 && p[1] < 0xa0) ||
			    (p[0] == 0xed && p[1] > 0x9f) ||
			    (p[0] == 0xf0 && p[1] < 0x90) ||
			    (p[0] == 0xf4 && p[1] > 0x8f)))
				break;
			n++;
		}
	}
	return n;
}

/* utf8_repair - copy with replacements */
char *
utf8_repair(const char *s, size_t len, size_t *outlen)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)s;
	char		*out, *o;
	size_t		i = 0, n;

	/* Worst case: every byte becomes a 3-byte replacement. */
	out = xreallocarray(NULL, len + 1, 3);
	o = out;
	while (i < len) {
		n = utf8_sequence((const char *)p + i, len - i);
		if (n > 0) {
			memcpy(o, p + i, n);
			o += n;
			i += n;
			continue;
		}
		memcpy(o, replacement, 3);
		o += 3;
		i += invalid_run(p + i, len - i);
	}
	*o = '\0';
	if (outlen != NULL)
		*outlen = (size_t)(o - out);
	return out;
}
