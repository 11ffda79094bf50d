/*
 * effective_rows.c: for every gateway listener x route x rule, the
 * policies that apply (docs/upstream-api.md c3, c4), the effective spec
 * they add up to, and where each field of it came from.  Also records the
 * facts lint reports about layering: route policies hiding gateway-level
 * fields, and HTTP-only fields on TCP/TLS/UDP routes.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "effective_int.h"
#include "merge.h"
#include "util.h"

/* Fields a TCP/TLS route takes, per field, from the most specific policy. */
static const char *const tcp_fields[] = {
	"loadBalancer", "proxyProtocol", "healthCheck", "circuitBreaker",
	"tcpKeepalive", "timeout", "dns", "connection", NULL,
};
static const char *const udp_fields[] = { "loadBalancer", "dns", NULL };
/* Spec members that say where a policy attaches, not what it does. */
static const char *const meta_fields[] = {
	"targetRef", "targetRefs", "targetSelectors", "mergeType", NULL,
};

/* The policy claiming a scope, or NULL. */
static const struct eff_policy *
holder(struct engine *g, const char *key)
{
	return emap_get(&g->claims, key);
}

/* A copy of spec without the attachment fields. */
static struct node *
traffic_only(struct arena *a, const struct node *spec)
{
	struct node *n = node_new(a, NODE_MAP);
	size_t i;

	if (spec == NULL || spec->kind != NODE_MAP)
		return n;
	n->loc = spec->loc;
	for (i = 0; i < spec->n; i++)
		if (!str_in_list(spec->pairs[i].key->str, meta_fields))
			node_map_set(a, n, spec->pairs[i].key->str, spec->pairs[i].val);
	return n;
}

/* Does node n lie inside object o's text? */
static bool
within(const struct node *n, const struct object *o)
{
	const struct loc *r = &o->root->loc;

	return n->loc.src != NULL && n->loc.src == r->src &&
	    n->loc.start >= r->start && n->loc.start < r->end;
}

struct srcs {
	struct engine	*g;
	struct eff_route *row;
	struct pvec	 v;		/* struct eff_source * */
};

static void
add_source(struct srcs *s, const char *path, const struct node *n)
{
	struct eff_source *src = arena_alloc(s->g->a, sizeof(*src));
	size_t i;

	src->path = path;
	src->node = n->loc.src != NULL ? n : NULL;
	for (i = 0; i < s->row->npolicies && n->loc.src != NULL; i++)
		if (within(n, s->row->policies[i]->obj)) {
			src->policy = s->row->policies[i];
			break;
		}
	if (src->policy == NULL && n->loc.src != NULL && within(n, s->row->route))
		src->object = s->row->route;
	pvec_push(&s->v, src);
}

static void
walk_sources(struct srcs *s, const char *path, const struct node *n)
{
	size_t i;

	if (n->kind == NODE_MAP && n->n > 0) {
		for (i = 0; i < n->n; i++)
			walk_sources(s, *path ? arena_printf(s->g->a, "%s.%s", path,
			    n->pairs[i].key->str) : n->pairs[i].key->str,
			    n->pairs[i].val);
		return;
	}
	if (n->kind == NODE_SEQ && n->n > 0) {
		for (i = 0; i < n->n; i++)
			walk_sources(s, arena_printf(s->g->a, "%s[%zu]", path, i),
			    n->items[i]);
		return;
	}
	if (*path != '\0')
		add_source(s, path, n);
}

static struct node *
map_member_set(struct arena *a, struct node *map, const char *key, struct node *v)
{
	size_t i;

	for (i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key->str, key) == 0) {
			map->pairs[i].val = v;
			return v;
		}
	node_map_set(a, map, key, v);
	return v;
}

