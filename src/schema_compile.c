/*
 * schema_compile.c: from a CRD's text to the compiled schema graph of
 * schema.h.  The CRD is parsed once with the project's loader; every
 * openAPIV3Schema node becomes a struct snode (patterns compiled with
 * pcre2 and JIT, rules compiled with cel.h).  Anything the compiler does
 * not understand is an error: a schema is never half-loaded.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cel.h"
#include "diag.h"
#include "gen/embedded.h"
#include "fetch.h"
#include "load.h"
#include "schema.h"
#include "source.h"
#include "util.h"

const char *const schema_versions[] = { "v1.9", "v1.8", NULL };

static const char *const embedded_names[] = {
	"gateway.envoyproxy.io_backendtrafficpolicies.v1.9.0.yaml",
	"gateway.envoyproxy.io_backendtrafficpolicies.v1.8.0.yaml",
};

struct compiler {
	struct schema	*s;
	struct diags	*d;
	int		 failed;
	struct srule	**rules;
	size_t		 nrules, cap;
	unsigned	 flags;
};

static void cerr(struct compiler *, const struct node *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
cerr(struct compiler *c, const struct node *at, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (at != NULL)
		diag_add(c->d, SEV_ERROR, "schema", &at->loc, "CRD %s: %s", c->s->name, sb.buf);
	else
		diag_add_file(c->d, SEV_ERROR, "schema", c->s->name, "CRD %s: %s",
		    c->s->name, sb.buf);
	sb_release(&sb);
	c->failed++;
}

static int
prop_cmp(const void *a, const void *b)
{
	const struct sprop *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static bool
get_i64(struct compiler *c, const struct node *n, const char *key, int64_t *v)
{
	const struct node *x = node_get(n, key);

	if (x == NULL)
		return false;
	if (x->kind != NODE_INT || x->i < 0) {
		cerr(c, x, "%s must be a non-negative integer", key);
		return false;
	}
	*v = x->i;
	return true;
}

static bool
get_num(struct compiler *c, const struct node *n, const char *key, double *v)
{
	const struct node *x = node_get(n, key);

	if (x == NULL)
		return false;
	if (x->kind != NODE_INT && x->kind != NODE_FLOAT) {
		cerr(c, x, "%s must be a number", key);
		return false;
	}
	*v = x->kind == NODE_INT ? (double)x->i : x->f;
	return true;
}

static bool
get_bool(const struct node *n, const char *key)
{
	const struct node *x = node_get(n, key);

	return x != NULL && x->kind == NODE_BOOL && x->b;
}

static const char *
get_str(const struct node *n, const char *key)
{
	const struct node *x = node_get(n, key);

	return x != NULL && x->kind == NODE_STRING ? x->str : NULL;
}

static const char **
str_list(struct compiler *c, const struct node *n, const char *key, size_t *count)
{
	const struct node *x = node_get(n, key);
	const char **v;
	size_t i;

	*count = 0;
	if (x == NULL)
		return NULL;
	if (x->kind != NODE_SEQ) {
		cerr(c, x, "%s must be a list of strings", key);
		return NULL;
	}
	v = arena_alloc(c->s->arena, (x->n + 1) * sizeof(*v));
	for (i = 0; i < x->n; i++) {
		if (x->items[i]->kind != NODE_STRING) {
			cerr(c, x->items[i], "%s must be a list of strings", key);
			return NULL;
		}
		v[i] = x->items[i]->str;
	}
	*count = x->n;
	return v;
}

static void *
compile_pattern(struct compiler *c, const struct node *at, const char *pat)
{
	pcre2_code *re;
	int errc;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];

	/*
	 * The API server uses Go's RE2: "$" is the end of the text only, and
	 * strings are UTF-8.
	 */
	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	    PCRE2_DOLLAR_ENDONLY | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errc, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(errc, msg, sizeof(msg));
		cerr(c, at, "pattern '%s' does not compile at offset %zu: %s", pat,
		    (size_t)off, (char *)msg);
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static void
free_patterns(struct snode *s)
{
	size_t i;

	if (s == NULL)
		return;
	if (s->re != NULL) {
		pcre2_code_free(s->re);
		s->re = NULL;
	}
	for (i = 0; i < s->nprops; i++)
		free_patterns(s->props[i].s);
	free_patterns(s->additional);
	free_patterns(s->items);
	for (i = 0; i < s->nall_of; i++)
		free_patterns(s->all_of[i]);
	for (i = 0; i < s->nany_of; i++)
		free_patterns(s->any_of[i]);
	for (i = 0; i < s->none_of; i++)
		free_patterns(s->one_of[i]);
}

