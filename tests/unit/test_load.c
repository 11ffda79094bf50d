/*
 * test_load.c: the loader: scalar resolution as kubectl reads YAML (go-yaml
 * v2, then encoding/json), keys, merge keys, aliases, locations, stream
 * splitting, and the bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "source.h"
#include "util.h"
#include "unit.h"

struct want {
	const char	*text;
	enum node_kind	 kind;
	const char	*json;		/* node_to_json of the value */
};

/* Plain scalars, resolved as kubectl would send them. */
static const struct want plain[] = {
	{ "yes", NODE_BOOL, "true" }, { "Yes", NODE_BOOL, "true" },
	{ "YES", NODE_BOOL, "true" }, { "y", NODE_BOOL, "true" },
	{ "Y", NODE_BOOL, "true" }, { "on", NODE_BOOL, "true" },
	{ "ON", NODE_BOOL, "true" }, { "True", NODE_BOOL, "true" },
	{ "no", NODE_BOOL, "false" }, { "n", NODE_BOOL, "false" },
	{ "off", NODE_BOOL, "false" }, { "Off", NODE_BOOL, "false" },
	{ "FALSE", NODE_BOOL, "false" },
	{ "yEs", NODE_STRING, "\"yEs\"" }, { "nO", NODE_STRING, "\"nO\"" },
	{ "null", NODE_NULL, "null" }, { "~", NODE_NULL, "null" },
	{ "NULL", NODE_NULL, "null" }, { "nUll", NODE_STRING, "\"nUll\"" },
	{ "0x10", NODE_INT, "16" }, { "0X1f", NODE_INT, "31" },
	{ "010", NODE_INT, "8" }, { "0o10", NODE_INT, "8" },
	{ "0b101", NODE_INT, "5" }, { "-0b11", NODE_INT, "-3" },
	{ "1_000", NODE_INT, "1000" }, { "+12", NODE_INT, "12" },
	{ "-0x10", NODE_INT, "-16" }, { "08", NODE_INT, "8" },
	{ "09.5", NODE_FLOAT, "9.5" },
	{ "1.0", NODE_INT, "1" }, { "1.", NODE_INT, "1" },
	{ "1e3", NODE_INT, "1000" }, { "1.5", NODE_FLOAT, "1.5" },
	{ ".5", NODE_FLOAT, "0.5" }, { "-.5", NODE_FLOAT, "-0.5" },
	{ "1_0.5", NODE_FLOAT, "10.5" }, { "._5", NODE_STRING, "\"._5\"" },
	{ "9223372036854775807", NODE_INT, "9223372036854775807" },
	{ "-9223372036854775808", NODE_INT, "-9223372036854775808" },
	{ "9223372036854775808", NODE_FLOAT, "9.2233720368547758e+18" },
	{ "1e30", NODE_FLOAT, "1e+30" },
	{ "0x8000000000000000", NODE_FLOAT, "9.2233720368547758e+18" },
	{ "18446744073709551615", NODE_FLOAT, "1.8446744073709552e+19" },
	{ "18446744073709551616", NODE_FLOAT, "1.8446744073709552e+19" },
	{ "0x10000000000000000", NODE_STRING, "\"0x10000000000000000\"" },
	{ "2001-12-14", NODE_STRING, "\"2001-12-14\"" },
	{ "2001-12-14t21:59:43.10-05:00", NODE_STRING,
	  "\"2001-12-14t21:59:43.10-05:00\"" },
	{ "1:20", NODE_STRING, "\"1:20\"" }, { "0x", NODE_STRING, "\"0x\"" },
	{ "_1", NODE_STRING, "\"_1\"" }, { "+", NODE_STRING, "\"+\"" },
	{ "1e", NODE_STRING, "\"1e\"" }, { "0xZZ", NODE_STRING, "\"0xZZ\"" },
	{ "10s", NODE_STRING, "\"10s\"" }, { "1Mi", NODE_STRING, "\"1Mi\"" },
	{ ".inf", NODE_FLOAT, "null" }, { "-.Inf", NODE_FLOAT, "null" },
	{ ".NaN", NODE_FLOAT, "null" },
};