/* A map member, made a fresh (unshared) map when missing or shared. */
static struct node *
own_map(struct arena *a, struct node *map, const char *key)
{
	struct node *cur = node_get(map, key), *n;
	size_t i;

	n = node_new(a, NODE_MAP);
	if (cur != NULL && cur->kind == NODE_MAP) {
		n->loc = cur->loc;
		for (i = 0; i < cur->n; i++)
			node_map_set(a, n, cur->pairs[i].key->str, cur->pairs[i].val);
	}
	return map_member_set(a, map, key, n);
}

/* HTTPRoute's own rules[].timeouts.request and rules[].retry win. */
static void
route_overrides(struct engine *g, struct eff_route *row, const struct node *rule)
{
	const struct node *req = node_path(rule, "timeouts.request");
	const struct node *rr = node_get(rule, "retry");
	struct node *http, *retry, *v;
	const struct node *x;

	if (row->route->type != OBJ_HTTPROUTE)
		return;
	if (req != NULL && node_is_scalar(req) && req->kind != NODE_NULL) {
		http = own_map(g->a, own_map(g->a, row->spec, "timeout"), "http");
		map_member_set(g->a, http, "requestTimeout", (struct node *)(uintptr_t)req);
	}
	if (rr != NULL && rr->kind == NODE_MAP) {
		retry = node_new(g->a, NODE_MAP);
		retry->loc = rr->loc;
		if ((x = node_get(rr, "attempts")) != NULL)
			node_map_set(g->a, retry, "numRetries", (struct node *)(uintptr_t)x);
		if ((x = node_get(rr, "codes")) != NULL) {
			v = node_new(g->a, NODE_MAP);
			v->loc = x->loc;
			node_map_set(g->a, v, "httpStatusCodes", (struct node *)(uintptr_t)x);
			node_map_set(g->a, retry, "retryOn", v);
		}
		if ((x = node_get(rr, "backoff")) != NULL) {
			v = node_new(g->a, NODE_MAP);
			v->loc = x->loc;
			node_map_set(g->a, v, "baseInterval", (struct node *)(uintptr_t)x);
			node_map_set(g->a, retry, "perRetry", node_new(g->a, NODE_MAP));
			node_map_set(g->a, node_get(retry, "perRetry"), "backOff", v);
		}
		map_member_set(g->a, row->spec, "retry", retry);
	}
}

static void
fact_once(struct engine *g, enum eff_fact_kind k, const struct eff_policy *p,
    const struct eff_policy *other, const char *field, const struct node *at,
    const char *msg)
{
	const char *key = arena_printf(g->a, "%d\x1f%zu\x1f%zu\x1f%s", (int)k,
	    p->rank, other ? other->rank : (size_t)-1, field);
	struct eff_fact *f;

	if (emap_get(&g->factseen, key) != NULL)
		return;
	emap_put(&g->factseen, key, (void *)1);
	f = eng_fact(g, k, p, at);
	f->other = other;
	f->path = arena_printf(g->a, "spec.%s", field);
	f->message = msg;
}

/* The candidates for a row, most specific first (NULL where none). */
struct chain {
	const struct eff_policy	*p[5];
	bool			 route_level[5];
	size_t			 n;
};

static void
build_chain(struct engine *g, const struct route_ctx *rc, const char *rule,
    const struct listener *l, struct chain *c)
{
	const struct object *gw = l->gw->obj;
	const struct eff_policy *p;

	memset(c, 0, sizeof(*c));
	if (rule != NULL && (p = holder(g, rule_key(g, rc, rule))) != NULL) {
		c->route_level[c->n] = true;
		c->p[c->n++] = p;
	}
	if ((p = holder(g, route_key(g, rc))) != NULL) {
		c->route_level[c->n] = true;
		c->p[c->n++] = p;
	}
	if (l->ls != NULL) {
		if ((p = holder(g, scope_key(g, EFF_SCOPE_LS_LISTENER,
		    object_ns(l->ls->obj), l->ls->obj->name, l->name))) != NULL)
			c->p[c->n++] = p;
		if ((p = holder(g, scope_key(g, EFF_SCOPE_LISTENERSET,
		    object_ns(l->ls->obj), l->ls->obj->name, NULL))) != NULL)
			c->p[c->n++] = p;
	} else if ((p = holder(g, scope_key(g, EFF_SCOPE_GW_LISTENER, object_ns(gw),
	    gw->name, l->name))) != NULL)
		c->p[c->n++] = p;
	if ((p = holder(g, scope_key(g, EFF_SCOPE_GATEWAY, object_ns(gw), gw->name,
	    NULL))) != NULL)
		c->p[c->n++] = p;
}

