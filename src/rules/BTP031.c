/*
 * BTP031 target-in-other-namespace: targetRefs are local references; an
 * object of that name in another namespace is never the target.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	const struct object *o;
	const struct node *nsn;
	size_t n = lint_targets(ctx, &t), i;
	const char *ns = object_ns(ctx->obj);

	for (i = 0; i < n; i++) {
		if (t[i].selector)
			continue;
		nsn = node_get(t[i].at, "namespace");
		if (nsn != NULL && nsn->kind == NODE_STRING && strcmp(nsn->str, ns) != 0) {
			lint_report(ctx, lint_key(t[i].at, "namespace"), t[i].path,
			    "a target reference has no namespace: it always means namespace "
			    "%s, not %s, so this target is ignored; create the policy in "
			    "namespace %s instead", ns, nsn->str, nsn->str);
			continue;
		}
		if (lint_index_find(ctx->ix, t[i].kind, ns, t[i].name) != NULL ||
		    (o = lint_index_find_elsewhere(ctx->ix, t[i].kind, ns, t[i].name)) == NULL)
			continue;
		lint_report(ctx, t[i].at, t[i].path,
		    "%s %s exists only in namespace %s, but targetRefs always name objects in "
		    "the policy's namespace %s, so Envoy Gateway ignores this target; create "
		    "the policy in namespace %s", t[i].kind, t[i].name, object_ns(o), ns,
		    object_ns(o));
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
	"  name: api\n"
	"  namespace: shop\n"
	"spec:\n"
	"  rules:\n"
	"  - backendRefs:\n"
	"    - name: api\n"
	"      port: 8080\n"
	"---\n"
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
};
