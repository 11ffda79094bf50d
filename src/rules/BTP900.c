/*
 * BTP900 unused-suppression: a btpctl.io/ignore annotation or a
 * "# btpctl:ignore" comment that silenced nothing.  Raised by the engine
 * (lint_suppress.c) after every rule has run.
 */
#include "lint.h"

const struct lint_rule rule_BTP900 = {
	"BTP900", "unused-suppression", SEV_INFO, FAMILY_META,
	"A suppression matches no finding, or names no rule",
	"Suppressions outlive the problems they were written for: after a fix the "
	"comment or annotation stays, and later silences a new finding nobody has "
	"looked at.  Suppressions that name an unknown rule are usually typos and "
	"silence nothing.",
	"Remove the suppression, or correct the rule id (see btpctl rules).",
	EX_HEAD
	"  retry:\n"
	"    # btpctl:ignore BTP004 -- the backend is idempotent and cheap\n"
	"    numRetries: 5\n"
	"    perRetry:\n"
	"      timeout: 1s\n"
	"      backOff:\n"
	"        baseInterval: 100ms\n"
	"        maxInterval: 1s\n",
	EX_HEAD
	"  retry:\n"
	"    # btpctl:ignore BTP004 -- the backend is idempotent and cheap\n"
	"    numRetries: 2\n"
	"    perRetry:\n"
	"      timeout: 1s\n"
	"      backOff:\n"
	"        baseInterval: 100ms\n"
	"        maxInterval: 1s\n",
	12,
	NULL,
	false,
};
