/*
 * policy.h: the typed BackendTrafficPolicy model.  The linter, the
 * precedence engine and the simulator read policies through it; schema
 * checks, merges and diffs work on node trees instead (node.h).
 *
 * policy_build() turns one indexed object (objects.h) into a struct
 * policy.  It never fails on bad input: a field that is absent has
 * set == false; a field that is present but of the wrong type or syntax
 * has set == true and valid == false (the schema engine reports why).
 * Only valid fields carry a value.  Every field keeps its node and
 * location so that diagnostics can point at it.
 *
 * Units: durations are int64 nanoseconds, quantities int64 bytes (rounded
 * up as Quantity.Value() does).  Defaults are NOT applied: a field the
 * manifest leaves out stays unset; the POLICY_DEF_* constants give
 * upstream's defaults (upstream-api.md §d) for callers that want
 * effective values.
 *
 * Seed spellings (seed.h): fields the popular BTP description spells
 * differently from upstream (circuitBreaker.maxRequests, retry.backoff,
 * loadBalancer.type: Maglev...) are read by their meaning into the
 * upstream field, whose `seed` member then names the spelling used; the
 * policy also lists every seed spelling it read (policy.seed_used) so a
 * caller can report each once.  When both spellings are present the
 * upstream one wins.  Reporting them as errors is seed_check()'s job.
 *
 * Everything the builder allocates lives in the arena passed to it.
 */
#ifndef BTPCTL_POLICY_H
#define BTPCTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node.h"

struct arena;
struct diags;
struct object;
struct seed_fix;

/*
 * Members every field shares.  set: the key is present (under its
 * upstream or seed spelling), even with a null or wrong-typed value.
 * valid: set and the value has the right type and syntax.  node: the
 * value node (NULL when unset).  loc: the value's location (the key's
 * for a missing field reported by seed_check).  seed: the seed spelling
 * the value was read from, or NULL.
 */
#define PF_HEAD							\
	bool			 set;				\
	bool			 valid;				\
	const struct node	*node;				\
	struct loc		 loc;				\
	const struct seed_fix	*seed

struct pf_int {		/* integers (int32/int64 in the CRD) */
	PF_HEAD;
	int64_t		 v;
};

struct pf_bool {
	PF_HEAD;
	bool		 v;
};

struct pf_str {		/* strings; v is any scalar's text, valid only for a string */
	PF_HEAD;
	const char	*v;
};

struct pf_enum {	/* string enums; v is one of the field's enum, or -1 */
	PF_HEAD;
	int		 v;	/* -1 when the text is not a known value */
	const char	*s;	/* the text */
};

struct pf_dur {		/* Gateway API Duration */
	PF_HEAD;
	int64_t		 ns;
	const char	*s;	/* the text */
};

struct pf_qty {		/* resource.Quantity (int or string) */
	PF_HEAD;
	int64_t		 bytes;
	const char	*s;	/* the text (a YAML integer's digits) */
};

struct pf_obj {		/* presence of an object (map) field */
	PF_HEAD;
};

/* Lists of scalars: items as fields, so each has its own location. */
struct pf_int_list {
	PF_HEAD;
	struct pf_int	*v;
	size_t		 n;
};

struct pf_str_list {
	PF_HEAD;
	struct pf_str	*v;
	size_t		 n;
};

/* One entry of a string map (labels, matchLabels, cookie attributes). */
struct pkv {
	const char	*key;
	const char	*value;		/* NULL when the value is not a scalar */
	struct loc	 key_loc, value_loc;
};

struct pf_map {
	PF_HEAD;
	struct pkv	*v;
	size_t		 n;
};

/* ---- metadata and targets ---------------------------------------- */

struct policy_meta {
	const char	*name;		/* "" when absent */
	const char	*ns;		/* "" when absent; see object_ns() */
	struct loc	 name_loc;
	struct pf_map	 labels;
	struct pf_map	 annotations;
	struct pf_str	 creation_timestamp;
	bool		 created_valid;	/* creationTimestamp parsed as RFC 3339 */
	int64_t		 created;	/* its Unix time in seconds */
};

/* targetRef or targetRefs[] entry. */
struct ptarget_ref {
	struct pf_str	 group, kind, name, section_name;
	const struct node *node;
	struct loc	 loc;
	bool		 single;	/* from the deprecated spec.targetRef */
	size_t		 index;		/* position in targetRefs (0 for targetRef) */
};

