/*
 * diff.c: the object diff (see diff.h): identity matching through a hash
 * table, then a walk of both trees side by side that records each change
 * with its API path.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xxhash.h>

#include "arena.h"
#include "diag.h"
#include "diff_int.h"
#include "objects.h"
#include "units.h"
#include "util.h"

struct walk {
	struct arena		*a;
	const struct diff_opts	*opts;
	struct strbuf		 path;	/* API path shown to users */
	struct strbuf		 spath;	/* schema path, list items as "[]" */
	struct diff_change	*v;
	size_t			 n, cap;
};

static void	walk_value(struct walk *, const struct node *schema,
		    const struct node *o, const struct node *n);

/* ---- scalars ---- */

static bool
schema_is_duration(const struct node *schema)
{
	const char *pat = node_get_str(schema, "pattern");

	return pat != NULL && strstr(pat, "(h|m|s|ms)") != NULL;
}

static bool
schema_is_quantity(const struct node *schema)
{
	const struct node *x = node_get(schema, "x-kubernetes-int-or-string");

	return x != NULL && x->kind == NODE_BOOL && x->b;
}

static bool
as_duration(const struct node *n, int64_t *ns)
{
	if (n->kind != NODE_STRING)
		return false;
	return units_gwapi_duration(n->str, ns) || units_go_duration(n->str, ns);
}

static bool
as_quantity(const struct node *n, int64_t *v)
{
	if (n->kind == NODE_INT) {
		*v = n->i;
		return true;
	}
	return n->kind == NODE_STRING && units_quantity(n->str, v);
}

bool
diff_scalar_equal(const struct node *schema, const char *spath,
    const struct node *a, const struct node *b)
{
	int64_t x, y;
	bool guess;

	if (node_equal(a, b))
		return true;
	if (!node_is_scalar(a) || !node_is_scalar(b))
		return false;
	/*
	 * Known durations and quantities; under spec, also values of fields
	 * the schema does not know (the description's spellings, Gateway API
	 * objects) that both read as one.  Never labels or annotations.
	 */
	guess = schema == NULL && spath != NULL && str_has_prefix(spath, "spec.");
	if ((guess || schema_is_duration(schema)) &&
	    as_duration(a, &x) && as_duration(b, &y))
		return x == y;
	if ((guess || schema_is_quantity(schema)) &&
	    as_quantity(a, &x) && as_quantity(b, &y))
		return x == y;
	if (spath != NULL && a->kind == NODE_STRING && b->kind == NODE_STRING &&
	    a->len == b->len && diff_nocase(spath))
		return strncasecmp(a->str, b->str, a->len) == 0;
	return false;
}

/* ---- recording ---- */

static void
record(struct walk *w, const struct node *o, const struct node *n)
{
	struct diff_change *c;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->v = xreallocarray(w->v, w->cap, sizeof(*w->v));
	}
	c = &w->v[w->n++];
	c->op = o == NULL ? DIFF_ADDED : n == NULL ? DIFF_REMOVED : DIFF_CHANGED;
	c->path = arena_strndup(w->a, w->path.buf, w->path.len);
	c->old_val = o;
	c->new_val = n;
	c->impact = NULL;
	c->old_from = c->new_from = NULL;
}