static void
add_rule(struct compiler *c, struct srule *r)
{
	if (c->nrules == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->rules = xreallocarray(c->rules, c->cap, sizeof(*c->rules));
	}
	r->id = (int)c->nrules;
	c->rules[c->nrules++] = r;
}

static void
compile_rules(struct compiler *c, struct snode *s, const struct node *v)
{
	size_t i;
	char *err = NULL;

	if (v->kind != NODE_SEQ) {
		cerr(c, v, "x-kubernetes-validations must be a list");
		return;
	}
	s->rules = arena_alloc(c->s->arena, (v->n + 1) * sizeof(*s->rules));
	s->nrules = v->n;
	for (i = 0; i < v->n; i++) {
		const struct node *it = v->items[i];
		struct srule *r = &s->rules[i];

		r->where = s->path;
		r->rule = get_str(it, "rule");
		r->message = get_str(it, "message");
		r->message_expression = get_str(it, "messageExpression");
		r->field_path = get_str(it, "fieldPath");
		r->reason = get_str(it, "reason");
		add_rule(c, r);
		if (r->rule == NULL) {
			cerr(c, it, "a validation rule at %s has no rule", s->path);
			continue;
		}
		if (!(c->flags & SCHEMA_NO_CEL)) {
			r->prog = cel_compile(r->rule, &err);
			if (r->prog == NULL) {
				cerr(c, node_get(it, "rule"), "rule at %s does not compile: %s: %s",
				    s->path, err ? err : "unknown error", r->rule);
				free(err);
				err = NULL;
				continue;
			}
			r->transition = cel_uses_oldself(r->prog);
			if (r->message_expression != NULL) {
				r->msg_prog = cel_compile(r->message_expression, &err);
				if (r->msg_prog == NULL) {
					cerr(c, node_get(it, "messageExpression"),
					    "messageExpression at %s does not compile: %s",
					    s->path, err ? err : "unknown error");
					free(err);
					err = NULL;
				}
			}
		} else
			r->transition = strstr(r->rule, "oldSelf") != NULL;
		if (r->transition)
			c->s->ntransition++;
	}
}

static struct snode *compile_node(struct compiler *, const struct node *, const char *path);

/* The props hash table and the list of props with defaults. */
static void
index_props(struct compiler *c, struct snode *s)
{
	uint32_t size = 8, h;
	size_t i, nd = 0;

	if (s->nprops >= UINT16_MAX) {
		cerr(c, NULL, "too many properties at %s", s->path);
		return;
	}
	while (size < 2 * s->nprops)
		size *= 2;
	s->hmask = size - 1;
	s->hslots = arena_alloc(c->s->arena, size * sizeof(*s->hslots));
	for (i = 0; i < s->nprops; i++) {
		h = schema_name_hash(s->props[i].name) & s->hmask;
		while (s->hslots[h] != 0)
			h = (h + 1) & s->hmask;
		s->hslots[h] = (uint16_t)(i + 1);
	}
	s->defaults = arena_alloc(c->s->arena, (s->nprops + 1) * sizeof(*s->defaults));
	for (i = 0; i < s->nprops; i++)
		if (s->props[i].s->dflt != NULL)
			s->defaults[nd++] = &s->props[i];
	s->ndefaults = nd;
}

