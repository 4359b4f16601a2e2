/*
 * arena - memory for objects that die together.
 *
 * An arena hands out memory from a chain of blocks and gives it all
 * back at once: nothing in it is freed by itself.  The correlator gives
 * each open message one, so the dozen strings a message collects cost
 * no malloc nor free each.  The first block is storage the caller owns
 * (arena_init()'s buf, typically inside the object the arena belongs
 * to, so that recycling the object recycles the block); further blocks
 * are allocated when it is full, each twice the size of the one before
 * up to ARENA_BLOCK_MAX, or as large as one request needs.
 *
 * Strings that are replaced over and over (the last response of a
 * recipient deferred a thousand times) go through arena_strset(): each
 * string keeps its capacity just before it, a new value that fits is
 * written over the old one, and one that does not gets at least twice
 * the old capacity.  However often a field changes, it leaves behind
 * less than twice the capacity it ends with.
 *
 * Ownership: what the arena hands out stays valid until arena_reset(),
 * which frees every block the arena allocated (never the caller's
 * first block).  An arena must be reset before it is dropped.
 *
 * Arenas that are reset over and over (one per message, recycled with
 * it) may share a pool (struct arena_pool): arena_reset() then gives
 * its blocks to the pool instead of free(), and a growing arena takes
 * a block of the size it wants from there before it calls malloc().
 * The pool owns the blocks it holds, at most its max_bytes of them
 * (a block that would go past that is freed), and frees them in
 * arena_pool_clear(); the arenas using a pool must be reset, or no
 * longer used, before it is cleared.  A pool serves one thread.
 */
#ifndef ZS_ARENA_H
#define ZS_ARENA_H

#include <stddef.h>

/* Blocks grow geometrically up to this size (a larger request still
   gets a block of its own size). */
#define ARENA_BLOCK_MAX		(64 * 1024)

struct arena_block;

/* Released blocks are filed by size class: floor(log2(size)). */
#define ARENA_POOL_CLASSES	(sizeof(size_t) * 8)

/* Fill with arena_pool_init(); the fields are the pool's own. */
struct arena_pool {
	struct arena_block *free[ARENA_POOL_CLASSES]; /* by class, LIFO */
	size_t		 bytes;		/* of the blocks held */
	size_t		 max_bytes;	/* bound on bytes */
};

/* Fill with arena_init(); the fields are the arena's own. */
struct arena {
	char		*next;		/* free space of the current block */
	size_t		 avail;		/* bytes free there */
	struct arena_block *blocks;	/* allocated blocks, newest first */
	char		*first;		/* caller's block, or NULL */
	size_t		 first_size;
	size_t		 grow_size;	/* size of the next block allocated */
	size_t		 memory;	/* bytes of every block, first too */
	struct arena_pool *pool;	/* where blocks go and come from, or
					   NULL: free() and malloc() */
};

/* arena_pool_init - empty pool that will hold at most max_bytes of
   released blocks (0: none, every block is freed at once) */
void	 arena_pool_init(struct arena_pool *p, size_t max_bytes);

/* arena_pool_clear - free every block the pool holds; it stays usable */
void	 arena_pool_clear(struct arena_pool *p);

/* arena_pool_memory - bytes of the blocks the pool holds */
size_t	 arena_pool_memory(const struct arena_pool *p);

/* arena_init - empty arena whose first block is buf[0..size) (borrowed;
   buf may be NULL when size is 0) */
void	 arena_init(struct arena *a, void *buf, size_t size);

/* arena_init_pooled - arena_init() of an arena whose further blocks
   come from and go back to pool (borrowed; NULL: none) */
void	 arena_init_pooled(struct arena *a, void *buf, size_t size,
	    struct arena_pool *pool);

/* arena_reset - free every block the arena allocated (or give it to
   the arena's pool) and start again, empty, in the caller's block, with
   the same pool: everything handed out is gone */
void	 arena_reset(struct arena *a);

/* arena_allocarray - count uninitialised elements of size bytes,
   aligned for any type; overflow-checked, never NULL */
void	*arena_allocarray(struct arena *a, size_t count, size_t size);

/* arena_memdup0 - copy of len bytes plus a NUL, which arena_strset()
   may later overwrite */
char	*arena_memdup0(struct arena *a, const void *data, size_t len);

/*
 * arena_strset - make *dst a copy of len bytes plus a NUL.  *dst is
 * NULL or a string of this arena from arena_memdup0() or arena_strset():
 * its space is reused when the new value fits, else a new string with
 * at least twice its capacity is taken.  data may overlap *dst.
 */
void	 arena_strset(struct arena *a, char **dst, const void *data,
	    size_t len);

/* arena_memory - bytes the arena holds, its first block included (a
   block taken from a pool counts from then on, not before nor after) */
size_t	 arena_memory(const struct arena *a);

#endif