/* The first non-route-level policy of the chain: the merge parent. */
static const struct eff_policy *
chain_parent(const struct chain *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->route_level[i])
			return c->p[i];
	return NULL;
}

/* The spec a route-level policy contributes (merged when mergeType). */
static struct node *
route_policy_spec(struct engine *g, const struct chain *c, size_t i,
    const struct eff_policy **parent)
{
	struct merge_result mr;

	*parent = NULL;
	if (!c->route_level[i] || c->p[i]->merge == EFF_MERGE_NONE ||
	    c->p[i]->merge == EFF_MERGE_INVALID || (*parent = chain_parent(c)) == NULL)
		return traffic_only(g->a, c->p[i]->spec);
	merge_policies(g->a, (*parent)->spec, c->p[i]->spec,
	    c->p[i]->merge == EFF_MERGE_JSON, &mr);
	return traffic_only(g->a, mr.spec);
}

static void
push_policy(struct engine *g, struct eff_route *row, const struct eff_policy *p)
{
	const struct eff_policy **v;
	size_t i;

	for (i = 0; i < row->npolicies; i++)
		if (row->policies[i] == p)
			return;
	v = arena_alloc(g->a, (row->npolicies + 1) * sizeof(*v));
	if (row->npolicies)
		memcpy(v, row->policies, row->npolicies * sizeof(*v));
	v[row->npolicies++] = p;
	row->policies = v;
}

/* A route policy without mergeType hides every less specific field. */
static void
hidden_facts(struct engine *g, struct eff_route *row, const struct chain *c)
{
	const struct eff_policy *w, *d;
	size_t i, j;
	const char *f;

	if (c->n == 0)
		return;
	w = c->p[0];
	if (!c->route_level[0] || w->merge != EFF_MERGE_NONE)
		return;
	for (i = 1; i < c->n; i++) {
		d = c->p[i];
		if (c->route_level[i] || d->spec == NULL ||
		    d->spec->kind != NODE_MAP)
			continue;
		row->hidden = d;
		for (j = 0; j < d->spec->n; j++) {
			f = d->spec->pairs[j].key->str;
			if (str_in_list(f, meta_fields) || node_get(w->spec, f) != NULL)
				continue;
			fact_once(g, EFF_FACT_HIDDEN_FIELDS, w, d, f,
			    d->spec->pairs[j].key, arena_printf(g->a,
			    "%s/%s replaces %s/%s as a whole on %s %s/%s, so its "
			    "spec.%s does not apply there; set mergeType to layer the "
			    "policies", object_ns(w->obj), w->obj->name,
			    object_ns(d->obj), d->obj->name, obj_type_kind(row->route->type),
			    object_ns(row->route), row->route->name, f));
		}
		break;
	}
}

static void
http_row(struct engine *g, struct eff_route *row, const struct chain *c)
{
	const struct eff_policy *w, *parent;
	struct node *spec;

	if (c->n == 0)
		return;
	w = c->p[0];
	spec = route_policy_spec(g, c, 0, &parent);
	push_policy(g, row, w);
	if (parent != NULL)
		push_policy(g, row, parent);
	row->spec = spec;
	if (parent != NULL)
		row->invalid = eff_translate_errors(g->a, spec, override_ns(w, parent),
		    g->opts);
	else
		row->invalid = w->invalid;
	hidden_facts(g, row, c);
}

