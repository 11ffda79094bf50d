/*
 * cmd_validate.c: btpctl validate PATH... -- the API server's verdict on
 * every BackendTrafficPolicy, offline: structure and metadata, the CRD's
 * OpenAPI schema and CEL rules (schema.h), and the Envoy Gateway
 * translator checks that pass admission but break traffic.  Documents
 * stream through worker threads (par.h); the compiled schema is shared,
 * each thread has its own scratch space (par_run's per-thread state).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "par.h"
#include "run.h"
#include "schema.h"
#include "util.h"

static const char *opt_api_version;
static const char *opt_crd;
static bool opt_no_translate;

static const struct opt validate_opts[] = {
	{ "api-version", 0, OPT_STRING, "V", "Envoy Gateway release whose CRD to use: "
	  "v1.9 (default) or v1.8", &opt_api_version, "v1.9|v1.8" },
	{ "crd", 0, OPT_STRING, "FILE|URL", "use this BackendTrafficPolicy CRD instead "
	  "of an embedded one", &opt_crd, NULL },
	{ "no-translate", 0, OPT_FLAG, NULL, "skip the Envoy Gateway translator checks "
	  "(report only what the API server rejects)", &opt_no_translate, NULL },
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

/*
 * Load the schema --crd or --api-version names.  On failure prints the
 * diagnostics and returns NULL with *rc set.
 */
struct schema *
cmd_load_schema(const struct cli *cli, const char *crd, const char *apiv, bool offline,
    unsigned flags, int *rc)
{
	struct diags d;
	struct schema *s;
	struct render_opts ro = { cli->color_err, true };
	size_t i;

	diags_init(&d);
	if (crd != NULL && apiv != NULL) {
		fprintf(stderr, "btpctl %s: --crd and --api-version exclude each other\n",
		    cli->command ? cli->command : "validate");
		*rc = EXIT_USAGE;
		return NULL;
	}
	if (offline)
		flags |= SCHEMA_OFFLINE;
	if (crd != NULL)
		s = schema_load_path(crd, flags, &d);
	else
		s = schema_load_embedded(apiv, flags, &d);
	if (s == NULL) {
		diags_print_text(&d, stderr, &ro);
		*rc = EXIT_USAGE;
		for (i = 0; i < d.n; i++)
			if (strcmp(d.v[i].code, "io") == 0)
				*rc = EXIT_INPUT;
	}
	diags_release(&d);
	return s;
}

struct vstate {
	const struct schema	*schema;
	struct schema_opts	 so;	/* so.scratch: set per thread */
	bool			 translate;
	bool			 verbose;
	size_t			 nbtp;	/* updated atomically from the workers */
};

/*
 * One object: structure and metadata, schema and CEL, translator checks.
 * Thread-safe as long as each thread passes its own scratch.
 */
static void
validate_object(const struct vstate *v, const struct object *o, struct diags *d,
    struct schema_scratch *scratch)
{
	struct schema_opts so = v->so;

	so.scratch = scratch;
	check_structure(o, d, CHECK_NO_SPEC);
	schema_validate(v->schema, o, d, &so);
	if (v->translate)
		schema_translate_checks(o, d);
}

/* Each worker thread's scratch space (par_run's per-thread state). */
static void *
scratch_new(void *ud)
{
	(void)ud;
	return schema_scratch_new();
}

static void
scratch_free(void *state, void *ud)
{
	(void)ud;
	schema_scratch_free(state);
}

/* One document, on a worker thread: index its objects and check the BTPs. */
static int
validate_doc(struct doc *d, struct diags *diags, void *ud, void *state)
{
	struct vstate *v = ud;
	struct schema_scratch *scratch = state;
	struct objset os;
	size_t i, n = 0;

	objset_init(&os);
	objset_add_doc(&os, d, diags, v->verbose);
	check_groupless(d->root, diags);
	for (i = 0; i < os.n; i++) {
		if (os.v[i].type != OBJ_BTP)
			continue;
		n++;
		validate_object(v, &os.v[i], diags, scratch);
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
	struct par_ops ops;
	struct schema *s;
	int rc = 0;

	if ((s = cmd_load_schema(cli, opt_crd, opt_api_version, cli->offline, 0, &rc)) == NULL)
		return rc;
	run_init(&r);
	if ((rc = run_inputs(&r, cli, "validate", argc, argv)) != 0) {
		run_release(&r);
		schema_free(s);
		return rc;
	}
	memset(&v, 0, sizeof(v));
	v.schema = s;
	v.so.verbose = cli->verbose > 0;
	v.verbose = cli->verbose > 0;
	v.translate = !opt_no_translate;
	memset(&ops, 0, sizeof(ops));
	ops.fn = validate_doc;
	ops.init = scratch_new;
	ops.fini = scratch_free;
	/* documents stream through the workers: memory stays per document */
	r.parse_rc = par_run(&r.in, &r.lo, cli->jobs, &ops, &v, &r.diags);
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
		    "%zu error(s), CRD %s (%zu rules, %zu transition rules not checked)\n",
		    v.nbtp, r.diags.count[SEV_ERROR], s->name, s->nrules, s->ntransition);
	run_release(&r);
	schema_free(s);
	return rc;
}

const struct command cmd_validate = {
	"validate",
	"check BackendTrafficPolicy manifests as the Kubernetes API server would",
	"[options] PATH...",
	"text|json",
	run_validate, validate_opts, false,
};
