/*
 * procstat - one of the process's own sizes as Linux reports it in
 * /proc/self/status ("VmHWM", the peak resident size; "VmSize", the
 * address space), for the --verbose summary and for tests that bound
 * the address space.
 *
 * Ownership: nothing is allocated or kept.
 */
#ifndef ZS_PROCSTAT_H
#define ZS_PROCSTAT_H

/*
 * procstat_kib - the value of field (its name without the colon) in
 * KiB, or 0 where the system does not tell (no /proc, no such field)
 */
unsigned long long procstat_kib(const char *field);

#endif
