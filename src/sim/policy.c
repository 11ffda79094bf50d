/*
 * policy.c: from a BackendTrafficPolicy spec to the simulator's
 * configuration.  Unset fields take Envoy Gateway's defaults
 * (upstream-api.md §d) and each assumption is listed in cfg->defaults so
 * the output can say what was assumed.  The seed description's spellings
 * (circuitBreaker.maxRequests, retry.perRetryTimeout, retry.backoff,
 * healthCheck.passive.consecutive5xxErrors, loadBalancer.type: Maglev, an
 * active check without type) are read by their meaning.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "node.h"
#include "sim/sim.h"

void
sim_config_defaults(struct sim_config *c)
{
	memset(c, 0, sizeof(*c));
	c->lb = SIM_LB_LEAST_REQUEST;
	c->choice_count = 2;
	c->active_request_bias = 1.0;
	c->slow_start_aggression = 1.0;
	c->slow_start_min_weight = 0.10;
	c->table_size = 65537;
	c->panic_threshold = 50;
	c->max_connections = c->max_pending = c->max_requests = 1024;
	c->max_retries = 1024;
	c->max_concurrent_streams = 2147483647;
	c->connect_timeout = 10 * SIM_S;
	c->request_timeout = 15 * SIM_S;
	c->num_retries = 2;
	c->backoff_base_ms = 25;
	c->backoff_max_ms = 250;
	c->host_selection_attempts = 5;
	c->od_interval = 3 * SIM_S;
	c->od_base_ejection = 30 * SIM_S;
	c->od_max_ejection = 300 * SIM_S;
	c->od_max_ejection_percent = 10;
	c->od_consecutive_5xx = 5;
	c->od_consecutive_local = 5;
	c->hc_interval = 3 * SIM_S;
	c->hc_timeout = 1 * SIM_S;
	c->hc_no_traffic_interval = 60 * SIM_S;
	c->hc_healthy_threshold = 1;
	c->hc_unhealthy_threshold = 3;
	c->hc_expected[0] = 200;
	c->nhc_expected = 1;
}

/* Go time.ParseDuration, which also covers Gateway API durations. */
bool
sim_parse_duration(const char *s, int64_t *ns)
{
	static const struct { const char *u; double f; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "µs", 1e3 }, { "ms", 1e6 },
		{ "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	double total = 0, v, frac;
	const char *p = s;
	size_t i, best, len;

	if (*p == '\0')
		return false;
	if (strcmp(p, "0") == 0) {
		*ns = 0;
		return true;
	}
	while (*p) {
		if (!isdigit((unsigned char)*p) && *p != '.')
			return false;
		v = 0;
		while (isdigit((unsigned char)*p))
			v = v * 10 + (*p++ - '0');
		if (*p == '.') {
			p++;
			frac = 0.1;
			while (isdigit((unsigned char)*p)) {
				v += (*p++ - '0') * frac;
				frac /= 10;
			}
		}
		best = 0;
		len = 0;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t l = strlen(units[i].u);

			if (strncmp(p, units[i].u, l) == 0 && l > len) {
				best = i;
				len = l;
			}
		}
		if (len == 0)
			return false;
		total += v * units[best].f;
		p += len;
	}
	if (total > 9.2e18)
		return false;
	*ns = (int64_t)(total + 0.5);
	return true;
}

struct reader {
	struct sim_config *c;
	struct diags	*diags;
	bool		 ok;
};

static void
note_default(struct sim_config *c, const char *what)
{
	if (c->ndefaults < SIM_MAX_DEFAULTS)
		c->defaults[c->ndefaults++] = what;
}

static void
bad(struct reader *rd, const struct node *n, const char *path, const char *why)
{
	struct diag *d;

	d = diag_add(rd->diags, SEV_ERROR, "simulate", &n->loc, "%s: %s", path, why);
	diag_set_path(d, path);
	rd->ok = false;
}

/* The first of several spellings present under n. */
static const struct node *
get_any(const struct node *n, const char *a, const char *b)
{
	const struct node *x;

	if (n == NULL)
		return NULL;
	if ((x = node_path(n, a)) != NULL && x->kind != NODE_NULL)
		return x;
	if (b != NULL && (x = node_path(n, b)) != NULL && x->kind != NODE_NULL)
		return x;
	return NULL;
}

static bool
get_u64(struct reader *rd, const struct node *n, const char *path, const char *alt,
    uint64_t *v)
{
	const struct node *x = get_any(n, path, alt);

	if (x == NULL)
		return false;
	if (x->kind != NODE_INT || x->i < 0) {
		bad(rd, x, path, "want a non-negative integer");
		return false;
	}
	*v = (uint64_t)x->i;
	return true;
}

