/*
 * procstat - sizes from /proc/self/status (see procstat.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util/procstat.h"

/* procstat_kib - see procstat.h */
unsigned long long
procstat_kib(const char *field)
{
	FILE		*f = fopen("/proc/self/status", "r");
	char		 line[256];
	size_t		 n = strlen(field);
	unsigned long long kib = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':' &&
		    sscanf(line + n + 1, " %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}
