/*
 * effective_defaults.c: Envoy Gateway's defaults for unset fields
 * (docs/upstream-api.md d), filled into an effective spec as synthesized
 * nodes (no location), so provenance shows them as defaults.  Only fields
 * the route kind uses are filled; block defaults (circuitBreaker,
 * healthCheck.active, ...) only when the block is present.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "effective_int.h"

enum when {
	ALWAYS,		/* every route */
	HTTP_ONLY,	/* HTTP/GRPC routes */
	IF_PARENT,	/* when the parent map exists */
};

struct dflt {
	const char	*path;		/* dotted, under spec */
	const char	*parent;	/* IF_PARENT: the block that must be set */
	const char	*value;		/* scalar text; "[...]" a list of them */
	enum when	 when;
	bool		 l4;		/* TCP/TLS routes use it too */
	bool		 udp;		/* UDP routes use it too */
};

static const struct dflt table[] = {
	{ "loadBalancer.type", "loadBalancer",
	  "LeastRequest", ALWAYS, true, true },
	{ "loadBalancer.consistentHash.tableSize", "loadBalancer.consistentHash",
	  "65537", IF_PARENT, true, true },
	{ "circuitBreaker.maxConnections", "circuitBreaker",
	  "1024", IF_PARENT, true, false },
	{ "circuitBreaker.maxPendingRequests", "circuitBreaker",
	  "1024", IF_PARENT, true, false },
	{ "circuitBreaker.maxParallelRequests", "circuitBreaker",
	  "1024", IF_PARENT, true, false },
	{ "circuitBreaker.maxParallelRetries", "circuitBreaker",
	  "1024", IF_PARENT, true, false },
	{ "healthCheck.panicThreshold", "healthCheck",
	  "50", ALWAYS, true, false },
	{ "healthCheck.active.timeout", "healthCheck.active",
	  "1s", IF_PARENT, true, false },
	{ "healthCheck.active.interval", "healthCheck.active",
	  "3s", IF_PARENT, true, false },
	{ "healthCheck.active.unhealthyThreshold", "healthCheck.active",
	  "3", IF_PARENT, true, false },
	{ "healthCheck.active.healthyThreshold", "healthCheck.active",
	  "1", IF_PARENT, true, false },
	{ "healthCheck.active.http.method", "healthCheck.active",
	  "GET", IF_PARENT, true, false },
	{ "healthCheck.active.http.expectedStatuses", "healthCheck.active",
	  "[200]", IF_PARENT, true, false },
	{ "healthCheck.passive.interval", "healthCheck.passive",
	  "3s", IF_PARENT, true, false },
	{ "healthCheck.passive.baseEjectionTime", "healthCheck.passive",
	  "30s", IF_PARENT, true, false },
	{ "healthCheck.passive.maxEjectionPercent", "healthCheck.passive",
	  "10", IF_PARENT, true, false },
	{ "healthCheck.passive.consecutive5XxErrors", "healthCheck.passive",
	  "5", IF_PARENT, true, false },
	{ "healthCheck.passive.consecutiveLocalOriginFailures", "healthCheck.passive",
	  "5", IF_PARENT, true, false },
	{ "healthCheck.passive.splitExternalLocalOriginErrors", "healthCheck.passive",
	  "false", IF_PARENT, true, false },
	{ "tcpKeepalive.probes", "tcpKeepalive", "9", IF_PARENT, true, false },
	{ "tcpKeepalive.idleTime", "tcpKeepalive",
	  "7200s", IF_PARENT, true, false },
	{ "tcpKeepalive.interval", "tcpKeepalive",
	  "75s", IF_PARENT, true, false },
	{ "timeout.tcp.connectTimeout", "timeout.tcp",
	  "10s", ALWAYS, true, false },
	{ "timeout.http.connectionIdleTimeout", "timeout.http",
	  "1h", HTTP_ONLY, false, false },
	{ "connection.bufferLimit", "connection",
	  "32768", ALWAYS, true, false },
	{ "http2.initialStreamWindowSize", "http2",
	  "65536", HTTP_ONLY, false, false },
	{ "http2.initialConnectionWindowSize", "http2",
	  "1048576", HTTP_ONLY, false, false },
	{ "http2.onInvalidMessage", "http2",
	  "TerminateConnection", HTTP_ONLY, false, false },
	{ "retry.numRetries", "retry", "2", IF_PARENT, false, false },
	{ "retry.retryOn.triggers", "retry", "[connect-failure,refused-stream,unavailable,"
	  "cancelled,retriable-status-codes]", IF_PARENT, false, false },
	{ "retry.retryOn.httpStatusCodes", "retry",
	  "[503]", IF_PARENT, false, false },
	{ "dns.dnsRefreshRate", "dns", "30s", ALWAYS, true, true },
	{ "dns.respectDnsTtl", "dns", "true", ALWAYS, true, true },
	{ "faultInjection.abort.percentage", "faultInjection.abort",
	  "100", IF_PARENT, false, false },
	{ "faultInjection.delay.percentage", "faultInjection.delay",
	  "100", IF_PARENT, false, false },
	{ "useClientProtocol", "", "false", HTTP_ONLY, false, false },
};