/* Does key need quoting in a path (dots, brackets, spaces...)? */
static bool
plain_key(const char *k)
{
	const char *p;

	if (*k == '\0')
		return false;
	for (p = k; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

static void
push_key(struct walk *w, const char *key)
{
	if (plain_key(key)) {
		if (w->path.len > 0)
			sb_addc(&w->path, '.');
		sb_adds(&w->path, key);
	} else
		sb_printf(&w->path, "[\"%s\"]", key);
	if (w->spath.len > 0)
		sb_addc(&w->spath, '.');
	sb_adds(&w->spath, key);
}

static void
truncate_to(struct walk *w, size_t plen, size_t slen)
{
	w->path.len = plen;
	w->path.buf[plen] = '\0';
	w->spath.len = slen;
	w->spath.buf[slen] = '\0';
}

static void
walk_init(struct walk *w, struct arena *a, const struct diff_opts *opts)
{
	memset(w, 0, sizeof(*w));
	w->a = a;
	w->opts = opts;
	sb_init(&w->path);
	sb_init(&w->spath);
}

/* ---- one side absent ---- */

static const struct node	empty_map = { .kind = NODE_MAP, .str = "" };

/*
 * Is the present value what the absent side stands for?  Only asked with
 * --ignore-defaults.
 */
static bool
equals_default(struct walk *w, const struct node *schema, const struct node *v)
{
	const struct node *d = diff_default(schema, w->spath.buf);
	struct walk sub;
	bool same;

	if (d != NULL && node_is_scalar(d))
		return diff_scalar_equal(schema, w->spath.buf, d, v);
	if (d == NULL && (v->kind != NODE_MAP || !diff_absent_is_default(w->spath.buf)))
		return false;
	/* a list default, or a block that spells only defaults */
	walk_init(&sub, w->a, w->opts);
	sb_adds(&sub.path, w->path.buf);
	sb_adds(&sub.spath, w->spath.buf);
	walk_value(&sub, schema, d != NULL ? d : &empty_map, v);
	same = sub.n == 0;
	free(sub.v);
	sb_release(&sub.path);
	sb_release(&sub.spath);
	return same;
}

/* ---- sorted string index (no quadratic matching on big maps and lists) ---- */

struct sidx {
	const char	*s;
	size_t		 len;
	size_t		 i;		/* position in the map or list */
};

static int
sidx_cmp(const void *x, const void *y)
{
	const struct sidx *a = x, *b = y;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->s, b->s, a->len);
}

/* Index of strings v[0..n) (or of map keys when v is NULL), sorted. */
static struct sidx *
sidx_build(struct arena *a, char *const *v, const struct node *map, size_t n)
{
	struct sidx *x = arena_alloc(a, (n + 1) * sizeof(*x));
	size_t i;

	for (i = 0; i < n; i++) {
		x[i].s = v ? v[i] : map->pairs[i].key->str;
		x[i].len = v ? strlen(v[i]) : map->pairs[i].key->len;
		x[i].i = i;
	}
	if (n > 1)
		qsort(x, n, sizeof(*x), sidx_cmp);
	return x;
}

/* Position of s in the indexed set, or -1. */
static ssize_t
sidx_find(const struct sidx *x, size_t n, const char *s, size_t len)
{
	struct sidx want = { s, len, 0 };
	const struct sidx *hit;

	if (n == 0)
		return -1;
	hit = bsearch(&want, x, n, sizeof(*x), sidx_cmp);
	return hit ? (ssize_t)hit->i : -1;
}

static bool
sidx_has_dups(const struct sidx *x, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (sidx_cmp(&x[i - 1], &x[i]) == 0)
			return true;
	return false;
}

/* ---- maps ---- */

static void
walk_member(struct walk *w, const struct node *schema, const char *key,
    const struct node *o, const struct node *n)
{
	size_t plen = w->path.len, slen = w->spath.len;

	/* a member set to null is dropped by the API server: as if unset */
	if (o != NULL && o->kind == NODE_NULL)
		o = NULL;
	if (n != NULL && n->kind == NODE_NULL)
		n = NULL;
	push_key(w, key);
	if (!diff_ignored(w->spath.buf))
		walk_value(w, diff_schema_child(schema, key), o, n);
	truncate_to(w, plen, slen);
}

/* Map member by key node, through ix when the map is big. */
static const struct node *
member(const struct node *map, const struct sidx *ix, const struct node *key,
    size_t *index)
{
	const struct node *k;
	ssize_t at;
	size_t i;

	if (map == NULL || map->kind != NODE_MAP)
		return NULL;
	if (ix != NULL) {
		if ((at = sidx_find(ix, map->n, key->str, key->len)) < 0)
			return NULL;
		if (index != NULL)
			*index = (size_t)at;
		return map->pairs[at].val;
	}
	for (i = 0; i < map->n; i++) {
		k = map->pairs[i].key;
		if (k->len == key->len && memcmp(k->str, key->str, key->len) == 0) {
			if (index != NULL)
				*index = i;
			return map->pairs[i].val;
		}
	}
	return NULL;
}

struct member_ref {
	const struct node	*key;
	size_t			 rank;	/* schema position, then document order */
};

static int
member_cmp(const void *x, const void *y)
{
	const struct member_ref *a = x, *b = y;

	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/*
 * Members of both maps in the schema's property order; members the schema
 * does not know follow in the new side's order, then the old side's.
 */
static void
walk_map(struct walk *w, const struct node *schema, const struct node *o,
    const struct node *n)
{
	const struct node *props = schema ? node_get(schema, "properties") : NULL;
	struct member_ref stack[32], *m = stack;
	struct sidx *io = NULL, *in = NULL;
	size_t i, nm = 0, at, base;

	if (props != NULL && props->kind != NODE_MAP)
		props = NULL;
	if (o->n + n->n > 32) {
		io = sidx_build(w->a, NULL, o, o->n);
		in = sidx_build(w->a, NULL, n, n->n);
	}
	base = props != NULL ? props->n : 0;
	if (o->n + n->n > nitems(stack))
		m = xreallocarray(NULL, o->n + n->n, sizeof(*m));
	for (i = 0; i < n->n; i++) {
		m[nm].key = n->pairs[i].key;
		m[nm++].rank = member(props, NULL, n->pairs[i].key, &at) ? at : base + i;
	}
	for (i = 0; i < o->n; i++) {
		if (member(n, in, o->pairs[i].key, NULL) != NULL)
			continue;
		m[nm].key = o->pairs[i].key;
		m[nm++].rank = member(props, NULL, o->pairs[i].key, &at) ? at :
		    base + n->n + i;
	}
	if (nm > 1)
		qsort(m, nm, sizeof(*m), member_cmp);
	for (i = 0; i < nm; i++)
		walk_member(w, schema, m[i].key->str, member(o, io, m[i].key, NULL),
		    member(n, in, m[i].key, NULL));
	if (m != stack)
		free(m);
}

/* ---- lists ---- */

static bool
set_has(const struct node *schema, const char *spath, const struct node *set,
    const struct node *v)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (diff_scalar_equal(schema, spath, set->items[i], v))
			return true;
	return false;
}

/*
 * A set member's value as a string that equal values share (durations
 * and quantities by value, case folded where the field has none).
 */
static char *
canon(struct arena *a, const struct node *schema, const char *spath,
    const struct node *v)
{
	struct strbuf sb;
	int64_t x;
	char *r, *p;
	bool guess;

	switch (v->kind) {
	case NODE_INT:
		return arena_printf(a, "i:%lld", (long long)v->i);
	case NODE_FLOAT:
		if (v->f == (double)(int64_t)v->f)
			return arena_printf(a, "i:%lld", (long long)(int64_t)v->f);
		return arena_printf(a, "f:%.17g", v->f);
	case NODE_STRING:
		guess = schema == NULL && str_has_prefix(spath, "spec.");
		if ((guess || schema_is_duration(schema)) && as_duration(v, &x))
			return arena_printf(a, "d:%lld", (long long)x);
		if ((guess || schema_is_quantity(schema)) && as_quantity(v, &x))
			return arena_printf(a, "i:%lld", (long long)x);
		r = arena_printf(a, "s:%s", v->str);
		if (diff_nocase(spath))
			for (p = r; *p != '\0'; p++)
				*p = (char)tolower((unsigned char)*p);
		return r;
	default:
		sb_init(&sb);
		sb_printf(&sb, "%d:", (int)v->kind);
		node_to_json(v, &sb);
		r = arena_strndup(a, sb.buf, sb.len);
		sb_release(&sb);
		return r;
	}
}

/* Sorted distinct canonical members; *n gets their number. */
static struct sidx *
canon_set(struct arena *a, const struct node *schema, const char *spath,
    const struct node *l, size_t *n)
{
	char **v = arena_alloc(a, (l->n + 1) * sizeof(*v));
	struct sidx *x;
	size_t i, k = 0;

	for (i = 0; i < l->n; i++)
		v[i] = canon(a, schema, spath, l->items[i]);
	x = sidx_build(a, v, NULL, l->n);
	for (i = 0; i < l->n; i++)
		if (k == 0 || sidx_cmp(&x[k - 1], &x[i]) != 0)
			x[k++] = x[i];
	*n = k;
	return x;
}

static bool
sets_equal(struct arena *a, const struct node *schema, const char *spath,
    const struct node *o, const struct node *n)
{
	struct sidx *xo, *xn;
	size_t i, no, nn;

	if (o->n > 16 || n->n > 16) {
		xo = canon_set(a, schema, spath, o, &no);
		xn = canon_set(a, schema, spath, n, &nn);
		if (no != nn)
			return false;
		for (i = 0; i < no; i++)
			if (sidx_cmp(&xo[i], &xn[i]) != 0)
				return false;
		return true;
	}
	for (i = 0; i < o->n; i++)
		if (!set_has(schema, spath, n, o->items[i]))
			return false;
	for (i = 0; i < n->n; i++)
		if (!set_has(schema, spath, o, n->items[i]))
			return false;
	return true;
}

/*
 * The key of a keyed-list item ("kind=HTTPRoute,name=api"), members that
 * are absent or at their stated default left out; NULL when the item is
 * not a map or a key member is not a scalar.
 */
static char *
item_key(struct arena *a, const char *lpath, const char *keys,
    const struct node *item)
{
	struct strbuf sb;
	const char *p, *e, *eq;
	char name[64], fpath[512];
	const struct node *v;
	char *r;
	size_t nl, mark;

	if (item->kind != NODE_MAP)
		return NULL;
	sb_init(&sb);
	for (p = keys; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		eq = memchr(p, '=', (size_t)(e - p));
		nl = (size_t)((eq ? eq : e) - p);
		if (nl >= sizeof(name))
			nl = sizeof(name) - 1;
		memcpy(name, p, nl);
		name[nl] = '\0';
		v = node_get(item, name);
		if (v == NULL || v->kind == NODE_NULL)
			continue;
		if (!node_is_scalar(v)) {
			sb_release(&sb);
			return NULL;
		}
		if (eq != NULL && strlen(v->str) == (size_t)(e - eq - 1) &&
		    strncmp(v->str, eq + 1, (size_t)(e - eq - 1)) == 0)
			continue;
		sb_printf(&sb, "%s%s=", sb.len ? "," : "", name);
		mark = sb.len;
		sb_adds(&sb, v->str);
		/* header names and the like match without case */
		snprintf(fpath, sizeof(fpath), "%s[].%s", lpath, name);
		if (diff_nocase(fpath))
			for (; mark < sb.len; mark++)
				sb.buf[mark] = (char)tolower((unsigned char)sb.buf[mark]);
	}
	/* no key member at all: the list is not keyed after all */
	r = sb.len > 0 ? arena_strndup(a, sb.buf, sb.len) : NULL;
	sb_release(&sb);
	return r;
}

/*
 * Keys of every item and their sorted index, or false when some item has
 * none or two share one.
 */
static bool
list_keys(struct arena *a, const char *lpath, const char *keys,
    const struct node *l, char ***out, struct sidx **ix)
{
	char **k = arena_alloc(a, (l->n + 1) * sizeof(*k));
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((k[i] = item_key(a, lpath, keys, l->items[i])) == NULL)
			return false;
	*ix = sidx_build(a, k, NULL, l->n);
	if (sidx_has_dups(*ix, l->n))
		return false;
	*out = k;
	return true;
}

static ssize_t
key_index(const struct sidx *ix, size_t n, const char *key)
{
	return sidx_find(ix, n, key, strlen(key));
}

static void
push_index(struct walk *w, const char *label, size_t i)
{
	if (label != NULL)
		sb_printf(&w->path, "[%s]", label);
	else
		sb_printf(&w->path, "[%zu]", i);
	sb_adds(&w->spath, "[]");
}

/* The keys k[0..n) that the other side (index only of nonly) has too. */
static struct node *
key_list(struct arena *a, char **k, size_t n, const struct sidx *only, size_t nonly)
{
	struct node *l = node_new(a, NODE_SEQ);
	size_t i;

	for (i = 0; i < n; i++)
		if (key_index(only, nonly, k[i]) >= 0)
			node_seq_push(a, l, node_new_string(a, k[i]));
	return l;
}

static bool
walk_keyed(struct walk *w, const struct list_rule *r, const struct node *schema,
    const struct node *o, const struct node *n)
{
	const struct node *is = diff_schema_items(schema);
	char **ko, **kn;
	struct sidx *xo, *xn;
	size_t i, plen = w->path.len, slen = w->spath.len, last = 0;
	ssize_t j;
	bool reordered = false;

	if (!list_keys(w->a, w->spath.buf, r->keys, o, &ko, &xo) ||
	    !list_keys(w->a, w->spath.buf, r->keys, n, &kn, &xn))
		return false;
	for (i = 0; i < n->n; i++) {
		j = key_index(xo, o->n, kn[i]);
		if (j >= 0) {
			if ((size_t)j < last)
				reordered = true;
			last = (size_t)j;
		}
		push_index(w, kn[i], i);
		walk_value(w, is, j >= 0 ? o->items[j] : NULL, n->items[i]);
		truncate_to(w, plen, slen);
	}
	for (i = 0; i < o->n; i++)
		if (key_index(xn, n->n, ko[i]) < 0) {
			push_index(w, ko[i], i);
			walk_value(w, is, o->items[i], NULL);
			truncate_to(w, plen, slen);
		}
	if (reordered && r->ordered) {
		/* the order of the items both sides have */
		record(w, key_list(w->a, ko, o->n, xn, n->n),
		    key_list(w->a, kn, n->n, xo, o->n));
		w->v[w->n - 1].path = arena_printf(w->a, "%s (order)",
		    w->v[w->n - 1].path);
	}
	return true;
}

static void
walk_seq(struct walk *w, const struct node *schema, const struct node *o,
    const struct node *n)
{
	struct list_rule r = diff_list_rule(w->spath.buf, schema);
	const struct node *is = diff_schema_items(schema);
	size_t i, plen = w->path.len, slen = w->spath.len;
	char *ispath;

	if (r.mode == LIST_SET) {
		ispath = arena_printf(w->a, "%s[]", w->spath.buf);
		if (!sets_equal(w->a, is, ispath, o, n))
			record(w, o, n);
		return;
	}
	if (r.mode == LIST_KEYED && walk_keyed(w, &r, schema, o, n))
		return;
	for (i = 0; i < o->n || i < n->n; i++) {
		push_index(w, NULL, i);
		walk_value(w, is, i < o->n ? o->items[i] : NULL,
		    i < n->n ? n->items[i] : NULL);
		truncate_to(w, plen, slen);
	}
}

/* ---- values ---- */

static void
walk_value(struct walk *w, const struct node *schema, const struct node *o,
    const struct node *n)
{
	if (o == NULL && n == NULL)
		return;
	if (o == NULL || n == NULL) {
		if (w->opts->ignore_defaults && equals_default(w, schema, o ? o : n))
			return;
		record(w, o, n);
		return;
	}
	if (o->kind == NODE_MAP && n->kind == NODE_MAP)
		walk_map(w, schema, o, n);
	else if (o->kind == NODE_SEQ && n->kind == NODE_SEQ)
		walk_seq(w, schema, o, n);
	else if (!diff_scalar_equal(schema, w->spath.buf, o, n))
		record(w, o, n);
}

void
diff_values(struct arena *a, const char *path, const char *spath,
    const struct node *o, const struct node *n, const struct diff_opts *opts,
    struct diff_change **changes, size_t *nchanges)
{
	struct walk w;

	walk_init(&w, a, opts);
	w.v = *changes;
	w.n = w.cap = *nchanges;
	sb_adds(&w.path, path);
	if (spath != NULL)
		sb_adds(&w.spath, spath);
	walk_value(&w, spath != NULL ? diff_schema_at(spath) : NULL, o, n);
	*changes = w.v;
	*nchanges = w.n;
	sb_release(&w.path);
	sb_release(&w.spath);
}

/* ---- objects ---- */

/*
 * Byte-for-byte equal trees (key order aside)?  Linear when both sides
 * list the members of each map in the same order, the usual case; other
 * maps go through node_equal().
 */
static bool
same_tree(const struct node *a, const struct node *b)
{
	size_t i;

	if (a->kind != b->kind || a->n != b->n)
		return node_equal(a, b);
	if (a->kind == NODE_SEQ) {
		for (i = 0; i < a->n; i++)
			if (!same_tree(a->items[i], b->items[i]))
				return false;
		return true;
	}
	if (a->kind != NODE_MAP)
		return node_equal(a, b);
	for (i = 0; i < a->n; i++) {
		if (a->pairs[i].key->len != b->pairs[i].key->len ||
		    memcmp(a->pairs[i].key->str, b->pairs[i].key->str,
		    a->pairs[i].key->len) != 0)
			return a->n <= 32 && node_equal(a, b);
		if (!same_tree(a->pairs[i].val, b->pairs[i].val))
			return false;
	}
	return true;
}

uint64_t
diff_identity_hash(const struct object *o)
{
	const char *ns = o->type == OBJ_NAMESPACE ? "" : object_ns(o);
	uint64_t h;

	h = XXH3_64bits(o->name, strlen(o->name));
	h = XXH3_64bits_withSeed(ns, strlen(ns), h);
	h = XXH3_64bits_withSeed(o->kind, strlen(o->kind), h);
	return XXH3_64bits_withSeed(o->group, strlen(o->group), h);
}

static bool
same_identity(const struct object *a, const struct object *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->kind, b->kind) == 0 &&
	    strcmp(a->group, b->group) == 0 &&
	    (a->type == OBJ_NAMESPACE ||
	    strcmp(object_ns(a), object_ns(b)) == 0);
}

