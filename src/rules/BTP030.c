/*
 * BTP030 target-not-found: Envoy Gateway silently ignores a targetRef
 * whose object does not exist.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	size_t n = lint_targets(ctx, &t), i;
	const char *ns = object_ns(ctx->obj);

	for (i = 0; i < n; i++) {
		if (t[i].selector || !lint_index_has_kind(ctx->ix, t[i].kind))
			continue;	/* nothing of that kind loaded: cannot tell */
		if (lint_index_find(ctx->ix, t[i].kind, ns, t[i].name) != NULL ||
		    lint_index_find_elsewhere(ctx->ix, t[i].kind, ns, t[i].name) != NULL)
			continue;	/* found, or BTP031 */
		lint_report(ctx, t[i].at, t[i].path,
		    "%s %s/%s is not in the inputs, and Envoy Gateway ignores a target it "
		    "cannot find without any status; fix the name or add the %s",
		    t[i].kind, ns, t[i].name, t[i].kind);
	}
}

const struct lint_rule rule_BTP030 = {
	"BTP030", "target-not-found", SEV_WARNING, FAMILY_CROSS_OBJECT,
	"The policy targets an object that does not exist",
	"A targetRef names an object in the policy's own namespace.  When no such "
	"object exists, Envoy Gateway skips the reference without writing any status "
	"condition, so a typo leaves the route unprotected and nothing tells you.  "
	"btpctl checks references against the Gateway API objects given as inputs, and "
	"only for kinds of which at least one object was given.",
	"Correct the kind or name in targetRefs, or include the target's manifest in "
	"the inputs.",
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: HTTPRoute\n"
	"metadata:\n"
	"  name: api\n"
	"  namespace: shop\n"
	"spec:\n"
	"  rules:\n"
	"  - backendRefs:\n"
	"    - name: api\n"
	"      port: 8080\n"
	"---\n"
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: HTTPRoute\n"
	"metadata:\n"
	"  name: api-v2\n"
	"  namespace: shop\n"
	"spec:\n"
	"  rules:\n"
	"  - backendRefs:\n"
	"    - name: api\n"
	"      port: 8080\n"
	"---\n"
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	19,
	check,
};
