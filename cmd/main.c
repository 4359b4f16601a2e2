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
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/correlator.h"
#include "analysis/partial.h"
#include "analysis/pipeline.h"
#include "analysis/render.h"
#include "analysis/report.h"
#include "analysis/scorer.h"
#include "analysis/subscribers.h"
#include "analysis/state.h"
#include "analysis/zsconfig.h"
#include "cmd/exitcode.h"
#include "cmd/inputs.h"
#include "parsers/reader.h"
#include "parsers/source.h"
#include "util/outfile.h"
#include "util/procstat.h"
#include "util/progress.h"
#include "util/timearg.h"
#include "util/xalloc.h"

/*
 * Accounts held at most (--max-accounts).  An account that only failed
 * to log in costs about 1.5 KiB with its place in the report (a million
 * of them, 1.5 GB), a busy one up to a few hundred KiB (its capped
 * counter maps and sketches): the default leaves room for the largest
 * subscriber bases while a flood of forged usernames or addresses
 * stops there.
 */
#define DEFAULT_MAX_ACCOUNTS	1000000

struct options {
	const char	*config;	/* -c; NULL: $ZOMBIESCAN_CONFIG */
	const char	*output;	/* "-" for standard output */
	enum render_format format;
	size_t		 top;
	double		 min_score;	/* -s; negative: not given */
	bool		 list_all;	/* --all */
	int		 year;
	const char	*host;
	enum log_format	 log_format;
	size_t		 max_line_bytes;
	size_t		 max_open_messages;
	size_t		 max_accounts;
	unsigned	 jobs;
	bool		 fail_on_suspects;
	const char	*state_path;	/* --state; NULL: none */
	const char	*partial_path;	/* --save-partial; NULL: none */
	bool		 merge;		/* "zombiescan merge PARTIAL..." */
	int		 verbosity;	/* -1 quiet, 0 normal, 1 verbose */
	const char	*since_arg;	/* --since, --until as typed */
	const char	*until_arg;
	const char	*subscribers_path; /* --subscribers; NULL: none */
	char		**files;
	int		 file_count;
};

/* The report's options, the same for a run and for a merge. */
#define USAGE_OUTPUT \
"Output:\n"\
"  -o, --output FILE        write the report to FILE, atomically\n"\
"                           (default: standard output)\n"\
"  -f, --format FMT         json (default), jsonl, csv, table or html\n"\
"  -s, --min-score S        list the accounts scoring S or more (0-100;\n"\
"                           default: the suspicious threshold, 40)\n"\
"  -a, --all                list every account (same as -s 0)\n"\
"  -n, --top N              list only the N highest-ranked of them\n"\
"      --fail-on-suspects   exit 4 when a listed account is a likely\n"\
"                           zombie (even if some input was damaged)\n"\
"      --subscribers FILE   name accounts' subscribers (CSV of logins,\n"\
"                           addresses and leases; see zombiescan(1))\n"\
"      --state FILE         compare each account with its own history\n"\
"                           kept in FILE, then add this run to it\n"\
"                           (created on the first run; locked)\n"

static const char usage_text[] =
"usage: zombiescan [options] FILE...\n"
"       zombiescan merge [options] PARTIAL...   (report on saved parts)\n"
"Rank the accounts in outbound mail relay logs by how likely they are\n"
"to be zombie-infected spam senders; write a JSON report.\n"
"\n"
"FILE is a Postfix, Exim or Sendmail log, plain or compressed (gzip;\n"
"zstd and xz too, if --version lists them), told apart by content;\n"
"'-' reads standard input.  FILE may be a directory (its mail logs are\n"
"read, each rotated set oldest first) or a quoted glob.  Rotated files\n"
"of one log named together are read oldest first.\n"
"\n"
USAGE_OUTPUT
"      --save-partial FILE  save this part's state for 'merge', no report\n"
"\n"
"Input:\n"
"      --since T, --until T only lines from T on / before T: a date or\n"
"                           time, today, yesterday, or e.g. 24h (ago);\n"
"                           local time (TZ), as are log stamps without\n"
"                           a zone; the report's times are UTC\n"
"      --year YYYY          year of the first line (logs without a\n"
"                           year; default: each file's mtime)\n"
"      --host NAME          relay name for logs that carry none (Exim's\n"
"                           main log; default: its directory or name)\n"
"      --log-format FMT     auto (default), postfix, exim or sendmail\n"
"      --max-line BYTES     skip longer lines (256 or more; default 65536)\n"
"      --max-open N         messages kept open per relay (default 1000000)\n"
"      --max-accounts N     accounts kept; records of more are dropped\n"
"                           (default 1000000)\n"
"  -j, --jobs N             threads reading relays (default: CPUs)\n"
"\n"
"  -c, --config FILE        settings: weights, thresholds, allowlists,\n"
"                           ISP networks (zombiescan.conf(5)); default:\n"
"                           $ZOMBIESCAN_CONFIG, else built-in\n"
"  -q, --quiet              no messages but errors\n"
"  -v, --verbose            an input summary on standard error\n"
"  -h, --help               this text\n"
"  -V, --version            the version and the formats read\n"
"\n"
"Exit status: 0 ok, 1 fatal error (no report), 2 usage error, 3 report\n"
"written but some input was damaged or unreadable, 4 a likely zombie\n"
"listed (only with --fail-on-suspects), 5 --state file unusable (corrupt,\n"
"newer, in use) or not saved.  See zombiescan(1).\n";

