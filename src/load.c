/*
 * load.c: see load.h.
 *
 * The parser builds a tree from libyaml events with an explicit stack (no
 * recursion, so depth is only bounded by max_depth).  Aliases share the
 * anchored subtree; the expanded size of every alias counts against
 * max_nodes, which stops "billion laughs" documents early.  Merge keys
 * ("<<") copy the members of the merged maps that the map does not set
 * itself, as go-yaml does.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "arena.h"
#include "diag.h"
#include "fetch.h"
#include "load.h"
#include "source.h"
#include "util.h"

size_t node_cap(size_t n);

void
load_opts_init(struct load_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_doc_bytes = 3 * 1024 * 1024;
	o->max_nodes = 100000;
	o->max_depth = 100;
}

/* ---- scalar resolution (go-yaml v2, then the JSON round trip) ---- */

static bool
is_null_word(const char *s)
{
	return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static int
bool_word(const char *s)
{
	static const char *const t[] = { "y", "Y", "yes", "Yes", "YES", "true",
	    "True", "TRUE", "on", "On", "ON", NULL };
	static const char *const f[] = { "n", "N", "no", "No", "NO", "false",
	    "False", "FALSE", "off", "Off", "OFF", NULL };
	size_t i;

	for (i = 0; t[i]; i++)
		if (strcmp(s, t[i]) == 0)
			return 1;
	for (i = 0; f[i]; i++)
		if (strcmp(s, f[i]) == 0)
			return 0;
	return -1;
}

/* Go strconv.ParseInt(s, 0, 64) after removing underscores. */
static bool
parse_go_int(const char *in, int64_t *out)
{
	char buf[80];
	size_t n = 0;
	const char *p;
	bool neg = false;
	int base = 10;
	uint64_t v = 0, lim;
	int d;

	for (p = in; *p; p++) {
		if (*p == '_')
			continue;
		if (n + 1 >= sizeof(buf))
			return false;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	p = buf;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p == '\0')
		return false;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
		base = 8;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && p[1] != '\0') {
		base = 8;
		p += 1;
	}
	if (*p == '\0')
		return false;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return false;
		if (d >= base)
			return false;
		if (v > (lim - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* go-yaml v2's float pattern, plus .inf/.nan. */
static bool
parse_yaml_float(const char *s, double *out)
{
	const char *p = s;
	bool digits = false;

	if (strcmp(s, ".inf") == 0 || strcmp(s, ".Inf") == 0 || strcmp(s, ".INF") == 0 ||
	    strcmp(s, "+.inf") == 0 || strcmp(s, "+.Inf") == 0 || strcmp(s, "+.INF") == 0) {
		*out = INFINITY;
		return true;
	}
	if (strcmp(s, "-.inf") == 0 || strcmp(s, "-.Inf") == 0 || strcmp(s, "-.INF") == 0) {
		*out = -INFINITY;
		return true;
	}
	if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 || strcmp(s, ".NAN") == 0) {
		*out = NAN;
		return true;
	}
	if (*p == '+' || *p == '-')
		p++;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
		digits = true;
	} else {
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
		if (!digits)
			return false;
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return false;
	*out = strtod(s, NULL);
	return true;
}

static void
resolve_scalar(struct node *n, const char *tag, bool plain)
{
	int b;
	int64_t iv;
	double fv;

	if (tag != NULL && strcmp(tag, YAML_STR_TAG) == 0) {
		n->kind = NODE_STRING;
		return;
	}
	if (!plain && tag == NULL) {
		n->kind = NODE_STRING;
		return;
	}
	if (is_null_word(n->str)) {
		n->kind = NODE_NULL;
		return;
	}
	if ((b = bool_word(n->str)) >= 0) {
		n->kind = NODE_BOOL;
		n->b = b == 1;
		return;
	}
	if (strchr("+-.0123456789", n->str[0]) != NULL) {
		if (parse_go_int(n->str, &iv)) {
			n->kind = NODE_INT;
			n->i = iv;
			n->f = (double)iv;
			return;
		}
		if (parse_yaml_float(n->str, &fv)) {
			/* encoding/json writes integral floats below 1e21 as integers */
			if (isfinite(fv) && fv == floor(fv) && fabs(fv) < 9.2e18) {
				n->kind = NODE_INT;
				n->i = (int64_t)fv;
				n->f = fv;
			} else {
				n->kind = NODE_FLOAT;
				n->f = fv;
			}
			return;
		}
	}
	n->kind = NODE_STRING;
}

/* Keys are strings to the API server: booleans print as true/false. */
static void
normalize_key(struct arena *a, struct node *k)
{
	if (k->kind == NODE_BOOL) {
		k->str = k->b ? "true" : "false";
		k->len = strlen(k->str);
	} else if (k->kind == NODE_INT) {
		k->str = arena_printf(a, "%" PRId64, k->i);
		k->len = strlen(k->str);
	}
}

/* ---- tree building ---- */

struct frame {
	struct node	*node;
	struct node	*pending_key;	/* maps: key waiting for its value */
	const char	*anchor;
	size_t		 cap;
	size_t		 nodes_before;	/* node count when the frame opened */
};

struct anchor {
	const char	*name;
	struct node	*node;
	size_t		 size;		/* nodes in its subtree */
};

struct builder {
	struct arena		*a;
	const struct source	*src;
	const struct load_opts	*opts;
	struct diags		*diags;
	struct frame		*stack;
	size_t			 depth, stackcap;
	struct anchor		*anchors;
	size_t			 nanchors, anchorcap;
	size_t			 nodes;		/* expanded nodes in this document */
	struct node		*root;
	bool			 failed;
	bool			 json;
};

static void
set_loc(struct builder *b, struct loc *l, const yaml_mark_t *s, const yaml_mark_t *e)
{
	l->src = b->src;
	l->line = (int)s->line + 1;
	l->col = (int)s->column + 1;
	l->start = s->index;
	l->end = e->index;
}

static void
mark_loc(struct builder *b, struct loc *l, const yaml_mark_t *m)
{
	set_loc(b, l, m, m);
}

static void
add_to_parent(struct builder *b, struct node *n, size_t size);

static void
remember_anchor(struct builder *b, const char *name, struct node *n, size_t size)
{
	size_t i;

	for (i = 0; i < b->nanchors; i++) {
		if (strcmp(b->anchors[i].name, name) == 0) {
			b->anchors[i].node = n;
			b->anchors[i].size = size;
			return;
		}
	}
	if (b->nanchors == b->anchorcap) {
		b->anchorcap = b->anchorcap ? b->anchorcap * 2 : 8;
		b->anchors = xreallocarray(b->anchors, b->anchorcap, sizeof(*b->anchors));
	}
	b->anchors[b->nanchors].name = arena_strdup(b->a, name);
	b->anchors[b->nanchors].node = n;
	b->anchors[b->nanchors].size = size;
	b->nanchors++;
}

static void
grow_items(struct builder *b, struct frame *f)
{
	size_t ncap;
	void *p;

	if (f->node->n < f->cap)
		return;
	ncap = f->cap ? f->cap * 2 : 4;
	if (f->node->kind == NODE_MAP) {
		p = arena_alloc(b->a, ncap * sizeof(struct node_pair));
		if (f->node->n)
			memcpy(p, f->node->pairs, f->node->n * sizeof(struct node_pair));
		f->node->pairs = p;
	} else {
		p = arena_alloc(b->a, ncap * sizeof(struct node *));
		if (f->node->n)
			memcpy(p, f->node->items, f->node->n * sizeof(struct node *));
		f->node->items = p;
	}
	f->cap = ncap;
}

/* Merge key: copy members of src map(s) missing from map. */
static void
apply_merge(struct builder *b, struct frame *f, struct node *keynode, struct node *v)
{
	size_t i, j;
	struct node *m;

	if (v->kind == NODE_SEQ) {
		for (i = 0; i < v->n; i++)
			apply_merge(b, f, keynode, v->items[i]);
		return;
	}
	if (v->kind != NODE_MAP) {
		diag_add(b->diags, SEV_ERROR, "yaml", &v->loc,
		    "map merge requires map or sequence of maps as the value");
		b->failed = true;
		return;
	}
	m = f->node;
	for (i = 0; i < v->n; i++) {
		for (j = 0; j < m->n; j++)
			if (strcmp(m->pairs[j].key->str, v->pairs[i].key->str) == 0)
				break;
		if (j < m->n)
			continue;
		grow_items(b, f);
		m->pairs[m->n] = v->pairs[i];
		m->n++;
	}
	(void)keynode;
}

static void
add_to_parent(struct builder *b, struct node *n, size_t size)
{
	struct frame *f;
	struct node *k;
	size_t i;

	(void)size;
	if (b->depth == 0) {
		b->root = n;
		return;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->kind == NODE_SEQ) {
		grow_items(b, f);
		f->node->items[f->node->n++] = n;
		return;
	}
	if (f->pending_key == NULL) {
		if (!node_is_scalar(n)) {
			diag_add(b->diags, SEV_ERROR, "yaml", &n->loc,
			    "mapping keys must be scalars (found a %s)",
			    n->kind == NODE_MAP ? "map" : "sequence");
			b->failed = true;
			k = node_new_string(b->a, "?");
			k->loc = n->loc;
			f->pending_key = k;
			return;
		}
		normalize_key(b->a, n);
		f->pending_key = n;
		return;
	}
	k = f->pending_key;
	f->pending_key = NULL;
	if (k->kind != NODE_STRING && strcmp(k->str, "<<") == 0)
		k->kind = NODE_STRING;
	if (strcmp(k->str, "<<") == 0 && !k->quoted) {
		apply_merge(b, f, k, n);
		return;
	}
	for (i = 0; i < f->node->n; i++) {
		struct node_pair *p = &f->node->pairs[i];

		if (strcmp(p->key->str, k->str) == 0) {
			if (p->key->loc.src == NULL || p->key->loc.line == 0 ||
			    p->key->loc.start < f->node->loc.start) {
				/* came from a merge: an explicit key wins */
				p->key = k;
				p->val = n;
				return;
			}
			struct diag *d = diag_add(b->diags, SEV_ERROR, "yaml", &k->loc,
			    "duplicate key \"%s\": mapping key already defined at line %d",
			    k->str, p->key->loc.line);
			diag_set_note(d, &p->key->loc, "first defined here");
			b->failed = true;
			return;
		}
	}
	grow_items(b, f);
	f->node->pairs[f->node->n].key = k;
	f->node->pairs[f->node->n].val = n;
	f->node->n++;
}

static bool
count_nodes(struct builder *b, size_t n, const struct loc *loc)
{
	b->nodes += n;
	if (b->nodes > b->opts->max_nodes) {
		diag_add(b->diags, SEV_ERROR, "yaml", loc,
		    "document expands to more than %zu nodes (aliases used as an expansion bomb?)",
		    b->opts->max_nodes);
		b->failed = true;
		return false;
	}
	return true;
}

static bool
push(struct builder *b, struct node *n, const char *anchor)
{
	struct frame *f;

	if ((int)b->depth >= b->opts->max_depth) {
		diag_add(b->diags, SEV_ERROR, "yaml", &n->loc,
		    "nesting deeper than %d levels", b->opts->max_depth);
		b->failed = true;
		return false;
	}
	if (b->depth == b->stackcap) {
		b->stackcap = b->stackcap ? b->stackcap * 2 : 16;
		b->stack = xreallocarray(b->stack, b->stackcap, sizeof(*b->stack));
	}
	f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->anchor = anchor ? arena_strdup(b->a, anchor) : NULL;
	f->nodes_before = b->nodes;
	return true;
}

static void
pop(struct builder *b)
{
	struct frame f = b->stack[--b->depth];
	size_t size = b->nodes - f.nodes_before + 1;

	if (f.pending_key != NULL) {
		/* a key without a value: libyaml gives it a null, so unreachable */
		f.pending_key = NULL;
	}
	if (f.anchor != NULL)
		remember_anchor(b, f.anchor, f.node, size);
	add_to_parent(b, f.node, size);
}

static void
yaml_problem(struct builder *b, const yaml_parser_t *p)
{
	struct loc l;
	const char *what = p->problem ? p->problem : "syntax error";
	int tab = 0;

	mark_loc(b, &l, &p->problem_mark);
	if (p->error == YAML_READER_ERROR) {
		/* reader errors carry a byte offset only */
		size_t off = p->problem_offset, lo = 0, hi = b->src->nlines;

		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;

			if (b->src->lines[mid] <= off)
				lo = mid;
			else
				hi = mid;
		}
		l.line = (int)lo + 1;
		l.col = (int)(off - b->src->lines[lo]) + 1;
		l.start = l.end = off;
		if (strstr(what, "UTF-8") != NULL || strstr(what, "utf-8") != NULL)
			what = "invalid UTF-8";
	} else if (l.start < b->src->len && b->src->data[l.start] == '\t')
		tab = 1;
	if (tab)
		diag_add(b->diags, SEV_ERROR, "yaml", &l,
		    "tab character used for indentation (YAML allows only spaces)");
	else if (p->context != NULL) {
		struct diag *d = diag_add(b->diags, SEV_ERROR, "yaml", &l,
		    "%s %s", what, p->context);
		struct loc cl;

		mark_loc(b, &cl, &p->context_mark);
		if (cl.line != l.line || cl.col != l.col)
			diag_set_note(d, &cl, "%s", p->context);
	} else
		diag_add(b->diags, SEV_ERROR, "yaml", &l, "%s", what);
	b->failed = true;
}

/*
 * JSON allows tabs between tokens; YAML 1.1 does not.  Replace them with
 * spaces (outside strings), which keeps every byte offset.
 */
static char *
json_detab(const struct source *src, bool *changed)
{
	char *copy = NULL;
	size_t i;
	bool instr = false, esc = false;

	*changed = false;
	for (i = 0; i < src->len; i++) {
		char c = src->data[i];

		if (instr) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				instr = false;
			continue;
		}
		if (c == '"')
			instr = true;
		else if (c == '\t') {
			if (copy == NULL) {
				copy = xmalloc(src->len + 1);
				memcpy(copy, src->data, src->len + 1);
			}
			copy[i] = ' ';
			*changed = true;
		}
	}
	return copy;
}

