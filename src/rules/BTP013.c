/*
 * BTP013 invalid-retry-backoff: Envoy Gateway refuses a back-off whose base
 * is above its maximum, or either of them 0s; the policy is then rejected
 * and its routes answer 500.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct node *bo = lint_spec(ctx, "retry.perRetry.backOff");
	const struct node *bn, *mn;
	const char *path = "spec.retry.perRetry.backOff";
	int64_t base = 0, max = 0;
	bool hb, hm;
	char a[32], b[32];

	if (bo == NULL) {
		bo = lint_spec(ctx, "retry.backoff");	/* the description's spelling */
		path = "spec.retry.backoff";
	}
	if (bo == NULL || bo->kind != NODE_MAP)
		return;
	bn = node_get(bo, "baseInterval");
	mn = node_get(bo, "maxInterval");
	hb = lint_duration(bn, &base);
	hm = lint_duration(mn, &max);
	if (hb && base == 0)
		lint_report(ctx, bn, path,
		    "back-off baseInterval is 0s, which Envoy Gateway refuses (the policy is "
		    "not accepted and its routes answer 500); set a positive baseInterval such "
		    "as 100ms");
	if (hm && max == 0)
		lint_report(ctx, mn, path,
		    "back-off maxInterval is 0s, which Envoy Gateway refuses (the policy is "
		    "not accepted and its routes answer 500); set a maxInterval of at least "
		    "baseInterval");
	else if (hb && hm && base > max)
		lint_report(ctx, mn, path,
		    "back-off maxInterval %s is below baseInterval %s, which Envoy Gateway "
		    "refuses (the policy is not accepted and its routes answer 500); make "
		    "maxInterval at least baseInterval",
		    lint_fmt_duration(max, a), lint_fmt_duration(base, b));
}

const struct lint_rule rule_BTP013 = {
	"BTP013", "invalid-retry-backoff", SEV_ERROR, FAMILY_CONSISTENCY,
	"Retry back-off base above its maximum, or set to 0s",
	"The schema accepts any duration for the back-off, but Envoy Gateway's "
	"translator refuses baseInterval 0s, maxInterval 0s and maxInterval below "
	"baseInterval.  The policy is then marked Accepted=False (Invalid) and every "
	"HTTP route it targets answers with a direct 500 instead of being forwarded; "
	"less specific policies do not fill in.",
	"Use a positive baseInterval no larger than maxInterval, for example 100ms and 1s.",
	EX_HEAD
	"  retry:\n"
	"    perRetry:\n"
	"      timeout: 2s\n"
	"      backOff:\n"
	"        baseInterval: 100ms\n"
	"        maxInterval: 1s\n",
	EX_HEAD
	"  retry:\n"
	"    perRetry:\n"
	"      timeout: 2s\n"
	"      backOff:\n"
	"        baseInterval: 2s\n"
	"        maxInterval: 500ms\n",
	16,
	check,
};