static void
l4_row(struct engine *g, struct eff_route *row, const struct chain *c, bool udp)
{
	const char *const *fields = udp ? udp_fields : tcp_fields;
	struct node *specs[5];
	bool used[5] = { false };
	const struct eff_policy *parent;
	const struct node *v;
	size_t i, k;

	row->spec = node_new(g->a, NODE_MAP);
	for (i = 0; i < c->n; i++)
		specs[i] = route_policy_spec(g, c, i, &parent);
	for (k = 0; fields[k] != NULL; k++) {
		for (i = 0; i < c->n; i++) {
			if (strcmp(fields[k], "connection") == 0 && !c->route_level[i])
				continue;
			if ((v = node_get(specs[i], fields[k])) != NULL) {
				node_map_set(g->a, row->spec, fields[k], (struct node *)(uintptr_t)v);
				used[i] = true;
				break;
			}
		}
	}
	for (i = 0; i < c->n; i++)
		if (used[i])
			push_policy(g, row, c->p[i]);
}

static void
finish_row(struct engine *g, struct eff_route *row, const struct node *rule)
{
	struct srcs s;
	size_t i;

	if (row->spec == NULL)
		row->spec = node_new(g->a, NODE_MAP);
	if (rule != NULL)
		route_overrides(g, row, rule);
	if (g->opts->defaults)
		eff_fill_defaults(g->a, row->spec, row->route->type == OBJ_HTTPROUTE ||
		    row->route->type == OBJ_GRPCROUTE, row->route->type == OBJ_UDPROUTE);
	memset(&s, 0, sizeof(s));
	s.g = g;
	s.row = row;
	walk_sources(&s, "", row->spec);
	row->nsources = s.v.n;
	row->sources = arena_alloc(g->a, (s.v.n + 1) * sizeof(*row->sources));
	for (i = 0; i < s.v.n; i++)
		row->sources[i] = *(struct eff_source *)s.v.v[i];
	pvec_free(&s.v);
}

struct rowkey {
	size_t	 gw, ls, listener, route;
	int	 rule;
};

struct sortrow {
	struct rowkey	 k;
	struct eff_route *r;
};

static int
cmp_rows(const void *x, const void *y)
{
	const struct rowkey *a = &((const struct sortrow *)x)->k;
	const struct rowkey *b = &((const struct sortrow *)y)->k;

	if (a->gw != b->gw)
		return a->gw < b->gw ? -1 : 1;
	if (a->ls != b->ls)
		return a->ls < b->ls ? -1 : 1;
	if (a->listener != b->listener)
		return a->listener < b->listener ? -1 : 1;
	if (a->route != b->route)
		return a->route < b->route ? -1 : 1;
	return a->rule - b->rule;
}

/*
 * Fields of policies targeting TCP/TLS/UDP routes that such routes
 * ignore, whether or not the route is attached anywhere.
 */
static void
l4_facts(struct engine *g)
{
	const struct eff_policy *p;
	const struct eff_target *t;
	const char *const *fields, *f;
	const char *kind;
	size_t i, j, k;
	bool udp;

	for (i = 0; i < g->e->npolicies; i++) {
		p = &g->e->policies[i];
		if (p->spec == NULL || p->spec->kind != NODE_MAP)
			continue;
		for (j = 0; j < p->ntargets; j++) {
			t = &p->targets[j];
			if (t->obj->type != OBJ_TCPROUTE && t->obj->type != OBJ_TLSROUTE &&
			    t->obj->type != OBJ_UDPROUTE)
				continue;
			udp = t->obj->type == OBJ_UDPROUTE;
			fields = udp ? udp_fields : tcp_fields;
			kind = obj_type_kind(t->obj->type);
			for (k = 0; k < p->spec->n; k++) {
				f = p->spec->pairs[k].key->str;
				if (str_in_list(f, fields) || str_in_list(f, meta_fields))
					continue;
				fact_once(g, EFF_FACT_HTTP_ONLY_ON_L4, p, NULL, f,
				    p->spec->pairs[k].key, arena_printf(g->a, "spec.%s has "
				    "no effect on %s %s/%s: %s routes take only %s", f, kind,
				    object_ns(t->obj), t->obj->name, kind, udp ?
				    "loadBalancer and dns" : "loadBalancer, proxyProtocol, "
				    "healthCheck, circuitBreaker, tcpKeepalive, timeout, dns "
				    "and connection"));
			}
		}
	}
}

