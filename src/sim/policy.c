/*
 * policy.c: from the typed BackendTrafficPolicy (policy.h) to the
 * simulator's configuration.  Unset fields take Envoy Gateway's defaults
 * (upstream-api.md §d) and each assumption is listed in cfg->defaults so
 * the output can say what was assumed.  Seed spellings arrive already
 * read by their meaning (policy_build).  A field that is present but
 * unusable (wrong type or syntax, a table size that is not prime) is an
 * error at its location: simulating something else would mislead.
 */
#include <string.h>

#include "diag.h"
#include "policy.h"
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
	c->table_size = POLICY_DEF_TABLE_SIZE;
	c->panic_threshold = POLICY_DEF_PANIC_THRESHOLD;
	c->max_connections = c->max_pending = c->max_requests = POLICY_DEF_CB_MAX;
	c->max_retries = POLICY_DEF_CB_MAX;	/* Envoy Gateway always sets it */
	c->max_concurrent_streams = 2147483647;
	c->connect_timeout = POLICY_DEF_CONNECT_TIMEOUT_NS;
	c->request_timeout = 15 * SIM_S;	/* Envoy's route default */
	c->num_retries = POLICY_DEF_NUM_RETRIES;
	c->backoff_base_ms = 25;
	c->backoff_max_ms = 250;
	c->host_selection_attempts = 5;
	c->od_interval = POLICY_DEF_OD_INTERVAL_NS;
	c->od_base_ejection = POLICY_DEF_OD_BASE_EJECT_NS;
	c->od_max_ejection = 300 * SIM_S;
	c->od_max_ejection_percent = POLICY_DEF_OD_MAX_EJECT_PCT;
	c->od_consecutive_5xx = POLICY_DEF_OD_CONSEC_5XX;
	c->od_consecutive_local = POLICY_DEF_OD_CONSEC_LOCAL;
	c->od_failure_pct_threshold = 85;
	c->od_failure_pct_volume = 50;
	c->od_failure_pct_min_hosts = 5;
	c->hc_interval = POLICY_DEF_HC_INTERVAL_NS;
	c->hc_timeout = POLICY_DEF_HC_TIMEOUT_NS;
	c->hc_no_traffic_interval = 60 * SIM_S;
	c->hc_healthy_threshold = POLICY_DEF_HC_HEALTHY;
	c->hc_unhealthy_threshold = POLICY_DEF_HC_UNHEALTHY;
	c->hc_expected[0] = 200;
	c->nhc_expected = 1;
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
bad(struct reader *rd, const struct loc *loc, const char *path, const char *why)
{
	struct diag *d;

	d = diag_add(rd->diags, SEV_ERROR, "simulate", loc, "%s: %s", path, why);
	diag_set_path(d, path);
	rd->ok = false;
}

/* Fields present but unreadable are errors; absent ones keep *v. */
static void
rd_int(struct reader *rd, const struct pf_int *f, const char *path, int64_t lo,
    uint64_t *v)
{
	if (!f->set)
		return;
	if (!f->valid || f->v < lo)
		bad(rd, &f->loc, path, "want an integer the API accepts");
	else
		*v = (uint64_t)f->v;
}

static void
rd_uint(struct reader *rd, const struct pf_int *f, const char *path, unsigned *v)
{
	uint64_t x = *v;

	rd_int(rd, f, path, 0, &x);
	*v = x > 0xffffffffu ? 0xffffffffu : (unsigned)x;
}

static bool
rd_dur(struct reader *rd, const struct pf_dur *f, const char *path, int64_t *v)
{
	if (!f->set)
		return false;
	if (!f->valid) {
		bad(rd, &f->loc, path, "want a duration such as \"250ms\" or \"1m30s\"");
		return false;
	}
	*v = f->ns;
	return true;
}

static void
rd_bool(struct reader *rd, const struct pf_bool *f, const char *path, bool *v)
{
	if (!f->set)
		return;
	if (!f->valid)
		bad(rd, &f->loc, path, "want true or false");
	else
		*v = f->v;
}

static size_t
rd_codes(struct reader *rd, const struct pf_int_list *l, const char *path, int *out)
{
	size_t i, k = 0;

	for (i = 0; i < l->n && k < SIM_MAX_CODES; i++) {
		if (!l->v[i].valid) {
			bad(rd, &l->v[i].loc, path, "want an HTTP status code");
			continue;
		}
		out[k++] = (int)l->v[i].v;
	}
	return k;
}

