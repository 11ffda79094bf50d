/*
 * precedence.c: the object graph (Gateways, listeners, ListenerSets,
 * routes and where they attach), policy target resolution, and the
 * translator's six passes that decide which policy holds which scope and
 * write each policy's status.ancestors (docs/upstream-api.md c1-c5).
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "effective_int.h"
#include "merge.h"
#include "util.h"

#define GW_GROUP	"gateway.networking.k8s.io"
#define EG_GROUP	"gateway.envoyproxy.io"

/* ---- scope graph (which narrower scopes shadow which policy) ---- */

struct scope_node {
	enum eff_scope	 scope;
	const char	*ns, *name, *section;
	struct pvec	 kids;		/* override edges and containment */
	struct pvec	 merged;	/* routes merged into this scope's policy */
	struct scope_node *up;		/* listeners: their Gateway/ListenerSet */
	bool		 is_child;	/* added as a child by some policy */
	bool		 excl;		/* format_scopes: leave out */
	unsigned	 mark;
};

struct graph {
	struct emap	 nodes;
	struct pvec	 all;
	unsigned	 gen;
};

static struct scope_node *graph_node(struct engine *, struct graph *,
		    enum eff_scope, const char *ns, const char *name,
		    const char *section);

const char *
scope_key(struct engine *g, enum eff_scope s, const char *ns, const char *name,
    const char *section)
{
	char k[2] = { (char)('0' + (int)s), '\0' };

	return ekey(g->a, k, ns, name, section);
}

const char *
route_key(struct engine *g, const struct route_ctx *rc)
{
	return scope_key(g, EFF_SCOPE_ROUTE, rc->kind, object_ns(rc->obj),
	    rc->obj->name);
}

const char *
rule_key(struct engine *g, const struct route_ctx *rc, const char *rule)
{
	return scope_key(g, EFF_SCOPE_RULE, rc->kind, object_ns(rc->obj),
	    arena_printf(g->a, "%s/%s", rc->obj->name, rule));
}

/* The Gateway a ListenerSet hangs under, as "ns\x1fname" parts. */
static struct ls_ctx *
find_ls(struct engine *g, const char *ns, const char *name)
{
	return emap_get(&g->lss, ekey(g->a, ns, name, NULL, NULL));
}

static struct scope_node *
graph_node(struct engine *g, struct graph *gr, enum eff_scope s, const char *ns,
    const char *name, const char *section)
{
	const char *key = scope_key(g, s, ns, name, section);
	struct scope_node *n = emap_get(&gr->nodes, key), *up = NULL;
	struct ls_ctx *ls;

	if (n != NULL)
		return n;
	n = arena_alloc(g->a, sizeof(*n));
	n->scope = s;
	n->ns = ns;
	n->name = name;
	n->section = section;
	emap_put(&gr->nodes, key, n);
	pvec_push(&gr->all, n);
	/* Containment: listener under its Gateway/ListenerSet, ListenerSet under its Gateway. */
	if (s == EFF_SCOPE_GW_LISTENER)
		up = graph_node(g, gr, EFF_SCOPE_GATEWAY, ns, name, NULL);
	else if (s == EFF_SCOPE_LS_LISTENER)
		up = graph_node(g, gr, EFF_SCOPE_LISTENERSET, ns, name, NULL);
	else if (s == EFF_SCOPE_LISTENERSET && (ls = find_ls(g, ns, name)) != NULL &&
	    ls->gw != NULL)
		up = graph_node(g, gr, EFF_SCOPE_GATEWAY, object_ns(ls->gw->obj),
		    ls->gw->obj->name, NULL);
	if (up != NULL)
		pvec_push(&up->kids, n);	/* n is new: never there yet */
	if (s == EFF_SCOPE_GW_LISTENER || s == EFF_SCOPE_LS_LISTENER)
		n->up = up;
	return n;
}

/* Duplicate edges are harmless: collect() visits each node once. */
static void
graph_add(struct scope_node *parent, struct scope_node *child)
{
	child->is_child = true;
	if (parent->kids.n == 0 || parent->kids.v[parent->kids.n - 1] != child)
		pvec_push(&parent->kids, child);
}

