/*
 * diff_impact.c: what a change of a BackendTrafficPolicy does to traffic,
 * computed from both specs with Envoy's semantics (envoy-semantics.md,
 * upstream-api.md section d): worst-case retry amplification, circuit
 * breaker limits, health checking added or removed, load balancer type and
 * consistent-hash key (sessions move), timeouts shortened or lengthened.
 * Seed spellings (circuitBreaker.maxRequests, retry.perRetryTimeout,
 * loadBalancer.type Maglev...) are read by their meaning.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diff_int.h"
#include "units.h"
#include "util.h"

#define UNLIMITED	INT64_MIN

/* Attach a note to the change at path, under it, or above it. */
static void
note(struct arena *a, struct diff_change *c, size_t n, const char *path,
    const char *text)
{
	size_t i, pl = strlen(path), best = n, l;
	int rank = 0, r;

	for (i = 0; i < n; i++) {
		l = strlen(c[i].path);
		if (strcmp(c[i].path, path) == 0)
			r = 3;
		else if (l > pl && strncmp(c[i].path, path, pl) == 0 &&
		    (c[i].path[pl] == '.' || c[i].path[pl] == '['))
			r = 2;
		else if (pl > l && strncmp(path, c[i].path, l) == 0 &&
		    (path[l] == '.' || path[l] == '['))
			r = 1;
		else
			continue;
		if (r > rank) {
			rank = r;
			best = i;
		}
	}
	if (best == n)
		return;
	if (c[best].impact == NULL)
		c[best].impact = arena_strdup(a, text);
	else
		c[best].impact = arena_printf(a, "%s\n%s", c[best].impact, text);
}

static const struct node *
get(const struct node *spec, const char *path, const char *seed_path)
{
	const struct node *v = spec ? node_path(spec, path) : NULL;

	if (v == NULL && seed_path != NULL && spec != NULL)
		v = node_path(spec, seed_path);
	return v;
}

static int64_t
get_int(const struct node *spec, const char *path, const char *seed_path,
    int64_t dflt)
{
	const struct node *v = get(spec, path, seed_path);
	int64_t q;

	if (v != NULL && v->kind == NODE_INT)
		return v->i;
	if (v != NULL && v->kind == NODE_STRING && units_quantity(v->str, &q))
		return q;
	return dflt;
}

/* ---- retries ---- */

static int64_t
amplification(const struct node *spec)
{
	if (get(spec, "retry", NULL) == NULL)
		return 1;
	return get_int(spec, "retry.numRetries", NULL, 2) + 1;
}

/* Members of list a that list b lacks, as "x, y", or NULL. */
static char *
missing(struct arena *a, const struct node *x, const struct node *y)
{
	char *s = NULL;
	size_t i, j;

	for (i = 0; x != NULL && x->kind == NODE_SEQ && i < x->n; i++) {
		if (!node_is_scalar(x->items[i]))
			continue;
		for (j = 0; y != NULL && y->kind == NODE_SEQ && j < y->n; j++)
			if (node_equal(x->items[i], y->items[j]))
				break;
		if (y == NULL || y->kind != NODE_SEQ || j == y->n)
			s = s ? arena_printf(a, "%s, %s", s, x->items[i]->str) :
			    arena_strdup(a, x->items[i]->str);
	}
	return s;
}

static void
retry_notes(struct arena *a, const struct node *o, const struct node *n,
    struct diff_change *c, size_t nc)
{
	int64_t ao = amplification(o), an = amplification(n);
	const struct node *to = get(o, "retry.retryOn.triggers", NULL);
	const struct node *tn = get(n, "retry.retryOn.triggers", NULL);
	char buf[160], *more, *less;

	/* what retries on, when both sides say so explicitly */
	if (to != NULL && tn != NULL) {
		more = missing(a, tn, to);
		less = missing(a, to, tn);
		if (more != NULL)
			note(a, c, nc, "spec.retry.retryOn.triggers", arena_printf(a,
			    "now also retries on %s", more));
		if (less != NULL)
			note(a, c, nc, "spec.retry.retryOn.triggers", arena_printf(a,
			    "no longer retries on %s", less));
	}
	if (ao == an)
		return;
	snprintf(buf, sizeof(buf), "worst-case retry amplification %" PRId64
	    "\xc3\x97 \xe2\x86\x92 %" PRId64 "\xc3\x97 (numRetries + 1 upstream "
	    "attempts per request)", ao, an);
	note(a, c, nc, "spec.retry.numRetries", buf);
}

