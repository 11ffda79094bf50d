/*
 * diff_load.c: load the two sides of an object diff without holding
 * either as trees (see diff.h, diff_load_sides).
 *
 * Pass 1 parses every document on worker threads (par.h) and keeps, per
 * object, its identity and a 64-bit digest of its content as written
 * (status and server-owned metadata left out), then drops the tree.
 * Objects whose digests agree on both sides are the same and are only
 * counted.  Pass 2 parses again just the documents of the objects left
 * (changed, added, removed), into one arena per side, for the field walk.
 * Memory is bounded by the records, a few batches in flight and the
 * objects that differ, not by the input.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "arena.h"
#include "diag.h"
#include "diff_int.h"
#include "objects.h"
#include "par.h"
#include "source.h"
#include "util.h"

struct rec {
	uint64_t		 id;		/* identity hash */
	uint64_t		 digest;	/* content hash */
	const struct source	*src;
	size_t			 srcno;		/* position of src in the inputs */
	size_t			 off;		/* where its document starts */
	int			 doc;		/* document index in src */
	size_t			 item;		/* object index in the document */
	struct loc		 loc;		/* the object's root */
	const char		*group, *kind, *ns, *name;
	enum obj_type		 type;
	bool			 shadowed;	/* a later definition wins */
	bool			 needed;	/* parse again: it differs */
};

struct srcidx {
	const struct source	*src;
	size_t			 no;
};

struct pass1 {
	pthread_mutex_t		 lock;
	struct arena		*strings;	/* identity strings (under lock) */
	struct rec		*v;
	size_t			 n, cap;
	const struct inputs	*in;
	struct srcidx		*srcs;		/* in's sources by address */
	bool			 verbose;
};

static uint64_t
digest_node(const struct node *n, uint64_t h, int depth, bool metadata)
{
	size_t i;
	const char *k;

	h = XXH3_64bits_withSeed(&n->kind, sizeof(n->kind), h);
	switch (n->kind) {
	case NODE_MAP:
		for (i = 0; i < n->n; i++) {
			k = n->pairs[i].key->str;
			/* what the field walk ignores cannot make a difference */
			if ((depth == 0 && strcmp(k, "status") == 0) ||
			    (metadata && diff_ignored_member("metadata", k)))
				continue;
			h = XXH3_64bits_withSeed(k, n->pairs[i].key->len + 1, h);
			h = digest_node(n->pairs[i].val, h, depth + 1,
			    depth == 0 && strcmp(k, "metadata") == 0);
		}
		return XXH3_64bits_withSeed("}", 1, h);
	case NODE_SEQ:
		for (i = 0; i < n->n; i++)
			h = digest_node(n->items[i], h, depth + 1, false);
		return XXH3_64bits_withSeed("]", 1, h);
	default:
		return XXH3_64bits_withSeed(n->str, n->len + 1, h);
	}
}

static int
srcidx_cmp(const void *x, const void *y)
{
	const struct srcidx *a = x, *b = y;

	return a->src < b->src ? -1 : a->src > b->src;
}

/* Position of src in the inputs (sources sorted by address, searched). */
static size_t
source_no(const struct pass1 *p, const struct source *src)
{
	struct srcidx want = { src, 0 }, *hit;

	hit = bsearch(&want, p->srcs, p->in->n, sizeof(*p->srcs), srcidx_cmp);
	return hit != NULL ? hit->no : p->in->n;
}

static int
pass1_doc(struct doc *d, struct diags *diags, void *ud, void *state)
{
	struct pass1 *p = ud;
	struct objset os;
	struct rec r;
	size_t i, srcno = source_no(p, d->src);

	(void)state;
	objset_init(&os);
	objset_add_doc(&os, d, diags, p->verbose);
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < os.n; i++) {
		memset(&r, 0, sizeof(r));
		r.id = diff_identity_hash(&os.v[i]);
		r.digest = digest_node(os.v[i].root, 0, 0, false);
		r.src = d->src;
		r.srcno = srcno;
		r.off = d->loc.start;
		r.doc = d->index;
		r.item = i;
		r.loc = os.v[i].root->loc;
		r.group = os.v[i].group;	/* a static table's string */
		r.kind = arena_strdup(p->strings, os.v[i].kind);
		r.ns = arena_strdup(p->strings, os.v[i].type == OBJ_NAMESPACE ? "" :
		    object_ns(&os.v[i]));
		r.name = arena_strdup(p->strings, os.v[i].name);
		r.type = os.v[i].type;
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 1024;
			p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
		}
		p->v[p->n++] = r;
	}
	pthread_mutex_unlock(&p->lock);
	objset_release(&os);
	return 0;
}

