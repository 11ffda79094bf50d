/*
 * cmd_validate.c: btpctl validate PATH... -- the API server's verdict on
 * every BackendTrafficPolicy, offline.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "run.h"
#include "util.h"

static const struct opt validate_opts[] = {
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

static int
run_validate(struct cli *cli, int argc, char **argv)
{
	struct run r;
	size_t i, nbtp = 0;
	int rc;

	run_init(&r);
	if ((rc = run_load(&r, cli, "validate", argc, argv)) != 0) {
		run_release(&r);
		return rc;
	}
	for (i = 0; i < r.os.n; i++) {
		if (r.os.v[i].type != OBJ_BTP)
			continue;
		nbtp++;
		check_structure(&r.os.v[i], &r.diags);
	}
	diags_sort(&r.diags);
	run_print_diags(cli, &r.diags, stdout);
	if (r.io_rc)
		rc = EXIT_INPUT;
	else if (r.diags.count[SEV_ERROR] > 0)
		rc = EXIT_FINDINGS;
	else
		rc = EXIT_CLEAN;
	if (!cli->quiet && strcmp(cli_output(cli), "text") == 0 && cli->verbose > 0)
		fprintf(stderr, "btpctl validate: %zu BackendTrafficPolicy object(s), "
		    "%zu error(s)\n", nbtp, r.diags.count[SEV_ERROR]);
	run_release(&r);
	return rc;
}

const struct command cmd_validate = {
	"validate",
	"check BackendTrafficPolicy manifests as the Kubernetes API server would",
	"[options] PATH...",
	"text|json",
	run_validate, validate_opts, false,
};