static const char merge_usage_text[] =
"usage: zombiescan merge [options] PARTIAL...\n"
"Write the report on partial files saved by 'zombiescan --save-partial'\n"
"runs, the one a single run over all their logs would write (see\n"
"zombiescan(1), PARTIAL RUNS).  Name the partials of one relay in time\n"
"order; those of different relays may come in any order.  A PARTIAL of\n"
"'-' is read from standard input.\n"
"\n"
USAGE_OUTPUT
"\n"
"As the single run would have had them:\n"
"  -c, --config FILE        the configuration (zombiescan.conf(5))\n"
"      --max-open N         messages kept open per relay (default 1000000)\n"
"      --max-accounts N     accounts kept (default 1000000)\n"
"\n"
"  -q, --quiet              no messages but errors\n"
"  -v, --verbose            an input summary on standard error\n"
"  -h, --help               this text\n"
"\n"
"The options that decide how logs are read (--since, --until, --year,\n"
"--host, --log-format, --max-line) go to the runs that save the\n"
"partials, which record their window; -j is accepted and unused.\n"
"\n"
"Exit status: 0 ok, 1 fatal error (no report), 2 usage error, or a\n"
"partial that is unreadable, damaged, newer, out of time order or read\n"
"with another window, 3 report written but some input the parts read\n"
"was damaged, 4 a likely zombie listed (only with --fail-on-suspects),\n"
"5 --state file unusable or not saved.\n";

/* Whether the command line is "zombiescan merge ...". */
static bool	usage_merge;

/*
 * say_after - lead (written as it is: the progress meter's clearing),
 * then "zombiescan: " and the message, in one write to standard error.
 * The message quotes file names and log text: its control bytes are
 * shown as '?', so that no name can end the line or drive the
 * terminal.
 */
static void	 say_after(const char *lead, const char *fmt, va_list ap)
		    __attribute__((format(printf, 2, 0)));

static void
say_after(const char *lead, const char *fmt, va_list ap)
{
	char	buf[2048];
	size_t	i;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	fprintf(stderr, "%szombiescan: %s\n", lead, buf);
}

