/*
 * BTP024 table-size-not-prime: the Maglev table size must be prime; Envoy
 * Gateway rejects the policy otherwise.
 */
#include <inttypes.h>

#include "lint.h"
#include "policy.h"

static bool
is_prime(int64_t n)
{
	int64_t d;

	if (n < 2)
		return false;
	for (d = 2; d * d <= n; d++)
		if (n % d == 0)
			return false;
	return true;
}

static int64_t
next_prime(int64_t n)
{
	while (!is_prime(n))
		n++;
	return n;
}

static void
check(struct lint_ctx *ctx)
{
	const struct pf_int *t = &ctx->pol->load_balancer.consistent_hash.table_size;

	if (!t->valid || t->v < 2 || t->v > 5000011 || is_prime(t->v))
		return;
	lint_report(ctx, t->node, "spec.loadBalancer.consistentHash.tableSize",
	    "tableSize %" PRId64 " is not prime, so Envoy Gateway rejects the policy "
	    "(\"invalid TableSize value\"); use a prime such as %" PRId64 " (the default "
	    "is 65537)", t->v, next_prime(t->v));
}

const struct lint_rule rule_BTP024 = {
	"BTP024", "table-size-not-prime", SEV_ERROR, FAMILY_CONSISTENCY,
	"The consistent-hash (Maglev) table size is not prime",
	"Maglev needs a prime table size so that every endpoint's permutation visits "
	"every slot.  The CRD only checks the range (2 to 5000011); Envoy Gateway's "
	"translator refuses a non-prime size, marks the policy Invalid and its routes "
	"answer 500.",
	"Use a prime tableSize, ideally much larger than 100 x the number of endpoints; "
	"the default 65537 suits most backends.",
	EX_HEAD
	"  loadBalancer:\n"
	"    type: ConsistentHash\n"
	"    consistentHash:\n"
	"      type: SourceIP\n"
	"      tableSize: 65537\n",
	EX_HEAD
	"  loadBalancer:\n"
	"    type: ConsistentHash\n"
	"    consistentHash:\n"
	"      type: SourceIP\n"
	"      tableSize: 65536\n",
	15,
	check,
	false,
};
