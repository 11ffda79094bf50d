/*
 * cmd_validate.c: btpctl validate PATH... -- the API server's verdict on
 * every BackendTrafficPolicy, offline: structure and metadata, the CRD's
 * OpenAPI schema and CEL rules (schema.h), and the Envoy Gateway
 * translator checks that pass admission but break traffic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "run.h"
#include "schema.h"
#include "util.h"

static const char *opt_api_version;
static const char *opt_crd;
static bool opt_offline;
static bool opt_no_translate;

static const struct opt validate_opts[] = {
	{ "api-version", 0, OPT_STRING, "V", "Envoy Gateway release whose CRD to use: "
	  "v1.9 (default) or v1.8", &opt_api_version, "v1.9|v1.8" },
	{ "crd", 0, OPT_STRING, "FILE|URL", "use this BackendTrafficPolicy CRD instead "
	  "of an embedded one", &opt_crd, NULL },
	{ "offline", 0, OPT_FLAG, NULL, "never use the network (URL inputs and --crd URL "
	  "are errors)", &opt_offline, NULL },
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
	bool url = crd != NULL && (str_has_prefix(crd, "http://") ||
	    str_has_prefix(crd, "https://"));

	diags_init(&d);
	if (crd != NULL && apiv != NULL) {
		fprintf(stderr, "btpctl: --crd and --api-version exclude each other\n");
		*rc = EXIT_USAGE;
		return NULL;
	}
	if (url && offline) {
		fprintf(stderr, "btpctl: --crd %s: cannot fetch a URL with --offline\n", crd);
		*rc = EXIT_USAGE;
		return NULL;
	}
	if (crd != NULL)
		s = schema_load_path(crd, flags, &d);
	else
		s = schema_load_embedded(apiv, flags, &d);
	if (s == NULL) {
		diags_print_text(&d, stderr, &ro);
		*rc = EXIT_USAGE;
		for (size_t i = 0; i < d.n; i++)
			if (strcmp(d.v[i].code, "io") == 0)
				*rc = EXIT_INPUT;
	}
	diags_release(&d);
	return s;
}

static int
run_validate(struct cli *cli, int argc, char **argv)
{
	struct run r;
	struct schema *s;
	struct schema_opts so;
	size_t i, nbtp = 0;
	int rc = 0;

	if ((s = cmd_load_schema(cli, opt_crd, opt_api_version, opt_offline, 0, &rc)) == NULL)
		return rc;
	run_init(&r);
	r.lo.offline = opt_offline;
	if ((rc = run_load(&r, cli, "validate", argc, argv)) != 0) {
		run_release(&r);
		schema_free(s);
		return rc;
	}
	memset(&so, 0, sizeof(so));
	so.verbose = cli->verbose > 0;
	so.scratch = schema_scratch_new();
	for (i = 0; i < r.os.n; i++) {
		if (r.os.v[i].type != OBJ_BTP)
			continue;
		nbtp++;
		check_structure(&r.os.v[i], &r.diags);
		schema_validate(s, &r.os.v[i], &r.diags, &so);
		if (!opt_no_translate)
			schema_translate_checks(&r.os.v[i], &r.diags);
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
		    "%zu error(s), CRD %s (%zu rules, %zu transition rules not checked)\n",
		    nbtp, r.diags.count[SEV_ERROR], s->name, s->nrules, s->ntransition);
	schema_scratch_free(so.scratch);
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
