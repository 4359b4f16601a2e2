/*
 * zombiescan - find zombie-infected subscribers in outbound relay logs.
 *
 * The command line and the wiring of the pipeline, nothing else:
 *
 *	source (bytes -> lines -> syslog header -> MTA events)
 *	  -> correlator (events -> messages, by relay host and queue ID)
 *	  -> aggregator (messages -> per-account behaviour)
 *	  -> scorer (behaviour -> score, verdict, reasons)
 *	  -> report (ranked JSON, written atomically)
 *
 * Exit statuses are listed in cmd/exitcode.h and the manual page.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/correlator.h"
#include "analysis/pipeline.h"
#include "analysis/render.h"
#include "analysis/report.h"
#include "analysis/scorer.h"
#include "analysis/zsconfig.h"
#include "cmd/exitcode.h"
#include "cmd/inputs.h"
#include "parsers/source.h"
#include "util/outfile.h"
#include "util/xalloc.h"

struct options {
	const char	*config;	/* -c; NULL: $ZOMBIESCAN_CONFIG */
	const char	*output;	/* "-" for standard output */
	enum render_format format;
	size_t		 top;
	double		 min_score;
	int		 year;
	const char	*host;
	enum log_format	 log_format;
	size_t		 max_line_bytes;
	size_t		 max_open_messages;
	unsigned	 jobs;
	bool		 fail_on_suspects;
	int		 verbosity;	/* -1 quiet, 0 normal, 1 verbose */
	char		**files;
	int		 file_count;
};

static const char usage_text[] =
"usage: zombiescan [options] FILE...\n"
"Rank the accounts in outbound mail relay logs by how likely they are\n"
"to be zombie-infected spam senders; write a JSON report.\n"
"\n"
"FILE is a Postfix, Exim or Sendmail log, plain or gzip-compressed\n"
"(both told apart by content); '-' reads standard input.  FILE may be\n"
"a directory (its mail logs are read, each rotated set oldest first)\n"
"or a quoted glob.  Rotated files of one log named together are read\n"
"oldest first.\n"
"\n"
"Output:\n"
"  -o, --output FILE        write the report to FILE, atomically\n"
"                           (default: standard output)\n"
"  -f, --format FMT         json (default), jsonl, csv, table or html\n"
"  -n, --top N              list only the N highest-scoring accounts\n"
"  -s, --min-score S        list only accounts scoring S or more (0-100)\n"
"      --fail-on-suspects   exit 4 when any account is a likely zombie\n"
"\n"
"Input:\n"
"      --year YYYY          year of the first line (logs without a\n"
"                           year; default: each file's mtime)\n"
"      --host NAME          relay name for logs that carry none (Exim's\n"
"                           main log; default: its directory or name)\n"
"      --log-format FMT     auto (default), postfix, exim or sendmail\n"
"      --max-line BYTES     skip longer lines (default 65536)\n"
"      --max-open N         messages kept open per relay (default 1000000)\n"
"  -j, --jobs N             read N relays' files at once (default: CPUs)\n"
"\n"
"  -c, --config FILE        settings: weights, thresholds, allowlists,\n"
"                           ISP networks (zombiescan.conf(5)); default:\n"
"                           $ZOMBIESCAN_CONFIG, else built-in\n"
"  -q, --quiet              no messages but errors\n"
"  -v, --verbose            an input summary on standard error\n"
"  -h, --help               this text\n"
"  -V, --version            the version\n"
"\n"
"Exit status: 0 ok, 1 fatal error (no report), 2 usage error, 3 report\n"
"written but some input was damaged or unreadable, 4 likely zombies\n"
"found (only with --fail-on-suspects).  See zombiescan(1).\n";

/*
 * usage_error - complain about the command line and exit; arg, when
 * not NULL, is the offending word and comes first.
 */
static void
usage_error(const char *arg, const char *what)
{
	if (arg != NULL)
		fprintf(stderr, "zombiescan: %.200s: %s\n", arg, what);
	else
		fprintf(stderr, "zombiescan: %s\n", what);
	fprintf(stderr, "Try 'zombiescan --help' for more information.\n");
	exit(EXIT_USAGE);
}

