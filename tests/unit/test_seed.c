/*
 * test_seed.c: the seed spelling table, seed_check() over every example
 * of the description (examples/seed/: each expected spelling reported at
 * its line with its replacement, nothing else), and the policy builder
 * recording the same spellings it read.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "policy.h"
#include "seed.h"
#include "unit.h"
#include "loadutil.h"

#define CB	"spec.circuitBreaker."
#define HC	"spec.healthCheck."

struct expect {
	const char	*file;
	int		 line, col;
	const char	*path;
	const char	*fix;		/* NULL: no replacement */
};

static const struct expect expects[] = {
	{ "01-basic-example.yaml", 0, 0, NULL, NULL },
	{ "02-available-algorithms.yaml", 0, 0, NULL, NULL },
	{ "03-available-algorithms-maglev.yaml", 15, 11, "spec.loadBalancer.type",
	  "spec.loadBalancer.type: ConsistentHash" },
	{ "04-consistent-hash.yaml", 0, 0, NULL, NULL },
	{ "05-least-request.yaml", 0, 0, NULL, NULL },
	{ "06-circuit-breaking.yaml", 17, 5, CB "maxRequests",
	  CB "maxParallelRequests" },
	{ "06-circuit-breaking.yaml", 18, 5, CB "maxRetries",
	  CB "maxParallelRetries" },
	{ "06-circuit-breaking.yaml", 19, 5, CB "maxConnectionPools", NULL },
	{ "07-active-health-checks.yaml", 15, 5, HC "active.type",
	  HC "active.type: HTTP" },
	{ "07-active-health-checks.yaml", 25, 9,
	  HC "active.http.expectedResponse.type",
	  HC "active.http.expectedResponse.type: Text" },
	{ "08-passive-health-check.yaml", 16, 7, HC "passive.consecutive5xxErrors",
	  HC "passive.consecutive5XxErrors" },
	{ "09-tcp-settings.yaml", 20, 5, "spec.connection.connectionLimit", NULL },
	{ "10-http2-settings.yaml", 0, 0, NULL, NULL },
	{ "11-retry-policy.yaml", 22, 5, "spec.retry.perRetryTimeout",
	  "spec.retry.perRetry.timeout" },
	{ "11-retry-policy.yaml", 23, 5, "spec.retry.backoff",
	  "spec.retry.perRetry.backOff" },
	{ "12-timeout-configuration.yaml", 0, 0, NULL, NULL },
	{ "13-proxy-protocol.yaml", 0, 0, NULL, NULL },
	{ "14-dns-configuration.yaml", 0, 0, NULL, NULL },
	{ "15-high-availability-backend.yaml", 18, 5, CB "maxRequests",
	  CB "maxParallelRequests" },
	{ "15-high-availability-backend.yaml", 20, 5, HC "active.type",
	  HC "active.type: HTTP" },
	{ "15-high-availability-backend.yaml", 29, 7,
	  HC "passive.consecutive5xxErrors", HC "passive.consecutive5XxErrors" },
	{ "15-high-availability-backend.yaml", 39, 5, "spec.retry.perRetryTimeout",
	  "spec.retry.perRetry.timeout" },
	{ "16-session-affinity.yaml", 20, 9,
	  "spec.loadBalancer.consistentHash.cookie.path", NULL },
	{ "17-long-lived-connections.yaml", 0, 0, NULL, NULL },
	{ "18-api-gateway-backend.yaml", 24, 5, HC "active.type",
	  HC "active.type: HTTP" },
	{ "19-database-proxy-backend.yaml", 19, 5,
	  "spec.connection.connectionLimit", NULL },
	{ "20-microservice-backend.yaml", 18, 5, CB "maxRequests",
	  CB "maxParallelRequests" },
	{ "20-microservice-backend.yaml", 23, 5, "spec.retry.perRetryTimeout",
	  "spec.retry.perRetry.timeout" },
	{ "20-microservice-backend.yaml", 26, 7, HC "passive.consecutive5xxErrors",
	  HC "passive.consecutive5XxErrors" },
};

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Check one example file against its rows of expects[]. */
static void
check_example(const char *file)
{
	struct tload t;
	struct diags d;
	struct object *o;
	struct policy p;
	struct arena *a;
	char *rel;
	size_t i, j, want = 0, found;
	bool known = false;

	rel = xasprintf("examples/seed/%s", file);
	CHECK_INT(tload_file(&t, rel), 0);
	free(rel);
	CHECK_INT(t.diags.count[SEV_ERROR], 0);
	o = tload_first(&t, OBJ_BTP);
	CHECK(o != NULL);
	if (o == NULL) {
		tload_release(&t);
		return;
	}
	diags_init(&d);
	CHECK_INT(seed_check(o, &d), (long long)d.n);
	a = arena_new();
	CHECK_INT(policy_build(a, o, &p, NULL), 0);

	for (i = 0; i < nitems(expects); i++) {
		if (strcmp(expects[i].file, file) != 0)
			continue;
		known = true;
		if (expects[i].path == NULL)
			continue;
		want++;
		found = 0;
		for (j = 0; j < d.n; j++) {
			if (!same_str(d.v[j].path, expects[i].path))
				continue;
			found++;
			CHECK_INT(d.v[j].loc.line, expects[i].line);
			CHECK_INT(d.v[j].loc.col, expects[i].col);
			CHECK(same_str(d.v[j].fix, expects[i].fix));
			CHECK_STR(d.v[j].code, "seed");
			CHECK(d.v[j].sev == SEV_ERROR);
			CHECK_STR(d.v[j].obj.kind, "BackendTrafficPolicy");
			/* the message names the replacement */
			if (expects[i].fix != NULL)
				CHECK(strstr(d.v[j].message, expects[i].fix) !=
				    NULL);
			else
				CHECK(strstr(d.v[j].message, "no Envoy Gateway replacement") != NULL);
		}
		CHECK_INT(found, 1);
		/* the builder read the same spelling, at the same place */
		found = 0;
		for (j = 0; j < p.nseed_used; j++)
			if (strcmp(p.seed_used[j].path, expects[i].path) == 0 &&
			    p.seed_used[j].loc.line == expects[i].line)
				found++;
		CHECK_INT(found, 1);
	}
	if (!known)
		fprintf(stderr, "examples/seed/%s: no expectation\n", file);
	CHECK(known);
	CHECK_INT(d.n, want);
	CHECK_INT(p.nseed_used, want);
	arena_free(a);
	diags_release(&d);
	tload_release(&t);
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

TEST(every_example)
{
	char *path = tload_path("examples/seed");
	DIR *dir = opendir(path);
	struct dirent *de;
	char *names[64];
	size_t n = 0, i;

	CHECK(dir != NULL);
	free(path);
	if (dir == NULL)
		return;
	while ((de = readdir(dir)) != NULL && n < nitems(names))
		if (str_has_suffix(de->d_name, ".yaml"))
			names[n++] = xstrdup(de->d_name);
	closedir(dir);
	qsort(names, n, sizeof(names[0]), cmp_str);
	/* one file per example of the description, plus the Maglev choice */
	CHECK_INT(n, 20);
	for (i = 0; i < n; i++) {
		check_example(names[i]);
		free(names[i]);
	}
}

TEST(table)
{
	const struct seed_fix *f, *t;
	size_t n = 0;

	f = seed_lookup("spec.retry.perRetryTimeout", NULL);
	CHECK(f != NULL);
	CHECK_STR(f->upstream, "spec.retry.perRetry.timeout");
	CHECK(seed_lookup("spec.retry.perRetryTimeout", "5s") == NULL);
	CHECK(seed_lookup("spec.retry.perRetry.timeout", NULL) == NULL);
	CHECK(seed_lookup("spec.loadBalancer.type", "RoundRobin") == NULL);
	CHECK(seed_lookup("spec.loadBalancer.type", NULL) == NULL);
	f = seed_lookup("spec.loadBalancer.type", "Maglev");
	CHECK(f != NULL && f->upstream_value != NULL);
	CHECK_STR(f->upstream_value, "ConsistentHash");
	CHECK(seed_lookup("spec.healthCheck.active.type", "") != NULL);
	CHECK(seed_lookup(NULL, NULL) == NULL);
	CHECK(seed_lookup("spec.circuitBreaker.maxConnectionPools", NULL) != NULL);
	CHECK(seed_lookup("spec.circuitBreaker.maxConnectionPools", NULL)->upstream
	    == NULL);
	/* fields the description spells as upstream are not in the table */
	CHECK(seed_lookup("spec.dns.dnsRefreshRate", NULL) == NULL);
	CHECK(seed_lookup("spec.timeout.http.streamIdleTimeout", NULL) == NULL);
	CHECK(seed_lookup("spec.http2.maxConcurrentStreams", NULL) == NULL);
	for (t = seed_table(); t->path != NULL; t++) {
		n++;
		CHECK(t->why != NULL && t->why[0] != '\0');
		CHECK(str_has_prefix(t->path, "spec."));
		CHECK(t->upstream == NULL || str_has_prefix(t->upstream, "spec."));
		/* each entry is found by its own key */
		CHECK(seed_lookup(t->path, t->value) == t);
	}
	CHECK_INT(n, 15);
}

TEST(fix_text)
{
	char *s;

	s = seed_fix_text(seed_lookup("spec.circuitBreaker.maxRetries", NULL), NULL);
	CHECK_STR(s, "spec.circuitBreaker.maxParallelRetries");
	free(s);
	s = seed_fix_text(seed_lookup("spec.loadBalancer.type", "Maglev"), NULL);
	CHECK_STR(s, "spec.loadBalancer.type: ConsistentHash");
	free(s);
	s = seed_fix_text(seed_lookup("spec.healthCheck.active.type", ""), "GRPC");
	CHECK_STR(s, "spec.healthCheck.active.type: GRPC");
	free(s);
	s = seed_fix_text(seed_lookup("spec.healthCheck.active.type", ""), NULL);
	CHECK_STR(s, "spec.healthCheck.active.type");
	free(s);
	CHECK(seed_fix_text(seed_lookup("spec.connection.connectionLimit", NULL),
	    NULL) == NULL);
	CHECK(seed_fix_text(NULL, NULL) == NULL);
}

/* seed_check over inline text: the diagnostics' paths in order. */
static size_t
check_text(const char *yaml, struct diags *d)
{
	struct tload t;
	struct object *o;
	size_t n = 0;

	tload_text(&t, "t.yaml", yaml);
	diags_init(d);
	o = tload_first(&t, OBJ_BTP);
	if (o != NULL)
		n = (size_t)seed_check(o, d);
	diags_sort(d);
	/* diagnostics keep their own copies of what they need */
	tload_release(&t);
	return n;
}

#define BTP_HEAD							\
	"apiVersion: gateway.envoyproxy.io/v1alpha1\n"			\
	"kind: BackendTrafficPolicy\n"					\
	"metadata: {name: p, namespace: ns}\n"

TEST(check_inline)
{
	struct diags d;

	/* missing type without http/tcp/grpc: fix names only the path */
	CHECK_INT(check_text(BTP_HEAD "spec:\n  healthCheck:\n    active:\n"
	    "      interval: 5s\n", &d), 1);
	CHECK_STR(d.v[0].fix, "spec.healthCheck.active.type");
	CHECK_STR(d.v[0].obj.ns, "ns");
	CHECK_INT(d.v[0].loc.line, 6);
	diags_release(&d);

	/* tcp and grpc blocks tell the type; upstream spelling: nothing */
	CHECK_INT(check_text(BTP_HEAD "spec:\n  healthCheck:\n    active:\n"
	    "      tcp: {}\n", &d), 1);
	CHECK_STR(d.v[0].fix, "spec.healthCheck.active.type: TCP");
	diags_release(&d);
	CHECK_INT(check_text(BTP_HEAD "spec:\n  healthCheck:\n    active:\n"
	    "      type: GRPC\n      grpc: {}\n", &d), 0);
	diags_release(&d);

	/* binary expected response */
	CHECK_INT(check_text(BTP_HEAD "spec:\n  healthCheck:\n    active:\n"
	    "      type: HTTP\n      http:\n        path: /\n"
	    "        expectedResponse: {binary: AAE=}\n", &d), 1);
	CHECK_STR(d.v[0].fix,
	    "spec.healthCheck.active.http.expectedResponse.type: Binary");
	diags_release(&d);

	/* backoff reported once, not its children; both spellings present */
	CHECK_INT(check_text(BTP_HEAD "spec:\n  retry:\n    backoff:\n"
	    "      baseInterval: 1s\n      maxInterval: 2s\n"
	    "  circuitBreaker:\n    maxParallelRequests: 1\n"
	    "    maxRequests: 2\n", &d), 2);
	CHECK_STR(d.v[0].path, "spec.retry.backoff");
	CHECK_STR(d.v[1].path, "spec.circuitBreaker.maxRequests");
	diags_release(&d);

	/* Maglev in a flow map; a quoted value is still the value */
	CHECK_INT(check_text(BTP_HEAD "spec: {loadBalancer: {type: \"Maglev\"}}\n",
	    &d), 1);
	CHECK(strstr(d.v[0].message, "\"Maglev\"") != NULL);
	diags_release(&d);

	/* Maglev elsewhere is not the load balancer type */
	CHECK_INT(check_text(BTP_HEAD "spec:\n  loadBalancer:\n"
	    "    type: ConsistentHash\n    consistentHash: {type: Maglev}\n",
	    &d), 0);
	diags_release(&d);

	/* the same key names inside lists are not seed paths */
	CHECK_INT(check_text(BTP_HEAD "spec:\n  targetRefs:\n"
	    "  - {group: g, kind: HTTPRoute, name: maxRequests}\n"
	    "  responseOverride:\n  - backoff: 1\n", &d), 0);
	diags_release(&d);

	/* other kinds and other groups are not checked */
	CHECK_INT(check_text("apiVersion: apisix.apache.org/v1alpha1\n"
	    "kind: BackendTrafficPolicy\nmetadata: {name: p}\n"
	    "spec:\n  retry:\n    perRetryTimeout: 1s\n", &d), 0);
	diags_release(&d);
	CHECK_INT(check_text(BTP_HEAD "spec: []\n", &d), 0);
	diags_release(&d);
	CHECK_INT(check_text(BTP_HEAD, &d), 0);
	diags_release(&d);
}

/* Real manifests and upstream's own carry no seed spelling. */
TEST(real_manifests)
{
	static const char *const dirs[] = {
		"testdata/realworld", "testdata/upstream/e2e"
	};
	struct tload t;
	struct diags d;
	size_t i, k, nbtp;

	for (k = 0; k < nitems(dirs); k++) {
		CHECK_INT(tload_file(&t, dirs[k]), 0);
		diags_init(&d);
		nbtp = 0;
		for (i = 0; i < t.os.n; i++) {
			if (t.os.v[i].type == OBJ_BTP)
				nbtp++;
			CHECK_INT(seed_check(&t.os.v[i], &d), 0);
		}
		CHECK(nbtp >= 12);
		CHECK_INT(d.n, 0);
		diags_release(&d);
		tload_release(&t);
	}
}

int
main(void)
{
	RUN(table);
	RUN(fix_text);
	RUN(check_inline);
	RUN(every_example);
	RUN(real_manifests);
	return unit_done("seed");
}
