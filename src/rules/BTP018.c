/*
 * BTP018 deprecated-target-ref: spec.targetRef is deprecated in favour of
 * spec.targetRefs.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct node *ref = lint_spec(ctx, "targetRef");
	const char *kind, *name;

	if (ref == NULL)
		return;
	kind = node_get_str(ref, "kind");
	name = node_get_str(ref, "name");
	lint_report(ctx, lint_where(ctx, "targetRef"), "spec.targetRef",
	    "spec.targetRef is deprecated (Envoy Gateway sets a DeprecatedField warning "
	    "and ignores targetRefs while it is set); write it as a one-item list: "
	    "targetRefs: [{group: gateway.networking.k8s.io, kind: %s, name: %s}]",
	    kind ? kind : "...", name ? name : "...");
}

const struct lint_rule rule_BTP018 = {
	"BTP018", "deprecated-target-ref", SEV_WARNING, FAMILY_DEPRECATED,
	"spec.targetRef is deprecated; use spec.targetRefs",
	"The singular targetRef is kept for compatibility only.  Envoy Gateway reports "
	"a Warning/DeprecatedField condition on policies that use it, and while it is "
	"set the translator ignores targetRefs altogether, which surprises anyone who "
	"adds a second target to the list.",
	"Replace `targetRef: {group, kind, name}` with `targetRefs:` holding the same "
	"reference as its only item.",
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	EX_POLICY("api")
	"  targetRef:\n"
	"    group: gateway.networking.k8s.io\n"
	"    kind: HTTPRoute\n"
	"    name: api\n"
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	7,
	check,
	false,
};