TEST(plain_scalars)
{
	struct node n;
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < nitems(plain); i++) {
		memset(&n, 0, sizeof(n));
		n.str = plain[i].text;
		n.len = strlen(n.str);
		CHECK(load_resolve_scalar(&n, NULL, true));
		sb_reset(&sb);
		node_to_json(&n, &sb);
		if (n.kind != plain[i].kind || strcmp(sb.buf, plain[i].json) != 0)
			fprintf(stderr, "  %s -> %s %s, want %s %s\n", plain[i].text,
			    node_kind_name(n.kind), sb.buf,
			    node_kind_name(plain[i].kind), plain[i].json);
		CHECK_INT(n.kind, plain[i].kind);
		CHECK_STR(sb.buf, plain[i].json);
	}
	sb_release(&sb);
}

TEST(quoted_and_tagged)
{
	struct node n;

	memset(&n, 0, sizeof(n));
	n.str = "yes";
	CHECK(load_resolve_scalar(&n, NULL, false));
	CHECK_INT(n.kind, NODE_STRING);
	CHECK(load_resolve_scalar(&n, "tag:yaml.org,2002:str", true));
	CHECK_INT(n.kind, NODE_STRING);
	n.str = "12";
	CHECK(load_resolve_scalar(&n, "tag:yaml.org,2002:int", false));
	CHECK_INT(n.kind, NODE_INT);
	CHECK_INT(n.i, 12);
	CHECK(load_resolve_scalar(&n, "tag:yaml.org,2002:float", true));
	CHECK_INT(n.kind, NODE_INT);	/* 12.0 is sent as 12 */
	n.str = "abc";
	CHECK(!load_resolve_scalar(&n, "tag:yaml.org,2002:int", true));
	CHECK(!load_resolve_scalar(&n, "tag:yaml.org,2002:bool", true));
	CHECK(load_resolve_scalar(&n, "!local", true));
	CHECK_INT(n.kind, NODE_STRING);
	n.str = "5";
	CHECK(load_resolve_scalar(&n, "!", true));
	CHECK_INT(n.kind, NODE_STRING);
}

static char *
json_of(const char *yaml, size_t *nerr)
{
	struct arena *a = arena_new();
	struct diags d;
	struct strbuf sb;
	struct node *root;

	diags_init(&d);
	sb_init(&sb);
	root = load_string(a, "t.yaml", yaml, &d);
	if (root != NULL)
		node_to_json(root, &sb);
	else
		sb_adds(&sb, "(none)");
	*nerr = d.count[SEV_ERROR];
	diags_release(&d);
	arena_free(a);
	return sb_detach(&sb);
}

#define CHECK_JSON(yaml, want) do {					\
	size_t ne_;							\
	char *j_ = json_of(yaml, &ne_);					\
	CHECK_STR(j_, want);						\
	CHECK_INT(ne_, 0);						\
	free(j_);							\
} while (0)

#define CHECK_ERRORS(yaml, n) do {					\
	size_t ne_;							\
	char *j_ = json_of(yaml, &ne_);					\
	CHECK_INT(ne_, n);						\
	free(j_);							\
} while (0)

TEST(key_spellings)
{
	CHECK_JSON("y: 1\nn: 2\n0x10: a\n010: b\n1.0: c\n1.5: d\n1e6: e\n\"yes\": f\n",
	    "{\"true\":1,\"false\":2,\"16\":\"a\",\"8\":\"b\",\"1\":\"c\",\"1.5\":\"d\","
	    "\"1e+06\":\"e\",\"yes\":\"f\"}");
	CHECK_JSON("100000.0: a\n0.0001: b\n0.00001: c\n", "{\"100000\":\"a\",\"0.0001\":\"b\","
	    "\"1e-05\":\"c\"}");
	CHECK_ERRORS("yes: 1\ntrue: 2\n", 1);
	CHECK_ERRORS("0x10: 1\n16: 2\n", 1);
	CHECK_ERRORS("~: 1\n", 1);
}