static void
collect(struct graph *gr, struct scope_node *n, struct pvec *out)
{
	size_t i;
	struct scope_node *k;

	for (i = 0; i < n->kids.n; i++) {
		k = n->kids.v[i];
		if (k->mark == gr->gen)
			continue;
		k->mark = gr->gen;
		if (k->is_child)
			pvec_push(out, k);
		collect(gr, k, out);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * "these gateway listeners: [a b] and these routes: [c]"; nodes in
 * exclude are left out.  Returns "" when nothing is left.
 */
static const char *
format_scopes(struct engine *g, struct pvec *nodes, const struct pvec *exclude)
{
	static const struct {
		enum eff_scope	 s;
		const char	*label;
	} groups[] = {
		{ EFF_SCOPE_GW_LISTENER, "these gateway listeners" },
		{ EFF_SCOPE_LISTENERSET, "these listenersets" },
		{ EFF_SCOPE_LS_LISTENER, "these listenerset listeners" },
		{ EFF_SCOPE_ROUTE, "these routes" },
		{ EFF_SCOPE_RULE, "these route rules" },
	};
	struct strbuf sb;
	const char **names;
	size_t i, j, k, n;
	struct scope_node *s;
	bool first = true;
	char *out;

	sb_init(&sb);
	names = xcalloc(nodes->n + 1, sizeof(*names));
	/* excluded nodes get the excl flag for the duration of the call */
	for (k = 0; exclude != NULL && k < exclude->n; k++)
		((struct scope_node *)exclude->v[k])->excl = true;
	for (i = 0; i < nitems(groups); i++) {
		n = 0;
		for (j = 0; j < nodes->n; j++) {
			s = nodes->v[j];
			if (s->scope != groups[i].s || s->excl)
				continue;
			names[n++] = s->section ? arena_printf(g->a, "%s/%s/%s",
			    s->ns, s->name, s->section) : arena_printf(g->a,
			    "%s/%s", s->ns, s->name);
		}
		if (n == 0)
			continue;
		qsort(names, n, sizeof(*names), cmp_str);
		sb_printf(&sb, "%s%s: [", first ? "" : " and ", groups[i].label);
		/* one scope node per name: equal names are one node listed twice */
		for (j = 0; j < n; j++)
			if (j == 0 || strcmp(names[j], names[j - 1]) != 0)
				sb_printf(&sb, "%s%s", j ? " " : "", names[j]);
		sb_addc(&sb, ']');
		first = false;
	}
	free(names);
	for (k = 0; exclude != NULL && k < exclude->n; k++)
		((struct scope_node *)exclude->v[k])->excl = false;
	out = arena_strdup(g->a, sb.buf);
	sb_release(&sb);
	return out;
}

/* Where a merged policy's responseOverride references resolve. */
const char *
override_ns(const struct eff_policy *route, const struct eff_policy *parent)
{
	if (parent == NULL || node_get(route->spec, "responseOverride") != NULL)
		return object_ns(route->obj);
	return object_ns(parent->obj);
}

/* ---- status ---- */

static struct eff_ancestor
mkanc(const char *kind, const char *ns, const char *name, const char *section)
{
	struct eff_ancestor a;

	memset(&a, 0, sizeof(a));
	a.group = GW_GROUP;
	a.kind = kind;
	a.ns = ns;
	a.name = name;
	a.section = section;
	return a;
}

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
same_ref(const struct eff_ancestor *a, const struct eff_ancestor *b)
{
	return same_str(a->kind, b->kind) && same_str(a->ns, b->ns) &&
	    same_str(a->name, b->name) && same_str(a->section, b->section);
}

/*
 * The entry for ref.  Entries a route target creates (one per route
 * parentRef) and entries a Gateway/ListenerSet target creates are kept
 * apart even for the same ancestorRef: Envoy Gateway does the same (a
 * policy targeting a Gateway and a route on it shows the Gateway twice,
 * and the Gateway entry gets no Accepted of its own; see the golden test
 * backendtrafficpolicy-status-conditions-truncated).
 */
static struct anc_build *
anc_find(struct engine *g, struct pol_state *ps, const struct eff_ancestor *ref)
{
	struct anc_build *b;
	size_t i;

	for (i = 0; i < ps->anc.n; i++) {
		b = ps->anc.v[i];
		if (b->direct == ref->direct && same_ref(&b->a, ref))
			return b;
	}
	b = arena_alloc(g->a, sizeof(*b));
	b->a = *ref;
	b->direct = ref->direct;
	pvec_push(&ps->anc, b);
	return b;
}

/* Set (or replace, in place) the condition of that type on ancestor ref. */
static void
set_cond(struct engine *g, struct pol_state *ps, const struct eff_ancestor *ref,
    const char *type, const char *status, const char *reason, const char *msg)
{
	struct anc_build *b;
	struct eff_condition *c = NULL, *nc;
	size_t i;

	if (g->opts->facts_only)
		return;		/* no status wanted */
	b = anc_find(g, ps, ref);
	for (i = 0; i < b->a.nconds; i++)
		if (strcmp(b->a.conds[i].type, type) == 0)
			c = &b->a.conds[i];
	if (c == NULL) {
		if (b->a.nconds == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 4;
			nc = arena_alloc(g->a, b->cap * sizeof(*nc));
			if (b->a.nconds)
				memcpy(nc, b->a.conds, b->a.nconds * sizeof(*nc));
			b->a.conds = nc;
		}
		c = &b->a.conds[b->a.nconds++];
	}
	c->type = type;
	c->status = status;
	c->reason = reason;
	c->message = msg;
}

static bool
has_cond(struct engine *g, struct pol_state *ps, const struct eff_ancestor *ref,
    const char *type)
{
	struct anc_build *b = anc_find(g, ps, ref);
	size_t i;

	for (i = 0; i < b->a.nconds; i++)
		if (strcmp(b->a.conds[i].type, type) == 0)
			return true;
	return false;
}

static void
set_accepted(struct engine *g, struct pol_state *ps, const struct eff_ancestor *ref)
{
	struct anc_build *b;
	size_t i, j;

	if (g->opts->facts_only)
		return;
	for (i = 0; i < ps->anc.n; i++) {
		b = ps->anc.v[i];
		if (!same_ref(&b->a, ref))
			continue;
		for (j = 0; j < b->a.nconds; j++)
			if (strcmp(b->a.conds[j].type, "Accepted") == 0)
				return;
	}
	if (!has_cond(g, ps, ref, "Accepted"))
		set_cond(g, ps, ref, "Accepted", "True", "Accepted",
		    "Policy has been accepted.");
}

static void
set_deprecated(struct engine *g, struct pol_state *ps, const struct eff_ancestor *ref)
{
	const struct node *spec = ps->p->spec, *cmp, *tr;
	struct strbuf sb;

	if (g->opts->facts_only)
		return;
	cmp = node_get(spec, "compression");
	tr = node_get(spec, "targetRef");
	sb_init(&sb);
	if (cmp != NULL && cmp->kind == NODE_SEQ && cmp->n > 0)
		sb_adds(&sb, "spec.compression is deprecated, use spec.compressor instead");
	if (tr != NULL && tr->kind != NODE_NULL)
		sb_printf(&sb, "%sspec.targetRef is deprecated, use spec.targetRefs instead",
		    sb.len ? "; " : "");
	if (sb.len)
		set_cond(g, ps, ref, "Warning", "True", "DeprecatedField",
		    arena_strdup(g->a, sb.buf));
	sb_release(&sb);
}

/* ---- loading the object graph ---- */

static const char *
ns_or(const struct node *ref, const char *key, const char *dflt)
{
	const char *s = node_get_str(ref, key);

	return s != NULL && *s != '\0' ? s : dflt;
}

static struct listener *
load_listeners(struct engine *g, const struct node *spec, size_t *n)
{
	const struct node *ls = node_get(spec, "listeners"), *l;
	struct listener *v;
	size_t i, k = 0;

	*n = 0;
	if (ls == NULL || ls->kind != NODE_SEQ || ls->n == 0)
		return NULL;
	v = arena_alloc(g->a, ls->n * sizeof(*v));
	for (i = 0; i < ls->n; i++) {
		l = ls->items[i];
		if (l->kind != NODE_MAP || node_get_str(l, "name") == NULL)
			continue;
		v[k].name = node_get_str(l, "name");
		v[k].protocol = node_get_str(l, "protocol");
		v[k].hostname = node_get_str(l, "hostname");
		v[k].port = node_get(l, "port") && node_get(l, "port")->kind == NODE_INT ?
		    (long)node_get(l, "port")->i : 0;
		v[k].node = l;
		v[k].allowed = node_get(l, "allowedRoutes");
		k++;
	}
	*n = k;
	return v;
}

static bool
labels_match(const struct node *labels, const struct node *sel)
{
	const struct node *ml, *me, *e, *vals;
	const char *key, *op, *have;
	size_t i, j;
	bool in;

	if (sel == NULL || sel->kind != NODE_MAP)
		return true;
	ml = node_get(sel, "matchLabels");
	for (i = 0; ml != NULL && ml->kind == NODE_MAP && i < ml->n; i++) {
		have = node_get_str(labels, ml->pairs[i].key->str);
		if (have == NULL || ml->pairs[i].val->str == NULL ||
		    strcmp(have, ml->pairs[i].val->str) != 0)
			return false;
	}
	me = node_get(sel, "matchExpressions");
	for (i = 0; me != NULL && me->kind == NODE_SEQ && i < me->n; i++) {
		e = me->items[i];
		key = node_get_str(e, "key");
		op = node_get_str(e, "operator");
		vals = node_get(e, "values");
		if (key == NULL || op == NULL)
			return false;
		have = node_get_str(labels, key);
		in = false;
		for (j = 0; have != NULL && vals != NULL && vals->kind == NODE_SEQ &&
		    j < vals->n; j++)
			if (vals->items[j]->str != NULL &&
			    strcmp(vals->items[j]->str, have) == 0)
				in = true;
		if (strcmp(op, "In") == 0 && !in)
			return false;
		if (strcmp(op, "NotIn") == 0 && in)
			return false;
		if (strcmp(op, "Exists") == 0 && have == NULL)
			return false;
		if (strcmp(op, "DoesNotExist") == 0 && have != NULL)
			return false;
		if (strcmp(op, "In") != 0 && strcmp(op, "NotIn") != 0 &&
		    strcmp(op, "Exists") != 0 && strcmp(op, "DoesNotExist") != 0)
			return false;	/* the API server refuses other operators */
	}
	return true;
}

static const struct node *
ns_labels(struct engine *g, const char *ns)
{
	const struct object *o = emap_get(&g->nss, ns);

	return o != NULL ? node_get(o->metadata, "labels") : NULL;
}

/* Does listener l let a route of that kind in namespace ns attach? */
static bool
listener_allows(struct engine *g, const struct listener *l, const struct route_ctx *rc)
{
	const char *p = l->protocol ? l->protocol : "";
	const char *kind = rc->kind, *from, *owner_ns;
	const struct node *kinds, *nsn;
	size_t i;
	bool ok;

	if (strcmp(kind, "HTTPRoute") == 0 || strcmp(kind, "GRPCRoute") == 0)
		ok = strcmp(p, "HTTP") == 0 || strcmp(p, "HTTPS") == 0;
	else if (strcmp(kind, "TCPRoute") == 0)
		ok = strcmp(p, "TCP") == 0;
	else if (strcmp(kind, "TLSRoute") == 0)
		ok = strcmp(p, "TLS") == 0;
	else
		ok = strcmp(p, "UDP") == 0;
	if (!ok)
		return false;
	kinds = node_get(l->allowed, "kinds");
	if (kinds != NULL && kinds->kind == NODE_SEQ && kinds->n > 0) {
		ok = false;
		for (i = 0; i < kinds->n; i++)
			if (node_get_str(kinds->items[i], "kind") != NULL &&
			    strcmp(node_get_str(kinds->items[i], "kind"), kind) == 0)
				ok = true;
		if (!ok)
			return false;
	}
	owner_ns = object_ns(l->ls ? l->ls->obj : l->gw->obj);
	nsn = node_get(l->allowed, "namespaces");
	from = node_get_str(nsn, "from");
	if (from == NULL || strcmp(from, "Same") == 0)
		return strcmp(owner_ns, object_ns(rc->obj)) == 0;
	if (strcmp(from, "Selector") == 0)
		return labels_match(ns_labels(g, object_ns(rc->obj)),
		    node_get(nsn, "selector"));
	return true;
}

/* Hostname intersection as Gateway API defines it (wildcards on the left). */
static bool
host_match(const char *a, const char *b)
{
	size_t la, lb;

	if (strcmp(a, b) == 0)
		return true;
	la = strlen(a);
	lb = strlen(b);
	if (a[0] == '*' && lb > la - 1 && strcmp(b + lb - (la - 1), a + 1) == 0)
		return true;
	if (b[0] == '*' && la > lb - 1 && strcmp(a + la - (lb - 1), b + 1) == 0)
		return true;
	return false;
}

static bool
hostnames_intersect(const struct listener *l, const struct route_ctx *rc)
{
	const struct node *hs = node_get(rc->obj->spec, "hostnames");
	size_t i;

	if (l->hostname == NULL || hs == NULL || hs->kind != NODE_SEQ || hs->n == 0 ||
	    strcmp(rc->kind, "TCPRoute") == 0 || strcmp(rc->kind, "UDPRoute") == 0)
		return true;
	for (i = 0; i < hs->n; i++)
		if (hs->items[i]->str != NULL && host_match(l->hostname, hs->items[i]->str))
			return true;
	return false;
}

static void
attach_listeners(struct engine *g, struct route_ctx *rc, struct attach *a,
    const struct node *ref)
{
	struct listener *ls;
	size_t n, i, k = 0;
	long port = 0;

	if (node_get(ref, "port") != NULL && node_get(ref, "port")->kind == NODE_INT)
		port = (long)node_get(ref, "port")->i;
	ls = a->to_ls ? a->ls->listeners : a->gw->listeners;
	n = a->to_ls ? a->ls->nlisteners : a->gw->nlisteners;
	a->listeners = arena_alloc(g->a, (n + 1) * sizeof(*a->listeners));
	for (i = 0; i < n; i++) {
		if (a->section != NULL && strcmp(a->section, ls[i].name) != 0)
			continue;
		if (port != 0 && port != ls[i].port)
			continue;
		if (!listener_allows(g, &ls[i], rc) || !hostnames_intersect(&ls[i], rc))
			continue;
		a->listeners[k++] = &ls[i];
	}
	a->nlisteners = k;
}

static void
load_route(struct engine *g, const struct object *o)
{
	struct route_ctx *rc = arena_alloc(g->a, sizeof(*rc));
	const struct node *prs = node_get(o->spec, "parentRefs"), *p;
	const char *kind, *ns;
	struct attach *a;
	size_t i;

	rc->obj = o;
	rc->kind = obj_type_kind(o->type);
	rc->rules = node_get(o->spec, "rules");
	if (rc->rules != NULL && rc->rules->kind != NODE_SEQ)
		rc->rules = NULL;
	emap_put(&g->routes, ekey(g->a, rc->kind, object_ns(o), o->name, NULL), rc);
	emap_put(&g->routes, ekey(g->a, "*", rc->kind, o->name, NULL), rc);
	pvec_push(&g->routev, rc);
	if (prs == NULL || prs->kind != NODE_SEQ)
		return;
	rc->attach = arena_alloc(g->a, (prs->n + 1) * sizeof(*rc->attach));
	for (i = 0; i < prs->n; i++) {
		p = prs->items[i];
		if (p->kind != NODE_MAP || node_get_str(p, "name") == NULL)
			continue;
		kind = ns_or(p, "kind", "Gateway");
		ns = ns_or(p, "namespace", object_ns(o));
		a = &rc->attach[rc->nattach];
		memset(a, 0, sizeof(*a));
		a->ref = p;
		a->ns = ns;
		a->name = node_get_str(p, "name");
		a->section = node_get_str(p, "sectionName");
		if (strcmp(kind, "Gateway") == 0) {
			a->gw = emap_get(&g->gws, ekey(g->a, ns, a->name, NULL, NULL));
			if (a->gw == NULL)
				continue;
		} else if (strcmp(kind, "ListenerSet") == 0 ||
		    strcmp(kind, "XListenerSet") == 0) {
			a->to_ls = true;
			a->ls = find_ls(g, ns, a->name);
			if (a->ls == NULL || a->ls->gw == NULL)
				continue;
			a->gw = a->ls->gw;
		} else
			continue;
		attach_listeners(g, rc, a, p);
		rc->nattach++;
	}
}

void
eng_load(struct engine *g)
{
	const struct objset *os = g->os;
	const struct object *o;
	struct gw_ctx *gw;
	struct ls_ctx *ls;
	const struct node *pr;
	size_t i, j;

	for (i = 0; i < os->n; i++) {
		o = &os->v[i];
		switch (o->type) {
		case OBJ_GATEWAY:
			gw = arena_alloc(g->a, sizeof(*gw));
			gw->obj = o;
			gw->listeners = load_listeners(g, o->spec, &gw->nlisteners);
			for (j = 0; j < gw->nlisteners; j++)
				gw->listeners[j].gw = gw;
			if (emap_get(&g->gws, ekey(g->a, object_ns(o), o->name, NULL, NULL)) == NULL)
				emap_put(&g->gws, ekey(g->a, object_ns(o), o->name, NULL, NULL), gw);
			emap_put(&g->gws, ekey(g->a, "*", o->name, NULL, NULL), gw);
			pvec_push(&g->gwv, gw);
			break;
		case OBJ_NAMESPACE:
			emap_put(&g->nss, o->name, (void *)(uintptr_t)o);
			break;
		case OBJ_REFERENCEGRANT:
			pvec_push(&g->grants, (void *)(uintptr_t)o);
			break;
		default:
			break;
		}
	}
	for (i = 0; i < os->n; i++) {
		o = &os->v[i];
		if (o->type != OBJ_LISTENERSET)
			continue;
		ls = arena_alloc(g->a, sizeof(*ls));
		ls->obj = o;
		pr = node_get(o->spec, "parentRef");
		if (node_get_str(pr, "name") != NULL)
			ls->gw = emap_get(&g->gws, ekey(g->a, ns_or(pr, "namespace",
			    object_ns(o)), node_get_str(pr, "name"), NULL, NULL));
		ls->listeners = load_listeners(g, o->spec, &ls->nlisteners);
		for (j = 0; j < ls->nlisteners; j++) {
			ls->listeners[j].gw = ls->gw;
			ls->listeners[j].ls = ls;
		}
		emap_put(&g->lss, ekey(g->a, object_ns(o), o->name, NULL, NULL), ls);
		emap_put(&g->lss, ekey(g->a, "*", o->name, NULL, NULL), ls);
		pvec_push(&g->lsv, ls);
	}
	for (i = 0; i < os->n; i++) {
		o = &os->v[i];
		if (o->type >= OBJ_HTTPROUTE && o->type <= OBJ_UDPROUTE)
			load_route(g, o);
	}
}

/* ---- target resolution ---- */

struct eff_fact *
eng_fact(struct engine *g, enum eff_fact_kind k, const struct eff_policy *p,
    const struct node *at)
{
	struct eff_fact *f = arena_alloc(g->a, sizeof(*f));

	f->kind = k;
	f->policy = p;
	f->at = at;
	pvec_push(&g->facts, f);
	return f;
}

static enum obj_type
route_type(const char *kind)
{
	if (strcmp(kind, "HTTPRoute") == 0)
		return OBJ_HTTPROUTE;
	if (strcmp(kind, "GRPCRoute") == 0)
		return OBJ_GRPCROUTE;
	if (strcmp(kind, "TCPRoute") == 0)
		return OBJ_TCPROUTE;
	if (strcmp(kind, "TLSRoute") == 0)
		return OBJ_TLSROUTE;
	if (strcmp(kind, "UDPRoute") == 0)
		return OBJ_UDPROUTE;
	return OBJ_OTHER;
}

bool
route_is_http(const struct route_ctx *rc)
{
	return rc->obj->type == OBJ_HTTPROUTE || rc->obj->type == OBJ_GRPCROUTE;
}

static bool
is_ls_kind(const char *kind)
{
	return strcmp(kind, "ListenerSet") == 0 || strcmp(kind, "XListenerSet") == 0;
}

/* The object of kind/ns/name, or NULL. */
static const struct object *
lookup(struct engine *g, const char *kind, const char *ns, const char *name)
{
	struct gw_ctx *gw;
	struct ls_ctx *ls;
	struct route_ctx *rc;

	if (strcmp(kind, "Gateway") == 0)
		return (gw = emap_get(&g->gws, ekey(g->a, ns, name, NULL, NULL))) ?
		    gw->obj : NULL;
	if (is_ls_kind(kind))
		return (ls = emap_get(&g->lss, ekey(g->a, ns, name, NULL, NULL))) ?
		    ls->obj : NULL;
	if (route_type(kind) != OBJ_OTHER)
		return (rc = emap_get(&g->routes, ekey(g->a, kind, ns, name, NULL))) ?
		    rc->obj : NULL;
	return NULL;
}

static bool
grant_allows(struct engine *g, const char *policy_ns, const struct object *t)
{
	const struct object *rg;
	const struct node *from, *to;
	const char *s;
	size_t i, j, k;
	bool fok;

	for (i = 0; i < g->grants.n; i++) {
		rg = g->grants.v[i];
		if (strcmp(object_ns(rg), object_ns(t)) != 0)
			continue;
		from = node_get(rg->spec, "from");
		to = node_get(rg->spec, "to");
		fok = false;
		for (j = 0; from != NULL && from->kind == NODE_SEQ && j < from->n; j++) {
			s = node_get_str(from->items[j], "group");
			if (s && strcmp(s, EG_GROUP) == 0 &&
			    (s = node_get_str(from->items[j], "kind")) &&
			    strcmp(s, "BackendTrafficPolicy") == 0 &&
			    (s = node_get_str(from->items[j], "namespace")) &&
			    strcmp(s, policy_ns) == 0)
				fok = true;
		}
		if (!fok)
			continue;
		for (k = 0; to != NULL && to->kind == NODE_SEQ && k < to->n; k++) {
			s = node_get_str(to->items[k], "group");
			if (s == NULL || strcmp(s, GW_GROUP) != 0)
				continue;
			s = node_get_str(to->items[k], "kind");
			if (s == NULL || strcmp(s, obj_type_kind(t->type)) != 0)
				continue;
			s = node_get_str(to->items[k], "name");
			if (s == NULL || *s == '\0' || strcmp(s, t->name) == 0)
				return true;
		}
	}
	return false;
}

static int
cmp_obj_ts(const void *a, const void *b)
{
	const struct object *x = *(const struct object *const *)a;
	const struct object *y = *(const struct object *const *)b;
	const char *tx = object_timestamp(x), *ty = object_timestamp(y);
	int c = strcmp(tx ? tx : "", ty ? ty : "");

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void
add_target(struct engine *g, struct pol_state *ps, const char *kind,
    const struct object *o, const char *section, const struct node *ref,
    bool from_selector)
{
	struct eff_target *t;
	size_t i;
	bool route = route_type(kind) != OBJ_OTHER;

	for (i = 0; i < ps->targets.n; i++) {
		t = ps->targets.v[i];
		if (t->obj == o && same_str(t->section, section))
			return;
	}
	t = arena_alloc(g->a, sizeof(*t));
	t->obj = o;
	t->section = section;
	t->ref = ref;
	t->from_selector = from_selector;
	if (strcmp(kind, "Gateway") == 0)
		t->scope = section ? EFF_SCOPE_GW_LISTENER : EFF_SCOPE_GATEWAY;
	else if (is_ls_kind(kind))
		t->scope = section ? EFF_SCOPE_LS_LISTENER : EFF_SCOPE_LISTENERSET;
	else if (route)
		t->scope = section ? EFF_SCOPE_RULE : EFF_SCOPE_ROUTE;
	pvec_push(&ps->targets, t);
}

static void
selector_targets(struct engine *g, struct pol_state *ps, const struct node *sel)
{
	const char *group = ns_or(sel, "group", GW_GROUP);
	const char *kind = node_get_str(sel, "kind");
	const char *pns = object_ns(ps->p->obj), *from;
	const struct node *nsn = node_get(sel, "namespaces");
	struct pvec found = { 0 };
	const struct object *o;
	size_t i;
	enum obj_type want;

	if (kind == NULL || strcmp(group, GW_GROUP) != 0)
		return;
	want = strcmp(kind, "Gateway") == 0 ? OBJ_GATEWAY : is_ls_kind(kind) ?
	    OBJ_LISTENERSET : route_type(kind);
	if (want == OBJ_OTHER)
		return;
	from = node_get_str(nsn, "from");
	for (i = 0; i < g->os->n; i++) {
		o = &g->os->v[i];
		if (o->type != want || strcmp(obj_type_kind(o->type), kind) != 0 ||
		    !labels_match(node_get(o->metadata, "labels"), sel))
			continue;
		if (from == NULL || strcmp(from, "Same") == 0) {
			if (strcmp(object_ns(o), pns) != 0)
				continue;
		} else if (strcmp(from, "Selector") == 0) {
			if (!labels_match(ns_labels(g, object_ns(o)),
			    node_get(nsn, "selector")))
				continue;
		} else if (strcmp(from, "All") != 0)
			continue;
		if (strcmp(object_ns(o), pns) != 0 && !grant_allows(g, pns, o))
			continue;
		pvec_push(&found, (void *)(uintptr_t)o);
	}
	if (found.n > 1)
		qsort(found.v, found.n, sizeof(*found.v), cmp_obj_ts);
	for (i = 0; i < found.n; i++)
		add_target(g, ps, kind, found.v[i], NULL, sel, true);
	pvec_free(&found);
}

static const struct object *
lookup_anywhere(struct engine *g, const char *kind, const char *name)
{
	struct gw_ctx *gw;
	struct ls_ctx *ls;
	struct route_ctx *rc;

	if (strcmp(kind, "Gateway") == 0)
		return (gw = emap_get(&g->gws, ekey(g->a, "*", name, NULL, NULL))) ?
		    gw->obj : NULL;
	if (is_ls_kind(kind))
		return (ls = emap_get(&g->lss, ekey(g->a, "*", name, NULL, NULL))) ?
		    ls->obj : NULL;
	return (rc = emap_get(&g->routes, ekey(g->a, "*", kind, name, NULL))) ?
	    rc->obj : NULL;
}

static void
explicit_target(struct engine *g, struct pol_state *ps, const struct node *ref)
{
	const char *kind = node_get_str(ref, "kind");
	const char *name = node_get_str(ref, "name");
	const char *section = node_get_str(ref, "sectionName");
	const char *pns = object_ns(ps->p->obj);
	const struct object *o, *elsewhere;
	struct eff_fact *f;

	if (kind == NULL || name == NULL || *name == '\0')
		return;
	if (section != NULL && *section == '\0')
		section = NULL;
	if (strcmp(kind, "Gateway") != 0 && !is_ls_kind(kind) &&
	    route_type(kind) == OBJ_OTHER)
		return;
	o = lookup(g, kind, pns, name);
	if (o == NULL) {
		elsewhere = lookup_anywhere(g, kind, name);
		f = eng_fact(g, elsewhere ? EFF_FACT_TARGET_OTHER_NS :
		    EFF_FACT_TARGET_NOT_FOUND, ps->p, ref);
		f->target_kind = kind;
		f->target_ns = pns;
		f->target_name = name;
		f->section = section;
		f->target = elsewhere;
		f->path = "spec.targetRefs";
		f->message = elsewhere ? arena_printf(g->a, "%s %s/%s is not in the "
		    "policy's namespace (it exists in %s); targetRefs only reach the "
		    "policy's own namespace, so Envoy Gateway ignores this target",
		    kind, pns, name, object_ns(elsewhere)) : arena_printf(g->a,
		    "%s %s/%s does not exist; Envoy Gateway ignores this target",
		    kind, pns, name);
		return;
	}
	add_target(g, ps, kind, o, section, ref, false);
}

void
eng_resolve(struct engine *g)
{
	struct effective *e = g->e;
	struct pol_state *ps;
	const struct node *spec, *tr, *trs, *sels;
	size_t i, j;

	for (i = 0; i < e->npolicies; i++) {
		ps = g->pstate[i];
		spec = ps->p->spec;
		sels = node_get(spec, "targetSelectors");
		for (j = 0; sels != NULL && sels->kind == NODE_SEQ && j < sels->n; j++)
			selector_targets(g, ps, sels->items[j]);
		tr = node_get(spec, "targetRef");
		trs = node_get(spec, "targetRefs");
		if (tr != NULL && tr->kind == NODE_MAP)
			explicit_target(g, ps, tr);
		else
			for (j = 0; trs != NULL && trs->kind == NODE_SEQ && j < trs->n; j++)
				explicit_target(g, ps, trs->items[j]);
		ps->p->ntargets = ps->targets.n;
		ps->p->targets = arena_alloc(g->a, (ps->targets.n + 1) *
		    sizeof(*ps->p->targets));
		for (j = 0; j < ps->targets.n; j++)
			ps->p->targets[j] = *(struct eff_target *)ps->targets.v[j];
		pvec_free(&ps->targets);
	}
}

/* ---- the six passes ---- */

struct passes {
	struct engine	*g;
	struct graph	 over, merged;
};

static const char *
first_err(const struct eff_policy *p)
{
	return p->invalid;
}

static void
set_invalid(struct engine *g, struct pol_state *ps, const struct eff_ancestor *ref,
    const char *msg)
{
	set_cond(g, ps, ref, "Accepted", "False", "Invalid", msg);
}

static struct eff_fact *
conflict_fact(struct engine *g, struct pol_state *ps, struct eff_target *t,
    const struct eff_policy *winner, const char *msg)
{
	struct eff_fact *f = eng_fact(g, EFF_FACT_CONFLICT, ps->p, t->ref);

	t->conflicted = true;
	t->winner = winner;
	f->other = winner;
	f->scope = t->scope;
	f->target_kind = obj_type_kind(t->obj->type);
	f->target_ns = object_ns(t->obj);
	f->target_name = t->obj->name;
	f->section = t->section;
	f->target = t->obj;
	f->by_input_order = g->e->no_timestamps;
	f->message = msg;
	f->path = "spec.targetRefs";
	return f;
}

static void
section_fact(struct engine *g, struct pol_state *ps, struct eff_target *t,
    const char *msg)
{
	struct eff_fact *f = eng_fact(g, EFF_FACT_UNKNOWN_SECTION, ps->p, t->ref);

	t->section_missing = true;
	f->target_kind = obj_type_kind(t->obj->type);
	f->target_ns = object_ns(t->obj);
	f->target_name = t->obj->name;
	f->section = t->section;
	f->target = t->obj;
	f->message = msg;
	f->path = "spec.targetRefs";
}

static bool
rule_exists(const struct route_ctx *rc, const char *name)
{
	size_t i;
	const char *n;

	for (i = 0; rc->rules != NULL && i < rc->rules->n; i++)
		if ((n = node_get_str(rc->rules->items[i], "name")) != NULL &&
		    strcmp(n, name) == 0)
			return true;
	return false;
}

static bool
listener_exists(const struct listener *l, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].name, name) == 0)
			return true;
	return false;
}

