/*
 * testutil - what the Check suites share: a stream of well-mixed test
 * values and the main() that runs one suite.
 */
#ifndef ZS_TESTS_TESTUTIL_H
#define ZS_TESTS_TESTUTIL_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

/* splitmix64 - the next of a stream of well-mixed values from *state */
static inline uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* run_suite - run s (CK_VERBOSITY sets how much it prints, normal by
   default) and free it; EXIT_SUCCESS when every test passed */
static inline int
run_suite(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
