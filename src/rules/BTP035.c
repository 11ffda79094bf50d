/*
 * BTP035 route-policy-hides-gateway-policy: a route-level policy replaces
 * the Gateway-level policy as a whole for that route unless it sets
 * mergeType, so the Gateway's other settings disappear there.
 */
#include "lint.h"

static const char *const ignored[] = { "targetRef", "targetRefs", "targetSelectors",
    "mergeType", NULL };

static bool
ignored_key(const char *k)
{
	size_t i;

	for (i = 0; ignored[i] != NULL; i++)
		if (strcmp(ignored[i], k) == 0)
			return true;
	return false;
}

/* Top-level fields the gateway policy sets and the route policy does not. */
static void
hidden_fields(const struct node *gw, const struct node *route, struct strbuf *sb)
{
	size_t i;
	const char *k;

	if (gw == NULL || gw->kind != NODE_MAP)
		return;
	for (i = 0; i < gw->n; i++) {
		k = gw->pairs[i].key->str;
		if (ignored_key(k) || node_get(route, k) != NULL)
			continue;
		sb_printf(sb, "%s%s", sb->len ? ", " : "", k);
	}
}

static void
check_route(struct lint_ctx *ctx, const struct lint_target *t, const struct object *route)
{
	const struct node *prefs = node_get(route->spec, "parentRefs"), *pr;
	const struct lint_scope_entry *e;
	const char *gns, *gname, *kind;
	struct strbuf sb;
	size_t i;

	if (prefs == NULL || prefs->kind != NODE_SEQ)
		return;
	for (i = 0; i < prefs->n; i++) {
		pr = prefs->items[i];
		kind = node_get_str(pr, "kind");
		if (kind != NULL && strcmp(kind, "Gateway") != 0)
			continue;
		if ((gname = node_get_str(pr, "name")) == NULL)
			continue;
		gns = node_get_str(pr, "namespace");
		if (gns == NULL)
			gns = object_ns(route);
		if (lint_gateway_policies(ctx, gns, gname, &e) == 0 || e[0].policy == ctx->obj)
			continue;
		sb_init(&sb);
		hidden_fields(e[0].policy->spec, ctx->obj->spec, &sb);
		if (sb.len > 0)
			lint_report(ctx, t->at, t->path,
			    "for %s %s this policy replaces the Gateway policy %s/%s as a whole, "
			    "so the route loses its %s; set them here too, or set "
			    "mergeType: StrategicMerge to layer this policy over the Gateway's",
			    t->kind, t->name, object_ns(e[0].policy), e[0].policy->name, sb.buf);
		sb_release(&sb);
	}
}

static void
check(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	const struct object *route;
	size_t n = lint_targets(ctx, &t), i;

	if (lint_spec(ctx, "mergeType") != NULL)
		return;
	for (i = 0; i < n; i++) {
		if (t[i].selector || (strcmp(t[i].kind, "HTTPRoute") != 0 &&
		    strcmp(t[i].kind, "GRPCRoute") != 0))
			continue;
		if ((route = lint_index_find(ctx->ix, t[i].kind, object_ns(ctx->obj),
		    t[i].name)) != NULL)
			check_route(ctx, &t[i], route);
	}
}

const struct lint_rule rule_BTP035 = {
	"BTP035", "route-policy-hides-gateway-policy", SEV_WARNING, FAMILY_CROSS_OBJECT,
	"A route policy without mergeType hides the Gateway policy's other settings",
	"For HTTP and gRPC routes Envoy Gateway does not merge policies field by field: "
	"the most specific policy wins as a whole.  A route-level policy that only sets "
	"a timeout therefore removes the Gateway-level health check, circuit breaker and "
	"retries from that route.  Only with mergeType is the route policy layered over "
	"the Gateway's.",
	"Repeat the Gateway policy's settings in the route policy, or set "
	"mergeType: StrategicMerge (or JSONMerge) on the route policy.",
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: HTTPRoute\n"
	"metadata:\n"
	"  name: api\n"
	"  namespace: shop\n"
	"spec:\n"
	"  parentRefs:\n"
	"  - name: edge\n"
	"---\n"
	EX_POLICY("edge-defaults")
	EX_TARGET("Gateway", "edge")
	"  healthCheck:\n"
	"    passive:\n"
	"      consecutive5XxErrors: 5\n"
	"---\n"
	EX_HEAD
	"  mergeType: StrategicMerge\n"
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: HTTPRoute\n"
	"metadata:\n"
	"  name: api\n"
	"  namespace: shop\n"
	"spec:\n"
	"  parentRefs:\n"
	"  - name: edge\n"
	"---\n"
	EX_POLICY("edge-defaults")
	EX_TARGET("Gateway", "edge")
	"  healthCheck:\n"
	"    passive:\n"
	"      consecutive5XxErrors: 5\n"
	"---\n"
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	31,
	check,
};
