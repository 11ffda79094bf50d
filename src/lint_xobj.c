/*
 * lint_xobj.c: what rules know beyond the policy they check (see lint.h):
 * the targets of a policy as written, and the precedence engine's facts
 * (effective.h) grouped by policy, so that cross-object rules report
 * exactly what `btpctl effective --status` decides.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lint.h"
#include "util.h"

struct lint_xobj {
	const struct objset	 *os;
	struct effective	  e;
	const struct eff_fact	**facts;	/* grouped by policy, engine order within */
	size_t			 *first;	/* per object index: its facts start here */
	const struct eff_policy	**pol;		/* per object index */
	unsigned		  kinds;	/* bit per obj_type loaded */
};

struct lint_tcache {
	struct lint_target	*v;
	size_t			 n;
};

static const char *const kinds_l4[] = { "TCPRoute", "TLSRoute", "UDPRoute", NULL };

bool
lint_kind_is_l4(const char *kind)
{
	return kind != NULL && str_in_list(kind, kinds_l4);
}

/* ---- targets as written ---- */

static void
push_target(struct lint_ctx *ctx, struct lint_tcache *tc, size_t *cap,
    const struct node *at, const char *path, bool selector)
{
	struct lint_target *x;

	if (at == NULL || at->kind != NODE_MAP || node_get_str(at, "kind") == NULL)
		return;
	if (!selector && node_get_str(at, "name") == NULL)
		return;
	if (tc->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		x = arena_alloc(ctx->arena, *cap * sizeof(*x));
		if (tc->n > 0)
			memcpy(x, tc->v, tc->n * sizeof(*x));
		tc->v = x;
	}
	x = &tc->v[tc->n++];
	memset(x, 0, sizeof(*x));
	x->kind = node_get_str(at, "kind");
	x->name = selector ? NULL : node_get_str(at, "name");
	x->section = selector ? NULL : node_get_str(at, "sectionName");
	x->at = at;
	x->path = path;
	x->selector = selector;
}

/* "spec.<list>[i]": written out for the first items, which most lists stop at. */
static const char *
ref_path(struct lint_ctx *ctx, const char *list, size_t i)
{
	static const char *const refs[] = {
		"spec.targetRefs[0]", "spec.targetRefs[1]", "spec.targetRefs[2]",
		"spec.targetRefs[3]",
	};

	if (strcmp(list, "targetRefs") == 0 && i < nitems(refs))
		return refs[i];
	return arena_printf(ctx->arena, "spec.%s[%zu]", list, i);
}

size_t
lint_targets(struct lint_ctx *ctx, const struct lint_target **v)
{
	const struct node *spec = ctx->obj->spec, *refs, *sels;
	struct lint_tcache *tc = ctx->tc;
	size_t cap = 0, i;

	if (tc == NULL) {
		tc = ctx->tc = arena_alloc(ctx->arena, sizeof(*tc));
		memset(tc, 0, sizeof(*tc));
		/* the translator uses targetRef when set and then ignores targetRefs */
		if (node_get(spec, "targetRef") != NULL)
			push_target(ctx, tc, &cap, node_get(spec, "targetRef"),
			    "spec.targetRef", false);
		else if ((refs = node_get(spec, "targetRefs")) != NULL &&
		    refs->kind == NODE_SEQ)
			for (i = 0; i < refs->n; i++)
				push_target(ctx, tc, &cap, refs->items[i],
				    ref_path(ctx, "targetRefs", i), false);
		if ((sels = node_get(spec, "targetSelectors")) != NULL &&
		    sels->kind == NODE_SEQ)
			for (i = 0; i < sels->n; i++)
				push_target(ctx, tc, &cap, sels->items[i],
				    ref_path(ctx, "targetSelectors", i), true);
	}
	*v = tc->v;
	return tc->n;
}

const char *
lint_ref_path(struct lint_ctx *ctx, const struct node *ref)
{
	const struct node *spec = ctx->obj->spec, *l;
	static const char *const lists[] = { "targetRefs", "targetSelectors" };
	size_t i, k;

	if (ref != NULL && node_get(spec, "targetRef") == ref)
		return "spec.targetRef";
	for (k = 0; ref != NULL && k < nitems(lists); k++) {
		l = node_get(spec, lists[k]);
		for (i = 0; l != NULL && l->kind == NODE_SEQ && i < l->n; i++)
			if (l->items[i] == ref)
				return arena_printf(ctx->arena, "spec.%s[%zu]", lists[k], i);
	}
	return "spec";
}

