/*
 * report_sarif.c: SARIF 2.1.0 for GitHub code scanning and other SARIF
 * consumers.  Every result has a physical location with line and column,
 * rules carry help text, and partialFingerprints are derived from rule,
 * file, object and field path (not the line), so alerts survive edits
 * above them.  "results" is always present, even when empty.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <xxhash.h>

#include "lint.h"
#include "report.h"
#include "source.h"
#include "util.h"

static const char *
sarif_level(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	case SEV_INFO:
		return "note";
	}
	return "none";
}

static const char *
problem_severity(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "recommendation";
}

/* A relative URI reference: forward slashes, no "./", reserved bytes escaped. */
static char *
file_uri(const char *path)
{
	struct strbuf sb;
	const unsigned char *p;

	sb_init(&sb);
	if (path == NULL || strcmp(path, "<stdin>") == 0) {
		sb_adds(&sb, "stdin");
		return sb_detach(&sb);
	}
	while (str_has_prefix(path, "./"))
		path += 2;
	if (path[0] == '/')
		sb_adds(&sb, "file://");
	for (p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("/-._~", *p) != NULL)
			sb_addc(&sb, (char)*p);
		else if (*p == '\\')
			sb_addc(&sb, '/');
		else
			sb_printf(&sb, "%%%02X", *p);
	}
	return sb_detach(&sb);
}

static json_t *
text(const char *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "text", json_string(s));
	return o;
}

static json_t *
rule_json(const struct lint_rule *r, int level)
{
	json_t *o = json_object(), *help, *cfg, *props, *tags;
	struct strbuf sb;

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "shortDescription", text(r->summary));
	json_object_set_new(o, "fullDescription", text(r->rationale));
	sb_init(&sb);
	sb_printf(&sb, "%s\n\nRun 'btpctl explain %s' for examples.", r->fix, r->id);
	help = text(sb.buf);
	sb_reset(&sb);
	sb_printf(&sb, "**%s** (%s)\n\n%s\n\n**How to fix:** %s\n\n**Bad:**\n\n```yaml\n%s```\n\n"
	    "**Good:**\n\n```yaml\n%s```\n", r->summary, r->id, r->rationale, r->fix, r->bad,
	    r->good);
	json_object_set_new(help, "markdown", json_string(sb.buf));
	sb_release(&sb);
	json_object_set_new(o, "help", help);
	cfg = json_object();
	json_object_set_new(cfg, "level", json_string(sarif_level((enum severity)level)));
	json_object_set_new(o, "defaultConfiguration", cfg);
	props = json_object();
	tags = json_array();
	json_array_append_new(tags, json_string(rule_family_name(r->family)));
	json_array_append_new(tags, json_string("envoy-gateway"));
	json_object_set_new(props, "tags", tags);
	json_object_set_new(props, "precision", json_string("high"));
	json_object_set_new(props, "problem.severity",
	    json_string(problem_severity((enum severity)level)));
	json_object_set_new(o, "properties", props);
	return o;
}

/* Rules metadata for diagnostics that are not catalogue rules (schema, yaml...). */
static json_t *
pseudo_rule_json(const char *code)
{
	json_t *o = json_object(), *cfg;
	const char *what = "Finding of btpctl's API server checks";

	if (strcmp(code, "yaml") == 0)
		what = "The input is not valid YAML or JSON";
	else if (strcmp(code, "schema") == 0)
		what = "The object does not match the BackendTrafficPolicy schema";
	else if (strcmp(code, "cel") == 0)
		what = "The object breaks a validation rule of the BackendTrafficPolicy CRD";
	else if (strcmp(code, "io") == 0)
		what = "An input could not be read";
	json_object_set_new(o, "id", json_string(code));
	json_object_set_new(o, "name", json_string(code));
	json_object_set_new(o, "shortDescription", text(what));
	json_object_set_new(o, "fullDescription", text(
	    "The Kubernetes API server would refuse this manifest (btpctl validate "
	    "reports the same)."));
	json_object_set_new(o, "help", text(
	    "Correct the manifest as the message says; 'btpctl validate' shows the same "
	    "finding."));
	cfg = json_object();
	json_object_set_new(cfg, "level", json_string("error"));
	json_object_set_new(o, "defaultConfiguration", cfg);
	return o;
}

struct fp {
	uint64_t	hash;
	size_t		i;		/* index of the diagnostic */
	unsigned	occurrence;	/* 1 for the first with this hash, in input order */
};

static int
cmp_fp(const void *a, const void *b)
{
	const struct fp *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
cmp_fp_index(const void *a, const void *b)
{
	const struct fp *x = a, *y = b;

	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Fingerprints: a hash of rule + file + object + field path (the message
 * when there is no path), numbered by occurrence; sorting keeps it O(n log n).
 */
static struct fp *
fingerprints(const struct diags *d)
{
	struct fp *v = xcalloc(d->n + 1, sizeof(*v));
	struct strbuf key;
	char obj[512], *uri;
	size_t i;

	sb_init(&key);
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];

		uri = file_uri(g->file);
		sb_reset(&key);
		sb_printf(&key, "%s|%s|%s|%s", g->code, uri, report_object(g, obj, sizeof(obj)),
		    g->path ? g->path : g->message);
		v[i].hash = XXH64(key.buf, key.len, 0);
		v[i].i = i;
		free(uri);
	}
	sb_release(&key);
	qsort(v, d->n, sizeof(*v), cmp_fp);
	for (i = 0; i < d->n; i++)
		v[i].occurrence = i > 0 && v[i - 1].hash == v[i].hash ? v[i - 1].occurrence + 1 : 1;
	qsort(v, d->n, sizeof(*v), cmp_fp_index);
	return v;
}

