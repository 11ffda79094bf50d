/*
 * test_policy.c: the typed policy builder (policy.h) on every field
 * family, upstream and seed spellings, wrong types, metadata and targets,
 * plus every real-world manifest and upstream's end-to-end manifests
 * building without a crash.
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

#define S	INT64_C(1000000000)
#define MS	INT64_C(1000000)

#define HEAD								\
	"apiVersion: gateway.envoyproxy.io/v1alpha1\n"			\
	"kind: BackendTrafficPolicy\n"

/* Build the first BTP of yaml; the load stays in *t for locations. */
static int
build(struct tload *t, struct arena **a, const char *yaml, struct policy *p)
{
	struct object *o;

	tload_text(t, "p.yaml", yaml);
	*a = arena_new();
	o = tload_first(t, OBJ_BTP);
	if (o == NULL) {
		memset(p, 0, sizeof(*p));
		return -2;
	}
	return policy_build(*a, o, p, NULL);
}

static void
done(struct tload *t, struct arena *a)
{
	arena_free(a);
	tload_release(t);
}

static const char full_upstream[] =
	HEAD
	"metadata:\n"
	"  name: full\n"
	"  namespace: team-a\n"
	"  creationTimestamp: \"2024-02-29T12:00:01Z\"\n"
	"  labels: {app: web, tier: \"1\"}\n"
	"  annotations:\n"
	"    note: hello\n"
	"spec:\n"
	"  targetRefs:\n"
	"  - group: gateway.networking.k8s.io\n"
	"    kind: HTTPRoute\n"
	"    name: web\n"
	"    sectionName: rule-a\n"
	"  - {group: gateway.networking.k8s.io, kind: Gateway, name: eg}\n"
	"  targetSelectors:\n"
	"  - kind: HTTPRoute\n"
	"    matchLabels: {app: web}\n"
	"    matchExpressions:\n"
	"    - {key: env, operator: In, values: [prod, staging]}\n"
	"    - {key: canary, operator: DoesNotExist}\n"
	"    namespaces:\n"
	"      from: Selector\n"
	"      selector:\n"
	"        matchLabels: {team: a}\n"
	"  mergeType: StrategicMerge\n"
	"  loadBalancer:\n"
	"    type: ConsistentHash\n"
	"    consistentHash:\n"
	"      type: Cookie\n"
	"      cookie:\n"
	"        name: sticky\n"
	"        ttl: 1h30m\n"
	"        attributes: {SameSite: Strict}\n"
	"      headers: [{name: x-user}, {name: x-tenant}]\n"
	"      queryParams: [{name: q}]\n"
	"      header: {name: x-old}\n"
	"      tableSize: 65537\n"
	"    slowStart: {window: 45s}\n"
	"    zoneAware:\n"
	"      preferLocal:\n"
	"        force: {minEndpointsInZoneThreshold: 3}\n"
	"        minEndpointsThreshold: 6\n"
	"        percentageEnabled: 80\n"
	"      weightedZones:\n"
	"      - {zone: a, weight: 70}\n"
	"      - {zone: b, weight: 30}\n"
	"    backendUtilization:\n"
	"      blackoutPeriod: 10s\n"
	"      weightUpdatePeriod: 1s\n"
	"      keepResponseHeaders: true\n"
	"      errorUtilizationPenaltyPercent: 50\n"
	"      metricNamesForComputingUtilization: [cpu]\n"
	"  circuitBreaker:\n"
	"    maxConnections: 10\n"
	"    maxPendingRequests: 11\n"
	"    maxParallelRequests: 12\n"
	"    maxParallelRetries: 13\n"
	"    maxRequestsPerConnection: 14\n"
	"    perEndpoint: {maxConnections: 15}\n"
	"    retryBudget:\n"
	"      minRetryConcurrency: 4\n"
	"      percent: {numerator: 20, denominator: 1000}\n"
	"  healthCheck:\n"
	"    panicThreshold: 40\n"
	"    active:\n"
	"      type: HTTP\n"
	"      timeout: 500ms\n"
	"      interval: 2s\n"
	"      initialJitter: 100ms\n"
	"      unhealthyThreshold: 4\n"
	"      healthyThreshold: 2\n"
	"      http:\n"
	"        path: /healthz\n"
	"        method: post\n"
	"        hostname: health.local\n"
	"        expectedStatuses: [200, 204]\n"
	"        retriableStatuses: [503]\n"
	"        expectedResponse: {type: Binary, binary: AAE=}\n"
	"        requestBody: {type: Text, text: ping}\n"
	"      overrides: {port: 9090}\n"
	"    passive:\n"
	"      splitExternalLocalOriginErrors: true\n"
	"      interval: 5s\n"
	"      consecutiveLocalOriginFailures: 6\n"
	"      consecutiveGatewayErrors: 7\n"
	"      consecutive5XxErrors: 8\n"
	"      baseEjectionTime: 1m\n"
	"      maxEjectionPercent: 20\n"
	"      failurePercentageThreshold: 85\n"
	"      alwaysEjectOneEndpoint: true\n"
	"  retry:\n"
	"    numRetries: 3\n"
	"    numAttemptsPerPriority: 2\n"
	"    retryOn:\n"
	"      triggers: [5xx, reset, retriable-status-codes, bogus]\n"
	"      httpStatusCodes: [502, 503]\n"
	"    perRetry:\n"
	"      timeout: 250ms\n"
	"      backOff: {baseInterval: 100ms, maxInterval: 1s}\n"
	"  timeout:\n"
	"    tcp: {connectTimeout: 5s}\n"
	"    http:\n"
	"      requestTimeout: 30s\n"
	"      connectionIdleTimeout: 1h\n"
	"      maxConnectionDuration: 2h\n"
	"      maxStreamDuration: 0s\n"
	"      streamIdleTimeout: 5m\n"
	"  tcpKeepalive: {probes: 3, idleTime: 300s, interval: 60s}\n"
	"  connection:\n"
	"    bufferLimit: 32Ki\n"
	"    socketBufferLimit: 1.5Mi\n"
	"    preconnect: {perEndpointPercent: 150, predictivePercent: 200}\n"
	"  http2:\n"
	"    initialStreamWindowSize: 64Ki\n"
	"    initialConnectionWindowSize: 1048576\n"
	"    maxConcurrentStreams: 100\n"
	"    onInvalidMessage: TerminateStream\n"
	"    connectionKeepalive: {interval: 10s, idleInterval: 30s, timeout: 5s,"
	" intervalJitter: 15}\n"
	"  proxyProtocol: {version: V2}\n"
	"  dns: {dnsRefreshRate: 30s, respectDnsTtl: false, lookupFamily: IPv6Preferred}\n"
	"  useClientProtocol: true\n"
	"  routingType: Service\n"
	"  rateLimit: {local: {rules: []}}\n"
	"  faultInjection: {abort: {httpStatus: 503}}\n"
	"  compressor: [{type: Gzip, gzip: {}}]\n"
	"  responseOverride: []\n"
	"  requestBuffer: {limit: 1Mi}\n"
	"  telemetry: {}\n"
	"  bandwidthLimit: {}\n"
	"  admissionControl: {}\n"
	"  httpUpgrade: []\n";