/* Input order: source, document, object. */
static int
rec_order(const void *x, const void *y)
{
	const struct rec *a = x, *b = y;

	if (a->srcno != b->srcno)
		return a->srcno < b->srcno ? -1 : 1;
	if (a->doc != b->doc)
		return a->doc < b->doc ? -1 : 1;
	return a->item < b->item ? -1 : a->item > b->item;
}

static bool
same_id(const struct rec *a, const struct rec *b)
{
	return a->id == b->id && strcmp(a->name, b->name) == 0 &&
	    strcmp(a->kind, b->kind) == 0 && strcmp(a->group, b->group) == 0 &&
	    strcmp(a->ns, b->ns) == 0;
}

/* Open-addressing index of the last definition of each identity. */
struct rindex {
	size_t	*slot;		/* record index + 1 */
	size_t	 mask;
};

static ssize_t
rindex_find(const struct rindex *ix, const struct pass1 *p, const struct rec *r)
{
	size_t s;

	for (s = r->id & ix->mask; ix->slot[s] != 0; s = (s + 1) & ix->mask)
		if (same_id(&p->v[ix->slot[s] - 1], r))
			return (ssize_t)(ix->slot[s] - 1);
	return -1;
}

static void
rindex_build(struct rindex *ix, struct pass1 *p, struct diags *d)
{
	size_t cap = 16, i, s;
	struct rec *prev;
	struct diag *g;

	while (cap < p->n * 2)
		cap *= 2;
	ix->slot = xcalloc(cap, sizeof(*ix->slot));
	ix->mask = cap - 1;
	for (i = 0; i < p->n; i++) {
		for (s = p->v[i].id & ix->mask; ix->slot[s] != 0; s = (s + 1) & ix->mask)
			if (same_id(&p->v[ix->slot[s] - 1], &p->v[i]))
				break;
		if (ix->slot[s] != 0) {
			prev = &p->v[ix->slot[s] - 1];
			prev->shadowed = true;
			g = diag_add(d, SEV_WARNING, "duplicate", &p->v[i].loc,
			    "%s %s/%s is defined twice; the later definition is compared",
			    p->v[i].kind, p->v[i].type == OBJ_NAMESPACE ? "" : p->v[i].ns,
			    p->v[i].name);
			diag_set_object(g, p->v[i].kind, p->v[i].ns, p->v[i].name);
			diag_set_note(g, &prev->loc, "first defined here");
		}
		ix->slot[s] = i + 1;
	}
}

struct pass2 {
	struct diff_side	*side;
	const struct rec	*want;		/* the records of one chunk */
	size_t			 nwant;
};

static void
keep_object(struct objset *os, const struct object *o)
{
	if (os->n == os->cap) {
		os->cap = os->cap ? os->cap * 2 : 64;
		os->v = xreallocarray(os->v, os->cap, sizeof(*os->v));
	}
	os->v[os->n] = *o;
	os->v[os->n].doc = NULL;	/* the document was the loader's */
	os->v[os->n].order = os->n;
	os->n++;
}

/* Keep the wanted objects of the wanted documents (nodes in side->arena). */
static int
pass2_doc(struct doc *d, void *ud)
{
	struct pass2 *p = ud;
	struct objset tmp;
	struct diags none;
	size_t i;
	bool any = false;

	for (i = 0; i < p->nwant && !any; i++)
		any = p->want[i].needed && p->want[i].doc == d->index;
	if (!any)
		return 0;
	objset_init(&tmp);
	diags_init(&none);	/* pass 1 reported everything already */
	objset_add_doc(&tmp, d, &none, false);
	for (i = 0; i < p->nwant; i++)
		if (p->want[i].needed && p->want[i].doc == d->index &&
		    p->want[i].item < tmp.n)
			keep_object(&p->side->os, &tmp.v[p->want[i].item]);
	diags_release(&none);
	objset_release(&tmp);
	return 0;
}