/*
 * Try to claim scope key for p.  Returns NULL when it was free, else the
 * policy that holds it.
 */
static const struct eff_policy *
claim(struct engine *g, const char *key, const struct eff_policy *p)
{
	const struct eff_policy *w = emap_get(&g->claims, key);

	if (w == NULL)
		emap_put(&g->claims, key, (void *)(uintptr_t)p);
	return w;
}

/*
 * The closest parent policy of a listener, for mergeType; its node of the
 * merged graph into *scope, unless scope is NULL.
 */
static const struct eff_policy *
merge_parent(struct engine *g, const struct listener *l, struct scope_node **scope,
    struct passes *P)
{
	const struct object *gw = l->gw->obj, *ls = l->ls ? l->ls->obj : NULL;
	const struct {
		enum eff_scope	 s;
		const struct object *o;
		const char	*section;
	} up[] = {
		{ EFF_SCOPE_LS_LISTENER, ls, l->name },
		{ EFF_SCOPE_LISTENERSET, ls, NULL },
		{ EFF_SCOPE_GW_LISTENER, ls ? NULL : gw, l->name },
		{ EFF_SCOPE_GATEWAY, gw, NULL },
	};
	const struct eff_policy *p;
	size_t i;

	/* the closest first; a ListenerSet's listeners skip the Gateway's */
	for (i = 0; i < nitems(up); i++) {
		if (up[i].o == NULL || (p = emap_get(&g->parent_policy, scope_key(g,
		    up[i].s, object_ns(up[i].o), up[i].o->name, up[i].section))) == NULL)
			continue;
		if (scope != NULL)
			*scope = graph_node(g, &P->merged, up[i].s, object_ns(up[i].o),
			    up[i].o->name, up[i].section);
		return p;
	}
	return NULL;
}

