/*
 * diff_effective.c: the effective diff (see diff.h): the effective policy
 * of every gateway listener x route x rule on both sides, matched by that
 * identity, compared field by field, each change told with the policy it
 * came from on each side.  Routes whose effective policy did not change
 * are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diff_int.h"
#include "effective.h"
#include "util.h"

struct keyed {
	const char		*key;
	const struct eff_route	*r;
};

static int
keyed_cmp(const void *x, const void *y)
{
	return strcmp(((const struct keyed *)x)->key, ((const struct keyed *)y)->key);
}

static struct keyed *
keyed_routes(const struct effective *e)
{
	struct keyed *k = xreallocarray(NULL, e->nroutes + 1, sizeof(*k));
	size_t i;

	for (i = 0; i < e->nroutes; i++) {
		k[i].key = eff_route_key(e, &e->routes[i]);
		k[i].r = &e->routes[i];
	}
	if (e->nroutes > 1)
		qsort(k, e->nroutes, sizeof(*k), keyed_cmp);
	return k;
}

/* "ns/name" of a policy, "HTTPRoute ns/name" of a route, or "default". */
static const char *
source_name(struct arena *a, const struct eff_source *s)
{
	if (s->policy != NULL)
		return arena_printf(a, "%s/%s", object_ns(s->policy->obj),
		    s->policy->obj->name);
	if (s->object != NULL)
		return arena_printf(a, "%s %s/%s", s->object->kind,
		    object_ns(s->object), s->object->name);
	return "default";
}

/*
 * Where the value at a change path came from on one side: the source of
 * that path, of the first path under it, or of the path above it.  List
 * items are compared up to the list (keyed paths differ from the index
 * paths of sources).
 */
static const char *
provenance(struct arena *a, const struct eff_route *r, const char *path)
{
	char buf[512];
	size_t n, i, sl;
	const char *sp;

	if (r == NULL)
		return NULL;
	if (strncmp(path, "spec.", 5) == 0)
		path += 5;
	n = strcspn(path, "[");
	if (n >= sizeof(buf) || strncmp(path, "spec", 4) == 0)
		return NULL;
	memcpy(buf, path, n);
	buf[n] = '\0';
	for (i = 0; i < r->nsources; i++) {
		sp = r->sources[i].path;
		sl = strlen(sp);
		if ((strncmp(sp, buf, n) == 0 &&
		    (sp[n] == '\0' || sp[n] == '.' || sp[n] == '[')) ||
		    (sl < n && strncmp(buf, sp, sl) == 0 && buf[sl] == '.'))
			return source_name(a, &r->sources[i]);
	}
	return NULL;
}

static const struct node	no_spec = { .kind = NODE_MAP, .str = "" };

/*
 * A policy the translator refuses makes Envoy Gateway answer the route
 * with 500: a change of that is the biggest a route can see.
 */
static void
invalid_change(struct arena *a, const struct eff_route *o, const struct eff_route *n,
    struct diff_change **c, size_t *nc)
{
	const char *io = o ? o->invalid : NULL, *in = n ? n->invalid : NULL;
	struct diff_change *x;

	if (o == NULL || n == NULL || (io == NULL && in == NULL) ||
	    (io != NULL && in != NULL && strcmp(io, in) == 0))
		return;
	*c = xreallocarray(*c, *nc + 1, sizeof(**c));
	memmove(*c + 1, *c, *nc * sizeof(**c));
	(*nc)++;
	x = &(*c)[0];
	memset(x, 0, sizeof(*x));
	x->op = DIFF_CHANGED;
	x->path = "translation";
	x->old_val = node_new_string(a, io ? io : "accepted");
	x->new_val = node_new_string(a, in ? in : "accepted");
	x->impact = in != NULL ? "Envoy Gateway now answers every request on this "
	    "route with 500 (the winning policy cannot be translated)" :
	    "the route is served again (its policy translates now)";
}

static void
compare_route(struct diff_routes *d, size_t *cap, const struct eff_route *o,
    const struct eff_route *n, const struct diff_opts *opts)
{
	struct diff_change *c = NULL;
	struct diff_route *dr;
	const struct node *os = o ? o->spec : &no_spec, *ns = n ? n->spec : &no_spec;
	size_t nc = 0, i;

	diff_values(d->arena, "spec", "spec", os, ns, opts, &c, &nc);
	invalid_change(d->arena, o, n, &c, &nc);
	if (nc == 0) {
		free(c);
		if (o != NULL && n != NULL)
			d->unchanged++;
		return;
	}
	diff_impacts(d->arena, os, ns, c, nc);
	for (i = 0; i < nc; i++) {
		c[i].old_from = c[i].old_val ? provenance(d->arena, o, c[i].path) : NULL;
		c[i].new_from = c[i].new_val ? provenance(d->arena, n, c[i].path) : NULL;
	}
	if (d->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		d->v = xreallocarray(d->v, *cap, sizeof(*d->v));
	}
	dr = &d->v[d->n++];
	dr->status = o == NULL ? DIFF_ADDED : n == NULL ? DIFF_REMOVED : DIFF_CHANGED;
	dr->old_route = o;
	dr->new_route = n;
	dr->changes = arena_alloc(d->arena, nc * sizeof(*c));
	memcpy(dr->changes, c, nc * sizeof(*c));
	dr->nchanges = nc;
	free(c);
}

void
diff_effective(const struct objset *oset, const struct objset *nset,
    const struct diff_opts *opts, struct diff_routes *d)
{
	struct eff_opts eo;
	struct keyed *ko, *hit;
	bool *matched;
	size_t i, cap = 0;

	memset(d, 0, sizeof(*d));
	d->arena = arena_new();
	d->old_eff = xcalloc(1, sizeof(*d->old_eff));
	d->new_eff = xcalloc(1, sizeof(*d->new_eff));
	eff_opts_init(&eo);
	effective_compute(d->old_eff, oset, &eo);
	effective_compute(d->new_eff, nset, &eo);
	ko = keyed_routes(d->old_eff);
	matched = xcalloc(d->old_eff->nroutes + 1, sizeof(*matched));
	/* in the new side's order: by gateway, listener, route, rule */
	for (i = 0; i < d->new_eff->nroutes; i++) {
		struct keyed want;

		want.key = eff_route_key(d->new_eff, &d->new_eff->routes[i]);
		hit = d->old_eff->nroutes == 0 ? NULL : bsearch(&want, ko,
		    d->old_eff->nroutes, sizeof(*ko), keyed_cmp);
		if (hit != NULL)
			matched[hit - ko] = true;
		compare_route(d, &cap, hit ? hit->r : NULL, &d->new_eff->routes[i], opts);
	}
	for (i = 0; i < d->old_eff->nroutes; i++)
		if (!matched[i])
			compare_route(d, &cap, ko[i].r, NULL, opts);
	free(matched);
	free(ko);
}

void
diff_routes_release(struct diff_routes *d)
{
	if (d->old_eff != NULL)
		effective_release(d->old_eff);
	if (d->new_eff != NULL)
		effective_release(d->new_eff);
	free(d->old_eff);
	free(d->new_eff);
	free(d->v);
	arena_free(d->arena);
	memset(d, 0, sizeof(*d));
}
