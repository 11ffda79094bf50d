/*
 * lint_suppress.c: suppressions of lint findings (see lint_internal.h).
 * Sources are scanned once for the comment marker, so the cost is linear
 * in the input; lookups are binary searches.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lint.h"
#include "lint_internal.h"
#include "source.h"
#include "util.h"

static struct suppression *
sup_new(struct suppressions *s)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	return &s->v[s->n++];
}

/* Store the rule's id when the token names a rule (by id or name), else the token. */
static void
set_id(struct suppression *p, const char *tok, size_t len)
{
	char buf[64];
	const struct lint_rule *r;
	size_t i;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	if ((r = rule_find(buf)) != NULL) {
		snprintf(p->id, sizeof(p->id), "%s", r->id);
		return;
	}
	for (i = 0; i < len && i < sizeof(p->id) - 1; i++)
		p->id[i] = (char)toupper((unsigned char)buf[i]);
	p->id[i] = '\0';
}

static bool
is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',';
}

/* Is line (0-based) blank or only a comment? */
static bool
line_is_comment(const struct source *src, size_t li)
{
	size_t n, i;
	const char *t = source_line(src, (int)li + 1, &n);

	for (i = 0; i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r'); i++)
		;
	return i == n || t[i] == '#';
}

static size_t
line_of(const struct source *src, size_t off)
{
	size_t lo = 0, hi = src->nlines;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (src->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void
scan_comment(struct suppressions *s, const struct source *src, const char *mark)
{
	size_t off = (size_t)(mark - src->data), li = line_of(src, off);
	size_t start = src->lines[li], i, quotes = 0, target;
	const char *p, *end, *hash = NULL, *tok;
	bool only = true;
	struct suppression *sp;

	for (p = src->data + start; p < mark; p++) {
		if (*p == '"' || *p == '\'')
			quotes++;
		if (*p == '#' && quotes % 2 == 0 && hash == NULL &&
		    (p == src->data + start || p[-1] == ' ' || p[-1] == '\t'))
			hash = p;
	}
	if (hash == NULL)
		return;
	for (p = hash + 1; p < mark; p++)
		if (*p != ' ' && *p != '\t')
			return;
	for (p = src->data + start; p < hash; p++)
		if (*p != ' ' && *p != '\t')
			only = false;
	p = mark + strlen(IGNORE_COMMENT);
	if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\0')
		return;
	target = li;
	if (only)
		for (target = li + 1; target < src->nlines && line_is_comment(src, target); target++)
			;
	end = src->data + (li + 1 < src->nlines ? src->lines[li + 1] : src->len);
	for (;;) {
		while (p < end && is_sep(*p))
			p++;
		if (p >= end || *p == '\n' || *p == '\r' || (p[0] == '-' && p + 1 < end && p[1] == '-'))
			break;
		tok = p;
		while (p < end && !is_sep(*p) && *p != '\n' && *p != '\r')
			p++;
		sp = sup_new(s);
		set_id(sp, tok, (size_t)(p - tok));
		sp->src = src;
		sp->line = (int)target + 1;
		sp->loc.src = src;
		sp->loc.line = (int)li + 1;
		sp->loc.col = (int)(tok - (src->data + start)) + 1;
		sp->loc.start = (size_t)(tok - src->data);
		sp->loc.end = (size_t)(p - src->data);
	}
	(void)i;
}

static void
scan_source(struct suppressions *s, const struct source *src)
{
	const char *p = src->data, *end = src->data + src->len, *m;
	size_t mlen = strlen(IGNORE_COMMENT), n;

	while (p < end && (m = memmem(p, (size_t)(end - p), IGNORE_COMMENT, mlen)) != NULL) {
		/* the line table, built on first use: most sources have no marker */
		(void)source_line(src, 1, &n);
		scan_comment(s, src, m);
		p = m + mlen;
	}
}

static void
scan_annotation(struct suppressions *s, const struct object *o)
{
	const struct node *ann, *v;
	const char *p, *tok;
	struct suppression *sp;

	if (o->metadata == NULL || (ann = node_get(o->metadata, "annotations")) == NULL ||
	    (v = node_get(ann, IGNORE_ANNOTATION)) == NULL || v->kind != NODE_STRING)
		return;
	for (p = v->str; *p; ) {
		while (*p && (is_sep(*p) || *p == '\n'))
			p++;
		if (*p == '\0')
			break;
		tok = p;
		while (*p && !is_sep(*p) && *p != '\n')
			p++;
		sp = sup_new(s);
		set_id(sp, tok, (size_t)(p - tok));
		sp->obj = o;
		sp->loc = v->loc;
	}
}

static int
cmp_ptr(uintptr_t a, uintptr_t b)
{
	return a < b ? -1 : a > b;
}

static int
cmp_comment(const void *a, const void *b)
{
	const struct suppression *x = a, *y = b;
	int c = cmp_ptr((uintptr_t)x->src, (uintptr_t)y->src);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
cmp_by_obj(const void *a, const void *b)
{
	const struct suppression *const *x = a, *const *y = b;

	return cmp_ptr((uintptr_t)(*x)->obj, (uintptr_t)(*y)->obj);
}

static int
cmp_src(const void *a, const void *b)
{
	return cmp_ptr((uintptr_t)*(const void *const *)a, (uintptr_t)*(const void *const *)b);
}

struct span {
	const struct source	*src;
	size_t			 start, end;
	int			 line;
	const struct object	*obj;
};

static int
cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c = cmp_ptr((uintptr_t)x->src, (uintptr_t)y->src);

	if (c != 0)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * The policy a comment belongs to: the one whose text contains it, or the
 * one that starts on the line the comment covers.  Spans are sorted.
 */
static const struct object *
owner(const struct span *v, size_t n, const struct suppression *p)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp_ptr((uintptr_t)v[mid].src, (uintptr_t)p->src) < 0 ||
		    (v[mid].src == p->src && v[mid].start <= p->loc.start))
			lo = mid + 1;
		else
			hi = mid;
	}
	/* v[lo - 1] starts at or before the comment; v[lo] after it */
	if (lo > 0 && v[lo - 1].src == p->src && p->loc.start < v[lo - 1].end)
		return v[lo - 1].obj;
	if (lo < n && v[lo].src == p->src && v[lo].line == p->line)
		return v[lo].obj;
	return NULL;
}

static void
attach_owners(struct suppressions *s, const struct objset *os)
{
	struct span *v = xcalloc(os->n + 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < os->n; i++) {
		const struct object *o = &os->v[i];

		if (o->type != OBJ_BTP || o->root->loc.src == NULL)
			continue;
		v[n].src = o->root->loc.src;
		v[n].start = o->root->loc.start;
		v[n].end = o->root->loc.end;
		v[n].line = o->root->loc.line;
		v[n].obj = o;
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_span);
	for (i = 0; i < s->ncomments; i++)
		s->v[i].owner = owner(v, n, &s->v[i]);
	free(v);
}

void
suppressions_init(struct suppressions *s, const struct objset *os)
{
	const struct source **srcs;
	size_t i, n = 0;

	memset(s, 0, sizeof(*s));
	srcs = xcalloc(os->n ? os->n : 1, sizeof(*srcs));
	for (i = 0; i < os->n; i++)
		if (os->v[i].type == OBJ_BTP && os->v[i].doc != NULL &&
		    (n == 0 || srcs[n - 1] != os->v[i].doc->src))
			srcs[n++] = os->v[i].doc->src;
	qsort(srcs, n, sizeof(*srcs), cmp_src);
	for (i = 0; i < n; i++)
		if (i == 0 || srcs[i] != srcs[i - 1])
			scan_source(s, srcs[i]);
	free(srcs);
	s->ncomments = s->n;
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_comment);
	attach_owners(s, os);
	for (i = 0; i < os->n; i++)
		if (os->v[i].type == OBJ_BTP)
			scan_annotation(s, &os->v[i]);
	s->by_obj = xcalloc(s->n - s->ncomments + 1, sizeof(*s->by_obj));
	for (i = s->ncomments; i < s->n; i++)
		s->by_obj[s->nby_obj++] = &s->v[i];
	if (s->nby_obj > 1)
		qsort(s->by_obj, s->nby_obj, sizeof(*s->by_obj), cmp_by_obj);
}