/* The policy's mergeType as written; "?" when it is not a scalar. */
static const char *
merge_type_text(const struct eff_policy *p)
{
	const char *s = node_get_str(p->spec, "mergeType");

	return s != NULL ? s : "?";
}

/*
 * Once per parent (NULL: a listener without one): what a mergeType
 * policy is layered over.
 */
static void
layer_fact(struct engine *g, struct pol_state *ps, const struct eff_policy *parent)
{
	struct eff_fact *f;
	size_t i;

	for (i = 0; i < ps->layers.n; i++)
		if (ps->layers.v[i] == parent)
			return;
	pvec_push(&ps->layers, (void *)(uintptr_t)parent);
	f = eng_fact(g, EFF_FACT_LAYERED, ps->p, node_get(ps->p->spec, "mergeType"));
	f->other = parent;
	f->path = "spec.mergeType";
	f->message = parent != NULL ? arena_printf(g->a, "merged over policy %s/%s",
	    object_ns(parent->obj), parent->obj->name) : "applies alone where no "
	    "Gateway or listener policy is attached";
}

static void
merge_fact(struct engine *g, const struct eff_policy *p)
{
	struct eff_fact *f;
	const char *key = arena_printf(g->a, "merge\x1f%zu", p->rank);

	if (emap_get(&g->factseen, key) != NULL)
		return;
	emap_put(&g->factseen, key, (void *)1);
	f = eng_fact(g, EFF_FACT_MERGE_INVALID, p, node_get(p->spec, "mergeType"));
	f->path = "spec.mergeType";
	f->message = arena_printf(g->a, "mergeType %s is not StrategicMerge or "
	    "JSONMerge: Envoy Gateway refuses to merge this policy", merge_type_text(p));
}

