/*
 * BTP031 target-in-other-namespace: targetRefs are local references; an
 * object of that name in another namespace is never the target.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	const struct eff_fact *const *f;
	const char *ns = object_ns(ctx->obj), *other;
	size_t n = lint_targets(ctx, &t), i;

	for (i = 0; i < n; i++) {
		if (t[i].selector || (other = lint_ref_namespace(t[i].at, ns)) == NULL)
			continue;
		lint_report(ctx, lint_key(t[i].at, "namespace"), t[i].path,
		    "a target reference has no namespace: it always means namespace "
		    "%s, not %s, so this target is ignored; create the policy in "
		    "namespace %s instead", ns, other, other);
	}
	n = lint_facts(ctx, &f);
	for (i = 0; i < n; i++) {
		if (f[i]->kind != EFF_FACT_TARGET_OTHER_NS || f[i]->target == NULL ||
		    lint_ref_namespace(f[i]->at, ns) != NULL)
			continue;
		other = object_ns(f[i]->target);
		lint_report(ctx, f[i]->at, lint_ref_path(ctx, f[i]->at),
		    "%s %s exists only in namespace %s, but targetRefs always name objects in "
		    "the policy's namespace %s, so Envoy Gateway ignores this target; create "
		    "the policy in namespace %s, or select the target with targetSelectors "
		    "and namespaces (with a ReferenceGrant)", f[i]->target_kind,
		    f[i]->target_name, other, ns, other);
	}
}

const struct lint_rule rule_BTP031 = {
	"BTP031", "target-in-other-namespace", SEV_WARNING, FAMILY_CROSS_OBJECT,
	"The target exists only in another namespace",
	"targetRef and targetRefs are local references: the target is always looked "
	"up in the policy's own namespace (older documentation showed a namespace "
	"field, which does not exist).  A policy in namespace a that names a route of "
	"namespace b is ignored silently.  Only targetSelectors with namespaces and a "
	"ReferenceGrant can reach across namespaces.",
	"Move the policy to the target's namespace.",
	EX_ROUTE("v1", "HTTPRoute", "api")
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	EX_ROUTE("v1", "HTTPRoute", "api")
	"apiVersion: gateway.envoyproxy.io/v1alpha1\n"
	"kind: BackendTrafficPolicy\n"
	"metadata:\n"
	"  name: api\n"
	"  namespace: infra\n"
	"spec:\n"
	"  targetRefs:\n"
	"  - group: gateway.networking.k8s.io\n"
	"    kind: HTTPRoute\n"
	"    name: api\n"
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	19,
	check,
	false,
};
