/*
 * node.c: see node.h.
 *
 * Invariant: a map's pairs and a sequence's items arrays always have room
 * for node_cap(n) entries, so appending is amortised O(1) whoever built
 * the node (the loader allocates with the same rule).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "node.h"
#include "util.h"

size_t
node_cap(size_t n)
{
	size_t c = 4;

	if (n == 0)
		return 0;
	while (c < n)
		c *= 2;
	return c;
}

struct node *
node_get(const struct node *n, const char *key)
{
	size_t i;

	if (n == NULL || n->kind != NODE_MAP)
		return NULL;
	/* the first byte rules out most keys without a call */
	for (i = 0; i < n->n; i++)
		if (n->pairs[i].key->str[0] == key[0] &&
		    strcmp(n->pairs[i].key->str, key) == 0)
			return n->pairs[i].val;
	return NULL;
}

struct node *
node_path(const struct node *n, const char *dotted)
{
	char buf[256];
	const char *p = dotted, *dot;
	size_t len;
	const struct node *cur = n;

	while (cur != NULL && *p != '\0') {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		if (len >= sizeof(buf))
			return NULL;
		memcpy(buf, p, len);
		buf[len] = '\0';
		cur = node_get(cur, buf);
		p += len;
		if (*p == '.')
			p++;
	}
	return (struct node *)(uintptr_t)cur;
}

bool
node_is_scalar(const struct node *n)
{
	return n != NULL && n->kind != NODE_MAP && n->kind != NODE_SEQ;
}

const char *
node_get_str(const struct node *n, const char *key)
{
	struct node *v = node_get(n, key);

	if (v == NULL || !node_is_scalar(v) || v->kind == NODE_NULL)
		return NULL;
	return v->str;
}

const char *
node_kind_name(enum node_kind k)
{
	switch (k) {
	case NODE_NULL:
		return "null";
	case NODE_BOOL:
		return "boolean";
	case NODE_INT:
		return "integer";
	case NODE_FLOAT:
		return "number";
	case NODE_STRING:
		return "string";
	case NODE_MAP:
		return "object";
	case NODE_SEQ:
		return "array";
	}
	return "?";
}

struct node *
node_new(struct arena *a, enum node_kind k)
{
	struct node *n = arena_alloc(a, sizeof(*n));

	n->kind = k;
	n->str = "";
	if (k == NODE_NULL)
		n->str = "null";
	return n;
}

struct node *
node_new_string(struct arena *a, const char *s)
{
	struct node *n = node_new(a, NODE_STRING);

	n->len = strlen(s);
	n->str = arena_strndup(a, s, n->len);
	n->quoted = 1;
	return n;
}

struct node *
node_new_int(struct arena *a, int64_t v)
{
	struct node *n = node_new(a, NODE_INT);

	n->i = v;
	n->f = (double)v;
	n->str = arena_printf(a, "%" PRId64, v);
	n->len = strlen(n->str);
	return n;
}

struct node *
node_new_bool(struct arena *a, bool v)
{
	struct node *n = node_new(a, NODE_BOOL);

	n->b = v;
	n->str = v ? "true" : "false";
	n->len = strlen(n->str);
	return n;
}

void
node_map_set(struct arena *a, struct node *map, const char *key,
    struct node *val)
{
	size_t i, cap;
	struct node_pair *np;
	struct node *k;

	for (i = 0; i < map->n; i++) {
		if (strcmp(map->pairs[i].key->str, key) == 0) {
			map->pairs[i].val = val;
			return;
		}
	}
	cap = node_cap(map->n);
	if (map->n == cap) {
		np = arena_alloc(a, node_cap(map->n + 1) * sizeof(*np));
		if (map->n > 0)
			memcpy(np, map->pairs, map->n * sizeof(*np));
		map->pairs = np;
	}
	k = node_new_string(a, key);
	k->quoted = 0;
	map->pairs[map->n].key = k;
	map->pairs[map->n].val = val;
	map->n++;
}

void
node_seq_push(struct arena *a, struct node *seq, struct node *item)
{
	size_t cap = node_cap(seq->n);
	struct node **ni;

	if (seq->n == cap) {
		ni = arena_alloc(a, node_cap(seq->n + 1) * sizeof(*ni));
		if (seq->n > 0)
			memcpy(ni, seq->items, seq->n * sizeof(*ni));
		seq->items = ni;
	}
	seq->items[seq->n++] = item;
}

struct node *
node_clone(struct arena *a, const struct node *n)
{
	struct node *c;
	size_t i;

	if (n == NULL)
		return NULL;
	c = arena_alloc(a, sizeof(*c));
	*c = *n;
	if (n->kind == NODE_MAP) {
		c->pairs = n->n ? arena_alloc(a, node_cap(n->n) * sizeof(*c->pairs)) : NULL;
		for (i = 0; i < n->n; i++) {
			c->pairs[i].key = node_clone(a, n->pairs[i].key);
			c->pairs[i].val = node_clone(a, n->pairs[i].val);
		}
	} else if (n->kind == NODE_SEQ) {
		c->items = n->n ? arena_alloc(a, node_cap(n->n) * sizeof(*c->items)) : NULL;
		for (i = 0; i < n->n; i++)
			c->items[i] = node_clone(a, n->items[i]);
	}
	return c;
}