/* ---- circuit breakers ---- */

static const struct {
	const char	*field, *seed, *what;
	int64_t		 dflt;
} breakers[] = {
	{ "maxConnections", NULL, "connections beyond it are not opened, requests wait as pending", 1024 },
	{ "maxPendingRequests", NULL, "queued requests beyond it overflow with 503", 1024 },
	{ "maxParallelRequests", "maxRequests", "requests in flight beyond it overflow with 503", 1024 },
	{ "maxParallelRetries", "maxRetries", "retries beyond it are not attempted", 1024 },
	{ "maxRequestsPerConnection", NULL, "connections are recycled sooner", UNLIMITED },
};

static void
fmt_limit(int64_t v, char *buf, size_t len)
{
	if (v == UNLIMITED)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%" PRId64, v);
}

static void
breaker_notes(struct arena *a, const struct node *o, const struct node *n,
    struct diff_change *c, size_t nc)
{
	char path[96], seed[96], text[256], vo[24], vn[24];
	int64_t x, y, co, cn, po, pn;
	size_t i;
	bool lower;

	for (i = 0; i < nitems(breakers); i++) {
		snprintf(path, sizeof(path), "circuitBreaker.%s", breakers[i].field);
		snprintf(seed, sizeof(seed), "circuitBreaker.%s",
		    breakers[i].seed ? breakers[i].seed : breakers[i].field);
		x = get_int(o, path, seed, breakers[i].dflt);
		y = get_int(n, path, seed, breakers[i].dflt);
		if (x == y)
			continue;
		lower = x == UNLIMITED || (y != UNLIMITED && y < x);
		fmt_limit(x, vo, sizeof(vo));
		fmt_limit(y, vn, sizeof(vn));
		if (lower)
			snprintf(text, sizeof(text), "breaker limit lowered %s \xe2\x86\x92 %s: %s",
			    vo, vn, breakers[i].what);
		else
			snprintf(text, sizeof(text), "breaker limit raised %s \xe2\x86\x92 %s: "
			    "less load shedding, more load reaches the backends", vo, vn);
		/* the change is under the spelling the spec uses */
		snprintf(path, sizeof(path), "spec.circuitBreaker.%s",
		    breakers[i].seed != NULL && (get(n, seed, NULL) != NULL ||
		    get(o, seed, NULL) != NULL) ? breakers[i].seed : breakers[i].field);
		note(a, c, nc, path, text);
	}
	co = get_int(o, "circuitBreaker.maxConnections", NULL, 1024);
	cn = get_int(n, "circuitBreaker.maxConnections", NULL, 1024);
	po = get_int(o, "circuitBreaker.maxParallelRequests", "circuitBreaker.maxRequests", 1024);
	pn = get_int(n, "circuitBreaker.maxParallelRequests", "circuitBreaker.maxRequests", 1024);
	if (cn < pn && !(co < po)) {
		snprintf(text, sizeof(text), "maxConnections (%" PRId64 ") now below "
		    "maxParallelRequests (%" PRId64 "): over HTTP/1.1 at most %" PRId64
		    " requests run at once, the rest wait as pending", cn, pn, cn);
		note(a, c, nc, cn != co ? "spec.circuitBreaker.maxConnections" :
		    get(n, "circuitBreaker.maxRequests", NULL) != NULL ?
		    "spec.circuitBreaker.maxRequests" :
		    "spec.circuitBreaker.maxParallelRequests", text);
	}
}

/* ---- health checking ---- */

static void
health_notes(struct arena *a, const struct node *o, const struct node *n,
    struct diff_change *c, size_t nc)
{
	bool ao = get(o, "healthCheck.active", NULL) != NULL;
	bool an = get(n, "healthCheck.active", NULL) != NULL;
	bool po = get(o, "healthCheck.passive", NULL) != NULL;
	bool pn = get(n, "healthCheck.passive", NULL) != NULL;

