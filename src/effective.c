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
#include "seed.h"
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

/* Remove key from map (a private copy). */
static struct node *
map_take(struct node *map, const char *key)
{
	struct node *v;
	size_t i;

	for (i = 0; map != NULL && map->kind == NODE_MAP && i < map->n; i++) {
		if (strcmp(map->pairs[i].key->str, key) != 0)
			continue;
		v = map->pairs[i].val;
		memmove(&map->pairs[i], &map->pairs[i + 1],
		    (map->n - i - 1) * sizeof(map->pairs[0]));
		map->n--;
		return v;
	}
	return NULL;
}

/* Put v at the dotted path under spec unless something is there. */
static void
put_path(struct arena *a, struct node *spec, const char *path, struct node *v)
{
	struct node *cur = spec, *next;
	const char *p = path, *dot;
	char *key;

	while ((dot = strchr(p, '.')) != NULL) {
		key = arena_strndup(a, p, (size_t)(dot - p));
		next = node_get(cur, key);
		if (next == NULL) {
			next = node_new(a, NODE_MAP);
			node_map_set(a, cur, key, next);
		} else if (next->kind != NODE_MAP)
			return;
		cur = next;
		p = dot + 1;
	}
	if (node_get(cur, p) == NULL)
		node_map_set(a, cur, p, v);
}

struct seed_move {
	const char	*from, *to;	/* API paths */
	struct node	*parent;	/* map holding from's key, in the copy */
	const char	*key;
	const struct node *at;
};

static void
seed_fact(struct engine *g, struct eff_policy *p, const struct node *at,
    const char *path, const char *msg)
{
	struct eff_fact *f = eng_fact(g, EFF_FACT_SEED_SPELLING, p, at);

	f->path = path;
	f->message = msg;
}

/*
 * Value spellings ("loadBalancer.type: Maglev") are replaced in place;
 * fields the description leaves out (healthCheck.active.type) are added
 * when the content tells their value.  Both on the private copy.  With
 * dry, nothing changes: the answer is whether anything would.
 */
/*
 * The path of a member of the map at path into buf, when it could be a
 * seed-table path or lead to one; NULL otherwise (nothing below it is in
 * the table, so nothing there needs looking at).
 */
static const char *
seed_sub(char *buf, size_t len, const char *path, const char *key)
{
	size_t np = strlen(path), nk = strlen(key);

	if (np + 1 + nk >= len)
		return NULL;
	memcpy(buf, path, np);
	buf[np] = '.';
	memcpy(buf + np + 1, key, nk + 1);
	return seed_prefix(buf) ? buf : NULL;
}

static bool
fix_values(struct engine *g, struct eff_policy *p, struct node *n,
    const char *path, bool dry)
{
	const struct seed_fix *f;
	struct node *v, *nv;
	const char *sub, *mv;
	char buf[256];
	size_t i;
	bool any = false;

	if (n == NULL || n->kind != NODE_MAP)
		return false;
	for (i = 0; i < n->n; i++) {
		v = n->pairs[i].val;
		if ((sub = seed_sub(buf, sizeof(buf), path, n->pairs[i].key->str)) == NULL)
			continue;
		if (v->kind == NODE_STRING && (f = seed_lookup(sub, v->str)) != NULL &&
		    f->upstream_value != NULL) {
			if (dry)
				return true;
			nv = node_new_string(g->a, f->upstream_value);
			nv->loc = v->loc;
			n->pairs[i].val = nv;
			seed_fact(g, p, v, arena_strdup(g->a, sub), arena_printf(g->a,
			    "read %s: %s as %s: %s (the API server rejects the seed "
			    "description's value)", sub, v->str, f->upstream,
			    f->upstream_value));
			any = true;
		}
		if (fix_values(g, p, v, sub, dry)) {
			if (dry)
				return true;
			any = true;
		}
	}
	for (f = seed_table(); f->path != NULL; f++) {
		const char *leaf = strrchr(f->path, '.');

		if (f->value == NULL || f->value[0] != '\0' || leaf == NULL ||
		    strlen(path) != (size_t)(leaf - f->path) ||
		    strncmp(f->path, path, strlen(path)) != 0 ||
		    node_get(n, leaf + 1) != NULL ||
		    (mv = seed_missing_value(f, n)) == NULL)
			continue;
		if (dry)
			return true;
		nv = node_new_string(g->a, mv);
		nv->loc = n->loc;
		node_map_set(g->a, n, leaf + 1, nv);
		seed_fact(g, p, n, f->path, arena_printf(g->a, "read the missing %s as "
		    "%s (the API server requires it)", f->path, mv));
		any = true;
	}
	return any;
}

