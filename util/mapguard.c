/*
 * mapguard - SIGBUS in a mapped window read as the window's end (see
 * mapguard.h).
 *
 * The guards live in a fixed table that the handler walks.  A guard's
 * bounds change only in the thread that reads through it, but the
 * handler may run in another thread at the same moment, so each guard
 * carries a sequence number, odd while its bounds are being changed: a
 * handler that sees it odd, or changed, skips that guard (it cannot be
 * the faulting thread's own, which is not changing it).  Everything
 * the handler reads is a lock-free atomic, and it calls only mmap(),
 * sigaction() and raise().
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/mapguard.h"

struct mapguard {
	atomic_bool	 used;
	atomic_uint	 seq;		/* odd while lo and hi change */
	atomic_uintptr_t lo;		/* the window, whole pages */
	atomic_uintptr_t hi;
	atomic_uintptr_t cut;		/* 0, or the page that faulted */
};

static struct mapguard	 guards[MAPGUARD_MAX];
static struct sigaction	 previous;	/* SIGBUS before the first guard */
static uintptr_t	 page_size;
static bool		 installed;
static pthread_once_t	 install_once = PTHREAD_ONCE_INIT;

/*
 * on_sigbus - a fault inside a guarded window: zero-filled memory over
 * the rest of it, and the guard notes where.  Anything else is handed
 * to the previous disposition: restored, it applies when the faulting
 * access runs again (or, for a SIGBUS sent by a process, at once).
 */
static void
on_sigbus(int sig, siginfo_t *si, void *context)
{
	uintptr_t	 a = (uintptr_t)si->si_addr, lo, hi, page, was;
	unsigned	 seq;
	size_t		 i;
	int		 saved = errno;

	(void)context;
	for (i = 0; si->si_code > 0 && i < MAPGUARD_MAX; i++) {
		struct mapguard *g = &guards[i];

		if (!atomic_load(&g->used))
			continue;
		seq = atomic_load(&g->seq);
		if (seq & 1)
			continue;
		lo = atomic_load(&g->lo);
		hi = atomic_load(&g->hi);
		if (atomic_load(&g->seq) != seq || a < lo || a >= hi)
			continue;
		page = a - a % page_size;
		if (mmap((void *)page, hi - page, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		    MAP_FAILED)
			break;
		was = atomic_load(&g->cut);
		if (was == 0 || page < was)
			atomic_store(&g->cut, page);
		errno = saved;
		return;
	}
	(void)sigaction(SIGBUS, &previous, NULL);
	if (si->si_code <= 0)
		(void)raise(sig);
	errno = saved;
}

/* install - the handler, once for the process, if it can work here */
static void
install(void)
{
	struct sigaction sa;
	long		 ps = sysconf(_SC_PAGESIZE);

	if (ps <= 0 || !atomic_is_lock_free(&guards[0].lo) ||
	    !atomic_is_lock_free(&guards[0].seq) ||
	    !atomic_is_lock_free(&guards[0].used))
		return;
	page_size = (uintptr_t)ps;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	installed = sigaction(SIGBUS, &sa, &previous) == 0;
}

/* mapguard_new - see mapguard.h */
struct mapguard *
mapguard_new(void)
{
	size_t	i;
	bool	free_slot;

	pthread_once(&install_once, install);
	if (!installed)
		return NULL;
	for (i = 0; i < MAPGUARD_MAX; i++) {
		free_slot = false;
		if (atomic_compare_exchange_strong(&guards[i].used,
		    &free_slot, true)) {
			mapguard_set(&guards[i], NULL, 0);
			return &guards[i];
		}
	}
	return NULL;
}

/* mapguard_free - see mapguard.h */
void
mapguard_free(struct mapguard *g)
{
	if (g == NULL)
		return;
	mapguard_set(g, NULL, 0);
	atomic_store(&g->used, false);
}

/* mapguard_set - see mapguard.h */
void
mapguard_set(struct mapguard *g, const void *base, size_t len)
{
	uintptr_t	lo = (uintptr_t)base, hi = lo + len;

	lo -= lo % page_size;
	if (hi % page_size != 0)
		hi += page_size - hi % page_size;
	if (base == NULL || len == 0)
		lo = hi = 0;
	atomic_fetch_add(&g->seq, 1);
	atomic_store(&g->lo, lo);
	atomic_store(&g->hi, hi);
	atomic_store(&g->cut, 0);
	atomic_fetch_add(&g->seq, 1);
}

/* mapguard_cut - see mapguard.h */
bool
mapguard_cut(const struct mapguard *g, const char **at)
{
	uintptr_t	cut = atomic_load(&g->cut);

	if (cut == 0)
		return false;
	*at = (const char *)cut;
	return true;
}
