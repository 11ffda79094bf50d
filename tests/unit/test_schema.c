/*
 * test_schema.c: the schema compiler and checker's smaller parts: Go value
 * formatting, lookups, CRD compile errors, scratch reuse, and validation
 * from several threads at once giving the same diagnostics as one thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "objects.h"
#include "schema.h"
#include "schema_fmt.h"
#include "source.h"
#include "unit.h"
#include "util.h"

static const char *
fmt_float(double v, struct strbuf *sb)
{
	sb_reset(sb);
	go_float(sb, v);
	return sb->buf;
}

TEST(go_formatting)
{
	struct strbuf sb;

	sb_init(&sb);
	CHECK_STR(fmt_float(1.5, &sb), "1.5");
	CHECK_STR(fmt_float(100, &sb), "100");
	CHECK_STR(fmt_float(65535, &sb), "65535");
	CHECK_STR(fmt_float(1e6, &sb), "1e+06");
	CHECK_STR(fmt_float(4294967295.0, &sb), "4.294967295e+09");
	CHECK_STR(fmt_float(0.0001, &sb), "0.0001");
	CHECK_STR(fmt_float(0.00001, &sb), "1e-05");
	CHECK_STR(fmt_float(-2.25, &sb), "-2.25");
	sb_reset(&sb);
	go_quote(&sb, "a\"b\\c\n\x01\x7f", 8);
	CHECK_STR(sb.buf, "\"a\\\"b\\\\c\\n\\x01\\x7f\"");
	sb_reset(&sb);
	go_quote(&sb, "x\0y", 3);
	CHECK_STR(sb.buf, "\"x\\x00y\"");
	sb_reset(&sb);
	go_quote(&sb, "caf\xc3\xa9 \xff", 7);
	CHECK_STR(sb.buf, "\"caf\xc3\xa9 \\xff\"");
	sb_release(&sb);
}

TEST(lookup)
{
	struct diags d;
	struct schema *s;
	const struct snode *n;
	struct strbuf sb;

	diags_init(&d);
	s = schema_load_embedded("v1.9", SCHEMA_NO_CEL, &d);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	n = schema_lookup(s, "spec.retry.numRetries");
	CHECK(n != NULL && n == schema_lookup(s, "retry.numRetries"));
	CHECK(n != NULL && n->format == SF_INT32 && n->has_min && n->min == 0);
	CHECK(schema_lookup(s, "targetRefs[0].kind") == schema_lookup(s, "spec.targetRefs.kind"));
	CHECK(schema_lookup(s, "spec.retry.perRetryTimeout") == NULL);
	sb_init(&sb);
	schema_type_name(schema_lookup(s, "targetRefs"), &sb);
	CHECK_STR(sb.buf, "<[]Object>");
	sb_reset(&sb);
	schema_type_name(schema_lookup(s, "connection.bufferLimit"), &sb);
	CHECK_STR(sb.buf, "<IntOrString>");
	sb_release(&sb);
	CHECK_INT(s->nrules, 76);
	schema_free(s);
	CHECK(schema_load_embedded("v1.7", 0, &d) == NULL);
	CHECK_INT(d.count[SEV_ERROR], 1);
	diags_release(&d);
}

TEST(compile_errors)
{
	static const char crd[] =
	    "kind: CustomResourceDefinition\n"
	    "spec:\n"
	    "  names: {kind: BackendTrafficPolicy}\n"
	    "  versions:\n"
	    "  - name: v1alpha1\n"
	    "    schema:\n"
	    "      openAPIV3Schema:\n"
	    "        type: object\n"
	    "        properties:\n"
	    "          spec:\n"
	    "            type: object\n"
	    "            frobnicate: true\n"
	    "            x-kubernetes-validations:\n"
	    "            - rule: self.x +\n";
	struct diags d;
	struct schema *s;

	diags_init(&d);
	s = schema_load_text("bad.yaml", xstrdup(crd), strlen(crd), 0, &d);
	CHECK(s == NULL);
	CHECK_INT(d.count[SEV_ERROR], 2);
	CHECK(d.n > 0 && strstr(d.v[0].message, "unsupported schema keyword frobnicate") != NULL);
	CHECK(d.n > 1 && strstr(d.v[1].message, "does not compile") != NULL);
	/* the CRD's text is gone: the location keeps line and column only */
	CHECK(d.n > 0 && d.v[0].loc.src == NULL && d.v[0].loc.line == 12);
	diags_release(&d);
}

