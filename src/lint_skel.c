/*
 * lint_skel.c: the compact copy of an object that lint keeps after its
 * document is gone (see lint_internal.h).
 *
 * The second pass needs what the precedence engine reads in its
 * facts-only mode (effective.h), what the second-pass rules read, and what
 * suppressions need; nothing else survives:
 *   - every object: its name, namespace, kind and apiVersion (in the
 *     struct object), and of metadata the creationTimestamp that orders
 *     policies and the labels selectors match (policies: the
 *     btpctl.io/ignore annotation instead);
 *   - BackendTrafficPolicy: every top-level key of spec (facts point at
 *     them), with the whole target references, targetSelectors and
 *     mergeType, the keys of timeout and healthCheck, and for the others
 *     an empty map or sequence, or the scalar;
 *   - routes: parentRefs, hostnames and the names of the rules;
 *   - Gateways, ListenerSets, ReferenceGrants, Namespaces: their whole spec.
 *
 * What findings point at keeps its location: the object's root, a
 * policy's top-level spec keys, the keys under timeout and healthCheck,
 * target references and their namespace and sectionName keys, mergeType,
 * the annotation.  Other keys and the scalars that repeat (kinds, groups,
 * namespaces) are read for their text alone: they are shared, one node
 * per distinct scalar in a worker, without a location.  Nobody changes a
 * copy (effective.h works on copies of its own), so sharing is safe.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "arena.h"
#include "lint_internal.h"
#include "objects.h"
#include "util.h"

struct slot {
	size_t		 hash;
	struct node	*node;		/* NULL: free */
};

struct skel {
	struct arena	 *a;
	struct slot	 *slots;	/* shared scalars, open addressing */
	size_t		  n, cap;	/* cap: 0 or a power of two */
	struct node	 *empty_map, *empty_seq;
};

struct skel *
skel_new(struct arena *a)
{
	struct skel *s = xcalloc(1, sizeof(*s));

	s->a = a;
	return s;
}

void
skel_free(struct skel *s)
{
	if (s == NULL)
		return;
	free(s->slots);
	free(s);
}

static bool
same_scalar(const struct node *x, const struct node *y)
{
	return x->kind == y->kind && x->quoted == y->quoted && x->len == y->len &&
	    memcmp(x->str, y->str, x->len) == 0 &&
	    (x->tag == y->tag || (x->tag != NULL && y->tag != NULL &&
	    strcmp(x->tag, y->tag) == 0));
}

static size_t
scalar_hash(const struct node *n)
{
	return (size_t)XXH3_64bits_withSeed(n->str, n->len,
	    (unsigned)n->kind * 2u + n->quoted);
}

static struct node *
copy_scalar(struct arena *a, const struct node *n, bool located)
{
	struct node *c = arena_alloc_raw(a, sizeof(*c));

	*c = *n;
	c->str = n->len > 0 ? arena_strndup(a, n->str, n->len) : "";
	if (n->tag != NULL)
		c->tag = arena_strdup(a, n->tag);
	c->n = 0;
	c->pairs = NULL;
	c->items = NULL;
	if (!located)
		memset(&c->loc, 0, sizeof(c->loc));
	return c;
}

static void
grow(struct skel *s)
{
	struct slot *old = s->slots;
	size_t ocap = s->cap, i, k;

	s->cap = ocap ? ocap * 2 : 1024;
	s->slots = xcalloc(s->cap, sizeof(*s->slots));
	for (i = 0; i < ocap; i++) {
		if (old[i].node == NULL)
			continue;
		for (k = old[i].hash & (s->cap - 1); s->slots[k].node != NULL;
		    k = (k + 1) & (s->cap - 1))
			;
		s->slots[k] = old[i];
	}
	free(old);
}

/* The shared empty map or sequence (of n's kind). */
static struct node *
empty(struct skel *s, const struct node *n)
{
	struct node **e;

	e = n->kind == NODE_MAP ? &s->empty_map : &s->empty_seq;
	if (*e == NULL) {
		*e = arena_alloc(s->a, sizeof(**e));
		(*e)->kind = n->kind;
		(*e)->str = "";
	}
	return *e;
}

/*
 * The shared, location-free node for scalar n (for a map or sequence: the
 * shared empty one, its content dropped).  Keys and the values that
 * repeat (kinds, groups, namespaces) are worth sharing; names are not.
 */
static struct node *
shared(struct skel *s, const struct node *n)
{
	size_t k, h;

	if (n->kind == NODE_MAP || n->kind == NODE_SEQ)
		return empty(s, n);
	if (2 * (s->n + 1) > s->cap)
		grow(s);
	h = scalar_hash(n);
	for (k = h & (s->cap - 1); s->slots[k].node != NULL; k = (k + 1) & (s->cap - 1))
		if (s->slots[k].hash == h && same_scalar(s->slots[k].node, n))
			return s->slots[k].node;
	s->n++;
	s->slots[k].hash = h;
	return s->slots[k].node = copy_scalar(s->a, n, false);
}

