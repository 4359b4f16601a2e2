/*
 * zsjson - validate a JSON report and print members of it, for the
 * shell tests.
 *
 *	zsjson FILE [PATH...]
 *
 * FILE is parsed strictly by jansson (which refuses invalid UTF-8,
 * duplicate keys and anything after the document); exit status 1 with
 * the parser's message when it is not valid.  Each PATH is a member
 * path separated by '/', array elements by their index
 * ("input/lines/read", "accounts/0/account"); its value is printed on
 * a line of its own: strings as their UTF-8 text, integers in
 * decimal, anything else as compact JSON.  A "#" as the last part
 * prints the number of members or elements instead.  Exit status 2
 * when a path names nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* lookup - the value at path under root, or NULL; *count: '#' asked */
static json_t *
lookup(json_t *root, const char *path, int *count)
{
	char	*copy = strdup(path), *part, *save = NULL, *end;
	json_t	*v = root;
	unsigned long i;

	*count = 0;
	if (copy == NULL)
		return NULL;
	for (part = strtok_r(copy, "/", &save); part != NULL && v != NULL;
	    part = strtok_r(NULL, "/", &save)) {
		if (strcmp(part, "#") == 0) {
			*count = 1;
			break;
		}
		if (json_is_object(v))
			v = json_object_get(v, part);
		else if (json_is_array(v)) {
			i = strtoul(part, &end, 10);
			v = *end == '\0' && end != part ?
			    json_array_get(v, i) : NULL;
		} else
			v = NULL;
	}
	free(copy);
	return v;
}

/* print_value - one value on a line (see the top of the file) */
static void
print_value(json_t *v)
{
	char	*s;

	if (json_is_string(v))
		printf("%s\n", json_string_value(v));
	else if (json_is_integer(v))
		printf("%lld\n", (long long)json_integer_value(v));
	else {
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		printf("%s\n", s != NULL ? s : "?");
		free(s);
	}
}

int
main(int argc, char **argv)
{
	json_error_t	 jerr;
	json_t		*root, *v;
	int		 i, count, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: zsjson FILE [PATH...]\n");
		return 2;
	}
	root = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		fprintf(stderr, "zsjson: %s: line %d column %d: %s\n",
		    argv[1], jerr.line, jerr.column, jerr.text);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		v = lookup(root, argv[i], &count);
		if (v == NULL) {
			fprintf(stderr, "zsjson: %s: no %s\n", argv[1],
			    argv[i]);
			status = 2;
			continue;
		}
		if (count)
			printf("%zu\n", json_is_object(v) ? json_object_size(v) :
			    json_is_array(v) ? json_array_size(v) : 0);
		else
			print_value(v);
	}
	json_decref(root);
	return status;
}