/* Open-addressing index of one side: slot holds object index + 1. */
struct index {
	size_t		*slot;
	uint64_t	*hash;
	size_t		 mask;
};

static void
index_build(struct index *ix, const struct objset *os, struct diags *d)
{
	size_t cap = 16, i, s;

	while (cap < os->n * 2)
		cap *= 2;
	ix->slot = xcalloc(cap, sizeof(*ix->slot));
	ix->hash = xcalloc(os->n + 1, sizeof(*ix->hash));
	ix->mask = cap - 1;
	for (i = 0; i < os->n; i++) {
		ix->hash[i] = diff_identity_hash(&os->v[i]);
		for (s = ix->hash[i] & ix->mask; ix->slot[s] != 0; s = (s + 1) & ix->mask) {
			if (ix->hash[ix->slot[s] - 1] == ix->hash[i] &&
			    same_identity(&os->v[ix->slot[s] - 1], &os->v[i]))
				break;
		}
		if (ix->slot[s] != 0 && d != NULL) {
			struct diag *g = diag_add(d, SEV_WARNING, "duplicate",
			    &os->v[i].root->loc,
			    "%s %s/%s is defined twice; the later definition is compared",
			    os->v[i].kind, object_ns(&os->v[i]), os->v[i].name);

			diag_set_object(g, os->v[i].kind, object_ns(&os->v[i]),
			    os->v[i].name);
			diag_set_note(g, &os->v[ix->slot[s] - 1].root->loc,
			    "first defined here");
		}
		ix->slot[s] = i + 1;
	}
}