/* parse_size - a non-negative decimal number, or a usage error */
static size_t
parse_size(const char *arg, const char *option, size_t min, size_t max)
{
	unsigned long long value;
	char		*end;

	errno = 0;
	if (arg[0] < '0' || arg[0] > '9')
		usage_error(arg, "not a number");
	value = strtoull(arg, &end, 10);
	if (errno != 0 || *end != '\0' || value < min || value > max) {
		fprintf(stderr, "zombiescan: %s: %s must be between %zu and "
		    "%zu\n", arg, option, min, max);
		exit(EXIT_USAGE);
	}
	return (size_t)value;
}

/* default_jobs - one thread per online CPU */
static unsigned
default_jobs(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 && n < 1024 ? (unsigned)n : 1;
}

/* parse_options - fill opts from argv, or exit with a usage error */
static void
parse_options(int argc, char **argv, struct options *opts)
{
	enum {
		OPT_YEAR = 256, OPT_HOST, OPT_LOG_FORMAT, OPT_MAX_LINE,
		OPT_MAX_OPEN, OPT_FAIL_ON_SUSPECTS
	};
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "top", required_argument, NULL, 'n' },
		{ "min-score", required_argument, NULL, 's' },
		{ "fail-on-suspects", no_argument, NULL, OPT_FAIL_ON_SUSPECTS },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "max-line", required_argument, NULL, OPT_MAX_LINE },
		{ "max-open", required_argument, NULL, OPT_MAX_OPEN },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char	*end;
	int	 c;

	*opts = (struct options){
		.output = "-",
		.log_format = FORMAT_AUTO,
		.max_line_bytes = READER_DEFAULT_MAX_LINE,
		.jobs = default_jobs(),
	};
	while ((c = getopt_long(argc, argv, "c:o:f:n:s:j:qvhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			if (optarg[0] == '\0')
				usage_error(NULL, "--config must not be empty");
			opts->config = optarg;
			break;
		case 'o':
			opts->output = optarg;
			break;
		case 'f':
			if (!render_format_from_name(optarg, &opts->format))
				usage_error(optarg, "unknown format ("
				    RENDER_FORMAT_NAMES ")");
			break;
		case 'n':
			opts->top = parse_size(optarg, "--top", 1, SIZE_MAX);
			break;
		case 's':
			errno = 0;
			opts->min_score = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(opts->min_score >= 0 && opts->min_score <= 100))
				usage_error(optarg, "--min-score must be a "
				    "number from 0 to 100");
			break;
		case OPT_FAIL_ON_SUSPECTS:
			opts->fail_on_suspects = true;
			break;
		case OPT_YEAR:
			opts->year = (int)parse_size(optarg, "--year", 1970,
			    9999);
			break;
		case OPT_HOST:
			if (optarg[0] == '\0')
				usage_error(NULL, "--host must not be empty");
			opts->host = optarg;
			break;
		case OPT_LOG_FORMAT:
			if (strcmp(optarg, "auto") == 0)
				opts->log_format = FORMAT_AUTO;
			else if (strcmp(optarg, "postfix") == 0)
				opts->log_format = FORMAT_POSTFIX;
			else if (strcmp(optarg, "exim") == 0)
				opts->log_format = FORMAT_EXIM;
			else if (strcmp(optarg, "sendmail") == 0)
				opts->log_format = FORMAT_SENDMAIL;
			else
				usage_error(optarg, "unknown log format (auto, "
				    "postfix, exim, sendmail)");
			break;
		case OPT_MAX_LINE:
			opts->max_line_bytes = parse_size(optarg, "--max-line",
			    256, (size_t)1 << 30);
			break;
		case OPT_MAX_OPEN:
			opts->max_open_messages = parse_size(optarg,
			    "--max-open", 1, SIZE_MAX);
			break;
		case 'j':
			opts->jobs = (unsigned)parse_size(optarg, "--jobs", 1,
			    256);
			break;
		case 'q':
			opts->verbosity = -1;
			break;
		case 'v':
			opts->verbosity = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		case 'V':
			printf("zombiescan %s\n", PACKAGE_VERSION);
			exit(EXIT_OK);
		default:
			fprintf(stderr, "Try 'zombiescan --help' for more "
			    "information.\n");
			exit(EXIT_USAGE);
		}
	}
	if (optind >= argc)
		usage_error(NULL, "no input files (use '-' for standard "
		    "input)");
	opts->files = argv + optind;
	opts->file_count = argc - optind;
}