TEST(metadata_and_targets)
{
	struct tload t;
	struct arena *a;
	struct policy p;
	struct ptarget_selector *ts;

	CHECK_INT(build(&t, &a, full_upstream, &p), 0);
	CHECK_STR(p.meta.name, "full");
	CHECK_STR(p.meta.ns, "team-a");
	CHECK_INT(p.meta.name_loc.line, 4);
	CHECK(p.meta.labels.valid);
	CHECK_INT(p.meta.labels.n, 2);
	CHECK_STR(p.meta.labels.v[1].key, "tier");
	CHECK_STR(p.meta.labels.v[1].value, "1");
	CHECK_STR(p.meta.annotations.v[0].value, "hello");
	CHECK(p.meta.creation_timestamp.valid);
	CHECK(p.meta.created_valid);
	CHECK_INT(p.meta.created, 1709208001);

	CHECK(!p.target_ref_set);
	CHECK(p.target_refs_set);
	CHECK_INT(p.ntargets, 2);
	CHECK_STR(p.targets[0].kind.v, "HTTPRoute");
	CHECK_STR(p.targets[0].section_name.v, "rule-a");
	CHECK_INT(p.targets[0].section_name.loc.line, 15);
	CHECK_STR(p.targets[1].name.v, "eg");
	CHECK(!p.targets[1].section_name.set);
	CHECK_INT(p.targets[1].index, 1);
	CHECK(!p.targets[1].single);

	CHECK(p.selectors_set);
	CHECK_INT(p.nselectors, 1);
	ts = &p.selectors[0];
	CHECK(!ts->group.set);
	CHECK_STR(ts->kind.v, "HTTPRoute");
	CHECK_INT(ts->labels.match_labels.n, 1);
	CHECK_STR(ts->labels.match_labels.v[0].value, "web");
	CHECK_INT(ts->labels.nexprs, 2);
	CHECK_INT(ts->labels.exprs[0].op.v, LABEL_OP_IN);
	CHECK_INT(ts->labels.exprs[0].values.n, 2);
	CHECK_STR(ts->labels.exprs[0].values.v[1].v, "staging");
	CHECK_INT(ts->labels.exprs[1].op.v, LABEL_OP_DOES_NOT_EXIST);
	CHECK(!ts->labels.exprs[1].values.set);
	CHECK(ts->namespaces.valid);
	CHECK_INT(ts->namespaces_from.v, NS_FROM_SELECTOR);
	CHECK_STR(ts->namespaces_selector.match_labels.v[0].key, "team");
	CHECK_INT(p.merge_type.v, MERGE_STRATEGIC);
	CHECK_INT(p.nseed_used, 0);
	done(&t, a);
}

