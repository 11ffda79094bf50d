/*
 * policy.c: build the typed BackendTrafficPolicy model (policy.h) from an
 * object's node tree.  Every field is read with a typed getter that marks
 * it set, valid or not, and keeps its node and location; seed spellings
 * are read into the upstream fields and remembered.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "node.h"
#include "objects.h"
#include "policy.h"
#include "seed.h"
#include "units.h"

struct bctx {
	struct arena	*arena;
	struct policy	*p;
	struct diags	*diags;
	size_t		 seed_cap;
};

/* Mark a field found at node n. */
#define MARK(f, n) do {							\
	(f)->set = true;						\
	(f)->node = (n);						\
	(f)->loc = (n)->loc;						\
} while (0)

static const struct node_pair *
get_pair(const struct node *m, const char *key)
{
	size_t i;

	if (m == NULL || m->kind != NODE_MAP)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->pairs[i].key->str, key) == 0)
			return &m->pairs[i];
	return NULL;
}

static const struct seed_fix *
seed_use(struct bctx *c, const struct seed_fix *fix, const struct loc *loc)
{
	struct policy *p = c->p;
	struct policy_seed_use *nv;

	if (fix == NULL)
		return NULL;
	if (p->nseed_used == c->seed_cap) {
		c->seed_cap = c->seed_cap ? 2 * c->seed_cap : 8;
		nv = arena_alloc(c->arena, c->seed_cap * sizeof(*nv));
		if (p->nseed_used > 0)
			memcpy(nv, p->seed_used, p->nseed_used * sizeof(*nv));
		p->seed_used = nv;
	}
	p->seed_used[p->nseed_used].fix = fix;
	p->seed_used[p->nseed_used].loc = *loc;
	p->seed_used[p->nseed_used].path = fix->path;
	p->nseed_used++;
	return fix;
}

/*
 * The value of key in m, or of its seed spelling seedkey (which must be
 * in the seed table at seedpath) when key is absent or NULL; *seed tells
 * which.
 */
static const struct node *
lookup(struct bctx *c, const struct node *m, const char *key,
    const char *seedkey, const char *seedpath, const struct seed_fix **seed)
{
	const struct node_pair *pr;

	*seed = NULL;
	if (key != NULL && (pr = get_pair(m, key)) != NULL)
		return pr->val;
	if (seedkey == NULL || (pr = get_pair(m, seedkey)) == NULL)
		return NULL;
	*seed = seed_use(c, seed_lookup(seedpath, NULL), &pr->key->loc);
	return pr->val;
}

static bool
scalar_text(const struct node *n, const char **s)
{
	if (n->kind == NODE_MAP || n->kind == NODE_SEQ || n->kind == NODE_NULL)
		return false;
	*s = n->str;
	return true;
}

static void
rd_int(const struct node *n, struct pf_int *f)
{
	if (n == NULL)
		return;
	MARK(f, n);
	if (n->kind == NODE_INT) {
		f->valid = true;
		f->v = n->i;
	}
}

static void
rd_bool(const struct node *n, struct pf_bool *f)
{
	if (n == NULL)
		return;
	MARK(f, n);
	if (n->kind == NODE_BOOL) {
		f->valid = true;
		f->v = n->b;
	}
}

/* Strings: valid only for a string; v holds any scalar's text. */
static void
rd_str(const struct node *n, struct pf_str *f)
{
	if (n == NULL)
		return;
	MARK(f, n);
	(void)scalar_text(n, &f->v);
	f->valid = n->kind == NODE_STRING;
}

/* names ends with NULL; their index is the enum value. */
static void
rd_enum(const struct node *n, const char *const *names, struct pf_enum *f)
{
	int i;

	f->v = -1;
	if (n == NULL)
		return;
	MARK(f, n);
	(void)scalar_text(n, &f->s);
	if (n->kind != NODE_STRING)
		return;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], n->str) == 0) {
			f->v = i;
			f->valid = true;
		}
}

static void
rd_dur(const struct node *n, struct pf_dur *f)
{
	if (n == NULL)
		return;
	MARK(f, n);
	(void)scalar_text(n, &f->s);
	if (n->kind == NODE_STRING)
		f->valid = units_gwapi_duration(n->str, &f->ns);
}

static void
rd_qty(const struct node *n, struct pf_qty *f)
{
	if (n == NULL)
		return;
	MARK(f, n);
	(void)scalar_text(n, &f->s);
	if (n->kind == NODE_INT) {
		f->valid = true;
		f->bytes = n->i;
	} else if (n->kind == NODE_STRING)
		f->valid = units_quantity(n->str, &f->bytes);
}

/* Object fields: returns the map to read children from, or NULL. */
static const struct node *
rd_obj(const struct node *n, struct pf_obj *f)
{
	if (n == NULL)
		return NULL;
	MARK(f, n);
	f->valid = n->kind == NODE_MAP;
	return f->valid ? n : NULL;
}

