/*
 * fuzz_load.c: libFuzzer entry point over the loader and the object index:
 * any bytes are loaded as a source (every document, one arena) and indexed;
 * nothing may crash, hang, leak or read out of bounds, and every problem
 * must be a diagnostic.  The same bytes also go through par_load on two
 * threads, whose diagnostics must equal the single-threaded ones.
 *
 *   make fuzz && build/fuzz/bin/fuzz_load -max_total_time=60 NEWDIR fuzz/corpus
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "objects.h"
#include "par.h"
#include "source.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	struct objset	*os;
	struct diags	*d;
};

static int
index_doc(struct doc *doc, void *ud)
{
	struct ctx *c = ud;

	objset_add_doc(c->os, doc, c->d, true);
	return 0;
}

static int
index_par(struct doc *doc, struct diags *d, void *ud, void *state)
{
	struct objset os;

	(void)ud;
	(void)state;
	objset_init(&os);
	objset_add_doc(&os, doc, d, true);
	objset_release(&os);
	return 0;
}

static void
same_diags(const struct diags *a, const struct diags *b)
{
	size_t i;

	if (a->n != b->n)
		abort();
	for (i = 0; i < a->n; i++)
		if (a->v[i].loc.line != b->v[i].loc.line ||
		    a->v[i].loc.col != b->v[i].loc.col ||
		    a->v[i].loc.start != b->v[i].loc.start ||
		    strcmp(a->v[i].message, b->v[i].message) != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *src;
	struct arena *a;
	struct load_opts o;
	struct diags d, d2;
	struct objset os;
	struct inputs in;
	struct ctx c;
	char *copy;
	size_t i;

	if (size > 64 * 1024)
		return 0;
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	src = source_new("fuzz.yaml", copy, size, 1);
	a = arena_new();
	load_opts_init(&o);
	o.max_nodes = 20000;
	diags_init(&d);
	objset_init(&os);
	c.os = &os;
	c.d = &d;
	load_source(src, a, &o, &d, index_doc, &c);
	/* every located diagnostic points inside the input */
	for (i = 0; i < d.n; i++)
		if (d.v[i].loc.src != NULL && (d.v[i].loc.start > size ||
		    d.v[i].loc.end > size || d.v[i].loc.line < 1 || d.v[i].loc.col < 1))
			abort();
	objset_release(&os);
	arena_free(a);

	/* the parallel path sees the same problems at the same places */
	inputs_init(&in);
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	inputs_add_bytes(&in, "fuzz.yaml", copy, size);
	diags_init(&d2);
	par_load(&in, &o, 2, index_par, NULL, &d2);
	{
		struct diags d1;

		diags_init(&d1);
		par_load(&in, &o, 1, index_par, NULL, &d1);
		same_diags(&d1, &d2);
		diags_release(&d1);
	}
	diags_release(&d2);
	inputs_release(&in);
	diags_release(&d);
	source_free(src);
	return 0;
}