enum label_op {
	LABEL_OP_IN,
	LABEL_OP_NOT_IN,
	LABEL_OP_EXISTS,
	LABEL_OP_DOES_NOT_EXIST,
};

struct plabel_expr {
	struct pf_str	 key;
	struct pf_enum	 op;		/* enum label_op */
	struct pf_str_list values;
	struct loc	 loc;
};

/* A Kubernetes LabelSelector. */
struct plabel_selector {
	PF_HEAD;
	struct pf_map	 match_labels;
	struct plabel_expr *exprs;	/* matchExpressions */
	size_t		 nexprs;
};

enum ns_from {
	NS_FROM_SAME,
	NS_FROM_ALL,
	NS_FROM_SELECTOR,
};

struct ptarget_selector {
	struct pf_str	 group;		/* default gateway.networking.k8s.io */
	struct pf_str	 kind;
	struct plabel_selector labels;	/* matchLabels / matchExpressions */
	struct pf_obj	 namespaces;
	struct pf_enum	 namespaces_from;	/* enum ns_from; default Same */
	struct plabel_selector namespaces_selector;
	const struct node *node;
	struct loc	 loc;
	size_t		 index;
};

enum merge_type {
	MERGE_STRATEGIC,	/* StrategicMerge */
	MERGE_JSON,		/* JSONMerge */
};

/* ---- loadBalancer ------------------------------------------------- */

enum lb_type {
	LB_CONSISTENT_HASH,
	LB_LEAST_REQUEST,
	LB_RANDOM,
	LB_ROUND_ROBIN,
	LB_BACKEND_UTILIZATION,
	LB_DYNAMIC_MODULE,
};

enum ch_type {
	CH_SOURCE_IP,
	CH_HEADER,
	CH_HEADERS,
	CH_COOKIE,
	CH_QUERY_PARAMS,
};

struct pconsistent_hash {
	PF_HEAD;
	struct pf_enum	 type;		/* enum ch_type */
	struct pf_str	 header_name;	/* header.name (deprecated Header) */
	struct pf_str_list headers;	/* headers[].name */
	struct pf_str_list query_params; /* queryParams[].name */
	struct pf_obj	 cookie;
	struct pf_str	 cookie_name;
	struct pf_dur	 cookie_ttl;
	struct pf_map	 cookie_attributes;
	struct pf_str	 cookie_path;	/* seed only: no upstream field */
	struct pf_int	 table_size;	/* default 65537 */
};

struct pzone_aware {
	PF_HEAD;
	struct pf_obj	 prefer_local;
	struct pf_int	 force_min_endpoints_in_zone; /* preferLocal.force.minEndpointsInZoneThreshold */
	struct pf_obj	 force;		/* preferLocal.force */
	struct pf_int	 min_endpoints_threshold;	/* preferLocal.minEndpointsThreshold */
	struct pf_int	 percentage_enabled;		/* preferLocal.percentageEnabled */
	struct pweighted_zone {
		struct pf_str	 zone;
		struct pf_int	 weight;
		struct loc	 loc;
	}		*weighted_zones;
	size_t		 nweighted_zones;
	bool		 weighted_zones_set;
};

struct pbackend_utilization {
	PF_HEAD;
	struct pf_dur	 blackout_period;
	struct pf_dur	 weight_expiration_period;
	struct pf_dur	 weight_update_period;
	struct pf_int	 error_utilization_penalty_percent;
	struct pf_bool	 keep_response_headers;
	struct pf_str_list metric_names;	/* metricNamesForComputingUtilization */
	const struct node *out_of_band;		/* outOfBand, kept as a node */
};

struct pload_balancer {
	PF_HEAD;
	/*
	 * type; seed "Maglev" reads as LB_CONSISTENT_HASH (Envoy Gateway's
	 * ConsistentHash is Envoy's Maglev) with type.seed set.
	 */
	struct pf_enum	 type;		/* enum lb_type */
	struct pconsistent_hash consistent_hash;
	struct pf_obj	 slow_start;
	struct pf_dur	 slow_start_window;
	struct pzone_aware zone_aware;
	struct pbackend_utilization backend_utilization;
	const struct node *dynamic_module;	/* kept as a node */
	const struct node *endpoint_override;	/* kept as a node */
};

/* ---- circuitBreaker ----------------------------------------------- */

