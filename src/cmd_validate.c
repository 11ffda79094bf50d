/*
 * cmd_validate.c: btpctl validate PATH... -- the API server's verdict on
 * every BackendTrafficPolicy, offline.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "par.h"
#include "run.h"
#include "util.h"

static const struct opt validate_opts[] = {
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

struct vstate {
	bool	 verbose;
	size_t	 nbtp;		/* updated atomically from the workers */
};

/* One document, on a worker thread: index its objects and check the BTPs. */
static int
validate_doc(struct doc *d, struct diags *diags, void *ud, void *state)
{
	struct vstate *v = ud;
	struct objset os;
	size_t i, n = 0;

	(void)state;
	objset_init(&os);
	objset_add_doc(&os, d, diags, v->verbose);
	for (i = 0; i < os.n; i++) {
		if (os.v[i].type != OBJ_BTP)
			continue;
		n++;
		check_structure(&os.v[i], diags);
	}
	objset_release(&os);
	__atomic_add_fetch(&v->nbtp, n, __ATOMIC_RELAXED);
	return 0;
}

static int
run_validate(struct cli *cli, int argc, char **argv)
{
	struct run r;
	struct vstate v;
	int rc;

	run_init(&r);
	if ((rc = run_inputs(&r, cli, "validate", argc, argv)) != 0) {
		run_release(&r);
		return rc;
	}
	memset(&v, 0, sizeof(v));
	v.verbose = cli->verbose > 0;
	/* documents stream through the workers: memory stays per document */
	r.parse_rc = par_load(&r.in, &r.lo, cli->jobs, validate_doc, &v, &r.diags);
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
		    "%zu error(s)\n", v.nbtp, r.diags.count[SEV_ERROR]);
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
