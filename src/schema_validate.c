/*
 * schema_validate.c: the API server's pipeline on one object against a
 * compiled schema (schema.h, docs/apiserver-semantics.md):
 *
 *   1. decode: unknown fields are reported (with a did-you-mean) and
 *      pruned, nulls of non-nullable fields dropped;
 *   2. defaults applied;
 *   3. OpenAPI validation, per node in kube-openapi's order (type,
 *      allOf/anyOf/oneOf, string, format, number, list, enum, object),
 *      and list-type set/map uniqueness;
 *   4. the CEL rules, unless an error that blocks them exists.
 *
 * Steps 1 and 2 build a working copy of the object in a private arena
 * (maps and lists copied, scalars shared), so the input tree is never
 * changed and nothing is allocated on the heap per node.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cel.h"
#include "diag.h"
#include "objects.h"
#include "schema.h"
#include "schema_fmt.h"
#include "seed.h"
#include "util.h"

/* Error types, as apimachinery's field.ErrorType. */
enum etype {
	E_INVALID,
	E_TYPE,		/* TypeInvalid: prints "Invalid value" */
	E_REQUIRED,
	E_NOTSUPPORTED,
	E_TOOLONG,
	E_TOOMANY,
	E_DUPLICATE,
	E_FORBIDDEN,
	E_UNKNOWN,	/* decode: unknown field */
};

/* A node whose schema has CEL rules, collected while walking. */
struct rentry {
	const struct snode	*s;
	const struct node	*n;
	const char		*cpath;
	struct rentry		*next;
};

struct vctx {
	const struct schema	*s;
	const struct object	*obj;
	const struct schema_opts *opts;
	struct diags		*out;
	size_t			 first;		/* out->n when this object started */
	struct arena		*arena;
	pcre2_match_data	*md;
	struct strbuf		 path;		/* schema errors: map values as .key */
	struct strbuf		 cpath;		/* CEL errors: map values as [key] */
	struct rentry		*rules, **rtail;	/* nodes with rules, in document order */
	int			 errors;
	int			 quiet;		/* > 0: count errors, record nothing (anyOf trials) */
	int			 blocking;	/* errors that keep CEL from running */
	const struct loc	*near;		/* a located ancestor, for defaulted nodes */
};

/* ---- paths ---- */

/* Both paths' lengths before a push, to pop back to. */
struct mark {
	size_t	a, b;
};

static void
sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n + 1);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static struct mark
path_push_key(struct vctx *x, const char *k)
{
	struct mark m = { x->path.len, x->cpath.len };
	size_t n = strlen(k);

	if (m.a > 0)
		sb_addn(&x->path, ".", 1);
	sb_addn(&x->path, k, n);
	if (m.b > 0)
		sb_addn(&x->cpath, ".", 1);
	sb_addn(&x->cpath, k, n);
	return m;
}

static struct mark
path_push_index(struct vctx *x, size_t i)
{
	struct mark m = { x->path.len, x->cpath.len };
	char buf[24], *p = buf + sizeof(buf);

	*--p = ']';
	do {
		*--p = (char)('0' + i % 10);
		i /= 10;
	} while (i > 0);
	*--p = '[';
	sb_addn(&x->path, p, (size_t)(buf + sizeof(buf) - p));
	sb_addn(&x->cpath, p, (size_t)(buf + sizeof(buf) - p));
	return m;
}

/* A map value: ".key" for schema errors, "[key]" for CEL errors. */
static struct mark
path_push_mapkey(struct vctx *x, const char *k)
{
	struct mark m = { x->path.len, x->cpath.len };
	size_t n = strlen(k);

	if (m.a > 0)
		sb_addn(&x->path, ".", 1);
	sb_addn(&x->path, k, n);
	sb_addn(&x->cpath, "[", 1);
	sb_addn(&x->cpath, k, n);
	sb_addn(&x->cpath, "]", 1);
	return m;
}

static void
path_pop(struct vctx *x, struct mark m)
{
	x->path.len = m.a;
	x->path.buf[m.a] = '\0';
	x->cpath.len = m.b;
	x->cpath.buf[m.b] = '\0';
}

/* The path with list indexes written "[]", as seed_lookup() wants it. */
static void
path_generic(const char *p, struct strbuf *sb)
{
	const char *q;

	for (; *p; p++) {
		if (*p == '[' && isdigit((unsigned char)p[1])) {
			for (q = p + 1; isdigit((unsigned char)*q); q++)
				;
			if (*q == ']') {
				sb_adds(sb, "[]");
				p = q;
				continue;
			}
		}
		sb_addc(sb, *p);
	}
}

/* ---- recording ---- */

static const char *
etype_name(enum etype t)
{
	switch (t) {
	case E_REQUIRED: return "Required value";
	case E_NOTSUPPORTED: return "Unsupported value";
	case E_TOOLONG: return "Too long";
	case E_TOOMANY: return "Too many";
	case E_DUPLICATE: return "Duplicate value";
	case E_FORBIDDEN: return "Forbidden";
	default: return "Invalid value";
	}
}

static bool
blocks_cel(enum etype t)
{
	return t == E_NOTSUPPORTED || t == E_REQUIRED || t == E_TOOLONG ||
	    t == E_TOOMANY || t == E_TYPE;
}

