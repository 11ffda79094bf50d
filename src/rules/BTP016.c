/*
 * BTP016 request-timeout-disabled-without-idle-timeout: requestTimeout 0s
 * also turns off the derived stream idle timeout, so a stuck stream is
 * never closed.
 */
#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct ptimeout *t = &ctx->pol->timeout;

	if (!t->http_request_timeout.valid || t->http_request_timeout.ns != 0)
		return;
	if (t->http_stream_idle_timeout.valid && t->http_stream_idle_timeout.ns > 0)
		return;
	lint_report(ctx, t->http_request_timeout.node, "spec.timeout.http.requestTimeout",
	    "requestTimeout 0s disables the request timeout and, with no "
	    "streamIdleTimeout, the idle timeout Envoy Gateway derives from it, so a "
	    "request whose backend stops answering is never closed; set "
	    "spec.timeout.http.streamIdleTimeout (e.g. 5m) to close streams that go quiet");
}

const struct lint_rule rule_BTP016 = {
	"BTP016", "request-timeout-disabled-without-idle-timeout", SEV_WARNING,
	FAMILY_CONSISTENCY,
	"requestTimeout 0s without a stream idle timeout",
	"requestTimeout: 0s is the usual way to allow long-lived requests (server-sent "
	"events, long polling, websockets, large downloads).  Envoy Gateway derives "
	"the stream idle timeout from the request timeout, and with 0s that is 0 too: "
	"a request whose backend hangs or whose client vanished holds its connection "
	"and circuit breaker slot forever.  An idle timeout still lets long requests "
	"run as long as data flows.",
	"Keep requestTimeout: 0s and add spec.timeout.http.streamIdleTimeout (for example "
	"5m, or longer than the application's heartbeat).",
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 0s\n"
	"      streamIdleTimeout: 5m\n",
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 0s\n",
	13,
	check,
	false,
};
