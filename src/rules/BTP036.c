/*
 * BTP036 http-fields-on-l4-route: HTTP-only settings on a policy whose
 * targets are all TCP, TLS or UDP routes have no effect.
 */
#include "lint.h"

static const char *const http_only[] = { "retry", "rateLimit", "faultInjection",
    "responseOverride", "compression", "compressor", "httpUpgrade", "http2",
    "requestBuffer", "useClientProtocol", "telemetry", "admissionControl", NULL };
static const char *const udp_kept[] = { "loadBalancer", "dns", "targetRef", "targetRefs",
    "targetSelectors", "mergeType", NULL };

static bool
listed(const char *s, const char *const *l)
{
	for (; *l != NULL; l++)
		if (strcmp(s, *l) == 0)
			return true;
	return false;
}

static void
check(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	const struct node *spec = ctx->obj->spec, *k;
	size_t n = lint_targets(ctx, &t), i;
	bool udp = true;
	char path[80];
	const char *key, *what;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		if (!lint_kind_is_l4(t[i].kind))
			return;
		if (strcmp(t[i].kind, "UDPRoute") != 0)
			udp = false;
	}
	what = udp ? "UDP routes take only loadBalancer and dns" :
	    "TCP and TLS routes take no HTTP settings";
	for (i = 0; i < spec->n; i++) {
		key = spec->pairs[i].key->str;
		if (udp ? listed(key, udp_kept) : !listed(key, http_only))
			continue;
		snprintf(path, sizeof(path), "spec.%s", key);
		lint_report(ctx, spec->pairs[i].key, path,
		    "%s has no effect: this policy only targets %s routes and %s; remove it "
		    "or move it to a policy for HTTP or gRPC routes", key,
		    udp ? "UDP" : "TCP/TLS", what);
	}
	if (!udp && (k = lint_where(ctx, "timeout.http")) != NULL &&
	    lint_spec(ctx, "timeout.http") != NULL)
		lint_report(ctx, k, "spec.timeout.http",
		    "timeout.http has no effect: this policy only targets TCP/TLS routes, "
		    "which use timeout.tcp only; remove it");
}

const struct lint_rule rule_BTP036 = {
	"BTP036", "http-fields-on-l4-route", SEV_WARNING, FAMILY_CROSS_OBJECT,
	"HTTP-only settings on a policy that only targets TCP, TLS or UDP routes",
	"Envoy Gateway applies loadBalancer, proxyProtocol, healthCheck, circuitBreaker, "
	"tcpKeepalive, timeout.tcp and dns to TCP and TLS routes; retries, rate limits, "
	"fault injection, response overrides, compression, HTTP upgrades, HTTP/2 "
	"settings, request buffering and the other HTTP features are ignored there.  "
	"UDP routes take only loadBalancer and dns.  The policy is accepted, so the "
	"settings look active but do nothing.",
	"Remove the settings, or move them to a policy that targets HTTP or gRPC routes.",
	EX_POLICY("db")
	EX_TARGET("TCPRoute", "db")
	"  timeout:\n"
	"    tcp:\n"
	"      connectTimeout: 2s\n",
	EX_POLICY("db")
	EX_TARGET("TCPRoute", "db")
	"  timeout:\n"
	"    tcp:\n"
	"      connectTimeout: 2s\n"
	"  retry:\n"
	"    numRetries: 2\n",
	14,
	check,
};