static void
do_route(struct passes *P, struct pol_state *ps, struct eff_target *t)
{
	struct engine *g = P->g;
	struct eff_policy *p = ps->p;
	struct route_ctx *rc = emap_get(&g->routes, ekey(g->a,
	    obj_type_kind(t->obj->type), object_ns(t->obj), t->obj->name, NULL));
	struct eff_ancestor *ancs, la;
	struct scope_node *rs, *ps_scope = NULL;
	const struct eff_policy *w, *parent;
	const char *rns = object_ns(t->obj), *msg = NULL, *reason = NULL, *err;
	struct pvec rules = { 0 };
	struct strbuf sb;
	struct attach *a;
	struct listener *l;
	size_t i, j, n = 0;
	struct merge_result mr;
	bool status = !g->opts->facts_only;

	ancs = arena_alloc(g->a, (rc->nattach + 1) * sizeof(*ancs));
	/* the scope graph words the parents' status: facts need none of it */
	rs = status ? graph_node(g, &P->over, EFF_SCOPE_ROUTE, rns, t->obj->name, NULL) :
	    NULL;
	for (i = 0; i < rc->nattach; i++) {
		a = &rc->attach[i];
		if (status)
			graph_add(graph_node(g, &P->over, a->to_ls ?
			    (a->section ? EFF_SCOPE_LS_LISTENER : EFF_SCOPE_LISTENERSET) :
			    (a->section ? EFF_SCOPE_GW_LISTENER : EFF_SCOPE_GATEWAY),
			    a->ns, a->name, a->section), rs);
		ancs[n++] = mkanc(a->to_ls ? "ListenerSet" : "Gateway", a->ns, a->name,
		    a->section);
	}
	if (t->section != NULL && !rule_exists(rc, t->section)) {
		reason = "TargetNotFound";
		msg = arena_printf(g->a, "No section name %s found for %s %s/%s",
		    t->section, rc->kind, rns, t->obj->name);
		section_fact(g, ps, t, msg);
	} else if (t->section == NULL) {
		if ((w = claim(g, route_key(g, rc), p)) != NULL) {
			reason = "Conflicted";
			msg = arena_printf(g->a, "Unable to target %s %s, another "
			    "BackendTrafficPolicy has already attached to it", rc->kind,
			    t->obj->name);
			conflict_fact(g, ps, t, w, msg);
		}
	} else if ((w = claim(g, rule_key(g, rc, t->section), p)) != NULL) {
		reason = "Conflicted";
		msg = arena_printf(g->a, "Unable to target RouteRule %s/%s, another "
		    "BackendTrafficPolicy has already attached to it", t->obj->name,
		    t->section);
		conflict_fact(g, ps, t, w, msg);
	}
	if (msg != NULL) {
		for (i = 0; i < n; i++)
			set_cond(g, ps, &ancs[i], "Accepted", "False", reason, msg);
		return;
	}
	if (p->merge == EFF_MERGE_NONE) {
		if ((err = first_err(p)) != NULL)
			for (i = 0; i < n; i++)
				set_invalid(g, ps, &ancs[i], err);
	} else {
		for (i = 0; i < rc->nattach; i++) {
			a = &rc->attach[i];
			for (j = 0; j < a->nlisteners; j++) {
				l = a->listeners[j];
				la = l->ls ? mkanc("ListenerSet", object_ns(l->ls->obj),
				    l->ls->obj->name, l->name) : mkanc("Gateway",
				    object_ns(l->gw->obj), l->gw->obj->name, l->name);
				parent = merge_parent(g, l, status ? &ps_scope : NULL, P);
				if (p->merge != EFF_MERGE_INVALID)
					layer_fact(g, ps, parent);
				if (parent == NULL) {
					if ((err = first_err(p)) != NULL)
						set_invalid(g, ps, &la, err);
					continue;
				}
				if (p->merge == EFF_MERGE_INVALID) {
					set_invalid(g, ps, &la, arena_printf(g->a,
					    "Error merging policies: unsupported merge type: %s.",
					    merge_type_text(p)));
					merge_fact(g, p);
					continue;
				}
				if (!g->opts->facts_only) {
					merge_policies(g->a, parent->spec, p->spec,
					    p->merge == EFF_MERGE_JSON, &mr);
					if ((err = eff_translate_errors(g->a, mr.spec,
					    override_ns(p, parent), g->opts)) != NULL) {
						set_invalid(g, ps, &la, err);
						continue;
					}
				}
				if (!status)
					continue;
				/* repeats are dropped when the list is read */
				if (ps_scope->merged.n == 0 ||
				    ps_scope->merged.v[ps_scope->merged.n - 1] != rs)
					pvec_push(&ps_scope->merged, rs);
				set_cond(g, ps, &la, "Merged", "True", "Merged",
				    arena_printf(g->a, "Merged with policy %s/%s",
				    object_ns(parent->obj), parent->obj->name));
			}
		}
	}
	for (i = 0; i < n; i++)
		set_accepted(g, ps, &ancs[i]);
	for (i = 0; i < n; i++)
		set_deprecated(g, ps, &ancs[i]);
	if (t->section != NULL)
		return;
	for (i = 0; rc->rules != NULL && i < rc->rules->n; i++) {
		const char *rn = node_get_str(rc->rules->items[i], "name");

		if (rn != NULL && emap_get(&g->claims, rule_key(g, rc, rn)))
			pvec_push(&rules, (void *)(uintptr_t)rn);
	}
	if (rules.n > 0) {
		qsort(rules.v, rules.n, sizeof(*rules.v), cmp_str);
		sb_init(&sb);
		sb_adds(&sb, "This policy is being overridden by other "
		    "backendTrafficPolicy for these route rules: [");
		for (i = 0; i < rules.n; i++)
			sb_printf(&sb, "%s%s", i ? " " : "", (const char *)rules.v[i]);
		sb_addc(&sb, ']');
		for (i = 0; i < n; i++)
			set_cond(g, ps, &ancs[i], "Overridden", "True", "Overridden",
			    arena_strdup(g->a, sb.buf));
		sb_release(&sb);
	}
	pvec_free(&rules);
}

