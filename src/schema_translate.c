/*
 * schema_translate.c: Envoy Gateway's translator-level checks
 * (docs/upstream-api.md section b2).  A policy failing one passes
 * admission, but Envoy Gateway marks it Accepted=False (reason Invalid)
 * and the HTTP and GRPC routes it covers answer 500 instead of reaching a
 * backend.  Each is reported with code "translate", quoting the status
 * message Envoy Gateway writes.  Values of the wrong type are the schema
 * checker's business and are skipped here.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "node.h"
#include "objects.h"
#include "schema.h"
#include "units.h"
#include "util.h"

struct tctx {
	const struct object	*o;
	struct diags		*d;
	int			 n;
};

static void terr(struct tctx *, const struct node *, const char *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/* "<path>: Envoy Gateway rejects the policy ...: <Feature>: <error>." */
static void
terr(struct tctx *t, const struct node *at, const char *path, const char *fmt, ...)
{
	struct strbuf sb;
	struct diag *g;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (sb.len > 0 && sb.buf[sb.len - 1] != '.')
		sb_addc(&sb, '.');
	g = diag_add(t->d, SEV_ERROR, "translate", &at->loc,
	    "%s: Envoy Gateway rejects the policy (Accepted=False) and its HTTP and GRPC "
	    "routes answer 500: \"%s\"", path, sb.buf);
	diag_set_path(g, path);
	diag_set_object(g, t->o->kind, t->o->ns[0] ? t->o->ns : NULL,
	    t->o->name[0] ? t->o->name : NULL);
	sb_release(&sb);
	t->n++;
}

/* A quantity ("1Mi", "10M", 42) in whole units; false when it does not parse. */
static bool
quantity(const struct node *n, double *v)
{
	int64_t q;

	if (n == NULL)
		return false;
	if (n->kind == NODE_INT) {
		*v = (double)n->i;
		return true;
	}
	if (n->kind != NODE_STRING || !units_quantity(n->str, &q))
		return false;
	*v = (double)q;
	return true;
}

/*
 * A string the CRD's quantity pattern admits (digits, an optional suffix)
 * whose value does not fit an int64: Quantity.AsInt64() fails on it.
 */
static bool
quantity_overflows(const struct node *n)
{
	const char *p;

	if (n == NULL || n->kind != NODE_STRING || units_quantity(n->str, NULL))
		return false;
	for (p = n->str; *p >= '0' && *p <= '9'; p++)
		continue;
	if (p == n->str)
		return false;
	if (*p != '\0' && strchr("EPTGMK", *p) != NULL && p[1] == 'i')
		p += 2;
	else if (*p != '\0' && strchr("EPTGMk", *p) != NULL)
		p++;
	return *p == '\0';
}

/* Go's time.ParseDuration, in nanoseconds; false when it does not parse. */
static bool
duration(const struct node *n, double *ns)
{
	int64_t d;

	if (n == NULL || n->kind != NODE_STRING || !units_go_duration(n->str, &d))
		return false;
	*ns = (double)d;
	return true;
}

static bool
is_prime(int64_t v)
{
	int64_t i;

	if (v < 2)
		return false;
	for (i = 2; i * i <= v; i++)
		if (v % i == 0)
			return false;
	return true;
}

static void
check_lb(struct tctx *t, const struct node *spec)
{
	const struct node *ts = node_path(spec, "loadBalancer.consistentHash.tableSize");

	if (ts != NULL && ts->kind == NODE_INT && (ts->i > 5000011 || !is_prime(ts->i)))
		terr(t, ts, "spec.loadBalancer.consistentHash.tableSize",
		    "LoadBalancer: ConsistentHash: invalid TableSize value %lld", (long long)ts->i);
}

