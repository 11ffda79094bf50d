/*
 * test_diff.c: the object diff's pieces: scalar equality by meaning, list
 * matching (sets, keys, positions, order), defaults, impact notes, the
 * identity index, and the value syntaxes it relies on.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "diff.h"
#include "load.h"
#include "objects.h"
#include "units.h"
#include "util.h"
#include "unit.h"

static struct arena *A;

static struct node *
y(const char *text)
{
	return load_string(A, "t.yaml", text, NULL);
}

/* Changes between two YAML values at a schema path, as "op path" lines. */
static char *
changes(const char *spath, const char *o, const char *n, bool ignore_defaults)
{
	struct diff_opts opts = { ignore_defaults };
	struct diff_change *c = NULL;
	struct strbuf sb;
	size_t nc = 0, i;
	char *r;

	diff_values(A, spath, spath, y(o), y(n), &opts, &c, &nc);
	sb_init(&sb);
	for (i = 0; i < nc; i++)
		sb_printf(&sb, "%s%c %s", i ? "\n" : "",
		    "+-~"[c[i].op], c[i].path);
	free(c);
	r = arena_strdup(A, sb.buf);
	sb_release(&sb);
	return r;
}

TEST(scalars_by_meaning)
{
	const char *p = "spec.timeout.http.requestTimeout";
	struct node *a = y("30s"), *b = y("30000ms"), *c = y("31s");

	CHECK(diff_scalar_equal(NULL, p, a, b));
	/* labels are strings, whatever they look like */
	CHECK(!diff_scalar_equal(NULL, "metadata.labels.ttl", a, b));
	CHECK_STR(changes("metadata.labels", "{ttl: 1m}", "{ttl: 60s}", false),
	    "~ metadata.labels.ttl");
	CHECK(diff_scalar_equal(NULL, p, y("1h"), y("60m")));
	CHECK(!diff_scalar_equal(NULL, p, a, c));
	CHECK_STR(changes(p, "30s", "30000ms", false), "");
	CHECK_STR(changes(p, "30s", "31s", false),
	    "~ spec.timeout.http.requestTimeout");
	CHECK_STR(changes("spec.connection.bufferLimit", "32Ki", "32768", false), "");
	CHECK_STR(changes("spec.connection.bufferLimit", "32Ki", "32769", false),
	    "~ spec.connection.bufferLimit");
	CHECK_STR(changes("spec.http2.initialConnectionWindowSize", "1Mi",
	    "1048576", false), "");
	/* numbers by value, not by spelling */
	CHECK_STR(changes("spec.retry.numRetries", "3", "0x3", false), "");
	CHECK_STR(changes("spec.retry.numRetries", "3", "\"3\"", false),
	    "~ spec.retry.numRetries");
	/* the translator upper-cases the method */
	CHECK_STR(changes("spec.healthCheck.active.http.method", "get", "GET", false), "");
	/* a string field that is not a duration: no unit arithmetic */
	CHECK_STR(changes("spec.healthCheck.active.http.path", "1m", "60s", false),
	    "~ spec.healthCheck.active.http.path");
}

TEST(maps_in_schema_order)
{
	/* CRD order within retry: numRetries, perRetry, retryOn */
	CHECK_STR(changes("spec.retry",
	    "{retryOn: {triggers: [5xx]}, numRetries: 1, perRetry: {timeout: 1s}}",
	    "{perRetry: {timeout: 2s}, retryOn: {triggers: [reset]}, numRetries: 2}",
	    false),
	    "~ spec.retry.numRetries\n~ spec.retry.perRetry.timeout\n"
	    "~ spec.retry.retryOn.triggers");
	/* unknown keys after the schema's, new side's order, then old-only ones */
	CHECK_STR(changes("spec.retry", "{zz: 1, numRetries: 1, aa: 1}",
	    "{bb: 2, numRetries: 2, zz: 2}", false),
	    "~ spec.retry.numRetries\n+ spec.retry.bb\n~ spec.retry.zz\n- spec.retry.aa");
	/* null members are dropped by the API server */
	CHECK_STR(changes("spec", "{retry: null, timeout: ~}", "{}", false), "");
	CHECK_STR(changes("spec", "{retry: null}", "{retry: {}}", false), "+ spec.retry");
	CHECK_STR(changes("metadata", "{labels: {\"app.kubernetes.io/name\": a}}",
	    "{labels: {\"app.kubernetes.io/name\": b}}", false),
	    "~ metadata.labels[\"app.kubernetes.io/name\"]");
}

