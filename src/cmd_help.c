/*
 * cmd_help.c: btpctl help [COMMAND].
 */
#include <stdio.h>

#include "cli.h"
#include "util.h"

static int
run_help(struct cli *cli, int argc, char **argv)
{
	const struct command *cmd;
	size_t i;

	(void)cli;
	if (argc == 0) {
		puts("usage: btpctl <command> [options] [PATH...]\n\nCommands:");
		for (i = 0; commands[i] != NULL; i++)
			if (!commands[i]->hidden)
				printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
		puts("\nRun 'btpctl help <command>' for one command's options.");
		return EXIT_CLEAN;
	}
	if ((cmd = command_find(argv[0])) == NULL) {
		const char *cands[64], *best;
		size_t n = 0;

		for (i = 0; commands[i] != NULL && n < nitems(cands) - 1; i++)
			cands[n++] = commands[i]->name;
		cands[n] = NULL;
		fprintf(stderr, "btpctl help: unknown command '%s'\n", argv[0]);
		if ((best = did_you_mean(argv[0], cands)) != NULL)
			fprintf(stderr, "btpctl help: did you mean '%s'?\n", best);
		return EXIT_USAGE;
	}
	cli_usage(cmd, stdout);
	return EXIT_CLEAN;
}

static const struct opt help_opts[] = {
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

const struct command cmd_help = {
	"help", "show help for btpctl or one of its commands", "[COMMAND]",
	NULL, run_help, help_opts, false,
};