TEST(load_balancer)
{
	struct tload t;
	struct arena *a;
	struct policy p;
	struct pload_balancer *lb = &p.load_balancer;
	struct pconsistent_hash *ch = &lb->consistent_hash;

	CHECK_INT(build(&t, &a, full_upstream, &p), 0);
	CHECK(lb->valid);
	CHECK_INT(lb->type.v, LB_CONSISTENT_HASH);
	CHECK_STR(lb_type_name(lb->type.v), "ConsistentHash");
	CHECK(lb->type.seed == NULL);
	CHECK_INT(ch->type.v, CH_COOKIE);
	CHECK_STR(ch_type_name(ch->type.v), "Cookie");
	CHECK_STR(ch->cookie_name.v, "sticky");
	CHECK_INT(ch->cookie_ttl.ns, 5400 * S);
	CHECK_STR(ch->cookie_ttl.s, "1h30m");
	CHECK_STR(ch->cookie_attributes.v[0].key, "SameSite");
	CHECK(!ch->cookie_path.set);
	CHECK_INT(ch->headers.n, 2);
	CHECK_STR(ch->headers.v[1].v, "x-tenant");
	CHECK_STR(ch->query_params.v[0].v, "q");
	CHECK_STR(ch->header_name.v, "x-old");
	CHECK_INT(ch->table_size.v, 65537);
	CHECK(lb->slow_start.valid);
	CHECK_INT(lb->slow_start_window.ns, 45 * S);
	CHECK(lb->zone_aware.valid);
	CHECK_INT(lb->zone_aware.force_min_endpoints_in_zone.v, 3);
	CHECK_INT(lb->zone_aware.min_endpoints_threshold.v, 6);
	CHECK_INT(lb->zone_aware.percentage_enabled.v, 80);
	CHECK_INT(lb->zone_aware.nweighted_zones, 2);
	CHECK_STR(lb->zone_aware.weighted_zones[1].zone.v, "b");
	CHECK_INT(lb->zone_aware.weighted_zones[1].weight.v, 30);
	CHECK_INT(lb->backend_utilization.blackout_period.ns, 10 * S);
	CHECK(!lb->backend_utilization.weight_expiration_period.set);
	CHECK(lb->backend_utilization.keep_response_headers.v);
	CHECK_INT(lb->backend_utilization.error_utilization_penalty_percent.v, 50);
	CHECK_STR(lb->backend_utilization.metric_names.v[0].v, "cpu");
	CHECK(lb->dynamic_module == NULL);
	done(&t, a);
}

