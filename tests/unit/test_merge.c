/*
 * test_merge.c: mergeType on node trees.  The upstream merge cases
 * (testdata/upstream/merge: X.in.yaml, X.patch.yaml and the expected
 * X.strategicmerge.out.yaml / X.jsonmerge.out.yaml) must come out equal,
 * after decoding the inputs as upstream's Go structs do (gostruct.h);
 * plus the list rules of both strategies on small trees.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "merge.h"
#include "unit.h"
#include "gostruct.h"

static const struct node *crd_spec;
static struct arena *A;

struct file {
	struct inputs	 in;
	struct docset	 ds;
	struct node	*root;
};

static struct node *
load_file(struct file *f, const char *dir, const char *name, struct diags *d)
{
	struct load_opts lo;
	char *p = xasprintf("%s/%s", dir, name);

	load_opts_init(&lo);
	inputs_init(&f->in);
	docset_init(&f->ds);
	f->root = NULL;
	if (inputs_add(&f->in, p, &lo, d) == 0 && docset_load(&f->ds, &f->in, &lo, d) == 0 &&
	    f->ds.n > 0)
		f->root = f->ds.v[0].root;
	free(p);
	return f->root;
}

static void
release_file(struct file *f)
{
	docset_release(&f->ds);
	inputs_release(&f->in);
}

static int agree, total;

static void
merge_case(const char *dir, const char *base)
{
	struct file in, patch, sout, jout;
	struct diags d;
	struct node *got;
	char *n1 = xasprintf("%s.in.yaml", base), *n2 = xasprintf("%s.patch.yaml", base);
	char *n3 = xasprintf("%s.strategicmerge.out.yaml", base);
	char *n4 = xasprintf("%s.jsonmerge.out.yaml", base);
	struct strbuf a, b;

	diags_init(&d);
	load_file(&in, dir, n1, &d);
	load_file(&patch, dir, n2, &d);
	load_file(&sout, dir, n3, &d);
	load_file(&jout, dir, n4, &d);
	CHECK(in.root && patch.root && sout.root && jout.root);
	if (in.root && patch.root && sout.root && jout.root) {
		decode_like_go(node_get(in.root, "spec"), crd_spec);
		decode_like_go(node_get(patch.root, "spec"), crd_spec);
		sb_init(&a);
		sb_init(&b);

		total++;
		got = merge_strategic(A, node_get(in.root, "spec"),
		    node_get(patch.root, "spec"), "");
		if (node_equal(got, node_get(sout.root, "spec")))
			agree++;
		else {
			node_to_json(got, &a);
			node_to_json(node_get(sout.root, "spec"), &b);
			printf("merge: %s strategic differs\n got: %s\n want: %s\n", base,
			    a.buf, b.buf);
		}
		CHECK(node_equal(got, node_get(sout.root, "spec")));

		total++;
		got = merge_json(A, node_get(in.root, "spec"), node_get(patch.root, "spec"));
		if (node_equal(got, node_get(jout.root, "spec")))
			agree++;
		else {
			sb_reset(&a);
			sb_reset(&b);
			node_to_json(got, &a);
			node_to_json(node_get(jout.root, "spec"), &b);
			printf("merge: %s json differs\n got: %s\n want: %s\n", base, a.buf,
			    b.buf);
		}
		CHECK(node_equal(got, node_get(jout.root, "spec")));
		/* the merged object is the patch's: its name wins */
		got = merge_json(A, node_get(in.root, "metadata"),
		    node_get(patch.root, "metadata"));
		CHECK(node_equal(got, node_get(sout.root, "metadata")));
		CHECK(node_equal(got, node_get(jout.root, "metadata")));
		sb_release(&a);
		sb_release(&b);
	}
	release_file(&in);
	release_file(&patch);
	release_file(&sout);
	release_file(&jout);
	diags_release(&d);
	free(n1);
	free(n2);
	free(n3);
	free(n4);
}

TEST(upstream_cases)
{
	const char *root = getenv("ROOT");
	char *dir = xasprintf("%s/testdata/upstream/merge", root ? root : ".");

	merge_case(dir, "backendtrafficpolicy_httpupgrade");
	merge_case(dir, "backendtrafficpolicy_ratelimitrule_merge");
	printf("merge: %d/%d upstream merge results agree\n", agree, total);
	CHECK_INT(total, 4);
	free(dir);
}