TEST(merge_keys)
{
	/* explicit keys win wherever they stand; merged keys where "<<" was */
	CHECK_JSON("b: &b {x: 1, c: 2}\nm:\n  <<: *b\n  c: 3\n",
	    "{\"b\":{\"x\":1,\"c\":2},\"m\":{\"x\":1,\"c\":3}}");
	CHECK_JSON("b: &b {x: 1, c: 2}\nm:\n  c: 3\n  <<: *b\n",
	    "{\"b\":{\"x\":1,\"c\":2},\"m\":{\"c\":3,\"x\":1}}");
	/* earlier maps of a merge sequence win */
	CHECK_JSON("a: &a {k: 1}\nb: &b {k: 2, j: 2}\nm: {<<: [*a, *b]}\n",
	    "{\"a\":{\"k\":1},\"b\":{\"k\":2,\"j\":2},\"m\":{\"k\":1,\"j\":2}}");
	/* inline merge map, then targetRefs entries built from an anchor */
	CHECK_JSON("m: {<<: {a: 1}, a: 2}\n", "{\"m\":{\"a\":2}}");
	CHECK_JSON("t: &t {group: g, kind: HTTPRoute}\nrefs:\n- <<: *t\n  name: a\n- <<: *t\n  name: b\n",
	    "{\"t\":{\"group\":\"g\",\"kind\":\"HTTPRoute\"},\"refs\":[{\"group\":\"g\","
	    "\"kind\":\"HTTPRoute\",\"name\":\"a\"},{\"group\":\"g\",\"kind\":\"HTTPRoute\","
	    "\"name\":\"b\"}]}");
	/* a quoted "<<" is an ordinary key */
	CHECK_JSON("m: {\"<<\": 1}\n", "{\"m\":{\"<<\":1}}");
	CHECK_ERRORS("s: &s x\nm:\n  <<: *s\n", 1);
	CHECK_ERRORS("m:\n  <<: [{a: 1}, 2]\n", 1);
	/* a merged key is not a duplicate, two explicit ones are */
	CHECK_ERRORS("b: &b {x: 1}\nm: {<<: *b, x: 2, x: 3}\n", 1);
}

/* The same rules on maps big enough for the hashed key lookup. */
TEST(merge_keys_big_maps)
{
	struct arena *a = arena_new();
	struct diags d;
	struct strbuf sb;
	struct node *root, *m;
	int i;

	sb_init(&sb);
	sb_adds(&sb, "base: &b\n");
	for (i = 0; i < 40; i++)
		sb_printf(&sb, "  k%d: base%d\n", i, i);
	sb_adds(&sb, "m:\n");
	for (i = 0; i < 20; i++)
		sb_printf(&sb, "  e%d: %d\n", i, i);
	sb_adds(&sb, "  <<: *b\n  k3: mine\n  e20: last\n");
	diags_init(&d);
	root = load_string(a, "big.yaml", sb.buf, &d);
	CHECK_INT(d.n, 0);
	m = node_get(root, "m");
	CHECK(m != NULL && m->n == 20 + 40 + 1);
	if (m != NULL && m->n == 61) {
		CHECK_STR(m->pairs[19].key->str, "e19");
		CHECK_STR(m->pairs[20].key->str, "k0");	/* where "<<" stood */
		CHECK_STR(m->pairs[58].key->str, "k39");
		CHECK_STR(m->pairs[59].key->str, "k3");
		CHECK_STR(m->pairs[59].val->str, "mine");
		CHECK_STR(m->pairs[60].key->str, "e20");
		CHECK_STR(node_get_str(m, "k10"), "base10");
		CHECK_STR(node_get_str(m, "k3"), "mine");
	}
	diags_release(&d);
	sb_release(&sb);
	arena_free(a);
}