/* say_lead - a message after lead, as say_after() */
static void	 say_lead(const char *lead, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

static void
say_lead(const char *lead, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	say_after(lead, fmt, ap);
	va_end(ap);
}

/* say - a message on standard error, as say_after() */
static void	 say(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	say_after("", fmt, ap);
	va_end(ap);
}

/*
 * usage_error - complain about the command line and exit; arg, when
 * not NULL, is the offending word and comes first.
 */
static void
usage_error(const char *arg, const char *what)
{
	if (arg != NULL)
		say("%.200s: %s", arg, what);
	else
		say("%s", what);
	fprintf(stderr, "Try 'zombiescan%s --help' for more information.\n",
	    usage_merge ? " merge" : "");
	exit(EXIT_USAGE);
}

/*
 * refuse_own_files - a partial or state file named as a log would be
 * read as lines of junk and give an empty report: a usage error that
 * says what to do with it.  Only regular files are looked at (a pipe
 * would lose what was read).
 */
static void
refuse_own_files(char *const *files, size_t count)
{
	char	magic[8];
	size_t	i;
	ssize_t	n;
	int	fd;
	struct stat sb;

	_Static_assert(PARTIAL_MAGIC_LEN == sizeof(magic) &&
	    STATE_MAGIC_LEN == sizeof(magic), "magic lengths");
	for (i = 0; i < count; i++) {
		if (strcmp(files[i], "-") == 0 || stat(files[i], &sb) != 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		if ((fd = open(files[i], O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, magic, sizeof(magic));
		close(fd);
		if (n != (ssize_t)sizeof(magic))
			continue;
		if (memcmp(magic, PARTIAL_MAGIC, PARTIAL_MAGIC_LEN) == 0)
			usage_error(files[i], "a partial file, not a log: "
			    "report on partial files with 'zombiescan merge'");
		if (memcmp(magic, STATE_MAGIC, STATE_MAGIC_LEN) == 0)
			usage_error(files[i], "a state file, not a log: "
			    "give it with --state");
	}
}

/* stat_name - stat(2) of a named file, fstat(2) of standard input for
   "-" */
static int
stat_name(const char *name, struct stat *st)
{
	return strcmp(name, "-") == 0 ? fstat(STDIN_FILENO, st) :
	    stat(name, st);
}

/*
 * refuse_repeated_partials - a partial named twice would count its
 * part twice, and the merge would call the second a part out of time
 * order: a usage error that says what it is.  "-", standard input,
 * holds one partial.
 */
static void
refuse_repeated_partials(char *const *files, size_t count)
{
	struct stat a, b;
	size_t	i, j;
	bool	dash = false;

	for (j = 0; j < count; j++) {
		if (strcmp(files[j], "-") == 0) {
			if (dash)
				usage_error(files[j], "named twice: standard "
				    "input holds one partial");
			if (isatty(STDIN_FILENO))
				usage_error(files[j], "standard input is a "
				    "terminal: pipe a partial in");
			dash = true;
		}
		if (stat_name(files[j], &b) != 0 || !S_ISREG(b.st_mode))
			continue;
		for (i = 0; i < j; i++)
			if (stat_name(files[i], &a) == 0 &&
			    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
				usage_error(files[j], "named twice: each "
				    "partial is merged once");
	}
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
		say("%s: %s must be between %zu and "
		    "%zu", arg, option, min, max);
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

static int	stdout_done(void);

/*
 * parse_options - fill opts from argv, or exit with a usage error;
 * merge: the arguments after "merge", where the options that decide
 * how logs are read are refused
 */
static void
parse_options(int argc, char **argv, bool merge, struct options *opts)
{
	enum {
		OPT_YEAR = 256, OPT_HOST, OPT_LOG_FORMAT, OPT_MAX_LINE,
		OPT_MAX_OPEN, OPT_MAX_ACCOUNTS, OPT_FAIL_ON_SUSPECTS,
		OPT_SINCE, OPT_UNTIL, OPT_SUBSCRIBERS,
		OPT_STATE, OPT_SAVE_PARTIAL
	};
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "top", required_argument, NULL, 'n' },
		{ "min-score", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "fail-on-suspects", no_argument, NULL, OPT_FAIL_ON_SUSPECTS },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "save-partial", required_argument, NULL, OPT_SAVE_PARTIAL },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "subscribers", required_argument, NULL, OPT_SUBSCRIBERS },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "max-line", required_argument, NULL, OPT_MAX_LINE },
		{ "max-open", required_argument, NULL, OPT_MAX_OPEN },
		{ "max-accounts", required_argument, NULL, OPT_MAX_ACCOUNTS },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *reading = NULL;	/* the first option for reading logs */
	const char *reporting = NULL;	/* the first for the report alone */
	char	*end;
	int	 c;

	*opts = (struct options){
		.output = "-",
		.log_format = FORMAT_AUTO,
		.max_line_bytes = READER_DEFAULT_MAX_LINE,
		.max_accounts = DEFAULT_MAX_ACCOUNTS,
		.min_score = -1.0,
		.jobs = default_jobs(),
		.merge = merge,
	};
	usage_merge = merge;
	while ((c = getopt_long(argc, argv, "c:o:f:n:s:aj:qvhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			if (optarg[0] == '\0')
				usage_error(NULL, "--config must not be empty");
			opts->config = optarg;
			break;
		case 'o':
			if (optarg[0] == '\0')
				usage_error(NULL, "-o must not be empty ('-' "
				    "is standard output)");
			opts->output = optarg;
			break;
		case 'f':
			if (reporting == NULL)
				reporting = "--format";
			if (!render_format_from_name(optarg, &opts->format))
				usage_error(optarg, "unknown format ("
				    RENDER_FORMAT_NAMES ")");
			break;
		case 'n':
			if (reporting == NULL)
				reporting = "--top";
			opts->top = parse_size(optarg, "--top", 1, SIZE_MAX);
			break;
		case 's':
			if (reporting == NULL)
				reporting = "--min-score";
			errno = 0;
			opts->min_score = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(opts->min_score >= 0 && opts->min_score <= 100))
				usage_error(optarg, "--min-score must be a "
				    "number from 0 to 100");
			break;
		case 'a':
			if (reporting == NULL)
				reporting = "--all";
			opts->list_all = true;
			break;
		case OPT_FAIL_ON_SUSPECTS:
			if (reporting == NULL)
				reporting = "--fail-on-suspects";
			opts->fail_on_suspects = true;
			break;
		case OPT_STATE:
			if (optarg[0] == '\0' || strcmp(optarg, "-") == 0)
				usage_error(optarg[0] != '\0' ? optarg : NULL,
				    "--state needs a file name");
			opts->state_path = optarg;
			break;
		case OPT_SAVE_PARTIAL:
			if (optarg[0] == '\0')
				usage_error(NULL, "--save-partial must not be "
				    "empty");
			opts->partial_path = optarg;
			break;
		case OPT_SINCE:
			if (reading == NULL)
				reading = "--since";
			opts->since_arg = optarg;
			break;
		case OPT_UNTIL:
			if (reading == NULL)
				reading = "--until";
			opts->until_arg = optarg;
			break;
		case OPT_SUBSCRIBERS:
			if (reporting == NULL)
				reporting = "--subscribers";
			if (optarg[0] == '\0')
				usage_error(NULL, "--subscribers must not be "
				    "empty");
			opts->subscribers_path = optarg;
			break;
		case OPT_YEAR:
			if (reading == NULL)
				reading = "--year";
			opts->year = (int)parse_size(optarg, "--year", 1970,
			    9999);
			break;
		case OPT_HOST:
			if (reading == NULL)
				reading = "--host";
			if (optarg[0] == '\0')
				usage_error(NULL, "--host must not be empty");
			opts->host = optarg;
			break;
		case OPT_LOG_FORMAT:
			if (reading == NULL)
				reading = "--log-format";
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
			if (reading == NULL)
				reading = "--max-line";
			opts->max_line_bytes = parse_size(optarg, "--max-line",
			    256, (size_t)1 << 30);
			break;
		case OPT_MAX_OPEN:
			opts->max_open_messages = parse_size(optarg,
			    "--max-open", 1, SIZE_MAX);
			break;
		case OPT_MAX_ACCOUNTS:
			opts->max_accounts = parse_size(optarg,
			    "--max-accounts", 1, SIZE_MAX);
			break;
		case 'j':
			opts->jobs = (unsigned)parse_size(optarg, "--jobs", 1,
			    256);
			break;
		case 'q':
			if (opts->verbosity > 0)
				usage_error(NULL, "-q and -v exclude each "
				    "other");
			opts->verbosity = -1;
			break;
		case 'v':
			if (opts->verbosity < 0)
				usage_error(NULL, "-q and -v exclude each "
				    "other");
			opts->verbosity = 1;
			break;
		case 'h':
			fputs(merge ? merge_usage_text : usage_text, stdout);
			exit(stdout_done());
		case 'V':
			printf("zombiescan %s\nreads: %s\n", PACKAGE_VERSION,
			    reader_formats());
			exit(stdout_done());
		default:
			fprintf(stderr, "Try 'zombiescan%s --help' for "
			    "more information.\n", merge ? " merge" : "");
			exit(EXIT_USAGE);
		}
	}
	if (opts->list_all && opts->min_score >= 0)
		usage_error(NULL, "--all and --min-score exclude each other");
	if (merge && opts->partial_path != NULL)
		usage_error(NULL, "merge writes a report, not a partial");
	if (merge && reading != NULL)
		usage_error(reading, "'merge' reads no logs: give it to the "
		    "runs that save the partials");
	if (optind >= argc)
		usage_error(NULL, merge ? "no partial files" :
		    "no input files (use '-' for standard input)");
	if (opts->partial_path != NULL && strcmp(opts->output, "-") != 0)
		usage_error(NULL, "--save-partial writes no report; give "
		    "-o to 'zombiescan merge'");
	if (opts->partial_path != NULL && reporting != NULL)
		usage_error(reporting, "--save-partial writes no report; give "
		    "it to 'zombiescan merge'");
	if (opts->partial_path != NULL && opts->state_path != NULL)
		usage_error(NULL, "--state goes with 'zombiescan merge', not "
		    "with --save-partial");
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

/*
 * install_signal_handlers - so that a signal that ends the process
 * leaves no temporaries: a person's ^C or ^\, kill, a closed terminal,
 * and the limits a service manager sets (CPU time, file size).
 * SIGPIPE is ignored from the start (main()).
 */
static void
install_signal_handlers(void)
{
	static const int fatal[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGXCPU, SIGXFSZ,
		SIGUSR1, SIGUSR2
	};
	struct sigaction sa;
	size_t	i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
}

/*
 * open_standard_fds - /dev/null on any of descriptors 0, 1 and 2 that
 * the program was started without: otherwise the first file it opens
 * (the --state lock, say) would take that number, and the report or a
 * message meant for standard output or error would be written into it
 */
static void
open_standard_fds(void)
{
	int	fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(EXIT_FATAL);
}

/*
 * stdout_done - the exit status after writing text (--help,
 * --version) to standard output: EXIT_FATAL when it was closed or the
 * text could not be written (a full disk), quietly for a reader that
 * went away
 */
static int
stdout_done(void)
{
	char	err[256];

	if (!outfile_check("-", err, sizeof(err))) {
		say("%s", err);
		return EXIT_FATAL;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			say("standard output: write error: %s",
			    strerror(errno != 0 ? errno : EIO));
		return EXIT_FATAL;
	}
	return EXIT_OK;
}

/*
 * place_of - the canonical directory of path, then '/' and its last
 * component, in a new string; NULL when the directory does not resolve
 */
static char *
place_of(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir, *real, *place;
	size_t		 n;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else {
		dir = xmalloc((size_t)(slash - path) + 1);
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL)
		return NULL;
	n = strlen(real) + strlen(slash != NULL ? slash + 1 : path) + 2;
	place = xmalloc(n);
	snprintf(place, n, "%s/%s", real, slash != NULL ? slash + 1 : path);
	free(real);
	return place;
}

/*
 * same_file - whether a and b name one file: the same device and inode
 * when both exist, the same name in the same directory when neither
 * does (a state not made yet)
 */
static bool
same_file(const char *a, const char *b)
{
	struct stat	 sa, sb;
	char		*pa, *pb;
	bool		 same, has_a = stat(a, &sa) == 0;

	if (has_a != (stat(b, &sb) == 0))
		return false;
	if (has_a)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	pa = place_of(a);
	pb = place_of(b);
	same = pa != NULL && pb != NULL && strcmp(pa, pb) == 0;
	free(pa);
	free(pb);
	return same;
}

/*
 * refuse_output_over_inputs - the report (or partial) would replace a
 * file this run reads: an input, the state, the subscriber file or the
 * configuration.  A usage error, before anything is read.
 */
static void
refuse_output_over_inputs(const struct options *opts, char *const *files,
    size_t count)
{
	const char	*out = opts->partial_path != NULL ? opts->partial_path :
			    opts->output;
	const char	*other[3] = { opts->state_path, opts->subscribers_path,
			    opts->config != NULL ? opts->config :
			    getenv("ZOMBIESCAN_CONFIG") };
	struct stat	 o, in;
	size_t		 i;
	bool		 has_out;

	/* A pipe or device is written, not replaced. */
	if (strcmp(out, "-") == 0)
		return;
	has_out = stat(out, &o) == 0;
	if (has_out && !S_ISREG(o.st_mode))
		return;
	for (i = 0; i < count + 3; i++) {
		const char *name = i < count ? files[i] : other[i - count];

		if (name == NULL)
			continue;
		/* "-": standard input, which may be that very file */
		if (strcmp(name, "-") == 0 ? has_out &&
		    fstat(STDIN_FILENO, &in) == 0 && in.st_dev == o.st_dev &&
		    in.st_ino == o.st_ino : same_file(out, name))
			usage_error(out, "is also read by this run; writing "
			    "the output there would replace it");
	}
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
		say("%s", err);
		exit(EXIT_USAGE);
	}
	return zc;
}

/* Whether the progress meter owns the terminal's last line. */
static bool	meter_running;

/*
 * warn_stderr - the pipeline's messages: a file unreadable or damaged
 * always (it is why the exit status is 3), malformed lines unless
 * --quiet
 */
static void
warn_stderr(void *ctx, bool damage, const char *message)
{
	const struct options *opts = ctx;

	/* One call, so the meter's line is cleared and the text follows
	   without the meter drawing in between (stdio locks the stream). */
	if (damage || opts->verbosity >= 0)
		say_lead(meter_running ? "\r\033[K" : "", "%s", message);
}

/*
 * warn_merged_damage - merge: the inputs the parts' runs found damaged
 * or unreadable, named as those runs named them (they are why the
 * exit status is 3)
 */
static void
warn_merged_damage(const struct pipeline_result *res)
{
	size_t	i;

	for (i = 0; i < res->file_count; i++) {
		const struct input_file *f = &res->files[i];

		if (f->status == INPUT_OK)
			continue;
		say("%s (as read for a merged part%s)",
		    f->error != NULL ? f->error : f->name,
		    f->status == INPUT_DAMAGED && f->stats.lines_read > 0 ?
		    "; lines before the damage were used" : "");
	}
}

/* print_summary - the --verbose input summary */
static void
print_summary(const struct source_stats *total,
    const struct correlator_stats *cs, const struct aggregator *agg)
{
	const struct aggregator_stats *as = aggregator_stats(agg);
	unsigned long long kib;
	int	i;

	say("%llu files, %llu bytes read, %llu bytes decoded",
	    (unsigned long long)total->files,
	    (unsigned long long)total->bytes_read,
	    (unsigned long long)total->bytes_decoded);
	say("lines: %llu read, %llu parsed, "
	    "%llu ignored, %llu other programs, %llu malformed",
	    (unsigned long long)total->lines_read,
	    (unsigned long long)total->lines_parsed,
	    (unsigned long long)total->lines_ignored,
	    (unsigned long long)total->lines_other,
	    (unsigned long long)total->lines_malformed);
	if (total->lines_outside_window != 0)
		say("lines: %llu outside --since/--until, skipped",
		    (unsigned long long)total->lines_outside_window);
	for (i = 0; i < MALFORMED_REASON_COUNT; i++)
		if (total->malformed_by_reason[i] != 0)
			say("  malformed %s: %llu",
			    malformed_reason_name((enum malformed_reason)i),
			    (unsigned long long)total->malformed_by_reason[i]);
	say("messages: %llu complete, %llu "
	    "incomplete, %llu evicted; %zu accounts",
	    (unsigned long long)cs->messages_complete,
	    (unsigned long long)cs->messages_incomplete,
	    (unsigned long long)cs->messages_evicted,
	    aggregator_account_count(agg));
	if (as->records_dropped != 0)
		say("account cap: %llu records of %llu accounts dropped",
		    (unsigned long long)as->records_dropped,
		    (unsigned long long)aggregator_accounts_dropped(agg));
	kib = procstat_kib("VmHWM");
	if (kib != 0)
		say("peak memory: %llu KiB", kib);
}

/*
 * report_time - the report's generation time: SOURCE_DATE_EPOCH when
 * set (reproducible output, golden tests), else now.  A value that is
 * not a count of seconds from 1970 to the end of year 9999 (the last
 * a report's times can show) is a usage error, as the variable's
 * specification asks, not a reason to fall back on the clock quietly.
 */
static time_t
report_time(void)
{
	const char	*env = getenv("SOURCE_DATE_EPOCH");
	char		*end;
	long long	 t;

	if (env == NULL || *env == '\0')
		return time(NULL);
	errno = 0;
	t = strtoll(env, &end, 10);
	if (*env < '0' || *env > '9' || errno != 0 || *end != '\0' ||
	    t > 253402300799LL || (long long)(time_t)t != t)
		usage_error(env, "SOURCE_DATE_EPOCH must be a number of "
		    "seconds since 1970-01-01 (up to the year 9999)");
	return (time_t)t;
}

/*
 * set_window - --since and --until into the source options.  Relative
 * times (24h, today) count from the report's time, so they follow
 * SOURCE_DATE_EPOCH as generated_at does.  A time that does not parse,
 * or a window that holds no second, is a usage error.
 */
static void
set_window(const struct options *opts, struct source_options *so)
{
	time_t	now = report_time();
	char	err[256];

	if (opts->since_arg == NULL && opts->until_arg == NULL)
		return;
	so->window = true;
	so->since_sec = INT64_MIN;
	so->until_sec = INT64_MAX;
	if (opts->since_arg != NULL && !timearg_parse(opts->since_arg, now,
	    &so->since_sec, err, sizeof(err)))
		usage_error("--since", err);
	if (opts->until_arg != NULL && !timearg_parse(opts->until_arg, now,
	    &so->until_sec, err, sizeof(err)))
		usage_error("--until", err);
	if (so->until_sec <= so->since_sec)
		usage_error(NULL, "--until must be later than --since");
}

/*
 * warn_window - when a window left nothing in it, say so and where the
 * data lies: a wrong year on logs without one is the usual cause
 */
static void
warn_window(const struct options *opts, const struct source_stats *t)
{
	char	first[32], last[32];

	if (opts->verbosity < 0 || t->lines_outside_window == 0 ||
	    t->first_time_sec != INT64_MAX)
		return;
	timearg_format(t->outside_first_sec, first, sizeof(first));
	timearg_format(t->outside_last_sec, last, sizeof(last));
	say("no line falls inside --since/--until; "
	    "the logs run from %s to %s%s", first, last, opts->year == 0 ?
	    " (logs without a year take it from the file's time; see "
	    "--year)" : "");
}

/*
 * warn_no_mail - a file read whole of whose lines no MTA's parser
 * knew one (parsed it, or ignored it for a known reason: an anvil
 * statistics line is Postfix's): not a mail log (or not one
 * --log-format reads), which would otherwise be a quiet, empty report;
 * and a file of no lines at all (a relay's log that was not shipped,
 * a rotation gone wrong)
 */
static void
warn_no_mail(const struct options *opts, const struct pipeline_result *res)
{
	size_t	i;

	if (opts->verbosity < 0)
		return;
	for (i = 0; i < res->file_count; i++) {
		const struct input_file *f = &res->files[i];
		const struct source_stats *t = &f->stats;

		/* lines an MTA's parser knew: parsed, or ignored for a
		   reason other than not knowing them */
		uint64_t	 known = t->lines_parsed + t->lines_ignored -
				    t->ignored_by_reason[IGNORE_UNRECOGNISED];

		if (f->status != INPUT_OK || known > 0 ||
		    t->lines_outside_window > 0)
			continue;
		if (t->lines_read == 0) {
			say("%s: empty: no lines", f->name);
			continue;
		}
		say("%s: %llu lines read, none of them from %s%s",
		    f->name, (unsigned long long)t->lines_read,
		    opts->log_format == FORMAT_POSTFIX ? "Postfix" :
		    opts->log_format == FORMAT_EXIM ? "Exim" :
		    opts->log_format == FORMAT_SENDMAIL ? "Sendmail" :
		    "Postfix, Exim or Sendmail",
		    opts->log_format == FORMAT_AUTO ? " (not a mail log?)" :
		    " (another MTA's log? see --log-format)");
	}
}

/*
 * load_subscribers - the --subscribers table, or NULL without the
 * option.  A file that cannot be read is a usage error; bad rows are
 * skipped and reported (every kept one with --verbose).
 */
static struct subscribers *
load_subscribers(const struct options *opts)
{
	struct subscribers *subs;
	const char	*why;
	char		 err[512];
	size_t		 i, line;

	if (opts->subscribers_path == NULL)
		return NULL;
	subs = subscribers_load(opts->subscribers_path, err, sizeof(err));
	if (subs == NULL) {
		say("--subscribers: %s", err);
		exit(EXIT_USAGE);
	}
	/* Not one row: an export that failed, which would leave every
	   account without its subscriber and say nothing. */
	if (subscribers_count(subs) == 0 && subscribers_bad_count(subs) == 0) {
		say("--subscribers: %.300s: no subscriber rows (a failed "
		    "export?)", opts->subscribers_path);
		exit(EXIT_USAGE);
	}
	/* Not one row usable: a file of another layout, not a few typos
	   in a good one. */
	if (subscribers_count(subs) == 0) {
		why = subscribers_bad_row(subs, 0, &line);
		say("--subscribers: %.300s: no usable "
		    "row, %zu bad (line %zu: %s)", opts->subscribers_path,
		    subscribers_bad_count(subs), line, why);
		exit(EXIT_USAGE);
	}
	if (opts->verbosity < 0 || subscribers_bad_count(subs) == 0)
		return subs;
	why = subscribers_bad_row(subs, 0, &line);
	say("%.300s: %zu bad rows skipped (line "
	    "%zu: %s)", opts->subscribers_path, subscribers_bad_count(subs),
	    line, why);
	for (i = 1; opts->verbosity > 0 &&
	    (why = subscribers_bad_row(subs, i, &line)) != NULL; i++)
		say("%.300s:%zu: %s",
		    opts->subscribers_path, line, why);
	return subs;
}

/*
 * write_report - rank the accounts and write the report atomically,
 * one account at a time (render_report_stream()); *likely is set to
 * whether it lists a likely zombie
 */
static bool
write_report(const struct options *opts, const struct report_input *in,
    bool *likely)
{
	struct report_options ropts = {
		.top = opts->top,
		.min_score = opts->min_score,
	};
	struct render_options render_opts = { false };
	struct outfile	*out;
	struct report	*report;
	char		 err[512];
	int		 write_errno;
	bool		 ok;

	/* By default the suspects: the accounts a verdict flags. */
	if (opts->list_all)
		ropts.min_score = 0.0;
	else if (opts->min_score < 0)
		ropts.min_score = scorer_config(in->scorer)->suspicious_min;
	report = report_open(in, &ropts);
	*likely = report_listed_with(report, VERDICT_LIKELY_ZOMBIE) > 0;
	out = outfile_open(opts->output, err, sizeof(err));
	if (out == NULL) {
		report_free(report);
		say("%s", err);
		return false;
	}
	/* Colour only for a person at a terminal (and not NO_COLOR). */
	render_opts.color = opts->format == RENDER_TABLE &&
	    isatty(fileno(outfile_stream(out))) && getenv("NO_COLOR") == NULL;
	ok = render_report_stream(report, opts->format, outfile_stream(out),
	    &render_opts);
	write_errno = errno;
	report_free(report);
	if (!ok) {
		/* A reader that closed the pipe (| head) wanted no more:
		   the status says the report is incomplete, quietly. */
		if (write_errno != EPIPE)
			say("%s: write error: %s",
			    opts->output, strerror(write_errno));
		outfile_abort(out);
		return false;
	}
	if (!outfile_commit(out, err, sizeof(err))) {
		if (errno != EPIPE)
			say("%s", err);
		return false;
	}
	return true;
}

/*
 * open_state - lock and read the --state file before any log is read,
 * so that a corrupt, newer or busy file stops the run at once; exits
 * with EXIT_STATE when it cannot be used
 */
static struct state *
open_state(const struct options *opts, const struct state_options *so,
    struct state_lock **lock)
{
	enum state_status status;
	struct state	*st;
	struct stat	 sb;
	char		 err[600];

	/* Not even a lock file inside it. */
	if (stat(opts->state_path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		say("%.200s: is a directory, not a state file",
		    opts->state_path);
		exit(EXIT_STATE);
	}
	*lock = state_lock_acquire(opts->state_path, NULL, err, sizeof(err));
	if (*lock == NULL) {
		say("%s", err);
		exit(EXIT_STATE);
	}
	status = state_load(opts->state_path, so, &st, err, sizeof(err));
	if (status != STATE_OK && status != STATE_MISSING) {
		say("%s", err);
		exit(EXIT_STATE);
	}
	if (status == STATE_MISSING && opts->verbosity > 0)
		say("%.200s: no state yet; starting one", opts->state_path);
	return st;
}

/*
 * run_window - the time the run covers: from the first time stamp read
 * to the last, stretched to --since and --until when they lie less than
 * a day beyond them (a relay quiet at night still covered the nights
 * of the window asked for; a bound far beyond the logs, such as
 * "--since 2000-01-01" for "everything", says nothing of them).  No
 * line read: first > last.
 */
static void
run_window(const struct source_options *src,
    const struct source_stats *total, int64_t *first, int64_t *last)
{
	*first = total->first_time_sec;
	*last = total->last_time_sec;
	if (*first > *last || !src->window)
		return;
	if (src->since_sec != INT64_MIN && src->since_sec <= *first &&
	    *first - src->since_sec < 86400)
		*first = src->since_sec;
	/* --until is the first second left out. */
	if (src->until_sec != INT64_MAX && src->until_sec > *last &&
	    src->until_sec - 1 - *last < 86400)
		*last = src->until_sec - 1;
}

/* window_days - the run's window in whole days, at least 1 */
static double
window_days(int64_t first, int64_t last)
{
	int64_t	days;

	if (first >= last || first == INT64_MIN || last == INT64_MAX)
		return 1.0;
	/* Rounded: one day's logs span 00:00 to 23:59. */
	days = (int64_t)(((double)last - (double)first + 43200.0) / 86400.0);
	return days >= 1 ? (double)days : 1.0;
}

/*
 * save_state - fold the run into the state and replace the file; a
 * window that is not after the state's is left out with a warning
 * (running the same night twice must not count it twice)
 */
static bool
save_state(const struct options *opts, struct state *st,
    const struct pipeline_result *res, const struct source_options *src)
{
	enum state_update_result r;
	size_t		 pruned;
	int64_t		 first, last;
	char		 err[600];

	run_window(src, &res->total, &first, &last);
	r = state_update(st, res->aggregator, first, last, &pruned);
	if (r == STATE_NOT_NEWER &&
	    state_as_of(st) > (int64_t)time(NULL) + 86400) {
		/* A run folded in a stamp from the future (a wrong
		   clock; a file's are refused after its mtime): no night
		   can follow it.  Not a rerun, so an error, which -q does
		   not hide.  The real clock: SOURCE_DATE_EPOCH may
		   replay old nights. */
		char	as_of[32];

		timearg_format(state_as_of(st), as_of, sizeof(as_of));
		say("%.200s: the state's last run ends in the future (%s): "
		    "a wrong time stamp was folded in; no later night can "
		    "be added (start a new state file)", opts->state_path,
		    as_of);
		return false;
	}
	if (r == STATE_NOT_NEWER) {
		if (opts->verbosity >= 0)
			say("%.200s: the logs end "
			    "no later than the state's last run did (this "
			    "night already added?); state not updated",
			    opts->state_path);
		return true;
	}
	if (r == STATE_NO_WINDOW) {
		if (opts->verbosity >= 0)
			say("%.200s: the logs hold no "
			    "time stamps; state not updated",
			    opts->state_path);
		return true;
	}
	if (!state_save(st, opts->state_path, err, sizeof(err))) {
		say("%s", err);
		return false;
	}
	if (opts->verbosity > 0)
		say("%.200s: %zu accounts, %zu "
		    "pruned", opts->state_path, state_account_count(st),
		    pruned);
	return true;
}

/*
 * write_partial - --save-partial: the run's mergeable state instead of
 * a report; frees what main() made.  Exit status as for a report.
 */
static int
write_partial(const struct options *opts, struct pipeline_result *res,
    const struct partial_window *window, struct classifier *cls,
    char **files, size_t file_count)
{
	char	err[512];
	int	status = res->partial ? EXIT_PARTIAL : EXIT_OK;

	if (!partial_save(opts->partial_path, res, window, err,
	    sizeof(err))) {
		/* A reader that closed the pipe wanted no more, as for a
		   report: the status says so, quietly. */
		if (errno != EPIPE)
			say("%s", err);
		status = EXIT_FATAL;
	} else if (opts->verbosity > 0) {
		say("partial %s: %zu accounts, "
		    "%llu carried events", opts->partial_path,
		    aggregator_account_count(res->aggregator),
		    (unsigned long long)carry_event_count(res->carry));
	}
	pipeline_result_free(res);
	inputs_free(files, file_count);
	classifier_free(cls);
	return status;
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
	struct state	*st = NULL;
	struct state_lock *lock = NULL;
	struct subscribers *subs;
	struct progress_counters progress;
	struct progress	*meter = NULL;
	struct partial_merge *merged = NULL;
	struct partial_window window;
	char		**files, **skipped, err[512];
	size_t		 file_count, skipped_count, *file_sets, i;
	bool		 suspects = false, written, state_saved = true;
	int		 status;

	/* Before anything is opened, /dev/null on 0-2 included: what "-"
	   and /dev/fd/N may name (-o); a standard output the program was
	   started without is none. */
	outfile_note_inherited();
	open_standard_fds();
	/* Even --help's text to a reader that went away is an error to
	   report, not a signal to die of. */
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "merge") == 0) {
		static char merge_name[] = "zombiescan merge";

		/* getopt's own messages begin with argv[0]. */
		argv[1] = merge_name;
		parse_options(argc - 1, argv + 1, true, &opts);
	} else
		parse_options(argc, argv, false, &opts);
	zc = load_config(&opts);
	(void)report_time();	/* a bad SOURCE_DATE_EPOCH fails now */
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
		.max_accounts = opts.max_accounts,
		.keep_open = opts.partial_path != NULL,
		.warn = warn_stderr,
		.warn_ctx = &opts,
	};
	set_window(&opts, &popts.source);
	subs = load_subscribers(&opts);
	cls = classifier_new();
	if (!zsconfig_extend_classifier(zc, cls, err, sizeof(err))) {
		say("%s", err);
		exit(EXIT_USAGE);
	}
	if (opts.merge) {
		/* Partial files are named one by one, in time order. */
		files = opts.files;
		file_count = (size_t)opts.file_count;
		refuse_repeated_partials(files, file_count);
	} else {
		if (!inputs_expand(opts.files, (size_t)opts.file_count,
		    &files, &file_count, &skipped, &skipped_count, err,
		    sizeof(err)))
			usage_error(NULL, err);
		for (i = 0; opts.verbosity >= 0 && i < skipped_count; i++)
			say("%s: left out: it repeats the lines of a mail "
			    "log named with it (name it alone to read it)",
			    skipped[i]);
		inputs_free(skipped, skipped_count);
		refuse_own_files(files, file_count);
	}
	refuse_output_over_inputs(&opts, files, file_count);
	/* An output that cannot be written fails now, not after the run. */
	if (!outfile_check(opts.partial_path != NULL ? opts.partial_path :
	    opts.output, err, sizeof(err))) {
		say("%s", err);
		exit(EXIT_FATAL);
	}
	/* After every usage and fatal error: those come first (merge's
	   parts are checked as they are read, below). */
	if (opts.state_path != NULL && !opts.merge)
		st = open_state(&opts, zsconfig_state(zc), &lock);
	/* A meter for a person watching; never in cron's mail. */
	if (opts.verbosity >= 0 && isatty(STDERR_FILENO)) {
		progress_counters_init(&progress);
		popts.progress = &progress;
		meter = progress_start(stderr, &progress, 250);
		meter_running = meter != NULL;
	}
	if (opts.merge) {
		progress_stop(meter);
		meter = NULL;
		if (partial_merge(files, file_count, &popts.correlator, cls,
		    opts.max_accounts, &res, &merged, err, sizeof(err)) !=
		    PARTIAL_OK) {
			say("%s", err);
			exit(EXIT_USAGE);
		}
		if (opts.state_path != NULL)
			st = open_state(&opts, zsconfig_state(zc), &lock);
		warn_merged_damage(&res);
		/* The parts were read with it: the report states it. */
		partial_merge_window(merged, &window);
		popts.source.window = window.window;
		popts.source.since_sec = window.since_sec;
		popts.source.until_sec = window.until_sec;
	} else {
		file_sets = xreallocarray(NULL, file_count,
		    sizeof(*file_sets));
		inputs_sets(files, file_count, file_sets);
		popts.file_sets = file_sets;
		pipeline_run(files, file_count, &popts, cls, &res);
		free(file_sets);
		popts.file_sets = NULL;
	}
	progress_stop(meter);
	meter_running = false;
	if (!opts.merge)
		warn_no_mail(&opts, &res);
	if (opts.partial_path != NULL) {
		zsconfig_free(zc);
		subscribers_free(subs);
		struct partial_window w = {
			.window = popts.source.window,
			.since_sec = popts.source.since_sec,
			.until_sec = popts.source.until_sec,
		};

		return write_partial(&opts, &res, &w, cls, files,
		    file_count);
	}
	if (popts.source.window)
		warn_window(&opts, &res.total);

	sc = scorer_new(zsconfig_scoring(zc));
	zsconfig_free(zc);		/* the scorer copied what it needs */
	scorer_fit(sc, res.aggregator);
	if (st != NULL) {
		int64_t	first, last;

		run_window(&popts.source, &res.total, &first, &last);
		scorer_use_state(sc, st, window_days(first, last));
	}
	if (opts.verbosity > 0)
		print_summary(&res.total, &res.correlation, res.aggregator);
	else if (opts.verbosity == 0 &&
	    aggregator_stats(res.aggregator)->records_dropped != 0)
		say("account cap (--max-accounts %zu) "
		    "reached: records of %llu accounts dropped",
		    opts.max_accounts, (unsigned long long)
		    aggregator_accounts_dropped(res.aggregator));

	rin = (struct report_input){
		.generated_at = report_time(),
		.files = res.files,
		.file_count = res.file_count,
		.total = &res.total,
		.correlation = &res.correlation,
		.aggregator = res.aggregator,
		.scorer = sc,
		.window = popts.source.window,
		.since_sec = popts.source.since_sec,
		.until_sec = popts.source.until_sec,
		.subscribers = subs,
		.subscribers_file = opts.subscribers_path,
	};
	written = write_report(&opts, &rin, &suspects);
	suspects = suspects && opts.fail_on_suspects;
	/* After the report, which compared with the state as it was. */
	if (written && st != NULL)
		state_saved = save_state(&opts, st, &res, &popts.source);

	/* The alert asked for before damage the report itself names. */
	if (!written)
		status = EXIT_FATAL;
	else if (!state_saved)
		status = EXIT_STATE;
	else if (suspects)
		status = EXIT_SUSPECTS;
	else if (res.partial)
		status = EXIT_PARTIAL;
	else
		status = EXIT_OK;

	scorer_free(sc);
	subscribers_free(subs);
	state_free(st);
	state_lock_release(lock);
	pipeline_result_free(&res);
	partial_merge_free(merged);	/* after res, which borrowed from it */
	if (!opts.merge)
		inputs_free(files, file_count);	/* after res, likewise */
	classifier_free(cls);
	return status;
}
