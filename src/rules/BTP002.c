/*
 * BTP002 no-timeout: a policy without timeouts leaves requests to Envoy's
 * defaults, which rarely match the application.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	static const char *const timeout[] = { "timeout", NULL };
	const struct lint_target *t;
	size_t n = lint_targets(ctx, &t), i;

	if (lint_spec(ctx, "timeout") != NULL)
		return;
	for (i = 0; i < n; i++)
		if (t[i].kind != NULL && strcmp(t[i].kind, "UDPRoute") == 0)
			return;		/* no timeouts on UDP */
	if (lint_inherits(ctx, timeout))
		return;
	lint_report(ctx, NULL, "spec.timeout",
	    "no timeouts: requests get Envoy's 15s route timeout and a 10s connect "
	    "timeout whatever the application needs; set spec.timeout.http.requestTimeout "
	    "and spec.timeout.tcp.connectTimeout to what the backend should take");
}

const struct lint_rule rule_BTP002 = {
	"BTP002", "no-timeout", SEV_WARNING, FAMILY_PRACTICE,
	"Policy sets no timeouts",
	"Without spec.timeout, Envoy Gateway leaves the route timeout at Envoy's default "
	"of 15 seconds and the connect timeout at 10 seconds.  A fast API then holds "
	"client connections and upstream capacity for far too long when the backend "
	"hangs, and a slow report endpoint is cut off with a 504 it should not get.  "
	"Stating the timeouts also documents what the backend is expected to do."
	INHERITED_NOTE,
	"Set spec.timeout.http.requestTimeout to the longest time a request may take "
	"(including retries) and spec.timeout.tcp.connectTimeout to a few seconds.",
	EX_HEAD
	"  timeout:\n"
	"    tcp:\n"
	"      connectTimeout: 2s\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	EX_HEAD
	"  loadBalancer:\n"
	"    type: LeastRequest\n",
	1,
	check,
	true,
};
