/*
 * BTP036 http-fields-on-l4-route: HTTP-only settings on a policy whose
 * targets are all TCP, TLS or UDP routes have no effect.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct eff_policy *p = lint_eff_policy(ctx);
	const struct eff_fact *const *f;
	const struct node *k;
	size_t n, i;
	bool udp = true;
	enum obj_type ty;

	if (p == NULL || p->ntargets == 0)
		return;
	for (i = 0; i < p->ntargets; i++) {
		ty = p->targets[i].obj->type;
		if (ty != OBJ_TCPROUTE && ty != OBJ_TLSROUTE && ty != OBJ_UDPROUTE)
			return;		/* the fields apply to the HTTP targets */
		if (ty != OBJ_UDPROUTE)
			udp = false;
	}
	n = lint_facts(ctx, &f);
	for (i = 0; i < n; i++)
		if (f[i]->kind == EFF_FACT_HTTP_ONLY_ON_L4)
			lint_report(ctx, f[i]->at, f[i]->path,
			    "%s has no effect: this policy only targets %s routes and %s; "
			    "remove it or move it to a policy for HTTP or gRPC routes",
			    f[i]->path + (str_has_prefix(f[i]->path, "spec.") ? 5 : 0),
			    udp ? "UDP" : "TCP/TLS", udp ?
			    "UDP routes take only loadBalancer and dns" :
			    "TCP and TLS routes take no HTTP settings");
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
	EX_ROUTE("v1alpha2", "TCPRoute", "db")
	EX_POLICY("db")
	EX_TARGET("TCPRoute", "db")
	"  timeout:\n"
	"    tcp:\n"
	"      connectTimeout: 2s\n",
	EX_ROUTE("v1alpha2", "TCPRoute", "db")
	EX_POLICY("db")
	EX_TARGET("TCPRoute", "db")
	"  timeout:\n"
	"    tcp:\n"
	"      connectTimeout: 2s\n"
	"  retry:\n"
	"    numRetries: 2\n",
	25,
	check,
	false,
};
