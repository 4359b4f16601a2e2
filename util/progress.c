/*
 * progress - a progress meter thread over shared counters (see
 * progress.h).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/progress.h"
#include "util/xalloc.h"

struct progress {
	FILE		*out;
	struct progress_counters *counters;
	unsigned	 interval_ms;
	struct timespec	 started;	/* CLOCK_MONOTONIC */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	bool		 stopping;	/* under lock */
	bool		 drawn;		/* a line is on the terminal */
};

/* progress_counters_init - all zero */
void
progress_counters_init(struct progress_counters *c)
{
	atomic_init(&c->bytes_read, 0);
	atomic_init(&c->lines_read, 0);
	atomic_init(&c->total_bytes, 0);
}

/* human_bytes - "512 B", "1.5 KiB", "3.4 GiB" */
static void
human_bytes(char *buf, size_t size, double bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	int	i = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%.0f B", bytes);
		return;
	}
	while (bytes >= 1024 && i < 3) {
		bytes /= 1024;
		i++;
	}
	snprintf(buf, size, "%.1f %s", bytes, units[i]);
}

/* human_count - "950", "45.6k", "12.3M", "1.2G" */
static void
human_count(char *buf, size_t size, uint64_t n)
{
	if (n < 1000)
		snprintf(buf, size, "%llu", (unsigned long long)n);
	else if (n < 1000000)
		snprintf(buf, size, "%.1fk", (double)n / 1e3);
	else if (n < 1000000000)
		snprintf(buf, size, "%.1fM", (double)n / 1e6);
	else
		snprintf(buf, size, "%.1fG", (double)n / 1e9);
}

/* clock_text - "0:27", "12:05", "1:02:03" */
static void
clock_text(char *buf, size_t size, double sec)
{
	unsigned long	s = sec > 0 ? (unsigned long)(sec + 0.5) : 0;

	if (s >= 3600)
		snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60,
		    s % 60);
	else
		snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
}

/* progress_format - the meter's text */
char *
progress_format(char *buf, size_t size, uint64_t bytes, uint64_t total,
    uint64_t lines, double elapsed_sec)
{
	char	done[32], all[32], count[32], speed[32], left[32];
	double	rate = elapsed_sec > 0 ? (double)bytes / elapsed_sec : 0;
	size_t	n;

	if (size == 0)
		return buf;
	human_bytes(done, sizeof(done), (double)bytes);
	human_count(count, sizeof(count), lines);
	if (total > 0) {
		unsigned percent = bytes >= total ? 100 :
		    (unsigned)((double)bytes * 100 / (double)total);

		human_bytes(all, sizeof(all), (double)total);
		n = (size_t)snprintf(buf, size, "zombiescan: %s of %s (%u%%), "
		    "%s lines", done, all, percent, count);
	} else
		n = (size_t)snprintf(buf, size, "zombiescan: %s, %s lines",
		    done, count);
	if (n >= size || rate <= 0)
		return buf;
	human_bytes(speed, sizeof(speed), rate);
	n += (size_t)snprintf(buf + n, size - n, ", %s/s", speed);
	if (n >= size || total == 0 || bytes >= total)
		return buf;
	clock_text(left, sizeof(left), (double)(total - bytes) / rate);
	snprintf(buf + n, size - n, ", %s left", left);
	return buf;
}

/* elapsed - seconds since the meter started */
static double
elapsed(const struct progress *p)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->started.tv_sec) +
	    (double)(now.tv_nsec - p->started.tv_nsec) / 1e9;
}

/* draw - one redraw: back to the start of the line, text, clear rest */
static void
draw(struct progress *p)
{
	char	line[160];

	progress_format(line, sizeof(line),
	    atomic_load(&p->counters->bytes_read),
	    atomic_load(&p->counters->total_bytes),
	    atomic_load(&p->counters->lines_read), elapsed(p));
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->drawn = true;
}

/* deadline_after - the realtime clock interval_ms from now */
static void
deadline_after(struct timespec *ts, unsigned interval_ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += interval_ms / 1000;
	ts->tv_nsec += (long)(interval_ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* meter - the thread: wait an interval, redraw, until told to stop */
static void *
meter(void *arg)
{
	struct progress	*p = arg;
	struct timespec	 deadline;
	int		 rc;

	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		deadline_after(&deadline, p->interval_ms);
		rc = 0;
		while (!p->stopping && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&p->wake, &p->lock,
			    &deadline);
		if (!p->stopping)
			draw(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* progress_start - start the meter thread */
struct progress *
progress_start(FILE *out, struct progress_counters *c, unsigned interval_ms)
{
	struct progress	*p = xcalloc(1, sizeof(*p));

	p->out = out;
	p->counters = c;
	p->interval_ms = interval_ms < 50 ? 50 : interval_ms;
	clock_gettime(CLOCK_MONOTONIC, &p->started);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	if (pthread_create(&p->thread, NULL, meter, p) != 0) {
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	return p;
}

/* progress_stop - stop, join, clear the line, free */
void
progress_stop(struct progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	if (p->drawn) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