/* ---- the engine's facts ---- */

struct lint_xobj *
lint_xobj_new(const struct objset *os)
{
	struct lint_xobj *x = xcalloc(1, sizeof(*x));
	struct eff_opts opts;
	size_t i, j, *fill;

	x->os = os;
	eff_opts_init(&opts);
	opts.facts_only = true;
	effective_compute(&x->e, os, &opts);
	for (i = 0; i < os->n; i++)
		x->kinds |= 1u << (unsigned)os->v[i].type;
	x->pol = xcalloc(os->n + 1, sizeof(*x->pol));
	for (i = 0; i < x->e.npolicies; i++)
		x->pol[x->e.policies[i].obj - os->v] = &x->e.policies[i];
	/* a counting sort by policy keeps the engine's order within each */
	x->first = xcalloc(os->n + 2, sizeof(*x->first));
	for (i = 0; i < x->e.nfacts; i++)
		x->first[x->e.facts[i].policy->obj - os->v + 1]++;
	for (i = 0; i < os->n; i++)
		x->first[i + 1] += x->first[i];
	x->first[os->n + 1] = x->first[os->n];
	fill = xcalloc(os->n + 1, sizeof(*fill));
	memcpy(fill, x->first, os->n * sizeof(*fill));
	x->facts = xcalloc(x->e.nfacts + 1, sizeof(*x->facts));
	for (i = 0; i < x->e.nfacts; i++) {
		j = (size_t)(x->e.facts[i].policy->obj - os->v);
		x->facts[fill[j]++] = &x->e.facts[i];
	}
	free(fill);
	return x;
}

void
lint_xobj_free(struct lint_xobj *x)
{
	if (x == NULL)
		return;
	effective_release(&x->e);
	free(x->facts);
	free(x->first);
	free(x->pol);
	free(x);
}

size_t
lint_facts(struct lint_ctx *ctx, const struct eff_fact *const **v)
{
	size_t i = (size_t)(ctx->obj - ctx->x->os->v);

	*v = ctx->x->facts + ctx->x->first[i];
	return ctx->x->first[i + 1] - ctx->x->first[i];
}

const struct eff_policy *
lint_eff_policy(struct lint_ctx *ctx)
{
	return ctx->x->pol[ctx->obj - ctx->x->os->v];
}

bool
lint_kind_loaded(struct lint_ctx *ctx, const char *kind)
{
	unsigned t;

	for (t = 0; t < OBJ_OTHER; t++)
		if ((ctx->x->kinds & (1u << t)) != 0 &&
		    (strcmp(obj_type_kind((enum obj_type)t), kind) == 0 ||
		    (t == OBJ_LISTENERSET && strcmp(kind, "XListenerSet") == 0)))
			return true;
	return false;
}

const char *
lint_ref_namespace(const struct node *ref, const char *ns)
{
	const char *s = node_get_str(ref, "namespace");

	return s != NULL && strcmp(s, ns) != 0 ? s : NULL;
}

bool
lint_conflict_by_order(const struct eff_fact *f)
{
	return f->by_input_order || f->other == NULL ||
	    object_timestamp(f->policy->obj) == NULL ||
	    object_timestamp(f->other->obj) == NULL;
}

bool
lint_inherits(struct lint_ctx *ctx, const char *const *fields)
{
	const struct lint_xobj *x = ctx->x;
	size_t i = (size_t)(ctx->obj - x->os->v), k, layers = 0;
	const struct eff_fact *f;
	const char *const *fl;
	bool has;

	for (k = x->first[i]; k < x->first[i + 1]; k++) {
		f = x->facts[k];
		if (f->kind != EFF_FACT_LAYERED)
			continue;
		if (f->other == NULL)
			return false;	/* somewhere it applies alone */
		layers++;
		/* set as the typed model counts it: the key is there */
		for (has = false, fl = fields; !has && *fl != NULL; fl++)
			has = node_path(f->other->spec, *fl) != NULL;
		if (!has)
			return false;
	}
	return layers > 0;
}