static bool
looks_json(const struct source *src)
{
	size_t i;

	for (i = 0; i < src->len; i++) {
		char c = src->data[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		return c == '{' || c == '[';
	}
	return false;
}

int
load_source(const struct source *src, struct arena *arena,
    const struct load_opts *opts, struct diags *diags, doc_fn fn, void *ud)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct builder b;
	struct node *n;
	struct doc doc;
	struct loc l;
	char *detabbed = NULL;
	const unsigned char *input;
	bool changed, done = false, any = false;
	int rc = 0, docindex = 0;
	size_t i, docstart = 0;

	memset(&b, 0, sizeof(b));
	b.a = arena;
	b.src = src;
	b.opts = opts;
	b.diags = diags;

	memset(&l, 0, sizeof(l));
	l.src = src;
	l.line = 1;
	l.col = 1;
	if (memchr(src->data, '\0', src->len) != NULL) {
		const char *z = memchr(src->data, '\0', src->len);
		size_t off = (size_t)(z - src->data), lo = 0;

		while (lo + 1 < src->nlines && src->lines[lo + 1] <= off)
			lo++;
		l.line = (int)lo + 1;
		l.col = (int)(off - src->lines[lo]) + 1;
		l.start = l.end = off;
		diag_add(diags, SEV_ERROR, "yaml", &l,
		    "binary file (NUL byte at offset %zu): not YAML or JSON", off);
		return 1;
	}
	input = (const unsigned char *)src->data;
	if (looks_json(src)) {
		b.json = true;
		detabbed = json_detab(src, &changed);
		if (detabbed != NULL)
			input = (const unsigned char *)detabbed;
	}

	if (!yaml_parser_initialize(&parser))
		fatal("libyaml: out of memory");
	yaml_parser_set_input_string(&parser, input, src->len);

	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			yaml_problem(&b, &parser);
			rc = 1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			b.root = NULL;
			b.nodes = 0;
			b.depth = 0;
			b.nanchors = 0;
			b.failed = false;
			docstart = ev.start_mark.index;
			mark_loc(&b, &doc.loc, &ev.start_mark);
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (ev.end_mark.index - docstart > opts->max_doc_bytes) {
				diag_add(diags, SEV_ERROR, "yaml", &doc.loc,
				    "document of %zu bytes exceeds the limit of %zu bytes",
				    ev.end_mark.index - docstart, opts->max_doc_bytes);
				b.failed = true;
			}
			if (b.failed) {
				rc = 1;
			} else if (b.root != NULL && !(b.root->kind == NODE_NULL &&
			    b.root->len == 0 && !b.root->quoted)) {
				any = true;
				doc.root = b.root;
				doc.src = src;
				doc.index = docindex;
				if (fn != NULL && (i = (size_t)fn(&doc, ud)) != 0) {
					rc = (int)i;
					done = true;
				}
			}
			docindex++;
			break;
		case YAML_SCALAR_EVENT:
			n = arena_alloc(arena, sizeof(*n));
			set_loc(&b, &n->loc, &ev.start_mark, &ev.end_mark);
			n->str = arena_strndup(arena, (const char *)ev.data.scalar.value,
			    ev.data.scalar.length);
			n->len = ev.data.scalar.length;
			if (ev.data.scalar.tag != NULL &&
			    strcmp((const char *)ev.data.scalar.tag, "!") != 0)
				n->tag = arena_strdup(arena, (const char *)ev.data.scalar.tag);
			n->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
			resolve_scalar(n, n->tag, !n->quoted);
			if (!count_nodes(&b, 1, &n->loc))
				goto skipdoc;
			if (ev.data.scalar.anchor != NULL)
				remember_anchor(&b, (const char *)ev.data.scalar.anchor, n, 1);
			add_to_parent(&b, n, 1);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			n = arena_alloc(arena, sizeof(*n));
			n->kind = ev.type == YAML_MAPPING_START_EVENT ? NODE_MAP : NODE_SEQ;
			n->str = "";
			set_loc(&b, &n->loc, &ev.start_mark, &ev.end_mark);
			if (ev.type == YAML_MAPPING_START_EVENT)
				n->flow = ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
			else
				n->flow = ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
			if (!count_nodes(&b, 1, &n->loc))
				goto skipdoc;
			if (!push(&b, n, (const char *)(ev.type == YAML_MAPPING_START_EVENT ?
			    ev.data.mapping_start.anchor : ev.data.sequence_start.anchor)))
				goto skipdoc;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (b.depth > 0) {
				b.stack[b.depth - 1].node->loc.end = ev.end_mark.index;
				pop(&b);
			}
			break;
		case YAML_ALIAS_EVENT:
			for (i = 0; i < b.nanchors; i++)
				if (strcmp(b.anchors[i].name, (const char *)ev.data.alias.anchor) == 0)
					break;
			if (i == b.nanchors) {
				mark_loc(&b, &l, &ev.start_mark);
				diag_add(diags, SEV_ERROR, "yaml", &l,
				    "unknown anchor '%s' referenced", ev.data.alias.anchor);
				b.failed = true;
				break;
			}
			mark_loc(&b, &l, &ev.start_mark);
			if (!count_nodes(&b, b.anchors[i].size, &l))
				goto skipdoc;
			add_to_parent(&b, b.anchors[i].node, b.anchors[i].size);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		continue;
skipdoc:
		/* skip the rest of this document's events */
		yaml_event_delete(&ev);
		rc = 1;
		for (;;) {
			if (!yaml_parser_parse(&parser, &ev)) {
				done = true;
				break;
			}
			if (ev.type == YAML_DOCUMENT_END_EVENT || ev.type == YAML_STREAM_END_EVENT) {
				done = ev.type == YAML_STREAM_END_EVENT;
				break;
			}
			yaml_event_delete(&ev);
		}
		yaml_event_delete(&ev);
		b.depth = 0;
		b.root = NULL;
		docindex++;
	}
	yaml_parser_delete(&parser);
	free(b.stack);
	free(b.anchors);
	free(detabbed);
	if (!any && rc == 0 && !opts->empty_ok) {
		diag_add(diags, SEV_ERROR, "yaml", &l,
		    "empty input: no YAML or JSON document");
		rc = 1;
	}
	return rc;
}