static void
rd_int_list(struct bctx *c, const struct node *n, struct pf_int_list *f)
{
	size_t i;

	if (n == NULL)
		return;
	MARK(f, n);
	if (n->kind != NODE_SEQ)
		return;
	f->valid = true;
	f->n = n->n;
	f->v = arena_alloc(c->arena, (n->n + 1) * sizeof(*f->v));
	for (i = 0; i < n->n; i++) {
		rd_int(n->items[i], &f->v[i]);
		if (!f->v[i].valid)
			f->valid = false;
	}
}

static void
rd_str_list(struct bctx *c, const struct node *n, struct pf_str_list *f)
{
	size_t i;

	if (n == NULL)
		return;
	MARK(f, n);
	if (n->kind != NODE_SEQ)
		return;
	f->valid = true;
	f->n = n->n;
	f->v = arena_alloc(c->arena, (n->n + 1) * sizeof(*f->v));
	for (i = 0; i < n->n; i++) {
		rd_str(n->items[i], &f->v[i]);
		if (!f->v[i].valid)
			f->valid = false;
	}
}

/* A list of maps each naming something by key (headers[].name...). */
static void
rd_name_list(struct bctx *c, const struct node *n, const char *key,
    struct pf_str_list *f)
{
	size_t i;

	if (n == NULL)
		return;
	MARK(f, n);
	if (n->kind != NODE_SEQ)
		return;
	f->valid = true;
	f->n = n->n;
	f->v = arena_alloc(c->arena, (n->n + 1) * sizeof(*f->v));
	for (i = 0; i < n->n; i++) {
		rd_str(node_get(n->items[i], key), &f->v[i]);
		if (!f->v[i].valid)
			f->valid = false;
	}
}

static void
rd_map(struct bctx *c, const struct node *n, struct pf_map *f)
{
	size_t i;
	const struct node_pair *pr;

	if (n == NULL)
		return;
	MARK(f, n);
	if (n->kind != NODE_MAP)
		return;
	f->valid = true;
	f->n = n->n;
	f->v = arena_alloc(c->arena, (n->n + 1) * sizeof(*f->v));
	for (i = 0; i < n->n; i++) {
		pr = &n->pairs[i];
		f->v[i].key = pr->key->str;
		f->v[i].key_loc = pr->key->loc;
		f->v[i].value_loc = pr->val->loc;
		if (pr->val->kind == NODE_STRING)
			f->v[i].value = pr->val->str;
		else
			f->valid = false;
	}
}

/* ---- metadata and targets ------------------------------------------ */

static void
build_meta(struct bctx *c, const struct object *obj)
{
	struct policy_meta *m = &c->p->meta;
	const struct node *md = obj->metadata, *n;

	m->name = obj->name != NULL ? obj->name : "";
	m->ns = obj->ns != NULL ? obj->ns : "";
	if ((n = node_get(md, "name")) != NULL)
		m->name_loc = n->loc;
	else if (obj->root != NULL)
		m->name_loc = obj->root->loc;
	rd_map(c, node_get(md, "labels"), &m->labels);
	rd_map(c, node_get(md, "annotations"), &m->annotations);
	rd_str(node_get(md, "creationTimestamp"), &m->creation_timestamp);
	if (m->creation_timestamp.valid)
		m->created_valid = policy_parse_time(m->creation_timestamp.v,
		    &m->created);
}

static void
rd_target(const struct node *n, struct ptarget_ref *t)
{
	t->node = n;
	t->loc = n->loc;
	rd_str(node_get(n, "group"), &t->group);
	rd_str(node_get(n, "kind"), &t->kind);
	rd_str(node_get(n, "name"), &t->name);
	rd_str(node_get(n, "sectionName"), &t->section_name);
}

static const char *const label_ops[] = {
	"In", "NotIn", "Exists", "DoesNotExist", NULL
};

static void
rd_selector(struct bctx *c, const struct node *n, struct plabel_selector *s)
{
	const struct node *ex;
	size_t i;

	if (n == NULL)
		return;
	MARK(s, n);
	if (n->kind != NODE_MAP)
		return;
	s->valid = true;
	rd_map(c, node_get(n, "matchLabels"), &s->match_labels);
	ex = node_get(n, "matchExpressions");
	if (ex == NULL || ex->kind != NODE_SEQ)
		return;
	s->nexprs = ex->n;
	s->exprs = arena_alloc(c->arena, (ex->n + 1) * sizeof(*s->exprs));
	for (i = 0; i < ex->n; i++) {
		s->exprs[i].loc = ex->items[i]->loc;
		rd_str(node_get(ex->items[i], "key"), &s->exprs[i].key);
		rd_enum(node_get(ex->items[i], "operator"), label_ops,
		    &s->exprs[i].op);
		rd_str_list(c, node_get(ex->items[i], "values"),
		    &s->exprs[i].values);
	}
}

