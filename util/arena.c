/*
 * arena - memory for objects that die together (see arena.h).
 *
 * Each string carries its capacity (NUL included) in the STR_HEADER
 * bytes before it, read and written with memcpy because strings are
 * not aligned.  A capacity too large for the header is stored as
 * UINT32_MAX: less than the truth, which only costs a reuse.
 *
 * A pool files a block under floor(log2(size)).  The arenas sharing a
 * pool usually have first blocks of one size, so the blocks of a class
 * are of one size too and the newest one fits; when it does not, a
 * block of the next class up, which is larger than any of this class,
 * does.  Only blocks of at most ARENA_BLOCK_MAX bytes are kept: a
 * larger one was made for one huge request, and would hold the pool's
 * bytes for a size seldom asked for again.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/xalloc.h"

#define ARENA_ALIGN	_Alignof(max_align_t)
#define ARENA_BLOCK_MIN	256
#define STR_HEADER	sizeof(uint32_t)

/* Requests past this size are not satisfiable: a size that large is a
   bug or an overflow, and xmalloc() reports it. */
#define REQUEST_MAX	(SIZE_MAX / 4)

struct arena_block {
	struct arena_block *next;	/* older block */
	size_t		 size;		/* bytes of data */
	char		 data[];
};

/* size_class - the pool class of a block of size bytes (size > 0) */
static size_t
size_class(size_t size)
{
	size_t	c = 0;

	while (size >>= 1)
		c++;
	return c;
}

/* arena_pool_init - empty pool bounded to max_bytes */
void
arena_pool_init(struct arena_pool *p, size_t max_bytes)
{
	memset(p, 0, sizeof(*p));
	p->max_bytes = max_bytes;
}

/* arena_pool_clear - free the blocks held */
void
arena_pool_clear(struct arena_pool *p)
{
	struct arena_block *b;
	size_t		 c;

	for (c = 0; c < ARENA_POOL_CLASSES; c++) {
		while ((b = p->free[c]) != NULL) {
			p->free[c] = b->next;
			free(b);
		}
	}
	p->bytes = 0;
}

/* arena_pool_memory - bytes held */
size_t
arena_pool_memory(const struct arena_pool *p)
{
	return p->bytes;
}

/* pool_take - a pooled block of at least size bytes, or NULL */
static struct arena_block *
pool_take(struct arena_pool *p, size_t size)
{
	struct arena_block *b;
	size_t		 c = size_class(size);

	if ((b = p->free[c]) == NULL || b->size < size) {
		/* Every block of class c + 1 has 2^(c+1) > size bytes. */
		if (c + 1 >= ARENA_POOL_CLASSES ||
		    (b = p->free[c + 1]) == NULL)
			return NULL;
		c++;
	}
	p->free[c] = b->next;
	p->bytes -= offsetof(struct arena_block, data) + b->size;
	return b;
}

/* pool_put - give a block to the pool, or free it when it is too
   large or the pool full */
static void
pool_put(struct arena_pool *p, struct arena_block *b)
{
	size_t	total = offsetof(struct arena_block, data) + b->size;
	size_t	c;

	if (p == NULL || b->size > ARENA_BLOCK_MAX ||
	    total > p->max_bytes - p->bytes) {	/* bytes <= max_bytes */
		free(b);
		return;
	}
	c = size_class(b->size);
	b->next = p->free[c];
	p->free[c] = b;
	p->bytes += total;
}

/* arena_init - empty arena starting in the caller's block */
void
arena_init(struct arena *a, void *buf, size_t size)
{
	arena_init_pooled(a, buf, size, NULL);
}

/* arena_init_pooled - empty arena starting in the caller's block,
   growing from pool */
void
arena_init_pooled(struct arena *a, void *buf, size_t size,
    struct arena_pool *pool)
{
	a->first = buf;
	a->first_size = buf != NULL ? size : 0;
	a->next = a->first;
	a->avail = a->first_size;
	a->blocks = NULL;
	a->grow_size = 2 * a->first_size;
	if (a->grow_size < ARENA_BLOCK_MIN)
		a->grow_size = ARENA_BLOCK_MIN;
	if (a->grow_size > ARENA_BLOCK_MAX)
		a->grow_size = ARENA_BLOCK_MAX;
	a->memory = a->first_size;
	a->pool = pool;
}

/* arena_reset - free (or pool) the allocated blocks, start over empty */
void
arena_reset(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->blocks; b != NULL; b = next) {
		next = b->next;
		pool_put(a->pool, b);
	}
	arena_init_pooled(a, a->first, a->first_size, a->pool);
}