/*
 * Record "<path>: <body>".  path NULL prints "<nil>".  Identical messages
 * of one object are recorded once, as the API server de-duplicates them.
 */
static struct diag *
record(struct vctx *x, enum etype t, const char *code, const struct loc *loc,
    const char *path, const char *body)
{
	struct strbuf sb;
	struct diag *g;
	size_t i;

	if (x->quiet > 0) {
		x->errors++;
		return NULL;
	}
	sb_init(&sb);
	if (t == E_UNKNOWN)
		sb_adds(&sb, body);
	else
		sb_printf(&sb, "%s: %s", path ? path : "<nil>", body);
	for (i = x->first; i < x->out->n; i++) {
		if (strcmp(x->out->v[i].message, sb.buf) == 0) {
			sb_release(&sb);
			return NULL;
		}
	}
	if (loc == NULL || loc->src == NULL)
		loc = x->near;
	g = diag_add(x->out, SEV_ERROR, code, loc, "%s", sb.buf);
	sb_release(&sb);
	if (path != NULL)
		diag_set_path(g, path);
	diag_set_object(g, x->obj->kind, x->obj->ns[0] ? x->obj->ns : NULL,
	    x->obj->name[0] ? x->obj->name : NULL);
	x->errors++;
	if (blocks_cel(t))
		x->blocking++;
	return g;
}