static const char *const ns_froms[] = { "Same", "All", "Selector", NULL };

static void
build_targets(struct bctx *c, const struct node *spec)
{
	struct policy *p = c->p;
	const struct node *one, *many, *sel, *ns;
	struct ptarget_selector *ts;
	size_t n = 0, i;

	one = node_get(spec, "targetRef");
	many = node_get(spec, "targetRefs");
	p->target_ref_set = one != NULL;
	p->target_refs_set = many != NULL;
	if (one != NULL && one->kind == NODE_MAP)
		n++;
	if (many != NULL && many->kind == NODE_SEQ)
		n += many->n;
	p->targets = arena_alloc(c->arena, (n + 1) * sizeof(*p->targets));
	if (one != NULL && one->kind == NODE_MAP) {
		rd_target(one, &p->targets[p->ntargets]);
		p->targets[p->ntargets++].single = true;
	}
	for (i = 0; many != NULL && many->kind == NODE_SEQ && i < many->n; i++) {
		rd_target(many->items[i], &p->targets[p->ntargets]);
		p->targets[p->ntargets++].index = i;
	}

	sel = node_get(spec, "targetSelectors");
	p->selectors_set = sel != NULL;
	if (sel == NULL || sel->kind != NODE_SEQ)
		return;
	p->nselectors = sel->n;
	p->selectors = arena_alloc(c->arena, (sel->n + 1) * sizeof(*p->selectors));
	for (i = 0; i < sel->n; i++) {
		ts = &p->selectors[i];
		ts->node = sel->items[i];
		ts->loc = sel->items[i]->loc;
		ts->index = i;
		rd_str(node_get(ts->node, "group"), &ts->group);
		rd_str(node_get(ts->node, "kind"), &ts->kind);
		/* The selector's own labels live beside group and kind. */
		rd_selector(c, ts->node, &ts->labels);
		ns = rd_obj(node_get(ts->node, "namespaces"), &ts->namespaces);
		rd_enum(node_get(ns, "from"), ns_froms, &ts->namespaces_from);
		rd_selector(c, node_get(ns, "selector"), &ts->namespaces_selector);
	}
}

/* ---- loadBalancer ---------------------------------------------------- */

static const char *const lb_types[] = {
	"ConsistentHash", "LeastRequest", "Random", "RoundRobin",
	"BackendUtilization", "DynamicModule", NULL
};
static const char *const ch_types[] = {
	"SourceIP", "Header", "Headers", "Cookie", "QueryParams", NULL
};

/* An enum value spelled as the description spells it. */
static void
seed_enum(struct bctx *c, const char *path, const char *const *names,
    struct pf_enum *f)
{
	const struct seed_fix *fix;
	int i;

	if (!f->set || f->valid || f->node->kind != NODE_STRING)
		return;
	fix = seed_lookup(path, f->s);
	if (fix == NULL || fix->upstream_value == NULL)
		return;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], fix->upstream_value) == 0) {
			f->v = i;
			f->valid = true;
			f->seed = seed_use(c, fix, &f->loc);
		}
}

