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

/*
 * A run has two passes.  The first streams the documents through par.h's
 * workers: each document's objects are indexed, its policies get
 * validate's checks, the per-policy rules and the translator checks, and
 * a compact copy of every object (lint_skeleton) is kept; the document
 * itself is released at once.  The second, on the calling thread, puts
 * the copies back in input order, runs the precedence engine and the
 * cross-object rules on them, and applies the suppressions.  Memory is
 * the copies and the findings, not the documents.
 */

/*
 * One policy's findings before suppressions: d.v[0..first) validate's,
 * [first..tfirst) the per-policy rules', [tfirst..xfirst) the translator
 * checks', [xfirst..n) the cross-object rules'.
 */
struct lint_res {
	struct diags	 d;
	size_t		 first, tfirst, xfirst;
	struct object	*full;	/* non-NULL: checked in the second pass, on this copy */
};

/* What the first pass keeps of a document. */
struct lint_doc {
	struct doc	 doc;		/* src, index and loc; no root */
	size_t		 srcno;		/* the source's position in the inputs */
	struct object	*objs;		/* a copy of each object, in objset order */
	size_t		 nobjs;
	struct lint_res	*res;		/* one per policy among them, in order */
	struct lint_doc	*next;		/* the worker's list */
};

/* A worker thread's own. */
struct lint_thread {
	struct schema_opts	 so;
	struct arena		*keep;		/* lint_doc records and the copies */
	struct skel		*skel;		/* makes the copies */
	struct arena		*scratch;	/* per policy */
	struct lint_doc		*docs;
	size_t			 ndocs;
	unsigned		 seen;		/* policies so far */
	struct lint_thread	*next;		/* the run's list, once finished */
};

/* What the workers share. */
struct lint_pass {
	const struct lint_conf	*conf;
	unsigned		 defer;		/* every defer-th policy waits; 0: none */
	pthread_mutex_t		 lock;
	struct lint_thread	*done;		/* finished threads, under lock */
};

/* Does the rule run in the second pass, with the precedence engine's facts? */
static bool
second_pass(const struct lint_rule *r)
{
	return r->family == FAMILY_CROSS_OBJECT || r->layered;
}

/*
 * Everything about one policy, into res: validate's checks, the rules,
 * the translator checks.  Suppressions are applied in the second pass.
 * pa is scratch space for the rules, emptied by the caller.
 */
static void
lint_policy(const struct lint_conf *conf, const struct object *o, struct lint_res *res,
    struct schema_opts *so, struct arena *pa)
{
	struct diags *out = &res->d;
	struct lint_ctx ctx;
	struct policy pol;
	struct diags pd;
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
	ctx.out = out;
	ctx.obj = o;
	diags_init(&pd);
	policy_build(pa, o, &pol, &pd);
	diags_release(&pd);	/* reserved: the schema reports everything */
	ctx.pol = &pol;
	ctx.arena = pa;
	for (r = 0; r < nrules; r++) {
		level = conf->level[r];
		if (level == LINT_OFF || lint_rules[r]->check == NULL ||
		    second_pass(lint_rules[r]))
			continue;
		ctx.rule = lint_rules[r];
		ctx.sev = (enum severity)level;
		lint_rules[r]->check(&ctx);
	}
	res->tfirst = out->n;
	if (conf->translate)
		schema_translate_checks(o, out);
	res->xfirst = out->n;
}

static void *
thread_init(void *ud)
{
	struct lint_thread *t = xcalloc(1, sizeof(*t));

	(void)ud;
	t->so.scratch = schema_scratch_new();
	t->keep = arena_new_large();
	t->skel = skel_new(t->keep);
	t->scratch = arena_new();
	return t;
}

static void
thread_fini(void *state, void *ud)
{
	struct lint_pass *lp = ud;
	struct lint_thread *t = state;

	schema_scratch_free(t->so.scratch);
	t->so.scratch = NULL;
	skel_free(t->skel);
	t->skel = NULL;
	arena_free(t->scratch);
	t->scratch = NULL;
	pthread_mutex_lock(&lp->lock);
	t->next = lp->done;
	lp->done = t;
	pthread_mutex_unlock(&lp->lock);
}

