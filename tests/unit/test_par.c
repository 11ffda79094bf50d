/*
 * test_par.c: par_load gives the same diagnostics, in the same order, on
 * one thread and on several, for a multi-document stream with errors.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "load.h"
#include "par.h"
#include "source.h"
#include "util.h"
#include "unit.h"

#define NDOCS	12000

/* A stream of NDOCS documents; some have duplicate keys, some are broken. */
static char *
make_stream(size_t *len)
{
	struct strbuf sb;
	int i;

	sb_init(&sb);
	sb_adds(&sb, "# leading comment\n");
	for (i = 0; i < NDOCS; i++) {
		sb_adds(&sb, "---\n");
		if (i % 997 == 5)
			sb_printf(&sb, "a: [1, 2\nb: %d\n", i);	/* syntax error */
		else if (i % 101 == 7)
			sb_printf(&sb, "name: d%d\nname: again\n", i);	/* duplicate */
		else if (i % 1999 == 11)
			sb_printf(&sb, "x:\n\ty: %d\n", i);		/* tab */
		else
			sb_printf(&sb, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
			    "  name: cm-%d\n  labels: {app: demo, tier: \"%d\"}\n"
			    "data:\n  text: |\n    line one\n    --- not a marker\n", i, i);
	}
	*len = sb.len;
	return sb_detach(&sb);
}

struct seen {
	int	 count;		/* updated atomically */
};

/* Record one info diagnostic per document, naming its index. */
static int
note_doc(struct doc *d, struct diags *diags, void *ud, void *state)
{
	struct seen *s = ud;

	(void)state;
	diag_add(diags, SEV_INFO, "doc", &d->loc, "document %d", d->index);
	__atomic_add_fetch(&s->count, 1, __ATOMIC_RELAXED);
	return 0;
}

/* All diagnostics as one string, in the order they were recorded. */
static char *
render(const struct diags *d)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < d->n; i++)
		sb_printf(&sb, "%s:%d:%d:%zu-%zu: %s %s [%s]\n",
		    d->v[i].file ? d->v[i].file : "", d->v[i].loc.line,
		    d->v[i].loc.col, d->v[i].loc.start, d->v[i].loc.end,
		    severity_name(d->v[i].sev), d->v[i].message, d->v[i].code);
	return sb_detach(&sb);
}

static char *
run_jobs(const struct inputs *in, int jobs, int *rc, int *ndocs)
{
	struct load_opts o;
	struct diags d;
	struct seen s;
	char *out;

	load_opts_init(&o);
	diags_init(&d);
	memset(&s, 0, sizeof(s));
	*rc = par_load(in, &o, jobs, note_doc, &s, &d);
	*ndocs = s.count;
	out = render(&d);
	diags_release(&d);
	return out;
}

TEST(same_output_any_jobs)
{
	struct inputs in;
	size_t len;
	char *data = make_stream(&len), *one, *two, *four;
	int rc1, rc2, rc4, n1, n2, n4;

	inputs_init(&in);
	inputs_add_bytes(&in, "stream.yaml", data, len);
	inputs_add_bytes(&in, "second.yaml", xstrdup("a: 1\na: 2\n"), 10);
	one = run_jobs(&in, 1, &rc1, &n1);
	two = run_jobs(&in, 2, &rc2, &n2);
	four = run_jobs(&in, 4, &rc4, &n4);
	CHECK_INT(rc1, 1);
	CHECK_INT(rc2, rc1);
	CHECK_INT(rc4, rc1);
	CHECK_INT(n2, n1);
	CHECK_INT(n4, n1);
	CHECK(strcmp(one, two) == 0);
	CHECK(strcmp(one, four) == 0);
	/* the good documents all reached the callback, broken ones did not */
	{
		int bad = 0, i;

		for (i = 0; i < NDOCS; i++)
			if (i % 997 == 5 || i % 101 == 7 || i % 1999 == 11)
				bad++;
		CHECK_INT(n1, NDOCS - bad);
	}
	/* input order: documents by index, then the second file */
	CHECK(strstr(one, "document 0 [") != NULL);
	CHECK(strstr(one, "document 0 [") < strstr(one, "document 1 ["));
	CHECK(strstr(one, "document 11999 [") < strstr(one, "second.yaml"));
	/* errors are located in the whole stream, not in their chunk */
	CHECK(strstr(one, "stream.yaml:") != NULL);
	CHECK(strstr(one, "duplicate key \"name\"") != NULL);
	CHECK(strstr(one, "tab character used for indentation") != NULL);
	CHECK(strstr(one, "did not find expected ',' or ']'") != NULL);
	free(one);
	free(two);
	free(four);
	inputs_release(&in);
}

