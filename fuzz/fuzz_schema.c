/*
 * fuzz_schema.c: libFuzzer entry point over validate's checks: any bytes
 * are loaded, and every BackendTrafficPolicy found goes through
 * check_structure(), schema_validate() (OpenAPI schema and CEL rules of
 * the embedded v1.9.0 CRD) and the translator checks.  Nothing may crash,
 * hang, leak or read out of bounds, and running the checks twice on the
 * same object (reusing the scratch space) must give the same messages.
 *
 *   make fuzz && build/fuzz/bin/fuzz_schema -max_total_time=60 NEWDIR fuzz/corpus
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "load.h"
#include "objects.h"
#include "schema.h"
#include "source.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct schema *schema;
static struct schema_scratch *scratch;

static int
index_doc(struct doc *doc, void *ud)
{
	struct diags d;

	diags_init(&d);
	objset_add_doc(ud, doc, &d, false);
	diags_release(&d);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *src;
	struct arena *a;
	struct load_opts o;
	struct diags d, d1, d2;
	struct objset os;
	struct schema_opts so;
	char *copy;
	size_t i, k;
	int lines = 0;

	if (size > 64 * 1024)
		return 0;
	if (schema == NULL) {
		diags_init(&d);
		if ((schema = schema_load_embedded(NULL, 0, &d)) == NULL)
			abort();
		diags_release(&d);
		scratch = schema_scratch_new();
	}
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0; i < size; i++)
		lines += copy[i] == '\n';
	src = source_new("fuzz.yaml", copy, size, 1);
	a = arena_new();
	load_opts_init(&o);
	diags_init(&d);
	objset_init(&os);
	load_source(src, a, &o, &d, index_doc, &os);
	memset(&so, 0, sizeof(so));
	so.scratch = scratch;
	for (i = 0; i < os.n; i++) {
		if (os.v[i].type != OBJ_BTP)
			continue;
		diags_init(&d1);
		diags_init(&d2);
		check_structure(&os.v[i], &d1, CHECK_NO_SPEC);
		schema_validate(schema, &os.v[i], &d1, &so);
		schema_translate_checks(&os.v[i], &d1);
		check_structure(&os.v[i], &d2, CHECK_NO_SPEC);
		schema_validate(schema, &os.v[i], &d2, &so);
		schema_translate_checks(&os.v[i], &d2);
		if (d1.n != d2.n)
			abort();
		for (k = 0; k < d1.n; k++)
			if (strcmp(d1.v[k].message, d2.v[k].message) != 0 ||
			    d1.v[k].loc.line > lines + 1 || d1.v[k].loc.start > size)
				abort();
		diags_release(&d1);
		diags_release(&d2);
	}
	objset_release(&os);
	diags_release(&d);
	arena_free(a);
	source_free(src);
	return 0;
}
