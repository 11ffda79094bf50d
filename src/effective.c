/*
 * effective.c: the entry points of the effective-policy engine (see
 * effective.h): ordering the policies, running target resolution and the
 * passes (precedence.c), then computing every route's effective spec with
 * provenance (effective_rows.c).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "effective_int.h"
#include "util.h"

void
eff_opts_init(struct eff_opts *o)
{
	memset(o, 0, sizeof(*o));
}

const char *
eff_scope_name(enum eff_scope s)
{
	static const char *const names[EFF_SCOPE_COUNT] = {
		"route rule", "route", "listenerset listener", "listenerset",
		"gateway listener", "gateway",
	};

	return (unsigned)s < EFF_SCOPE_COUNT ? names[s] : "?";
}

/* creationTimestamp, then namespace, then name; input order last. */
static int
cmp_policy(const void *x, const void *y)
{
	const struct object *a = *(const struct object *const *)x;
	const struct object *b = *(const struct object *const *)y;
	const char *ta = object_timestamp(a), *tb = object_timestamp(b);
	int c;

	if ((c = strcmp(ta ? ta : "", tb ? tb : "")) != 0)
		return c;
	if ((c = strcmp(object_ns(a), object_ns(b))) != 0)
		return c;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

static enum eff_merge
merge_kind(const struct node *spec)
{
	const struct node *m = node_get(spec, "mergeType");

	if (m == NULL || m->kind == NODE_NULL)
		return EFF_MERGE_NONE;
	if (m->str != NULL && strcmp(m->str, "StrategicMerge") == 0)
		return EFF_MERGE_STRATEGIC;
	if (m->str != NULL && strcmp(m->str, "JSONMerge") == 0)
		return EFF_MERGE_JSON;
	return EFF_MERGE_INVALID;
}

int
effective_compute(struct effective *e, const struct objset *os,
    const struct eff_opts *o)
{
	struct engine g;
	struct pvec pol = { 0 };
	struct eff_opts dflt;
	size_t i;
	bool any_ts = false;

	memset(e, 0, sizeof(*e));
	e->arena = arena_new();
	if (o == NULL) {
		eff_opts_init(&dflt);
		o = &dflt;
	}
	memset(&g, 0, sizeof(g));
	g.e = e;
	g.a = e->arena;
	g.os = os;
	g.opts = o;
	emap_init(&g.gws, g.a);
	emap_init(&g.lss, g.a);
	emap_init(&g.routes, g.a);
	emap_init(&g.nss, g.a);
	emap_init(&g.claims, g.a);
	emap_init(&g.parent_policy, g.a);
	emap_init(&g.factseen, g.a);

	for (i = 0; i < os->n; i++) {
		if (os->v[i].type != OBJ_BTP)
			continue;
		pvec_push(&pol, &os->v[i]);
		if (object_timestamp(&os->v[i]) != NULL)
			any_ts = true;
	}
	e->no_timestamps = !any_ts && pol.n > 1;
	if (any_ts && pol.n > 1)
		qsort(pol.v, pol.n, sizeof(*pol.v), cmp_policy);
	e->npolicies = pol.n;
	e->policies = arena_alloc(g.a, (pol.n + 1) * sizeof(*e->policies));
	g.pstate = arena_alloc(g.a, (pol.n + 1) * sizeof(*g.pstate));
	for (i = 0; i < pol.n; i++) {
		struct eff_policy *p = &e->policies[i];

		p->obj = pol.v[i];
		p->rank = i;
		p->by_input_order = !any_ts;
		p->merge = merge_kind(p->obj->spec);
		p->invalid = eff_translate_errors(g.a, p->obj->spec,
		    object_ns(p->obj), o);
		g.pstate[i] = arena_alloc(g.a, sizeof(*g.pstate[i]));
		g.pstate[i]->p = p;
	}
	pvec_free(&pol);

	eng_load(&g);
	eng_resolve(&g);
	eng_passes(&g);
	eng_rows(&g);

	e->nfacts = g.facts.n;
	e->facts = arena_alloc(g.a, (g.facts.n + 1) * sizeof(*e->facts));
	for (i = 0; i < g.facts.n; i++)
		e->facts[i] = *(struct eff_fact *)g.facts.v[i];
	e->nroutes = g.rows.n;
	e->routes = arena_alloc(g.a, (g.rows.n + 1) * sizeof(*e->routes));
	for (i = 0; i < g.rows.n; i++)
		e->routes[i] = *(struct eff_route *)g.rows.v[i];

	pvec_free(&g.facts);
	pvec_free(&g.rows);
	pvec_free(&g.gwv);
	pvec_free(&g.lsv);
	pvec_free(&g.routev);
	pvec_free(&g.grants);
	pvec_free(&g.nsv);
	return 0;
}

void
effective_release(struct effective *e)
{
	arena_free(e->arena);
	memset(e, 0, sizeof(*e));
}

const struct eff_policy *
effective_policy(const struct effective *e, const struct object *o)
{
	size_t i;

	for (i = 0; i < e->npolicies; i++)
		if (e->policies[i].obj == o)
			return &e->policies[i];
	return NULL;
}