/* Merged and Overridden conditions of a Gateway or ListenerSet policy. */
static void
parent_conditions(struct passes *P, struct pol_state *ps,
    const struct eff_ancestor *anc, struct scope_node *own_over,
    struct scope_node *own_merged)
{
	struct engine *g = P->g;
	struct pvec desc = { 0 };
	const char *mm, *om;

	if (g->opts->facts_only)
		return;
	mm = format_scopes(g, &own_merged->merged, NULL);
	P->over.gen++;
	collect(&P->over, own_over, &desc);
	if (own_over->up != NULL) {
		/* routes attached to the whole Gateway/ListenerSet reach this listener too */
		size_t i;
		struct scope_node *k;

		for (i = 0; i < own_over->up->kids.n; i++) {
			k = own_over->up->kids.v[i];
			if (k->scope == EFF_SCOPE_ROUTE && k->is_child &&
			    k->mark != P->over.gen) {
				k->mark = P->over.gen;
				pvec_push(&desc, k);
			}
		}
	}
	/* merged routes are not listed as overriding (compare by identity) */
	{
		struct pvec ex = { 0 };
		struct emap merged;
		size_t i;
		struct scope_node *d, *m;

		emap_init(&merged, g->a);
		for (i = 0; i < own_merged->merged.n; i++) {
			m = own_merged->merged.v[i];
			emap_put(&merged, ekey(g->a, m->ns, m->name, NULL, NULL), m);
		}
		for (i = 0; merged.n > 0 && i < desc.n; i++) {
			d = desc.v[i];
			if (d->scope == EFF_SCOPE_ROUTE &&
			    emap_get(&merged, ekey(g->a, d->ns, d->name, NULL, NULL)) != NULL)
				pvec_push(&ex, d);
		}
		om = format_scopes(g, &desc, &ex);
		pvec_free(&ex);
	}
	if (*mm != '\0')
		set_cond(g, ps, anc, "Merged", "True", "Merged", arena_printf(g->a,
		    "This policy is being merged by other backendTrafficPolicies for %s",
		    mm));
	if (*om != '\0')
		set_cond(g, ps, anc, "Overridden", "True", "Overridden",
		    arena_printf(g->a, "This policy is being overridden by other "
		    "backendTrafficPolicies for %s", om));
	pvec_free(&desc);
}

