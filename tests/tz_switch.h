/*
 * tz_switch - set the local zone for a test and put it back after.
 *
 * tz_switch() sets TZ to a zone and calls tzset(); it returns the
 * previous TZ (NULL when unset), which the caller hands to tz_restore()
 * to set it again (or unset it) and free it.
 */
#ifndef ZS_TESTS_TZ_SWITCH_H
#define ZS_TESTS_TZ_SWITCH_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* tz_switch - TZ=zone now; the old value, for tz_restore() */
static inline char *
tz_switch(const char *zone)
{
	const char	*old = getenv("TZ");
	char		*saved = NULL;

	if (old != NULL && (saved = strdup(old)) == NULL)
		abort();
	setenv("TZ", zone, 1);
	tzset();
	return saved;
}

/* tz_restore - TZ as tz_switch() found it; frees saved */
static inline void
tz_restore(char *saved)
{
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else
		unsetenv("TZ");
	tzset();
}

#endif
