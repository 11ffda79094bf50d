/*
 * cmd_lint.c: btpctl lint PATH... -- everything validate reports plus the
 * rule catalogue, with the project configuration, suppressions, CI output
 * formats and exit codes (0 nothing at or above --fail-on, 1 findings,
 * 2 usage or configuration error, 3 an input could not be read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "lint.h"
#include "report.h"
#include "run.h"
#include "schema.h"
#include "source.h"
#include "util.h"

static const char *opt_config, *opt_fail_on, *opt_api_version, *opt_crd;
static struct strlist opt_enable, opt_disable;
static long opt_max_warnings = -1;

static const struct opt lint_opts[] = {
	{ "config", 'c', OPT_STRING, "FILE",
	  "configuration file (default: .btpctl.yaml here or in a parent directory)",
	  &opt_config, NULL },
	{ "enable", 0, OPT_MULTI, "RULE[,RULE...]",
	  "turn rules on (ids or names; repeatable)", &opt_enable, NULL },
	{ "disable", 0, OPT_MULTI, "RULE[,RULE...]",
	  "turn rules off (ids, names or all; repeatable)", &opt_disable, NULL },
	{ "fail-on", 0, OPT_STRING, "LEVEL",
	  "exit 1 for findings at or above LEVEL (default error)", &opt_fail_on,
	  "error|warning|info" },
	{ "max-warnings", 0, OPT_INT, "N",
	  "also exit 1 when there are more than N warnings", &opt_max_warnings, NULL },
	{ "api-version", 0, OPT_STRING, "V", "Envoy Gateway release whose CRD to check "
	  "against: v1.9 (default, or apiVersion in .btpctl.yaml) or v1.8",
	  &opt_api_version, "v1.9|v1.8" },
	{ "crd", 0, OPT_STRING, "FILE|URL", "use this BackendTrafficPolicy CRD instead "
	  "of an embedded one", &opt_crd, NULL },
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

/* Apply one --enable/--disable argument (a comma list); 0, or EXIT_USAGE. */
static int
set_rules(struct lint_conf *lc, const char *arg, bool on)
{
	char *copy = xstrdup(arg), *tok, *save = NULL;
	const struct lint_rule *r;
	const char *cands[128], *best;
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; lint_rules[i] != NULL && n < nitems(cands) - 1; i++)
		cands[n++] = lint_rules[i]->id;
	cands[n] = NULL;
	for (tok = strtok_r(copy, ", ", &save); tok != NULL; tok = strtok_r(NULL, ", ", &save)) {
		if (strcmp(tok, "all") == 0) {
			for (i = 0; lint_rules[i] != NULL; i++)
				lc->level[i] = on ? (signed char)lint_rules[i]->sev : LINT_OFF;
			continue;
		}
		if ((r = rule_find(tok)) == NULL) {
			best = did_you_mean(tok, cands);
			fprintf(stderr, "btpctl lint: --%s: unknown rule '%s'%s%s%s\n",
			    on ? "enable" : "disable", tok, best ? " (did you mean " : "",
			    best ? best : "", best ? "?)" : "");
			rc = EXIT_USAGE;
			continue;
		}
		i = (size_t)rule_index(r);
		if (!on)
			lc->level[i] = LINT_OFF;
		else if (lc->level[i] == LINT_OFF)
			lc->level[i] = (signed char)r->sev;
	}
	free(copy);
	return rc;
}

static bool
skip_ignored(const char *name, void *ud)
{
	return config_ignored(ud, name);
}

static void
print_summary(const struct diags *d, const struct lint_stats *st)
{
	fprintf(stderr, "btpctl lint: %zu polic%s: %zu error%s, %zu warning%s, %zu info",
	    st->policies, st->policies == 1 ? "y" : "ies",
	    d->count[SEV_ERROR], d->count[SEV_ERROR] == 1 ? "" : "s",
	    d->count[SEV_WARNING], d->count[SEV_WARNING] == 1 ? "" : "s",
	    d->count[SEV_INFO]);
	if (st->suppressed > 0)
		fprintf(stderr, " (%zu suppressed)", st->suppressed);
	fputc('\n', stderr);
}

