/*
 * lint.c: the lint engine (see lint.h): levels, running the rules over
 * every BackendTrafficPolicy, suppressions, and the accessors rules use.
 */
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "lint.h"
#include "lint_internal.h"
#include "par.h"
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
	c->jobs = 0;
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
 * One policy's findings before suppressions: d->v[0..first) validate's,
 * [first..tfirst) the per-policy rules', [tfirst..xfirst) the translator
 * checks', [xfirst..n) the cross-object rules'.
 */
struct lint_res {
	struct diags	d;
	size_t		first, tfirst, xfirst;
};

/* What the threads of one run share; each takes the next policy. */
struct lint_work {
	const struct lint_conf	*conf;
	const struct objset	*os;
	struct lint_xobj	*x;
	size_t			*btp;		/* indexes of the policies in os */
	size_t			 nbtp;
	struct lint_res		*res;		/* per policy */
	size_t			 next;		/* taken atomically */
};

/*
 * Everything about one policy, into out: validate's checks, the rules,
 * the translator checks.  Suppressions are applied later, in input order,
 * on the calling thread.
 */
static void
lint_policy(struct lint_work *w, const struct object *o, struct lint_res *res,
    struct schema_opts *so)
{
	struct diags *out = &res->d;
	const struct lint_conf *conf = w->conf;
	struct lint_ctx ctx;
	struct policy pol;
	struct diags pd;
	struct arena *pa;
	size_t r, nrules = rule_count();
	int level;

	/* everything validate reports comes first */
	(void)check_structure(o, out, conf->schema != NULL ? CHECK_NO_SPEC : 0);
	if (conf->schema != NULL)
		schema_validate(conf->schema, o, out, so);
	res->first = res->tfirst = res->xfirst = out->n;
	if (o->spec == NULL || o->spec->kind != NODE_MAP)
		return;
	memset(&ctx, 0, sizeof(ctx));
	ctx.os = w->os;
	ctx.x = NULL;		/* still being computed: only lint_cross() reads it */
	ctx.out = out;
	ctx.obj = o;
	pa = arena_new();
	diags_init(&pd);
	policy_build(pa, o, &pol, &pd);
	diags_release(&pd);	/* reserved: the schema reports everything */
	ctx.pol = &pol;
	ctx.arena = pa;
	for (r = 0; r < nrules; r++) {
		level = conf->level[r];
		if (level == LINT_OFF || lint_rules[r]->check == NULL ||
		    lint_rules[r]->family == FAMILY_CROSS_OBJECT)
			continue;
		ctx.rule = lint_rules[r];
		ctx.sev = (enum severity)level;
		lint_rules[r]->check(&ctx);
	}
	arena_free(pa);
	res->tfirst = out->n;
	if (conf->translate)
		schema_translate_checks(o, out);
	res->xfirst = out->n;
}

/* The cross-object rules on one policy, once the engine's facts are known. */
static void
lint_cross(struct lint_work *w, const struct object *o, struct lint_res *res,
    struct arena *a)
{
	const struct lint_conf *conf = w->conf;
	struct lint_ctx ctx;
	size_t r, nrules = rule_count();
	int level;

	if (o->spec == NULL || o->spec->kind != NODE_MAP)
		return;		/* validate's findings stopped the rules */
	memset(&ctx, 0, sizeof(ctx));
	ctx.os = w->os;
	ctx.x = w->x;
	ctx.out = &res->d;
	ctx.obj = o;
	ctx.arena = a;
	for (r = 0; r < nrules; r++) {
		level = conf->level[r];
		if (level == LINT_OFF || lint_rules[r]->check == NULL ||
		    lint_rules[r]->family != FAMILY_CROSS_OBJECT)
			continue;
		ctx.rule = lint_rules[r];
		ctx.sev = (enum severity)level;
		lint_rules[r]->check(&ctx);
	}
}

/* The precedence engine, on a thread of its own while the policies are checked. */
static void *
xobj_thread(void *arg)
{
	struct lint_work *w = arg;

	w->x = lint_xobj_new(w->os);
	return NULL;
}

/* Is any cross-object rule on? */
static bool
cross_enabled(const struct lint_conf *conf)
{
	size_t r;

	for (r = 0; lint_rules[r] != NULL; r++)
		if (conf->level[r] != LINT_OFF &&
		    lint_rules[r]->family == FAMILY_CROSS_OBJECT)
			return true;
	return false;
}