bool
node_equal(const struct node *x, const struct node *y)
{
	size_t i;
	struct node *v;

	if (x == NULL || y == NULL)
		return x == y;
	if ((x->kind == NODE_INT || x->kind == NODE_FLOAT) &&
	    (y->kind == NODE_INT || y->kind == NODE_FLOAT)) {
		if (x->kind == NODE_INT && y->kind == NODE_INT)
			return x->i == y->i;
		return x->f == y->f;
	}
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case NODE_NULL:
		return true;
	case NODE_BOOL:
		return x->b == y->b;
	case NODE_STRING:
		return x->len == y->len && memcmp(x->str, y->str, x->len) == 0;
	case NODE_MAP:
		if (x->n != y->n)
			return false;
		for (i = 0; i < x->n; i++) {
			v = node_get(y, x->pairs[i].key->str);
			if (v == NULL || !node_equal(x->pairs[i].val, v))
				return false;
		}
		return true;
	case NODE_SEQ:
		if (x->n != y->n)
			return false;
		for (i = 0; i < x->n; i++)
			if (!node_equal(x->items[i], y->items[i]))
				return false;
		return true;
	default:
		return false;
	}
}

static void
json_string(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	sb_addc(sb, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '"':
			sb_adds(sb, "\\\"");
			break;
		case '\\':
			sb_adds(sb, "\\\\");
			break;
		case '\n':
			sb_adds(sb, "\\n");
			break;
		case '\t':
			sb_adds(sb, "\\t");
			break;
		case '\r':
			sb_adds(sb, "\\r");
			break;
		default:
			if (c < 0x20)
				sb_printf(sb, "\\u%04x", c);
			else
				sb_addc(sb, (char)c);
		}
	}
	sb_addc(sb, '"');
}

void
node_to_json(const struct node *n, struct strbuf *sb)
{
	size_t i;

	if (n == NULL) {
		sb_adds(sb, "null");
		return;
	}
	switch (n->kind) {
	case NODE_NULL:
		sb_adds(sb, "null");
		break;
	case NODE_BOOL:
		sb_adds(sb, n->b ? "true" : "false");
		break;
	case NODE_INT:
		sb_printf(sb, "%" PRId64, n->i);
		break;
	case NODE_FLOAT:
		if (isfinite(n->f))
			sb_printf(sb, "%.17g", n->f);
		else
			sb_adds(sb, "null");
		break;
	case NODE_STRING:
		json_string(sb, n->str, n->len);
		break;
	case NODE_MAP:
		sb_addc(sb, '{');
		for (i = 0; i < n->n; i++) {
			if (i)
				sb_addc(sb, ',');
			json_string(sb, n->pairs[i].key->str, n->pairs[i].key->len);
			sb_addc(sb, ':');
			node_to_json(n->pairs[i].val, sb);
		}
		sb_addc(sb, '}');
		break;
	case NODE_SEQ:
		sb_addc(sb, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				sb_addc(sb, ',');
			node_to_json(n->items[i], sb);
		}
		sb_addc(sb, ']');
		break;
	}
}

static bool
yaml_plain_ok(const char *s, size_t n)
{
	static const char *const special[] = {
		"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
		"True", "False", "Yes", "No", "On", "Off", "Y", "N", "Null",
		"TRUE", "FALSE", "YES", "NO", "ON", "OFF", "NULL", NULL
	};
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; special[i]; i++)
		if (strcmp(s, special[i]) == 0)
			return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@` 0123456789.+", s[0]) != NULL)
		return false;
	if (s[n - 1] == ' ' || s[n - 1] == ':')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c == '#' && i > 0 && s[i - 1] == ' ')
			return false;
		if (c == ':' && (i + 1 == n || s[i + 1] == ' '))
			return false;
	}
	return true;
}

static void
yaml_scalar(const struct node *n, struct strbuf *sb)
{
	if (n->kind == NODE_STRING) {
		if (yaml_plain_ok(n->str, n->len))
			sb_add(sb, n->str, n->len);
		else
			json_string(sb, n->str, n->len);
	} else
		node_to_json(n, sb);
}

static void
yaml_indent(struct strbuf *sb, int indent)
{
	int i;

	for (i = 0; i < indent; i++)
		sb_addc(sb, ' ');
}

void
node_to_yaml(const struct node *n, struct strbuf *sb, int indent)
{
	size_t i;
	const struct node *v;

	if (n == NULL || node_is_scalar(n)) {
		yaml_indent(sb, indent);
		if (n == NULL)
			sb_adds(sb, "null");
		else
			yaml_scalar(n, sb);
		sb_addc(sb, '\n');
		return;
	}
	if (n->n == 0) {
		yaml_indent(sb, indent);
		sb_adds(sb, n->kind == NODE_MAP ? "{}\n" : "[]\n");
		return;
	}
	for (i = 0; i < n->n; i++) {
		yaml_indent(sb, indent);
		if (n->kind == NODE_MAP) {
			yaml_scalar(n->pairs[i].key, sb);
			sb_addc(sb, ':');
			v = n->pairs[i].val;
		} else {
			sb_addc(sb, '-');
			v = n->items[i];
		}
		if (node_is_scalar(v) || v->n == 0) {
			sb_addc(sb, ' ');
			if (node_is_scalar(v))
				yaml_scalar(v, sb);
			else
				sb_adds(sb, v->kind == NODE_MAP ? "{}" : "[]");
			sb_addc(sb, '\n');
		} else {
			sb_addc(sb, '\n');
			node_to_yaml(v, sb, indent + 2);
		}
	}
}