static void
build_lb(struct bctx *c, const struct node *spec)
{
	struct pload_balancer *lb = &c->p->load_balancer;
	struct pconsistent_hash *ch = &lb->consistent_hash;
	struct pzone_aware *za = &lb->zone_aware;
	struct pbackend_utilization *bu = &lb->backend_utilization;
	const struct node *m, *n, *ck, *pl, *wz;
	const struct seed_fix *fix;
	const struct node_pair *pr;
	size_t i;

	m = node_get(spec, "loadBalancer");
	lb->type.v = -1;
	ch->type.v = -1;
	if (m == NULL)
		return;
	MARK(lb, m);
	if (m->kind != NODE_MAP)
		return;
	lb->valid = true;
	rd_enum(node_get(m, "type"), lb_types, &lb->type);
	seed_enum(c, "spec.loadBalancer.type", lb_types, &lb->type);

	if ((n = node_get(m, "consistentHash")) != NULL) {
		MARK(ch, n);
		ch->valid = n->kind == NODE_MAP;
		rd_enum(node_get(n, "type"), ch_types, &ch->type);
		rd_str(node_get(node_get(n, "header"), "name"), &ch->header_name);
		rd_name_list(c, node_get(n, "headers"), "name", &ch->headers);
		rd_name_list(c, node_get(n, "queryParams"), "name",
		    &ch->query_params);
		ck = rd_obj(node_get(n, "cookie"), &ch->cookie);
		rd_str(node_get(ck, "name"), &ch->cookie_name);
		rd_dur(node_get(ck, "ttl"), &ch->cookie_ttl);
		rd_map(c, node_get(ck, "attributes"), &ch->cookie_attributes);
		if ((pr = get_pair(ck, "path")) != NULL) {
			rd_str(pr->val, &ch->cookie_path);
			fix = seed_lookup(
			    "spec.loadBalancer.consistentHash.cookie.path", NULL);
			ch->cookie_path.seed = seed_use(c, fix, &pr->key->loc);
		}
		rd_int(node_get(n, "tableSize"), &ch->table_size);
	}

	if (rd_obj(node_get(m, "slowStart"), &lb->slow_start) != NULL)
		rd_dur(node_get(node_get(m, "slowStart"), "window"),
		    &lb->slow_start_window);

	if ((n = node_get(m, "zoneAware")) != NULL) {
		MARK(za, n);
		za->valid = n->kind == NODE_MAP;
		pl = rd_obj(node_get(n, "preferLocal"), &za->prefer_local);
		rd_obj(node_get(pl, "force"), &za->force);
		rd_int(node_get(node_get(pl, "force"), "minEndpointsInZoneThreshold"),
		    &za->force_min_endpoints_in_zone);
		rd_int(node_get(pl, "minEndpointsThreshold"),
		    &za->min_endpoints_threshold);
		rd_int(node_get(pl, "percentageEnabled"), &za->percentage_enabled);
		wz = node_get(n, "weightedZones");
		za->weighted_zones_set = wz != NULL;
		if (wz != NULL && wz->kind == NODE_SEQ) {
			za->nweighted_zones = wz->n;
			za->weighted_zones = arena_alloc(c->arena,
			    (wz->n + 1) * sizeof(*za->weighted_zones));
			for (i = 0; i < wz->n; i++) {
				za->weighted_zones[i].loc = wz->items[i]->loc;
				rd_str(node_get(wz->items[i], "zone"),
				    &za->weighted_zones[i].zone);
				rd_int(node_get(wz->items[i], "weight"),
				    &za->weighted_zones[i].weight);
			}
		}
	}

	if ((n = node_get(m, "backendUtilization")) != NULL) {
		MARK(bu, n);
		bu->valid = n->kind == NODE_MAP;
		rd_dur(node_get(n, "blackoutPeriod"), &bu->blackout_period);
		rd_dur(node_get(n, "weightExpirationPeriod"),
		    &bu->weight_expiration_period);
		rd_dur(node_get(n, "weightUpdatePeriod"), &bu->weight_update_period);
		rd_int(node_get(n, "errorUtilizationPenaltyPercent"),
		    &bu->error_utilization_penalty_percent);
		rd_bool(node_get(n, "keepResponseHeaders"),
		    &bu->keep_response_headers);
		rd_str_list(c, node_get(n, "metricNamesForComputingUtilization"),
		    &bu->metric_names);
		bu->out_of_band = node_get(n, "outOfBand");
	}
	lb->dynamic_module = node_get(m, "dynamicModule");
	lb->endpoint_override = node_get(m, "endpointOverride");
}

/* ---- circuitBreaker --------------------------------------------------- */

static void
build_cb(struct bctx *c, const struct node *spec)
{
	struct pcircuit_breaker *cb = &c->p->circuit_breaker;
	const struct node *m, *n, *rb;
	const struct seed_fix *seed;
	const struct node_pair *pr;

	if ((m = node_get(spec, "circuitBreaker")) == NULL)
		return;
	MARK(cb, m);
	if (m->kind != NODE_MAP)
		return;
	cb->valid = true;
	rd_int(node_get(m, "maxConnections"), &cb->max_connections);
	rd_int(node_get(m, "maxPendingRequests"), &cb->max_pending_requests);
	n = lookup(c, m, "maxParallelRequests", "maxRequests",
	    "spec.circuitBreaker.maxRequests", &seed);
	rd_int(n, &cb->max_parallel_requests);
	cb->max_parallel_requests.seed = seed;
	n = lookup(c, m, "maxParallelRetries", "maxRetries",
	    "spec.circuitBreaker.maxRetries", &seed);
	rd_int(n, &cb->max_parallel_retries);
	cb->max_parallel_retries.seed = seed;
	rd_int(node_get(m, "maxRequestsPerConnection"),
	    &cb->max_requests_per_connection);
	rd_obj(node_get(m, "perEndpoint"), &cb->per_endpoint);
	rd_int(node_get(node_get(m, "perEndpoint"), "maxConnections"),
	    &cb->per_endpoint_max_connections);
	rb = rd_obj(node_get(m, "retryBudget"), &cb->retry_budget);
	rd_int(node_get(rb, "minRetryConcurrency"),
	    &cb->retry_budget_min_concurrency);
	rd_int(node_get(node_get(rb, "percent"), "numerator"),
	    &cb->retry_budget_numerator);
	rd_int(node_get(node_get(rb, "percent"), "denominator"),
	    &cb->retry_budget_denominator);
	if ((pr = get_pair(m, "maxConnectionPools")) != NULL) {
		rd_int(pr->val, &cb->max_connection_pools);
		cb->max_connection_pools.seed = seed_use(c,
		    seed_lookup("spec.circuitBreaker.maxConnectionPools", NULL),
		    &pr->key->loc);
	}
}