static bool
get_uint(struct reader *rd, const struct node *n, const char *path, const char *alt,
    unsigned *v)
{
	uint64_t x;

	if (!get_u64(rd, n, path, alt, &x))
		return false;
	*v = x > 0xffffffffu ? 0xffffffffu : (unsigned)x;
	return true;
}

static bool
get_dur(struct reader *rd, const struct node *n, const char *path, const char *alt,
    int64_t *v)
{
	const struct node *x = get_any(n, path, alt);

	if (x == NULL)
		return false;
	if (x->kind != NODE_STRING || !sim_parse_duration(x->str, v)) {
		bad(rd, x, path, "want a duration such as \"250ms\" or \"1m30s\"");
		return false;
	}
	return true;
}

static bool
get_bool(struct reader *rd, const struct node *n, const char *path, bool *v)
{
	const struct node *x = get_any(n, path, NULL);

	if (x == NULL)
		return false;
	if (x->kind != NODE_BOOL) {
		bad(rd, x, path, "want true or false");
		return false;
	}
	*v = x->b;
	return true;
}

static size_t
get_codes(struct reader *rd, const struct node *n, const char *path, int *out)
{
	const struct node *x = get_any(n, path, NULL);
	size_t i, k = 0;

	if (x == NULL || x->kind != NODE_SEQ)
		return 0;
	for (i = 0; i < x->n && k < SIM_MAX_CODES; i++) {
		if (x->items[i]->kind != NODE_INT) {
			bad(rd, x->items[i], path, "want an HTTP status code");
			continue;
		}
		out[k++] = (int)x->items[i]->i;
	}
	return k;
}

static void
read_lb(struct reader *rd, const struct node *spec)
{
	struct sim_config *c = rd->c;
	const struct node *lb = node_get(spec, "loadBalancer"), *t, *ch, *x;
	const char *type;
	size_t i;

	if (lb == NULL) {
		note_default(c, "loadBalancer: LeastRequest, choice count 2 (Envoy Gateway's default)");
		return;
	}
	type = node_get_str(lb, "type");
	if (type == NULL || strcmp(type, "LeastRequest") == 0)
		c->lb = SIM_LB_LEAST_REQUEST;
	else if (strcmp(type, "RoundRobin") == 0)
		c->lb = SIM_LB_ROUND_ROBIN;
	else if (strcmp(type, "Random") == 0)
		c->lb = SIM_LB_RANDOM;
	else if (strcmp(type, "ConsistentHash") == 0 || strcmp(type, "Maglev") == 0)
		c->lb = SIM_LB_MAGLEV;
	else {
		t = node_get(lb, "type");
		diag_add(rd->diags, SEV_WARNING, "simulate", &t->loc,
		    "spec.loadBalancer.type: %s is not modelled; simulating LeastRequest", type);
	}
	get_dur(rd, lb, "slowStart.window", NULL, &c->slow_start_window);
	if (c->lb != SIM_LB_MAGLEV)
		return;
	ch = node_get(lb, "consistentHash");
	type = ch ? node_get_str(ch, "type") : NULL;
	if (type == NULL) {
		c->hash = SIM_HASH_SOURCE_IP;
		note_default(c, "consistentHash.type: SourceIP");
	} else if (strcmp(type, "SourceIP") == 0)
		c->hash = SIM_HASH_SOURCE_IP;
	else if (strcmp(type, "Header") == 0) {
		c->hash = SIM_HASH_HEADER;
		if ((x = node_path(ch, "header.name")) != NULL && x->kind == NODE_STRING)
			c->hash_names[c->nhash_names++] = x->str;
	} else if (strcmp(type, "Headers") == 0 || strcmp(type, "QueryParams") == 0) {
		c->hash = type[0] == 'H' ? SIM_HASH_HEADER : SIM_HASH_QUERY;
		x = node_get(ch, type[0] == 'H' ? "headers" : "queryParams");
		for (i = 0; x && x->kind == NODE_SEQ && i < x->n && c->nhash_names < 8; i++) {
			const char *nm = node_get_str(x->items[i], "name");

			if (nm != NULL)
				c->hash_names[c->nhash_names++] = nm;
		}
	} else if (strcmp(type, "Cookie") == 0) {
		c->hash = SIM_HASH_COOKIE;
		if ((x = node_path(ch, "cookie.name")) != NULL && x->kind == NODE_STRING)
			c->hash_names[c->nhash_names++] = x->str;
		get_dur(rd, ch, "cookie.ttl", NULL, &c->cookie_ttl);
	} else
		bad(rd, node_get(ch, "type"), "spec.loadBalancer.consistentHash.type",
		    "want SourceIP, Header, Headers, Cookie or QueryParams");
	if (ch != NULL && get_u64(rd, ch, "tableSize", NULL, &c->table_size) &&
	    !sim_is_prime(c->table_size))
		bad(rd, node_get(ch, "tableSize"), "spec.loadBalancer.consistentHash.tableSize",
		    "the Maglev table size must be prime");
	if (ch == NULL || node_get(ch, "tableSize") == NULL)
		note_default(c, "consistentHash.tableSize: 65537");
}

