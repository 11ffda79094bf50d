/*
 * cmd_explain.c: btpctl explain [--recursive] FIELD.PATH -- a field of the
 * BackendTrafficPolicy CRD, like kubectl explain: its type, whether it is
 * required, allowed values, range, pattern, default, CEL rules and the
 * CRD's description; with --recursive the whole subtree's field names.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "lint.h"
#include "node.h"
#include "schema.h"
#include "schema_fmt.h"
#include "seed.h"
#include "util.h"

/* Descriptions are wrapped to this many columns, as kubectl explain does. */
#define EXPLAIN_COLS	80

static const char *opt_api_version;
static const char *opt_crd;
static bool opt_recursive;

static const struct opt explain_opts[] = {
	{ "api-version", 0, OPT_STRING, "V", "Envoy Gateway release whose CRD to use: "
	  "v1.9 (default) or v1.8", &opt_api_version, "v1.9|v1.8" },
	{ "crd", 0, OPT_STRING, "FILE|URL", "explain this BackendTrafficPolicy CRD instead "
	  "of an embedded one", &opt_crd, NULL },
	{ "recursive", 'r', OPT_FLAG, NULL, "print the names and types of every field "
	  "below, indented", &opt_recursive, NULL },
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

/* A field: its schema, and whether its parent requires it. */
struct field {
	const struct snode	*s;
	const char		*name;	/* last path element */
	bool			 required;
};

static bool
is_required(const struct snode *parent, const char *name)
{
	size_t i;

	if (parent == NULL)
		return false;
	for (i = 0; i < parent->nrequired; i++)
		if (strcmp(parent->required[i], name) == 0)
			return true;
	return false;
}

/* Resolve path; false when there is no such field. */
static bool
resolve(const struct schema *sc, const char *path, struct field *f, struct strbuf *name)
{
	const char *dot = strrchr(path, '.');
	char *parent_path;
	const struct snode *parent;

	memset(f, 0, sizeof(*f));
	if ((f->s = schema_lookup(sc, path)) == NULL)
		return false;
	sb_adds(name, dot != NULL ? dot + 1 : path);
	/* strip an index: "targetRefs[0]" -> "targetRefs" */
	if (strchr(name->buf, '[') != NULL) {
		name->len = (size_t)(strchr(name->buf, '[') - name->buf);
		name->buf[name->len] = '\0';
	}
	f->name = name->len > 0 ? name->buf : "BackendTrafficPolicy";
	if (dot != NULL) {
		parent_path = xstrndup(path, (size_t)(dot - path));
		parent = schema_lookup(sc, parent_path);
		free(parent_path);
	} else {
		/* a top-level name: a root field, else a field of spec */
		size_t i;

		parent = sc->root;
		for (i = 0; i < sc->root->nprops; i++)
			if (sc->root->props[i].s == f->s)
				break;
		if (i == sc->root->nprops)
			parent = schema_lookup(sc, "spec");
	}
	if (parent != NULL && parent->items != NULL && parent->nprops == 0)
		parent = parent->items;
	f->required = is_required(parent, f->name);
	return true;
}

static const struct snode *
fields_of(const struct snode *s)
{
	if (s->items != NULL && s->nprops == 0)
		s = s->items;
	if (s->nprops == 0 && s->additional != NULL)
		s = s->additional;
	return s;
}

static void
wrap(FILE *fp, const char *text, const char *indent)
{
	const char *p = text, *nl, *q, *r, *brk;
	size_t width = EXPLAIN_COLS - strlen(indent), n;

	/* the CRD's lines, each broken at spaces to fit EXPLAIN_COLS */
	while (*p) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (nl == p)
			fputc('\n', fp);
		for (q = p; q < nl; ) {
			n = (size_t)(nl - q);
			if (n > width) {
				brk = NULL;
				for (r = q + width; r > q; r--)
					if (*r == ' ') {
						brk = r;
						break;
					}
				if (brk == NULL)	/* a word longer than the line */
					brk = memchr(q + width, ' ', (size_t)(nl - q) - width);
				n = brk != NULL ? (size_t)(brk - q) : (size_t)(nl - q);
			}
			fprintf(fp, "%s%.*s\n", indent, (int)n, q);
			q += n;
			while (q < nl && *q == ' ')
				q++;
		}
		p = *nl ? nl + 1 : nl;
	}
}