static const struct object *
index_find(const struct index *ix, const struct objset *os, const struct object *o,
    uint64_t h, size_t *at)
{
	size_t s;

	for (s = h & ix->mask; ix->slot[s] != 0; s = (s + 1) & ix->mask)
		if (ix->hash[ix->slot[s] - 1] == h &&
		    same_identity(&os->v[ix->slot[s] - 1], o)) {
			*at = ix->slot[s] - 1;
			return &os->v[*at];
		}
	return NULL;
}

static bool
is_last(const struct index *ix, size_t i, uint64_t h, const struct objset *os)
{
	size_t at;

	return index_find(ix, os, &os->v[i], h, &at) != NULL && at == i;
}

static void
index_release(struct index *ix)
{
	free(ix->slot);
	free(ix->hash);
}

static int
object_cmp(const struct object *a, const struct object *b)
{
	int c;

	/* BackendTrafficPolicies first, then the Gateway API kinds */
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = strcmp(a->kind, b->kind)) != 0)
		return c;
	if ((c = strcmp(object_ns(a), object_ns(b))) != 0)
		return c;
	return strcmp(a->name, b->name);
}

static int
dobj_cmp(const void *x, const void *y)
{
	const struct diff_object *a = x, *b = y;

	return object_cmp(a->new_obj ? a->new_obj : a->old_obj,
	    b->new_obj ? b->new_obj : b->old_obj);
}