/* Line numbers of documents deep in a stream match the line table. */
TEST(locations_in_stream)
{
	struct inputs in;
	struct load_opts o;
	struct diags d;
	size_t len, i;
	char *data = make_stream(&len);
	int line, col, checked = 0;

	inputs_init(&in);
	inputs_add_bytes(&in, "s.yaml", data, len);
	load_opts_init(&o);
	diags_init(&d);
	par_load(&in, &o, 2, note_doc, &(struct seen){ 0 }, &d);
	for (i = 0; i < d.n; i++) {
		source_locate(in.v[0], d.v[i].loc.start, &line, &col);
		if (line == d.v[i].loc.line && col == d.v[i].loc.col)
			checked++;
	}
	CHECK_INT(checked, (int)d.n);
	diags_release(&d);
	inputs_release(&in);
}

TEST(empty_and_binary_sources)
{
	struct inputs in;
	struct load_opts o;
	struct diags d;
	char *bin;
	int rc;

	inputs_init(&in);
	inputs_add_bytes(&in, "empty.yaml", xstrdup("# nothing\n"), 10);
	bin = xmalloc(6);
	memcpy(bin, "ab\0cd", 6);
	inputs_add_bytes(&in, "bin.yaml", bin, 5);
	load_opts_init(&o);
	diags_init(&d);
	rc = par_load(&in, &o, 2, NULL, NULL, &d);
	CHECK_INT(rc, 1);
	CHECK_INT(d.n, 2);
	CHECK(d.n == 2 && strstr(d.v[0].message, "empty input") != NULL);
	CHECK(d.n == 2 && strstr(d.v[1].message, "NUL byte at offset 2") != NULL);
	diags_release(&d);
	inputs_release(&in);
}

static int
finding_or_stop(struct doc *d, struct diags *diags, void *ud, void *state)
{
	int stop_at = *(int *)ud;

	(void)diags;
	(void)state;
	if (stop_at >= 0 && d->index >= stop_at)
		return 3;
	return d->index % 2 == 0 ? 1 : 0;
}

/* fn returning 1 is a finding (loading goes on), above 1 stops the run. */
TEST(return_values)
{
	struct inputs in;
	struct load_opts o;
	struct diags d;
	struct strbuf sb;
	int i, stop, rc;

	sb_init(&sb);
	for (i = 0; i < 4000; i++)
		sb_printf(&sb, "---\na: %d\nb: [x, y, z, \"%0200d\"]\n", i, i);
	inputs_init(&in);
	inputs_add_bytes(&in, "s.yaml", sb.buf, sb.len);
	sb.buf = NULL;
	inputs_add_bytes(&in, "bad.yaml", xstrdup("a: 1\na: 2\n"), 10);
	load_opts_init(&o);
	for (i = 1; i <= 2; i++) {
		diags_init(&d);
		stop = -1;
		rc = par_load(&in, &o, i, finding_or_stop, &stop, &d);
		CHECK_INT(rc, 1);
		CHECK_INT(d.n, 1);	/* the later file was loaded too */
		diags_release(&d);
		diags_init(&d);
		stop = 10;
		rc = par_load(&in, &o, i, finding_or_stop, &stop, &d);
		CHECK_INT(rc, 3);
		CHECK_INT(d.n, 0);	/* stopped before bad.yaml */
		diags_release(&d);
	}
	inputs_release(&in);
}

struct tls_total {
	int		 inits, finis;	/* updated atomically */
	long		 docs;
};

static void *
tls_init(void *ud)
{
	struct tls_total *t = ud;

	__atomic_add_fetch(&t->inits, 1, __ATOMIC_RELAXED);
	return xcalloc(1, sizeof(long));
}

static void
tls_fini(void *state, void *ud)
{
	struct tls_total *t = ud;

	__atomic_add_fetch(&t->docs, *(long *)state, __ATOMIC_RELAXED);
	__atomic_add_fetch(&t->finis, 1, __ATOMIC_RELAXED);
	free(state);
}

static int
tls_count(struct doc *d, struct diags *diags, void *ud, void *state)
{
	(void)d;
	(void)diags;
	(void)ud;
	(*(long *)state)++;	/* the thread's own: no lock */
	return 0;
}

/* Each working thread gets its own state, made and released once. */
TEST(thread_state)
{
	struct inputs in;
	struct load_opts o;
	struct diags d;
	struct par_ops ops;
	struct tls_total t;
	size_t len;
	char *data = make_stream(&len);
	int jobs;

	inputs_init(&in);
	inputs_add_bytes(&in, "s.yaml", data, len);
	load_opts_init(&o);
	memset(&ops, 0, sizeof(ops));
	ops.fn = tls_count;
	ops.init = tls_init;
	ops.fini = tls_fini;
	for (jobs = 1; jobs <= 3; jobs++) {
		memset(&t, 0, sizeof(t));
		diags_init(&d);
		par_run(&in, &o, jobs, &ops, &t, &d);
		CHECK(t.inits >= 1 && t.inits <= jobs);
		CHECK_INT(t.finis, t.inits);
		CHECK_INT(t.docs, NDOCS - 137);	/* the broken ones do not count */
		diags_release(&d);
	}
	inputs_release(&in);
}

int
main(void)
{
	RUN(same_output_any_jobs);
	RUN(locations_in_stream);
	RUN(empty_and_binary_sources);
	RUN(return_values);
	RUN(thread_state);
	return unit_done("test_par");
}