struct pcircuit_breaker {
	PF_HEAD;
	struct pf_int	 max_connections;
	struct pf_int	 max_pending_requests;
	struct pf_int	 max_parallel_requests;	/* seed: maxRequests */
	struct pf_int	 max_parallel_retries;	/* seed: maxRetries */
	struct pf_int	 max_requests_per_connection;
	struct pf_obj	 per_endpoint;
	struct pf_int	 per_endpoint_max_connections;
	struct pf_obj	 retry_budget;
	struct pf_int	 retry_budget_min_concurrency;	/* minRetryConcurrency */
	struct pf_int	 retry_budget_numerator;	/* percent.numerator */
	struct pf_int	 retry_budget_denominator;	/* percent.denominator */
	struct pf_int	 max_connection_pools;	/* seed only: no upstream field */
};

/* ---- healthCheck -------------------------------------------------- */

enum hc_type {
	HC_HTTP,
	HC_TCP,
	HC_GRPC,
};

enum payload_type {
	PAYLOAD_TEXT,
	PAYLOAD_BINARY,
};

/* expectedResponse, tcp.send, tcp.receive, http.requestBody. */
struct ppayload {
	PF_HEAD;
	/*
	 * type.  In http.expectedResponse only (the description's shape), a
	 * payload without type reads by its content (text → PAYLOAD_TEXT,
	 * binary → PAYLOAD_BINARY) with type.seed set, type.valid true and
	 * type.set false.
	 */
	struct pf_enum	 type;		/* enum payload_type */
	struct pf_str	 text;
	struct pf_str	 binary;	/* base64 as written */
};

struct pactive_hc {
	PF_HEAD;
	/*
	 * type; a seed-style block without type reads by its sub-object
	 * (http → HC_HTTP, tcp → HC_TCP, grpc → HC_GRPC) with type.seed
	 * set, type.valid true and type.set false.  With none of them the
	 * type stays unset.
	 */
	struct pf_enum	 type;		/* enum hc_type */
	struct pf_dur	 timeout;	/* default 1s */
	struct pf_dur	 interval;	/* default 3s */
	struct pf_dur	 initial_jitter;
	struct pf_int	 unhealthy_threshold;	/* default 3 */
	struct pf_int	 healthy_threshold;	/* default 1 */
	struct pf_obj	 http;
	struct pf_str	 http_path;
	struct pf_str	 http_method;		/* default GET */
	struct pf_str	 http_hostname;
	struct pf_int_list http_expected_statuses;	/* default [200] */
	struct pf_int_list http_retriable_statuses;
	struct ppayload	 http_expected_response;
	struct ppayload	 http_request_body;
	struct pf_obj	 tcp;
	struct ppayload	 tcp_send;
	struct ppayload	 tcp_receive;
	struct pf_obj	 grpc;
	struct pf_str	 grpc_service;
	struct pf_int	 overrides_port;	/* overrides.port */
	const struct node *health_check_log;	/* kept as a node */
};

struct ppassive_hc {
	PF_HEAD;
	struct pf_bool	 split_external_local_origin_errors;	/* default false */
	struct pf_dur	 interval;			/* default 3s */
	struct pf_int	 consecutive_local_origin_failures;	/* default 5 */
	struct pf_int	 consecutive_gateway_errors;
	struct pf_int	 consecutive_5xx_errors;	/* default 5; seed: consecutive5xxErrors */
	struct pf_dur	 base_ejection_time;		/* default 30s */
	struct pf_int	 max_ejection_percent;		/* default 10 */
	struct pf_int	 failure_percentage_threshold;
	struct pf_bool	 always_eject_one_endpoint;	/* default false */
};

struct phealth_check {
	PF_HEAD;
	struct pactive_hc active;
	struct ppassive_hc passive;
	struct pf_int	 panic_threshold;	/* Envoy default 50 */
};

/* ---- retry -------------------------------------------------------- */

enum retry_trigger {
	RT_5XX,
	RT_GATEWAY_ERROR,
	RT_RESET,
	RT_RESET_BEFORE_REQUEST,
	RT_CONNECT_FAILURE,
	RT_RETRIABLE_4XX,
	RT_REFUSED_STREAM,
	RT_RETRIABLE_STATUS_CODES,
	RT_CANCELLED,
	RT_DEADLINE_EXCEEDED,
	RT_INTERNAL,
	RT_RESOURCE_EXHAUSTED,
	RT_UNAVAILABLE,
	RT_COUNT
};