static int
first_doc(struct doc *d, void *ud)
{
	*(struct node **)ud = d->root;
	return 2;
}

struct node *
load_string(struct arena *a, const char *name, const char *text, struct diags *d)
{
	struct source *src;
	struct load_opts o;
	struct node *root = NULL;

	load_opts_init(&o);
	o.empty_ok = true;
	/* the source must outlive the nodes: it lives as long as the process */
	src = source_new(name, xstrdup(text), strlen(text), 1);
	load_source(src, a, &o, d, first_doc, &root);
	return root;
}

/* ---- inputs ---- */

void
inputs_init(struct inputs *in)
{
	memset(in, 0, sizeof(*in));
}

void
inputs_release(struct inputs *in)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		source_free(in->v[i]);
	free(in->v);
	memset(in, 0, sizeof(*in));
}

static void
inputs_push(struct inputs *in, struct source *s)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 16;
		in->v = xreallocarray(in->v, in->cap, sizeof(*in->v));
	}
	in->v[in->n++] = s;
}

void
inputs_add_bytes(struct inputs *in, const char *name, char *data, size_t len)
{
	inputs_push(in, source_new(name, data, len, 1));
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
load_yaml_name(const char *name)
{
	return str_has_suffix(name, ".yaml") || str_has_suffix(name, ".yml") ||
	    str_has_suffix(name, ".json");
}

static int
add_dir(struct inputs *in, const char *path, const struct load_opts *o,
    struct diags *d, int depth)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL, *full;
	size_t n = 0, cap = 0, i;
	struct stat st;
	int rc = 0, r;

	if (depth > 64)
		return 0;
	if ((dir = opendir(path)) == NULL) {
		diag_add_file(d, SEV_ERROR, "io", path, "cannot read directory: %s",
		    strerror(errno));
		return 3;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), strp_cmp);
	for (i = 0; i < n; i++) {
		full = str_has_suffix(path, "/") ? xasprintf("%s%s", path, names[i]) :
		    xasprintf("%s/%s", path, names[i]);
		if (stat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				r = add_dir(in, full, o, d, depth + 1);
			else if (S_ISREG(st.st_mode) &&
			    (o->dir_filter ? o->dir_filter(names[i]) :
			    load_yaml_name(names[i])))
				r = inputs_add(in, full, o, d);
			else
				r = 0;
			if (r > rc)
				rc = r;
		}
		free(full);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
inputs_add(struct inputs *in, const char *path, const struct load_opts *o,
    struct diags *d)
{
	struct stat st;
	char *data;
	size_t len;
	int err;

	if (str_has_prefix(path, "http://") || str_has_prefix(path, "https://")) {
		if (o->offline) {
			diag_add_file(d, SEV_ERROR, "io", path,
			    "cannot fetch a URL with --offline");
			return 3;
		}
		if (fetch_url(path, &data, &len, d) != 0)
			return 3;
		inputs_add_bytes(in, path, data, len);
		return 0;
	}
	if (strcmp(path, "-") == 0) {
		if ((err = read_file("-", &data, &len)) != 0) {
			diag_add_file(d, SEV_ERROR, "io", "<stdin>", "cannot read: %s",
			    strerror(err));
			return 3;
		}
		inputs_add_bytes(in, "<stdin>", data, len);
		return 0;
	}
	if (stat(path, &st) != 0) {
		diag_add_file(d, SEV_ERROR, "io", path, "cannot open: %s", strerror(errno));
		return 3;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(in, path, o, d, 0);
	if ((err = read_file(path, &data, &len)) != 0) {
		diag_add_file(d, SEV_ERROR, "io", path, "cannot read: %s", strerror(err));
		return 3;
	}
	inputs_add_bytes(in, path, data, len);
	return 0;
}

void
docset_init(struct docset *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->arena = arena_new();
}

void
docset_release(struct docset *ds)
{
	arena_free(ds->arena);
	free(ds->v);
	memset(ds, 0, sizeof(*ds));
}

static int
collect_doc(struct doc *doc, void *ud)
{
	struct docset *ds = ud;

	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? ds->cap * 2 : 64;
		ds->v = xreallocarray(ds->v, ds->cap, sizeof(*ds->v));
	}
	ds->v[ds->n++] = *doc;
	return 0;
}

int
docset_load(struct docset *ds, const struct inputs *in,
    const struct load_opts *o, struct diags *d)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < in->n; i++)
		if (load_source(in->v[i], ds->arena, o, d, collect_doc, ds) != 0)
			rc = 1;
	return rc;
}