static struct node *
scalar(struct arena *a, const char *v)
{
	struct node *n;

	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
		return node_new_bool(a, v[0] == 't');
	if (v[0] >= '0' && v[0] <= '9' && v[strspn(v, "0123456789")] == '\0')
		return node_new_int(a, (int64_t)strtoll(v, NULL, 10));
	n = node_new_string(a, v);
	return n;
}

static struct node *
value(struct arena *a, const char *v)
{
	struct node *seq;
	const char *p, *e;

	if (v[0] != '[')
		return scalar(a, v);
	seq = node_new(a, NODE_SEQ);
	for (p = v + 1; *p != ']' && *p != '\0'; p = *e == ',' ? e + 1 : e) {
		e = p + strcspn(p, ",]");
		node_seq_push(a, seq, scalar(a, arena_strndup(a, p, (size_t)(e - p))));
	}
	return seq;
}

/*
 * The map at path's parent in spec, made private (copied) on the way so
 * the policies' own trees are never changed; NULL when a parent is
 * missing and create is false.
 */
static struct node *
parent_map(struct arena *a, struct node *spec, const char *path, bool create,
    const char **leaf)
{
	struct node *cur = spec, *next, *copy;
	const char *p = path, *dot;
	char *key;
	size_t i, j;

	while ((dot = strchr(p, '.')) != NULL) {
		key = arena_strndup(a, p, (size_t)(dot - p));
		next = NULL;
		for (i = 0; i < cur->n; i++)
			if (strcmp(cur->pairs[i].key->str, key) == 0)
				break;
		if (i < cur->n)
			next = cur->pairs[i].val;
		if (next == NULL) {
			if (!create)
				return NULL;
			next = node_new(a, NODE_MAP);
			node_map_set(a, cur, key, next);
			i = cur->n - 1;
		} else if (next->kind != NODE_MAP)
			return NULL;
		else if (next->loc.src != NULL) {
			/* a policy's map: copy it before adding to it */
			copy = node_new(a, NODE_MAP);
			copy->loc = next->loc;
			copy->loc.src = NULL;
			for (j = 0; j < next->n; j++)
				node_map_set(a, copy, next->pairs[j].key->str,
				    next->pairs[j].val);
			cur->pairs[i].val = copy;
			next = copy;
		}
		cur = next;
		p = dot + 1;
	}
	*leaf = p;
	return cur;
}

void
eff_fill_defaults(struct arena *a, struct node *spec, bool http, bool udp)
{
	const struct dflt *d;
	struct node *m;
	const char *leaf;
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		d = &table[i];
		if (!http && !(udp ? d->udp : d->l4))
			continue;
		if (d->when == HTTP_ONLY && !http)
			continue;
		if (d->when == IF_PARENT) {
			if (node_path(spec, d->parent) == NULL ||
			    node_path(spec, d->parent)->kind != NODE_MAP)
				continue;
			/* http.* of an active check only for HTTP checks */
			if (strncmp(d->path, "healthCheck.active.http.", 24) == 0) {
				const char *t = node_get_str(node_path(spec,
				    "healthCheck.active"), "type");

				if (t == NULL || strcmp(t, "HTTP") != 0)
					continue;
			}
			if (strncmp(d->path, "retry.retryOn.", 14) == 0 &&
			    node_path(spec, "retry.retryOn") != NULL)
				continue;
		}
		if (node_path(spec, d->path) != NULL)
			continue;
		if ((m = parent_map(a, spec, d->path, true, &leaf)) == NULL)
			continue;
		if (node_get(m, leaf) == NULL)
			node_map_set(a, m, leaf, value(a, d->value));
	}
}