static struct diag *serr(struct vctx *, enum etype, const struct node *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/* A schema error at the current path: "<path>: <Type>: <fmt...>". */
static struct diag *
serr(struct vctx *x, enum etype t, const struct node *at, const char *fmt, ...)
{
	struct strbuf sb;
	struct diag *g;
	va_list ap;

	if (x->quiet > 0) {
		x->errors++;
		return NULL;
	}
	sb_init(&sb);
	sb_adds(&sb, etype_name(t));
	if (fmt != NULL && *fmt) {
		sb_adds(&sb, ": ");
		va_start(ap, fmt);
		sb_vprintf(&sb, fmt, ap);
		va_end(ap);
	}
	g = record(x, t, "schema", at ? &at->loc : NULL, x->path.buf, sb.buf);
	sb_release(&sb);
	return g;
}

/* The value part of a message, in a scratch buffer. */
static const char *
val(struct vctx *x, const struct node *n)
{
	struct strbuf sb;
	char *p;

	sb_init(&sb);
	go_value(&sb, n);
	p = arena_strdup(x->arena, sb.buf);
	sb_release(&sb);
	return p;
}

/* ---- step 1 and 2: decode (prune) and default ---- */

static const struct snode *
find_prop(const struct snode *s, const char *name)
{
	uint32_t h;
	uint16_t i;

	if (s->hslots == NULL)
		return NULL;
	for (h = schema_name_hash(name) & s->hmask; (i = s->hslots[h]) != 0;
	    h = (h + 1) & s->hmask)
		if (strcmp(s->props[i - 1].name, name) == 0)
			return s->props[i - 1].s;
	return NULL;
}

/* Attach a seed fix: the replacement as the fix-it, its reason as a note. */
static void
set_seed_fix(struct diag *g, const struct seed_fix *fix, const char *missing_value)
{
	char *t = seed_fix_text(fix, missing_value);

	if (t != NULL)
		diag_set_fix(g, t);
	free(t);
	if (fix->why != NULL && fix->upstream != NULL)
		diag_set_note(g, NULL, "%s", fix->why);
}

static void
unknown_field(struct vctx *x, const struct snode *s, const struct node *key)
{
	struct strbuf gp, msg;
	const struct seed_fix *fix;
	const char **cands;
	const char *best = NULL;
	struct diag *g;
	struct mark old;
	size_t i;

	old = path_push_key(x, key->str);
	sb_init(&gp);
	sb_init(&msg);
	path_generic(x->path.buf, &gp);
	sb_printf(&msg, "unknown field \"%s\"", x->path.buf);
	fix = seed_lookup(gp.buf, NULL);
	if (fix == NULL && s != NULL && s->nprops > 0) {
		cands = arena_alloc(x->arena, (s->nprops + 1) * sizeof(*cands));
		for (i = 0; i < s->nprops; i++)
			cands[i] = s->props[i].name;
		best = did_you_mean(key->str, cands);
	}
	path_pop(x, old);
	if (fix != NULL && fix->upstream != NULL)
		sb_printf(&msg, ": did you mean %s?", fix->upstream);
	else if (fix != NULL)
		sb_printf(&msg, ": Envoy Gateway has no such field (%s)", fix->why);
	else if (best != NULL) {
		old = path_push_key(x, best);
		sb_printf(&msg, ": did you mean %s?", x->path.buf);
		best = arena_strdup(x->arena, x->path.buf);
		path_pop(x, old);
	}
	old = path_push_key(x, key->str);
	g = record(x, E_UNKNOWN, "schema", &key->loc, x->path.buf, msg.buf);
	path_pop(x, old);
	if (g != NULL && fix != NULL)
		set_seed_fix(g, fix, NULL);
	else if (g != NULL && best != NULL)
		diag_set_fix(g, best);
	sb_release(&gp);
	sb_release(&msg);
}

static struct node *
copy_at(struct vctx *x, const struct node *n, const struct loc *loc)
{
	struct node *c = arena_alloc(x->arena, sizeof(*c));
	size_t i;

	*c = *n;
	c->loc = *loc;
	if (n->kind == NODE_MAP) {
		c->pairs = arena_alloc(x->arena, (n->n + 1) * sizeof(*c->pairs));
		for (i = 0; i < n->n; i++) {
			c->pairs[i].key = n->pairs[i].key;
			c->pairs[i].val = copy_at(x, n->pairs[i].val, loc);
		}
	} else if (n->kind == NODE_SEQ) {
		c->items = arena_alloc(x->arena, (n->n + 1) * sizeof(*c->items));
		for (i = 0; i < n->n; i++)
			c->items[i] = copy_at(x, n->items[i], loc);
	}
	return c;
}

static struct node *walk(struct vctx *, const struct snode *, const struct node *);

/* Reserve a rules entry for the node being walked (filled in by walk()). */
static struct rentry *
rule_slot(struct vctx *x, const struct snode *s)
{
	struct rentry *e = arena_alloc(x->arena, sizeof(*e));

	e->s = s;
	e->cpath = arena_strndup(x->arena, x->cpath.buf, x->cpath.len);
	*x->rtail = e;
	x->rtail = &e->next;
	return e;
}

/*
 * A map: unknown fields reported and pruned, nulls of non-nullable fields
 * dropped, defaults added, every member walked.  The map is copied only
 * when something changes.
 */
static struct node *
walk_map(struct vctx *x, const struct snode *s, const struct node *n)
{
	struct node *m = NULL, *nv;
	const struct snode *sub;
	const struct node *v;
	struct mark old;
	size_t i, j, ndef = s->ndefaults;
	bool present;

	if (s->preserve_unknown && !s->has_props && s->additional == NULL)
		return (struct node *)n;
#define COPY_UPTO(k) do {						\
	if (m == NULL) {						\
		m = arena_alloc(x->arena, sizeof(*m));			\
		*m = *n;						\
		m->pairs = arena_alloc(x->arena, (n->n + ndef + 1) * sizeof(*m->pairs)); \
		if ((k) > 0)						\
			memcpy(m->pairs, n->pairs, (k) * sizeof(*m->pairs)); \
		m->n = (k);						\
	}								\
} while (0)
	for (i = 0; i < n->n; i++) {
		v = n->pairs[i].val;
		sub = NULL;
		if (s->has_props)
			sub = find_prop(s, n->pairs[i].key->str);
		else if (s->additional != NULL)
			sub = s->additional;
		if (sub == NULL) {
			if (s->preserve_unknown) {
				if (m != NULL)
					m->pairs[m->n++] = n->pairs[i];
				continue;
			}
			unknown_field(x, s, n->pairs[i].key);
			COPY_UPTO(i);
			continue;
		}
		if (v->kind == NODE_NULL && !sub->nullable) {
			COPY_UPTO(i);	/* dropped, then defaulted */
			continue;
		}
		if (sub == s->additional)
			old = path_push_mapkey(x, n->pairs[i].key->str);
		else
			old = path_push_key(x, n->pairs[i].key->str);
		nv = walk(x, sub, v);
		path_pop(x, old);
		if (nv != v)
			COPY_UPTO(i);
		if (m != NULL) {
			m->pairs[m->n].key = n->pairs[i].key;
			m->pairs[m->n].val = nv;
			m->n++;
		}
	}
	for (i = 0; i < ndef; i++) {
		sub = s->defaults[i]->s;
		present = false;
		for (j = 0; j < (m ? m->n : n->n) && !present; j++)
			present = strcmp((m ? m->pairs : n->pairs)[j].key->str,
			    s->defaults[i]->name) == 0;
		if (present)
			continue;
		COPY_UPTO(n->n);
		m->pairs[m->n].key = node_new_string(x->arena, s->defaults[i]->name);
		old = path_push_key(x, s->defaults[i]->name);
		m->pairs[m->n].val = walk(x, sub, copy_at(x, sub->dflt, &n->loc));
		path_pop(x, old);
		m->n++;
	}
#undef COPY_UPTO
	return m != NULL ? m : (struct node *)n;
}

static struct node *
walk_seq(struct vctx *x, const struct snode *s, const struct node *n)
{
	struct node *q = NULL, *nv;
	struct mark old;
	size_t i;

	for (i = 0; i < n->n; i++) {
		old = path_push_index(x, i);
		nv = walk(x, s->items, n->items[i]);
		path_pop(x, old);
		if (nv != n->items[i] && q == NULL) {
			q = arena_alloc(x->arena, sizeof(*q));
			*q = *n;
			q->items = arena_alloc(x->arena, (n->n + 1) * sizeof(*q->items));
			memcpy(q->items, n->items, n->n * sizeof(*q->items));
		}
		if (q != NULL)
			q->items[i] = nv;
	}
	return q != NULL ? q : (struct node *)n;
}

/* ObjectMeta's fields: metadata is decoded strictly into this struct. */
static const char *const objectmeta_fields[] = {
	"annotations", "creationTimestamp", "deletionGracePeriodSeconds",
	"deletionTimestamp", "finalizers", "generateName", "generation", "labels",
	"managedFields", "name", "namespace", "ownerReferences", "resourceVersion",
	"selfLink", "uid", NULL,
};

