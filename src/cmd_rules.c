/*
 * cmd_rules.c: btpctl rules -- the lint rule catalogue, with the levels
 * the configuration file sets; and the hidden generator
 * btpctl __lint-gen man|examples DIR, which writes man/btpctl-rules.7 and
 * testdata/lint/ from the same table (tools/gen-lint.sh).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "config.h"
#include "diag.h"
#include "lint.h"
#include "util.h"

static const char *opt_config;

static const struct opt rules_opts[] = {
	{ "config", 'c', OPT_STRING, "FILE",
	  "show the levels this configuration file sets (default: .btpctl.yaml upward)",
	  &opt_config, NULL },
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

static int
run_rules(struct cli *cli, int argc, char **argv)
{
	struct btp_config cfg;
	struct lint_conf lc;
	struct diags cd;
	struct render_opts ro = { cli->color_err, true };
	int rc;

	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "btpctl rules: takes no arguments; for one rule run "
		    "'btpctl explain %s'\n", argv[0]);
		return EXIT_USAGE;
	}
	config_init(&cfg);
	diags_init(&cd);
	if ((rc = config_load(&cfg, opt_config, &cd)) != 0) {
		diags_print_text(&cd, stderr, &ro);
		diags_release(&cd);
		config_release(&cfg);
		return rc;
	}
	lint_conf_init(&lc);
	config_apply(&cfg, &lc);
	lint_print_catalogue(stdout, strcmp(cli_output(cli), "json") == 0, &lc);
	lint_conf_release(&lc);
	diags_release(&cd);
	config_release(&cfg);
	return EXIT_CLEAN;
}

const struct command cmd_rules = {
	"rules",
	"list the lint rules with their ids, levels and summaries",
	"[options]",
	"text|json",
	run_rules, rules_opts, false,
};

static int
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "btpctl __lint-gen: %s: %s\n", path, strerror(errno));
		return EXIT_INPUT;
	}
	return 0;
}

static int
run_gen(struct cli *cli, int argc, char **argv)
{
	const struct lint_rule *r;
	char *p;
	size_t i;
	int rc = 0;

	(void)cli;
	if (argc == 1 && strcmp(argv[0], "man") == 0) {
		lint_print_man(stdout);
		return 0;
	}
	if (argc != 2 || strcmp(argv[0], "examples") != 0) {
		fprintf(stderr, "usage: btpctl __lint-gen man | examples DIR\n");
		return EXIT_USAGE;
	}
	for (i = 0; (r = lint_rules[i]) != NULL && rc == 0; i++) {
		p = xasprintf("%s/%s", argv[1], r->id);
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "btpctl __lint-gen: %s: %s\n", p, strerror(errno));
			rc = EXIT_INPUT;
		}
		free(p);
		p = xasprintf("%s/%s/good.yaml", argv[1], r->id);
		if (rc == 0)
			rc = write_text(p, r->good);
		free(p);
		p = xasprintf("%s/%s/bad.yaml", argv[1], r->id);
		if (rc == 0)
			rc = write_text(p, r->bad);
		free(p);
		p = xasprintf("%s/%s/bad.line", argv[1], r->id);
		if (rc == 0) {
			char line[32];

			snprintf(line, sizeof(line), "%d\n", r->bad_line);
			rc = write_text(p, line);
		}
		free(p);
	}
	return rc;
}

static const struct opt gen_opts[] = {
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

const struct command cmd_lint_gen = {
	"__lint-gen",
	"write the rule man page or the rule examples (development)",
	"man | examples DIR",
	NULL,
	run_gen, gen_opts, true,
};