static void
print_fields(FILE *fp, const struct snode *s, int depth, bool recursive)
{
	struct strbuf t;
	const struct snode *f = fields_of(s);
	size_t i;

	sb_init(&t);
	for (i = 0; i < f->nprops; i++) {
		sb_reset(&t);
		schema_type_name(f->props[i].s, &t);
		fprintf(fp, "%*s%s\t%s%s\n", 2 + 2 * depth, "", f->props[i].name, t.buf,
		    is_required(f, f->props[i].name) ? " -required-" : "");
		if (recursive)
			print_fields(fp, f->props[i].s, depth + 1, true);
	}
	sb_release(&t);
}

/* The enum of s, or of its first allOf branch that has one. */
static const struct node *
enum_of(const struct snode *s)
{
	size_t i;

	if (s->enum_vals != NULL)
		return s->enum_vals;
	for (i = 0; i < s->nall_of; i++)
		if (s->all_of[i]->enum_vals != NULL)
			return s->all_of[i]->enum_vals;
	return NULL;
}

static void
constraints(const struct snode *s, struct strbuf *sb)
{
	const struct node *ev = enum_of(s);
	size_t i;

	if (ev != NULL) {
		sb_adds(sb, "    allowed values: ");
		for (i = 0; i < ev->n; i++) {
			if (i)
				sb_adds(sb, ", ");
			go_value(sb, ev->items[i]);
		}
		sb_addc(sb, '\n');
	}
	if (s->has_min || s->has_max) {
		sb_adds(sb, "    range: ");
		if (s->has_min) {
			sb_adds(sb, s->excl_min ? "> " : ">= ");
			go_float(sb, s->min);
		}
		if (s->has_min && s->has_max)
			sb_adds(sb, " and ");
		if (s->has_max) {
			sb_adds(sb, s->excl_max ? "< " : "<= ");
			go_float(sb, s->max);
		}
		sb_addc(sb, '\n');
	}
	if (s->min_length >= 0)
		sb_printf(sb, "    min length: %lld\n", (long long)s->min_length);
	if (s->max_length >= 0)
		sb_printf(sb, "    max length: %lld\n", (long long)s->max_length);
	if (s->min_items >= 0)
		sb_printf(sb, "    min items: %lld\n", (long long)s->min_items);
	if (s->max_items >= 0)
		sb_printf(sb, "    max items: %lld\n", (long long)s->max_items);
	if (s->pattern != NULL)
		sb_printf(sb, "    pattern: %s\n", s->pattern);
	for (i = 0; i < s->nall_of; i++)
		if (s->all_of[i]->pattern != NULL)
			sb_printf(sb, "    pattern: %s\n", s->all_of[i]->pattern);
	if (s->format_name != NULL)
		sb_printf(sb, "    format: %s\n", s->format_name);
	if (s->dflt != NULL) {
		sb_adds(sb, "    default: ");
		go_json(sb, s->dflt);
		sb_addc(sb, '\n');
	}
	if (s->list_type == SL_SET)
		sb_adds(sb, "    list: a set (no duplicates)\n");
	else if (s->list_type == SL_MAP) {
		sb_adds(sb, "    list: a map keyed by");
		for (i = 0; i < s->nmap_keys; i++)
			sb_printf(sb, " %s", s->map_keys[i]);
		sb_addc(sb, '\n');
	}
}

static void
explain_text(const struct schema *sc, const char *path, const struct field *f)
{
	struct strbuf t, c;
	const struct snode *rs = f->s;
	size_t i;

	sb_init(&t);
	sb_init(&c);
	schema_type_name(f->s, &t);
	printf("GROUP:      gateway.envoyproxy.io\nKIND:       BackendTrafficPolicy\n"
	    "VERSION:    v1alpha1 (CRD %s)\n\n", sc->name);
	printf("FIELD: %s %s%s\n\n", f->name, t.buf, f->required ? " -required-" : "");
	if (*f->s->path != '\0' && strcmp(f->s->path, path) != 0)
		printf("PATH: %s\n\n", f->s->path);
	if (f->s->description != NULL) {
		printf("DESCRIPTION:\n");
		wrap(stdout, f->s->description, "    ");
		printf("\n");
	}
	constraints(f->s, &c);
	if (f->s->items != NULL)
		constraints(f->s->items, &c);
	if (c.len > 0)
		printf("CONSTRAINTS:\n%s\n", c.buf);
	if (rs->nrules == 0 && rs->items != NULL)
		rs = rs->items;
	if (rs->nrules > 0) {
		printf("RULES (x-kubernetes-validations on %s):\n", rs->path);
		for (i = 0; i < rs->nrules; i++) {
			printf("  - rule: %s\n", rs->rules[i].rule);
			if (rs->rules[i].message != NULL)
				printf("    message: %s\n", rs->rules[i].message);
			if (rs->rules[i].transition)
				printf("    (a transition rule: not checked offline)\n");
		}
		printf("\n");
	}
	if (fields_of(f->s)->nprops > 0) {
		printf("FIELDS:\n");
		print_fields(stdout, f->s, 0, opt_recursive);
	}
	sb_release(&t);
	sb_release(&c);
}

