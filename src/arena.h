/*
 * arena.h: bump allocator.  Everything a load produces (node trees, strings,
 * typed policies) lives in one arena and is released at once with
 * arena_free().  Allocation never fails: on out-of-memory the process
 * aborts with a message, since no caller could do anything better.
 */
#ifndef BTPCTL_ARENA_H
#define BTPCTL_ARENA_H

#include <stddef.h>

struct arena;

/* A new, empty arena. */
struct arena	*arena_new(void);
/*
 * The same, for an arena that may grow to hundreds of megabytes: past its
 * first megabyte it takes blocks of 8 MiB whose pages are mapped at once
 * rather than one fault at a time.
 */
struct arena	*arena_new_large(void);
/* Release every allocation of the arena and the arena itself; NULL is ok. */
void		 arena_free(struct arena *);
/*
 * Forget every allocation but keep the arena's first block for reuse, so
 * that a scratch arena used once per document costs no malloc after the
 * first.  Pointers into the arena become invalid.
 */
void		 arena_reset(struct arena *);
/* Zero-filled, aligned for any type. */
void		*arena_alloc(struct arena *, size_t);
/* The same, not zeroed: for memory the caller writes whole at once. */
void		*arena_alloc_raw(struct arena *, size_t);
/* Copy of n bytes plus a NUL. */
char		*arena_strndup(struct arena *, const char *, size_t n);
char		*arena_strdup(struct arena *, const char *);
/* printf into the arena. */
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for benchmarks and bounds). */
size_t		 arena_used(const struct arena *);

#endif
