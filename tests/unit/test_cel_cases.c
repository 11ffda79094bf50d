/*
 * test_cel_cases.c: the conformance runner of btpctl validate against
 * Envoy Gateway's own CEL/OpenAPI admission tests (149 cases, vendored in
 * testdata/upstream/cel/cel-cases.json).
 *
 * Each case's object is validated with the embedded v1.9.0 CRD (the CRD
 * those tests were written for) and joined into the API server's error
 * text ("... is invalid: [e1, e2]").  A valid case agrees when nothing is
 * reported; an invalid one when something is and every expected substring
 * occurs, compared case-insensitively.  The v1.8.0 CRD is run too, on the
 * cases that apply to it: those whose every field exists in v1.8.0 and
 * whose verdict does not hinge on a rule or bound that v1.8.0 states
 * differently (listed with the reason).
 *
 * It also runs our own rule tests (testdata/rules/NAME.yaml, see the
 * README there) and checks that they make every x-kubernetes-validations
 * rule of both CRDs pass at least once and fail at least once.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "load.h"
#include "objects.h"
#include "schema.h"
#include "source.h"
#include "unit.h"
#include "util.h"

struct verdict {
	int		 nerr;
	bool		 unknown;	/* an unknown-field error */
	char		*text;		/* the API server's error text */
};

static bool
icontains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return true;
	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i]; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return true;
	}
	return false;
}

struct first {
	struct doc	 doc;
	bool		 got;
};

static int
take(struct doc *d, void *ud)
{
	struct first *f = ud;

	if (!f->got) {
		f->doc = *d;
		f->got = true;
	}
	return 0;
}

/* Validate the text of one object; fills v (text on the heap). */
static void
judge(const struct schema *s, const char *name, const char *text, struct schema_stats *st,
    struct verdict *v)
{
	struct arena *a = arena_new();
	struct source *src = source_new(name, xstrdup(text), strlen(text), 1);
	struct load_opts lo;
	struct diags d;
	struct objset os;
	struct first f;
	struct schema_opts so;
	struct strbuf sb;
	size_t i, n = 0;
	const char *oname = "";

	memset(&f, 0, sizeof(f));
	memset(&so, 0, sizeof(so));
	so.stats = st;
	load_opts_init(&lo);
	diags_init(&d);
	objset_init(&os);
	load_source(src, a, &lo, &d, take, &f);
	if (f.got)
		objset_add_doc(&os, &f.doc, &d, false);
	for (i = 0; i < os.n; i++) {
		if (os.v[i].type != OBJ_BTP)
			continue;
		oname = os.v[i].name;
		check_structure(&os.v[i], &d, CHECK_NO_SPEC);
		schema_validate(s, &os.v[i], &d, &so);
	}
	memset(v, 0, sizeof(*v));
	for (i = 0; i < d.n; i++) {
		if (d.v[i].sev != SEV_ERROR)
			continue;
		n++;
		if (str_has_prefix(d.v[i].message, "unknown field"))
			v->unknown = true;
	}
	sb_init(&sb);
	sb_printf(&sb, "BackendTrafficPolicy.gateway.envoyproxy.io \"%s\" is invalid: %s",
	    oname, n > 1 ? "[" : "");
	for (i = 0, n = 0; i < d.n; i++) {
		if (d.v[i].sev != SEV_ERROR)
			continue;
		if (n++ > 0)
			sb_adds(&sb, ", ");
		sb_adds(&sb, d.v[i].message);
	}
	if (n > 1)
		sb_addc(&sb, ']');
	v->nerr = (int)n;
	v->text = sb_detach(&sb);
	objset_release(&os);
	diags_release(&d);
	arena_free(a);
	source_free(src);
}

