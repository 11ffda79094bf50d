/*
 * config.c: see config.h.  The file is parsed with the same loader as
 * manifests, so every problem has a file:line:col.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "diag.h"
#include "gen/embedded.h"
#include "lint.h"
#include "load.h"
#include "source.h"
#include "util.h"

#define CODE	"config"

void
config_init(struct btp_config *c)
{
	memset(c, 0, sizeof(*c));
}

void
config_release(struct btp_config *c)
{
	size_t i;

	free(c->path);
	free(c->dir);
	free(c->rules);
	for (i = 0; i < c->nignore; i++)
		free(c->ignore[i]);
	free(c->ignore);
	free(c->api_version);
	source_free(c->src);
	arena_free(c->arena);
	memset(c, 0, sizeof(*c));
}

static bool
exists(const char *p)
{
	return access(p, F_OK) == 0;
}

/*
 * The nearest .btpctl.yaml/.yml from the current directory upward, or
 * NULL; named relative to the current directory ("../../.btpctl.yaml"),
 * so that messages do not depend on where the checkout lives.
 */
static char *
find_upward(void)
{
	static const char *const names[] = { ".btpctl.yaml", ".btpctl.yml" };
	struct strbuf up;
	char dir[PATH_MAX], *slash, *p;
	size_t i;

	if (getcwd(dir, sizeof(dir)) == NULL)
		return NULL;
	sb_init(&up);
	for (;;) {
		for (i = 0; i < nitems(names); i++) {
			p = xasprintf("%s%s", up.buf, names[i]);
			if (exists(p)) {
				sb_release(&up);
				return p;
			}
			free(p);
		}
		if (strcmp(dir, "/") == 0) {
			sb_release(&up);
			return NULL;
		}
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		sb_adds(&up, "../");
	}
}

static int
first_doc(struct doc *d, void *ud)
{
	*(struct node **)ud = d->root;
	return 1;	/* stop: a config is one document */
}

/* Is there an embedded CRD for v ("v1.9" or "v1.9.0")? */
static bool
api_version_known(const char *v)
{
	const struct embedded_file *f;
	char *a = xasprintf("gateway.envoyproxy.io_backendtrafficpolicies.%s.yaml", v);
	char *b = xasprintf("gateway.envoyproxy.io_backendtrafficpolicies.%s.0.yaml", v);
	bool ok = false;

	for (f = embedded_files; f->name != NULL; f++)
		if (strcmp(f->name, a) == 0 || strcmp(f->name, b) == 0)
			ok = true;
	free(a);
	free(b);
	return ok;
}

static const char *const top_keys[] = { "apiVersion", "rules", "ignore", NULL };

static int
parse_rules(struct btp_config *c, const struct node *rules, struct diags *d)
{
	const struct lint_rule *r;
	const struct node *k, *v;
	const char *cands[128], *best;
	size_t i, n = 0;
	int level, bad = 0;

	if (rules->kind == NODE_NULL)
		return 0;
	if (rules->kind != NODE_MAP) {
		diag_add(d, SEV_ERROR, CODE, &rules->loc,
		    "'rules' must be a map of rule ids to off, error, warning or info");
		return 1;
	}
	for (i = 0; lint_rules[i] != NULL && n < nitems(cands) - 1; i++)
		cands[n++] = lint_rules[i]->id;
	cands[n] = NULL;
	c->rules = xcalloc(rules->n + 1, sizeof(*c->rules));
	for (i = 0; i < rules->n; i++) {
		k = rules->pairs[i].key;
		v = rules->pairs[i].val;
		if ((r = rule_find(k->str)) == NULL) {
			best = did_you_mean(k->str, cands);
			diag_add(d, SEV_ERROR, CODE, &k->loc, "unknown rule '%s'%s%s%s", k->str,
			    best ? " (did you mean " : "", best ? best : "", best ? "?)" : "");
			bad++;
			continue;
		}
		/* YAML 1.1 reads a bare off as false */
		if (v != NULL && v->kind == NODE_BOOL && !v->b)
			level = LINT_OFF;
		else if (v == NULL || !node_is_scalar(v) || v->kind == NODE_NULL ||
		    !lint_level_parse(v->str, &level)) {
			diag_add(d, SEV_ERROR, CODE, v ? &v->loc : &k->loc,
			    "rule %s: level must be off, error, warning or info, not '%s'",
			    r->id, v && v->str ? v->str : "");
			bad++;
			continue;
		}
		c->rules[c->nrules].id = r->id;
		c->rules[c->nrules].level = level;
		c->nrules++;
	}
	return bad;
}

static int
parse_ignore(struct btp_config *c, const struct node *ign, struct diags *d)
{
	size_t i;
	int bad = 0;

	if (ign->kind == NODE_NULL)
		return 0;
	if (ign->kind != NODE_SEQ) {
		diag_add(d, SEV_ERROR, CODE, &ign->loc,
		    "'ignore' must be a list of paths or globs");
		return 1;
	}
	c->ignore = xcalloc(ign->n + 1, sizeof(char *));
	for (i = 0; i < ign->n; i++) {
		if (ign->items[i]->kind != NODE_STRING || ign->items[i]->len == 0) {
			diag_add(d, SEV_ERROR, CODE, &ign->items[i]->loc,
			    "ignore entries must be non-empty strings (paths or globs)");
			bad++;
			continue;
		}
		c->ignore[c->nignore++] = xstrdup(str_has_prefix(ign->items[i]->str, "./") ?
		    ign->items[i]->str + 2 : ign->items[i]->str);
	}
	return bad;
}