static void
read_lb(struct reader *rd, const struct policy *p)
{
	const struct pload_balancer *lb = &p->load_balancer;
	const struct pconsistent_hash *ch = &lb->consistent_hash;
	struct sim_config *c = rd->c;
	size_t i;

	if (!lb->set || !lb->type.set) {
		note_default(c, "loadBalancer: LeastRequest, choice count 2 (Envoy Gateway's default)");
		if (!lb->set)
			return;
	}
	switch (lb->type.valid ? lb->type.v : LB_LEAST_REQUEST) {
	case LB_ROUND_ROBIN:
		c->lb = SIM_LB_ROUND_ROBIN;
		break;
	case LB_RANDOM:
		c->lb = SIM_LB_RANDOM;
		break;
	case LB_CONSISTENT_HASH:
		c->lb = SIM_LB_MAGLEV;
		break;
	case LB_LEAST_REQUEST:
		c->lb = SIM_LB_LEAST_REQUEST;
		break;
	default:
		diag_add(rd->diags, SEV_WARNING, "simulate", &lb->type.loc,
		    "spec.loadBalancer.type: %s is not modelled; simulating LeastRequest",
		    lb->type.s ? lb->type.s : "this type");
		c->lb = SIM_LB_LEAST_REQUEST;
	}
	if (lb->type.set && !lb->type.valid && lb->type.v < 0 && lb->type.s == NULL)
		bad(rd, &lb->type.loc, "spec.loadBalancer.type", "want a load balancer type");
	rd_dur(rd, &lb->slow_start_window, "spec.loadBalancer.slowStart.window",
	    &c->slow_start_window);
	if (c->lb != SIM_LB_MAGLEV)
		return;
	switch (ch->type.valid ? ch->type.v : (ch->type.set ? -1 : CH_SOURCE_IP)) {
	case CH_SOURCE_IP:
		c->hash = SIM_HASH_SOURCE_IP;
		if (!ch->type.set)
			note_default(c, "consistentHash.type: SourceIP");
		break;
	case CH_HEADER:
		c->hash = SIM_HASH_HEADER;
		if (ch->header_name.valid)
			c->hash_names[c->nhash_names++] = ch->header_name.v;
		break;
	case CH_HEADERS:
	case CH_QUERY_PARAMS: {
		const struct pf_str_list *l = ch->type.v == CH_HEADERS ? &ch->headers :
		    &ch->query_params;

		c->hash = ch->type.v == CH_HEADERS ? SIM_HASH_HEADER : SIM_HASH_QUERY;
		for (i = 0; i < l->n && c->nhash_names < 8; i++)
			if (l->v[i].valid)
				c->hash_names[c->nhash_names++] = l->v[i].v;
		break;
	}
	case CH_COOKIE:
		c->hash = SIM_HASH_COOKIE;
		if (ch->cookie_name.valid)
			c->hash_names[c->nhash_names++] = ch->cookie_name.v;
		rd_dur(rd, &ch->cookie_ttl, "spec.loadBalancer.consistentHash.cookie.ttl",
		    &c->cookie_ttl);
		break;
	default:
		bad(rd, &ch->type.loc, "spec.loadBalancer.consistentHash.type",
		    "want SourceIP, Header, Headers, Cookie or QueryParams");
	}
	if (ch->table_size.set) {
		rd_int(rd, &ch->table_size, "spec.loadBalancer.consistentHash.tableSize", 2,
		    &c->table_size);
		if (ch->table_size.valid && !sim_is_prime(c->table_size))
			bad(rd, &ch->table_size.loc, "spec.loadBalancer.consistentHash.tableSize",
			    "the Maglev table size must be prime");
	} else
		note_default(c, "consistentHash.tableSize: 65537");
}

static void
read_breakers(struct reader *rd, const struct policy *p)
{
	const struct pcircuit_breaker *cb = &p->circuit_breaker;
	struct sim_config *c = rd->c;

	if (!cb->set) {
		note_default(c, "circuitBreaker: 1024 connections, pending, requests and retries");
		return;
	}
	rd_int(rd, &cb->max_connections, "spec.circuitBreaker.maxConnections", 0,
	    &c->max_connections);
	rd_int(rd, &cb->max_pending_requests, "spec.circuitBreaker.maxPendingRequests", 0,
	    &c->max_pending);
	rd_int(rd, &cb->max_parallel_requests, "spec.circuitBreaker.maxParallelRequests", 0,
	    &c->max_requests);
	rd_int(rd, &cb->max_parallel_retries, "spec.circuitBreaker.maxParallelRetries", 0,
	    &c->max_retries);
	rd_int(rd, &cb->max_requests_per_connection,
	    "spec.circuitBreaker.maxRequestsPerConnection", 0, &c->max_requests_per_conn);
	c->per_host_max_connections = POLICY_DEF_CB_MAX;
	rd_int(rd, &cb->per_endpoint_max_connections,
	    "spec.circuitBreaker.perEndpoint.maxConnections", 0, &c->per_host_max_connections);
	if (cb->retry_budget.set)
		diag_add(rd->diags, SEV_WARNING, "simulate", &cb->retry_budget.loc,
		    "spec.circuitBreaker.retryBudget is not modelled; maxParallelRetries applies");
}