/* The first pass on one document, on a worker thread. */
static int
lint_doc(struct doc *d, struct diags *diags, void *ud, void *state)
{
	struct lint_pass *lp = ud;
	struct lint_thread *t = state;
	struct lint_doc *rec;
	struct lint_res *res;
	struct objset os;
	size_t i, npol = 0;

	objset_init(&os);
	objset_add_doc(&os, d, diags, lp->conf->verbose);
	check_groupless(d->root, diags);
	if (os.n > 0) {
		rec = arena_alloc(t->keep, sizeof(*rec));
		rec->doc = *d;
		rec->doc.root = NULL;
		rec->doc.arena = NULL;
		rec->nobjs = os.n;
		rec->objs = arena_alloc(t->keep, os.n * sizeof(*rec->objs));
		for (i = 0; i < os.n; i++)
			if (os.v[i].type == OBJ_BTP)
				npol++;
		rec->res = arena_alloc(t->keep, (npol + 1) * sizeof(*rec->res));
		for (i = 0, npol = 0; i < os.n; i++) {
			lint_skeleton(t->skel, &os.v[i], &rec->objs[i]);
			if (os.v[i].type != OBJ_BTP)
				continue;
			res = &rec->res[npol++];
			if (lp->defer > 0 && ++t->seen % lp->defer == 0) {
				res->full = arena_alloc(t->keep, sizeof(*res->full));
				lint_full_copy(t->skel, &os.v[i], res->full);
				res->full->doc = &rec->doc;
				continue;
			}
			lint_policy(lp->conf, &os.v[i], res, &t->so, t->scratch);
			arena_reset(t->scratch);
		}
		rec->next = t->docs;
		t->docs = rec;
		t->ndocs++;
	}
	objset_release(&os);
	return 0;
}

/* The second-pass rules on one policy, once the engine's facts are known. */
static void
lint_cross(const struct lint_conf *conf, struct lint_xobj *x, const struct objset *os,
    const struct object *o, struct lint_res *res, struct arena *a)
{
	struct lint_ctx ctx;
	size_t r, nrules = rule_count();
	int level;

	if (o->spec == NULL || o->spec->kind != NODE_MAP)
		return;		/* validate's findings stopped the rules */
	memset(&ctx, 0, sizeof(ctx));
	ctx.os = os;
	ctx.x = x;
	ctx.out = &res->d;
	ctx.obj = o;
	ctx.arena = a;
	for (r = 0; r < nrules; r++) {
		level = conf->level[r];
		if (level == LINT_OFF || lint_rules[r]->check == NULL ||
		    !second_pass(lint_rules[r]))
			continue;
		ctx.rule = lint_rules[r];
		ctx.sev = (enum severity)level;
		lint_rules[r]->check(&ctx);
	}
}

/* Is any rule of the second pass on? */
static bool
second_pass_enabled(const struct lint_conf *conf)
{
	size_t r;

	for (r = 0; lint_rules[r] != NULL; r++)
		if (conf->level[r] != LINT_OFF && second_pass(lint_rules[r]))
			return true;
	return false;
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

/* Rule finding i of res: mark it kept unless a suppression matches. */
static void
keep_rule_finding(struct suppressions *sup, const struct object *o,
    const struct lint_res *res, size_t i, bool *kept, struct lint_stats *st)
{
	const struct diag *g = &res->d.v[i];

	if (suppressions_match(sup, g->code, o, &g->loc))
		st->suppressed++;
	else
		kept[i] = true;
}

/*
 * Move one policy's findings to out in order, without the suppressed
 * rule findings, and without the translator findings at a place where a
 * rule reported (the rule's finding names the same problem and says what
 * to do).
 */
static void
apply_suppressions(struct suppressions *sup, const struct object *o,
    struct lint_res *res, struct diags *out, struct lint_stats *st)
{
	struct diags *d = &res->d;
	bool *kept = xcalloc(d->n + 1, sizeof(*kept));
	size_t i, j;

	for (i = 0; i < res->first; i++)
		kept[i] = true;
	for (i = res->first; i < res->tfirst; i++)
		keep_rule_finding(sup, o, res, i, kept, st);
	for (i = res->xfirst; i < d->n; i++)
		keep_rule_finding(sup, o, res, i, kept, st);
	for (i = res->tfirst; i < res->xfirst; i++)
		kept[i] = !said_by_rule(res, kept, &d->v[i]);
	/* validate's, then the rules' of both passes in catalogue order */
	for (i = 0; i < res->first; i++)
		diag_move(out, &d->v[i]);
	for (i = res->first, j = res->xfirst; i < res->tfirst || j < d->n; ) {
		/* ids sort as the catalogue does (rules.h) */
		if (j >= d->n || (i < res->tfirst &&
		    strcmp(d->v[i].code, d->v[j].code) <= 0)) {
			if (kept[i])
				diag_move(out, &d->v[i]);
			i++;
		} else {
			if (kept[j])
				diag_move(out, &d->v[j]);
			j++;
		}
	}
	/* then the translator's */
	for (i = res->tfirst; i < res->xfirst; i++)
		if (kept[i])
			diag_move(out, &d->v[i]);
	free(kept);
	diags_release(d);
}

static int
cmp_doc(const void *a, const void *b)
{
	const struct lint_doc *x = *(const struct lint_doc *const *)a;
	const struct lint_doc *y = *(const struct lint_doc *const *)b;

	if (x->srcno != y->srcno)
		return x->srcno < y->srcno ? -1 : 1;
	return x->doc.index < y->doc.index ? -1 : x->doc.index > y->doc.index;
}

struct srcpos {
	const struct source	*src;
	size_t			 no;
};

static int
cmp_srcpos(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct srcpos *)a)->src;
	uintptr_t y = (uintptr_t)((const struct srcpos *)b)->src;

	return x < y ? -1 : x > y;
}