static bool
agrees(const json_t *c, const struct verdict *v, char **why)
{
	const json_t *want = json_object_get(c, "wantErrorSubstrings");
	size_t i;

	*why = NULL;
	if (json_is_true(json_object_get(c, "valid"))) {
		if (v->nerr == 0)
			return true;
		*why = xasprintf("valid case rejected: %s", v->text);
		return false;
	}
	if (v->nerr == 0) {
		*why = xstrdup("invalid case accepted");
		return false;
	}
	for (i = 0; i < json_array_size(want); i++) {
		const char *w = json_string_value(json_array_get(want, i));

		if (w != NULL && !icontains(v->text, w)) {
			*why = xasprintf("missing \"%s\" in: %s", w, v->text);
			return false;
		}
	}
	return true;
}

static struct schema_stats *
stats_new(const struct schema *s)
{
	struct schema_stats *st = xcalloc(1, sizeof(*st));

	st->pass = xcalloc(s->nrules + 1, sizeof(unsigned));
	st->fail = xcalloc(s->nrules + 1, sizeof(unsigned));
	return st;
}

static void
stats_free(struct schema_stats *st)
{
	free(st->pass);
	free(st->fail);
	free(st);
}

/*
 * Run every case against s; returns the number that agree, *napplied the
 * number judged.  With applies_only, cases that do not apply to s are
 * skipped (see the file comment).
 */
static int
run_cases(const json_t *cases, const struct schema *s, const struct schema *ref,
    struct schema_stats *st, int *napplied)
{
	size_t i;
	int agree = 0;

	*napplied = 0;
	for (i = 0; i < json_array_size(cases); i++) {
		const json_t *c = json_array_get(cases, i);
		char *text = json_dumps(json_object_get(c, "object"), JSON_PRESERVE_ORDER);
		int id = (int)json_integer_value(json_object_get(c, "id"));
		char name[32], *why;
		struct verdict v, vr;
		bool ok;

		snprintf(name, sizeof(name), "case-%d", id);
		judge(s, name, text, st, &v);
		ok = agrees(c, &v, &why);
		if (ref != NULL && !ok) {
			/* not applicable: the older CRD lacks a field, or states a rule or bound differently */
			judge(ref, name, text, NULL, &vr);
			if (v.unknown || strcmp(v.text, vr.text) != 0) {
				printf("cel-cases %s: case %d does not apply (%s)\n", s->name, id,
				    v.unknown ? "uses a field the CRD lacks" :
				    "the CRD words a rule or bound differently");
				free(vr.text);
				free(v.text);
				free(why);
				free(text);
				continue;
			}
			free(vr.text);
		}
		(*napplied)++;
		if (ok)
			agree++;
		else
			printf("cel-cases %s: case %d (%s) disagrees: %s\n", s->name, id,
			    json_string_value(json_object_get(c, "desc")), why);
		CHECK(ok);
		free(why);
		free(v.text);
		free(text);
	}
	return agree;
}

/*
 * Our own rule tests: the files testdata/rules/NAME.yaml, documents separated by
 * "---", each with a comment line "# expect: valid" or
 * "# expect: <substring>".
 */