static void
read_retry(struct reader *rd, const struct policy *p)
{
	static const unsigned bits[RT_COUNT] = {
		[RT_5XX] = SIM_RETRY_5XX, [RT_GATEWAY_ERROR] = SIM_RETRY_GATEWAY,
		[RT_RESET] = SIM_RETRY_RESET, [RT_RESET_BEFORE_REQUEST] = SIM_RETRY_RESET_BEFORE,
		[RT_CONNECT_FAILURE] = SIM_RETRY_CONNECT, [RT_RETRIABLE_4XX] = SIM_RETRY_4XX,
		[RT_REFUSED_STREAM] = SIM_RETRY_REFUSED,
		[RT_RETRIABLE_STATUS_CODES] = SIM_RETRY_CODES,
		[RT_CANCELLED] = SIM_RETRY_GRPC, [RT_DEADLINE_EXCEEDED] = SIM_RETRY_GRPC,
		[RT_INTERNAL] = SIM_RETRY_GRPC, [RT_RESOURCE_EXHAUSTED] = SIM_RETRY_GRPC,
		[RT_UNAVAILABLE] = SIM_RETRY_GRPC,
	};
	const struct pretry *r = &p->retry;
	struct sim_config *c = rd->c;
	int64_t base = 25 * SIM_MS, max = -1;
	size_t i;

	if (!r->set) {
		c->retry = false;
		note_default(c, "retry: none");
		return;
	}
	c->retry = true;
	rd_uint(rd, &r->num_retries, "spec.retry.numRetries", &c->num_retries);
	if (c->num_retries > 255)
		c->num_retries = 255;
	if (r->triggers.set) {
		c->retry_on = 0;
		for (i = 0; i < r->triggers.n; i++) {
			if (r->trigger_v == NULL || r->trigger_v[i] < 0 ||
			    r->trigger_v[i] >= RT_COUNT)
				bad(rd, &r->triggers.v[i].loc, "spec.retry.retryOn.triggers",
				    "unknown retry trigger");
			else
				c->retry_on |= bits[r->trigger_v[i]];
		}
	} else {
		c->retry_on = SIM_RETRY_CONNECT | SIM_RETRY_REFUSED | SIM_RETRY_GRPC |
		    SIM_RETRY_CODES;
		note_default(c, "retry.retryOn: connect-failure, refused-stream, unavailable, "
		    "cancelled, retriable-status-codes");
	}
	/* any retryOn field makes the status list exactly httpStatusCodes */
	if (r->retry_on.set)
		c->nretry_codes = rd_codes(rd, &r->http_status_codes,
		    "spec.retry.retryOn.httpStatusCodes", c->retry_codes);
	else {
		c->retry_codes[0] = 503;
		c->nretry_codes = 1;
	}
	rd_dur(rd, &r->per_retry_timeout, "spec.retry.perRetry.timeout", &c->per_try_timeout);
	rd_dur(rd, &r->back_off_base, "spec.retry.perRetry.backOff.baseInterval", &base);
	rd_dur(rd, &r->back_off_max, "spec.retry.perRetry.backOff.maxInterval", &max);
	if (!r->back_off_base.set && !r->back_off_max.set)
		note_default(c, "retry backoff: 25ms base, 250ms max");
	else if (!r->back_off_base.set)
		note_default(c, "retry backoff base: 25ms");
	else if (!r->back_off_max.set)
		note_default(c, "retry backoff max: 10 times the base");
	c->backoff_base_ms = (uint64_t)(base / SIM_MS);
	if (c->backoff_base_ms < 1)
		c->backoff_base_ms = 1;
	c->backoff_max_ms = max < 0 ? 10 * c->backoff_base_ms : (uint64_t)(max / SIM_MS);
	if (c->backoff_max_ms < c->backoff_base_ms)
		c->backoff_max_ms = c->backoff_base_ms;
}