static void
read_breakers(struct reader *rd, const struct node *spec)
{
	struct sim_config *c = rd->c;
	const struct node *cb = node_get(spec, "circuitBreaker");

	if (cb == NULL) {
		note_default(c, "circuitBreaker: 1024 connections, pending, requests and retries");
		return;
	}
	get_u64(rd, cb, "maxConnections", NULL, &c->max_connections);
	get_u64(rd, cb, "maxPendingRequests", NULL, &c->max_pending);
	get_u64(rd, cb, "maxParallelRequests", "maxRequests", &c->max_requests);
	get_u64(rd, cb, "maxParallelRetries", "maxRetries", &c->max_retries);
	get_u64(rd, cb, "maxRequestsPerConnection", NULL, &c->max_requests_per_conn);
	c->per_host_max_connections = 1024;
	get_u64(rd, cb, "perEndpoint.maxConnections", NULL, &c->per_host_max_connections);
	if (node_get(cb, "retryBudget") != NULL)
		diag_add(rd->diags, SEV_WARNING, "simulate", &node_get(cb, "retryBudget")->loc,
		    "spec.circuitBreaker.retryBudget is not modelled; maxParallelRetries applies");
}

static void
read_retry(struct reader *rd, const struct node *spec)
{
	static const struct { const char *name; unsigned bit; } trig[] = {
		{ "5xx", SIM_RETRY_5XX }, { "gateway-error", SIM_RETRY_GATEWAY },
		{ "reset", SIM_RETRY_RESET }, { "connect-failure", SIM_RETRY_CONNECT },
		{ "retriable-4xx", SIM_RETRY_4XX },
		{ "retriable-status-codes", SIM_RETRY_CODES },
		{ "refused-stream", SIM_RETRY_REFUSED },
		{ "reset-before-request", SIM_RETRY_RESET_BEFORE },
		{ "cancelled", SIM_RETRY_GRPC }, { "deadline-exceeded", SIM_RETRY_GRPC },
		{ "internal", SIM_RETRY_GRPC }, { "resource-exhausted", SIM_RETRY_GRPC },
		{ "unavailable", SIM_RETRY_GRPC },
	};
	struct sim_config *c = rd->c;
	const struct node *r = node_get(spec, "retry"), *on, *tr;
	size_t i, k;
	bool found;

	if (r == NULL) {
		c->retry = false;
		note_default(c, "retry: none");
		return;
	}
	c->retry = true;
	get_uint(rd, r, "numRetries", NULL, &c->num_retries);
	if (c->num_retries > 255)
		c->num_retries = 255;
	on = node_get(r, "retryOn");
	tr = on ? node_get(on, "triggers") : NULL;
	if (tr != NULL && tr->kind == NODE_SEQ) {
		c->retry_on = 0;
		for (i = 0; i < tr->n; i++) {
			found = false;
			for (k = 0; k < sizeof(trig) / sizeof(trig[0]); k++) {
				if (tr->items[i]->kind == NODE_STRING &&
				    strcmp(tr->items[i]->str, trig[k].name) == 0) {
					c->retry_on |= trig[k].bit;
					found = true;
				}
			}
			if (!found)
				bad(rd, tr->items[i], "spec.retry.retryOn.triggers",
				    "unknown retry trigger");
		}
	} else {
		c->retry_on = SIM_RETRY_CONNECT | SIM_RETRY_REFUSED | SIM_RETRY_GRPC |
		    SIM_RETRY_CODES;
		note_default(c, "retry.retryOn: connect-failure, refused-stream, unavailable, "
		    "cancelled, retriable-status-codes");
	}
	if (on != NULL)
		c->nretry_codes = get_codes(rd, on, "httpStatusCodes", c->retry_codes);
	else {
		c->retry_codes[0] = 503;
		c->nretry_codes = 1;
	}
	get_dur(rd, r, "perRetry.timeout", "perRetryTimeout", &c->per_try_timeout);
	{
		int64_t base = 25 * SIM_MS, max = -1;

		if (!get_dur(rd, r, "perRetry.backOff.baseInterval", "backoff.baseInterval", &base))
			note_default(c, "retry backoff: 25ms base, 250ms max");
		get_dur(rd, r, "perRetry.backOff.maxInterval", "backoff.maxInterval", &max);
		c->backoff_base_ms = (uint64_t)(base / SIM_MS);
		if (c->backoff_base_ms < 1)
			c->backoff_base_ms = 1;
		c->backoff_max_ms = max < 0 ? 10 * c->backoff_base_ms : (uint64_t)(max / SIM_MS);
		if (c->backoff_max_ms < c->backoff_base_ms)
			c->backoff_max_ms = c->backoff_base_ms;
	}
}

