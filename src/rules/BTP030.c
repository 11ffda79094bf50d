/*
 * BTP030 target-not-found: Envoy Gateway silently ignores a targetRef
 * whose object does not exist.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct eff_fact *const *f;
	size_t n = lint_facts(ctx, &f), i;

	for (i = 0; i < n; i++) {
		if (f[i]->kind != EFF_FACT_TARGET_NOT_FOUND ||
		    !lint_kind_loaded(ctx, f[i]->target_kind))
			continue;	/* nothing of that kind loaded: cannot tell */
		if (lint_ref_namespace(f[i]->at, object_ns(ctx->obj)) != NULL)
			continue;	/* BTP031 says why */
		lint_report(ctx, f[i]->at, lint_ref_path(ctx, f[i]->at),
		    "%s %s/%s is not in the inputs, and Envoy Gateway ignores a target it "
		    "cannot find without any status; fix the name or add the %s",
		    f[i]->target_kind, f[i]->target_ns, f[i]->target_name,
		    f[i]->target_kind);
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
	EX_ROUTE("v1", "HTTPRoute", "api")
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
	false,
};