	if (ao && !an)
		note(a, c, nc, "spec.healthCheck.active", pn ?
		    "active health checking removed: a dead host keeps getting "
		    "traffic until outlier detection ejects it" :
		    "active health checking removed and no outlier detection: "
		    "failing hosts keep receiving traffic");
	else if (!ao && an)
		note(a, c, nc, "spec.healthCheck.active",
		    "active health checking added: hosts failing unhealthyThreshold "
		    "probes are taken out of rotation");
	if (po && !pn)
		note(a, c, nc, "spec.healthCheck.passive",
		    "outlier detection removed: hosts returning errors are no longer ejected");
	else if (!po && pn)
		note(a, c, nc, "spec.healthCheck.passive",
		    "outlier detection added: hosts with consecutive errors are ejected "
		    "(at most maxEjectionPercent of them)");
}

/* ---- load balancing ---- */

static const char *
lb_type(const struct node *spec)
{
	const char *t = node_get_str(get(spec, "loadBalancer", NULL), "type");

	if (t == NULL)
		return "LeastRequest";
	if (strcmp(t, "Maglev") == 0)	/* the seed's name for it */
		return "ConsistentHash";
	return t;
}

static const char *
or_q(const char *s)
{
	return s != NULL ? s : "?";
}

static char *
names_of(struct arena *a, const struct node *l, bool lower)
{
	char *s = arena_strdup(a, ""), *p;
	size_t i;
	const char *nm;

	if (l != NULL && l->kind == NODE_MAP)	/* one item */
		s = arena_strdup(a, or_q(node_get_str(l, "name")));
	for (i = 0; l != NULL && l->kind == NODE_SEQ && i < l->n; i++)
		if ((nm = node_get_str(l->items[i], "name")) != NULL)
			s = arena_printf(a, "%s%s%s", s, *s ? "," : "", nm);
	if (lower)	/* header names have no case */
		for (p = s; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	return s;
}

static char *
hash_key(struct arena *a, const struct node *spec)
{
	const struct node *ch = get(spec, "loadBalancer.consistentHash", NULL);
	const char *t = node_get_str(ch, "type");

	if (t == NULL)
		return arena_strdup(a, "SourceIP");
	if (strcmp(t, "Header") == 0)
		return arena_printf(a, "Header %s", names_of(a,
		    node_get(ch, "header"), true));
	if (strcmp(t, "Headers") == 0)
		return arena_printf(a, "Headers %s", names_of(a, node_get(ch, "headers"), true));
	if (strcmp(t, "QueryParams") == 0)
		return arena_printf(a, "QueryParams %s",
		    names_of(a, node_get(ch, "queryParams"), false));
	if (strcmp(t, "Cookie") == 0)
		return arena_printf(a, "Cookie %s",
		    or_q(node_get_str(node_get(ch, "cookie"), "name")));
	return arena_strdup(a, t);
}

static bool
is_prime(int64_t v)
{
	int64_t d;

	if (v < 2)
		return false;
	for (d = 2; d * d <= v; d++)
		if (v % d == 0)
			return false;
	return true;
}

static void
lb_notes(struct arena *a, const struct node *o, const struct node *n,
    struct diff_change *c, size_t nc)
{
	const char *to = lb_type(o), *tn = lb_type(n);
	bool cho = strcmp(to, "ConsistentHash") == 0, chn = strcmp(tn, "ConsistentHash") == 0;
	char *ko, *kn;
	int64_t so, sn;

	if (strcmp(to, tn) != 0) {
		note(a, c, nc, "spec.loadBalancer.type", arena_printf(a,
		    "load balancer %s \xe2\x86\x92 %s: traffic spreads differently%s", to, tn,
		    cho ? ", session affinity lost" : chn ?
		    ", requests with the same key now stick to one host" : ""));
		return;
	}
	if (!cho)
		return;
	ko = hash_key(a, o);
	kn = hash_key(a, n);
	if (strcmp(ko, kn) != 0)
		note(a, c, nc, strcspn(ko, " ") != strcspn(kn, " ") ||
		    strncmp(ko, kn, strcspn(ko, " ")) != 0 ?
		    "spec.loadBalancer.consistentHash.type" :
		    "spec.loadBalancer.consistentHash", arena_printf(a,
		    "consistent-hash key changed (%s \xe2\x86\x92 %s): sessions move "
		    "to other hosts", ko, kn));
	so = get_int(o, "loadBalancer.consistentHash.tableSize", NULL, 65537);
	sn = get_int(n, "loadBalancer.consistentHash.tableSize", NULL, 65537);
	if (so != sn)
		note(a, c, nc, "spec.loadBalancer.consistentHash.tableSize", arena_printf(a,
		    "Maglev table size %" PRId64 " \xe2\x86\x92 %" PRId64 ": the table is "
		    "rebuilt, many sessions move to other hosts", so, sn));
	if (so != sn && !is_prime(sn))
		note(a, c, nc, "spec.loadBalancer.consistentHash.tableSize", arena_printf(a,
		    "%" PRId64 " is not prime: Envoy Gateway refuses the policy and its "
		    "routes answer 500", sn));
}

/* ---- timeouts ---- */

static const struct {
	const char	*path, *seed, *dflt, *shorter, *longer;
} timeouts[] = {
	{ "timeout.http.requestTimeout", NULL, "15s",
	  "requests slower than that now fail with 504",
	  "slow requests hold a connection longer before the 504" },
	{ "timeout.tcp.connectTimeout", NULL, "10s",
	  "connects slower than that now fail (503, connect failure)",
	  "a dead host takes longer to detect on connect" },
	{ "retry.perRetry.timeout", "retry.perRetryTimeout", NULL,
	  "attempts slower than that are cut and retried",
	  "each attempt may take longer before it is retried" },
	{ "timeout.http.connectionIdleTimeout", NULL, "1h",
	  "idle upstream connections are closed sooner",
	  "idle upstream connections stay open longer" },
	{ "timeout.http.maxConnectionDuration", NULL, NULL,
	  "upstream connections are recycled sooner",
	  "upstream connections live longer" },
	{ "timeout.http.streamIdleTimeout", NULL, NULL,
	  "idle streams are reset sooner", "idle streams stay open longer" },
	{ "timeout.http.maxStreamDuration", NULL, NULL,
	  "long streams are cut sooner", "long streams may last longer" },
	{ "healthCheck.active.timeout", NULL, "1s",
	  "slow health-check answers now count as failures",
	  "health checks wait longer for an answer" },
};

static int64_t
duration_of(const struct node *spec, const char *path, const char *seed,
    const char *dflt)
{
	const struct node *v = get(spec, path, seed);
	int64_t ns;

	if (v != NULL && v->kind == NODE_STRING &&
	    (units_gwapi_duration(v->str, &ns) || units_go_duration(v->str, &ns)))
		return ns;
	if (v == NULL && dflt != NULL && units_gwapi_duration(dflt, &ns))
		return ns;
	return UNLIMITED;
}

static void
timeout_notes(struct arena *a, const struct node *o, const struct node *n,
    struct diff_change *c, size_t nc)
{
	char bo[32], bn[32];
	int64_t x, y;
	size_t i;
	bool shorter;

	for (i = 0; i < nitems(timeouts); i++) {
		/* health-check timeouts only while checking on both sides */
		if (str_has_prefix(timeouts[i].path, "healthCheck.active") &&
		    (get(o, "healthCheck.active", NULL) == NULL ||
		    get(n, "healthCheck.active", NULL) == NULL))
			continue;
		x = duration_of(o, timeouts[i].path, timeouts[i].seed, timeouts[i].dflt);
		y = duration_of(n, timeouts[i].path, timeouts[i].seed, timeouts[i].dflt);
		if (x == y)
			continue;
		/* 0 and unset mean "no limit" for these */
		shorter = x == UNLIMITED || x == 0 || (y != UNLIMITED && y != 0 && y < x);
		if (x == UNLIMITED)
			snprintf(bo, sizeof(bo), "unset");
		else
			diff_fmt_duration(x, bo, sizeof(bo));
		if (y == UNLIMITED)
			snprintf(bn, sizeof(bn), "unset");
		else
			diff_fmt_duration(y, bn, sizeof(bn));
		note(a, c, nc, arena_printf(a, "spec.%s",
		    get(n, timeouts[i].path, NULL) == NULL && timeouts[i].seed &&
		    get(n ? n : o, timeouts[i].seed, NULL) != NULL ?
		    timeouts[i].seed : timeouts[i].path),
		    arena_printf(a, "timeout %s %s \xe2\x86\x92 %s: %s",
		    shorter ? "shortened" : "lengthened", bo, bn,
		    shorter ? timeouts[i].shorter : timeouts[i].longer));
	}
}

void
diff_fmt_duration(int64_t ns, char *buf, size_t len)
{
	int64_t h, m, s, ms;
	size_t off = 0;

	if (ns == 0) {
		snprintf(buf, len, "0s");
		return;
	}
	if (ns < 0 || ns % 1000000 != 0) {
		snprintf(buf, len, "%" PRId64 "ns", ns);
		return;
	}
	ms = ns / 1000000;
	h = ms / 3600000;
	m = ms / 60000 % 60;
	s = ms / 1000 % 60;
	ms %= 1000;
	buf[0] = '\0';
	if (h > 0 && off < len)
		off += (size_t)snprintf(buf + off, len - off, "%" PRId64 "h", h);
	if (m > 0 && off < len)
		off += (size_t)snprintf(buf + off, len - off, "%" PRId64 "m", m);
	if (s > 0 && off < len)
		off += (size_t)snprintf(buf + off, len - off, "%" PRId64 "s", s);
	if (ms > 0 && off < len)
		snprintf(buf + off, len - off, "%" PRId64 "ms", ms);
}

/* targetRef (deprecated) and targetRefs naming the same one target? */
static bool
same_single_target(const struct node *ref, const struct node *refs)
{
	return ref != NULL && refs != NULL && refs->kind == NODE_SEQ && refs->n == 1 &&
	    node_equal(ref, refs->items[0]);
}

/* targetRefs items added or removed: where the policy applies. */
static void
target_notes(struct arena *a, const struct node *o, const struct node *n,
    struct diff_change *c, size_t nc)
{
	const struct node *ref;
	const char *sec, *text;
	size_t i;

	if (same_single_target(get(o, "targetRef", NULL), get(n, "targetRefs", NULL)) ||
	    same_single_target(get(n, "targetRef", NULL), get(o, "targetRefs", NULL))) {
		note(a, c, nc, get(n, "targetRefs", NULL) ? "spec.targetRefs" :
		    "spec.targetRef", "same target, spelled with the other field: the "
		    "policy applies where it did (targetRef is deprecated)");
		return;
	}
	for (i = 0; i < nc; i++) {
		/* whole items only: "spec.targetRefs[kind=HTTPRoute,name=a]" */
		if (!str_has_prefix(c[i].path, "spec.targetRefs[") ||
		    c[i].op == DIFF_CHANGED || !str_has_suffix(c[i].path, "]"))
			continue;
		ref = c[i].op == DIFF_ADDED ? c[i].new_val : c[i].old_val;
		if (node_get_str(ref, "kind") == NULL || node_get_str(ref, "name") == NULL)
			continue;
		sec = node_get_str(ref, "sectionName");
		text = arena_printf(a, "%s %s %s%s%s", c[i].op == DIFF_ADDED ?
		    "now also applies to" : "no longer applies to",
		    node_get_str(ref, "kind"), node_get_str(ref, "name"),
		    sec ? " section " : "", sec ? sec : "");
		note(a, c, nc, c[i].path, text);
	}
}

void
diff_impacts(struct arena *a, const struct node *o, const struct node *n,
    struct diff_change *c, size_t nc)
{
	if (nc == 0)
		return;
	target_notes(a, o, n, c, nc);
	retry_notes(a, o, n, c, nc);
	breaker_notes(a, o, n, c, nc);
	health_notes(a, o, n, c, nc);
	lb_notes(a, o, n, c, nc);
	timeout_notes(a, o, n, c, nc);
}