TEST(aliases_and_bounds)
{
	struct strbuf sb;
	int i;

	CHECK_JSON("a: &x [1, 2]\nb: *x\n", "{\"a\":[1,2],\"b\":[1,2]}");
	CHECK_JSON("a: &k key\n*k : v\n", "{\"a\":\"key\",\"key\":\"v\"}");
	CHECK_ERRORS("a: *missing\nb: 1\n", 1);
	/* nine levels of nine aliases: 9^6 nodes, stopped by the node bound */
	CHECK_ERRORS("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n", 1);
	sb_init(&sb);
	sb_adds(&sb, "a: ");
	for (i = 0; i < 200; i++)
		sb_addc(&sb, '[');
	for (i = 0; i < 200; i++)
		sb_addc(&sb, ']');
	sb_addc(&sb, '\n');
	CHECK_ERRORS(sb.buf, 1);
	sb_release(&sb);
}

TEST(json_input)
{
	CHECK_JSON("{\n\t\"a\":\t[1,\t2.0],\n\t\"b\": \"x\\ty\"\n}\n",
	    "{\"a\":[1,2],\"b\":\"x\\ty\"}");
	CHECK_ERRORS("{\"a\": 1, \"a\": 2}", 1);
}

/* Locations: 1-based lines, columns in characters, spans in bytes. */
TEST(locations)
{
	struct arena *a = arena_new();
	struct diags d;
	struct node *root, *v;
	const char *text = "# \xe2\x80\x94 dash\nk\xc3\xa9y: \xc3\xa9t\xc3\xa9\nnext: [1, 22]\n";

	diags_init(&d);
	root = load_string(a, "l.yaml", text, &d);
	CHECK(root != NULL);
	v = node_get(root, "k\xc3\xa9y");
	CHECK(v != NULL);
	if (v != NULL) {
		CHECK_INT(v->loc.line, 2);
		CHECK_INT(v->loc.col, 6);
		CHECK_INT(v->loc.start, 17);
		CHECK_INT(v->loc.end, 22);
		CHECK(memcmp(text + v->loc.start, "\xc3\xa9t\xc3\xa9", 5) == 0);
	}
	v = node_path(root, "next");
	CHECK(v != NULL && v->n == 2);
	if (v != NULL && v->n == 2) {
		CHECK_INT(v->items[1]->loc.line, 3);
		CHECK_INT(v->items[1]->loc.col, 11);
		CHECK(memcmp(text + v->items[1]->loc.start, "22", 2) == 0);
		CHECK_INT(v->items[1]->loc.end - v->items[1]->loc.start, 2);
	}
	diags_release(&d);
	arena_free(a);
}

TEST(split)
{
	struct source *s;
	struct load_chunk *c;
	size_t n, nul;
	const char *t1 = "# c\n---\na: 1\n--- |\n  text\n---\n\n---x: no\n--- # c\nb: 2\n";
	const char *t2 = "a: 1\n---\nb: 2\n";
	const char *t3 = "%YAML 1.1\n---\na: 1\n---\nb: 2\n";

	s = source_new("s", xstrdup(t1), strlen(t1), 1);
	n = load_split(s, &c, &nul);
	CHECK_INT(n, 5);
	CHECK(nul == SIZE_MAX);
	if (n == 5) {
		CHECK_INT(c[0].len, 4);
		CHECK_INT(c[1].line, 2);
		CHECK_INT(c[1].doc, 0);	/* the comment-only chunk has no document */
		CHECK_INT(c[2].line, 4);
		CHECK_INT(c[3].doc, 2);
		CHECK_INT(c[4].line, 9);
		CHECK_INT(c[4].off + c[4].len, strlen(t1));
	}
	free(c);
	source_free(s);
	s = source_new("s", xstrdup(t2), strlen(t2), 1);
	n = load_split(s, &c, &nul);
	CHECK_INT(n, 2);
	CHECK(n == 2 && c[1].doc == 1);
	free(c);
	source_free(s);
	s = source_new("s", xstrdup(t3), strlen(t3), 1);
	n = load_split(s, &c, &nul);
	CHECK_INT(n, 1);	/* directives: one chunk */
	free(c);
	source_free(s);
	s = source_new("s", xstrdup("a: 1\n"), 5, 1);
	s->data[2] = '\0';
	n = load_split(s, &c, &nul);
	CHECK_INT(nul, 2);
	free(c);
	source_free(s);
}