static struct snode **
compile_list(struct compiler *c, const struct node *v, const char *path, size_t *n)
{
	struct snode **out;
	size_t i;

	*n = 0;
	if (v == NULL)
		return NULL;
	if (v->kind != NODE_SEQ) {
		cerr(c, v, "allOf/anyOf/oneOf at %s must be a list", path);
		return NULL;
	}
	out = arena_alloc(c->s->arena, (v->n + 1) * sizeof(*out));
	for (i = 0; i < v->n; i++)
		out[i] = compile_node(c, v->items[i], path);
	*n = v->n;
	return out;
}

static unsigned
type_bit(const char *t)
{
	static const struct { const char *name; unsigned bit; } tab[] = {
		{ "object", ST_OBJECT }, { "array", ST_ARRAY }, { "string", ST_STRING },
		{ "integer", ST_INTEGER }, { "number", ST_NUMBER }, { "boolean", ST_BOOLEAN },
	};
	size_t i;

	for (i = 0; i < nitems(tab); i++)
		if (strcmp(tab[i].name, t) == 0)
			return tab[i].bit;
	return 0;
}

static const char *const known_keys[] = {
	"type", "format", "description", "enum", "pattern", "minimum", "maximum",
	"exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems",
	"maxItems", "minProperties", "maxProperties", "required", "properties",
	"additionalProperties", "items", "allOf", "anyOf", "oneOf", "nullable",
	"default", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
	"x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-validations",
	"x-kubernetes-map-type", "x-kubernetes-embedded-resource", "title", "example",
	"externalDocs", NULL,
};