static void
check_metadata_fields(struct vctx *x, const struct node *meta)
{
	struct strbuf msg;
	const char *best;
	struct mark old;
	size_t i, j;

	if (meta == NULL || meta->kind != NODE_MAP)
		return;
	for (i = 0; i < meta->n; i++) {
		const struct node *k = meta->pairs[i].key;

		for (j = 0; objectmeta_fields[j] != NULL; j++)
			if (strcmp(objectmeta_fields[j], k->str) == 0)
				break;
		if (objectmeta_fields[j] != NULL)
			continue;
		sb_init(&msg);
		old = path_push_key(x, "metadata");
		path_push_key(x, k->str);
		sb_printf(&msg, "unknown field \"%s\"", x->path.buf);
		if ((best = did_you_mean(k->str, objectmeta_fields)) != NULL)
			sb_printf(&msg, ": did you mean metadata.%s?", best);
		record(x, E_UNKNOWN, "schema", &k->loc, x->path.buf, msg.buf);
		path_pop(x, old);
		sb_release(&msg);
	}
}

/*
 * The root: metadata is ObjectMeta (checked by check_structure() and
 * check_metadata_fields()), status belongs to the status subresource and
 * is dropped, apiVersion and kind are checked by check_structure().
 */
static void
walk_root(struct vctx *x, const struct node *root)
{
	const struct snode *s = x->s->root, *sub;
	struct mark old;
	size_t i;

	for (i = 0; i < root->n; i++) {
		const char *k = root->pairs[i].key->str;
		const struct node *v = root->pairs[i].val;

		if (strcmp(k, "status") == 0 || strcmp(k, "apiVersion") == 0 ||
		    strcmp(k, "kind") == 0)
			continue;
		if (strcmp(k, "metadata") == 0) {
			check_metadata_fields(x, v);
			continue;
		}
		if ((sub = find_prop(s, k)) == NULL) {
			unknown_field(x, s, root->pairs[i].key);
			continue;
		}
		if (v->kind == NODE_NULL && !sub->nullable)
			continue;
		x->near = &v->loc;
		old = path_push_key(x, k);
		walk(x, sub, v);
		path_pop(x, old);
	}
	/* required at the root (spec): absent, or null and so dropped */
	for (i = 0; i < s->nrequired; i++) {
		const struct node *v = node_get(root, s->required[i]);

		if (v != NULL && v->kind != NODE_NULL)
			continue;
		old = path_push_key(x, s->required[i]);
		serr(x, E_REQUIRED, root, NULL);
		path_pop(x, old);
	}
}

/* ---- step 3: OpenAPI validation ---- */

static int64_t
utf8_count(const char *s, size_t n)
{
	int64_t c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static bool
match_re(struct vctx *x, void *re, const struct node *n)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)n->str, n->len, 0, 0, x->md, NULL);

	return rc >= 0;
}

static const char *
type_list(unsigned t)
{
	if (t & ST_OBJECT) return "object";
	if (t & ST_ARRAY) return "array";
	if (t & ST_STRING) return "string";
	if (t & ST_INTEGER) return "integer";
	if (t & ST_NUMBER) return "number";
	if (t & ST_BOOLEAN) return "boolean";
	return "";
}

static unsigned
kind_bit(const struct node *n)
{
	switch (n->kind) {
	case NODE_MAP: return ST_OBJECT;
	case NODE_SEQ: return ST_ARRAY;
	case NODE_STRING: return ST_STRING;
	case NODE_INT: return ST_INTEGER;
	case NODE_FLOAT: return ST_NUMBER;
	case NODE_BOOL: return ST_BOOLEAN;
	default: return 0;
	}
}

/* The format go-openapi infers from a decoded value. */
static const char *
data_format(const struct node *n)
{
	if (n->kind == NODE_INT)
		return "int64";
	if (n->kind == NODE_FLOAT)
		return "double";
	return "";
}

/*
 * go-openapi's IsFloat64AJSONInteger: a float passes as an integer only when
 * it is integral and within +-(2^53 - 1); larger values (1e19, 1e23: numbers
 * kubectl sends that do not fit int64) are type errors.
 */
static bool
json_integer(double f)
{
	return f == floor(f) && fabs(f) <= 9007199254740991.0;
}

/* kube-openapi's type validator; true when the value's type is acceptable. */
static bool
check_type(struct vctx *x, const struct snode *s, const struct node *n)
{
	unsigned k = kind_bit(n);
	bool ok;
	const char *p = x->path.buf;

	if (s->int_or_string) {
		if (n->kind == NODE_INT || n->kind == NODE_STRING)
			return true;
		if (s->nany_of > 0)
			return false;	/* anyOf reports it */
		serr(x, E_TYPE, n, "\"%s\": %s in body must be of type integer-or-string: \"%s\"",
		    value_json_type(n), p, value_json_type(n));
		return false;
	}
	if (s->types == 0)
		return true;
	ok = (s->types & k) != 0 ||
	    (k == ST_INTEGER && (s->types & ST_NUMBER)) ||
	    (k == ST_NUMBER && (s->types & ST_INTEGER) && json_integer(n->f));
	if (ok)
		return true;
	if (n->kind != NODE_STRING && n->kind != NODE_SEQ && s->format_name != NULL) {
		serr(x, E_TYPE, n, "\"%s\": %s in body must be of type %s: \"%s\"",
		    data_format(n), p, s->format_name, data_format(n));
		return false;
	}
	serr(x, E_TYPE, n, "\"%s\": %s in body must be of type %s: \"%s\"",
	    value_json_type(n), p, type_list(s->types), value_json_type(n));
	return false;
}