void
suppressions_release(struct suppressions *s)
{
	free(s->v);
	free(s->by_obj);
	memset(s, 0, sizeof(*s));
}

bool
suppressions_match(struct suppressions *s, const char *id, const struct object *o,
    const struct loc *loc)
{
	size_t lo, hi, mid;
	struct suppression key;
	bool hit = false;

	/* comments: the first entry at (src, line), then scan forward */
	if (loc->src != NULL && s->ncomments > 0) {
		memset(&key, 0, sizeof(key));
		key.src = loc->src;
		key.line = loc->line;
		lo = 0;
		hi = s->ncomments;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (cmp_comment(&s->v[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < s->ncomments && cmp_comment(&s->v[lo], &key) == 0; lo++)
			if (strcmp(s->v[lo].id, id) == 0) {
				s->v[lo].used = true;
				hit = true;
			}
	}
	if (s->nby_obj > 0) {
		lo = 0;
		hi = s->nby_obj;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (cmp_ptr((uintptr_t)s->by_obj[mid]->obj, (uintptr_t)o) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < s->nby_obj && s->by_obj[lo]->obj == o; lo++)
			if (strcmp(s->by_obj[lo]->id, id) == 0) {
				s->by_obj[lo]->used = true;
				hit = true;
			}
	}
	return hit;
}

void
suppressions_report_unused(struct suppressions *s, const struct lint_conf *conf,
    struct diags *out)
{
	const struct lint_rule *meta = rule_find("BTP900"), *r;
	struct diag *g;
	size_t i;
	int level;

	if (meta == NULL || (level = conf->level[rule_index(meta)]) == LINT_OFF)
		return;
	for (i = 0; i < s->n; i++) {
		const struct suppression *p = &s->v[i];
		const char *how = p->obj ? "annotation " IGNORE_ANNOTATION : "comment " IGNORE_COMMENT;

		if (p->used)
			continue;
		r = rule_find(p->id);
		if (r != NULL && conf->level[rule_index(r)] == LINT_OFF)
			continue;
		if (r == NULL)
			g = diag_add(out, (enum severity)level, meta->id, &p->loc,
			    "%s names '%s', which is not a btpctl rule; run 'btpctl rules' "
			    "for the list, or remove it", how, p->id);
		else
			g = diag_add(out, (enum severity)level, meta->id, &p->loc,
			    "%s suppresses %s (%s) but nothing here reports it; remove the "
			    "suppression", how, r->id, r->name);
		if (p->obj != NULL)
			diag_set_path(g, "metadata.annotations." IGNORE_ANNOTATION);
		if (p->obj != NULL || p->owner != NULL) {
			const struct object *o = p->obj ? p->obj : p->owner;

			diag_set_object(g, o->kind, object_ns(o), o->name[0] ? o->name : NULL);
		}
	}
}