/* grow - make a new current block with at least need bytes free */
static void
grow(struct arena *a, size_t need)
{
	struct arena_block *b;
	size_t		 size = a->grow_size;

	if (need > REQUEST_MAX)
		(void)xmalloc(SIZE_MAX);	/* reports and exits */
	if (size < need)
		size = need;
	else if (a->grow_size < ARENA_BLOCK_MAX)
		a->grow_size = 2 * a->grow_size < ARENA_BLOCK_MAX ?
		    2 * a->grow_size : ARENA_BLOCK_MAX;
	if (a->pool == NULL || (b = pool_take(a->pool, size)) == NULL) {
		b = xmalloc(offsetof(struct arena_block, data) + size);
		b->size = size;
	}
	/* A pooled block may be larger than asked: all of it is used. */
	b->next = a->blocks;
	a->blocks = b;
	a->next = b->data;
	a->avail = b->size;
	a->memory += offsetof(struct arena_block, data) + b->size;
}

/* arena_allocarray - uninitialised array, aligned for any type */
void *
arena_allocarray(struct arena *a, size_t count, size_t size)
{
	size_t	 pad = 0;
	char	*p;

	if (size != 0 && count > REQUEST_MAX / size)
		(void)xmalloc(SIZE_MAX);	/* reports and exits */
	if ((size *= count) == 0)
		size = 1;
	if (a->next != NULL)
		pad = (size_t)(-(uintptr_t)a->next & (ARENA_ALIGN - 1));
	if (a->next == NULL || a->avail < pad || a->avail - pad < size) {
		grow(a, size + ARENA_ALIGN - 1);
		pad = (size_t)(-(uintptr_t)a->next & (ARENA_ALIGN - 1));
	}
	p = a->next + pad;
	a->next = p + size;
	a->avail -= pad + size;
	return p;
}

/*
 * str_take - room for a string of capacity cap (NUL included, cap >
 * len) in the current block, which has STR_HEADER + cap bytes free:
 * its header written, a NUL at len, the bytes before it left to the
 * caller.  No call: see strset_grown().
 */
static inline char *
str_take(struct arena *a, size_t cap, size_t len)
{
	size_t		 need = STR_HEADER + cap;
	uint32_t	 stored = cap > UINT32_MAX ? UINT32_MAX :
			    (uint32_t)cap;
	char		*s;

	memcpy(a->next, &stored, STR_HEADER);
	s = a->next + STR_HEADER;
	a->next += need;
	a->avail -= need;
	s[len] = '\0';
	return s;
}

/*
 * strset_grown - arena_strset()'s new string of capacity cap when the
 * current block cannot hold it, or when len is past REQUEST_MAX (cap
 * is then no size).  Out of line: a call in arena_strset() itself would
 * make its fast path save and restore registers, and every logged field
 * goes through that path.  need > 0, so an arena without a block (next
 * NULL) grows.
 */
static void __attribute__((noinline))
strset_grown(struct arena *a, char **dst, size_t cap, const void *data,
    size_t len)
{
	char	*s;

	if (len > REQUEST_MAX)
		(void)xmalloc(SIZE_MAX);	/* reports and exits */
	grow(a, STR_HEADER + cap);
	s = str_take(a, cap, len);
	if (len > 0)
		memcpy(s, data, len);
	*dst = s;
}

/* arena_memdup0 - a NUL-terminated copy with room for just itself */
char *
arena_memdup0(struct arena *a, const void *data, size_t len)
{
	char	*s = NULL;

	arena_strset(a, &s, data, len);
	return s;
}

/* arena_strset - replace a string, in place when the new value fits */
void
arena_strset(struct arena *a, char **dst, const void *data, size_t len)
{
	uint32_t	 stored;
	size_t		 cap;
	char		*s = *dst;

	if (len > REQUEST_MAX) {
		strset_grown(a, dst, 0, data, len);
		return;
	}
	if (s == NULL)
		cap = len + 1;
	else {
		memcpy(&stored, s - STR_HEADER, STR_HEADER);
		if (len < stored) {
			if (len > 0)
				memmove(s, data, len);
			s[len] = '\0';
			return;
		}
		/* Doubling: a field that keeps growing leaves behind less
		   than the capacity it ends with.  The old string stays
		   valid, so data may still point into it. */
		cap = len + 1;
		if (stored > cap - stored)	/* stored <= len: no overflow */
			cap = 2 * (size_t)stored;
	}
	if (a->avail < STR_HEADER + cap) {
		strset_grown(a, dst, cap, data, len);
		return;
	}
	/* *dst first, so that the copy is the last call: data does not
	   overlap the new string, and the old one stays valid. */
	*dst = s = str_take(a, cap, len);
	if (len > 0)
		memcpy(s, data, len);
}

/* arena_memory - bytes held */
size_t
arena_memory(const struct arena *a)
{
	return a->memory;
}