struct pretry {
	PF_HEAD;
	struct pf_int	 num_retries;		/* default 2 */
	struct pf_int	 num_attempts_per_priority;
	struct pf_obj	 retry_on;
	struct pf_str_list triggers;		/* retryOn.triggers as written */
	/* triggers parsed: enum retry_trigger per item, -1 when unknown */
	int		*trigger_v;
	struct pf_int_list http_status_codes;	/* retryOn.httpStatusCodes */
	struct pf_obj	 per_retry;		/* retry.perRetry (or seed spellings) */
	struct pf_dur	 per_retry_timeout;	/* seed: retry.perRetryTimeout */
	struct pf_obj	 back_off;		/* perRetry.backOff; seed: retry.backoff */
	struct pf_dur	 back_off_base;		/* backOff.baseInterval */
	struct pf_dur	 back_off_max;		/* backOff.maxInterval */
};

/* ---- timeouts, keepalive, connection, http2, proxy protocol, dns --- */

struct ptimeout {
	PF_HEAD;
	struct pf_obj	 tcp;
	struct pf_dur	 tcp_connect_timeout;		/* default 10s */
	struct pf_obj	 http;
	struct pf_dur	 http_request_timeout;
	struct pf_dur	 http_connection_idle_timeout;	/* default 1h */
	struct pf_dur	 http_max_connection_duration;
	struct pf_dur	 http_max_stream_duration;
	struct pf_dur	 http_stream_idle_timeout;
};

struct ptcp_keepalive {
	PF_HEAD;
	struct pf_int	 probes;		/* default 9 */
	struct pf_dur	 idle_time;		/* default 7200s */
	struct pf_dur	 interval;		/* default 75s */
};

struct pconnection {
	PF_HEAD;
	struct pf_qty	 buffer_limit;		/* default 32768 */
	struct pf_qty	 socket_buffer_limit;
	struct pf_obj	 preconnect;
	struct pf_int	 preconnect_per_endpoint_percent;
	struct pf_int	 preconnect_predictive_percent;
	/* seed only (ClientTrafficPolicy has these, BTP does not) */
	struct pf_obj	 connection_limit;
	struct pf_int	 connection_limit_value;
	struct pf_dur	 connection_limit_close_delay;
};

enum h2_invalid {
	H2_TERMINATE_CONNECTION,
	H2_TERMINATE_STREAM,
};

struct phttp2 {
	PF_HEAD;
	struct pf_qty	 initial_stream_window_size;	/* default 65536 */
	struct pf_qty	 initial_connection_window_size; /* default 1048576 */
	struct pf_int	 max_concurrent_streams;
	struct pf_enum	 on_invalid_message;		/* enum h2_invalid */
	struct pf_obj	 connection_keepalive;
	struct pf_dur	 keepalive_interval;
	struct pf_dur	 keepalive_idle_interval;
	struct pf_dur	 keepalive_timeout;
	struct pf_int	 keepalive_interval_jitter;
};

enum pp_version {
	PP_V1,
	PP_V2,
};

enum dns_family {
	DNS_IPV4,
	DNS_IPV6,
	DNS_IPV4_PREFERRED,
	DNS_IPV6_PREFERRED,
	DNS_IPV4_AND_IPV6,
};

struct pdns {
	PF_HEAD;
	struct pf_dur	 refresh_rate;		/* dnsRefreshRate; default 30s */
	struct pf_bool	 respect_ttl;		/* respectDnsTtl; default true */
	struct pf_enum	 lookup_family;		/* enum dns_family */
};

/* ---- the policy ----------------------------------------------------- */

/* One seed spelling the builder read (see seed.h). */
struct policy_seed_use {
	const struct seed_fix	*fix;
	struct loc		 loc;	/* the key, or the parent for a missing field */
	const char		*path;	/* with real list indexes: spec.x[0].y */
};

struct policy {
	const struct object	*obj;
	const struct node	*spec;		/* NULL when absent */
	struct policy_meta	 meta;

	struct ptarget_ref	*targets;	/* targetRef (first when set) then targetRefs[] */
	size_t			 ntargets;
	bool			 target_ref_set;	/* spec.targetRef present */
	bool			 target_refs_set;	/* spec.targetRefs present */
	struct ptarget_selector	*selectors;	/* targetSelectors[] */
	size_t			 nselectors;
	bool			 selectors_set;

	struct pf_enum		 merge_type;	/* enum merge_type */