/*
 * Per object index: does some policy without mergeType target the route
 * or one of its rules?  Only their rows can have hidden-fields facts
 * (hidden_facts): facts-only runs skip the others.
 */
static bool *
hiding_routes(struct engine *g)
{
	bool *v = xcalloc(g->os->n + 1, sizeof(*v));
	const struct eff_policy *p;
	size_t i, j;

	for (i = 0; i < g->e->npolicies; i++) {
		p = &g->e->policies[i];
		if (p->merge != EFF_MERGE_NONE)
			continue;
		for (j = 0; j < p->ntargets; j++)
			if (p->targets[j].scope <= EFF_SCOPE_ROUTE)
				v[p->targets[j].obj - g->os->v] = true;
	}
	return v;
}

void
eng_rows(struct engine *g)
{
	struct route_ctx *rc;
	struct attach *at;
	struct listener *l;
	struct eff_route *row;
	struct chain c;
	struct pvec keys = { 0 };
	struct sortrow *sr;
	struct emap seen;
	const struct node *rule;
	const char *rname;
	size_t i, j, k, n;
	int r, nrules;
	bool *hiding;

	emap_init(&seen, g->a);
	l4_facts(g);
	hiding = g->opts->facts_only ? hiding_routes(g) : NULL;
	for (i = 0; i < g->routev.n; i++) {
		rc = g->routev.v[i];
		if (hiding != NULL && !hiding[rc->obj - g->os->v])
			continue;	/* no row of it can have a hidden-fields fact */
		nrules = rc->rules ? (int)rc->rules->n : 0;
		for (j = 0; j < rc->nattach; j++) {
			at = &rc->attach[j];
			for (k = 0; k < at->nlisteners; k++) {
				l = at->listeners[k];
				if (emap_put(&seen, arena_printf(g->a, "%p\x1f%zu", (void *)l,
				    i), (void *)1) != NULL)
					continue;
				for (r = nrules ? 0 : -1; r < nrules; r++) {
					rule = r >= 0 ? rc->rules->items[r] : NULL;
					rname = node_get_str(rule, "name");
					row = arena_alloc(g->a, sizeof(*row));
					row->gateway = l->gw->obj;
					row->listenerset = l->ls ? l->ls->obj : NULL;
					row->listener = l->name;
					row->route = rc->obj;
					row->rule_name = rname;
					row->rule_index = r;
					build_chain(g, rc, rname, l, &c);
					if (g->opts->facts_only) {
						if (route_is_http(rc))
							hidden_facts(g, row, &c);
						continue;
					}
					if (route_is_http(rc))
						http_row(g, row, &c);
					else
						l4_row(g, row, &c, rc->obj->type == OBJ_UDPROUTE);
					finish_row(g, row, rule);
					sr = xmalloc(sizeof(*sr));
					sr->k.gw = l->gw->obj->order;
					sr->k.ls = l->ls ? l->ls->obj->order + 1 : 0;
					sr->k.listener = (size_t)(l - (l->ls ? l->ls->listeners :
					    l->gw->listeners));
					sr->k.route = rc->obj->order;
					sr->k.rule = r;
					sr->r = row;
					pvec_push(&keys, sr);
				}
			}
		}
	}
	n = keys.n;
	{
		struct sortrow *arr = xcalloc(n + 1, sizeof(*arr));

		for (i = 0; i < n; i++) {
			arr[i] = *(struct sortrow *)keys.v[i];
			free(keys.v[i]);
		}
		qsort(arr, n, sizeof(*arr), cmp_rows);
		for (i = 0; i < n; i++)
			pvec_push(&g->rows, arr[i].r);
		free(arr);
	}
	pvec_free(&keys);
	free(hiding);
}