/* Every document the workers kept, in input order. */
static struct lint_doc **
gather(struct lint_pass *lp, const struct inputs *in, struct lint_objects *lo,
    size_t *ndocs)
{
	struct srcpos *pos = xcalloc(in->n + 1, sizeof(*pos)), key, *hit;
	struct lint_thread *t, *tnext;
	struct lint_doc **v, *d;
	size_t i, n = 0;

	for (t = lp->done; t != NULL; t = t->next)
		n += t->ndocs;
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < in->n; i++) {
		pos[i].src = in->v[i];
		pos[i].no = i;
	}
	qsort(pos, in->n, sizeof(*pos), cmp_srcpos);
	n = 0;
	for (t = lp->done; t != NULL; t = tnext) {
		tnext = t->next;
		for (d = t->docs; d != NULL; d = d->next) {
			key.src = d->doc.src;
			hit = bsearch(&key, pos, in->n, sizeof(*pos), cmp_srcpos);
			d->srcno = hit != NULL ? hit->no : in->n;
			v[n++] = d;
		}
		lo->arenas = xreallocarray(lo->arenas, lo->narenas + 1, sizeof(*lo->arenas));
		lo->arenas[lo->narenas++] = t->keep;
		free(t);
	}
	lp->done = NULL;
	free(pos);
	qsort(v, n, sizeof(*v), cmp_doc);
	*ndocs = n;
	return v;
}

/* A share of the second pass, for a helper thread. */
struct share {
	const struct lint_conf	 *conf;
	struct lint_xobj	 *x;
	const struct objset	 *os;
	const struct object	**pol;		/* the policies, in input order */
	struct lint_res		**res;		/* their findings */
	size_t			  from, to;	/* the share of pol */
	struct suppressions	 *sup;
	size_t			 *late;		/* indexes of the policies whose checks wait */
	size_t			  nlate;
	size_t			 *next_late;	/* the next to take, atomically */
};

/* Check the policies the first pass left for later, taking them one by one. */
static void
check_late(struct share *w)
{
	struct schema_opts so;
	struct arena *pa = arena_new();
	struct lint_res *r;
	size_t i;

	memset(&so, 0, sizeof(so));
	so.scratch = schema_scratch_new();
	while ((i = __atomic_fetch_add(w->next_late, 1, __ATOMIC_RELAXED)) < w->nlate) {
		r = w->res[w->late[i]];
		lint_policy(w->conf, r->full, r, &so, pa);
		arena_reset(pa);
	}
	schema_scratch_free(so.scratch);
	arena_free(pa);
}

/* The second-pass rules on the share's policies. */
static void *
cross_share(void *arg)
{
	struct share *w = arg;
	struct arena *a = arena_new();
	size_t i;

	for (i = w->from; i < w->to; i++) {
		lint_cross(w->conf, w->x, w->os, w->pol[i], w->res[i], a);
		arena_reset(a);
	}
	arena_free(a);
	return NULL;
}

/* The helper's part while the engine runs: suppressions, then late checks. */
static void *
find_suppressions(void *arg)
{
	struct share *w = arg;

	suppressions_init(w->sup, w->os);
	check_late(w);
	return NULL;
}