static void
do_listenerset(struct passes *P, struct pol_state *ps, struct eff_target *t)
{
	struct engine *g = P->g;
	struct eff_policy *p = ps->p;
	struct ls_ctx *ls = find_ls(g, object_ns(t->obj), t->obj->name);
	const char *ns = object_ns(t->obj), *msg = NULL, *reason = NULL;
	const struct eff_policy *w;
	struct eff_ancestor anc;
	struct scope_node *own;
	enum eff_scope sc = t->section ? EFF_SCOPE_LS_LISTENER : EFF_SCOPE_LISTENERSET;

	if (ls == NULL || ls->gw == NULL)
		return;
	anc = mkanc("ListenerSet", ns, t->obj->name, t->section);
	anc.direct = true;
	if (t->section != NULL && !listener_exists(ls->listeners, ls->nlisteners,
	    t->section)) {
		reason = "TargetNotFound";
		msg = arena_printf(g->a, "No section name %s found for ListenerSet %s/%s",
		    t->section, ns, t->obj->name);
		section_fact(g, ps, t, msg);
	} else if ((w = claim(g, scope_key(g, sc, ns, t->obj->name, t->section), p))) {
		reason = "Conflicted";
		msg = t->section ? arena_printf(g->a, "Unable to target Listener %s/%s, "
		    "another BackendTrafficPolicy has already attached to it",
		    t->obj->name, t->section) : arena_printf(g->a, "Unable to target "
		    "ListenerSet %s, another BackendTrafficPolicy has already attached "
		    "to it", t->obj->name);
		conflict_fact(g, ps, t, w, msg);
	}
	if (msg != NULL) {
		set_cond(g, ps, &anc, "Accepted", "False", reason, msg);
		return;
	}
	own = graph_node(g, &P->over, sc, ns, t->obj->name, t->section);
	if (t->section != NULL)
		graph_add(graph_node(g, &P->over, EFF_SCOPE_LISTENERSET, ns,
		    t->obj->name, NULL), own);
	else
		graph_add(graph_node(g, &P->over, EFF_SCOPE_GATEWAY,
		    object_ns(ls->gw->obj), ls->gw->obj->name, NULL), own);
	if (p->invalid != NULL)
		set_invalid(g, ps, &anc, p->invalid);
	set_accepted(g, ps, &anc);
	parent_conditions(P, ps, &anc, own, graph_node(g, &P->merged, sc, ns,
	    t->obj->name, t->section));
	set_deprecated(g, ps, &anc);
}