/* A tree from YAML text (nodes and source in the arena A). */
static struct node *
y(const char *text)
{
	struct diags d;
	struct node *n;

	diags_init(&d);
	n = load_string(A, "<test>", text, &d);
	diags_release(&d);
	return n;
}

TEST(strategic_lists)
{
	struct node *base = y("compressor:\n- type: Gzip\n  gzip: {}\n- type: Brotli\n"
	    "retry:\n  retryOn:\n    triggers: [reset, connect-failure]\n");
	struct node *patch = y("compressor:\n- type: Zstd\n- type: Gzip\n  minContentLength: 100\n"
	    "retry:\n  retryOn:\n    triggers: [retriable-status-codes]\n");
	struct node *want = y("compressor:\n- type: Zstd\n- type: Gzip\n  gzip: {}\n"
	    "  minContentLength: 100\n- type: Brotli\n"
	    "retry:\n  retryOn:\n    triggers: [retriable-status-codes]\n");
	struct node *got = merge_strategic(A, base, patch, "");

	CHECK(node_equal(got, want));
	/* JSONMerge replaces the keyed list too */
	got = merge_json(A, base, patch);
	CHECK(node_equal(node_get(got, "compressor"), node_get(patch, "compressor")));
}

TEST(json_null_deletes)
{
	struct node *base = y("timeout:\n  http:\n    requestTimeout: 5s\n  tcp:\n"
	    "    connectTimeout: 1s\n");
	struct node *patch = y("timeout:\n  tcp: null\n  http:\n    maxConnectionDuration: 1m\n");
	struct node *want = y("timeout:\n  http:\n    requestTimeout: 5s\n"
	    "    maxConnectionDuration: 1m\n");

	CHECK(node_equal(merge_json(A, base, patch), want));
}

TEST(policies_keep_patch_targets)
{
	struct node *parent = y("targetRefs:\n- {group: gateway.networking.k8s.io, kind: Gateway, name: g}\n"
	    "timeout:\n  tcp:\n    connectTimeout: 15s\n");
	struct node *route = y("targetRefs:\n- {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}\n"
	    "mergeType: StrategicMerge\ntimeout:\n  tcp:\n    connectTimeout: 10s\n");
	struct merge_result r;

	merge_policies(A, parent, route, false, &r);
	CHECK(node_equal(node_get(r.spec, "targetRefs"), node_get(route, "targetRefs")));
	CHECK(strcmp(node_path(r.spec, "timeout.tcp.connectTimeout")->str, "10s") == 0);
	/* leaves keep the location of the policy that wrote them */
	CHECK(node_path(r.spec, "timeout.tcp.connectTimeout")->loc.line ==
	    node_path(route, "timeout.tcp.connectTimeout")->loc.line);
}

TEST(policies_rate_limit_rules)
{
	struct node *parent = y("rateLimit:\n  global:\n    rules:\n"
	    "    - limit: {requests: 10, unit: Second}\n");
	struct node *route = y("mergeType: StrategicMerge\nrateLimit:\n  global:\n"
	    "    rules:\n    - limit: {requests: 1, unit: Second}\n");
	struct merge_result r;
	const struct node *rules;

	merge_policies(A, parent, route, false, &r);
	rules = node_path(r.spec, "rateLimit.global.rules");
	CHECK(rules != NULL && rules->n == 2 &&
	    node_path(rules->items[0], "limit.requests")->i == 1 &&
	    node_path(rules->items[1], "limit.requests")->i == 10);
	merge_policies(A, parent, route, true, &r);
	rules = node_path(r.spec, "rateLimit.global.rules");
	CHECK(rules != NULL && rules->n == 1);
}

int
main(void)
{
	struct inputs in;
	struct docset ds;
	struct diags d;

	A = arena_new();
	diags_init(&d);
	crd_spec = load_crd_spec(&in, &ds, &d);
	CHECK(crd_spec != NULL);
	RUN(upstream_cases);
	RUN(strategic_lists);
	RUN(json_null_deletes);
	RUN(policies_keep_patch_targets);
	RUN(policies_rate_limit_rules);
	docset_release(&ds);
	inputs_release(&in);
	diags_release(&d);
	arena_free(A);
	return unit_done("test_merge");
}