static void
run_rule_tests(const char *root, const struct schema *s, struct schema_stats *st)
{
	char dir[4096], path[4400];
	DIR *dp;
	struct dirent *de;
	char *data, *doc, *next, *p, *nl, *want;
	size_t len;
	struct verdict v;
	int n = 0, ok = 0;
	bool good, valid, any;

	snprintf(dir, sizeof(dir), "%s/testdata/rules", root);
	if ((dp = opendir(dir)) == NULL) {
		printf("rule tests: %s: cannot open\n", dir);
		CHECK(dp != NULL);
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (!str_has_suffix(de->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (read_file(path, &data, &len) != 0)
			continue;
		for (doc = data; doc != NULL && *doc; doc = next) {
			if ((next = strstr(doc, "\n---\n")) != NULL) {
				*next = '\0';
				next += 5;
			}
			if ((p = strstr(doc, "# only: ")) != NULL &&
			    strncmp(p + 8, s->name, strlen(s->name)) != 0)
				continue;
			judge(s, path, doc, st, &v);
			good = true;
			valid = false;
			any = false;
			for (p = doc; (p = strstr(p, "# expect: ")) != NULL; p = nl) {
				p += 10;
				nl = strchr(p, '\n');
				want = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
				any = true;
				if (strcmp(want, "valid") == 0)
					valid = true;
				else if (!icontains(v.text, want)) {
					printf("rules %s %s: missing \"%s\" in: %s\n", s->name,
					    de->d_name, want, v.nerr ? v.text : "(valid)");
					good = false;
				}
				free(want);
				if (nl == NULL)
					break;
			}
			if (any && valid != (v.nerr == 0)) {
				printf("rules %s %s: want %s, got: %s\n", s->name, de->d_name,
				    valid ? "valid" : "errors", v.nerr ? v.text : "(valid)");
				good = false;
			}
			if (!any)
				continue;
			n++;
			if (good)
				ok++;
			CHECK(good);
			free(v.text);
		}
		free(data);
	}
	closedir(dp);
	printf("rule tests %s: %d/%d agree\n", s->name, ok, n);
}

static void
coverage(const struct schema *s, const struct schema_stats *st)
{
	size_t i, both = 0;

	for (i = 0; i < s->nrules; i++) {
		if (st->pass[i] > 0 && st->fail[i] > 0)
			both++;
		else
			printf("rule coverage %s: rule %zu at %s never %s: %s\n", s->name, i,
			    s->rules[i]->where, st->pass[i] == 0 ? "passed" : "failed",
			    s->rules[i]->message ? s->rules[i]->message : s->rules[i]->rule);
	}
	printf("rule coverage %s: %zu/%zu rules both passed and failed in our own tests\n",
	    s->name, both, s->nrules);
	CHECK_U64(both, s->nrules);
}

int
main(void)
{
	const char *root = getenv("ROOT") ? getenv("ROOT") : ".";
	char path[4096];
	json_t *j;
	json_error_t je;
	const json_t *cases;
	struct diags d;
	struct schema *s19, *s18;
	struct schema_stats *st19, *st18;
	int n19, n18, a19, a18;

	unit_current = "cel_cases";
	snprintf(path, sizeof(path), "%s/testdata/upstream/cel/cel-cases.json", root);
	if ((j = json_load_file(path, JSON_ALLOW_NUL, &je)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, je.text);
		CHECK(j != NULL);
		return unit_done("test_cel_cases");
	}
	cases = json_object_get(j, "cases");
	diags_init(&d);
	s19 = schema_load_embedded("v1.9", 0, &d);
	s18 = schema_load_embedded("v1.8", 0, &d);
	if (s19 == NULL || s18 == NULL) {
		fprintf(stderr, "the embedded CRDs do not load (%zu diagnostics, first: %s)\n",
		    d.n, d.n ? d.v[0].message : "");
		CHECK(s19 != NULL && s18 != NULL);
		schema_free(s19);
		schema_free(s18);
		diags_release(&d);
		json_decref(j);
		return unit_done("test_cel_cases");
	}
	st19 = stats_new(s19);
	st18 = stats_new(s18);
	a19 = run_cases(cases, s19, NULL, NULL, &n19);
	a18 = run_cases(cases, s18, s19, NULL, &n18);
	printf("cel-cases: %d/%zu agree (CRD v1.9.0)\n", a19, json_array_size(cases));
	printf("cel-cases: %d/%d agree (CRD v1.8.0, the cases that apply to it)\n", a18, n18);
	run_rule_tests(root, s19, st19);
	run_rule_tests(root, s18, st18);
	coverage(s19, st19);
	coverage(s18, st18);
	stats_free(st19);
	stats_free(st18);
	schema_free(s19);
	schema_free(s18);
	diags_release(&d);
	json_decref(j);
	return unit_done("test_cel_cases");
}