static void
do_gateway(struct passes *P, struct pol_state *ps, struct eff_target *t)
{
	struct engine *g = P->g;
	struct eff_policy *p = ps->p;
	struct gw_ctx *gw = emap_get(&g->gws, ekey(g->a, object_ns(t->obj),
	    t->obj->name, NULL, NULL));
	const char *ns = object_ns(t->obj), *msg = NULL, *reason = NULL;
	const struct eff_policy *w;
	struct eff_ancestor anc;
	struct scope_node *own;
	enum eff_scope sc = t->section ? EFF_SCOPE_GW_LISTENER : EFF_SCOPE_GATEWAY;

	anc = mkanc("Gateway", ns, t->obj->name, t->section);
	anc.direct = true;
	if (t->section != NULL && !listener_exists(gw->listeners, gw->nlisteners,
	    t->section)) {
		reason = "TargetNotFound";
		msg = arena_printf(g->a, "No section name %s found for Gateway %s/%s",
		    t->section, ns, t->obj->name);
		section_fact(g, ps, t, msg);
	} else if ((w = claim(g, scope_key(g, sc, ns, t->obj->name, t->section), p))) {
		reason = "Conflicted";
		msg = t->section ? arena_printf(g->a, "Unable to target Listener %s/%s/%s, "
		    "another BackendTrafficPolicy has already attached to it", ns,
		    t->obj->name, t->section) : arena_printf(g->a, "Unable to target "
		    "Gateway %s, another BackendTrafficPolicy has already attached "
		    "to it", t->obj->name);
		conflict_fact(g, ps, t, w, msg);
	}
	if (msg != NULL) {
		set_cond(g, ps, &anc, "Accepted", "False", reason, msg);
		return;
	}
	own = graph_node(g, &P->over, sc, ns, t->obj->name, t->section);
	if (t->section != NULL)
		graph_add(graph_node(g, &P->over, EFF_SCOPE_GATEWAY, ns, t->obj->name,
		    NULL), own);
	if (p->invalid != NULL)
		set_invalid(g, ps, &anc, p->invalid);
	set_accepted(g, ps, &anc);
	set_deprecated(g, ps, &anc);
	parent_conditions(P, ps, &anc, own, graph_node(g, &P->merged, sc, ns,
	    t->obj->name, t->section));
}

/* First policy (in order) per Gateway/ListenerSet scope: merge parents. */
static void
build_parent_map(struct engine *g)
{
	struct effective *e = g->e;
	struct eff_target *t;
	struct gw_ctx *gw;
	struct ls_ctx *ls;
	size_t i, j;
	const char *key;

	for (i = 0; i < e->npolicies; i++) {
		for (j = 0; j < e->policies[i].ntargets; j++) {
			t = &e->policies[i].targets[j];
			if (t->scope < EFF_SCOPE_LS_LISTENER)
				continue;
			if (t->section != NULL && t->scope == EFF_SCOPE_GW_LISTENER) {
				gw = emap_get(&g->gws, ekey(g->a, object_ns(t->obj),
				    t->obj->name, NULL, NULL));
				if (!listener_exists(gw->listeners, gw->nlisteners, t->section))
					continue;
			}
			if (t->section != NULL && t->scope == EFF_SCOPE_LS_LISTENER) {
				ls = find_ls(g, object_ns(t->obj), t->obj->name);
				if (!listener_exists(ls->listeners, ls->nlisteners, t->section))
					continue;
			}
			key = scope_key(g, t->scope, object_ns(t->obj), t->obj->name,
			    t->section);
			if (emap_get(&g->parent_policy, key) == NULL)
				emap_put(&g->parent_policy, key, &e->policies[i]);
		}
	}
}

/* Sort Accepted=False first, then Overridden, then the rest; cut to 16. */
static int
anc_rank(const struct eff_ancestor *a)
{
	size_t i;

	for (i = 0; i < a->nconds; i++)
		if (strcmp(a->conds[i].type, "Accepted") == 0 &&
		    strcmp(a->conds[i].status, "False") == 0)
			return 0;
	for (i = 0; i < a->nconds; i++)
		if (strcmp(a->conds[i].type, "Overridden") == 0)
			return 1;
	return 2;
}

static int
cmp_anc(const void *x, const void *y)
{
	const struct eff_ancestor *a = x, *b = y;
	int ra = anc_rank(a), rb = anc_rank(b), c;

	if (ra != rb)
		return ra - rb;
	if ((c = strcmp(a->ns, b->ns)) != 0)
		return c;
	return strcmp(a->name, b->name);
}

static void
finish_status(struct engine *g, struct pol_state *ps)
{
	struct eff_policy *p = ps->p;
	struct anc_build *b;
	struct eff_ancestor *last;
	struct eff_condition *c;
	size_t i, j;
	char *m;

	p->nancestors = ps->anc.n;
	p->ancestors = arena_alloc(g->a, (ps->anc.n + 1) * sizeof(*p->ancestors));
	for (i = 0; i < ps->anc.n; i++) {
		b = ps->anc.v[i];
		p->ancestors[i] = b->a;
		for (j = 0; j < b->a.nconds; j++)
			if (strlen(b->a.conds[j].message) > 32768) {
				m = arena_strndup(g->a, b->a.conds[j].message, 32768 -
				    strlen(" (message truncated)."));
				p->ancestors[i].conds[j].message = arena_printf(g->a,
				    "%s (message truncated).", m);
			}
	}
	if (p->nancestors > EFF_MAX_ANCESTORS) {
		/* stable: qsort is not, so sort a copy by (rank, ns, name, index) */
		for (i = 1; i < p->nancestors; i++) {
			struct eff_ancestor tmp = p->ancestors[i];

			for (j = i; j > 0 && cmp_anc(&p->ancestors[j - 1], &tmp) > 0; j--)
				p->ancestors[j] = p->ancestors[j - 1];
			p->ancestors[j] = tmp;
		}
		p->nancestors = EFF_MAX_ANCESTORS;
		last = &p->ancestors[EFF_MAX_ANCESTORS - 1];
		c = arena_alloc(g->a, (last->nconds + 1) * sizeof(*c));
		if (last->nconds)
			memcpy(c, last->conds, last->nconds * sizeof(*c));
		c[last->nconds].type = "Aggregated";
		c[last->nconds].status = "True";
		c[last->nconds].reason = "Aggregated";
		c[last->nconds].message = "Ancestors have been truncated because the "
		    "number of policy ancestors exceeds 16.";
		last->conds = c;
		last->nconds++;
	}
}

void
eng_passes(struct engine *g)
{
	struct effective *e = g->e;
	struct passes P;
	struct pol_state *ps;
	struct eff_target *t;
	int pass;
	size_t i, j;

	memset(&P, 0, sizeof(P));
	P.g = g;
	emap_init(&P.over.nodes, g->a);
	emap_init(&P.merged.nodes, g->a);
	build_parent_map(g);
	for (pass = 0; pass < EFF_SCOPE_COUNT; pass++) {
		for (i = 0; i < e->npolicies; i++) {
			ps = g->pstate[i];
			for (j = 0; j < e->policies[i].ntargets; j++) {
				t = &e->policies[i].targets[j];
				if ((int)t->scope != pass)
					continue;
				if (pass <= EFF_SCOPE_ROUTE)
					do_route(&P, ps, t);
				else if (pass <= EFF_SCOPE_LISTENERSET)
					do_listenerset(&P, ps, t);
				else
					do_gateway(&P, ps, t);
			}
		}
	}
	for (i = 0; i < e->npolicies; i++) {
		finish_status(g, g->pstate[i]);
		pvec_free(&g->pstate[i]->anc);
		pvec_free(&g->pstate[i]->layers);
	}
	for (i = 0; i < P.over.all.n; i++) {
		pvec_free(&((struct scope_node *)P.over.all.v[i])->kids);
		pvec_free(&((struct scope_node *)P.over.all.v[i])->merged);
	}
	for (i = 0; i < P.merged.all.n; i++) {
		pvec_free(&((struct scope_node *)P.merged.all.v[i])->kids);
		pvec_free(&((struct scope_node *)P.merged.all.v[i])->merged);
	}
	pvec_free(&P.over.all);
	pvec_free(&P.merged.all);
}