static void
check_sizes(struct tctx *t, const struct node *spec)
{
	const struct node *n;
	double v;

	n = node_path(spec, "connection.bufferLimit");
	if (quantity_overflows(n))
		terr(t, n, "spec.connection.bufferLimit",
		    "BackendConnection: invalid BufferLimit value %s", n->str);
	if (quantity(n, &v) && (v > 4294967295.0 || v < 0))
		terr(t, n, "spec.connection.bufferLimit",
		    "BackendConnection: BufferLimit value %s is out of range", n->str);
	n = node_path(spec, "requestBuffer.limit");
	if (quantity_overflows(n))
		terr(t, n, "spec.requestBuffer.limit",
		    "RequestBuffer: limit must be convertible to an int64");
	if (quantity(n, &v) && (v > 4294967295.0 || v < 0))
		terr(t, n, "spec.requestBuffer.limit",
		    "RequestBuffer: limit value %s is out of range, must be between 0 and 4294967295",
		    n->str);
	n = node_path(spec, "http2.initialStreamWindowSize");
	if (quantity_overflows(n))
		terr(t, n, "spec.http2.initialStreamWindowSize",
		    "HTTP2: invalid InitialStreamWindowSize value %s", n->str);
	if (quantity(n, &v) && (v < 65535 || v > 2147483647.0))
		terr(t, n, "spec.http2.initialStreamWindowSize",
		    "HTTP2: InitialStreamWindowSize value %s is out of range, must be between "
		    "65535 and 2147483647", n->str);
	n = node_path(spec, "http2.initialConnectionWindowSize");
	if (quantity_overflows(n))
		terr(t, n, "spec.http2.initialConnectionWindowSize",
		    "HTTP2: invalid InitialConnectionWindowSize value %s", n->str);
	if (quantity(n, &v) && (v < 65535 || v > 2147483647.0))
		terr(t, n, "spec.http2.initialConnectionWindowSize",
		    "HTTP2: InitialConnectionWindowSize value %s is out of range, must be "
		    "between 65535 and 2147483647", n->str);
}

static void
check_retry(struct tctx *t, const struct node *spec)
{
	const struct node *bi = node_path(spec, "retry.perRetry.backOff.baseInterval");
	const struct node *mi = node_path(spec, "retry.perRetry.backOff.maxInterval");
	double b = -1, m = -1;

	if (duration(bi, &b) && b == 0)
		terr(t, bi, "spec.retry.perRetry.backOff.baseInterval",
		    "Retry: baseInterval cannot be set to 0s");
	if (duration(mi, &m) && m == 0)
		terr(t, mi, "spec.retry.perRetry.backOff.maxInterval",
		    "Retry: maxInterval cannot be set to 0s");
	else if (b > 0 && m > 0 && m < b)
		terr(t, mi, "spec.retry.perRetry.backOff.maxInterval",
		    "Retry: maxInterval cannot be less than baseInterval");
}

static double
unit_seconds(const char *u)
{
	static const struct { const char *name; double s; } tab[] = {
		{ "Second", 1 }, { "Minute", 60 }, { "Hour", 3600 }, { "Day", 86400 },
		{ "Week", 604800 }, { "Month", 2592000 }, { "Year", 31536000 },
	};
	size_t i;

	for (i = 0; u != NULL && i < nitems(tab); i++)
		if (strcmp(tab[i].name, u) == 0)
			return tab[i].s;
	return 0;
}

static void
check_bandwidth(struct tctx *t, const struct node *spec)
{
	static const char *const dirs[] = { "request", "response" };
	static const char *const paths[] = { "spec.bandwidthLimit.request.limit.value",
	    "spec.bandwidthLimit.response.limit.value" };
	const struct node *bw, *lim, *val;
	const char *unit;
	double v, secs;
	size_t i;

	if ((bw = node_get(spec, "bandwidthLimit")) == NULL)
		return;
	for (i = 0; i < nitems(dirs); i++) {
		if ((lim = node_get(node_get(bw, dirs[i]), "limit")) == NULL ||
		    lim->kind != NODE_MAP)
			continue;
		val = node_get(lim, "value");
		unit = node_get_str(lim, "unit");
		if (!quantity(val, &v) || (secs = unit_seconds(unit)) == 0)
			continue;
		if (v / secs < 1024)
			terr(t, val, paths[i], "BandwidthLimit: %s: bandwidth limit of %.0f bytes "
			    "per %s is below the minimum of 1 KiB/s", dirs[i], v, unit);
	}
}

