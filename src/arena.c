/*
 * arena.c: bump allocator in chained blocks.  Big requests get a block of
 * their own so that a block's waste stays bounded.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "util.h"

#define ARENA_BLOCK	(64 * 1024)
#define ARENA_ALIGN	16

#define ARENA_LARGE	(8 * 1024 * 1024)

struct block {
	struct block	*next;
	size_t		 size;		/* usable bytes after the header */
	size_t		 used;
	bool		 mapped;	/* from mmap, ARENA_LARGE bytes in all */
	max_align_t	 data[];
};

struct arena {
	struct block	*head;
	size_t		 total;
	bool		 large;
};

struct arena *
arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

struct arena *
arena_new_large(void)
{
	struct arena *a = xcalloc(1, sizeof(struct arena));

	a->large = true;
	return a;
}

static void
block_free(struct block *b)
{
	if (b->mapped)
		munmap(b, ARENA_LARGE);
	else
		free(b);
}

void
arena_free(struct arena *a)
{
	struct block *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		block_free(b);
	}
	free(a);
}

void
arena_reset(struct arena *a)
{
	struct block *b, *next, *keep = NULL;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (keep == NULL && b->size == ARENA_BLOCK)
			keep = b;
		else
			block_free(b);
	}
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->total = 0;
}

void *
arena_alloc_raw(struct arena *a, size_t n)
{
	struct block *b;
	size_t size;
	void *p;

	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	b = a->head;
	if (b == NULL || b->size - b->used < n) {
		size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		if (a->large && size == ARENA_BLOCK && a->total >= ARENA_LARGE / 8) {
			/* the pages at once, not one fault per page as it fills */
			b = mmap(NULL, ARENA_LARGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
			if (b == MAP_FAILED)
				fatal("out of memory");
			size = ARENA_LARGE - sizeof(struct block);
			b->mapped = true;
		} else {
			b = xmalloc(sizeof(struct block) + size);
			b->mapped = false;
		}
		b->size = size;
		b->used = 0;
		if (size == n && a->head != NULL) {
			/* a big block goes second so the current one keeps filling */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += n;
	a->total += n;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_alloc_raw(a, n);

	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;
	char *p;

	/* one formatting pass for the short strings most callers make */
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("arena_printf: bad format");
	if ((size_t)n < sizeof(buf))
		return arena_strndup(a, buf, (size_t)n);
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}