/* Run fn(w) on a thread of its own when helper is set, else here. */
static bool
start(pthread_t *t, void *(*fn)(void *), struct share *w, bool helper)
{
	if (helper && pthread_create(t, NULL, fn, w) == 0)
		return true;
	fn(w);
	return false;
}

int
lint_run(const struct lint_conf *conf, const struct inputs *in,
    const struct load_opts *opts, struct diags *out, struct lint_stats *st,
    struct lint_objects *lo)
{
	struct lint_stats dummy;
	struct suppressions sup;
	struct lint_pass lp;
	struct par_ops ops;
	struct lint_doc **docs;
	struct lint_res **res;
	const struct object **pol;
	struct lint_xobj *x = NULL;
	struct objset *os = &lo->os;
	struct share w, h;
	pthread_t t;
	size_t i, j, k, p, ndocs, npol = 0, nlate = 0, next_late = 0, *late;
	bool helper, started;
	int rc;

	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	memset(lo, 0, sizeof(*lo));
	objset_init(os);
	memset(&lp, 0, sizeof(lp));
	lp.conf = conf;
	/*
	 * The second pass runs the engine on one thread.  With a helper, the
	 * first pass leaves the checks of every third policy (a whole copy
	 * kept) for the helper to do meanwhile: both cores stay busy.
	 */
	helper = (conf->jobs > 0 ? conf->jobs : par_default_jobs()) > 1;
	if (helper && second_pass_enabled(conf))
		lp.defer = 3;
	pthread_mutex_init(&lp.lock, NULL);
	memset(&ops, 0, sizeof(ops));
	ops.fn = lint_doc;
	ops.init = thread_init;
	ops.fini = thread_fini;
	rc = par_run(in, opts, conf->jobs, &ops, &lp, out);
	pthread_mutex_destroy(&lp.lock);

	/* the second pass: the copies in input order */
	docs = gather(&lp, in, lo, &ndocs);
	for (i = 0, k = 0; i < ndocs; i++)
		k += docs[i]->nobjs;
	objset_reserve(os, k);
	for (i = 0; i < ndocs; i++)
		for (j = 0; j < docs[i]->nobjs; j++) {
			objset_push(os, &docs[i]->objs[j], &docs[i]->doc);
			if (docs[i]->objs[j].type == OBJ_BTP)
				npol++;
		}
	/* the policies and their findings, in input order */
	pol = xcalloc(npol + 1, sizeof(*pol));
	res = xcalloc(npol + 1, sizeof(*res));
	for (i = 0, k = 0, npol = 0; i < ndocs; i++)
		for (j = 0, p = 0; j < docs[i]->nobjs; j++, k++)
			if (os->v[k].type == OBJ_BTP) {
				pol[npol] = &os->v[k];
				res[npol++] = &docs[i]->res[p++];
			}
	free(docs);
	/*
	 * With more than one job, a helper finds the suppressions and does the
	 * late checks while the engine runs, then takes half of the
	 * second-pass rules.
	 */
	late = xcalloc(npol + 1, sizeof(*late));
	for (i = 0; i < npol; i++)
		if (res[i]->full != NULL)
			late[nlate++] = i;
	memset(&w, 0, sizeof(w));
	w.late = late;
	w.nlate = nlate;
	w.next_late = &next_late;
	w.conf = conf;
	w.os = os;
	w.pol = pol;
	w.res = res;
	w.sup = &sup;
	started = start(&t, find_suppressions, &w, helper);
	if (npol > 0 && second_pass_enabled(conf))
		w.x = x = lint_xobj_new(os);
	check_late(&w);		/* with the helper, what it has not taken yet */
	if (started)
		pthread_join(t, NULL);
	if (x != NULL) {
		h = w;
		h.from = npol / 2;
		h.to = npol;
		w.to = helper ? npol / 2 : npol;
		started = helper && start(&t, cross_share, &h, true);
		cross_share(&w);
		if (started)
			pthread_join(t, NULL);
	}
	for (i = 0; i < npol; i++) {
		st->policies++;
		apply_suppressions(&sup, pol[i], res[i], out, st);
	}
	free(late);
	free(pol);
	free(res);
	suppressions_report_unused(&sup, conf, out);
	suppressions_release(&sup);
	lint_xobj_free(x);
	return rc;
}

void
lint_objects_release(struct lint_objects *lo)
{
	size_t i;

	objset_release(&lo->os);
	for (i = 0; i < lo->narenas; i++)
		arena_free(lo->arenas[i]);
	free(lo->arenas);
	memset(lo, 0, sizeof(*lo));
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
