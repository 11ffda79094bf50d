/*
 * BTP007 stateful-without-consistent-hash: a backend that keeps session
 * state should see the same client on the same endpoint.
 */
#include <ctype.h>

#include "lint.h"
#include "policy.h"

static const char *const hints[] = { "session", "sticky", "stateful", "affinity",
    "websocket", NULL };

static const char *
stateful_word(const char *s)
{
	char low[256];
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; s[i] != '\0' && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	for (i = 0; hints[i] != NULL; i++)
		if (strstr(low, hints[i]) != NULL)
			return hints[i];
	return NULL;
}

static void
check(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	const struct pf_enum *type = &ctx->pol->load_balancer.type;
	const char *word = stateful_word(ctx->obj->name), *who = ctx->obj->name;
	size_t n = lint_targets(ctx, &t), i;

	/* the description's Maglev reads as ConsistentHash */
	if (type->valid && type->v == LB_CONSISTENT_HASH)
		return;
	for (i = 0; i < n && word == NULL; i++)
		if ((word = stateful_word(t[i].name)) != NULL)
			who = t[i].name;
	if (word == NULL)
		return;
	lint_report(ctx, type->set ? lint_where(ctx, "loadBalancer.type") : NULL,
	    "spec.loadBalancer",
	    "'%s' looks like a stateful application (\"%s\") but requests are spread "
	    "over all endpoints, so a client's next request may land where its state is "
	    "not; use loadBalancer.type: ConsistentHash with a Cookie, Headers or SourceIP "
	    "hash", who, word);
}

const struct lint_rule rule_BTP007 = {
	"BTP007", "stateful-without-consistent-hash", SEV_INFO, FAMILY_PRACTICE,
	"A policy for a stateful application does not use consistent hashing",
	"Applications that keep per-client state in memory (sessions, websockets, "
	"caches) work best when a client keeps reaching the same endpoint.  Round "
	"robin and least-request balancing spread a client's requests over all "
	"endpoints.  btpctl recognises stateful applications by words in the policy or "
	"target name (session, sticky, stateful, affinity, websocket), so this rule is "
	"a hint, not a verdict.",
	"Use spec.loadBalancer.type: ConsistentHash with consistentHash.type Cookie "
	"(with a ttl), Headers or SourceIP, or suppress the finding if the application "
	"keeps no local state.",
	EX_POLICY("sessions")
	EX_TARGET("HTTPRoute", "sessions")
	"  loadBalancer:\n"
	"    type: ConsistentHash\n"
	"    consistentHash:\n"
	"      type: Cookie\n"
	"      cookie:\n"
	"        name: session\n"
	"        ttl: 1h\n",
	EX_POLICY("sessions")
	EX_TARGET("HTTPRoute", "sessions")
	"  loadBalancer:\n"
	"    type: RoundRobin\n",
	12,
	check,
	false,
};
