/*
 * BTP020 deprecated-consistent-hash-header: consistentHash type Header
 * with a single header is deprecated in favour of Headers.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct node *t = lint_spec(ctx, "loadBalancer.consistentHash.type");
	const char *name = node_get_str(lint_spec(ctx, "loadBalancer.consistentHash.header"),
	    "name");

	if (t == NULL || t->kind != NODE_STRING || strcmp(t->str, "Header") != 0)
		return;
	lint_report(ctx, t, "spec.loadBalancer.consistentHash.type",
	    "consistentHash type Header is deprecated; use type: Headers with "
	    "headers: [{name: %s}] instead of header: {name: %s}",
	    name ? name : "...", name ? name : "...");
}

const struct lint_rule rule_BTP020 = {
	"BTP020", "deprecated-consistent-hash-header", SEV_WARNING, FAMILY_DEPRECATED,
	"consistentHash type Header is deprecated; use Headers",
	"The single-header hash (type: Header, header.name) was superseded by type: "
	"Headers, which takes a list and hashes on all of them.  The old form is kept "
	"for compatibility and may be removed in a later API version.",
	"Change `type: Header` + `header: {name: X}` to `type: Headers` + "
	"`headers: [{name: X}]`.",
	EX_HEAD
	"  loadBalancer:\n"
	"    type: ConsistentHash\n"
	"    consistentHash:\n"
	"      type: Headers\n"
	"      headers:\n"
	"      - name: x-user-id\n",
	EX_HEAD
	"  loadBalancer:\n"
	"    type: ConsistentHash\n"
	"    consistentHash:\n"
	"      type: Header\n"
	"      header:\n"
	"        name: x-user-id\n",
	14,
	check,
	false,
};