static void *
lint_worker(void *arg)
{
	struct lint_work *w = arg;
	struct schema_opts so;
	size_t i;

	memset(&so, 0, sizeof(so));
	so.scratch = schema_scratch_new();
	while ((i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->nbtp)
		lint_policy(w, &w->os->v[w->btp[i]], &w->res[i], &so);
	schema_scratch_free(so.scratch);
	return NULL;
}

/* Is a translator finding at the place of a rule's finding that is kept? */
static bool
said_by_rule(const struct lint_res *res, const bool *kept, const struct diag *t)
{
	const struct diags *d = &res->d;
	size_t j;

	for (j = res->first; j < d->n; j++)
		if ((j < res->tfirst || j >= res->xfirst) && kept[j] &&
		    d->v[j].loc.src == t->loc.src && d->v[j].loc.line == t->loc.line &&
		    d->v[j].loc.col == t->loc.col)
			return true;
	return false;
}

/* Rule finding i of res: copy it to out unless a suppression matches. */
static void
keep_rule_finding(struct suppressions *sup, const struct object *o,
    const struct lint_res *res, size_t i, bool *kept, struct diags *out,
    struct lint_stats *st)
{
	const struct diag *g = &res->d.v[i];

	if (suppressions_match(sup, g->code, o, &g->loc)) {
		st->suppressed++;
		return;
	}
	kept[i] = true;
	copy_diag(out, g);
}

/*
 * Copy one policy's findings to out in order, without the suppressed
 * rule findings, and without the translator findings at a place where a
 * rule reported (the rule's finding names the same problem and says what
 * to do).
 */
static void
apply_suppressions(struct suppressions *sup, const struct object *o,
    const struct lint_res *res, struct diags *out, struct lint_stats *st)
{
	const struct diags *d = &res->d;
	bool *kept = xcalloc(d->n + 1, sizeof(*kept));
	size_t i;

	for (i = 0; i < res->first; i++)
		copy_diag(out, &d->v[i]);
	/* the rules in catalogue order: the cross-object ones come last */
	for (i = res->first; i < res->tfirst; i++)
		keep_rule_finding(sup, o, res, i, kept, out, st);
	for (i = res->xfirst; i < d->n; i++)
		keep_rule_finding(sup, o, res, i, kept, out, st);
	for (i = res->tfirst; i < res->xfirst; i++)
		if (!said_by_rule(res, kept, &d->v[i]))
			copy_diag(out, &d->v[i]);
	free(kept);
}

void
lint_run(const struct lint_conf *conf, const struct objset *os, struct diags *out,
    struct lint_stats *st)
{
	struct lint_stats dummy;
	struct suppressions sup;
	struct lint_work w;
	struct arena *a;
	pthread_t *tids, xt;
	size_t i, nthreads;
	bool cross;

	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	suppressions_init(&sup, os);
	memset(&w, 0, sizeof(w));
	w.conf = conf;
	w.os = os;
	w.btp = xcalloc(os->n + 1, sizeof(*w.btp));
	for (i = 0; i < os->n; i++)
		if (os->v[i].type == OBJ_BTP)
			w.btp[w.nbtp++] = i;
	w.res = xcalloc(w.nbtp + 1, sizeof(*w.res));
	for (i = 0; i < w.nbtp; i++)
		diags_init(&w.res[i].d);
	nthreads = conf->jobs > 0 ? (size_t)conf->jobs : (size_t)par_default_jobs();
	if (nthreads > w.nbtp)
		nthreads = w.nbtp;
	tids = xcalloc(nthreads + 1, sizeof(*tids));
	/*
	 * The engine reads the objects while the policies are checked;
	 * nothing writes them.  With one job it runs first, on this thread.
	 */
	cross = cross_enabled(conf) && w.nbtp > 0;
	if (cross && nthreads > 1) {
		if (pthread_create(&xt, NULL, xobj_thread, &w) != 0)
			fatal("pthread_create failed");
	} else if (cross)
		xobj_thread(&w);
	/* the calling thread works too */
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, lint_worker, &w) != 0)
			fatal("pthread_create failed");
	lint_worker(&w);
	for (i = 1; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	if (cross && nthreads > 1)
		pthread_join(xt, NULL);
	if (cross) {
		a = arena_new();
		for (i = 0; i < w.nbtp; i++) {
			lint_cross(&w, &w.os->v[w.btp[i]], &w.res[i], a);
			arena_reset(a);
		}
		arena_free(a);
	}
	for (i = 0; i < w.nbtp; i++) {
		st->policies++;
		apply_suppressions(&sup, &os->v[w.btp[i]], &w.res[i], out, st);
		diags_release(&w.res[i].d);
	}
	free(w.res);
	free(w.btp);
	suppressions_report_unused(&sup, conf, out);
	suppressions_release(&sup);
	lint_xobj_free(w.x);
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