void
report_sarif(const struct report_input *in, FILE *out)
{
	const struct diags *d = in->diags;
	json_t *root, *run, *tool, *driver, *rules, *results, *inv, *invs, *res, *locs,
	    *loc, *phys, *art, *region, *fps;
	const char **extra = xcalloc(d->n + 1, sizeof(char *));
	size_t nextra = 0, i, j, nrules = rule_count();
	int *index = xcalloc(nrules + 1, sizeof(int)), next = 0, ri;
	struct fp *fp = fingerprints(d);
	const struct lint_rule *r;
	struct strbuf key;
	char *uri;

	rules = json_array();
	for (i = 0; i < nrules; i++) {
		index[i] = -1;
		if (in->conf->level[i] == LINT_OFF)
			continue;
		json_array_append_new(rules, rule_json(lint_rules[i], in->conf->level[i]));
		index[i] = next++;
	}
	/* the other codes that occur, in order of appearance */
	for (i = 0; i < d->n; i++) {
		if (rule_find(d->v[i].code) != NULL)
			continue;
		for (j = 0; j < nextra && strcmp(extra[j], d->v[i].code) != 0; j++)
			;
		if (j == nextra) {
			extra[nextra++] = d->v[i].code;
			json_array_append_new(rules, pseudo_rule_json(d->v[i].code));
		}
	}
	results = json_array();
	sb_init(&key);
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];

		res = json_object();
		r = rule_find(g->code);
		json_object_set_new(res, "ruleId", json_string(g->code));
		if (r != NULL && (ri = index[rule_index(r)]) >= 0)
			json_object_set_new(res, "ruleIndex", json_integer(ri));
		else if (r == NULL) {
			for (j = 0; j < nextra && strcmp(extra[j], g->code) != 0; j++)
				;
			json_object_set_new(res, "ruleIndex", json_integer(next + (int)j));
		}
		json_object_set_new(res, "level", json_string(sarif_level(g->sev)));
		sb_reset(&key);
		sb_adds(&key, g->message);
		if (g->fix != NULL)
			sb_printf(&key, " (fix: %s)", g->fix);
		json_object_set_new(res, "message", text(key.buf));
		uri = file_uri(g->file);
		art = json_object();
		json_object_set_new(art, "uri", json_string(uri));
		region = json_object();
		json_object_set_new(region, "startLine", json_integer(g->loc.line > 0 ? g->loc.line : 1));
		json_object_set_new(region, "startColumn", json_integer(g->loc.col > 0 ? g->loc.col : 1));
		if (g->loc.line > 0 && g->loc.src != NULL && g->loc.end > g->loc.start) {
			size_t end = g->loc.end, le = g->loc.start;

			while (le < g->loc.src->len && g->loc.src->data[le] != '\n')
				le++;
			if (end > le)
				end = le;
			if (end > g->loc.start) {
				json_object_set_new(region, "endLine", json_integer(g->loc.line));
				json_object_set_new(region, "endColumn",
				    json_integer(g->loc.col + (json_int_t)(end - g->loc.start)));
			}
		}
		phys = json_object();
		json_object_set_new(phys, "artifactLocation", art);
		json_object_set_new(phys, "region", region);
		loc = json_object();
		json_object_set_new(loc, "physicalLocation", phys);
		locs = json_array();
		json_array_append_new(locs, loc);
		json_object_set_new(res, "locations", locs);
		sb_reset(&key);
		sb_printf(&key, "%016" PRIx64 ":%u", fp[i].hash, fp[i].occurrence);
		fps = json_object();
		json_object_set_new(fps, "primaryLocationLineHash", json_string(key.buf));
		json_object_set_new(res, "partialFingerprints", fps);
		json_array_append_new(results, res);
		free(uri);
	}
	sb_release(&key);
	driver = json_object();
	json_object_set_new(driver, "name", json_string("btpctl"));
	json_object_set_new(driver, "semanticVersion", json_string(in->version));
	json_object_set_new(driver, "rules", rules);
	tool = json_object();
	json_object_set_new(tool, "driver", driver);
	inv = json_object();
	json_object_set_new(inv, "executionSuccessful", json_boolean(in->exec_ok));
	invs = json_array();
	json_array_append_new(invs, inv);
	run = json_object();
	json_object_set_new(run, "tool", tool);
	json_object_set_new(run, "invocations", invs);
	json_object_set_new(run, "results", results);
	root = json_object();
	json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(root, "runs", json_array());
	json_array_append_new(json_object_get(root, "runs"), run);
	json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	free(extra);
	free(index);
	free(fp);
}