int
config_load(struct btp_config *c, const char *explicit, struct diags *d)
{
	struct load_opts lo;
	struct node *root = NULL;
	const struct node *v;
	const char *best;
	char *data, *path, *slash, real[PATH_MAX];
	size_t len, i;
	int err, bad = 0;

	path = explicit ? xstrdup(explicit) : find_upward();
	if (path == NULL)
		return 0;
	if ((err = read_file(path, &data, &len)) != 0) {
		diag_add_file(d, SEV_ERROR, CODE, path, "cannot read the configuration file: %s",
		    strerror(err));
		free(path);
		return explicit ? 3 : 2;
	}
	c->path = path;
	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	slash = strrchr(real, '/');
	c->dir = slash ? xstrndup(real, (size_t)(slash - real)) : xstrdup(".");
	c->src = source_new(path, data, len, 1);
	c->arena = arena_new();
	load_opts_init(&lo);
	lo.empty_ok = true;
	if (load_source(c->src, c->arena, &lo, d, first_doc, &root) != 0 &&
	    root == NULL)
		return 2;
	if (root == NULL || root->kind == NODE_NULL)
		return 0;
	if (root->kind != NODE_MAP) {
		diag_add(d, SEV_ERROR, CODE, &root->loc,
		    "the configuration must be a map with apiVersion, rules and ignore");
		return 2;
	}
	for (i = 0; i < root->n; i++) {
		const char *k = root->pairs[i].key->str;

		if (strcmp(k, "apiVersion") == 0 || strcmp(k, "rules") == 0 ||
		    strcmp(k, "ignore") == 0)
			continue;
		best = did_you_mean(k, top_keys);
		diag_add(d, SEV_ERROR, CODE, &root->pairs[i].key->loc,
		    "unknown key '%s'%s%s%s (known: apiVersion, rules, ignore)", k,
		    best ? " (did you mean " : "", best ? best : "", best ? "?)" : "");
		bad++;
	}
	if ((v = node_get(root, "apiVersion")) != NULL) {
		if (v->kind != NODE_STRING && v->kind != NODE_FLOAT) {
			diag_add(d, SEV_ERROR, CODE, &v->loc,
			    "apiVersion must be an Envoy Gateway version such as v1.9");
			bad++;
		} else if (!api_version_known(v->str)) {
			diag_add(d, SEV_ERROR, CODE, &v->loc,
			    "apiVersion '%s' is not a known Envoy Gateway version (known: v1.8, v1.9)",
			    v->str);
			bad++;
		} else
			c->api_version = xstrdup(v->str);
	}
	if ((v = node_get(root, "rules")) != NULL)
		bad += parse_rules(c, v, d);
	if ((v = node_get(root, "ignore")) != NULL)
		bad += parse_ignore(c, v, d);
	return bad ? 2 : 0;
}

void
config_apply(const struct btp_config *c, struct lint_conf *lc)
{
	size_t i;

	for (i = 0; i < c->nrules; i++)
		lc->level[rule_index(rule_find(c->rules[i].id))] = (signed char)c->rules[i].level;
}

static bool
glob_match(const char *pat, const char *path)
{
	size_t n = strlen(pat);
	const char *base;

	if (n > 0 && pat[n - 1] == '/')		/* a directory: everything below it */
		return strncmp(path, pat, n) == 0 ||
		    (strncmp(path, pat, n - 1) == 0 && path[n - 1] == '\0');
	if (fnmatch(pat, path, 0) == 0)
		return true;
	if (strchr(pat, '/') == NULL) {		/* a bare name matches at any depth */
		base = strrchr(path, '/');
		return fnmatch(pat, base ? base + 1 : path, 0) == 0;
	}
	/* a directory named without the slash: match the directories of path */
	for (base = strchr(path, '/'); base != NULL; base = strchr(base + 1, '/')) {
		char *dir = xstrndup(path, (size_t)(base - path));
		bool hit = fnmatch(pat, dir, 0) == 0;

		free(dir);
		if (hit)
			return true;
	}
	return false;
}

bool
config_ignored(const struct btp_config *c, const char *path)
{
	char real[PATH_MAX];
	const char *rel = NULL, *given = path;
	size_t i, n;

	if (c->nignore == 0)
		return false;
	while (str_has_prefix(given, "./"))
		given += 2;
	if (c->dir != NULL && realpath(path, real) != NULL) {
		n = strlen(c->dir);
		if (strncmp(real, c->dir, n) == 0 && real[n] == '/')
			rel = real + n + 1;
	}
	for (i = 0; i < c->nignore; i++)
		if ((rel != NULL && glob_match(c->ignore[i], rel)) ||
		    glob_match(c->ignore[i], given))
			return true;
	return false;
}
