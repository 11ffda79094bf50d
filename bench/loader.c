/*
 * loader.c: the loader alone on a big stream, to show that memory stays
 * bounded by the largest document, not by the input.
 *
 *   loader each FILE     load_source_each, one thread
 *   loader par N FILE    par_load with N threads (0: one per core)
 *   loader split FILE    only split the stream into documents (load_split)
 *
 * Prints: wall seconds, CPU seconds, documents, the largest arena a
 * document needed (bytes), and the peak resident set size (KiB).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "par.h"
#include "source.h"

struct stats {
	size_t	 docs;		/* updated atomically */
	size_t	 max_arena;
};

static void
note(struct stats *s, const struct doc *d)
{
	size_t used = arena_used(d->arena), cur;

	__atomic_add_fetch(&s->docs, 1, __ATOMIC_RELAXED);
	cur = __atomic_load_n(&s->max_arena, __ATOMIC_RELAXED);
	while (used > cur && !__atomic_compare_exchange_n(&s->max_arena, &cur, used,
	    0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static int
on_doc(struct doc *d, void *ud)
{
	note(ud, d);
	return 0;
}

static int
on_par_doc(struct doc *d, struct diags *diags, void *ud, void *state)
{
	(void)diags;
	(void)state;
	note(ud, d);
	return 0;
}

int
main(int argc, char **argv)
{
	struct inputs in;
	struct load_opts o;
	struct diags d;
	struct stats s;
	struct rusage ru;
	struct timespec t0, t1;
	const char *path;
	int rc;

	if (argc < 3 || (strcmp(argv[1], "par") == 0 && argc < 4)) {
		fprintf(stderr, "usage: loader each FILE | loader par N FILE\n");
		return 2;
	}
	path = argv[argc - 1];
	inputs_init(&in);
	load_opts_init(&o);
	diags_init(&d);
	memset(&s, 0, sizeof(s));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (inputs_add(&in, path, &o, &d) != 0) {
		fprintf(stderr, "loader: cannot read %s\n", path);
		return 3;
	}
	if (strcmp(argv[1], "split") == 0) {
		struct load_chunk *c;
		size_t nul;

		s.docs = load_split(in.v[0], &c, &nul);
		free(c);
		rc = 0;
	} else if (strcmp(argv[1], "each") == 0)
		rc = load_source_each(in.v[0], &o, &d, on_doc, &s);
	else
		rc = par_load(&in, &o, atoi(argv[2]), on_par_doc, &s, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	printf("%.3f %.3f %zu %zu %ld\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, (double)ru.ru_utime.tv_sec +
	    (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	    (double)ru.ru_stime.tv_usec / 1e6, s.docs, s.max_arena, ru.ru_maxrss);
	diags_release(&d);
	inputs_release(&in);
	return rc;
}
