/*
 * effective_check.c: the checks Envoy Gateway's translator makes after
 * admission (docs/upstream-api.md b2).  A failing policy is Accepted=False
 * with reason Invalid and its HTTP routes answer 500.  The message is
 * "<Feature>: <error>" per failing feature, joined with newlines, first
 * letter upper-cased and a final "." added, as upstream writes it.
 */
#include <ctype.h>
#include <stdarg.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "arena.h"
#include "effective_int.h"
#include "units.h"
#include "util.h"

#define U32_MAX	4294967295LL

/*
 * A Kubernetes quantity as an integer: "100", "64Ki", "1M", "100m".
 * Returns 0 ok, -1 not a quantity or not a whole number, 1 parsed (value
 * in *v, may be huge).
 */
static int
quantity(const char *s, double *v)
{
	static const struct {
		const char	*sfx;
		double		 mul;
	} sfx[] = {
		{ "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 },
		{ "Ti", 1099511627776.0 }, { "Pi", 1125899906842624.0 },
		{ "Ei", 1152921504606846976.0 }, { "n", 1e-9 }, { "u", 1e-6 },
		{ "m", 1e-3 }, { "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 }, { "T", 1e12 },
		{ "P", 1e15 }, { "E", 1e18 }, { "", 1 },
	};
	char *end;
	double x;
	size_t i;

	if (s == NULL || *s == '\0')
		return -1;
	x = strtod(s, &end);
	if (end == s)
		return -1;
	for (i = 0; i < nitems(sfx); i++)
		if (strcmp(end, sfx[i].sfx) == 0) {
			x *= sfx[i].mul;
			if (x != floor(x))
				return -1;
			*v = x;
			return 1;
		}
	return -1;
}

/* The text of a scalar node (ints too), or NULL. */
static const char *
text(const struct node *n)
{
	return n != NULL && node_is_scalar(n) && n->kind != NODE_NULL ? n->str : NULL;
}

struct errs {
	struct arena	*a;
	struct strbuf	 all;
	struct strbuf	 one;	/* the current feature's errors */
};

static void
err_add(struct errs *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
err_add(struct errs *e, const char *fmt, ...)
{
	va_list ap;

	if (e->one.len)
		sb_addc(&e->one, '\n');
	va_start(ap, fmt);
	sb_vprintf(&e->one, fmt, ap);
	va_end(ap);
}

static void
feature_done(struct errs *e, const char *feature)
{
	if (e->one.len == 0)
		return;
	if (e->all.len)
		sb_addc(&e->all, '\n');
	sb_printf(&e->all, "%s: %s", feature, e->one.buf);
	sb_reset(&e->one);
}

static bool
is_prime(long long n)
{
	long long i;

	if (n < 2)
		return false;
	for (i = 2; i * i <= n; i++)
		if (n % i == 0)
			return false;
	return true;
}

static void
check_duration(struct errs *e, const struct node *n, const char *what)
{
	int64_t ns;
	const char *s = text(n);

	if (s != NULL && !units_go_duration(s, &ns))
		err_add(e, "invalid %s value %s", what, s);
}

static void
check_lb(struct errs *e, const struct node *lb)
{
	const struct node *ts = node_path(lb, "consistentHash.tableSize");

	if (ts != NULL && ts->kind == NODE_INT && (ts->i > 5000011 || !is_prime(ts->i)))
		err_add(e, "ConsistentHash: invalid TableSize value %" PRId64, ts->i);
	check_duration(e, node_path(lb, "slowStart.window"), "SlowStart Window");
}

static void
check_cb(struct errs *e, const struct node *cb)
{
	static const struct {
		const char *key, *name;
	} f[] = {
		{ "maxConnections", "MaxConnections" },
		{ "maxPendingRequests", "MaxPendingRequests" },
		{ "maxParallelRequests", "MaxParallelRequests" },
		{ "maxParallelRetries", "MaxParallelRetries" },
		{ "maxRequestsPerConnection", "MaxRequestsPerConnection" },
	};
	const struct node *v;
	size_t i;

	for (i = 0; i < nitems(f); i++) {
		v = node_get(cb, f[i].key);
		if (v != NULL && v->kind == NODE_INT && (v->i < 0 || v->i > U32_MAX)) {
			err_add(e, "invalid %s value %" PRId64, f[i].name, v->i);
			return;
		}
	}
}

static void
check_timeout(struct errs *e, const struct node *to)
{
	check_duration(e, node_path(to, "tcp.connectTimeout"), "ConnectTimeout");
	check_duration(e, node_path(to, "http.connectionIdleTimeout"),
	    "ConnectionIdleTimeout");
	check_duration(e, node_path(to, "http.maxConnectionDuration"),
	    "MaxConnectionDuration");
	check_duration(e, node_path(to, "http.requestTimeout"), "RequestTimeout");
	check_duration(e, node_path(to, "http.maxStreamDuration"), "MaxStreamDuration");
	check_duration(e, node_path(to, "http.streamIdleTimeout"), "StreamIdleTimeout");
}

static void
check_retry(struct errs *e, const struct node *r)
{
	const struct node *bo = node_path(r, "perRetry.backOff");
	const char *b = text(node_get(bo, "baseInterval"));
	const char *m = text(node_get(bo, "maxInterval"));
	int64_t bn = -1, mn = -1;

	if (b != NULL && units_go_duration(b, &bn) && bn == 0) {
		err_add(e, "baseInterval cannot be set to 0s");
		return;
	}
	if (m != NULL && units_go_duration(m, &mn) && mn == 0) {
		err_add(e, "maxInterval cannot be set to 0s");
		return;
	}
	if (bn >= 0 && mn >= 0 && mn < bn)
		err_add(e, "maxInterval cannot be less than baseInterval");
}

/*
 * A whole quantity in Kubernetes' canonical form: the largest suffix of
 * the same family (binary when written with Ki/Mi/..., else decimal) that
 * leaves an integer mantissa ("1000G" -> "1T", "5000Mi" stays).
 */
static const char *
canon_qty(struct arena *a, const char *s, double v)
{
	static const char *const bin[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	static const char *const dec[] = { "", "k", "M", "G", "T", "P", "E" };
	bool binary = strchr(s, 'i') != NULL;
	double base = binary ? 1024.0 : 1000.0, m = v;
	size_t k = 0;

	if (v == 0 || v != floor(v))
		return s;
	while (k + 1 < nitems(bin) && fmod(m, base) == 0) {
		m /= base;
		k++;
	}
	return arena_printf(a, "%.0f%s", m, binary ? bin[k] : dec[k]);
}

static void
check_range_qty(struct errs *e, const char *s, const char *name, double lo,
    double hi, bool with_range)
{
	double v;

	if (s == NULL)
		return;
	if (quantity(s, &v) >= 0)
		s = canon_qty(e->a, s, v);
	if (quantity(s, &v) < 0)
		err_add(e, "invalid %s value %s", name, s);
	else if (v < lo || v > hi) {
		if (with_range)
			err_add(e, "%s value %s is out of range, must be between %.0f "
			    "and %.0f", name, s, lo, hi);
		else
			err_add(e, "%s value %s is out of range", name, s);
	}
}

static long
unit_seconds(const char *u)
{
	if (u == NULL)
		return 0;
	if (strcmp(u, "Second") == 0)
		return 1;
	if (strcmp(u, "Minute") == 0)
		return 60;
	if (strcmp(u, "Hour") == 0)
		return 3600;
	if (strcmp(u, "Day") == 0)
		return 86400;
	if (strcmp(u, "Month") == 0)
		return 2592000;
	if (strcmp(u, "Year") == 0)
		return 31536000;
	return 0;
}

static void
check_bandwidth(struct errs *e, const struct node *bl)
{
	static const char *const dirs[] = { "request", "response" };
	const struct node *lim, *v;
	const char *unit;
	long secs;
	size_t i;

	for (i = 0; i < nitems(dirs); i++) {
		lim = node_path(node_get(bl, dirs[i]), "limit");
		v = node_get(lim, "value");
		unit = node_get_str(lim, "unit");
		if (v == NULL || v->kind != NODE_INT)
			continue;
		if (v->i <= 0) {
			err_add(e, "%s limit value must be positive", dirs[i]);
			continue;
		}
		secs = unit_seconds(unit);
		if (secs > 0 && (double)v->i / (double)secs < 1024.0)
			err_add(e, "%s: bandwidth limit of %" PRId64 " bytes per %s is "
			    "below the minimum of 1 KiB/s", dirs[i], v->i, unit);
	}
}

/* Go's regexp/syntax message for patterns RE2 refuses (the common cases). */
static const char *
re2_error(struct arena *a, const char *re)
{
	pcre2_code *c;
	int err;
	PCRE2_SIZE off;

	if (re[0] == '*' || re[0] == '+' || re[0] == '?')
		return arena_printf(a, "error parsing regexp: missing argument to "
		    "repetition operator: `%c`", re[0]);
	c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	if (c != NULL) {
		pcre2_code_free(c);
		return NULL;
	}
	return arena_printf(a, "error parsing regexp: invalid pattern: `%s`", re);
}

static bool
check_rl_rule(struct errs *e, const struct node *rule)
{
	const struct node *cs = node_get(rule, "clientSelectors"), *sel, *hs, *h;
	const char *type, *val, *msg;
	size_t i, j;

	for (i = 0; cs != NULL && cs->kind == NODE_SEQ && i < cs->n; i++) {
		sel = cs->items[i];
		hs = node_get(sel, "headers");
		for (j = 0; hs != NULL && hs->kind == NODE_SEQ && j < hs->n; j++) {
			h = hs->items[j];
			type = node_get_str(h, "type");
			val = node_get_str(h, "value");
			if (type == NULL)
				type = "Exact";
			if (strcmp(type, "Distinct") == 0) {
				if (node_get(h, "invert") && node_get(h, "invert")->kind ==
				    NODE_BOOL && node_get(h, "invert")->b) {
					err_add(e, "unable to translate rateLimit.Invert is not "
					    "applicable for distinct header match type");
					return false;
				}
				continue;
			}
			if ((strcmp(type, "Exact") != 0 && strcmp(type,
			    "RegularExpression") != 0) || val == NULL) {
				err_add(e, "unable to translate rateLimit. Either the "
				    "header.Type is not valid or the header is missing a value");
				return false;
			}
			if (strcmp(type, "RegularExpression") == 0 &&
			    (msg = re2_error(e->a, val)) != NULL) {
				err_add(e, "regex \"%s\" is invalid: %s", val, msg);
				return false;
			}
		}
	}
	return true;
}

static bool
no_selectors(const struct node *rule)
{
	const struct node *cs = node_get(rule, "clientSelectors");

	return cs == NULL || cs->kind != NODE_SEQ || cs->n == 0;
}

static void
check_local(struct errs *e, const struct node *local)
{
	const struct node *rules = node_get(local, "rules");
	const char *dunit = "Second";
	bool have_default = false;
	long du, ru;
	size_t i;

	for (i = 0; rules != NULL && rules->kind == NODE_SEQ && i < rules->n; i++) {
		if (!no_selectors(rules->items[i]))
			continue;
		if (have_default) {
			err_add(e, "local rateLimit can not have more than one rule "
			    "without clientSelectors");
			return;
		}
		have_default = true;
		dunit = node_get_str(node_get(rules->items[i], "limit"), "unit");
	}
	du = unit_seconds(dunit);
	for (i = 0; rules != NULL && rules->kind == NODE_SEQ && i < rules->n; i++) {
		ru = unit_seconds(node_get_str(node_get(rules->items[i], "limit"), "unit"));
		if (du == 0 || ru % du != 0) {
			err_add(e, "local rateLimit rule limit unit must be a multiple of "
			    "the default limit unit");
			return;
		}
	}
	for (i = 0; rules != NULL && rules->kind == NODE_SEQ && i < rules->n; i++)
		if (!no_selectors(rules->items[i]) && !check_rl_rule(e, rules->items[i]))
			return;
}

static void
check_global(struct errs *e, const struct node *global)
{
	const struct node *rules = node_get(global, "rules");
	size_t i;

	for (i = 0; rules != NULL && rules->kind == NODE_SEQ && i < rules->n; i++)
		if (!check_rl_rule(e, rules->items[i]))
			return;
}

static void
check_ratelimit(struct errs *e, const struct node *rl)
{
	const char *type = node_get_str(rl, "type");
	const struct node *local = node_get(rl, "local"), *global = node_get(rl, "global");

	if (type != NULL && strcmp(type, "Global") == 0) {
		if (global == NULL)
			err_add(e, "global configuration empty for rateLimit");
		else
			check_global(e, global);
		return;
	}
	if (type != NULL && strcmp(type, "Local") == 0) {
		if (local == NULL)
			err_add(e, "local configuration empty for rateLimit");
		else
			check_local(e, local);
		return;
	}
	if (local != NULL)
		check_local(e, local);
	if (global != NULL && e->one.len == 0)
		check_global(e, global);
}

static void
check_override(struct errs *e, const struct node *ro, const char *ns,
    const struct eff_opts *o)
{
	const struct node *ref;
	const char *name;
	size_t i, j;
	bool found, data;

	if (o == NULL || !o->check_configmaps || ro == NULL || ro->kind != NODE_SEQ)
		return;
	for (i = 0; i < ro->n; i++) {
		ref = node_path(ro->items[i], "response.body.valueRef");
		name = node_get_str(ref, "name");
		if (name == NULL)
			continue;
		found = data = false;
		for (j = 0; j < o->nconfigmaps; j++)
			if (strcmp(o->configmaps[j].ns, ns) == 0 &&
			    strcmp(o->configmaps[j].name, name) == 0) {
				found = true;
				data = o->configmaps[j].has_data;
			}
		if (!found) {
			err_add(e, "can't find the referenced configmap %s/%s", ns, name);
			return;
		}
		if (!data) {
			err_add(e, "can't find the key response.body in the referenced "
			    "configmap %s/%s", ns, name);
			return;
		}
	}
}

static void
check_http2(struct errs *e, const struct node *h2)
{
	check_range_qty(e, text(node_get(h2, "initialStreamWindowSize")),
	    "InitialStreamWindowSize", 65535, 2147483647, true);
	check_range_qty(e, text(node_get(h2, "initialConnectionWindowSize")),
	    "InitialConnectionWindowSize", 65535, 2147483647, true);
}

static void
check_reqbuf(struct errs *e, const struct node *rb)
{
	const char *s = text(node_get(rb, "limit"));
	double v;

	if (s == NULL)
		return;
	if (quantity(s, &v) < 0)
		err_add(e, "limit must be convertible to an int64");
	else if (v < 0 || v > U32_MAX)
		err_add(e, "limit value %s is out of range, must be between 0 and "
		    "4294967295", canon_qty(e->a, s, v));
}

const char *
eff_translate_errors(struct arena *a, const struct node *spec,
    const char *policy_ns, const struct eff_opts *o)
{
	struct errs e;
	const struct node *n;
	const char *out = NULL;

	if (spec == NULL || spec->kind != NODE_MAP)
		return NULL;
	e.a = a;
	sb_init(&e.all);
	sb_init(&e.one);
	if ((n = node_get(spec, "rateLimit")) != NULL) {
		check_ratelimit(&e, n);
		feature_done(&e, "RateLimit");
	}
	if ((n = node_get(spec, "bandwidthLimit")) != NULL) {
		check_bandwidth(&e, n);
		feature_done(&e, "BandwidthLimit");
	}
	check_lb(&e, node_get(spec, "loadBalancer"));
	feature_done(&e, "LoadBalancer");
	check_cb(&e, node_get(spec, "circuitBreaker"));
	feature_done(&e, "CircuitBreaker");
	check_duration(&e, node_path(spec, "tcpKeepalive.idleTime"), "IdleTime");
	check_duration(&e, node_path(spec, "tcpKeepalive.interval"), "Interval");
	feature_done(&e, "TCPKeepalive");
	check_retry(&e, node_get(spec, "retry"));
	feature_done(&e, "Retry");
	check_timeout(&e, node_get(spec, "timeout"));
	feature_done(&e, "Timeout");
	check_range_qty(&e, text(node_path(spec, "connection.bufferLimit")),
	    "BufferLimit", 0, U32_MAX, false);
	feature_done(&e, "BackendConnection");
	check_http2(&e, node_get(spec, "http2"));
	feature_done(&e, "HTTP2");
	check_override(&e, node_get(spec, "responseOverride"), policy_ns, o);
	feature_done(&e, "ResponseOverride");
	check_reqbuf(&e, node_get(spec, "requestBuffer"));
	if (node_get(spec, "requestBuffer") != NULL && node_get(spec, "httpUpgrade") &&
	    node_get(spec, "httpUpgrade")->kind == NODE_SEQ &&
	    node_get(spec, "httpUpgrade")->n > 0)
		err_add(&e, "requestBuffer cannot be used together with httpUpgrade");
	feature_done(&e, "RequestBuffer");
	if (e.all.len) {
		e.all.buf[0] = (char)toupper((unsigned char)e.all.buf[0]);
		if (e.all.buf[e.all.len - 1] != '.')
			sb_addc(&e.all, '.');
		out = arena_strdup(a, e.all.buf);
	}
	sb_release(&e.all);
	sb_release(&e.one);
	return out;
}
