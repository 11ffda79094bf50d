/*
 * lint_xobj.c: the cross-object facts rules need (see lint.h): the
 * targets of each policy, Gateway API objects by kind, namespace and name,
 * and which policies claim the same scope.  Built once per run with
 * sorted arrays, so every lookup is a binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "util.h"

struct obj_entry {
	const char		*kind, *ns, *name;
	const struct object	*obj;
};

struct scope_entry {
	const char		*kind, *ns, *name, *section;	/* section "" when none */
	struct lint_scope_entry	 e;
	size_t			 order;
};

struct policy_targets {
	struct lint_target	*v;
	size_t			 n;
};

struct lint_index {
	const struct objset	*os;
	struct obj_entry	*by_ns;		/* kind, ns, name */
	struct obj_entry	*by_name;	/* kind, name, ns */
	size_t			 nobj;
	struct scope_entry	*scopes;	/* kind, ns, name, section, then precedence */
	size_t			 nscopes, capscopes;
	struct policy_targets	*targets;	/* per object index in os */
	struct lint_scope_entry	*tmp;		/* results of the last scope query */
	size_t			 ntmp, captmp;
	char			**strings;	/* paths we formatted */
	size_t			 nstrings, capstrings;
};

static const char *const kinds_l4[] = { "TCPRoute", "TLSRoute", "UDPRoute", NULL };
static const char *const kinds_route[] = { "HTTPRoute", "GRPCRoute", "TCPRoute",
    "TLSRoute", "UDPRoute", NULL };

static bool
in_list(const char *s, const char *const *l)
{
	for (; s != NULL && *l != NULL; l++)
		if (strcmp(s, *l) == 0)
			return true;
	return false;
}

bool
lint_kind_is_l4(const char *kind)
{
	return in_list(kind, kinds_l4);
}

bool
lint_kind_is_route(const char *kind)
{
	return in_list(kind, kinds_route);
}

static const char *
keep(struct lint_index *ix, char *s)
{
	if (ix->nstrings == ix->capstrings) {
		ix->capstrings = ix->capstrings ? ix->capstrings * 2 : 64;
		ix->strings = xreallocarray(ix->strings, ix->capstrings, sizeof(char *));
	}
	ix->strings[ix->nstrings++] = s;
	return s;
}

static int
cmp3(const char *a1, const char *a2, const char *a3, const char *b1, const char *b2,
    const char *b3)
{
	int c;

	if ((c = strcmp(a1, b1)) != 0 || (c = strcmp(a2, b2)) != 0)
		return c;
	return strcmp(a3, b3);
}

static int
cmp_by_ns(const void *a, const void *b)
{
	const struct obj_entry *x = a, *y = b;
	int c = cmp3(x->kind, x->ns, x->name, y->kind, y->ns, y->name);

	return c ? c : (x->obj->order < y->obj->order ? -1 : x->obj->order > y->obj->order);
}

static int
cmp_by_name(const void *a, const void *b)
{
	const struct obj_entry *x = a, *y = b;
	int c = cmp3(x->kind, x->name, x->ns, y->kind, y->name, y->ns);

	return c ? c : (x->obj->order < y->obj->order ? -1 : x->obj->order > y->obj->order);
}