TEST(lists)
{
	/* sets: order and repeats do not matter */
	CHECK_STR(changes("spec.retry.retryOn.triggers", "[5xx, reset]",
	    "[reset, 5xx, reset]", false), "");
	CHECK_STR(changes("spec.retry.retryOn.triggers", "[5xx, reset]",
	    "[reset]", false), "~ spec.retry.retryOn.triggers");
	CHECK_STR(changes("spec.retry.retryOn.httpStatusCodes", "[502, 503]",
	    "[503, 502]", false), "");
	/* targetRefs by group/kind/name/sectionName */
	CHECK_STR(changes("spec.targetRefs",
	    "[{group: gateway.networking.k8s.io, kind: HTTPRoute, name: a},"
	    " {group: gateway.networking.k8s.io, kind: HTTPRoute, name: b}]",
	    "[{group: gateway.networking.k8s.io, kind: HTTPRoute, name: b},"
	    " {group: gateway.networking.k8s.io, kind: HTTPRoute, name: a, sectionName: r1}]",
	    false),
	    "+ spec.targetRefs[kind=HTTPRoute,name=a,sectionName=r1]\n"
	    "- spec.targetRefs[kind=HTTPRoute,name=a]");
	/* headers by name; their order feeds the hash, so a reorder shows */
	CHECK_STR(changes("spec.loadBalancer.consistentHash.headers",
	    "[{name: a}, {name: B}]", "[{name: b}, {name: A}]", false),
	    "~ spec.loadBalancer.consistentHash.headers (order)");
	CHECK_STR(changes("spec.loadBalancer.consistentHash.headers",
	    "[{name: a}, {name: B}]", "[{name: A}, {name: b}]", false), "");
	/* a keyed list with duplicate keys falls back to positions */
	CHECK_STR(changes("spec.loadBalancer.consistentHash.headers",
	    "[{name: a}, {name: a}]", "[{name: a}, {name: b}]", false),
	    "~ spec.loadBalancer.consistentHash.headers[1].name");
	/* positional lists */
	CHECK_STR(changes("spec.responseOverride",
	    "[{match: {statusCodes: [{value: 500}]}}]",
	    "[{match: {statusCodes: [{value: 501}]}}, {match: {}}]", false),
	    "~ spec.responseOverride[0].match.statusCodes[0].value\n"
	    "+ spec.responseOverride[1]");
}