/* ---- healthCheck ------------------------------------------------------ */

static const char *const hc_types[] = { "HTTP", "TCP", "GRPC", NULL };
static const char *const payload_types[] = { "Text", "Binary", NULL };

static void
rd_payload(const struct node *n, struct ppayload *pl)
{
	pl->type.v = -1;
	if (n == NULL)
		return;
	MARK(pl, n);
	if (n->kind != NODE_MAP)
		return;
	pl->valid = true;
	rd_enum(node_get(n, "type"), payload_types, &pl->type);
	rd_str(node_get(n, "text"), &pl->text);
	rd_str(node_get(n, "binary"), &pl->binary);
}

/*
 * A type the description leaves out: read it from the content (seed.h
 * seed_missing_value()) and remember the spelling, located at the
 * parent's key.
 */
static void
seed_missing(struct bctx *c, const char *path, const char *const *names,
    const struct node *parent, const struct loc *keyloc, struct pf_enum *f)
{
	const struct seed_fix *fix;
	const char *val;
	int i;

	if (f->set || parent == NULL || parent->kind != NODE_MAP)
		return;
	fix = seed_lookup(path, "");
	val = seed_missing_value(fix, parent);
	f->seed = seed_use(c, fix, keyloc);
	f->loc = *keyloc;
	if (val == NULL)
		return;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], val) == 0) {
			f->v = i;
			f->s = names[i];
			f->valid = true;
		}
}

static void
build_active(struct bctx *c, const struct node_pair *apr)
{
	struct pactive_hc *a = &c->p->health_check.active;
	const struct node *m = apr->val, *h, *t, *g;
	const struct node_pair *er;

	a->type.v = -1;
	MARK(a, m);
	if (m->kind != NODE_MAP)
		return;
	a->valid = true;
	rd_enum(node_get(m, "type"), hc_types, &a->type);
	seed_missing(c, "spec.healthCheck.active.type", hc_types, m,
	    &apr->key->loc, &a->type);
	rd_dur(node_get(m, "timeout"), &a->timeout);
	rd_dur(node_get(m, "interval"), &a->interval);
	rd_dur(node_get(m, "initialJitter"), &a->initial_jitter);
	rd_int(node_get(m, "unhealthyThreshold"), &a->unhealthy_threshold);
	rd_int(node_get(m, "healthyThreshold"), &a->healthy_threshold);

	h = rd_obj(node_get(m, "http"), &a->http);
	rd_str(node_get(h, "path"), &a->http_path);
	rd_str(node_get(h, "method"), &a->http_method);
	rd_str(node_get(h, "hostname"), &a->http_hostname);
	rd_int_list(c, node_get(h, "expectedStatuses"),
	    &a->http_expected_statuses);
	rd_int_list(c, node_get(h, "retriableStatuses"),
	    &a->http_retriable_statuses);
	er = get_pair(h, "expectedResponse");
	if (er != NULL) {
		rd_payload(er->val, &a->http_expected_response);
		seed_missing(c,
		    "spec.healthCheck.active.http.expectedResponse.type",
		    payload_types, er->val, &er->key->loc,
		    &a->http_expected_response.type);
	} else
		a->http_expected_response.type.v = -1;
	rd_payload(node_get(h, "requestBody"), &a->http_request_body);

	t = rd_obj(node_get(m, "tcp"), &a->tcp);
	rd_payload(node_get(t, "send"), &a->tcp_send);
	rd_payload(node_get(t, "receive"), &a->tcp_receive);
	g = rd_obj(node_get(m, "grpc"), &a->grpc);
	rd_str(node_get(g, "service"), &a->grpc_service);
	rd_int(node_get(node_get(m, "overrides"), "port"), &a->overrides_port);
	a->health_check_log = node_get(m, "healthCheckLog");
}