/* Envoy Gateway's order: creationTimestamp (absent sorts first), namespace, name; then input order. */
static int
cmp_scope(const void *a, const void *b)
{
	const struct scope_entry *x = a, *y = b;
	const char *tx, *ty;
	int c;

	if ((c = cmp3(x->kind, x->ns, x->name, y->kind, y->ns, y->name)) != 0 ||
	    (c = strcmp(x->section, y->section)) != 0)
		return c;
	tx = x->e.timestamp ? x->e.timestamp : "";
	ty = y->e.timestamp ? y->e.timestamp : "";
	if ((c = strcmp(tx, ty)) != 0)
		return c;
	if ((c = strcmp(object_ns(x->e.policy), object_ns(y->e.policy))) != 0 ||
	    (c = strcmp(x->e.policy->name, y->e.policy->name)) != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void
add_scope(struct lint_index *ix, const struct object *p, const char *kind,
    const char *ns, const char *name, const char *section, const struct node *at)
{
	struct scope_entry *s;

	if (ix->nscopes == ix->capscopes) {
		ix->capscopes = ix->capscopes ? ix->capscopes * 2 : 64;
		ix->scopes = xreallocarray(ix->scopes, ix->capscopes, sizeof(*ix->scopes));
	}
	s = &ix->scopes[ix->nscopes];
	s->kind = kind;
	s->ns = ns;
	s->name = name;
	s->section = section ? section : "";
	s->e.policy = p;
	s->e.at = at;
	s->e.timestamp = object_timestamp(p);
	s->order = ix->nscopes++;
}

static void
push_target(struct policy_targets *t, size_t *cap, const struct lint_target *x)
{
	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		t->v = xreallocarray(t->v, *cap, sizeof(*t->v));
	}
	t->v[t->n++] = *x;
}

static const char *
str_member(const struct node *map, const char *key)
{
	const struct node *v = node_get(map, key);

	return v != NULL && v->kind == NODE_STRING ? v->str : NULL;
}

static void
ref_target(struct lint_index *ix, struct policy_targets *t, size_t *cap,
    const struct node *ref, const char *path)
{
	struct lint_target x;

	if (ref == NULL || ref->kind != NODE_MAP)
		return;
	memset(&x, 0, sizeof(x));
	x.kind = str_member(ref, "kind");
	x.name = str_member(ref, "name");
	x.section = str_member(ref, "sectionName");
	x.at = ref;
	x.path = keep(ix, xstrdup(path));
	if (x.kind == NULL || x.name == NULL)
		return;
	push_target(t, cap, &x);
}

/* Does labels satisfy a label selector (matchLabels and matchExpressions)? */
static bool
labels_match(const struct node *labels, const struct node *sel)
{
	const struct node *ml = node_get(sel, "matchLabels");
	const struct node *me = node_get(sel, "matchExpressions");
	const struct node *v, *vals;
	const char *op, *key;
	size_t i, j;
	bool in;

	if (ml != NULL && ml->kind == NODE_MAP)
		for (i = 0; i < ml->n; i++) {
			v = node_get(labels, ml->pairs[i].key->str);
			if (v == NULL || !node_is_scalar(v) || ml->pairs[i].val == NULL ||
			    !node_is_scalar(ml->pairs[i].val) ||
			    strcmp(v->str, ml->pairs[i].val->str) != 0)
				return false;
		}
	if (me == NULL || me->kind != NODE_SEQ)
		return true;
	for (i = 0; i < me->n; i++) {
		key = str_member(me->items[i], "key");
		op = str_member(me->items[i], "operator");
		vals = node_get(me->items[i], "values");
		if (key == NULL || op == NULL)
			return false;
		v = node_get(labels, key);
		in = false;
		if (v != NULL && node_is_scalar(v) && vals != NULL && vals->kind == NODE_SEQ)
			for (j = 0; j < vals->n; j++)
				if (node_is_scalar(vals->items[j]) && strcmp(vals->items[j]->str, v->str) == 0)
					in = true;
		if ((strcmp(op, "In") == 0 && !in) || (strcmp(op, "NotIn") == 0 && in) ||
		    (strcmp(op, "Exists") == 0 && v == NULL) ||
		    (strcmp(op, "DoesNotExist") == 0 && v != NULL))
			return false;
	}
	return true;
}

/* Scopes claimed through a selector: matching objects in the policy's namespace (or all). */
static void
selector_scopes(struct lint_index *ix, const struct object *p, const struct node *sel,
    const char *kind)
{
	const struct node *nsn = node_get(sel, "namespaces");
	const char *from = nsn ? str_member(nsn, "from") : NULL;
	const struct object *o;
	size_t i;

	if (from != NULL && strcmp(from, "Selector") == 0)
		return;		/* needs Namespace labels; not resolved here */
	for (i = 0; i < ix->nobj; i++) {
		if (strcmp(ix->by_ns[i].kind, kind) != 0)
			continue;
		o = ix->by_ns[i].obj;
		if ((from == NULL || strcmp(from, "All") != 0) &&
		    strcmp(object_ns(o), object_ns(p)) != 0)
			continue;
		if (labels_match(o->metadata ? node_get(o->metadata, "labels") : NULL, sel))
			add_scope(ix, p, ix->by_ns[i].kind, object_ns(o), o->name, NULL, sel);
	}
}

static void
policy_targets(struct lint_index *ix, const struct object *p, struct policy_targets *t)
{
	size_t cap = 0, i;
	const struct node *spec = p->spec, *refs, *sels;
	struct lint_target x;
	char path[64];

	if (spec == NULL || spec->kind != NODE_MAP)
		return;
	/* the translator uses targetRef when set and then ignores targetRefs */
	if (node_get(spec, "targetRef") != NULL)
		ref_target(ix, t, &cap, node_get(spec, "targetRef"), "spec.targetRef");
	else if ((refs = node_get(spec, "targetRefs")) != NULL && refs->kind == NODE_SEQ)
		for (i = 0; i < refs->n; i++) {
			snprintf(path, sizeof(path), "spec.targetRefs[%zu]", i);
			ref_target(ix, t, &cap, refs->items[i], path);
		}
	for (i = 0; i < t->n; i++)
		add_scope(ix, p, t->v[i].kind, object_ns(p), t->v[i].name, t->v[i].section,
		    t->v[i].at);
	if ((sels = node_get(spec, "targetSelectors")) == NULL || sels->kind != NODE_SEQ)
		return;
	for (i = 0; i < sels->n; i++) {
		if (sels->items[i]->kind != NODE_MAP ||
		    (x.kind = str_member(sels->items[i], "kind")) == NULL)
			continue;
		memset(&x, 0, sizeof(x));
		x.kind = str_member(sels->items[i], "kind");
		x.at = sels->items[i];
		x.selector = true;
		snprintf(path, sizeof(path), "spec.targetSelectors[%zu]", i);
		x.path = keep(ix, xstrdup(path));
		push_target(t, &cap, &x);
		selector_scopes(ix, p, sels->items[i], x.kind);
	}
}

struct lint_index *
lint_index_new(const struct objset *os)
{
	struct lint_index *ix = xcalloc(1, sizeof(*ix));
	size_t i, n = 0;

	ix->os = os;
	ix->by_ns = xcalloc(os->n + 1, sizeof(*ix->by_ns));
	for (i = 0; i < os->n; i++) {
		const struct object *o = &os->v[i];

		if (o->type == OBJ_BTP || o->type == OBJ_OTHER || o->type == OBJ_NAMESPACE ||
		    o->type == OBJ_REFERENCEGRANT)
			continue;
		ix->by_ns[n].kind = obj_type_kind(o->type);
		ix->by_ns[n].ns = object_ns(o);
		ix->by_ns[n].name = o->name;
		ix->by_ns[n].obj = o;
		n++;
	}
	ix->nobj = n;
	ix->by_name = xcalloc(n + 1, sizeof(*ix->by_name));
	memcpy(ix->by_name, ix->by_ns, n * sizeof(*ix->by_ns));
	qsort(ix->by_ns, n, sizeof(*ix->by_ns), cmp_by_ns);
	qsort(ix->by_name, n, sizeof(*ix->by_name), cmp_by_name);
	ix->targets = xcalloc(os->n + 1, sizeof(*ix->targets));
	for (i = 0; i < os->n; i++)
		if (os->v[i].type == OBJ_BTP)
			policy_targets(ix, &os->v[i], &ix->targets[i]);
	if (ix->nscopes > 1)
		qsort(ix->scopes, ix->nscopes, sizeof(*ix->scopes), cmp_scope);
	return ix;
}

void
lint_index_free(struct lint_index *ix)
{
	size_t i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->os->n; i++)
		free(ix->targets[i].v);
	for (i = 0; i < ix->nstrings; i++)
		free(ix->strings[i]);
	free(ix->strings);
	free(ix->targets);
	free(ix->by_ns);
	free(ix->by_name);
	free(ix->scopes);
	free(ix->tmp);
	free(ix);
}

