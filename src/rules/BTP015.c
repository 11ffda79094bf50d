/*
 * BTP015 cookie-hash-without-ttl: without a ttl Envoy generates no cookie,
 * so clients that do not already send one are spread at random.
 */
#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct pconsistent_hash *ch = &ctx->pol->load_balancer.consistent_hash;

	if (!ch->cookie.set || ch->cookie.node == NULL || ch->cookie.node->kind != NODE_MAP ||
	    (ch->type.valid && ch->type.v != CH_COOKIE) || ch->cookie_ttl.set)
		return;
	lint_report(ctx, lint_where(ctx, "loadBalancer.consistentHash.cookie"),
	    "spec.loadBalancer.consistentHash.cookie.ttl",
	    "cookie hashing without a ttl: Envoy only hashes on a cookie the client "
	    "already sends and never sets one, so new clients are spread at random and "
	    "never become sticky; set cookie.ttl (e.g. 1h) so Envoy issues the cookie");
}

const struct lint_rule rule_BTP015 = {
	"BTP015", "cookie-hash-without-ttl", SEV_WARNING, FAMILY_CONSISTENCY,
	"Cookie-based consistent hashing without a ttl",
	"With a cookie hash policy Envoy hashes on the named cookie.  When the request "
	"has no such cookie, Envoy generates one only if a ttl is configured; without a "
	"ttl it falls back to random selection for that request.  Unless the "
	"application sets the cookie itself, session affinity silently does not happen.",
	"Set spec.loadBalancer.consistentHash.cookie.ttl (for example 1h), or make sure "
	"the application sets the cookie.",
	EX_HEAD
	"  loadBalancer:\n"
	"    type: ConsistentHash\n"
	"    consistentHash:\n"
	"      type: Cookie\n"
	"      cookie:\n"
	"        name: session\n"
	"        ttl: 1h\n",
	EX_HEAD
	"  loadBalancer:\n"
	"    type: ConsistentHash\n"
	"    consistentHash:\n"
	"      type: Cookie\n"
	"      cookie:\n"
	"        name: session\n",
	15,
	check,
	false,
};
