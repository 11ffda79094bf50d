/*
 * main.c: find the command and run it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: btpctl <command> [options] [PATH...]\n\n"
	    "Validate, lint, explain, diff and simulate Envoy Gateway\n"
	    "BackendTrafficPolicy manifests.\n\nCommands:\n", f);
	for (i = 0; commands[i] != NULL; i++)
		if (!commands[i]->hidden)
			fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\nRun 'btpctl help <command>' or 'btpctl <command> --help' for more;\n"
	    "'btpctl --version' prints the version.  See btpctl(1).\n", f);
}

static int
unknown_command(const char *name)
{
	const char *cands[64], *best;
	size_t i, n = 0;

	for (i = 0; commands[i] != NULL && n < nitems(cands) - 1; i++)
		cands[n++] = commands[i]->name;
	cands[n] = NULL;
	fprintf(stderr, "btpctl: unknown command '%s'\n", name);
	if ((best = did_you_mean(name, cands)) != NULL)
		fprintf(stderr, "btpctl: did you mean '%s'?\n", best);
	fputs("Run 'btpctl help' for the list of commands.\n", stderr);
	return EXIT_USAGE;
}

static void
print_opt(const char *what, const char *cmd, const struct opt *o)
{
	printf("%s\t%s%s--%s\t%c\t%s\t%s\t%s\n", what, cmd ? cmd : "",
	    cmd ? "\t" : "", o->lng, o->shrt ? o->shrt : '-',
	    o->arg ? o->arg : "-", o->values ? o->values : "-", o->help);
}

/*
 * Machine-readable list of commands and options, tab-separated, for the
 * documentation test and tools/gen-completions.sh:
 *   global  --LONG  SHORT|-  ARG|-  VALUES|-  HELP
 *   command NAME    OUTPUTS|-  SUMMARY
 *   option  CMD  --LONG  SHORT|-  ARG|-  VALUES|-  HELP
 */
static void
print_spec(void)
{
	size_t i;
	const struct opt *o;

	for (o = global_opts; o->kind != OPT_END; o++)
		print_opt("global", NULL, o);
	for (i = 0; commands[i] != NULL; i++) {
		if (commands[i]->hidden)
			continue;
		printf("command\t%s\t%s\t%s\n", commands[i]->name,
		    commands[i]->outputs ? commands[i]->outputs : "-", commands[i]->summary);
		for (o = commands[i]->opts; o && o->kind != OPT_END; o++)
			print_opt("option", commands[i]->name, o);
	}
}

int
main(int argc, char **argv)
{
	const struct command *cmd;
	struct cli cli;
	int nargs, rc;

	memset(&cli, 0, sizeof(cli));
	cli.prog = "btpctl";
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("btpctl %s\n", BTPCTL_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "__spec") == 0) {
		print_spec();
		return 0;
	}
	/*
	 * kubectl runs KUBECTL_EXTERNAL_DIFF="btpctl diff [flags]" as
	 * "btpctl LIVE MERGED diff [flags]": the words after the program
	 * name come after its two directories.
	 */
	if (argc >= 4 && command_find(argv[1]) == NULL && argv[1][0] != '-' &&
	    strcmp(argv[3], "diff") == 0) {
		char *live = argv[1], *merged = argv[2];

		argv[1] = argv[3];
		argv[2] = live;
		argv[3] = merged;
	}
	if ((cmd = command_find(argv[1])) == NULL) {
		if (argv[1][0] == '-') {
			fprintf(stderr, "btpctl: options go after the command: "
			    "btpctl <command> %s ...\n", argv[1]);
			return EXIT_USAGE;
		}
		return unknown_command(argv[1]);
	}
	cli.command = cmd->name;
	rc = cli_parse(&cli, cmd, argc - 1, argv + 1, &nargs);
	if (rc == -1)
		return 0;
	if (rc != 0)
		return rc;
	rc = cmd->run(&cli, nargs, argv + 1);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("btpctl: write error");
		return EXIT_INTERNAL;
	}
	return rc;
}