static json_t *
node_json(const struct node *n)
{
	struct strbuf sb;
	json_t *j;

	sb_init(&sb);
	go_json(&sb, n);
	j = json_loads(sb.buf, JSON_DECODE_ANY, NULL);
	sb_release(&sb);
	return j != NULL ? j : json_null();
}

static json_t *
fields_json(const struct snode *s, bool recursive)
{
	const struct snode *f = fields_of(s);
	json_t *arr = json_array(), *o;
	struct strbuf t;
	size_t i;

	sb_init(&t);
	for (i = 0; i < f->nprops; i++) {
		sb_reset(&t);
		schema_type_name(f->props[i].s, &t);
		o = json_object();
		json_object_set_new(o, "name", json_string(f->props[i].name));
		json_object_set_new(o, "type", json_string(t.buf));
		json_object_set_new(o, "required", json_boolean(is_required(f, f->props[i].name)));
		if (recursive && fields_of(f->props[i].s)->nprops > 0)
			json_object_set_new(o, "fields", fields_json(f->props[i].s, true));
		json_array_append_new(arr, o);
	}
	sb_release(&t);
	return arr;
}

static json_t *
num_json(double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static void
explain_json(const struct schema *sc, const struct field *f)
{
	json_t *o = json_object(), *rules, *r;
	const struct snode *s = f->s, *rs = f->s;
	struct strbuf t;
	size_t i;

	sb_init(&t);
	schema_type_name(s, &t);
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "crd", json_string(sc->name));
	json_object_set_new(o, "path", json_string(s->path));
	json_object_set_new(o, "name", json_string(f->name));
	json_object_set_new(o, "type", json_string(t.buf));
	json_object_set_new(o, "required", json_boolean(f->required));
	if (s->description != NULL)
		json_object_set_new(o, "description", json_string(s->description));
	if (enum_of(s) != NULL)
		json_object_set_new(o, "enum", node_json(enum_of(s)));
	if (s->has_min)
		json_object_set_new(o, s->excl_min ? "exclusiveMinimum" : "minimum",
		    num_json(s->min));
	if (s->has_max)
		json_object_set_new(o, s->excl_max ? "exclusiveMaximum" : "maximum",
		    num_json(s->max));
	if (s->min_length >= 0)
		json_object_set_new(o, "minLength", json_integer(s->min_length));
	if (s->max_length >= 0)
		json_object_set_new(o, "maxLength", json_integer(s->max_length));
	if (s->min_items >= 0)
		json_object_set_new(o, "minItems", json_integer(s->min_items));
	if (s->max_items >= 0)
		json_object_set_new(o, "maxItems", json_integer(s->max_items));
	if (s->pattern != NULL)
		json_object_set_new(o, "pattern", json_string(s->pattern));
	if (s->format_name != NULL)
		json_object_set_new(o, "format", json_string(s->format_name));
	if (s->dflt != NULL)
		json_object_set_new(o, "default", node_json(s->dflt));
	if (rs->nrules == 0 && rs->items != NULL)
		rs = rs->items;
	rules = json_array();
	for (i = 0; i < rs->nrules; i++) {
		r = json_object();
		json_object_set_new(r, "rule", json_string(rs->rules[i].rule));
		if (rs->rules[i].message != NULL)
			json_object_set_new(r, "message", json_string(rs->rules[i].message));
		json_object_set_new(r, "transition", json_boolean(rs->rules[i].transition));
		json_array_append_new(rules, r);
	}
	json_object_set_new(o, "rules", rules);
	json_object_set_new(o, "fields", fields_json(s, opt_recursive));
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
	sb_release(&t);
}