static void
check_selectors(struct tctx *t, const struct node *sel, const char *base)
{
	const struct node *l, *h, *c;
	const char *type;
	char path[256];
	size_t i;
	bool inv;

	if ((l = node_get(sel, "headers")) != NULL && l->kind == NODE_SEQ) {
		for (i = 0; i < l->n; i++) {
			h = l->items[i];
			type = node_get_str(h, "type");
			if (type == NULL)
				type = "Exact";
			inv = node_get(h, "invert") != NULL && node_get(h, "invert")->kind == NODE_BOOL &&
			    node_get(h, "invert")->b;
			snprintf(path, sizeof(path), "%s.headers[%zu]", base, i);
			if (strcmp(type, "Distinct") == 0 && inv)
				terr(t, h, path, "RateLimit: unable to translate rateLimit.Invert is not "
				    "applicable for distinct header match type");
			else if ((strcmp(type, "Exact") == 0 || strcmp(type, "RegularExpression") == 0) &&
			    node_get(h, "value") == NULL)
				terr(t, h, path, "RateLimit: unable to translate rateLimit. Either the "
				    "header.Type is not valid or the header is missing a value");
		}
	}
	if ((l = node_get(sel, "queryParams")) != NULL && l->kind == NODE_SEQ) {
		for (i = 0; i < l->n; i++) {
			h = l->items[i];
			type = node_get_str(h, "type");
			if (type == NULL)
				type = "Exact";
			snprintf(path, sizeof(path), "%s.queryParams[%zu]", base, i);
			if ((strcmp(type, "Exact") == 0 || strcmp(type, "RegularExpression") == 0) &&
			    node_get(h, "value") == NULL)
				terr(t, h, path, "RateLimit: value is required for %s query parameter match",
				    type);
		}
	}
	c = node_path(sel, "sourceCIDR.value");
	if (c != NULL && c->kind == NODE_STRING && !schema_format_ok(SF_CIDR, c->str, c->len)) {
		snprintf(path, sizeof(path), "%s.sourceCIDR.value", base);
		terr(t, c, path, "RateLimit: unable to translate rateLimit: invalid CIDR address: %s",
		    c->str);
	}
}

static void
check_ratelimit(struct tctx *t, const struct node *spec)
{
	static const char *const kinds[] = { "global", "local" };
	const struct node *rules, *r, *cs, *dflt = NULL;
	char base[128];
	size_t i, j, k, nodefault = 0;
	double du, ru;

	for (k = 0; k < nitems(kinds); k++) {
		snprintf(base, sizeof(base), "rateLimit.%s.rules", kinds[k]);
		if ((rules = node_path(spec, base)) == NULL || rules->kind != NODE_SEQ)
			continue;
		for (i = 0; i < rules->n; i++) {
			r = rules->items[i];
			cs = node_get(r, "clientSelectors");
			if (cs == NULL || cs->kind != NODE_SEQ || cs->n == 0) {
				if (k == 1 && nodefault++ == 1)
					terr(t, r, "spec.rateLimit.local.rules",
					    "RateLimit: local rateLimit can not have more than one rule "
					    "without clientSelectors");
				if (k == 1 && dflt == NULL)
					dflt = r;
				continue;
			}
			for (j = 0; j < cs->n; j++) {
				snprintf(base, sizeof(base), "spec.rateLimit.%s.rules[%zu].clientSelectors[%zu]",
				    kinds[k], i, j);
				check_selectors(t, cs->items[j], base);
			}
		}
		if (k != 1 || dflt == NULL)
			continue;
		du = unit_seconds(node_get_str(node_get(dflt, "limit"), "unit"));
		for (i = 0; i < rules->n && du > 0; i++) {
			r = rules->items[i];
			if (r == dflt)
				continue;
			ru = unit_seconds(node_get_str(node_get(r, "limit"), "unit"));
			if (ru > 0 && fmod(ru, du) != 0) {
				snprintf(base, sizeof(base), "spec.rateLimit.local.rules[%zu].limit.unit", i);
				terr(t, node_path(r, "limit.unit"), base,
				    "RateLimit: local rateLimit rule limit unit must be a multiple of "
				    "the default limit unit");
			}
		}
	}
}

static void
check_merge(struct tctx *t, const struct node *spec)
{
	const struct node *m = node_get(spec, "mergeType");

	if (m == NULL || m->kind != NODE_STRING || strcmp(m->str, "StrategicMerge") == 0 ||
	    strcmp(m->str, "JSONMerge") == 0 || strcmp(m->str, "Replace") == 0)
		return;
	terr(t, m, "spec.mergeType", "Error merging policies: unsupported merge type: %s", m->str);
}

int
schema_translate_checks(const struct object *o, struct diags *d)
{
	struct tctx t = { o, d, 0 };

	if (o->spec == NULL || o->spec->kind != NODE_MAP)
		return 0;
	check_lb(&t, o->spec);
	check_sizes(&t, o->spec);
	check_retry(&t, o->spec);
	check_bandwidth(&t, o->spec);
	check_ratelimit(&t, o->spec);
	check_merge(&t, o->spec);
	return t.n;
}
