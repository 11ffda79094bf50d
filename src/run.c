/*
 * run.c: see run.h.
 */
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "source.h"
#include "util.h"

void
run_init(struct run *r)
{
	memset(r, 0, sizeof(*r));
	load_opts_init(&r->lo);
	inputs_init(&r->in);
	docset_init(&r->ds);
	objset_init(&r->os);
	diags_init(&r->diags);
}

void
run_release(struct run *r)
{
	diags_release(&r->diags);
	objset_release(&r->os);
	docset_release(&r->ds);
	inputs_release(&r->in);
}

int
run_inputs(struct run *r, const struct cli *c, const char *cmd, int n, char **paths)
{
	int i, rc;

	if (n == 0) {
		fprintf(stderr, "btpctl %s: no input; name files, directories, "
		    "URLs, or - for stdin\nTry 'btpctl %s --help'.\n", cmd, cmd);
		return EXIT_USAGE;
	}
	r->lo.offline = c->offline;
	for (i = 0; i < n; i++) {
		rc = inputs_add(&r->in, paths[i], &r->lo, &r->diags);
		if (rc > r->io_rc)
			r->io_rc = rc;
	}
	if (r->skip != NULL) {
		size_t j, k = 0;

		for (j = 0; j < r->in.n; j++) {
			if (r->skip(r->in.v[j]->name, r->skip_ud))
				source_free(r->in.v[j]);
			else
				r->in.v[k++] = r->in.v[j];
		}
		r->in.n = k;
	}
	return 0;
}

int
run_load(struct run *r, const struct cli *c, const char *cmd, int n, char **paths)
{
	int rc;

	if ((rc = run_inputs(r, c, cmd, n, paths)) != 0)
		return rc;
	r->parse_rc = docset_load(&r->ds, &r->in, &r->lo, &r->diags);
	objset_add_docs(&r->os, &r->ds, &r->diags, c->verbose > 0);
	return 0;
}

void
run_print_diags(const struct cli *c, struct diags *d, FILE *text_out)
{
	struct render_opts ro;

	if (c->quiet)
		return;
	if (strcmp(cli_output(c), "json") == 0) {
		diags_print_json(d, stdout);
		return;
	}
	ro.color = text_out == stderr ? c->color_err : c->color;
	ro.caret = true;
	diags_print_text(d, text_out, &ro);
}