/* A scalar read for its text alone: its own copy, without a location. */
static struct node *
plain(struct skel *s, const struct node *n)
{
	return copy_scalar(s->a, n, false);
}

/* A map or sequence node like n, with room for max entries. */
static struct node *
container(struct skel *s, const struct node *n, size_t max, bool located)
{
	struct node *c = copy_scalar(s->a, n, located);

	if (n->kind == NODE_MAP && max > 0)
		c->pairs = arena_alloc(s->a, node_cap(max) * sizeof(*c->pairs));
	else if (n->kind == NODE_SEQ && max > 0)
		c->items = arena_alloc(s->a, node_cap(max) * sizeof(*c->items));
	return c;
}

static bool
is_container(const struct node *n)
{
	return n->kind == NODE_MAP || n->kind == NODE_SEQ;
}

/* Is the value of this key usually different in every object? */
static bool
unique(const char *key)
{
	return strcmp(key, "name") == 0 || strcmp(key, "creationTimestamp") == 0;
}

/* The whole of n; containers keep their location when located. */
static struct node *
deep(struct skel *s, const struct node *n, bool located)
{
	struct node *c;
	size_t i;

	if (n->kind != NODE_MAP && n->kind != NODE_SEQ)
		return located ? copy_scalar(s->a, n, true) : shared(s, n);
	c = container(s, n, n->n, located);
	for (i = 0; i < n->n; i++) {
		if (n->kind == NODE_MAP) {
			const struct node *k = n->pairs[i].key, *v = n->pairs[i].val;

			c->pairs[i].key = located ? copy_scalar(s->a, k, true) : shared(s, k);
			c->pairs[i].val = !located && !is_container(v) && unique(k->str) ?
			    plain(s, v) : deep(s, v, located);
		} else
			c->items[i] = deep(s, n->items[i], located);
	}
	c->n = n->n;
	return c;
}

static void
put(struct skel *s, struct node *map, const struct node_pair *p, struct node *val,
    bool located)
{
	map->pairs[map->n].key = located ? copy_scalar(s->a, p->key, true) :
	    shared(s, p->key);
	map->pairs[map->n].val = val;
	map->n++;
}

/*
 * What metadata must keep beyond the name and namespace (which the object
 * keeps): the creationTimestamp that orders policies, and the labels
 * selectors match (policies: the btpctl.io/ignore annotation instead).
 * NULL when none of it is there.
 */
static struct node *
skel_metadata(struct skel *s, const struct node *md, bool policy)
{
	const struct node *ann;
	struct node *c = NULL, *cann;
	size_t i, j;

	for (i = 0; md->kind == NODE_MAP && i < md->n; i++) {
		const struct node_pair *p = &md->pairs[i];
		const char *k = p->key->str;

		if (strcmp(k, "creationTimestamp") != 0 && strcmp(k, policy ? "annotations" :
		    "labels") != 0)
			continue;
		if (c == NULL)
			c = container(s, md, 3, false);
		if (strcmp(k, "annotations") != 0 || p->val->kind != NODE_MAP) {
			put(s, c, p, !is_container(p->val) ? plain(s, p->val) :
			    deep(s, p->val, false), false);
			continue;
		}
		ann = p->val;
		cann = container(s, ann, 1, false);
		for (j = 0; j < ann->n; j++)
			if (strcmp(ann->pairs[j].key->str, IGNORE_ANNOTATION) == 0) {
				/* suppressions point at its value */
				put(s, cann, &ann->pairs[j], deep(s, ann->pairs[j].val, true),
				    false);
				break;
			}
		put(s, c, p, cann, false);
	}
	return c;
}

/*
 * A target reference: findings point at the reference and at its
 * namespace and sectionName keys; the rest is read for its text.
 */
static struct node *
skel_ref(struct skel *s, const struct node *ref)
{
	struct node *c;
	const char *k;
	size_t i;

	if (ref->kind != NODE_MAP)
		return deep(s, ref, true);
	c = container(s, ref, ref->n, true);
	for (i = 0; i < ref->n; i++) {
		k = ref->pairs[i].key->str;
		put(s, c, &ref->pairs[i], !is_container(ref->pairs[i].val) && unique(k) ?
		    plain(s, ref->pairs[i].val) : deep(s, ref->pairs[i].val, false),
		    strcmp(k, "namespace") == 0 || strcmp(k, "sectionName") == 0);
	}
	return c;
}

static struct node *
skel_refs(struct skel *s, const struct node *refs)
{
	struct node *c;
	size_t i;

	if (refs->kind != NODE_SEQ)
		return skel_ref(s, refs);
	c = container(s, refs, refs->n, true);
	for (i = 0; i < refs->n; i++)
		c->items[c->n++] = skel_ref(s, refs->items[i]);
	return c;
}