static void
build_passive(struct bctx *c, const struct node *m)
{
	struct ppassive_hc *ps = &c->p->health_check.passive;
	const struct seed_fix *seed;
	const struct node *n;

	MARK(ps, m);
	if (m->kind != NODE_MAP)
		return;
	ps->valid = true;
	rd_bool(node_get(m, "splitExternalLocalOriginErrors"),
	    &ps->split_external_local_origin_errors);
	rd_dur(node_get(m, "interval"), &ps->interval);
	rd_int(node_get(m, "consecutiveLocalOriginFailures"),
	    &ps->consecutive_local_origin_failures);
	rd_int(node_get(m, "consecutiveGatewayErrors"),
	    &ps->consecutive_gateway_errors);
	n = lookup(c, m, "consecutive5XxErrors", "consecutive5xxErrors",
	    "spec.healthCheck.passive.consecutive5xxErrors", &seed);
	rd_int(n, &ps->consecutive_5xx_errors);
	ps->consecutive_5xx_errors.seed = seed;
	rd_dur(node_get(m, "baseEjectionTime"), &ps->base_ejection_time);
	rd_int(node_get(m, "maxEjectionPercent"), &ps->max_ejection_percent);
	rd_int(node_get(m, "failurePercentageThreshold"),
	    &ps->failure_percentage_threshold);
	rd_bool(node_get(m, "alwaysEjectOneEndpoint"),
	    &ps->always_eject_one_endpoint);
}

static void
build_hc(struct bctx *c, const struct node *spec)
{
	struct phealth_check *hc = &c->p->health_check;
	const struct node *m, *n;
	const struct node_pair *pr;

	hc->active.type.v = -1;
	hc->active.http_expected_response.type.v = -1;
	hc->active.http_request_body.type.v = -1;
	hc->active.tcp_send.type.v = -1;
	hc->active.tcp_receive.type.v = -1;
	if ((m = node_get(spec, "healthCheck")) == NULL)
		return;
	MARK(hc, m);
	if (m->kind != NODE_MAP)
		return;
	hc->valid = true;
	if ((pr = get_pair(m, "active")) != NULL)
		build_active(c, pr);
	if ((n = node_get(m, "passive")) != NULL)
		build_passive(c, n);
	rd_int(node_get(m, "panicThreshold"), &hc->panic_threshold);
}

/* ---- retry ------------------------------------------------------------ */

static const char *const retry_triggers[] = {
	"5xx", "gateway-error", "reset", "reset-before-request",
	"connect-failure", "retriable-4xx", "refused-stream",
	"retriable-status-codes", "cancelled", "deadline-exceeded",
	"internal", "resource-exhausted", "unavailable", NULL
};

static void
build_retry(struct bctx *c, const struct node *spec)
{
	struct pretry *r = &c->p->retry;
	const struct node *m, *on, *per, *bo, *n;
	const struct seed_fix *seed;
	size_t i;
	int k;

	if ((m = node_get(spec, "retry")) == NULL)
		return;
	MARK(r, m);
	if (m->kind != NODE_MAP)
		return;
	r->valid = true;
	rd_int(node_get(m, "numRetries"), &r->num_retries);
	rd_int(node_get(m, "numAttemptsPerPriority"),
	    &r->num_attempts_per_priority);
	on = rd_obj(node_get(m, "retryOn"), &r->retry_on);
	rd_str_list(c, node_get(on, "triggers"), &r->triggers);
	r->trigger_v = arena_alloc(c->arena, (r->triggers.n + 1) * sizeof(int));
	for (i = 0; i < r->triggers.n; i++) {
		r->trigger_v[i] = -1;
		for (k = 0; r->triggers.v[i].valid && retry_triggers[k]; k++)
			if (strcmp(retry_triggers[k], r->triggers.v[i].v) == 0)
				r->trigger_v[i] = k;
	}
	rd_int_list(c, node_get(on, "httpStatusCodes"), &r->http_status_codes);

	per = rd_obj(node_get(m, "perRetry"), &r->per_retry);
	n = node_get(per, "timeout");
	seed = NULL;
	if (n == NULL)
		n = lookup(c, m, NULL, "perRetryTimeout",
		    "spec.retry.perRetryTimeout", &seed);
	rd_dur(n, &r->per_retry_timeout);
	r->per_retry_timeout.seed = seed;

	bo = node_get(per, "backOff");
	seed = NULL;
	if (bo == NULL)
		bo = lookup(c, m, NULL, "backoff", "spec.retry.backoff", &seed);
	bo = rd_obj(bo, &r->back_off);
	r->back_off.seed = seed;
	rd_dur(node_get(bo, "baseInterval"), &r->back_off_base);
	rd_dur(node_get(bo, "maxInterval"), &r->back_off_max);
	if (seed != NULL) {
		r->back_off_base.seed = r->back_off_base.set ?
		    seed_lookup("spec.retry.backoff.baseInterval", NULL) : NULL;
		r->back_off_max.seed = r->back_off_max.set ?
		    seed_lookup("spec.retry.backoff.maxInterval", NULL) : NULL;
	}
}

/* ---- timeout, keepalive, connection, http2, dns ------------------------ */

