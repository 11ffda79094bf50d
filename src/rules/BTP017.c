/*
 * BTP017 http2-window-out-of-range: Envoy Gateway refuses HTTP/2 window
 * sizes outside 65535..2147483647 bytes; the policy is then rejected.
 */
#include <inttypes.h>

#include "lint.h"
#include "policy.h"

static void
window(struct lint_ctx *ctx, const struct pf_qty *q, const char *field)
{
	char path[80];

	if (!q->valid || (q->bytes >= 65535 && q->bytes <= INT64_C(2147483647)))
		return;
	snprintf(path, sizeof(path), "spec.http2.%s", field);
	lint_report(ctx, q->node, path,
	    "%s is %" PRId64 " bytes, outside the 65535..2147483647 Envoy accepts, so Envoy "
	    "Gateway rejects the policy (its routes answer 500); use a value in that range "
	    "such as 64Ki for streams or 1Mi for connections", field, q->bytes);
}

static void
check(struct lint_ctx *ctx)
{
	window(ctx, &ctx->pol->http2.initial_stream_window_size, "initialStreamWindowSize");
	window(ctx, &ctx->pol->http2.initial_connection_window_size,
	    "initialConnectionWindowSize");
}

const struct lint_rule rule_BTP017 = {
	"BTP017", "http2-window-out-of-range", SEV_ERROR, FAMILY_CONSISTENCY,
	"HTTP/2 window size outside Envoy's limits",
	"The HTTP/2 flow-control windows are quantities in the schema, so 32Ki or 4Gi "
	"pass admission.  Envoy only accepts 65535 to 2147483647 bytes (the HTTP/2 "
	"protocol's limits), and Envoy Gateway's translator refuses anything else: the "
	"policy is marked Accepted=False (Invalid) and its HTTP routes answer 500.",
	"Use a window between 64Ki (65536) and 2Gi - 1; the defaults are 64Ki per stream "
	"and 1Mi per connection.",
	EX_HEAD
	"  http2:\n"
	"    initialStreamWindowSize: 64Ki\n"
	"    initialConnectionWindowSize: 1Mi\n",
	EX_HEAD
	"  http2:\n"
	"    initialStreamWindowSize: 32Ki\n"
	"    initialConnectionWindowSize: 1Mi\n",
	12,
	check,
	false,
};