size_t
lint_targets(struct lint_ctx *ctx, const struct lint_target **v)
{
	size_t i = (size_t)(ctx->obj - ctx->os->v);

	*v = ctx->ix->targets[i].v;
	return ctx->ix->targets[i].n;
}

/* First entry of a sorted array not less than the key (lower bound). */
static size_t
lower(const struct obj_entry *v, size_t n, const char *k, const char *a, const char *b,
    bool by_ns)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = by_ns ? cmp3(v[mid].kind, v[mid].ns, v[mid].name, k, a, b) :
		    cmp3(v[mid].kind, v[mid].name, v[mid].ns, k, a, b);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct object *
lint_index_find(const struct lint_index *ix, const char *kind, const char *ns,
    const char *name)
{
	size_t i = lower(ix->by_ns, ix->nobj, kind, ns, name, true);

	if (i < ix->nobj && cmp3(ix->by_ns[i].kind, ix->by_ns[i].ns, ix->by_ns[i].name,
	    kind, ns, name) == 0)
		return ix->by_ns[i].obj;
	return NULL;
}

const struct object *
lint_index_find_elsewhere(const struct lint_index *ix, const char *kind, const char *ns,
    const char *name)
{
	size_t i = lower(ix->by_name, ix->nobj, kind, name, "", false);

	for (; i < ix->nobj && strcmp(ix->by_name[i].kind, kind) == 0 &&
	    strcmp(ix->by_name[i].name, name) == 0; i++)
		if (strcmp(ix->by_name[i].ns, ns) != 0)
			return ix->by_name[i].obj;
	return NULL;
}