/* on_signal - remove half-written output, then die of the signal */
static void
on_signal(int sig)
{
	outfile_abort_all_signal_safe();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* install_signal_handlers - so that SIGINT/SIGTERM leave no temporaries */
static void
install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * load_config - the file named by -c or $ZOMBIESCAN_CONFIG, else the
 * built-in defaults; a file that cannot be used is a usage error.
 */
static struct zs_config *
load_config(const struct options *opts)
{
	const char	*path = opts->config != NULL ? opts->config :
			    getenv("ZOMBIESCAN_CONFIG");
	struct zs_config *zc;
	char		 err[512];

	if (path == NULL || path[0] == '\0')
		return zsconfig_defaults();
	zc = zsconfig_load(path, err, sizeof(err));
	if (zc == NULL) {
		fprintf(stderr, "zombiescan: %s\n", err);
		exit(EXIT_USAGE);
	}
	return zc;
}

/* warn_stderr - the pipeline's warnings, unless --quiet */
static void
warn_stderr(void *ctx, const char *message)
{
	const struct options *opts = ctx;

	if (opts->verbosity >= 0)
		fprintf(stderr, "zombiescan: %s\n", message);
}

/* print_summary - the --verbose input summary */
static void
print_summary(const struct source_stats *total,
    const struct correlator_stats *cs, size_t accounts)
{
	int	i;

	fprintf(stderr, "zombiescan: %llu files, %llu bytes read, "
	    "%llu bytes decoded\n",
	    (unsigned long long)total->files,
	    (unsigned long long)total->bytes_read,
	    (unsigned long long)total->bytes_decoded);
	fprintf(stderr, "zombiescan: lines: %llu read, %llu parsed, "
	    "%llu ignored, %llu other programs, %llu malformed\n",
	    (unsigned long long)total->lines_read,
	    (unsigned long long)total->lines_parsed,
	    (unsigned long long)total->lines_ignored,
	    (unsigned long long)total->lines_other,
	    (unsigned long long)total->lines_malformed);
	for (i = 0; i < MALFORMED_REASON_COUNT; i++)
		if (total->malformed_by_reason[i] != 0)
			fprintf(stderr, "zombiescan:   malformed %s: %llu\n",
			    malformed_reason_name((enum malformed_reason)i),
			    (unsigned long long)total->malformed_by_reason[i]);
	fprintf(stderr, "zombiescan: messages: %llu complete, %llu "
	    "incomplete, %llu evicted; %zu accounts\n",
	    (unsigned long long)cs->messages_complete,
	    (unsigned long long)cs->messages_incomplete,
	    (unsigned long long)cs->messages_evicted, accounts);
}

/*
 * report_time - the report's generation time: SOURCE_DATE_EPOCH when
 * set (reproducible output, golden tests), else now.
 */
static time_t
report_time(void)
{
	const char	*env = getenv("SOURCE_DATE_EPOCH");
	char		*end;
	long long	 t;

	if (env != NULL && *env != '\0') {
		errno = 0;
		t = strtoll(env, &end, 10);
		if (errno == 0 && *end == '\0' && t >= 0)
			return (time_t)t;
	}
	return time(NULL);
}

/* has_likely_zombie - whether any account's verdict is likely_zombie */
static bool
has_likely_zombie(const struct aggregator *agg, const struct scorer *sc)
{
	const struct account *acct;
	struct score	 score;
	size_t		 pos = 0;

	while (aggregator_next(agg, &pos, &acct)) {
		scorer_score(sc, acct, &score);
		if (score.verdict == VERDICT_LIKELY_ZOMBIE)
			return true;
	}
	return false;
}

/* write_report - build the report and write it atomically */
static bool
write_report(const struct options *opts, const struct report_input *in)
{
	struct report_options ropts = {
		.top = opts->top,
		.min_score = opts->min_score,
	};
	struct render_options render_opts = { false };
	struct outfile	*out;
	json_t		*doc;
	char		 err[512];
	bool		 ok;

	doc = report_build(in, &ropts);
	out = outfile_open(opts->output, err, sizeof(err));
	if (out == NULL) {
		json_decref(doc);
		fprintf(stderr, "zombiescan: %s\n", err);
		return false;
	}
	/* Colour only for a person at a terminal (and not NO_COLOR). */
	render_opts.color = opts->format == RENDER_TABLE &&
	    isatty(fileno(outfile_stream(out))) && getenv("NO_COLOR") == NULL;
	ok = render_report(doc, opts->format, outfile_stream(out),
	    &render_opts);
	json_decref(doc);
	if (!ok) {
		fprintf(stderr, "zombiescan: %s: write error: %s\n",
		    opts->output, strerror(errno));
		outfile_abort(out);
		return false;
	}
	if (!outfile_commit(out, err, sizeof(err))) {
		fprintf(stderr, "zombiescan: %s\n", err);
		return false;
	}
	return true;
}

int
main(int argc, char **argv)
{
	struct options	 opts;
	struct pipeline_options popts;
	struct pipeline_result res;
	struct classifier *cls;
	struct zs_config *zc;
	struct scorer	*sc;
	struct report_input rin;
	char		**files, err[512];
	size_t		 file_count;
	bool		 suspects = false, written;
	int		 status;

	parse_options(argc, argv, &opts);
	zc = load_config(&opts);
	install_signal_handlers();

	popts = (struct pipeline_options){
		.source = {
			.reader = { .max_line_bytes = opts.max_line_bytes },
			.year = opts.year,
			.host = opts.host,
			.format = opts.log_format,
		},
		.correlator = { .max_open = opts.max_open_messages },
		.jobs = opts.jobs,
		.warn = warn_stderr,
		.warn_ctx = &opts,
	};
	cls = classifier_new();
	if (!zsconfig_extend_classifier(zc, cls, err, sizeof(err))) {
		fprintf(stderr, "zombiescan: %s\n", err);
		exit(EXIT_USAGE);
	}
	if (!inputs_expand(opts.files, (size_t)opts.file_count, &files,
	    &file_count, err, sizeof(err)))
		usage_error(NULL, err);
	pipeline_run(files, file_count, &popts, cls, &res);

	sc = scorer_new(zsconfig_scoring(zc));
	zsconfig_free(zc);		/* the scorer copied what it needs */
	scorer_fit(sc, res.aggregator);
	if (opts.verbosity > 0)
		print_summary(&res.total, &res.correlation,
		    aggregator_account_count(res.aggregator));

	rin = (struct report_input){
		.generated_at = report_time(),
		.files = res.files,
		.file_count = res.file_count,
		.total = &res.total,
		.correlation = &res.correlation,
		.aggregator = res.aggregator,
		.scorer = sc,
	};
	written = write_report(&opts, &rin);
	if (written && opts.fail_on_suspects)
		suspects = has_likely_zombie(res.aggregator, sc);

	if (!written)
		status = EXIT_FATAL;
	else if (res.partial)
		status = EXIT_PARTIAL;
	else if (suspects)
		status = EXIT_SUSPECTS;
	else
		status = EXIT_OK;

	scorer_free(sc);
	pipeline_result_free(&res);
	inputs_free(files, file_count);	/* after res, which borrowed them */
	classifier_free(cls);
	return status;
}
