/*
 * loadutil.h: load YAML text or a file of the project into indexed objects
 * for unit tests, through the same path the commands use (inputs, docset,
 * objset).  One struct tload per load; tload_release() frees it all.
 */
#ifndef BTPCTL_TEST_LOADUTIL_H
#define BTPCTL_TEST_LOADUTIL_H

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "load.h"
#include "objects.h"
#include "util.h"

struct tload {
	struct load_opts lo;
	struct inputs	 in;
	struct docset	 ds;
	struct objset	 os;
	struct diags	 diags;		/* load problems */
};

static void
tload_init(struct tload *t)
{
	load_opts_init(&t->lo);
	inputs_init(&t->in);
	docset_init(&t->ds);
	objset_init(&t->os);
	diags_init(&t->diags);
}

static void
tload_finish(struct tload *t)
{
	docset_load(&t->ds, &t->in, &t->lo, &t->diags);
	objset_add_docs(&t->os, &t->ds, &t->diags, false);
}

/* Load YAML text (copied) named name. */
static void
tload_text(struct tload *t, const char *name, const char *text)
{
	tload_init(t);
	inputs_add_bytes(&t->in, name, xstrdup(text), strlen(text));
	tload_finish(t);
}

/* A path relative to the project root ($ROOT, or the current directory). */
static char *
tload_path(const char *rel)
{
	const char *root = getenv("ROOT");

	return xasprintf("%s/%s", root != NULL && *root ? root : ".", rel);
}

/* Load a file or directory of the project; returns inputs_add's code. */
static int
tload_file(struct tload *t, const char *rel)
{
	char *path = tload_path(rel);
	int rc;

	tload_init(t);
	rc = inputs_add(&t->in, path, &t->lo, &t->diags);
	free(path);
	tload_finish(t);
	return rc;
}

/* The first object of type ty, or NULL. */
static struct object *
tload_first(struct tload *t, enum obj_type ty)
{
	size_t i;

	for (i = 0; i < t->os.n; i++)
		if (t->os.v[i].type == ty)
			return &t->os.v[i];
	return NULL;
}

static void
tload_release(struct tload *t)
{
	objset_release(&t->os);
	docset_release(&t->ds);
	inputs_release(&t->in);
	diags_release(&t->diags);
}

#endif