static int validate(struct vctx *, const struct snode *, const struct node *, bool deep);

/* allOf, anyOf, oneOf: branch errors plus the composite error (nil path, "" value). */
static void
check_composites(struct vctx *x, const struct snode *s, const struct node *n)
{
	struct strbuf sb;
	size_t i, ok;
	int before, mark;

	sb_init(&sb);
	if (s->nall_of > 0) {
		ok = 0;
		for (i = 0; i < s->nall_of; i++)
			if (validate(x, s->all_of[i], n, true) == 0)
				ok++;
		if (ok != s->nall_of) {
			sb_printf(&sb, "Invalid value: \"\": \"%s\" must validate all the schemas (allOf)%s",
			    x->path.buf, ok == 0 ? ". None validated" : "");
			record(x, E_INVALID, "schema", &n->loc, NULL, sb.buf);
		}
	}
	if (s->nany_of > 0) {
		/* try the branches quietly */
		before = x->errors;
		x->quiet++;
		ok = 0;
		for (i = 0; i < s->nany_of && ok == 0; i++) {
			mark = x->errors;
			if (validate(x, s->any_of[i], n, true) == 0 && x->errors == mark)
				ok = 1;
		}
		x->quiet--;
		x->errors = before;
		if (!ok) {
			sb_reset(&sb);
			sb_printf(&sb, "Invalid value: \"\": \"%s\" must validate at least one schema (anyOf)",
			    x->path.buf);
			record(x, E_INVALID, "schema", &n->loc, NULL, sb.buf);
			if (s->int_or_string)
				serr(x, E_TYPE, n, "\"%s\": %s in body must be of type integer,string: \"%s\"",
				    value_json_type(n), x->path.buf, value_json_type(n));
		}
	}
	if (s->none_of > 0) {
		ok = 0;
		for (i = 0; i < s->none_of; i++)
			if (validate(x, s->one_of[i], n, true) == 0)
				ok++;
		if (ok != 1) {
			sb_reset(&sb);
			sb_printf(&sb, "Invalid value: \"\": \"%s\" must validate one and only one schema (oneOf)%s",
			    x->path.buf, ok == 0 ? ". Found none valid" : "");
			record(x, E_INVALID, "schema", &n->loc, NULL, sb.buf);
		}
	}
	sb_release(&sb);
}

static bool
enum_has(const struct node *vals, const struct node *n)
{
	size_t i;

	for (i = 0; i < vals->n; i++)
		if (node_equal(vals->items[i], n))
			return true;
	return false;
}

static void
check_enum(struct vctx *x, const struct snode *s, const struct node *n)
{
	struct strbuf sb, gp;
	const struct seed_fix *fix = NULL;
	const char **cands;
	const char *best = NULL;
	struct diag *g;
	size_t i, nc = 0;

	if (enum_has(s->enum_vals, n))
		return;
	sb_init(&sb);
	sb_printf(&sb, "%s: supported values: ", val(x, n));
	cands = arena_alloc(x->arena, (s->enum_vals->n + 1) * sizeof(*cands));
	for (i = 0; i < s->enum_vals->n; i++) {
		const struct node *e = s->enum_vals->items[i];

		if (i)
			sb_adds(&sb, ", ");
		if (e->kind == NODE_STRING) {
			go_quote(&sb, e->str, e->len);
			cands[nc++] = e->str;
		} else {
			sb_addc(&sb, '"');
			go_json(&sb, e);
			sb_addc(&sb, '"');
		}
	}
	if (n->kind == NODE_STRING) {
		sb_init(&gp);
		path_generic(x->path.buf, &gp);
		fix = seed_lookup(gp.buf, n->str);
		sb_release(&gp);
		if (fix == NULL)
			best = did_you_mean(n->str, cands);
	}
	if (fix != NULL && fix->upstream_value != NULL)
		sb_printf(&sb, "; did you mean \"%s\"?", fix->upstream_value);
	else if (best != NULL)
		sb_printf(&sb, "; did you mean \"%s\"?", best);
	g = serr(x, E_NOTSUPPORTED, n, "%s", sb.buf);
	if (g != NULL && fix != NULL)
		set_seed_fix(g, fix, NULL);
	else if (g != NULL && best != NULL)
		diag_set_fix(g, best);
	sb_release(&sb);
}

static void
bound(struct strbuf *sb, const struct node *n, double v)
{
	if (n->kind == NODE_INT && v >= -9.2e18 && v <= 9.2e18)
		sb_printf(sb, "%" PRId64, (int64_t)v);
	else
		go_float(sb, v);
}