/* Parse again the chunks that hold needed records (sorted by input order). */
static void
pass2(struct diff_side *side, struct pass1 *p, const struct load_opts *lo)
{
	struct load_chunk *c = NULL;
	const struct source *src = NULL;
	struct pass2 q;
	struct diags none;
	size_t i, j, nc = 0, k, nul, ndocs;

	diags_init(&none);
	for (i = 0; i < p->n; i = j) {
		if (!p->v[i].needed) {
			j = i + 1;
			continue;
		}
		if (p->v[i].src != src) {
			free(c);
			src = p->v[i].src;
			nc = load_split(src, &c, &nul);
		}
		/* the chunk of this record's document */
		for (k = 0; k + 1 < nc && c[k + 1].off <= p->v[i].off; k++)
			;
		/* the needed records of the same chunk */
		for (j = i; j < p->n && p->v[j].src == src &&
		    (k + 1 >= nc || p->v[j].off < c[k + 1].off); j++)
			;
		q.side = side;
		q.want = &p->v[i];
		q.nwant = j - i;
		ndocs = 0;
		load_chunks(src, &c[k], 1, side->arena, lo, &none, pass2_doc, &q, &ndocs,
		    NULL);
	}
	free(c);
	diags_release(&none);
}

int
diff_load_sides(const struct inputs *in_old, const struct inputs *in_new,
    const struct load_opts *lo, int jobs, bool verbose, struct diff_side *so,
    struct diff_side *sn, size_t *unchanged, struct diags *diags)
{
	struct pass1 p[2];
	struct rindex ix[2];
	const struct inputs *in[2] = { in_old, in_new };
	struct diff_side *side[2] = { so, sn };
	ssize_t at;
	size_t i;
	int s, rc = 0, r;

	*unchanged = 0;
	for (s = 0; s < 2; s++) {
		memset(&p[s], 0, sizeof(p[s]));
		pthread_mutex_init(&p[s].lock, NULL);
		p[s].strings = arena_new();
		p[s].in = in[s];
		p[s].verbose = verbose;
		p[s].srcs = xreallocarray(NULL, in[s]->n + 1, sizeof(*p[s].srcs));
		for (i = 0; i < in[s]->n; i++) {
			p[s].srcs[i].src = in[s]->v[i];
			p[s].srcs[i].no = i;
		}
		if (in[s]->n > 1)
			qsort(p[s].srcs, in[s]->n, sizeof(*p[s].srcs), srcidx_cmp);
		r = par_load(in[s], lo, jobs, pass1_doc, &p[s], diags);
		if (r > rc)
			rc = r;
		if (p[s].n > 1)
			qsort(p[s].v, p[s].n, sizeof(*p[s].v), rec_order);
	}
	rindex_build(&ix[1], &p[1], diags);
	rindex_build(&ix[0], &p[0], diags);
	for (i = 0; i < p[1].n; i++) {
		if (p[1].v[i].shadowed)
			continue;
		at = rindex_find(&ix[0], &p[0], &p[1].v[i]);
		if (at >= 0 && p[0].v[at].digest == p[1].v[i].digest)
			(*unchanged)++;
		else
			p[1].v[i].needed = true;
		if (at >= 0)
			p[0].v[at].needed = p[1].v[i].needed;
	}
	for (i = 0; i < p[0].n; i++)
		if (!p[0].v[i].shadowed && rindex_find(&ix[1], &p[1], &p[0].v[i]) < 0)
			p[0].v[i].needed = true;
	for (s = 0; s < 2; s++) {
		side[s]->arena = arena_new();
		objset_init(&side[s]->os);
		side[s]->nobjects = p[s].n;
		if (rc == 0)
			pass2(side[s], &p[s], lo);
		free(ix[s].slot);
		free(p[s].v);
		free(p[s].srcs);
		arena_free(p[s].strings);
		pthread_mutex_destroy(&p[s].lock);
	}
	return rc;
}

void
diff_side_release(struct diff_side *s)
{
	objset_release(&s->os);
	arena_free(s->arena);
	memset(s, 0, sizeof(*s));
}
