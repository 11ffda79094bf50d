/*
 * BTP021 target-selector-selects-all: a targetSelectors entry without
 * labels selects every object of its kind in the namespace.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct node *sels = lint_spec(ctx, "targetSelectors"), *s, *ml, *me;
	const char *kind;
	char path[64];
	size_t i;

	if (sels == NULL || sels->kind != NODE_SEQ)
		return;
	for (i = 0; i < sels->n; i++) {
		s = sels->items[i];
		if (s->kind != NODE_MAP)
			continue;
		ml = node_get(s, "matchLabels");
		me = node_get(s, "matchExpressions");
		if ((ml != NULL && ml->kind == NODE_MAP && ml->n > 0) ||
		    (me != NULL && me->kind == NODE_SEQ && me->n > 0))
			continue;
		kind = node_get_str(s, "kind");
		snprintf(path, sizeof(path), "spec.targetSelectors[%zu]", i);
		lint_report(ctx, s, path,
		    "this selector has no matchLabels or matchExpressions, so it selects "
		    "every %s in the namespace, including ones added later; add matchLabels "
		    "or name the targets in targetRefs", kind ? kind : "object");
	}
}

const struct lint_rule rule_BTP021 = {
	"BTP021", "target-selector-selects-all", SEV_INFO, FAMILY_CONSISTENCY,
	"A targetSelectors entry without labels selects every object of its kind",
	"A label selector with neither matchLabels nor matchExpressions matches "
	"everything.  A policy meant for the one Gateway in a namespace then also "
	"applies to every Gateway (or route) created there later, and may conflict with "
	"their own policies.",
	"Add matchLabels that only the intended targets carry, or use targetRefs.",
	EX_POLICY("gateway-defaults")
	"  targetSelectors:\n"
	"  - group: gateway.networking.k8s.io\n"
	"    kind: Gateway\n"
	"    matchLabels:\n"
	"      btp: defaults\n"
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 30s\n",
	EX_POLICY("gateway-defaults")
	"  targetSelectors:\n"
	"  - group: gateway.networking.k8s.io\n"
	"    kind: Gateway\n"
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 30s\n",
	8,
	check,
	false,
};