static int
render(const struct cli *cli, struct run *r, const struct objset *os,
    const struct lint_conf *lc, enum severity fail_on, const struct lint_stats *st)
{
	const char *fmt = cli_output(cli);
	struct report_input ri;
	struct report_unit *units;
	struct render_opts ro;
	size_t i, n = 0;

	if (cli->quiet)
		return 0;
	if (strcmp(fmt, "text") == 0) {
		ro.color = cli->color;
		ro.caret = true;
		diags_print_text(&r->diags, stdout, &ro);
		print_summary(&r->diags, st);
		return 0;
	}
	if (strcmp(fmt, "json") == 0) {
		diags_print_json(&r->diags, stdout);
		return 0;
	}
	units = xcalloc(os->n + 1, sizeof(*units));
	for (i = 0; i < os->n; i++) {
		const struct object *o = &os->v[i];

		if (o->type != OBJ_BTP)
			continue;
		units[n].file = o->doc && o->doc->src ? o->doc->src->name : NULL;
		units[n].kind = o->kind;
		units[n].ns = object_ns(o);
		units[n].name = o->name[0] ? o->name : "(unnamed)";
		n++;
	}
	memset(&ri, 0, sizeof(ri));
	ri.diags = &r->diags;
	ri.units = units;
	ri.nunits = n;
	ri.fail_on = fail_on;
	ri.exec_ok = r->io_rc == 0;
	ri.conf = lc;
	ri.version = BTPCTL_VERSION;
	if (strcmp(fmt, "sarif") == 0)
		report_sarif(&ri, stdout);
	else if (strcmp(fmt, "github") == 0)
		report_github(&ri, stdout);
	else
		report_junit(&ri, stdout);
	free(units);
	return 0;
}

static int
run_lint(struct cli *cli, int argc, char **argv)
{
	struct btp_config cfg;
	struct lint_conf lc;
	struct lint_stats st;
	struct lint_objects objs;
	struct diags cd;
	struct run r;
	struct schema *sc = NULL;
	struct render_opts ro = { cli->color_err, true };
	int rc, level = SEV_ERROR, i, s;

	config_init(&cfg);
	diags_init(&cd);
	if ((rc = config_load(&cfg, opt_config, &cd)) != 0) {
		diags_print_text(&cd, stderr, &ro);
		fprintf(stderr, "btpctl lint: invalid configuration; see btpctl.yaml(5)\n");
		diags_release(&cd);
		config_release(&cfg);
		return rc;
	}
	lint_conf_init(&lc);
	config_apply(&cfg, &lc);
	rc = 0;
	for (i = 0; i < opt_disable.n; i++)
		rc |= set_rules(&lc, opt_disable.v[i], false);
	for (i = 0; i < opt_enable.n; i++)
		rc |= set_rules(&lc, opt_enable.v[i], true);
	if (opt_fail_on != NULL && (!lint_level_parse(opt_fail_on, &level) || level == LINT_OFF)) {
		fprintf(stderr, "btpctl lint: --fail-on wants error, warning or info, not '%s'\n",
		    opt_fail_on);
		rc = EXIT_USAGE;
	}
	if (opt_max_warnings < -1) {
		fprintf(stderr, "btpctl lint: --max-warnings wants a count of 0 or more\n");
		rc = EXIT_USAGE;
	}
	if (rc == 0) {
		int src = 0;

		sc = cmd_load_schema(cli, opt_crd, opt_api_version ? opt_api_version :
		    opt_crd ? NULL : cfg.api_version, cli->offline, 0, &src);
		if (sc == NULL)
			rc = src;
	}
	lc.schema = sc;
	lc.jobs = cli->jobs;
	lc.verbose = cli->verbose > 0;
	run_init(&r);
	r.skip = skip_ignored;
	r.skip_ud = &cfg;
	if (rc == 0)
		rc = run_inputs(&r, cli, "lint", argc, argv);
	if (rc != 0) {
		run_release(&r);
		lint_conf_release(&lc);
		diags_release(&cd);
		config_release(&cfg);
		schema_free(sc);
		return rc == EXIT_INPUT ? EXIT_INPUT : EXIT_USAGE;
	}
	r.parse_rc = lint_run(&lc, &r.in, &r.lo, &r.diags, &st, &objs);
	diags_sort(&r.diags);
	render(cli, &r, &objs.os, &lc, (enum severity)level, &st);
	lint_objects_release(&objs);
	if (r.io_rc)
		rc = EXIT_INPUT;
	else {
		rc = EXIT_CLEAN;
		for (s = SEV_ERROR; s <= level; s++)
			if (r.diags.count[s] > 0)
				rc = EXIT_FINDINGS;
		if (opt_max_warnings >= 0 && r.diags.count[SEV_WARNING] > (size_t)opt_max_warnings)
			rc = EXIT_FINDINGS;
	}
	run_release(&r);
	lint_conf_release(&lc);
	diags_release(&cd);
	config_release(&cfg);
	schema_free(sc);
	return rc;
}

const struct command cmd_lint = {
	"lint",
	"check BackendTrafficPolicy manifests against the API and the lint rules",
	"[options] PATH...",
	"text|json|sarif|github|junit",
	run_lint, lint_opts, false,
};
