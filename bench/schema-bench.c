/*
 * schema-bench.c: the cost of the schema checker alone.  Measures the
 * floor (a bare libyaml event scan of FILE), loads FILE once into node
 * trees, then runs check_structure(), schema_validate() and the
 * translator checks over every BackendTrafficPolicy several times, and
 * prints each as a ratio to the floor.  Times are CPU time of the process,
 * steadier than wall time on a shared machine.
 *
 *   schema-bench FILE [PASSES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <yaml.h>

#include "check.h"
#include "diag.h"
#include "load.h"
#include "objects.h"
#include "schema.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The floor: parse FILE with libyaml, events only; returns CPU seconds. */
static double
floor_scan(const char *path)
{
	yaml_parser_t p;
	yaml_event_t ev;
	FILE *f = fopen(path, "rb");
	double t0 = now();
	int done = 0;

	if (f == NULL)
		return -1;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev))
			break;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(f);
	return now() - t0;
}

int
main(int argc, char **argv)
{
	struct load_opts lo;
	struct inputs in;
	struct docset ds;
	struct objset os;
	struct diags d, out;
	struct schema *s;
	struct schema_opts so = { false, NULL, NULL };
	int passes = argc > 2 ? atoi(argv[2]) : 3, p;
	size_t i, nbtp = 0;
	double t0, t1, best = 1e9, fl, ld;

	if (argc < 2) {
		fprintf(stderr, "usage: schema-bench FILE [PASSES]\n");
		return 2;
	}
	fl = floor_scan(argv[1]);
	printf("floor (libyaml event scan): %.3f s\n", fl);
	load_opts_init(&lo);
	inputs_init(&in);
	docset_init(&ds);
	objset_init(&os);
	diags_init(&d);
	t0 = now();
	if ((s = schema_load_embedded(NULL, 0, &d)) == NULL)
		return 1;
	t1 = now();
	printf("schema compile: %.3f ms (%zu rules)\n", (t1 - t0) * 1e3, s->nrules);
	t0 = now();
	inputs_add(&in, argv[1], &lo, &d);
	docset_load(&ds, &in, &lo, &d);
	objset_add_docs(&os, &ds, &d, false);
	t1 = now();
	ld = t1 - t0;
	printf("load (node trees, object index): %.3f s, %.2fx floor\n", ld, ld / fl);
	so.scratch = schema_scratch_new();
	for (p = 0; p < passes; p++) {
		diags_init(&out);
		t0 = now();
		for (i = 0; i < os.n; i++) {
			if (os.v[i].type != OBJ_BTP)
				continue;
			if (p == 0)
				nbtp++;
			check_structure(&os.v[i], &out, CHECK_NO_SPEC);
			schema_validate(s, &os.v[i], &out, &so);
			schema_translate_checks(&os.v[i], &out);
		}
		t1 = now();
		if (t1 - t0 < best)
			best = t1 - t0;
		if (p == 0)
			printf("%zu policies, %zu diagnostics\n", nbtp, out.n);
		diags_release(&out);
	}
	printf("schema + CEL + translate: %.3f s per pass (best of %d), %.2f us per policy, "
	    "%.2fx floor\n", best, passes, best / (double)(nbtp ? nbtp : 1) * 1e6, best / fl);
	printf("validate, single-threaded (load + checks): %.2fx floor\n", (ld + best) / fl);
	schema_scratch_free(so.scratch);
	schema_free(s);
	objset_release(&os);
	docset_release(&ds);
	inputs_release(&in);
	diags_release(&d);
	return 0;
}
