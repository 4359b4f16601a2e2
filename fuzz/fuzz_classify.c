/*
 * fuzz_classify - libFuzzer target for analysis/classify.
 *
 * Input: a reply text, as arbitrary bytes (invalid UTF-8, NUL bytes,
 * no terminator), classified with the built-in patterns.  The text is
 * copied to a heap block of exactly its size, so that reading past it
 * is caught.  Checked: the class is in range, has a name that maps
 * back to it, is the same when asked twice (the classifier keeps
 * no state between calls) and is the one PCRE2 alone gives, without
 * the literal prefilter.  Any failure aborts.  PCRE2 runs with its
 * match and depth limits, so a slow input is a pattern to fix (the
 * -timeout of run.sh catches it).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* Counted per class, so that each class is a branch of its own. */
static volatile unsigned long hits[RESPONSE_CLASS_COUNT];

/* Built once: compiling the patterns is the expensive part. */
static struct classifier *classifier;

/* free_classifier - at exit, so that leak checking stays quiet */
static void
free_classifier(void)
{
	classifier_free(classifier);
	classifier = NULL;
}

/* LLVMFuzzerInitialize - the classifier with the built-in patterns */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	classifier = classifier_new();
	atexit(free_classifier);
	/* the per-thread match data is made on first use: not a leak */
	(void)classifier_classify(classifier, "x", 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum response_class class, again, named;
	char	*text;

	text = malloc(size);	/* ASan: malloc(0) is a unique pointer */
	CHECK(text != NULL);
	memcpy(text, data, size);
	class = classifier_classify(classifier, text, size);
	CHECK((unsigned)class < RESPONSE_CLASS_COUNT);
	CHECK(response_class_from_name(response_class_name(class), &named));
	CHECK(named == class);
	again = classifier_classify(classifier, text, size);
	CHECK(again == class);
	/* The literal prefilter never changes what PCRE2 alone says. */
	CHECK(classifier_classify_patterns(classifier, text, size) == class);
	if (size == 0)
		CHECK(class == RESPONSE_NONE);
	free(text);
	/*
	 * PCRE2 is not instrumented, so coverage alone cannot tell the
	 * classes apart: a branch per class keeps an input for each in
	 * the corpus, and mutations start from texts that match.
	 */
	if (class == RESPONSE_BLOCKLIST)
		hits[0]++;
	else if (class == RESPONSE_SPAM)
		hits[1]++;
	else if (class == RESPONSE_REPUTATION)
		hits[2]++;
	else if (class == RESPONSE_RATE_LIMIT)
		hits[3]++;
	else if (class == RESPONSE_UNKNOWN_USER)
		hits[4]++;
	else
		hits[5]++;
	return 0;
}