TEST(circuit_breaker_and_health)
{
	struct tload t;
	struct arena *a;
	struct policy p;
	struct pcircuit_breaker *cb = &p.circuit_breaker;
	struct pactive_hc *ac = &p.health_check.active;
	struct ppassive_hc *ps = &p.health_check.passive;

	CHECK_INT(build(&t, &a, full_upstream, &p), 0);
	CHECK_INT(cb->max_connections.v, 10);
	CHECK_INT(cb->max_pending_requests.v, 11);
	CHECK_INT(cb->max_parallel_requests.v, 12);
	CHECK(cb->max_parallel_requests.seed == NULL);
	CHECK_INT(cb->max_parallel_retries.v, 13);
	CHECK_INT(cb->max_requests_per_connection.v, 14);
	CHECK_INT(cb->per_endpoint_max_connections.v, 15);
	CHECK_INT(cb->retry_budget_min_concurrency.v, 4);
	CHECK_INT(cb->retry_budget_numerator.v, 20);
	CHECK_INT(cb->retry_budget_denominator.v, 1000);
	CHECK(!cb->max_connection_pools.set);

	CHECK_INT(p.health_check.panic_threshold.v, 40);
	CHECK(ac->type.set);
	CHECK_INT(ac->type.v, HC_HTTP);
	CHECK_STR(hc_type_name(ac->type.v), "HTTP");
	CHECK_INT(ac->timeout.ns, 500 * MS);
	CHECK_INT(ac->interval.ns, 2 * S);
	CHECK_INT(ac->initial_jitter.ns, 100 * MS);
	CHECK_INT(ac->unhealthy_threshold.v, 4);
	CHECK_INT(ac->healthy_threshold.v, 2);
	CHECK_STR(ac->http_path.v, "/healthz");
	CHECK_STR(ac->http_method.v, "post");
	CHECK_STR(ac->http_hostname.v, "health.local");
	CHECK_INT(ac->http_expected_statuses.n, 2);
	CHECK_INT(ac->http_expected_statuses.v[1].v, 204);
	CHECK_INT(ac->http_retriable_statuses.v[0].v, 503);
	CHECK_INT(ac->http_expected_response.type.v, PAYLOAD_BINARY);
	CHECK_STR(ac->http_expected_response.binary.v, "AAE=");
	CHECK_INT(ac->http_request_body.type.v, PAYLOAD_TEXT);
	CHECK_STR(ac->http_request_body.text.v, "ping");
	CHECK_INT(ac->overrides_port.v, 9090);
	CHECK(!ac->tcp.set);
	CHECK(!ac->grpc.set);

	CHECK(ps->split_external_local_origin_errors.v);
	CHECK_INT(ps->interval.ns, 5 * S);
	CHECK_INT(ps->consecutive_local_origin_failures.v, 6);
	CHECK_INT(ps->consecutive_gateway_errors.v, 7);
	CHECK_INT(ps->consecutive_5xx_errors.v, 8);
	CHECK(ps->consecutive_5xx_errors.seed == NULL);
	CHECK_INT(ps->base_ejection_time.ns, 60 * S);
	CHECK_INT(ps->max_ejection_percent.v, 20);
	CHECK_INT(ps->failure_percentage_threshold.v, 85);
	CHECK(ps->always_eject_one_endpoint.v);
	done(&t, a);
}