/* "BTP012": a lint rule id rather than a field. */
static bool
is_rule_id(const char *s)
{
	if (strncmp(s, "BTP", 3) != 0 || !isdigit((unsigned char)s[3]))
		return false;
	for (s += 3; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/*
 * A corrected path for the error message: the description's spellings
 * first, else each element that does not exist replaced by the closest
 * field at its level.  NULL when nothing is close.
 */
static const char *
suggest(const struct schema *sc, const char *path, struct strbuf *out)
{
	const struct snode *s;
	const struct seed_fix *fix;
	const char **cands, *best, *p, *e;
	char *elem;
	size_t i;
	bool changed = false;

	sb_printf(out, "%s%s", str_has_prefix(path, "spec.") ? "" : "spec.", path);
	fix = seed_lookup(out->buf, NULL);
	sb_reset(out);
	if (fix != NULL && fix->upstream != NULL) {
		sb_adds(out, fix->upstream);
		return out->buf;
	}
	s = sc->root;
	p = path;
	if (!str_has_prefix(path, "spec.") && schema_lookup(sc, "spec") != NULL) {
		s = schema_lookup(sc, "spec");
		sb_adds(out, "spec.");
	}
	while (*p) {
		for (e = p; *e && *e != '.'; e++)
			;
		elem = xstrndup(p, (size_t)(e - p));
		if (strchr(elem, '[') != NULL)
			*strchr(elem, '[') = '\0';
		s = fields_of(s);
		best = NULL;
		for (i = 0; i < s->nprops; i++)
			if (strcmp(s->props[i].name, elem) == 0)
				best = s->props[i].name;
		if (best == NULL) {
			cands = xcalloc(s->nprops + 1, sizeof(*cands));
			for (i = 0; i < s->nprops; i++)
				cands[i] = s->props[i].name;
			best = did_you_mean(elem, cands);
			free(cands);
			changed = true;
		}
		free(elem);
		if (best == NULL)
			return NULL;
		for (i = 0; i < s->nprops; i++)
			if (s->props[i].name == best)
				s = s->props[i].s;
		sb_adds(out, best);
		p = *e ? e + 1 : e;
		if (*p)
			sb_addc(out, '.');
	}
	return changed ? out->buf : NULL;
}

static int
run_explain(struct cli *cli, int argc, char **argv)
{
	struct schema *sc;
	struct field f;
	struct strbuf name, sug;
	int rc = 0;
	const char *path;
	char *pathbuf;
	size_t n;

	if (argc != 1) {
		fprintf(stderr, "btpctl explain: name one field, e.g. spec.retry.numRetries\n"
		    "Try 'btpctl explain --help'.\n");
		return EXIT_USAGE;
	}
	/* "spec.retry." is spec.retry */
	pathbuf = xstrdup(argv[0]);
	for (n = strlen(pathbuf); n > 1 && pathbuf[n - 1] == '.'; n--)
		pathbuf[n - 1] = '\0';
	path = pathbuf;
	if (is_rule_id(path)) {
		/* a lint rule: what it checks, why, how to fix, examples */
		if (lint_explain(path, stdout, cli->color) == 0) {
			free(pathbuf);
			return EXIT_CLEAN;
		}
		fprintf(stderr, "btpctl explain: %s: no such rule (btpctl rules lists them)\n",
		    path);
		free(pathbuf);
		return EXIT_USAGE;
	}
	if ((sc = cmd_load_schema(cli, opt_crd, opt_api_version, cli->offline, SCHEMA_NO_CEL,
	    &rc)) == NULL) {
		free(pathbuf);
		return rc;
	}
	sb_init(&name);
	sb_init(&sug);
	if (!resolve(sc, path, &f, &name)) {
		if (suggest(sc, path, &sug) != NULL)
			fprintf(stderr, "btpctl explain: %s: no such field; did you mean %s?\n",
			    path, sug.buf);
		else
			fprintf(stderr, "btpctl explain: %s: no such field\n", path);
		rc = EXIT_USAGE;
	} else if (cli->quiet)
		;	/* the exit code tells whether the field exists */
	else if (strcmp(cli_output(cli), "json") == 0)
		explain_json(sc, &f);
	else
		explain_text(sc, path, &f);
	sb_release(&name);
	sb_release(&sug);
	schema_free(sc);
	free(pathbuf);
	return rc;
}

const struct command cmd_explain = {
	"explain",
	"describe a BackendTrafficPolicy field: type, values, range, default, rules",
	"[options] FIELD.PATH",
	"text|json",
	run_explain, explain_opts, false,
};