static void
build_timeout(const struct node *spec, struct ptimeout *t)
{
	const struct node *m, *tcp, *http;

	if ((m = node_get(spec, "timeout")) == NULL)
		return;
	MARK(t, m);
	if (m->kind != NODE_MAP)
		return;
	t->valid = true;
	tcp = rd_obj(node_get(m, "tcp"), &t->tcp);
	rd_dur(node_get(tcp, "connectTimeout"), &t->tcp_connect_timeout);
	http = rd_obj(node_get(m, "http"), &t->http);
	rd_dur(node_get(http, "requestTimeout"), &t->http_request_timeout);
	rd_dur(node_get(http, "connectionIdleTimeout"),
	    &t->http_connection_idle_timeout);
	rd_dur(node_get(http, "maxConnectionDuration"),
	    &t->http_max_connection_duration);
	rd_dur(node_get(http, "maxStreamDuration"), &t->http_max_stream_duration);
	rd_dur(node_get(http, "streamIdleTimeout"), &t->http_stream_idle_timeout);
}

static void
build_keepalive(const struct node *spec, struct ptcp_keepalive *k)
{
	const struct node *m;

	if ((m = node_get(spec, "tcpKeepalive")) == NULL)
		return;
	MARK(k, m);
	if (m->kind != NODE_MAP)
		return;
	k->valid = true;
	rd_int(node_get(m, "probes"), &k->probes);
	rd_dur(node_get(m, "idleTime"), &k->idle_time);
	rd_dur(node_get(m, "interval"), &k->interval);
}

static void
build_connection(struct bctx *c, const struct node *spec)
{
	struct pconnection *cn = &c->p->connection;
	const struct node *m, *pre, *cl;
	const struct node_pair *pr;

	if ((m = node_get(spec, "connection")) == NULL)
		return;
	MARK(cn, m);
	if (m->kind != NODE_MAP)
		return;
	cn->valid = true;
	rd_qty(node_get(m, "bufferLimit"), &cn->buffer_limit);
	rd_qty(node_get(m, "socketBufferLimit"), &cn->socket_buffer_limit);
	pre = rd_obj(node_get(m, "preconnect"), &cn->preconnect);
	rd_int(node_get(pre, "perEndpointPercent"),
	    &cn->preconnect_per_endpoint_percent);
	rd_int(node_get(pre, "predictivePercent"),
	    &cn->preconnect_predictive_percent);
	if ((pr = get_pair(m, "connectionLimit")) != NULL) {
		cl = rd_obj(pr->val, &cn->connection_limit);
		cn->connection_limit.seed = seed_use(c,
		    seed_lookup("spec.connection.connectionLimit", NULL),
		    &pr->key->loc);
		rd_int(node_get(cl, "value"), &cn->connection_limit_value);
		rd_dur(node_get(cl, "closeDelay"),
		    &cn->connection_limit_close_delay);
	}
}

static const char *const h2_invalid[] = {
	"TerminateConnection", "TerminateStream", NULL
};

static void
build_http2(const struct node *spec, struct phttp2 *h)
{
	const struct node *m, *ka;

	h->on_invalid_message.v = -1;
	if ((m = node_get(spec, "http2")) == NULL)
		return;
	MARK(h, m);
	if (m->kind != NODE_MAP)
		return;
	h->valid = true;
	rd_qty(node_get(m, "initialStreamWindowSize"),
	    &h->initial_stream_window_size);
	rd_qty(node_get(m, "initialConnectionWindowSize"),
	    &h->initial_connection_window_size);
	rd_int(node_get(m, "maxConcurrentStreams"), &h->max_concurrent_streams);
	rd_enum(node_get(m, "onInvalidMessage"), h2_invalid,
	    &h->on_invalid_message);
	ka = rd_obj(node_get(m, "connectionKeepalive"), &h->connection_keepalive);
	rd_dur(node_get(ka, "interval"), &h->keepalive_interval);
	rd_dur(node_get(ka, "idleInterval"), &h->keepalive_idle_interval);
	rd_dur(node_get(ka, "timeout"), &h->keepalive_timeout);
	rd_int(node_get(ka, "intervalJitter"), &h->keepalive_interval_jitter);
}

static const char *const dns_families[] = {
	"IPv4", "IPv6", "IPv4Preferred", "IPv6Preferred", "IPv4AndIPv6", NULL
};

static void
build_dns(const struct node *spec, struct pdns *d)
{
	const struct node *m;

	d->lookup_family.v = -1;
	if ((m = node_get(spec, "dns")) == NULL)
		return;
	MARK(d, m);
	if (m->kind != NODE_MAP)
		return;
	d->valid = true;
	rd_dur(node_get(m, "dnsRefreshRate"), &d->refresh_rate);
	rd_bool(node_get(m, "respectDnsTtl"), &d->respect_ttl);
	rd_enum(node_get(m, "lookupFamily"), dns_families, &d->lookup_family);
}

