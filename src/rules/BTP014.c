/*
 * BTP014 max-ejection-percent-too-low: Envoy ejects a host only while
 * 100 * (ejected + 1) / hosts <= maxEjectionPercent, so small clusters
 * never eject anything (envoy-semantics §8.3).
 */
#include <inttypes.h>

#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct ppassive_hc *p = &ctx->pol->health_check.passive;
	int64_t pct, need;

	if (!p->set || p->node == NULL || p->node->kind != NODE_MAP)
		return;
	if (p->always_eject_one_endpoint.valid && p->always_eject_one_endpoint.v)
		return;
	if (p->max_ejection_percent.set && !p->max_ejection_percent.valid)
		return;
	pct = pf_int_or(&p->max_ejection_percent, POLICY_DEF_OD_MAX_EJECT_PCT);
	if (pct >= 50 || pct < 0)
		return;
	if (pct == 0) {
		lint_report(ctx, p->max_ejection_percent.node,
		    "spec.healthCheck.passive.maxEjectionPercent",
		    "maxEjectionPercent is 0, so outlier detection never ejects an endpoint; "
		    "raise it (50 is a common choice) or remove the passive health check");
		return;
	}
	need = (100 + pct - 1) / pct;
	lint_report(ctx, p->max_ejection_percent.set ? p->max_ejection_percent.node :
	    lint_where(ctx, "healthCheck.passive"),
	    "spec.healthCheck.passive.maxEjectionPercent",
	    "maxEjectionPercent %" PRId64 "%s lets Envoy eject an endpoint only when the "
	    "backend has at least %" PRId64 " endpoints, so smaller backends never eject a "
	    "failing one; raise maxEjectionPercent (e.g. 50) or set alwaysEjectOneEndpoint: true",
	    pct, p->max_ejection_percent.set ? "" : " (the default)", need);
}

const struct lint_rule rule_BTP014 = {
	"BTP014", "max-ejection-percent-too-low", SEV_WARNING, FAMILY_CONSISTENCY,
	"maxEjectionPercent too low for outlier detection to eject in small backends",
	"Before ejecting a host, Envoy checks 100 x (ejected + 1) / hosts <= "
	"maxEjectionPercent.  With the default of 10 percent a backend needs at least 10 "
	"endpoints before even one can be ejected; with 3 replicas passive health "
	"checking counts errors but never acts.  In general a backend with fewer than "
	"100/p endpoints ejects nothing.",
	"Raise spec.healthCheck.passive.maxEjectionPercent (50 ejects one of two "
	"endpoints) or set alwaysEjectOneEndpoint: true.",
	EX_HEAD
	"  healthCheck:\n"
	"    passive:\n"
	"      consecutive5XxErrors: 5\n"
	"      maxEjectionPercent: 50\n",
	EX_HEAD
	"  healthCheck:\n"
	"    passive:\n"
	"      consecutive5XxErrors: 5\n"
	"      maxEjectionPercent: 10\n",
	14,
	check,
	false,
};