static void
check_number(struct vctx *x, const struct snode *s, const struct node *n)
{
	double v = n->kind == NODE_INT ? (double)n->i : n->f;
	struct strbuf sb;
	const char *p = x->path.buf;

	sb_init(&sb);
	if (s->has_max && (s->excl_max ? v >= s->max : v > s->max)) {
		bound(&sb, n, s->max);
		serr(x, E_INVALID, n, "%s: %s in body should be less than %s%s", val(x, n), p,
		    s->excl_max ? "" : "or equal to ", sb.buf);
		sb_reset(&sb);
	}
	if (s->has_min && (s->excl_min ? v <= s->min : v < s->min)) {
		bound(&sb, n, s->min);
		serr(x, E_INVALID, n, "%s: %s in body should be greater than %s%s", val(x, n), p,
		    s->excl_min ? "" : "or equal to ", sb.buf);
	}
	sb_release(&sb);
	if (s->format == SF_INT32 && n->kind == NODE_INT && (n->i > INT32_MAX || n->i < INT32_MIN)) {
		sb_init(&sb);
		sb_printf(&sb, "Invalid value: \"\": Checked value must be of type integer "
		    "with format int32 in %s", p);
		record(x, E_INVALID, "schema", &n->loc, NULL, sb.buf);
		sb_release(&sb);
	}
}

static void
check_int32_bounds(struct vctx *x, const struct snode *s, const struct node *n)
{
	struct strbuf sb;

	if (s->format != SF_INT32 || !(s->types & ST_INTEGER))
		return;
	sb_init(&sb);
	if (s->has_max && (s->max > INT32_MAX || s->max < INT32_MIN))
		sb_printf(&sb, "Invalid value: \"\": Maximum boundary value must be of type "
		    "integer with format int32 in %s", x->path.buf);
	else if (s->has_min && (s->min > INT32_MAX || s->min < INT32_MIN))
		sb_printf(&sb, "Invalid value: \"\": Minimum boundary value must be of type "
		    "integer with format int32 in %s", x->path.buf);
	if (sb.len > 0)
		record(x, E_INVALID, "schema", &n->loc, NULL, sb.buf);
	sb_release(&sb);
}

static void
check_string(struct vctx *x, const struct snode *s, const struct node *n)
{
	int64_t len;
	const char *p = x->path.buf;

	if (s->max_length >= 0 || s->min_length >= 0) {
		len = utf8_count(n->str, n->len);
		if (s->max_length >= 0 && len > s->max_length)
			serr(x, E_TOOLONG, n, "may not be more than %" PRId64 " byte%s",
			    s->max_length, s->max_length == 1 ? "" : "s");
		if (s->min_length >= 0 && len < s->min_length)
			serr(x, E_INVALID, n, "%s: %s in body should be at least %" PRId64
			    " chars long", val(x, n), p, s->min_length);
	}
	if (s->re != NULL && !match_re(x, s->re, n))
		serr(x, E_INVALID, n, "%s: %s in body should match '%s'", val(x, n), p, s->pattern);
	if (s->format != SF_NONE && !schema_format_ok(s->format, n->str, n->len))
		serr(x, E_TYPE, n, "%s: %s in body must be of type %s: %s", val(x, n), p,
		    s->format_name, val(x, n));
}

static void
dup_check(struct vctx *x, const struct snode *s, const struct node *n)
{
	struct strbuf sb;
	struct node *keys;
	const struct node *a, *b, *ka, *kb;
	struct mark old;
	size_t i, j, k;
	bool same;

	for (i = 1; i < n->n; i++) {
		a = n->items[i];
		for (j = 0; j < i; j++) {
			b = n->items[j];
			if (s->list_type == SL_SET) {
				same = node_equal(a, b);
			} else {
				if (a->kind != NODE_MAP || b->kind != NODE_MAP)
					break;
				same = true;
				for (k = 0; k < s->nmap_keys && same; k++) {
					ka = node_get(a, s->map_keys[k]);
					kb = node_get(b, s->map_keys[k]);
					same = (ka == NULL && kb == NULL) ||
					    (ka != NULL && kb != NULL && node_equal(ka, kb));
				}
			}
			if (!same)
				continue;
			sb_init(&sb);
			if (s->list_type == SL_SET) {
				go_value(&sb, a);
			} else {
				keys = node_new(x->arena, NODE_MAP);
				for (k = 0; k < s->nmap_keys; k++)
					if ((ka = node_get(a, s->map_keys[k])) != NULL)
						node_map_set(x->arena, keys, s->map_keys[k],
						    (struct node *)ka);
				go_json(&sb, keys);
			}
			old = path_push_index(x, i);
			serr(x, E_DUPLICATE, a, "%s", sb.buf);
			path_pop(x, old);
			sb_release(&sb);
			break;
		}
	}
}

/* "<path>: Required value", with the seed description's fix when it has one. */
static void
missing_field(struct vctx *x, const struct node *parent)
{
	struct strbuf gp, body;
	const struct seed_fix *fix;
	const char *mv;
	char *text;
	struct diag *g;

	sb_init(&gp);
	path_generic(x->path.buf, &gp);
	fix = seed_lookup(gp.buf, "");
	sb_release(&gp);
	if (fix == NULL) {
		serr(x, E_REQUIRED, parent, NULL);
		return;
	}
	mv = seed_missing_value(fix, parent);
	text = seed_fix_text(fix, mv);
	sb_init(&body);
	if (text != NULL)
		sb_printf(&body, "Required value; add %s", text);
	else
		sb_adds(&body, "Required value");
	g = record(x, E_REQUIRED, "schema", &parent->loc, x->path.buf, body.buf);
	sb_release(&body);
	free(text);
	if (g != NULL)
		set_seed_fix(g, fix, mv);
}