static struct node *
skel_policy_spec(struct skel *s, const struct node *spec)
{
	static const char *const whole[] = { "targetSelectors", "mergeType", NULL };
	const struct node *v;
	struct node *c, *t;
	size_t i, j;

	if (spec->kind != NODE_MAP)
		return deep(s, spec, true);
	c = container(s, spec, spec->n, true);
	for (i = 0; i < spec->n; i++) {
		const struct node_pair *p = &spec->pairs[i];

		v = p->val;
		if (strcmp(p->key->str, "targetRef") == 0 ||
		    strcmp(p->key->str, "targetRefs") == 0)
			t = skel_refs(s, v);
		else if (str_in_list(p->key->str, whole))
			t = deep(s, v, true);
		else if ((strcmp(p->key->str, "timeout") == 0 ||
		    strcmp(p->key->str, "healthCheck") == 0) && v->kind == NODE_MAP) {
			t = container(s, v, v->n, true);
			for (j = 0; j < v->n; j++)
				put(s, t, &v->pairs[j], shared(s, v->pairs[j].val), true);
		} else
			t = shared(s, v);
		put(s, c, p, t, true);
	}
	return c;
}

static struct node *
skel_route_spec(struct skel *s, const struct node *spec)
{
	const struct node *rules, *r;
	struct node *c, *cr, *item;
	size_t i, j, k;

	if (spec->kind != NODE_MAP)
		return shared(s, spec);
	c = container(s, spec, spec->n, false);
	for (i = 0; i < spec->n; i++) {
		const struct node_pair *p = &spec->pairs[i];

		if (strcmp(p->key->str, "parentRefs") == 0 ||
		    strcmp(p->key->str, "hostnames") == 0) {
			put(s, c, p, deep(s, p->val, false), false);
			continue;
		}
		if (strcmp(p->key->str, "rules") != 0)
			continue;
		rules = p->val;
		if (rules->kind != NODE_SEQ) {
			put(s, c, p, shared(s, rules), false);
			continue;
		}
		cr = container(s, rules, rules->n, false);
		for (j = 0; j < rules->n; j++) {
			r = rules->items[j];
			item = container(s, r, 1, false);
			for (k = 0; r->kind == NODE_MAP && k < r->n; k++)
				if (strcmp(r->pairs[k].key->str, "name") == 0) {
					put(s, item, &r->pairs[k], shared(s, r->pairs[k].val),
					    false);
					break;
				}
			cr->items[cr->n++] = item;
		}
		put(s, c, p, cr, false);
	}
	return c;
}

static struct node *
skel_root(struct skel *s, const struct object *o)
{
	const struct node *root = o->root;
	struct node *c, *md;
	size_t i;

	if (root->kind != NODE_MAP)
		return deep(s, root, true);
	/* the root keeps its location: findings about the object point there */
	c = container(s, root, 2, true);
	for (i = 0; i < root->n; i++) {
		const struct node_pair *p = &root->pairs[i];
		const char *k = p->key->str;

		if (strcmp(k, "metadata") == 0) {
			if ((md = skel_metadata(s, p->val, o->type == OBJ_BTP)) != NULL)
				put(s, c, p, md, false);
		} else if (strcmp(k, "spec") != 0)
			continue;
		else if (o->type == OBJ_BTP)
			put(s, c, p, skel_policy_spec(s, p->val), false);
		else if (o->type >= OBJ_HTTPROUTE && o->type <= OBJ_UDPROUTE)
			put(s, c, p, skel_route_spec(s, p->val), false);
		else
			put(s, c, p, deep(s, p->val, false), false);
	}
	return c;
}

/* A string of the object's, shared when it repeats. */
static const char *
text(struct skel *s, const struct node *map, const char *key, bool repeats)
{
	const struct node *v = node_get(map, key);

	if (v == NULL || v->kind == NODE_MAP || v->kind == NODE_SEQ)
		return NULL;
	return (repeats ? shared(s, v) : plain(s, v))->str;
}

void
lint_skeleton(struct skel *s, const struct object *o, struct object *c)
{
	const struct node *md = node_get(o->root, "metadata");
	const char *ns = text(s, md, "namespace", true);

	*c = *o;
	c->doc = NULL;
	c->root = skel_root(s, o);
	c->metadata = node_get(c->root, "metadata");
	c->spec = node_get(c->root, "spec");
	/* the object's own strings, which the copy has no nodes for */
	c->api_version = o->api_version != NULL ? text(s, o->root, "apiVersion", true) : NULL;
	c->kind = text(s, o->root, "kind", true);
	c->ns = ns != NULL && o->ns[0] != '\0' ? ns : "";
	c->name = o->name[0] != '\0' ? arena_strdup(s->a, o->name) : "";
}

void
lint_full_copy(struct skel *s, const struct object *o, struct object *c)
{
	*c = *o;
	c->doc = NULL;
	c->root = deep(s, o->root, true);
	c->metadata = node_get(c->root, "metadata");
	c->spec = node_get(c->root, "spec");
	c->api_version = node_get_str(c->root, "apiVersion");
	c->kind = node_get_str(c->root, "kind");
	c->ns = o->ns[0] != '\0' ? node_get_str(c->metadata, "namespace") : "";
	c->name = o->name[0] != '\0' ? node_get_str(c->metadata, "name") : "";
}