struct count {
	int	 docs;
	int	 last_index;
	size_t	 max_used;
};

static int
count_doc(struct doc *d, void *ud)
{
	struct count *c = ud;

	c->docs++;
	c->last_index = d->index;
	if (d->arena != NULL && arena_used(d->arena) > c->max_used)
		c->max_used = arena_used(d->arena);
	return 0;
}

static int
stop_at_third(struct doc *d, void *ud)
{
	int *seen = ud;

	(*seen)++;
	return d->index == 2 ? 7 : 0;
}

/* A callback's non-zero return ends the load and is its result. */
TEST(callback_stops)
{
	struct strbuf sb;
	struct source *s;
	struct load_opts o;
	struct diags d;
	int i, seen = 0;

	sb_init(&sb);
	for (i = 0; i < 2000; i++)
		sb_printf(&sb, "---\nk: %0300d\n", i);
	s = source_new("s.yaml", sb.buf, sb.len, 1);
	sb.buf = NULL;
	load_opts_init(&o);
	diags_init(&d);
	CHECK_INT(load_source_each(s, &o, &d, stop_at_third, &seen), 7);
	CHECK_INT(seen, 3);
	CHECK_INT(d.n, 0);
	diags_release(&d);
	source_free(s);
}

/* Streaming: one arena per document, so arena use stays per document. */
TEST(each_document_its_arena)
{
	struct strbuf sb;
	struct source *s;
	struct load_opts o;
	struct diags d;
	struct count c;
	int i, rc;

	sb_init(&sb);
	for (i = 0; i < 3000; i++)
		sb_printf(&sb, "---\nkind: X\nmetadata: {name: n%d}\nspec: {a: [1, 2, 3]}\n", i);
	s = source_new("big.yaml", sb.buf, sb.len, 1);
	sb.buf = NULL;
	load_opts_init(&o);
	diags_init(&d);
	memset(&c, 0, sizeof(c));
	rc = load_source_each(s, &o, &d, count_doc, &c);
	CHECK_INT(rc, 0);
	CHECK_INT(c.docs, 3000);
	CHECK_INT(c.last_index, 2999);
	CHECK(c.max_used > 0 && c.max_used < 4096);
	CHECK_INT(d.n, 0);
	diags_release(&d);
	source_free(s);
}

TEST(document_size_bound)
{
	struct strbuf sb;
	struct source *s;
	struct load_opts o;
	struct diags d;
	struct count c;
	int i;

	sb_init(&sb);
	sb_adds(&sb, "small: 1\n---\nbig:\n");
	for (i = 0; i < 200; i++)
		sb_printf(&sb, "  - item %d\n", i);
	sb_adds(&sb, "---\nafter: 1\n");
	s = source_new("s.yaml", sb.buf, sb.len, 1);
	sb.buf = NULL;
	load_opts_init(&o);
	o.max_doc_bytes = 1000;
	diags_init(&d);
	memset(&c, 0, sizeof(c));
	CHECK_INT(load_source_each(s, &o, &d, count_doc, &c), 1);
	CHECK_INT(c.docs, 2);	/* the big one is refused, the others load */
	CHECK_INT(d.count[SEV_ERROR], 1);
	CHECK(d.n == 1 && strstr(d.v[0].message, "exceeds the limit of 1000 bytes") != NULL);
	if (d.n == 1)
		CHECK_INT(d.v[0].loc.line, 2);	/* its "---" */
	diags_release(&d);
	source_free(s);
}

int
main(void)
{
	RUN(plain_scalars);
	RUN(quoted_and_tagged);
	RUN(key_spellings);
	RUN(merge_keys);
	RUN(merge_keys_big_maps);
	RUN(aliases_and_bounds);
	RUN(json_input);
	RUN(locations);
	RUN(split);
	RUN(callback_stops);
	RUN(each_document_its_arena);
	RUN(document_size_bound);
	return unit_done("test_load");
}