/* ---- threads ---- */

struct corpus {
	struct arena	*arena;
	struct source	*src;
	struct objset	 os;
	struct diags	 ld;
};

static int
add_doc(struct doc *doc, void *ud)
{
	struct corpus *c = ud;

	objset_add_doc(&c->os, doc, &c->ld, false);
	return 0;
}

static void
corpus_load(struct corpus *c, const char *text)
{
	struct load_opts lo;

	memset(c, 0, sizeof(*c));
	c->arena = arena_new();
	c->src = source_new("corpus.yaml", xstrdup(text), strlen(text), 1);
	objset_init(&c->os);
	diags_init(&c->ld);
	load_opts_init(&lo);
	load_source(c->src, c->arena, &lo, &c->ld, add_doc, c);
}

static void
corpus_free(struct corpus *c)
{
	objset_release(&c->os);
	diags_release(&c->ld);
	arena_free(c->arena);
	source_free(c->src);
}

struct job {
	const struct schema	*s;
	const struct corpus	*c;
	struct diags		 out;
};

static void *
run_job(void *arg)
{
	struct job *j = arg;
	struct schema_opts so;
	size_t i;
	int round;

	memset(&so, 0, sizeof(so));
	so.scratch = schema_scratch_new();
	diags_init(&j->out);
	for (round = 0; round < 20; round++) {
		for (i = 0; i < j->c->os.n; i++) {
			if (round == 0)
				schema_validate(j->s, &j->c->os.v[i], &j->out, &so);
			else {
				struct diags tmp;

				diags_init(&tmp);
				schema_validate(j->s, &j->c->os.v[i], &tmp, &so);
				diags_release(&tmp);
			}
		}
	}
	schema_scratch_free(so.scratch);
	return NULL;
}

TEST(threads)
{
	static const char *const docs[] = {
	    "spec:\n  targetRef: {group: x, kind: Service, name: a}\n",
	    "spec:\n  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: a}]\n"
	    "  loadBalancer: {type: ConsistentHash}\n  retry: {numRetries: -1}\n",
	    "spec:\n  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: a}]\n"
	    "  connection: {bufferLimit: 1m}\n  healthCheck: {active: {http: {path: ''}}}\n",
	    "spec:\n  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: a}]\n"
	    "  responseOverride: [{match: {statusCodes: [{type: Range}]}, response: {body: {}}}]\n",
	};
	struct strbuf text;
	struct corpus c;
	struct diags d;
	struct schema *s;
	struct job jobs[4];
	pthread_t th[4];
	size_t i, k;
	bool same = true;

	sb_init(&text);
	for (i = 0; i < 200; i++)
		sb_printf(&text, "---\napiVersion: gateway.envoyproxy.io/v1alpha1\n"
		    "kind: BackendTrafficPolicy\nmetadata: {name: p%zu}\n%s", i,
		    docs[i % nitems(docs)]);
	corpus_load(&c, text.buf);
	sb_release(&text);
	CHECK_INT(c.os.n, 200);
	diags_init(&d);
	s = schema_load_embedded(NULL, 0, &d);
	CHECK(s != NULL);
	if (s == NULL) {
		corpus_free(&c);
		diags_release(&d);
		return;
	}
	for (i = 0; i < nitems(jobs); i++) {
		jobs[i].s = s;
		jobs[i].c = &c;
		pthread_create(&th[i], NULL, run_job, &jobs[i]);
	}
	for (i = 0; i < nitems(jobs); i++)
		pthread_join(th[i], NULL);
	CHECK(jobs[0].out.n >= 200);
	for (i = 1; i < nitems(jobs); i++) {
		if (jobs[i].out.n != jobs[0].out.n) {
			same = false;
			continue;
		}
		for (k = 0; k < jobs[0].out.n; k++)
			if (strcmp(jobs[i].out.v[k].message, jobs[0].out.v[k].message) != 0)
				same = false;
	}
	CHECK(same);
	for (i = 0; i < nitems(jobs); i++)
		diags_release(&jobs[i].out);
	schema_free(s);
	corpus_free(&c);
	diags_release(&d);
}

int
main(void)
{
	RUN(go_formatting);
	RUN(lookup);
	RUN(compile_errors);
	RUN(threads);
	return unit_done("test_schema");
}
