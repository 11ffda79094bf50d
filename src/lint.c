/*
 * lint.c: the lint engine (see lint.h): levels, running the rules over
 * every BackendTrafficPolicy, suppressions, and the accessors rules use.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "lint.h"
#include "lint_internal.h"
#include "policy.h"
#include "schema.h"
#include "source.h"
#include "units.h"
#include "util.h"

/* ---- levels ---- */

void
lint_conf_init(struct lint_conf *c)
{
	size_t i, n = rule_count();

	c->schema = NULL;
	c->translate = true;
	c->level = xmalloc(n ? n : 1);
	for (i = 0; i < n; i++)
		c->level[i] = (signed char)lint_rules[i]->sev;
}

void
lint_conf_release(struct lint_conf *c)
{
	free(c->level);
	c->level = NULL;
}

bool
lint_level_parse(const char *s, int *level)
{
	if (strcmp(s, "off") == 0)
		*level = LINT_OFF;
	else if (strcmp(s, "error") == 0)
		*level = SEV_ERROR;
	else if (strcmp(s, "warning") == 0)
		*level = SEV_WARNING;
	else if (strcmp(s, "info") == 0)
		*level = SEV_INFO;
	else
		return false;
	return true;
}

const char *
lint_level_name(int level)
{
	return level == LINT_OFF ? "off" : severity_name((enum severity)level);
}

/* ---- the run ---- */

struct lint_state {
	struct suppressions	 sup;
	const struct lint_conf	*conf;
	struct lint_stats	*st;
};

/* Copy g to the end of out. */
static void
copy_diag(struct diags *out, const struct diag *g)
{
	struct diag *n = diag_add(out, g->sev, g->code, &g->loc, "%s", g->message);

	if (g->loc.src == NULL && g->file != NULL) {
		free(n->file);
		n->file = xstrdup(g->file);
	}
	diag_set_path(n, g->path);
	diag_set_fix(n, g->fix);
	diag_set_object(n, g->obj.kind, g->obj.ns, g->obj.name);
	if (g->note != NULL)
		diag_set_note(n, g->note_loc.src ? &g->note_loc : NULL, "%s", g->note);
}

/*
 * Envoy Gateway's translator checks (schema.h), minus those at a place
 * where a rule already reported (out->v[first..]): the rule's finding
 * names the same problem and says what to do.
 */
static void
translate_checks(const struct object *o, struct diags *out, size_t first)
{
	struct diags t;
	size_t i, j;
	bool dup;

	diags_init(&t);
	schema_translate_checks(o, &t);
	for (i = 0; i < t.n; i++) {
		dup = false;
		for (j = first; j < out->n && !dup; j++)
			dup = str_has_prefix(out->v[j].code, "BTP") &&
			    out->v[j].loc.src == t.v[i].loc.src &&
			    out->v[j].loc.line == t.v[i].loc.line &&
			    out->v[j].loc.col == t.v[i].loc.col;
		if (!dup)
			copy_diag(out, &t.v[i]);
	}
	diags_release(&t);
}

void
lint_run(const struct lint_conf *conf, const struct objset *os, struct diags *out,
    struct lint_stats *st)
{
	struct lint_stats dummy;
	struct lint_ctx ctx;
	struct suppressions sup;
	struct schema_opts so;
	struct policy pol;
	struct diags pd;
	struct arena *pa;
	size_t i, r, nrules = rule_count(), first;
	int level, nerr;

	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	suppressions_init(&sup, os);
	memset(&so, 0, sizeof(so));
	so.scratch = schema_scratch_new();
	memset(&ctx, 0, sizeof(ctx));
	ctx.os = os;
	ctx.ix = lint_index_new(os);
	ctx.out = out;
	ctx.sup = &sup;
	ctx.st = st;
	for (i = 0; i < os->n; i++) {
		const struct object *o = &os->v[i];

		if (o->type != OBJ_BTP)
			continue;
		st->policies++;
		/* everything validate reports comes first */
		nerr = check_structure(o, out);
		if (conf->schema != NULL)
			schema_validate(conf->schema, o, out, &so);
		if (nerr > 0 && (o->spec == NULL || o->spec->kind != NODE_MAP))
			continue;
		first = out->n;
		ctx.obj = o;
		pa = arena_new();
		diags_init(&pd);
		policy_build(pa, o, &pol, &pd);
		diags_release(&pd);	/* reserved: the schema reports everything */
		ctx.pol = &pol;
		for (r = 0; r < nrules; r++) {
			level = conf->level[r];
			if (level == LINT_OFF || lint_rules[r]->check == NULL)
				continue;
			ctx.rule = lint_rules[r];
			ctx.sev = (enum severity)level;
			lint_rules[r]->check(&ctx);
		}
		ctx.pol = NULL;
		arena_free(pa);
		if (conf->translate)
			translate_checks(o, out, first);
	}
	schema_scratch_free(so.scratch);
	suppressions_report_unused(&sup, conf, out);
	suppressions_release(&sup);
	lint_index_free(ctx.ix);
}