static void
read_health(struct reader *rd, const struct node *spec)
{
	struct sim_config *c = rd->c;
	const struct node *hc = node_get(spec, "healthCheck"), *p, *a;
	const char *type;

	if (hc != NULL)
		get_uint(rd, hc, "panicThreshold", NULL, &c->panic_threshold);
	p = hc ? node_get(hc, "passive") : NULL;
	a = hc ? node_get(hc, "active") : NULL;
	if (p != NULL) {
		c->outlier = true;
		get_dur(rd, p, "interval", NULL, &c->od_interval);
		get_dur(rd, p, "baseEjectionTime", NULL, &c->od_base_ejection);
		get_uint(rd, p, "maxEjectionPercent", NULL, &c->od_max_ejection_percent);
		get_uint(rd, p, "consecutive5XxErrors", "consecutive5xxErrors", &c->od_consecutive_5xx);
		get_uint(rd, p, "consecutiveGatewayErrors", NULL, &c->od_consecutive_gateway);
		get_uint(rd, p, "consecutiveLocalOriginFailures", NULL, &c->od_consecutive_local);
		get_bool(rd, p, "splitExternalLocalOriginErrors", &c->od_split);
		get_bool(rd, p, "alwaysEjectOneEndpoint", &c->od_always_eject_one);
		c->od_max_ejection = c->od_base_ejection > 300 * SIM_S ?
		    c->od_base_ejection : 300 * SIM_S;
		if (c->od_interval <= 0)
			c->od_interval = SIM_MS;
	}
	if (a != NULL) {
		c->hc = true;
		type = node_get_str(a, "type");
		c->hc_tcp = type != NULL && strcmp(type, "TCP") == 0;
		get_dur(rd, a, "timeout", NULL, &c->hc_timeout);
		get_dur(rd, a, "interval", NULL, &c->hc_interval);
		get_uint(rd, a, "unhealthyThreshold", NULL, &c->hc_unhealthy_threshold);
		get_uint(rd, a, "healthyThreshold", NULL, &c->hc_healthy_threshold);
		if (node_path(a, "http.expectedStatuses") != NULL) {
			size_t n = get_codes(rd, a, "http.expectedStatuses", c->hc_expected);

			if (n > 0)
				c->nhc_expected = n;
		}
	}
	if (p == NULL && a == NULL)
		note_default(c, "healthCheck: no active checks, no outlier detection");
	if (hc == NULL || node_get(hc, "panicThreshold") == NULL)
		note_default(c, "panic threshold: 50%");
}

static void
read_timeouts(struct reader *rd, const struct node *spec)
{
	struct sim_config *c = rd->c;
	const struct node *t = node_get(spec, "timeout");

	if (!get_dur(rd, t, "tcp.connectTimeout", NULL, &c->connect_timeout))
		note_default(c, "timeout.tcp.connectTimeout: 10s");
	if (!get_dur(rd, t, "http.requestTimeout", NULL, &c->request_timeout))
		note_default(c, "timeout.http.requestTimeout: 15s (Envoy's route default)");
	if (c->per_try_timeout > 0 && c->request_timeout > 0 &&
	    c->per_try_timeout >= c->request_timeout)
		c->per_try_timeout = 0;		/* Envoy ignores it */
}

bool
sim_config_from_spec(struct sim_config *c, const struct node *spec, struct diags *diags)
{
	struct reader rd = { c, diags, true };
	const struct node *x;

	sim_config_defaults(c);
	if (spec == NULL || spec->kind != NODE_MAP) {
		note_default(c, "the whole spec (empty policy)");
		return true;
	}
	read_lb(&rd, spec);
	read_breakers(&rd, spec);
	read_retry(&rd, spec);
	read_health(&rd, spec);
	read_timeouts(&rd, spec);
	x = node_path(spec, "http2.maxConcurrentStreams");
	if (x != NULL && x->kind == NODE_INT && x->i > 0)
		c->max_concurrent_streams = (uint64_t)x->i;
	return rd.ok;
}
