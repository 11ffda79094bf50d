/*
 * BTP019 deprecated-compression: spec.compression is deprecated in favour
 * of spec.compressor.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	if (lint_spec(ctx, "compression") == NULL)
		return;
	lint_report(ctx, lint_where(ctx, "compression"), "spec.compression",
	    "spec.compression is deprecated (Envoy Gateway sets a DeprecatedField "
	    "warning); rename it to spec.compressor, which takes the same list");
}

const struct lint_rule rule_BTP019 = {
	"BTP019", "deprecated-compression", SEV_WARNING, FAMILY_DEPRECATED,
	"spec.compression is deprecated; use spec.compressor",
	"compression was replaced by compressor in Envoy Gateway 1.6; the old field "
	"still works but the policy gets a Warning/DeprecatedField condition, and "
	"setting both is refused by the API server.",
	"Rename spec.compression to spec.compressor; the entries (type Gzip, Brotli or "
	"Zstd with their settings) stay the same.",
	EX_HEAD
	"  compressor:\n"
	"  - type: Gzip\n"
	"    gzip: {}\n",
	EX_HEAD
	"  compression:\n"
	"  - type: Gzip\n"
	"    gzip: {}\n",
	11,
	check,
	false,
};