struct diag *
lint_report(struct lint_ctx *ctx, const struct node *at, const char *path,
    const char *fmt, ...)
{
	const struct object *o = ctx->obj;
	struct loc whole;
	const struct loc *loc = &whole;
	struct strbuf sb;
	struct diag *g;
	va_list ap;

	if (at != NULL)
		loc = &at->loc;
	else {
		/* the object itself: its first line, with a one-column caret */
		whole = o->root->loc;
		whole.end = whole.start;
	}
	if (ctx->sup != NULL && suppressions_match(ctx->sup, ctx->rule->id, o, loc)) {
		if (ctx->st != NULL)
			ctx->st->suppressed++;
		return NULL;
	}
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	g = diag_add(ctx->out, ctx->sev, ctx->rule->id, loc, "%s", sb.buf);
	sb_release(&sb);
	if (path != NULL)
		diag_set_path(g, path);
	diag_set_object(g, o->kind, object_ns(o), o->name[0] ? o->name : NULL);
	return g;
}

/* ---- accessors ---- */

struct node *
lint_spec(const struct lint_ctx *ctx, const char *dotted)
{
	const struct node *spec = ctx->obj->spec;

	if (spec == NULL || spec->kind != NODE_MAP)
		return NULL;
	return node_path(spec, dotted);
}

const struct node *
lint_key(const struct node *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != NODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key->str, key) == 0)
			return map->pairs[i].key;
	return NULL;
}

const struct node *
lint_where(const struct lint_ctx *ctx, const char *dotted)
{
	char *p = xstrdup(dotted), *dot;
	const struct node *parent, *k = NULL;
	const char *key;

	for (;;) {
		if ((dot = strrchr(p, '.')) != NULL) {
			*dot = '\0';
			parent = lint_spec(ctx, p);
			key = dot + 1;
		} else {
			parent = ctx->obj->spec;
			key = p;
		}
		if ((k = lint_key(parent, key)) != NULL || dot == NULL)
			break;
	}
	free(p);
	return k;
}

bool
lint_has(const struct lint_ctx *ctx, const char *dotted)
{
	const struct node *n = lint_spec(ctx, dotted);

	return n != NULL && n->kind != NODE_NULL;
}

bool
lint_duration(const struct node *n, int64_t *ns)
{
	if (n == NULL || n->kind != NODE_STRING)
		return false;
	return units_gwapi_duration(n->str, ns) || units_go_duration(n->str, ns);
}

bool
lint_int(const struct node *n, int64_t *v)
{
	if (n == NULL || n->kind != NODE_INT)
		return false;
	*v = n->i;
	return true;
}

bool
lint_quantity(const struct node *n, int64_t *v)
{
	if (n == NULL)
		return false;
	if (n->kind == NODE_INT) {
		*v = n->i;
		return true;
	}
	if (n->kind == NODE_STRING)
		return units_quantity(n->str, v);
	return false;
}

const char *
lint_fmt_duration(int64_t ns, char buf[32])
{
	int64_t h, m, s, ms;
	size_t len = 0;

	if (ns == 0) {
		strcpy(buf, "0s");
		return buf;
	}
	if (ns < 0) {
		snprintf(buf, 32, "%" PRId64 "ns", ns);
		return buf;
	}
	if (ns % 1000000 != 0) {
		snprintf(buf, 32, "%gms", (double)ns / 1e6);
		return buf;
	}
	ms = ns / 1000000;
	h = ms / 3600000;
	m = ms / 60000 % 60;
	s = ms / 1000 % 60;
	ms %= 1000;
	buf[0] = '\0';
	if (h)
		len += (size_t)snprintf(buf + len, 32 - len, "%" PRId64 "h", h);
	if (m)
		len += (size_t)snprintf(buf + len, 32 - len, "%" PRId64 "m", m);
	if (s && ms)
		snprintf(buf + len, 32 - len, "%gs", (double)s + (double)ms / 1000.0);
	else if (s)
		snprintf(buf + len, 32 - len, "%" PRId64 "s", s);
	else if (ms)
		snprintf(buf + len, 32 - len, "%" PRId64 "ms", ms);
	return buf;
}