static void
find_seed(struct engine *g, struct node *n, const char *path, struct pvec *moves)
{
	const struct seed_fix *f;
	struct seed_move *m;
	const char *sub;
	char buf[256];
	size_t i;

	if (n == NULL || n->kind != NODE_MAP)
		return;
	for (i = 0; i < n->n; i++) {
		if ((sub = seed_sub(buf, sizeof(buf), path, n->pairs[i].key->str)) == NULL)
			continue;
		f = seed_lookup(sub, NULL);
		if (f != NULL && f->upstream != NULL && str_has_prefix(f->upstream,
		    "spec.")) {
			m = arena_alloc(g->a, sizeof(*m));
			m->from = arena_strdup(g->a, sub);
			m->to = f->upstream;
			m->parent = n;
			m->key = n->pairs[i].key->str;
			m->at = n->pairs[i].key;
			pvec_push(moves, m);
			continue;	/* moved whole */
		}
		find_seed(g, n->pairs[i].val, sub, moves);
	}
}

/*
 * The spec as effective reads it: fields spelled as the seed description
 * spells them are moved to upstream's fields (on a copy), each recorded
 * as a fact.  Unchanged specs are returned as they are.
 */
static const struct node *
read_spec(struct engine *g, struct eff_policy *p)
{
	struct pvec moves = { 0 };
	struct node *copy;
	struct seed_move *m;
	size_t i;

	if (p->obj->spec == NULL || p->obj->spec->kind != NODE_MAP)
		return p->obj->spec;
	/* most specs have no seed spelling: look before copying */
	find_seed(g, p->obj->spec, "spec", &moves);
	if (moves.n == 0 && !fix_values(g, p, p->obj->spec, "spec", true)) {
		pvec_free(&moves);
		return p->obj->spec;
	}
	moves.n = 0;
	copy = node_clone(g->a, p->obj->spec);
	find_seed(g, copy, "spec", &moves);
	fix_values(g, p, copy, "spec", false);
	for (i = 0; i < moves.n; i++) {
		m = moves.v[i];
		put_path(g->a, copy, m->to + strlen("spec."), map_take(m->parent, m->key));
		seed_fact(g, p, m->at, m->from, arena_printf(g->a, "read %s as %s "
		    "(the API server rejects the seed description's spelling)", m->from,
		    m->to));
	}
	pvec_free(&moves);
	return copy;
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
	e->arena = arena_new_large();
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
		/* seed spellings never change a top-level field: facts need none */
		p->spec = o->facts_only ? p->obj->spec : read_spec(&g, p);
		p->by_input_order = !any_ts;
		p->merge = merge_kind(p->spec);
		p->invalid = o->facts_only ? NULL : eff_translate_errors(g.a, p->spec,
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

const char *
eff_route_key(const struct effective *e, const struct eff_route *r)
{
	const char *ls = "", *rule;

	if (r->listenerset != NULL)
		ls = arena_printf(e->arena, " ListenerSet %s/%s",
		    object_ns(r->listenerset), r->listenerset->name);
	rule = r->rule_name != NULL ? arena_printf(e->arena, " rule %s", r->rule_name) :
	    r->rule_index >= 0 ? arena_printf(e->arena, " rule %d", r->rule_index) : "";
	return arena_printf(e->arena, "Gateway %s/%s%s listener %s %s %s/%s%s",
	    object_ns(r->gateway), r->gateway->name, ls, r->listener,
	    obj_type_kind(r->route->type), object_ns(r->route), r->route->name, rule);
}
