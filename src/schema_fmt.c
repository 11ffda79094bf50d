/*
 * schema_fmt.c: see schema_fmt.h.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "schema_fmt.h"
#include "util.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t want, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		want = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		want = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		want = 4;
	else
		return 0;
	if (want > n)
		return 0;
	for (i = 1; i < want; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return want;
}

void
go_quote(struct strbuf *sb, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, l;

	sb_addc(sb, '"');
	for (i = 0; i < n; i += l) {
		l = 1;
		switch (s[i]) {
		case '\a': sb_adds(sb, "\\a"); continue;
		case '\b': sb_adds(sb, "\\b"); continue;
		case '\f': sb_adds(sb, "\\f"); continue;
		case '\n': sb_adds(sb, "\\n"); continue;
		case '\r': sb_adds(sb, "\\r"); continue;
		case '\t': sb_adds(sb, "\\t"); continue;
		case '\v': sb_adds(sb, "\\v"); continue;
		case '\\': sb_adds(sb, "\\\\"); continue;
		case '"': sb_adds(sb, "\\\""); continue;
		default:
			break;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			sb_printf(sb, "\\x%02x", s[i]);
			continue;
		}
		if (s[i] < 0x80) {
			sb_addc(sb, (char)s[i]);
			continue;
		}
		if ((l = utf8_len(s + i, n - i)) == 0) {
			sb_printf(sb, "\\x%02x", s[i]);
			l = 1;
			continue;
		}
		sb_add(sb, s + i, l);
	}
	sb_addc(sb, '"');
}

void
go_float(struct strbuf *sb, double v)
{
	char buf[64], *e;
	int prec, exp;

	if (isnan(v)) {
		sb_adds(sb, "NaN");
		return;
	}
	if (isinf(v)) {
		sb_adds(sb, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* the shortest digits that read back as v */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	e = strchr(buf, 'e');
	exp = atoi(e + 1);
	if (exp < -4 || exp >= 21 || (exp >= 6 && v != 0)) {
		/* Go: 1e+06, 4.294967295e+09 */
		*e = '\0';
		sb_printf(sb, "%se%c%02d", buf, exp < 0 ? '-' : '+', abs(exp));
		return;
	}
	snprintf(buf, sizeof(buf), "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, v);
	sb_adds(sb, buf);
}

static int
pair_cmp(const void *a, const void *b)
{
	const struct node_pair *x = *(const struct node_pair *const *)a;
	const struct node_pair *y = *(const struct node_pair *const *)b;

	return strcmp(x->key->str, y->key->str);
}

static void
json_str(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	sb_addc(sb, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)c);
		} else if (c == '\n')
			sb_adds(sb, "\\n");
		else if (c == '\r')
			sb_adds(sb, "\\r");
		else if (c == '\t')
			sb_adds(sb, "\\t");
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			sb_printf(sb, "\\u%04x", c);
		else
			sb_addc(sb, (char)c);
	}
	sb_addc(sb, '"');
}

void
go_json(struct strbuf *sb, const struct node *n)
{
	const struct node_pair **v;
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
		go_float(sb, n->f);
		break;
	case NODE_STRING:
		json_str(sb, n->str, n->len);
		break;
	case NODE_MAP:
		v = xreallocarray(NULL, n->n + 1, sizeof(*v));
		for (i = 0; i < n->n; i++)
			v[i] = &n->pairs[i];
		qsort(v, n->n, sizeof(*v), pair_cmp);
		sb_addc(sb, '{');
		for (i = 0; i < n->n; i++) {
			if (i)
				sb_addc(sb, ',');
			json_str(sb, v[i]->key->str, strlen(v[i]->key->str));
			sb_addc(sb, ':');
			go_json(sb, v[i]->val);
		}
		sb_addc(sb, '}');
		free(v);
		break;
	case NODE_SEQ:
		sb_addc(sb, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				sb_addc(sb, ',');
			go_json(sb, n->items[i]);
		}
		sb_addc(sb, ']');
		break;
	}
}

void
go_value(struct strbuf *sb, const struct node *n)
{
	if (n == NULL || n->kind == NODE_NULL) {
		sb_adds(sb, "null");
		return;
	}
	switch (n->kind) {
	case NODE_STRING:
		go_quote(sb, n->str, n->len);
		break;
	case NODE_INT:
		sb_printf(sb, "%" PRId64, n->i);
		break;
	case NODE_FLOAT:
		go_float(sb, n->f);
		break;
	case NODE_BOOL:
		sb_adds(sb, n->b ? "true" : "false");
		break;
	default:
		go_json(sb, n);
		break;
	}
}

const char *
value_json_type(const struct node *n)
{
	if (n == NULL)
		return "null";
	switch (n->kind) {
	case NODE_NULL: return "null";
	case NODE_BOOL: return "boolean";
	case NODE_INT: return "integer";
	case NODE_FLOAT: return "number";
	case NODE_STRING: return "string";
	case NODE_MAP: return "object";
	case NODE_SEQ: return "array";
	}
	return "null";
}