TEST(retry_timeout_connection)
{
	struct tload t;
	struct arena *a;
	struct policy p;
	struct pretry *r = &p.retry;

	CHECK_INT(build(&t, &a, full_upstream, &p), 0);
	CHECK_INT(r->num_retries.v, 3);
	CHECK_INT(r->num_attempts_per_priority.v, 2);
	CHECK_INT(r->triggers.n, 4);
	CHECK_INT(r->trigger_v[0], RT_5XX);
	CHECK_INT(r->trigger_v[1], RT_RESET);
	CHECK_INT(r->trigger_v[2], RT_RETRIABLE_STATUS_CODES);
	CHECK_INT(r->trigger_v[3], -1);
	CHECK_STR(retry_trigger_name(RT_CONNECT_FAILURE), "connect-failure");
	CHECK(retry_trigger_name(RT_COUNT) == NULL);
	CHECK_INT(r->http_status_codes.v[1].v, 503);
	CHECK(r->per_retry.valid);
	CHECK_INT(r->per_retry_timeout.ns, 250 * MS);
	CHECK(r->per_retry_timeout.seed == NULL);
	CHECK(r->back_off.valid);
	CHECK_INT(r->back_off_base.ns, 100 * MS);
	CHECK_INT(r->back_off_max.ns, S);

	CHECK_INT(p.timeout.tcp_connect_timeout.ns, 5 * S);
	CHECK_INT(p.timeout.http_request_timeout.ns, 30 * S);
	CHECK_INT(p.timeout.http_connection_idle_timeout.ns, 3600 * S);
	CHECK_INT(p.timeout.http_max_connection_duration.ns, 7200 * S);
	CHECK(p.timeout.http_max_stream_duration.valid);
	CHECK_INT(p.timeout.http_max_stream_duration.ns, 0);
	CHECK_INT(p.timeout.http_stream_idle_timeout.ns, 300 * S);

	CHECK_INT(p.tcp_keepalive.probes.v, 3);
	CHECK_INT(p.tcp_keepalive.idle_time.ns, 300 * S);
	CHECK_INT(p.tcp_keepalive.interval.ns, 60 * S);

	CHECK_INT(p.connection.buffer_limit.bytes, 32768);
	CHECK_STR(p.connection.buffer_limit.s, "32Ki");
	CHECK_INT(p.connection.socket_buffer_limit.bytes, 1572864);
	CHECK_INT(p.connection.preconnect_per_endpoint_percent.v, 150);
	CHECK_INT(p.connection.preconnect_predictive_percent.v, 200);
	CHECK(!p.connection.connection_limit.set);

	CHECK_INT(p.http2.initial_stream_window_size.bytes, 65536);
	CHECK_INT(p.http2.initial_connection_window_size.bytes, 1048576);
	CHECK_INT(p.http2.max_concurrent_streams.v, 100);
	CHECK_INT(p.http2.on_invalid_message.v, H2_TERMINATE_STREAM);
	CHECK_INT(p.http2.keepalive_interval.ns, 10 * S);
	CHECK_INT(p.http2.keepalive_idle_interval.ns, 30 * S);
	CHECK_INT(p.http2.keepalive_timeout.ns, 5 * S);
	CHECK_INT(p.http2.keepalive_interval_jitter.v, 15);

	CHECK_INT(p.proxy_protocol_version.v, PP_V2);
	CHECK_INT(p.dns.refresh_rate.ns, 30 * S);
	CHECK(p.dns.respect_ttl.valid && !p.dns.respect_ttl.v);
	CHECK_INT(p.dns.lookup_family.v, DNS_IPV6_PREFERRED);
	CHECK(p.use_client_protocol.v);
	CHECK_STR(p.routing_type.v, "Service");
	CHECK(p.rate_limit != NULL && p.rate_limit->kind == NODE_MAP);
	CHECK(p.fault_injection != NULL);
	CHECK(p.compressor != NULL && p.compressor->kind == NODE_SEQ);
	CHECK(p.compression == NULL);
	CHECK(p.response_override != NULL);
	CHECK(p.request_buffer != NULL);
	CHECK(p.telemetry != NULL);
	CHECK(p.bandwidth_limit != NULL);
	CHECK(p.admission_control != NULL);
	CHECK(p.http_upgrade != NULL);
	done(&t, a);
}

static const char seedy[] =
	HEAD
	"metadata: {name: seedy}\n"
	"spec:\n"
	"  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r}\n"
	"  loadBalancer:\n"
	"    type: Maglev\n"
	"  circuitBreaker:\n"
	"    maxRequests: 2048\n"
	"    maxRetries: 3\n"
	"    maxConnectionPools: 512\n"
	"  healthCheck:\n"
	"    active:\n"
	"      interval: 5s\n"
	"      http:\n"
	"        path: /health\n"
	"        expectedResponse: {text: ok}\n"
	"    passive:\n"
	"      consecutive5xxErrors: 4\n"
	"  retry:\n"
	"    numRetries: 3\n"
	"    perRetryTimeout: 5s\n"
	"    backoff:\n"
	"      baseInterval: 100ms\n"
	"      maxInterval: 10s\n"
	"  connection:\n"
	"    bufferLimit: 32768\n"
	"    connectionLimit: {value: 100, closeDelay: 5s}\n";