/* The same in the large (sorted indexes instead of pairwise scans). */
TEST(big_lists_and_maps)
{
	struct strbuf a, b, c;
	int i;

	sb_init(&a);
	sb_init(&b);
	sb_init(&c);
	sb_adds(&a, "[");
	sb_adds(&b, "[");
	sb_adds(&c, "[");
	for (i = 0; i < 40; i++) {
		sb_printf(&a, "%s%d", i ? ", " : "", 100 + i);
		sb_printf(&b, "%s%d, %d", i ? ", " : "", 139 - i, 139 - i);
		sb_printf(&c, "%s%d", i ? ", " : "", 100 + (i == 7 ? 99 : i));
	}
	sb_adds(&a, "]");
	sb_adds(&b, "]");
	sb_adds(&c, "]");
	CHECK_STR(changes("spec.retry.retryOn.httpStatusCodes", a.buf, b.buf, false), "");
	CHECK_STR(changes("spec.retry.retryOn.httpStatusCodes", a.buf, c.buf, false),
	    "~ spec.retry.retryOn.httpStatusCodes");
	sb_reset(&a);
	sb_reset(&b);
	sb_reset(&c);
	sb_adds(&a, "[");
	sb_adds(&b, "[");
	sb_adds(&c, "{");
	for (i = 0; i < 40; i++) {
		sb_printf(&a, "%s{group: gateway.networking.k8s.io, kind: HTTPRoute, name: r%d}",
		    i ? ", " : "", i);
		sb_printf(&b, "%s{kind: HTTPRoute, name: r%d, group: gateway.networking.k8s.io}",
		    i ? ", " : "", (i * 7) % 40 == 3 ? 40 : (i * 7) % 40);
		sb_printf(&c, "%sk%d: \"%ds\"", i ? ", " : "", i, i);
	}
	sb_adds(&a, "]");
	sb_adds(&b, "]");
	sb_adds(&c, "}");
	CHECK_STR(changes("spec.targetRefs", a.buf, b.buf, false),
	    "+ spec.targetRefs[kind=HTTPRoute,name=r40]\n"
	    "- spec.targetRefs[kind=HTTPRoute,name=r3]");
	CHECK_STR(changes("metadata.labels", c.buf, c.buf, false), "");
	sb_reset(&a);
	sb_adds(&a, "{");
	for (i = 39; i >= 0; i--)
		sb_printf(&a, "%sk%d: \"%d%s\"", i < 39 ? ", " : "", i,
		    i == 12 ? 13 : i, "s");
	sb_adds(&a, "}");
	CHECK_STR(changes("metadata.labels", c.buf, a.buf, false), "~ metadata.labels.k12");
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

TEST(defaults)
{
	CHECK_STR(changes("spec.retry", "{}", "{numRetries: 2}", false),
	    "+ spec.retry.numRetries");
	CHECK_STR(changes("spec.retry", "{}", "{numRetries: 2}", true), "");
	CHECK_STR(changes("spec.retry", "{}", "{numRetries: 3}", true),
	    "+ spec.retry.numRetries");
	/* an absent block that means "all defaults" */
	CHECK_STR(changes("spec", "{}",
	    "{circuitBreaker: {maxConnections: 1024}, timeout: {tcp: {connectTimeout: 10000ms}}}",
	    true), "");
	CHECK_STR(changes("spec", "{}", "{circuitBreaker: {maxConnections: 100}}",
	    true), "+ spec.circuitBreaker");
	/* retry's presence switches retries on: never a default */
	CHECK_STR(changes("spec", "{}", "{retry: {numRetries: 2}}", true),
	    "+ spec.retry");
	CHECK_STR(changes("spec.healthCheck.active.http", "{path: /}",
	    "{path: /, expectedStatuses: [200], method: get}", true), "");
}

static const char *
impact_of(const char *o, const char *n, const char *path)
{
	struct diff_opts opts = { false };
	struct diff_change *c = NULL;
	size_t nc = 0, i;
	const struct node *os = y(o), *ns = y(n);
	const char *r = NULL;

	diff_values(A, "spec", "spec", os, ns, &opts, &c, &nc);
	diff_impacts(A, os, ns, c, nc);
	for (i = 0; i < nc; i++)
		if (strcmp(c[i].path, path) == 0)
			r = c[i].impact;
	free(c);
	return r ? r : "(none)";
}

TEST(impacts)
{
	CHECK_STR(impact_of("{retry: {numRetries: 2}}", "{retry: {numRetries: 5}}",
	    "spec.retry.numRetries"),
	    "worst-case retry amplification 3\xc3\x97 \xe2\x86\x92 6\xc3\x97 "
	    "(numRetries + 1 upstream attempts per request)");
	CHECK(strstr(impact_of("{}", "{retry: {}}", "spec.retry"), "1\xc3\x97 \xe2\x86\x92 3\xc3\x97") != NULL);
	CHECK(strstr(impact_of("{circuitBreaker: {maxConnections: 2048}}",
	    "{circuitBreaker: {maxConnections: 10}}", "spec.circuitBreaker.maxConnections"),
	    "now below maxParallelRequests (1024)") != NULL);
	CHECK(strstr(impact_of("{circuitBreaker: {maxRequests: 1024}}",
	    "{circuitBreaker: {maxRequests: 10}}", "spec.circuitBreaker.maxRequests"),
	    "lowered 1024 \xe2\x86\x92 10") != NULL);
	CHECK(strstr(impact_of("{healthCheck: {active: {type: TCP}, passive: {}}}",
	    "{healthCheck: {passive: {}}}", "spec.healthCheck.active"),
	    "active health checking removed") != NULL);
	CHECK(strstr(impact_of(
	    "{loadBalancer: {type: ConsistentHash, consistentHash: {type: Header, header: {name: x-a}}}}",
	    "{loadBalancer: {type: ConsistentHash, consistentHash: {type: Header, header: {name: x-b}}}}",
	    "spec.loadBalancer.consistentHash.header.name"), "sessions move") != NULL);
	CHECK_STR(impact_of(
	    "{loadBalancer: {type: ConsistentHash, consistentHash: {type: Header, header: {name: x-a}}}}",
	    "{loadBalancer: {type: ConsistentHash, consistentHash: {type: Header, header: {name: X-A}}}}",
	    "spec.loadBalancer.consistentHash.header.name"), "(none)");
	CHECK(strstr(impact_of("{loadBalancer: {type: Maglev}}", "{}",
	    "spec.loadBalancer"), "ConsistentHash \xe2\x86\x92 LeastRequest") != NULL);
	CHECK(strstr(impact_of("{timeout: {http: {requestTimeout: 1m}}}",
	    "{timeout: {http: {requestTimeout: 90s}}}", "spec.timeout.http.requestTimeout"),
	    "lengthened 1m \xe2\x86\x92 1m30s") != NULL);
	CHECK(strstr(impact_of("{}", "{timeout: {tcp: {connectTimeout: 1s}}}",
	    "spec.timeout"), "shortened 10s \xe2\x86\x92 1s") != NULL);
	CHECK_STR(impact_of("{retry: {retryOn: {triggers: [5xx, reset]}}}",
	    "{retry: {retryOn: {triggers: [reset, connect-failure]}}}",
	    "spec.retry.retryOn.triggers"),
	    "now also retries on connect-failure\nno longer retries on 5xx");
	CHECK_STR(impact_of("{targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: eg}]}",
	    "{targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: eg, sectionName: https}]}",
	    "spec.targetRefs[kind=Gateway,name=eg,sectionName=https]"),
	    "now also applies to Gateway eg section https");
	CHECK(strstr(impact_of("{targetRef: {group: g, kind: HTTPRoute, name: a}}",
	    "{targetRefs: [{group: g, kind: HTTPRoute, name: a}]}", "spec.targetRefs"),
	    "applies where it did") != NULL);
	CHECK(strstr(impact_of("{retry: {perRetryTimeout: 1s}}",
	    "{retry: {perRetryTimeout: 2s}}", "spec.retry.perRetryTimeout"),
	    "lengthened") != NULL);
}

TEST(format_duration)
{
	char b[32];

	diff_fmt_duration(0, b, sizeof(b));
	CHECK_STR(b, "0s");
	diff_fmt_duration(5400000000000LL, b, sizeof(b));
	CHECK_STR(b, "1h30m");
	diff_fmt_duration(1250000000LL, b, sizeof(b));
	CHECK_STR(b, "1s250ms");
	diff_fmt_duration(1500, b, sizeof(b));
	CHECK_STR(b, "1500ns");
}

TEST(units_used)
{
	int64_t v;

	CHECK(units_gwapi_duration("1h30m", &v) && v == 5400000000000LL);
	CHECK(units_gwapi_duration("250ms", &v) && v == 250000000LL);
	CHECK(!units_gwapi_duration("1.5s", &v));
	CHECK(!units_gwapi_duration("123456s", &v));
	CHECK(!units_gwapi_duration("1s1s1s1s1s", &v));
	CHECK(units_go_duration("1.5s", &v) && v == 1500000000LL);
	CHECK(units_go_duration("300us", &v) && v == 300000LL);
	CHECK(units_go_duration("-1m", &v) && v == -60000000000LL);
	CHECK(!units_go_duration("1d", &v));
	CHECK(units_quantity("32Ki", &v) && v == 32768);
	CHECK(units_quantity("1.5Gi", &v) && v == 1610612736LL);
	CHECK(units_quantity("10M", &v) && v == 10000000);
	CHECK(units_quantity("1k", &v) && v == 1000);
	CHECK(units_quantity("100m", &v) && v == 1);
	CHECK(units_quantity("1e3", &v) && v == 1000);
	CHECK(!units_quantity("1ki", &v));
	CHECK(!units_quantity("Ki", &v));
}

static void
add_objects(struct inputs *in, struct docset *ds, struct objset *os,
    const char *text)
{
	struct load_opts lo;
	struct diags d;

	inputs_init(in);
	load_opts_init(&lo);
	diags_init(&d);
	inputs_add_bytes(in, "t.yaml", xstrdup(text), strlen(text));
	docset_load(ds, in, &lo, &d);
	objset_add_docs(os, ds, &d, false);
	diags_release(&d);
}

TEST(identity)
{
	struct inputs i1, i2;
	struct docset d1, d2;
	struct objset o1, o2;
	struct diff_result r;
	struct diff_opts opts = { false };
	struct diags d;
	struct strbuf a, b;
	int i;

	sb_init(&a);
	sb_init(&b);
	for (i = 0; i < 2000; i++) {
		sb_printf(&a, "---\napiVersion: gateway.envoyproxy.io/v1alpha1\n"
		    "kind: BackendTrafficPolicy\nmetadata: {name: p%d, namespace: ns%d}\n"
		    "spec: {retry: {numRetries: %d}}\n", i, i % 7, i % 3);
		/* the new side in another order; every 100th changed; p0 gone */
		if ((1999 - i) != 0)
			sb_printf(&b, "---\napiVersion: gateway.envoyproxy.io/v1alpha1\n"
			    "kind: BackendTrafficPolicy\nmetadata: {namespace: ns%d, name: p%d}\n"
			    "spec: {retry: {numRetries: %d}}\n", (1999 - i) % 7, 1999 - i,
			    (1999 - i) % 100 == 1 ? 9 : (1999 - i) % 3);
	}
	/* same name in another namespace and in another API group: not the same */
	sb_adds(&b, "---\napiVersion: gateway.envoyproxy.io/v1alpha1\n"
	    "kind: BackendTrafficPolicy\nmetadata: {name: p1, namespace: other}\n");
	sb_adds(&b, "---\napiVersion: apisix.apache.org/v2\n"
	    "kind: BackendTrafficPolicy\nmetadata: {name: p2, namespace: ns2}\n");
	docset_init(&d1);
	docset_init(&d2);
	objset_init(&o1);
	objset_init(&o2);
	diags_init(&d);
	add_objects(&i1, &d1, &o1, a.buf);
	add_objects(&i2, &d2, &o2, b.buf);
	diff_objsets(&o1, &o2, &opts, &r, &d);
	CHECK_INT(r.n, 22);		/* 20 changed, 1 added, 1 removed */
	CHECK_INT(r.unchanged, 1979);
	CHECK_INT(d.n, 0);
	/* sorted by kind, namespace, name: ns0/p0 (removed), ns0/p1001... */
	CHECK_INT(r.v[0].status, DIFF_REMOVED);
	CHECK_STR(r.v[0].old_obj->name, "p0");
	for (i = 0; i < (int)r.n; i++)
		if (r.v[i].new_obj != NULL && strcmp(r.v[i].new_obj->name, "p1") == 0 &&
		    strcmp(r.v[i].new_obj->ns, "ns1") == 0)
			break;
	CHECK(i < (int)r.n);
	if (i < (int)r.n) {
		CHECK_INT(r.v[i].status, DIFF_CHANGED);
		CHECK_INT(r.v[i].nchanges, 1);
		CHECK_STR(r.v[i].changes[0].path, "spec.retry.numRetries");
		CHECK_INT(r.v[i].changes[0].old_val->i, 1);
		CHECK_INT(r.v[i].changes[0].new_val->i, 9);
		CHECK(r.v[i].changes[0].impact != NULL);
	}
	CHECK_INT(r.v[r.n - 1].status, DIFF_ADDED);
	CHECK_STR(object_ns(r.v[r.n - 1].new_obj), "other");
	diff_result_release(&r);
	objset_release(&o1);
	objset_release(&o2);
	docset_release(&d1);
	docset_release(&d2);
	inputs_release(&i1);
	inputs_release(&i2);
	diags_release(&d);
	sb_release(&a);
	sb_release(&b);
}

/* Digests first: only the objects that differ are parsed again. */
TEST(two_passes)
{
	struct inputs io, in;
	struct load_opts lo;
	struct diff_side so, sn;
	struct diags d;
	size_t same = 99;
	int rc;
	const char *old_text =
	    "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
	    "metadata: {name: a, namespace: x, resourceVersion: \"1\"}\n"
	    "spec: {retry: {numRetries: 1}}\nstatus: {ancestors: []}\n---\n"
	    "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
	    "metadata: {name: b, namespace: x}\nspec: {timeout: {tcp: {connectTimeout: 1s}}}\n---\n"
	    "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
	    "metadata: {name: c, namespace: x}\nspec: {}\n";
	const char *new_text =
	    "# c is gone, d is new, b changes, a differs only where the server writes\n"
	    "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
	    "metadata: {name: a, namespace: x, resourceVersion: \"2\"}\n"
	    "spec: {retry: {numRetries: 1}}\n---\n"
	    "apiVersion: v1\nkind: List\nitems:\n"
	    "- apiVersion: gateway.envoyproxy.io/v1alpha1\n  kind: BackendTrafficPolicy\n"
	    "  metadata: {name: d, namespace: x}\n"
	    "- apiVersion: gateway.envoyproxy.io/v1alpha1\n  kind: BackendTrafficPolicy\n"
	    "  metadata: {name: b, namespace: x}\n  spec: {timeout: {tcp: {connectTimeout: 2s}}}\n";

	inputs_init(&io);
	inputs_init(&in);
	load_opts_init(&lo);
	diags_init(&d);
	inputs_add_bytes(&io, "old.yaml", xstrdup(old_text), strlen(old_text));
	inputs_add_bytes(&in, "new.yaml", xstrdup(new_text), strlen(new_text));
	rc = diff_load_sides(&io, &in, &lo, 2, false, &so, &sn, &same, &d);
	CHECK_INT(rc, 0);
	CHECK_INT(d.n, 0);
	CHECK_INT(same, 1);			/* a */
	CHECK_INT(so.nobjects, 3);
	CHECK_INT(sn.nobjects, 3);
	CHECK_INT(so.os.n, 2);			/* b, c */
	CHECK_INT(sn.os.n, 2);			/* d, b (list items) */
	if (so.os.n == 2 && sn.os.n == 2) {
		CHECK_STR(so.os.v[0].name, "b");
		CHECK_STR(so.os.v[1].name, "c");
		CHECK_STR(sn.os.v[0].name, "d");
		CHECK_STR(sn.os.v[1].name, "b");
		/* parsed again with their real locations */
		CHECK_INT(sn.os.v[1].root->loc.line, 13);
		CHECK_STR(node_get_str(node_path(sn.os.v[1].spec, "timeout.tcp"),
		    "connectTimeout"), "2s");
	}
	diff_side_release(&so);
	diff_side_release(&sn);
	inputs_release(&io);
	inputs_release(&in);
	diags_release(&d);
}

int
main(void)
{
	A = arena_new();
	RUN(scalars_by_meaning);
	RUN(maps_in_schema_order);
	RUN(lists);
	RUN(big_lists_and_maps);
	RUN(defaults);
	RUN(impacts);
	RUN(format_duration);
	RUN(units_used);
	RUN(identity);
	RUN(two_passes);
	arena_free(A);
	return unit_done("test_diff");
}