static void
read_health(struct reader *rd, const struct policy *p)
{
	const struct phealth_check *hc = &p->health_check;
	const struct ppassive_hc *ps = &hc->passive;
	const struct pactive_hc *a = &hc->active;
	struct sim_config *c = rd->c;
	size_t n;

	rd_uint(rd, &hc->panic_threshold, "spec.healthCheck.panicThreshold", &c->panic_threshold);
	if (ps->set) {
		c->outlier = true;
		rd_dur(rd, &ps->interval, "spec.healthCheck.passive.interval", &c->od_interval);
		rd_dur(rd, &ps->base_ejection_time, "spec.healthCheck.passive.baseEjectionTime",
		    &c->od_base_ejection);
		rd_uint(rd, &ps->max_ejection_percent,
		    "spec.healthCheck.passive.maxEjectionPercent", &c->od_max_ejection_percent);
		rd_uint(rd, &ps->consecutive_5xx_errors,
		    "spec.healthCheck.passive.consecutive5XxErrors", &c->od_consecutive_5xx);
		rd_uint(rd, &ps->consecutive_gateway_errors,
		    "spec.healthCheck.passive.consecutiveGatewayErrors", &c->od_consecutive_gateway);
		rd_uint(rd, &ps->consecutive_local_origin_failures,
		    "spec.healthCheck.passive.consecutiveLocalOriginFailures",
		    &c->od_consecutive_local);
		rd_bool(rd, &ps->split_external_local_origin_errors,
		    "spec.healthCheck.passive.splitExternalLocalOriginErrors", &c->od_split);
		rd_bool(rd, &ps->always_eject_one_endpoint,
		    "spec.healthCheck.passive.alwaysEjectOneEndpoint", &c->od_always_eject_one);
		if (ps->failure_percentage_threshold.set) {
			c->od_failure_pct = true;
			rd_uint(rd, &ps->failure_percentage_threshold,
			    "spec.healthCheck.passive.failurePercentageThreshold",
			    &c->od_failure_pct_threshold);
		}
		c->od_max_ejection = c->od_base_ejection > 300 * SIM_S ?
		    c->od_base_ejection : 300 * SIM_S;
		if (c->od_interval <= 0)
			c->od_interval = SIM_MS;
	}
	if (a->set) {
		c->hc = true;
		c->hc_tcp = a->type.valid && a->type.v == HC_TCP;
		rd_dur(rd, &a->timeout, "spec.healthCheck.active.timeout", &c->hc_timeout);
		rd_dur(rd, &a->interval, "spec.healthCheck.active.interval", &c->hc_interval);
		rd_uint(rd, &a->unhealthy_threshold, "spec.healthCheck.active.unhealthyThreshold",
		    &c->hc_unhealthy_threshold);
		rd_uint(rd, &a->healthy_threshold, "spec.healthCheck.active.healthyThreshold",
		    &c->hc_healthy_threshold);
		if (a->http_expected_statuses.set) {
			n = rd_codes(rd, &a->http_expected_statuses,
			    "spec.healthCheck.active.http.expectedStatuses", c->hc_expected);
			if (n > 0)
				c->nhc_expected = n;
		}
	}
	if (!ps->set && !a->set)
		note_default(c, "healthCheck: no active checks, no outlier detection");
	if (!hc->panic_threshold.set)
		note_default(c, "panic threshold: 50%");
}

static void
read_timeouts(struct reader *rd, const struct policy *p)
{
	struct sim_config *c = rd->c;

	if (!rd_dur(rd, &p->timeout.tcp_connect_timeout, "spec.timeout.tcp.connectTimeout",
	    &c->connect_timeout) && !p->timeout.tcp_connect_timeout.set)
		note_default(c, "timeout.tcp.connectTimeout: 10s");
	if (!rd_dur(rd, &p->timeout.http_request_timeout, "spec.timeout.http.requestTimeout",
	    &c->request_timeout) && !p->timeout.http_request_timeout.set)
		note_default(c, "timeout.http.requestTimeout: 15s (Envoy's route default)");
	if (c->per_try_timeout > 0 && c->request_timeout > 0 &&
	    c->per_try_timeout >= c->request_timeout)
		c->per_try_timeout = 0;		/* Envoy ignores it */
}

bool
sim_config_from_policy(struct sim_config *c, const struct policy *p, struct diags *diags)
{
	struct reader rd = { c, diags, true };

	sim_config_defaults(c);
	if (p->spec == NULL) {
		note_default(c, "the whole spec (empty policy)");
		return true;
	}
	read_lb(&rd, p);
	read_breakers(&rd, p);
	read_retry(&rd, p);
	read_health(&rd, p);
	read_timeouts(&rd, p);
	if (p->http2.max_concurrent_streams.valid && p->http2.max_concurrent_streams.v > 0)
		c->max_concurrent_streams = (uint64_t)p->http2.max_concurrent_streams.v;
	return rd.ok;
}
