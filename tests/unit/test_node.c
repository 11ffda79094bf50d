/*
 * test_node.c: the generic node tree: lookups, constructors, clone,
 * equality, JSON and YAML rendering.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "node.h"
#include "util.h"
#include "unit.h"

static struct node *
parse(struct arena *a, const char *text)
{
	struct diags d;
	struct node *n;

	diags_init(&d);
	n = load_string(a, "n.yaml", text, &d);
	CHECK_INT(d.n, 0);
	diags_release(&d);
	return n;
}

static char *
to_json(const struct node *n)
{
	struct strbuf sb;

	sb_init(&sb);
	node_to_json(n, &sb);
	return sb_detach(&sb);
}

TEST(lookups)
{
	struct arena *a = arena_new();
	struct node *r = parse(a, "spec:\n  retry:\n    numRetries: 3\n  name: x\nlist: [1]\n");

	CHECK(node_get(r, "spec") != NULL);
	CHECK(node_get(r, "nope") == NULL);
	CHECK(node_get(NULL, "spec") == NULL);
	CHECK(node_get(node_get(r, "list"), "0") == NULL);
	CHECK_INT(node_path(r, "spec.retry.numRetries")->i, 3);
	CHECK(node_path(r, "spec.retry.nope") == NULL);
	CHECK(node_path(r, "spec.name.deeper") == NULL);
	CHECK_STR(node_get_str(node_get(r, "spec"), "name"), "x");
	CHECK(node_get_str(r, "spec") == NULL);
	CHECK(node_is_scalar(node_path(r, "spec.name")));
	CHECK(!node_is_scalar(node_get(r, "list")));
	CHECK(!node_is_scalar(NULL));
	CHECK_STR(node_kind_name(NODE_MAP), "object");
	CHECK_STR(node_kind_name(NODE_FLOAT), "number");
	arena_free(a);
}

TEST(constructors)
{
	struct arena *a = arena_new();
	struct node *m = node_new(a, NODE_MAP), *s = node_new(a, NODE_SEQ);
	char *j;
	int i;

	for (i = 0; i < 40; i++)
		node_seq_push(a, s, node_new_int(a, i));
	CHECK_INT(s->n, 40);
	CHECK_INT(s->items[39]->i, 39);
	node_map_set(a, m, "b", node_new_bool(a, true));
	node_map_set(a, m, "a", node_new_string(a, "x\"y\n"));
	node_map_set(a, m, "b", node_new_bool(a, false));	/* replaces */
	node_map_set(a, m, "n", node_new(a, NODE_NULL));
	node_map_set(a, m, "s", s);
	CHECK_INT(m->n, 4);
	j = to_json(node_get(m, "a"));
	CHECK_STR(j, "\"x\\\"y\\n\"");
	free(j);
	CHECK(node_get(m, "b")->b == false);
	CHECK_STR(node_new_int(a, -7)->str, "-7");
	arena_free(a);
}

TEST(clone_and_equal)
{
	struct arena *a = arena_new(), *b = arena_new();
	struct node *x = parse(a, "a: [1, {b: c}]\nd: 2.5\ne: null\n");
	struct node *y = parse(a, "e: ~\nd: 2.5\na: [1, {b: c}]\n");
	struct node *z = parse(a, "a: [1, {b: d}]\nd: 2.5\ne: null\n");
	struct node *c = node_clone(b, x);

	CHECK(node_equal(x, y));	/* key order does not matter */
	CHECK(!node_equal(x, z));
	CHECK(node_equal(x, c));
	CHECK(c != x && c->pairs != x->pairs);
	CHECK_INT(c->pairs[0].key->loc.line, 1);	/* locations kept */
	node_map_set(b, c, "f", node_new_int(b, 1));
	CHECK(!node_equal(x, c));
	CHECK_INT(x->n, 3);
	CHECK(node_equal(parse(a, "v: 1\n"), parse(a, "v: 1.0\n")));
	CHECK(!node_equal(parse(a, "v: 1\n"), parse(a, "v: \"1\"\n")));
	CHECK(node_equal(NULL, NULL));
	CHECK(!node_equal(x, NULL));
	arena_free(a);
	arena_free(b);
}

TEST(render)
{
	struct arena *a = arena_new();
	struct node *r = parse(a, "b: yes\na: [1, 2.5, \"s\", ~]\nm: {}\ns: []\nq: \"on\"\n");
	struct strbuf sb;
	char *j = to_json(r);

	CHECK_STR(j, "{\"b\":true,\"a\":[1,2.5,\"s\",null],\"m\":{},\"s\":[],\"q\":\"on\"}");
	free(j);
	sb_init(&sb);
	node_to_yaml(r, &sb, 0);
	CHECK_STR(sb.buf, "b: true\na:\n  - 1\n  - 2.5\n  - s\n  - null\nm: {}\ns: []\nq: \"on\"\n");
	/* what node_to_yaml writes reads back as the same tree */
	CHECK(node_equal(parse(a, sb.buf), r));
	sb_release(&sb);
	arena_free(a);
}

int
main(void)
{
	RUN(lookups);
	RUN(constructors);
	RUN(clone_and_equal);
	RUN(render);
	return unit_done("test_node");
}
