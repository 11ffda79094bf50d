/*
 * BTP035 route-policy-hides-gateway-policy: a route-level policy replaces
 * the Gateway-level policy as a whole for that route unless it sets
 * mergeType, so the Gateway's other settings disappear there.
 */
#include "lint.h"

/* The policy's first route or route-rule target, or NULL. */
static const struct eff_target *
route_target(const struct eff_policy *p)
{
	size_t i;

	for (i = 0; p != NULL && i < p->ntargets; i++)
		if (p->targets[i].scope == EFF_SCOPE_ROUTE ||
		    p->targets[i].scope == EFF_SCOPE_RULE)
			return &p->targets[i];
	return NULL;
}

static void
check(struct lint_ctx *ctx)
{
	const struct eff_fact *const *f;
	const struct eff_target *t = route_target(lint_eff_policy(ctx));
	const struct eff_policy *d;
	size_t n = lint_facts(ctx, &f), i, j;
	struct strbuf sb;

	if (t == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (f[i]->kind != EFF_FACT_HIDDEN_FIELDS || (d = f[i]->other) == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (f[j]->kind == EFF_FACT_HIDDEN_FIELDS && f[j]->other == d)
				break;
		if (j < i)
			continue;	/* listed with the first fact about d */
		sb_init(&sb);
		for (j = i; j < n; j++)
			if (f[j]->kind == EFF_FACT_HIDDEN_FIELDS && f[j]->other == d)
				sb_printf(&sb, "%s%s", sb.len ? ", " : "",
				    str_has_prefix(f[j]->path, "spec.") ? f[j]->path + 5 :
				    f[j]->path);
		lint_report(ctx, t->ref, lint_ref_path(ctx, t->ref),
		    "for %s %s/%s this policy replaces the %s policy %s/%s as a whole, "
		    "so the route loses its %s; set them here too, or set "
		    "mergeType: StrategicMerge to layer this policy over it",
		    obj_type_kind(t->obj->type), object_ns(t->obj), t->obj->name,
		    d->ntargets > 0 ? eff_scope_name(d->targets[0].scope) : "less specific",
		    object_ns(d->obj), d->obj->name, sb.buf);
		sb_release(&sb);
	}
}

/*
 * Both examples: Gateway shop/edge whose policy sets a passive health
 * check, route shop/api on it, and the head of the route policy.
 */
#define ESTATE \
	EX_GATEWAY \
	"apiVersion: gateway.networking.k8s.io/v1\n" \
	"kind: HTTPRoute\n" \
	"metadata:\n" \
	"  name: api\n" \
	"  namespace: shop\n" \
	"spec:\n" \
	"  parentRefs:\n" \
	"  - name: edge\n" \
	"---\n" \
	EX_POLICY("edge-defaults") \
	EX_TARGET("Gateway", "edge") \
	"  healthCheck:\n" \
	"    passive:\n" \
	"      consecutive5XxErrors: 5\n" \
	"---\n" \
	EX_HEAD

const struct lint_rule rule_BTP035 = {
	"BTP035", "route-policy-hides-gateway-policy", SEV_WARNING, FAMILY_CROSS_OBJECT,
	"A route policy without mergeType hides the Gateway policy's other settings",
	"For HTTP and gRPC routes Envoy Gateway does not merge policies field by field: "
	"the most specific policy wins as a whole.  A route-level policy that only sets "
	"a timeout therefore removes the Gateway-level health check, circuit breaker and "
	"retries from that route.  Only with mergeType is the route policy layered over "
	"the Gateway's.  btpctl finds this through the routes' attachments, so the "
	"Gateway must be among the inputs.",
	"Repeat the Gateway policy's settings in the route policy, or set "
	"mergeType: StrategicMerge (or JSONMerge) on the route policy.",
	ESTATE
	"  mergeType: StrategicMerge\n"
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	ESTATE
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	43,
	check,
	false,
};
