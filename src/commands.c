/*
 * commands.c: the command table (one line per command; see cli.h).
 */
#include <stddef.h>

#include "cli.h"

const struct command *const commands[] = {
	&cmd_validate,
	&cmd_lint,
	&cmd_explain,
	&cmd_effective,
	&cmd_diff,
	&cmd_simulate,
	&cmd_rules,
	&cmd_lint_gen,
	&cmd_help,
	NULL,
};