static void
check_object(struct vctx *x, const struct snode *s, const struct node *n, bool deep)
{
	const struct snode *sub;
	struct mark old;
	size_t i;

	if (s->max_props >= 0 && (int64_t)n->n > s->max_props)
		serr(x, E_TOOMANY, n, "%zu: must have at most %" PRId64 " items", n->n, s->max_props);
	if (s->min_props >= 0 && (int64_t)n->n < s->min_props)
		serr(x, E_INVALID, n, "%zu: %s in body should have at least %" PRId64 " properties",
		    n->n, x->path.buf, s->min_props);
	for (i = 0; i < s->nrequired; i++) {
		if (node_get(n, s->required[i]) != NULL)
			continue;
		old = path_push_key(x, s->required[i]);
		missing_field(x, n);
		path_pop(x, old);
	}
	for (i = 0; i < n->n && deep; i++) {
		sub = s->has_props ? find_prop(s, n->pairs[i].key->str) : NULL;
		if (sub == NULL && !s->has_props)
			sub = s->additional;
		if (sub == NULL)
			continue;
		old = path_push_key(x, n->pairs[i].key->str);
		validate(x, sub, n->pairs[i].val, true);
		path_pop(x, old);
	}
}

/*
 * Validate n against s; returns the number of errors it recorded.  With
 * deep, members and items too (composite branches); walk() validates each
 * node itself, members first, so it does not ask for that.
 */
static int
validate(struct vctx *x, const struct snode *s, const struct node *n, bool deep)
{
	int before = x->errors;
	struct mark old;
	size_t i;
	bool typed;

	if (n->kind == NODE_NULL) {
		if (!s->nullable && (s->types != 0 || s->int_or_string))
			serr(x, E_TYPE, n, "\"null\": %s in body must be of type %s: \"null\"",
			    x->path.buf, s->int_or_string ? "integer-or-string" : type_list(s->types));
		return x->errors - before;
	}
	typed = check_type(x, s, n);
	if (s->nall_of || s->nany_of || s->none_of)
		check_composites(x, s, n);
	if (!typed && s->types != 0)
		return x->errors - before;
	switch (n->kind) {
	case NODE_STRING:
		check_string(x, s, n);
		break;
	case NODE_INT:
	case NODE_FLOAT:
		check_int32_bounds(x, s, n);
		check_number(x, s, n);
		break;
	case NODE_SEQ:
		if (s->min_items >= 0 && (int64_t)n->n < s->min_items)
			serr(x, E_INVALID, n, "%s: %s in body should have at least %" PRId64 " items",
			    val(x, n), x->path.buf, s->min_items);
		if (s->max_items >= 0 && (int64_t)n->n > s->max_items)
			serr(x, E_TOOMANY, n, "%zu: must have at most %" PRId64 " items",
			    n->n, s->max_items);
		if (s->items != NULL && deep) {
			for (i = 0; i < n->n; i++) {
				old = path_push_index(x, i);
				validate(x, s->items, n->items[i], true);
				path_pop(x, old);
			}
		}
		if (s->list_type != SL_ATOMIC)
			dup_check(x, s, n);
		break;
	default:
		break;
	}
	if (s->enum_vals != NULL)
		check_enum(x, s, n);
	if (n->kind == NODE_MAP)
		check_object(x, s, n, deep);
	return x->errors - before;
}

/* Decode, default and validate n against s; returns the working node. */
static struct node *
walk(struct vctx *x, const struct snode *s, const struct node *n)
{
	struct rentry *re = NULL;
	struct node *q = (struct node *)n;

	if (s->nrules > 0 && n->kind != NODE_NULL)
		re = rule_slot(x, s);
	if (n->kind == NODE_MAP)
		q = walk_map(x, s, n);
	else if (n->kind == NODE_SEQ && s->items != NULL)
		q = walk_seq(x, s, n);
	validate(x, s, q, false);
	if (re != NULL)
		re->n = q;
	return q;
}

/* ---- step 4: CEL ---- */

static const char *
schema_type_of(const struct snode *s)
{
	if (s->int_or_string)
		return "";
	return type_list(s->types);
}

static const char *
reason_type(const char *reason, enum etype *t)
{
	*t = E_INVALID;
	if (reason == NULL)
		return "Invalid value";
	if (strcmp(reason, "FieldValueForbidden") == 0)
		*t = E_FORBIDDEN;
	else if (strcmp(reason, "FieldValueRequired") == 0)
		*t = E_REQUIRED;
	else if (strcmp(reason, "FieldValueDuplicate") == 0)
		*t = E_DUPLICATE;
	return etype_name(*t);
}

static void
trim_copy(struct strbuf *sb, const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	sb_add(sb, s, n);
}