static struct snode *
compile_node(struct compiler *c, const struct node *n, const char *path)
{
	struct arena *a = c->s->arena;
	struct snode *s;
	const struct node *v;
	const char *t;
	size_t i, j;

	s = arena_alloc(a, sizeof(*s));
	s->path = path;
	s->min_length = s->max_length = s->min_items = s->max_items = -1;
	s->min_props = s->max_props = -1;
	if (n->kind != NODE_MAP) {
		cerr(c, n, "the schema at %s is not an object", path);
		return s;
	}
	for (i = 0; i < n->n; i++) {
		const char *k = n->pairs[i].key->str;

		for (j = 0; known_keys[j] != NULL; j++)
			if (strcmp(known_keys[j], k) == 0)
				break;
		if (known_keys[j] == NULL)
			cerr(c, n->pairs[i].key, "unsupported schema keyword %s at %s", k, path);
	}
	if ((t = get_str(n, "type")) != NULL) {
		s->types = type_bit(t);
		if (s->types == 0)
			cerr(c, node_get(n, "type"), "unknown type %s at %s", t, path);
	}
	s->int_or_string = get_bool(n, "x-kubernetes-int-or-string");
	s->nullable = get_bool(n, "nullable");
	s->preserve_unknown = get_bool(n, "x-kubernetes-preserve-unknown-fields");
	s->description = get_str(n, "description");
	if ((s->format_name = get_str(n, "format")) != NULL)
		s->format = schema_format(s->format_name);
	if ((v = node_get(n, "enum")) != NULL) {
		if (v->kind != NODE_SEQ)
			cerr(c, v, "enum at %s must be a list", path);
		else
			s->enum_vals = v;
	}
	if ((s->pattern = get_str(n, "pattern")) != NULL)
		s->re = compile_pattern(c, node_get(n, "pattern"), s->pattern);
	s->has_min = get_num(c, n, "minimum", &s->min);
	s->has_max = get_num(c, n, "maximum", &s->max);
	s->excl_min = get_bool(n, "exclusiveMinimum");
	s->excl_max = get_bool(n, "exclusiveMaximum");
	get_i64(c, n, "minLength", &s->min_length);
	get_i64(c, n, "maxLength", &s->max_length);
	get_i64(c, n, "minItems", &s->min_items);
	get_i64(c, n, "maxItems", &s->max_items);
	get_i64(c, n, "minProperties", &s->min_props);
	get_i64(c, n, "maxProperties", &s->max_props);
	s->required = str_list(c, n, "required", &s->nrequired);
	s->dflt = node_get(n, "default");
	if ((v = node_get(n, "properties")) != NULL) {
		if (v->kind != NODE_MAP) {
			cerr(c, v, "properties at %s must be a map", path);
		} else {
			s->has_props = true;
			s->nprops = v->n;
			s->props = arena_alloc(a, (v->n + 1) * sizeof(*s->props));
			for (i = 0; i < v->n; i++) {
				s->props[i].name = v->pairs[i].key->str;
				s->props[i].s = compile_node(c, v->pairs[i].val,
				    arena_printf(a, "%s%s%s", path, *path ? "." : "",
				    v->pairs[i].key->str));
			}
			qsort(s->props, s->nprops, sizeof(*s->props), prop_cmp);
			index_props(c, s);
		}
	}
	if ((v = node_get(n, "additionalProperties")) != NULL) {
		if (v->kind == NODE_MAP)
			s->additional = compile_node(c, v, arena_printf(a, "%s[*]", path));
		else if (v->kind == NODE_BOOL && !v->b)
			;	/* the structural default */
		else
			cerr(c, v, "additionalProperties at %s must be a schema", path);
	}
	if ((v = node_get(n, "items")) != NULL)
		s->items = compile_node(c, v, arena_printf(a, "%s[]", path));
	s->all_of = compile_list(c, node_get(n, "allOf"), path, &s->nall_of);
	s->any_of = compile_list(c, node_get(n, "anyOf"), path, &s->nany_of);
	s->one_of = compile_list(c, node_get(n, "oneOf"), path, &s->none_of);
	if ((t = get_str(n, "x-kubernetes-list-type")) != NULL) {
		if (strcmp(t, "set") == 0)
			s->list_type = SL_SET;
		else if (strcmp(t, "map") == 0)
			s->list_type = SL_MAP;
		else if (strcmp(t, "atomic") != 0)
			cerr(c, node_get(n, "x-kubernetes-list-type"),
			    "unknown x-kubernetes-list-type %s at %s", t, path);
	}
	s->map_keys = str_list(c, n, "x-kubernetes-list-map-keys", &s->nmap_keys);
	if (s->list_type == SL_MAP && s->nmap_keys == 0)
		cerr(c, n, "x-kubernetes-list-type map at %s needs x-kubernetes-list-map-keys", path);
	if ((v = node_get(n, "x-kubernetes-validations")) != NULL)
		compile_rules(c, s, v);
	return s;
}

struct first {
	struct node	*root;
};

static int
take_first(struct doc *d, void *ud)
{
	struct first *f = ud;

	if (f->root == NULL && d->root != NULL)
		f->root = d->root;
	return 0;
}

void
schema_free(struct schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	free_patterns(s->root);
	for (i = 0; i < s->nrules; i++) {
		cel_program_free(s->rules[i]->prog);
		cel_program_free(s->rules[i]->msg_prog);
	}
	free(s->rules);
	arena_free(s->arena);
	source_free(s->src);
	free(s->name);
	free(s);
}

/* The openAPIV3Schema of version v1alpha1 (or the only version). */
static const struct node *
find_schema(struct compiler *c, const struct node *crd)
{
	const struct node *vers, *v;
	size_t i;

	if (crd == NULL || crd->kind != NODE_MAP) {
		cerr(c, crd, "not a CustomResourceDefinition");
		return NULL;
	}
	v = node_path(crd, "spec.names.kind");
	if (v == NULL || v->kind != NODE_STRING || strcmp(v->str, "BackendTrafficPolicy") != 0) {
		cerr(c, v ? v : crd, "not the BackendTrafficPolicy CRD (spec.names.kind)");
		return NULL;
	}
	vers = node_path(crd, "spec.versions");
	if (vers == NULL || vers->kind != NODE_SEQ || vers->n == 0) {
		cerr(c, crd, "no spec.versions");
		return NULL;
	}
	for (i = 0; i < vers->n; i++) {
		const char *name = node_get_str(vers->items[i], "name");

		if (name != NULL && strcmp(name, "v1alpha1") == 0)
			break;
	}
	if (i == vers->n)
		i = 0;
	v = node_path(vers->items[i], "schema.openAPIV3Schema");
	if (v == NULL) {
		cerr(c, vers->items[i], "no schema.openAPIV3Schema");
		return NULL;
	}
	return v;
}