/* ---- the policy --------------------------------------------------------- */

static const char *const merge_types[] = { "StrategicMerge", "JSONMerge", NULL };
static const char *const pp_versions[] = { "V1", "V2", NULL };

int
policy_build(struct arena *arena, const struct object *obj, struct policy *out,
    struct diags *diags)
{
	struct bctx c;
	const struct node *spec;
	struct policy *p = out;

	memset(p, 0, sizeof(*p));
	p->merge_type.v = -1;
	p->load_balancer.type.v = -1;
	p->load_balancer.consistent_hash.type.v = -1;
	p->health_check.active.type.v = -1;
	p->health_check.active.http_expected_response.type.v = -1;
	p->health_check.active.http_request_body.type.v = -1;
	p->health_check.active.tcp_send.type.v = -1;
	p->health_check.active.tcp_receive.type.v = -1;
	p->http2.on_invalid_message.v = -1;
	p->proxy_protocol_version.v = -1;
	p->dns.lookup_family.v = -1;
	if (obj == NULL || obj->type != OBJ_BTP)
		return -1;
	c.arena = arena;
	c.p = p;
	c.diags = diags;
	c.seed_cap = 0;
	p->obj = obj;
	build_meta(&c, obj);
	spec = obj->spec;
	if (spec == NULL || spec->kind != NODE_MAP)
		return 0;
	p->spec = spec;

	build_targets(&c, spec);
	rd_enum(node_get(spec, "mergeType"), merge_types, &p->merge_type);
	build_lb(&c, spec);
	build_cb(&c, spec);
	build_hc(&c, spec);
	build_retry(&c, spec);
	build_timeout(spec, &p->timeout);
	build_keepalive(spec, &p->tcp_keepalive);
	build_connection(&c, spec);
	build_http2(spec, &p->http2);
	if (rd_obj(node_get(spec, "proxyProtocol"), &p->proxy_protocol) != NULL)
		rd_enum(node_get(node_get(spec, "proxyProtocol"), "version"),
		    pp_versions, &p->proxy_protocol_version);
	build_dns(spec, &p->dns);
	rd_bool(node_get(spec, "useClientProtocol"), &p->use_client_protocol);
	rd_str(node_get(spec, "routingType"), &p->routing_type);

	p->rate_limit = node_get(spec, "rateLimit");
	p->fault_injection = node_get(spec, "faultInjection");
	p->bandwidth_limit = node_get(spec, "bandwidthLimit");
	p->admission_control = node_get(spec, "admissionControl");
	p->compression = node_get(spec, "compression");
	p->compressor = node_get(spec, "compressor");
	p->response_override = node_get(spec, "responseOverride");
	p->http_upgrade = node_get(spec, "httpUpgrade");
	p->request_buffer = node_get(spec, "requestBuffer");
	p->telemetry = node_get(spec, "telemetry");
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static int
digits(const char *s, int n, bool *ok)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			*ok = false;
			return 0;
		}
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool
policy_parse_time(const char *s, int64_t *secs)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool ok = true;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	size_t len;
	const char *p;

	if (s == NULL || (len = strlen(s)) < 20)
		return false;
	y = digits(s, 4, &ok);
	mo = digits(s + 5, 2, &ok);
	d = digits(s + 8, 2, &ok);
	h = digits(s + 11, 2, &ok);
	mi = digits(s + 14, 2, &ok);
	sec = digits(s + 17, 2, &ok);
	if (!ok || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' &&
	    s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 60)
		return false;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	p = s + 19;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
		if (p == s + 20)
			return false;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		sign = 0;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		sign = *p == '-' ? -1 : 1;
		oh = digits(p + 1, 2, &ok);
		om = digits(p + 4, 2, &ok);
		if (!ok || oh > 23 || om > 59)
			return false;
	} else
		return false;
	if (secs != NULL)
		*secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		    sec - sign * (oh * 3600 + om * 60);
	return true;
}

static const char *
enum_name(const char *const *names, size_t n, int v)
{
	if (v < 0 || (size_t)v >= n)
		return NULL;
	return names[v];
}

const char *
lb_type_name(int v)
{
	return enum_name(lb_types, sizeof(lb_types) / sizeof(lb_types[0]) - 1, v);
}

const char *
ch_type_name(int v)
{
	return enum_name(ch_types, sizeof(ch_types) / sizeof(ch_types[0]) - 1, v);
}

const char *
hc_type_name(int v)
{
	return enum_name(hc_types, sizeof(hc_types) / sizeof(hc_types[0]) - 1, v);
}

const char *
retry_trigger_name(int v)
{
	return enum_name(retry_triggers,
	    sizeof(retry_triggers) / sizeof(retry_triggers[0]) - 1, v);
}