TEST(seed_spellings)
{
	struct tload t;
	struct arena *a;
	struct policy p;
	size_t i;

	CHECK_INT(build(&t, &a, seedy, &p), 0);
	CHECK_STR(p.meta.ns, "");
	CHECK(p.target_ref_set);
	CHECK_INT(p.ntargets, 1);
	CHECK(p.targets[0].single);
	CHECK_STR(p.targets[0].name.v, "r");

	CHECK(p.load_balancer.type.valid);
	CHECK_INT(p.load_balancer.type.v, LB_CONSISTENT_HASH);
	CHECK_STR(p.load_balancer.type.s, "Maglev");
	CHECK(p.load_balancer.type.seed != NULL);
	CHECK_INT(p.load_balancer.type.loc.line, 7);
	CHECK(!p.load_balancer.consistent_hash.set);

	CHECK_INT(p.circuit_breaker.max_parallel_requests.v, 2048);
	CHECK(p.circuit_breaker.max_parallel_requests.seed != NULL);
	CHECK_STR(p.circuit_breaker.max_parallel_requests.seed->upstream,
	    "spec.circuitBreaker.maxParallelRequests");
	CHECK_INT(p.circuit_breaker.max_parallel_retries.v, 3);
	CHECK(p.circuit_breaker.max_parallel_retries.seed != NULL);
	CHECK_INT(p.circuit_breaker.max_connection_pools.v, 512);
	CHECK(p.circuit_breaker.max_connection_pools.seed != NULL);

	CHECK(!p.health_check.active.type.set);
	CHECK(p.health_check.active.type.valid);
	CHECK_INT(p.health_check.active.type.v, HC_HTTP);
	CHECK(p.health_check.active.type.seed != NULL);
	CHECK_INT(p.health_check.active.type.loc.line, 13);
	CHECK(!p.health_check.active.http_expected_response.type.set);
	CHECK_INT(p.health_check.active.http_expected_response.type.v,
	    PAYLOAD_TEXT);
	CHECK_STR(p.health_check.active.http_expected_response.text.v, "ok");
	CHECK_INT(p.health_check.passive.consecutive_5xx_errors.v, 4);
	CHECK(p.health_check.passive.consecutive_5xx_errors.seed != NULL);

	CHECK_INT(p.retry.per_retry_timeout.ns, 5 * S);
	CHECK(p.retry.per_retry_timeout.seed != NULL);
	CHECK(!p.retry.per_retry.set);
	CHECK(p.retry.back_off.valid);
	CHECK(p.retry.back_off.seed != NULL);
	CHECK_INT(p.retry.back_off_base.ns, 100 * MS);
	CHECK_INT(p.retry.back_off_max.ns, 10 * S);
	CHECK_STR(p.retry.back_off_max.seed->upstream,
	    "spec.retry.perRetry.backOff.maxInterval");

	CHECK_INT(p.connection.buffer_limit.bytes, 32768);
	CHECK(p.connection.connection_limit.seed != NULL);
	CHECK_INT(p.connection.connection_limit_value.v, 100);
	CHECK_INT(p.connection.connection_limit_close_delay.ns, 5 * S);

	/* every spelling recorded once, in document order */
	CHECK_INT(p.nseed_used, 10);
	for (i = 1; i < p.nseed_used; i++)
		CHECK(p.seed_used[i - 1].loc.line <= p.seed_used[i].loc.line);
	CHECK_STR(p.seed_used[0].path, "spec.loadBalancer.type");
	CHECK_STR(p.seed_used[p.nseed_used - 1].path,
	    "spec.connection.connectionLimit");
	done(&t, a);
}

TEST(upstream_wins)
{
	struct tload t;
	struct arena *a;
	struct policy p;

	CHECK_INT(build(&t, &a, HEAD "metadata: {name: x}\nspec:\n"
	    "  circuitBreaker: {maxRequests: 1, maxParallelRequests: 2}\n"
	    "  healthCheck:\n    passive:\n"
	    "      consecutive5xxErrors: 1\n      consecutive5XxErrors: 2\n"
	    "  retry:\n    perRetryTimeout: 1s\n    perRetry: {timeout: 2s}\n",
	    &p), 0);
	CHECK_INT(p.circuit_breaker.max_parallel_requests.v, 2);
	CHECK(p.circuit_breaker.max_parallel_requests.seed == NULL);
	CHECK_INT(p.health_check.passive.consecutive_5xx_errors.v, 2);
	CHECK_INT(p.retry.per_retry_timeout.ns, 2 * S);
	CHECK(p.retry.per_retry_timeout.seed == NULL);
	CHECK_INT(p.nseed_used, 0);
	done(&t, a);
}