static void
push_object(struct diff_result *r, size_t *cap, enum diff_op st,
    const struct object *o, const struct object *n, struct walk *w)
{
	struct diff_object *d;

	if (r->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		r->v = xreallocarray(r->v, *cap, sizeof(*r->v));
	}
	d = &r->v[r->n++];
	d->status = st;
	d->old_obj = o;
	d->new_obj = n;
	d->nchanges = w->n;
	d->changes = NULL;
	if (w->n > 0) {
		d->changes = arena_alloc(r->arena, w->n * sizeof(*d->changes));
		memcpy(d->changes, w->v, w->n * sizeof(*d->changes));
	}
	w->n = 0;
}

/* Compare one pair (either may be NULL); changes left in w. */
static void
compare_objects(struct walk *w, const struct object *o, const struct object *n)
{
	const struct object *any = n ? n : o;
	const struct node *schema = any->type == OBJ_BTP ? diff_btp_schema() : NULL;
	const struct node *os, *ns;
	size_t i;

	truncate_to(w, 0, 0);
	if (o != NULL && n != NULL) {
		walk_value(w, schema, o->root, n->root);
		if (any->type == OBJ_BTP)
			diff_impacts(w->a, o->spec, n->spec, w->v, w->n);
		return;
	}
	/* added or removed: its spec members, so that reviewers see them */
	os = o ? o->spec : NULL;
	ns = n ? n->spec : NULL;
	if ((os ? os : ns) == NULL || (os ? os : ns)->kind != NODE_MAP)
		return;
	for (i = 0; i < (os ? os : ns)->n; i++) {
		const struct node_pair *p = &(os ? os : ns)->pairs[i];

		if (p->val->kind == NODE_NULL)	/* dropped by the API server */
			continue;
		sb_adds(&w->path, "spec");
		sb_adds(&w->spath, "spec");
		push_key(w, p->key->str);
		record(w, os ? p->val : NULL, ns ? p->val : NULL);
		truncate_to(w, 0, 0);
	}
	if (any->type == OBJ_BTP && w->n > 0)
		w->v[0].impact = o != NULL ?
		    "policy removed: its targets fall back to a less specific policy or "
		    "to Envoy Gateway's defaults (--effective shows which)" :
		    "policy added: what it replaces for its targets depends on the "
		    "policies already there (--effective shows it)";
}