static void
rule_failed(struct vctx *x, const struct rentry *e, const struct srule *r)
{
	struct strbuf sb, msg, path;
	const struct node *n = e->n;
	enum etype t;
	const char *tn;
	char *out = NULL, *err = NULL;

	sb_init(&msg);
	if (r->msg_prog != NULL && cel_eval_string(r->msg_prog, n, &out, &err) == 0 &&
	    out != NULL && *out != '\0')
		sb_adds(&msg, out);
	else if (r->message != NULL)
		trim_copy(&msg, r->message);
	else {
		sb_adds(&msg, "failed rule: ");
		trim_copy(&msg, r->rule);
	}
	free(out);
	free(err);
	sb_init(&path);
	sb_adds(&path, e->cpath);
	if (r->field_path != NULL && *r->field_path) {
		if (*r->field_path != '.' && *r->field_path != '[')
			sb_addc(&path, '.');
		sb_adds(&path, r->field_path);
	}
	tn = reason_type(r->reason, &t);
	sb_init(&sb);
	if (t == E_FORBIDDEN || t == E_REQUIRED || n->kind == NODE_MAP || n->kind == NODE_SEQ)
		sb_printf(&sb, "%s: %s", tn, msg.buf);
	else
		sb_printf(&sb, "%s: %s: %s", tn, val(x, n), msg.buf);
	record(x, t == E_REQUIRED ? E_INVALID : t, "cel", &n->loc, path.buf, sb.buf);
	sb_release(&path);
	sb_release(&sb);
	sb_release(&msg);
}

static void
rule_error(struct vctx *x, const struct rentry *e, const struct srule *r, const char *err)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_printf(&sb, "Invalid value: \"%s\": %s evaluating rule: ", schema_type_of(e->s), err);
	trim_copy(&sb, r->message != NULL ? r->message : r->rule);
	record(x, E_INVALID, "cel", &e->n->loc, e->cpath, sb.buf);
	sb_release(&sb);
}

/* Every rule of every node walk() collected, in document order. */
static void
run_rules(struct vctx *x)
{
	const struct rentry *e;
	const struct srule *r;
	enum cel_status st;
	char *err;
	size_t i;

	for (e = x->rules; e != NULL; e = e->next) {
		for (i = 0; i < e->s->nrules; i++) {
			r = &e->s->rules[i];
			if (r->prog == NULL)
				continue;
			if (r->transition) {
				if (x->opts != NULL && x->opts->verbose) {
					struct diag *g = diag_add(x->out, SEV_INFO, "cel", &e->n->loc,
					    "%s: transition rule not checked offline (it compares "
					    "with the previous object): %s", e->cpath, r->rule);
					diag_set_path(g, e->cpath);
				}
				continue;
			}
			err = NULL;
			st = cel_eval_bool(r->prog, e->n, &err);
			if (x->opts != NULL && x->opts->stats != NULL) {
				if (st == CEL_TRUE)
					x->opts->stats->pass[r->id]++;
				else
					x->opts->stats->fail[r->id]++;
			}
			if (st == CEL_FALSE)
				rule_failed(x, e, r);
			else if (st == CEL_ERROR)
				rule_error(x, e, r, err ? err : "evaluation error");
			free(err);
		}
	}
}

/* ---- the pipeline ---- */

struct schema_scratch {
	struct arena		*arena;
	pcre2_match_data	*md;
	struct strbuf		 path, cpath;
};

struct schema_scratch *
schema_scratch_new(void)
{
	struct schema_scratch *sc = xcalloc(1, sizeof(*sc));

	sc->arena = arena_new();
	sc->md = pcre2_match_data_create(1, NULL);
	sb_init(&sc->path);
	sb_init(&sc->cpath);
	return sc;
}

void
schema_scratch_free(struct schema_scratch *sc)
{
	if (sc == NULL)
		return;
	arena_free(sc->arena);
	pcre2_match_data_free(sc->md);
	sb_release(&sc->path);
	sb_release(&sc->cpath);
	free(sc);
}

int
schema_validate(const struct schema *s, const struct object *o, struct diags *out,
    const struct schema_opts *opts)
{
	struct vctx x;
	struct schema_scratch *sc, *own = NULL;

	if (o->root == NULL || o->root->kind != NODE_MAP)
		return 0;
	if ((sc = opts != NULL ? opts->scratch : NULL) == NULL)
		sc = own = schema_scratch_new();
	arena_reset(sc->arena);
	sb_reset(&sc->path);
	sb_reset(&sc->cpath);
	memset(&x, 0, sizeof(x));
	x.s = s;
	x.obj = o;
	x.opts = opts;
	x.out = out;
	x.first = out->n;
	x.arena = sc->arena;
	x.md = sc->md;
	x.near = &o->root->loc;
	x.rtail = &x.rules;
	x.path = sc->path;
	x.cpath = sc->cpath;

	walk_root(&x, o->root);
	x.errors += schema_check_metadata(o, out);	/* ObjectMeta: does not hold back CEL */
	if (x.blocking > 0) {
		if (s->nrules > 0)
			record(&x, E_INVALID, "cel", o->spec != NULL ? &o->spec->loc : &o->root->loc,
			    NULL, "Invalid value: null: some validation rules were not checked "
			    "because the object was invalid; correct the existing errors to "
			    "complete validation");
	} else
		run_rules(&x);
	/* the buffers may have grown: keep them for the next call */
	sc->path = x.path;
	sc->cpath = x.cpath;
	schema_scratch_free(own);
	return x.errors;
}