TEST(wrong_types)
{
	struct tload t;
	struct arena *a;
	struct policy p;

	CHECK_INT(build(&t, &a, HEAD "metadata: {name: x, labels: [a]}\nspec:\n"
	    "  targetRefs: {kind: HTTPRoute}\n"
	    "  loadBalancer: {type: 7, slowStart: {window: 1.5s}}\n"
	    "  circuitBreaker: {maxConnections: \"10\", maxPendingRequests: 1.5}\n"
	    "  healthCheck: {active: [], passive: {interval: 3}}\n"
	    "  retry:\n    numRetries: yes\n    retryOn: {triggers: 5xx,"
	    " httpStatusCodes: [500, \"x\"]}\n"
	    "  timeout: {http: {requestTimeout: 10d}}\n"
	    "  connection: {bufferLimit: 1Gib}\n"
	    "  http2: {initialStreamWindowSize: 1.5}\n"
	    "  dns: null\n"
	    "  tcpKeepalive: \"\"\n"
	    "  useClientProtocol: \"true\"\n", &p), 0);
	CHECK(p.meta.labels.set && !p.meta.labels.valid);
	CHECK(p.target_refs_set);
	CHECK_INT(p.ntargets, 0);
	CHECK(p.load_balancer.type.set && !p.load_balancer.type.valid);
	CHECK_INT(p.load_balancer.type.v, -1);
	CHECK_STR(p.load_balancer.type.s, "7");
	CHECK(p.load_balancer.slow_start_window.set);
	CHECK(!p.load_balancer.slow_start_window.valid);
	CHECK(p.circuit_breaker.max_connections.set);
	CHECK(!p.circuit_breaker.max_connections.valid);
	CHECK(!p.circuit_breaker.max_pending_requests.valid);
	CHECK(p.health_check.active.set && !p.health_check.active.valid);
	CHECK(!p.health_check.active.type.seed);
	CHECK(!p.health_check.passive.interval.valid);
	CHECK(p.retry.num_retries.set && !p.retry.num_retries.valid);
	CHECK(p.retry.triggers.set && !p.retry.triggers.valid);
	CHECK_INT(p.retry.triggers.n, 0);
	CHECK(!p.retry.http_status_codes.valid);
	CHECK_INT(p.retry.http_status_codes.n, 2);
	CHECK(p.retry.http_status_codes.v[0].valid);
	CHECK(!p.retry.http_status_codes.v[1].valid);
	CHECK(!p.timeout.http_request_timeout.valid);
	CHECK_INT(p.timeout.http_request_timeout.loc.line, 12);
	CHECK(!p.connection.buffer_limit.valid);
	CHECK(!p.http2.initial_stream_window_size.valid);
	CHECK(p.dns.set && !p.dns.valid);
	CHECK(p.tcp_keepalive.set && !p.tcp_keepalive.valid);
	CHECK(p.use_client_protocol.set && !p.use_client_protocol.valid);
	done(&t, a);

	/* spec of the wrong shape, no spec, not a BTP */
	CHECK_INT(build(&t, &a, HEAD "metadata: {name: x}\nspec: [1]\n", &p), 0);
	CHECK(p.spec == NULL);
	CHECK(!p.load_balancer.set);
	done(&t, a);
	CHECK_INT(build(&t, &a, HEAD "metadata: {name: x}\n", &p), 0);
	CHECK_STR(p.meta.name, "x");
	CHECK_INT(p.ntargets, 0);
	done(&t, a);
	tload_text(&t, "g.yaml", "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: Gateway\nmetadata: {name: g}\n");
	a = arena_new();
	CHECK(t.os.n == 1);
	if (t.os.n == 1)
		CHECK_INT(policy_build(a, &t.os.v[0], &p, NULL), -1);
	CHECK_INT(policy_build(a, NULL, &p, NULL), -1);
	CHECK(p.obj == NULL);
	done(&t, a);
}