	struct pload_balancer	 load_balancer;
	struct pcircuit_breaker	 circuit_breaker;
	struct phealth_check	 health_check;
	struct pretry		 retry;
	struct ptimeout		 timeout;
	struct ptcp_keepalive	 tcp_keepalive;
	struct pconnection	 connection;
	struct phttp2		 http2;
	struct pf_obj		 proxy_protocol;
	struct pf_enum		 proxy_protocol_version;	/* enum pp_version */
	struct pdns		 dns;
	struct pf_bool		 use_client_protocol;
	struct pf_str		 routing_type;

	/* Other upstream fields, kept as nodes (NULL when absent). */
	const struct node	*rate_limit;
	const struct node	*fault_injection;
	const struct node	*bandwidth_limit;
	const struct node	*admission_control;
	const struct node	*compression;
	const struct node	*compressor;
	const struct node	*response_override;
	const struct node	*http_upgrade;
	const struct node	*request_buffer;
	const struct node	*telemetry;

	/* Seed spellings read, in document order. */
	struct policy_seed_use	*seed_used;
	size_t			 nseed_used;
};

/*
 * Build the typed model of obj (a BackendTrafficPolicy) into *out, all
 * allocations in arena.  Never fails on bad input: wrong types leave
 * fields set but not valid.  diags receives only what no schema check
 * reports (currently nothing is recorded; reserved).  Returns 0, or -1
 * when obj is not a BTP (out is then zeroed).
 */
int		 policy_build(struct arena *, const struct object *obj,
		    struct policy *out, struct diags *);

/*
 * Parse a Kubernetes timestamp (RFC 3339, "2024-01-02T03:04:05Z" or with
 * fractional seconds and an offset) to Unix seconds.
 */
bool		 policy_parse_time(const char *, int64_t *secs);

/* The text of enum values, as upstream spells them. */
const char	*lb_type_name(int);		/* enum lb_type */
const char	*ch_type_name(int);		/* enum ch_type */
const char	*hc_type_name(int);		/* enum hc_type */
const char	*retry_trigger_name(int);	/* enum retry_trigger */

/* A valid field's value, or def when it is unset or not valid. */
static inline int64_t
pf_int_or(const struct pf_int *f, int64_t def)
{
	return f->valid ? f->v : def;
}

static inline int64_t
pf_dur_or(const struct pf_dur *f, int64_t def)
{
	return f->valid ? f->ns : def;
}

static inline int64_t
pf_qty_or(const struct pf_qty *f, int64_t def)
{
	return f->valid ? f->bytes : def;
}

static inline bool
pf_bool_or(const struct pf_bool *f, bool def)
{
	return f->valid ? f->v : def;
}

/* Upstream defaults when a field is unset (upstream-api.md §d). */
#define POLICY_DEF_TABLE_SIZE		65537
#define POLICY_DEF_CB_MAX		1024	/* every circuitBreaker threshold */
#define POLICY_DEF_RETRY_BUDGET_MIN	3
#define POLICY_DEF_HC_TIMEOUT_NS	(INT64_C(1) * 1000000000)
#define POLICY_DEF_HC_INTERVAL_NS	(INT64_C(3) * 1000000000)
#define POLICY_DEF_HC_UNHEALTHY		3
#define POLICY_DEF_HC_HEALTHY		1
#define POLICY_DEF_OD_INTERVAL_NS	(INT64_C(3) * 1000000000)
#define POLICY_DEF_OD_BASE_EJECT_NS	(INT64_C(30) * 1000000000)
#define POLICY_DEF_OD_MAX_EJECT_PCT	10
#define POLICY_DEF_OD_CONSEC_5XX	5
#define POLICY_DEF_OD_CONSEC_LOCAL	5
#define POLICY_DEF_PANIC_THRESHOLD	50
#define POLICY_DEF_NUM_RETRIES		2
#define POLICY_DEF_BACKOFF_BASE_NS	(INT64_C(25) * 1000000)
#define POLICY_DEF_CONNECT_TIMEOUT_NS	(INT64_C(10) * 1000000000)
#define POLICY_DEF_IDLE_TIMEOUT_NS	(INT64_C(3600) * 1000000000)
#define POLICY_DEF_BUFFER_LIMIT		32768
#define POLICY_DEF_H2_STREAM_WINDOW	65536
#define POLICY_DEF_H2_CONN_WINDOW	1048576
#define POLICY_DEF_KA_PROBES		9
#define POLICY_DEF_KA_IDLE_NS		(INT64_C(7200) * 1000000000)
#define POLICY_DEF_KA_INTERVAL_NS	(INT64_C(75) * 1000000000)
#define POLICY_DEF_DNS_REFRESH_NS	(INT64_C(30) * 1000000000)

#endif