struct schema *
schema_load_text(const char *name, char *text, size_t len, unsigned flags,
    struct diags *d)
{
	struct compiler c;
	struct schema *s;
	struct load_opts lo;
	struct first f = { NULL };
	const struct node *root;
	size_t first = d->n, i;

	s = xcalloc(1, sizeof(*s));
	s->arena = arena_new();
	s->name = xstrdup(name);
	s->text = text;
	s->with_cel = !(flags & SCHEMA_NO_CEL);
	s->src = source_new(name, text, len, 1);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.d = d;
	c.flags = flags;
	load_opts_init(&lo);
	lo.max_nodes = 2000000;
	lo.max_doc_bytes = 32 * 1024 * 1024;
	if (load_source(s->src, s->arena, &lo, d, take_first, &f) != 0) {
		c.failed++;
	} else if ((root = find_schema(&c, f.root)) != NULL) {
		s->root = compile_node(&c, root, "");
	}
	s->rules = c.rules;
	s->nrules = c.nrules;
	if (c.failed || s->root == NULL) {
		/* the CRD's text goes away: keep file, line and column only */
		for (i = first; i < d->n; i++)
			if (d->v[i].loc.src == s->src)
				d->v[i].loc.src = NULL;
		schema_free(s);
		return NULL;
	}
	return s;
}

static int
version_index(const char *v)
{
	if (v == NULL)
		return 0;
	if (*v == 'v')
		v++;
	if (strcmp(v, "1.9") == 0 || strcmp(v, "1.9.0") == 0)
		return 0;
	if (strcmp(v, "1.8") == 0 || strcmp(v, "1.8.0") == 0)
		return 1;
	return -1;
}

struct schema *
schema_load_embedded(const char *api_version, unsigned flags, struct diags *d)
{
	const struct embedded_file *e;
	int vi = version_index(api_version);
	struct schema *s;
	char *name;

	if (vi < 0) {
		diag_add_file(d, SEV_ERROR, "schema", "--api-version",
		    "unknown API version \"%s\"; known: v1.9 (default), v1.8", api_version);
		return NULL;
	}
	for (e = embedded_files; e->name != NULL; e++)
		if (strcmp(e->name, embedded_names[vi]) == 0)
			break;
	if (e->name == NULL) {
		diag_add_file(d, SEV_ERROR, "schema", embedded_names[vi],
		    "the embedded CRD is missing from this build");
		return NULL;
	}
	s = schema_load_text(e->name, xstrndup((const char *)e->data, e->len), e->len,
	    flags, d);
	if (s != NULL) {
		name = xstrdup(vi == 0 ? "v1.9.0" : "v1.8.0");
		free(s->name);
		s->name = name;
	}
	return s;
}

struct schema *
schema_load_path(const char *path, unsigned flags, struct diags *d)
{
	char *data = NULL;
	size_t len = 0;
	int e;

	if (str_has_prefix(path, "http://") || str_has_prefix(path, "https://")) {
		struct fetch_opts fo = { (flags & SCHEMA_OFFLINE) != 0, NULL };

		if (fetch_url_opts(path, &fo, &data, &len, d) != 0)
			return NULL;
	} else if ((e = read_file(path, &data, &len)) != 0) {
		diag_add_file(d, SEV_ERROR, "io", path, "cannot read CRD: %s", strerror(e));
		return NULL;
	}
	return schema_load_text(path, data, len, flags, d);
}