TEST(quantities_and_ints)
{
	struct tload t;
	struct arena *a;
	struct policy p;

	CHECK_INT(build(&t, &a, HEAD "metadata: {name: x}\nspec:\n"
	    "  connection: {bufferLimit: \"1.5Mi\", socketBufferLimit: 0x10}\n"
	    "  http2: {initialStreamWindowSize: \"65535\","
	    " initialConnectionWindowSize: 10M}\n"
	    "  circuitBreaker: {maxConnections: 4294967295}\n", &p), 0);
	CHECK_INT(p.connection.buffer_limit.bytes, 1572864);
	CHECK(p.connection.socket_buffer_limit.valid);
	CHECK_INT(p.connection.socket_buffer_limit.bytes, 16);
	CHECK_INT(pf_qty_or(&p.connection.buffer_limit, POLICY_DEF_BUFFER_LIMIT),
	    1572864);
	CHECK_INT(pf_int_or(&p.circuit_breaker.max_pending_requests,
	    POLICY_DEF_CB_MAX), 1024);
	CHECK_INT(pf_dur_or(&p.timeout.tcp_connect_timeout,
	    POLICY_DEF_CONNECT_TIMEOUT_NS), 10 * S);
	CHECK(pf_bool_or(&p.dns.respect_ttl, true));
	CHECK_INT(p.http2.initial_stream_window_size.bytes, 65535);
	CHECK_INT(p.http2.initial_connection_window_size.bytes, 10000000);
	CHECK_INT(p.circuit_breaker.max_connections.v, INT64_C(4294967295));
	done(&t, a);
}

TEST(timestamps)
{
	int64_t s;

	CHECK(policy_parse_time("1970-01-01T00:00:00Z", &s));
	CHECK_INT(s, 0);
	CHECK(policy_parse_time("2024-02-29T12:00:01Z", &s));
	CHECK_INT(s, 1709208001);
	CHECK(policy_parse_time("2024-02-29T12:00:01.123456Z", &s));
	CHECK_INT(s, 1709208001);
	CHECK(policy_parse_time("2024-02-29T14:00:01+02:00", &s));
	CHECK_INT(s, 1709208001);
	CHECK(policy_parse_time("2024-02-29T10:30:01-01:30", &s));
	CHECK_INT(s, 1709208001);
	CHECK(policy_parse_time("1969-12-31T23:59:59Z", &s));
	CHECK_INT(s, -1);
	CHECK(!policy_parse_time("2023-02-29T00:00:00Z", &s));
	CHECK(!policy_parse_time("2024-13-01T00:00:00Z", &s));
	CHECK(!policy_parse_time("2024-01-01", &s));
	CHECK(!policy_parse_time("2024-01-01T00:00:00", &s));
	CHECK(!policy_parse_time("2024-01-01T00:00:00.Z", &s));
	CHECK(!policy_parse_time("2024-01-01T25:00:00Z", &s));
	CHECK(!policy_parse_time("2024-01-01T00:00:00+0200", &s));
	CHECK(!policy_parse_time("yesterday at noon, roughly", &s));
	CHECK(!policy_parse_time(NULL, &s));
}

/* Build every BTP under dir; returns how many were built. */
static size_t
build_dir(const char *dir, size_t *with_seed, size_t *targets)
{
	struct tload t;
	struct arena *a = arena_new();
	struct policy p;
	size_t i, n = 0;

	*with_seed = *targets = 0;
	CHECK_INT(tload_file(&t, dir), 0);
	for (i = 0; i < t.os.n; i++) {
		if (t.os.v[i].type != OBJ_BTP)
			continue;
		CHECK_INT(policy_build(a, &t.os.v[i], &p, NULL), 0);
		CHECK(p.obj == &t.os.v[i]);
		n++;
		if (p.nseed_used > 0)
			(*with_seed)++;
		*targets += p.ntargets + p.nselectors;
	}
	done(&t, a);
	return n;
}

TEST(realworld)
{
	size_t seed, targets;

	/* the 83 files hold 89 documents of kind BackendTrafficPolicy */
	CHECK_INT(build_dir("testdata/realworld", &seed, &targets), 89);
	/* real manifests do not use the description's spellings */
	CHECK_INT(seed, 0);
	CHECK(targets >= 89);
}

TEST(upstream_e2e)
{
	size_t seed, targets;

	/* 12 BackendTrafficPolicy documents (one more mention is a ReferenceGrant's) */
	CHECK_INT(build_dir("testdata/upstream/e2e", &seed, &targets), 12);
	CHECK_INT(seed, 0);
	CHECK(targets >= 12);
}

int
main(void)
{
	RUN(metadata_and_targets);
	RUN(load_balancer);
	RUN(circuit_breaker_and_health);
	RUN(retry_timeout_connection);
	RUN(seed_spellings);
	RUN(upstream_wins);
	RUN(wrong_types);
	RUN(quantities_and_ints);
	RUN(timestamps);
	RUN(realworld);
	RUN(upstream_e2e);
	return unit_done("policy");
}