void
diff_objsets(const struct objset *os, const struct objset *ns,
    const struct diff_opts *opts, struct diff_result *r, struct diags *d)
{
	struct index io, in;
	struct walk w;
	const struct object *o;
	size_t i, at, cap = 0;
	bool *matched;

	memset(r, 0, sizeof(*r));
	r->arena = arena_new();
	walk_init(&w, r->arena, opts);
	index_build(&io, os, d);
	index_build(&in, ns, d);
	matched = xcalloc(os->n + 1, sizeof(*matched));
	for (i = 0; i < ns->n; i++) {
		if (!is_last(&in, i, in.hash[i], ns))
			continue;	/* an earlier duplicate */
		o = index_find(&io, os, &ns->v[i], in.hash[i], &at);
		if (o == NULL) {
			compare_objects(&w, NULL, &ns->v[i]);
			push_object(r, &cap, DIFF_ADDED, NULL, &ns->v[i], &w);
			continue;
		}
		matched[at] = true;
		if (same_tree(o->root, ns->v[i].root)) {
			r->unchanged++;
			continue;
		}
		compare_objects(&w, o, &ns->v[i]);
		if (w.n == 0) {
			r->unchanged++;
			continue;
		}
		push_object(r, &cap, DIFF_CHANGED, o, &ns->v[i], &w);
	}
	for (i = 0; i < os->n; i++) {
		if (matched[i] || !is_last(&io, i, io.hash[i], os))
			continue;
		compare_objects(&w, &os->v[i], NULL);
		push_object(r, &cap, DIFF_REMOVED, &os->v[i], NULL, &w);
	}
	free(matched);
	free(w.v);
	sb_release(&w.path);
	sb_release(&w.spath);
	index_release(&io);
	index_release(&in);
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), dobj_cmp);
}

void
diff_result_release(struct diff_result *r)
{
	free(r->v);
	arena_free(r->arena);
	memset(r, 0, sizeof(*r));
}
