/*
 * commands.c: the command table (one line per command; see cli.h).
 */
#include <stddef.h>

#include "cli.h"

const struct command *const commands[] = {
	&cmd_validate,
	&cmd_effective,
	&cmd_help,
	NULL,
};