bool
lint_index_has_kind(const struct lint_index *ix, const char *kind)
{
	size_t i = lower(ix->by_ns, ix->nobj, kind, "", "", true);

	return i < ix->nobj && strcmp(ix->by_ns[i].kind, kind) == 0;
}

static size_t
scope_query(struct lint_index *ix, const char *kind, const char *ns, const char *name,
    const char *section, const struct lint_scope_entry **v)
{
	size_t lo = 0, hi = ix->nscopes, mid;
	int c;

	if (section == NULL)
		section = "";
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp3(ix->scopes[mid].kind, ix->scopes[mid].ns, ix->scopes[mid].name,
		    kind, ns, name);
		if (c == 0)
			c = strcmp(ix->scopes[mid].section, section);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	ix->ntmp = 0;
	for (; lo < ix->nscopes && cmp3(ix->scopes[lo].kind, ix->scopes[lo].ns,
	    ix->scopes[lo].name, kind, ns, name) == 0 &&
	    strcmp(ix->scopes[lo].section, section) == 0; lo++) {
		/* one entry per policy (a policy may name a scope twice) */
		if (ix->ntmp > 0 && ix->tmp[ix->ntmp - 1].policy == ix->scopes[lo].e.policy)
			continue;
		if (ix->ntmp == ix->captmp) {
			ix->captmp = ix->captmp ? ix->captmp * 2 : 8;
			ix->tmp = xreallocarray(ix->tmp, ix->captmp, sizeof(*ix->tmp));
		}
		ix->tmp[ix->ntmp++] = ix->scopes[lo].e;
	}
	*v = ix->tmp;
	return ix->ntmp;
}

size_t
lint_scope_policies(struct lint_ctx *ctx, const struct lint_target *t,
    const struct lint_scope_entry **v)
{
	return scope_query(ctx->ix, t->kind, object_ns(ctx->obj), t->name, t->section, v);
}

size_t
lint_gateway_policies(struct lint_ctx *ctx, const char *ns, const char *name,
    const struct lint_scope_entry **v)
{
	return scope_query(ctx->ix, "Gateway", ns, name, NULL, v);
}
