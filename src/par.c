/*
 * par.c: see par.h.
 *
 * Work items are batches of chunks, numbered in input order.  Workers take
 * the next number under a lock, but only within a window of WINDOW(jobs)
 * items past the oldest item not yet merged, so that at most that many
 * results wait in memory.  Results live in a ring indexed by item number
 * modulo the window; the calling thread merges them in order.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "par.h"
#include "source.h"
#include "util.h"

#define WINDOW(j)	((size_t)(j) * 4)

struct item {
	const struct source	*src;
	size_t			 srcno;		/* index of src in the inputs */
	const struct load_chunk	*c;		/* NULL: a binary source */
	size_t			 n;		/* chunks, or the NUL offset */
	bool			 last;		/* last item of its source */
};

struct slot {
	struct diags	 diags;
	size_t		 ndocs;
	int		 rc;
	bool		 done;
};

struct par {
	const struct load_opts	*opts;
	const struct par_ops	*ops;
	void			*ud;
	struct item		*items;
	size_t			 nitems;
	struct slot		*slots;
	size_t			 window;
	size_t			 next;		/* next item to start */
	size_t			 merged;	/* items merged so far */
	bool			 stop;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cv_space;	/* window has room */
	pthread_cond_t		 cv_done;	/* an item finished */
};

struct call {
	struct par	*p;
	struct diags	*diags;
	void		*state;		/* the thread's, from ops->init */
	int		 worst;		/* 1 when fn reported a finding */
};

int
par_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > 256 ? 256 : (int)n;
}

static int
call_fn(struct doc *d, void *ud)
{
	struct call *c = ud;

	int r;

	if (c->p->ops->fn == NULL)
		return 0;
	/* 1 is a finding, not a reason to stop loading */
	if ((r = c->p->ops->fn(d, c->diags, c->p->ud, c->state)) == 1) {
		c->worst = 1;
		return 0;
	}
	return r;
}

/* Parse one item into its slot (no lock held). */
static void
run_item(struct par *p, const struct item *it, struct slot *s, void *state)
{
	struct call c;

	diags_init(&s->diags);
	s->ndocs = 0;
	if (it->c == NULL) {
		s->rc = load_binary(it->src, it->n, &s->diags);
		return;
	}
	c.p = p;
	c.diags = &s->diags;
	c.state = state;
	c.worst = 0;
	s->rc = load_chunks(it->src, it->c, it->n, NULL, p->opts, &s->diags,
	    call_fn, &c, &s->ndocs, NULL);
	if (c.worst > s->rc)
		s->rc = c.worst;
	source_drop(it->src, it->c[0].off,
	    it->c[it->n - 1].off + it->c[it->n - 1].len - it->c[0].off);
}

static void *
worker(void *arg)
{
	struct par *p = arg;
	size_t k;
	struct slot *s;
	void *state = p->ops->init != NULL ? p->ops->init(p->ud) : NULL;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->next < p->nitems && p->next >= p->merged + p->window)
			pthread_cond_wait(&p->cv_space, &p->lock);
		if (p->stop || p->next >= p->nitems)
			break;
		k = p->next++;
		s = &p->slots[k % p->window];
		pthread_mutex_unlock(&p->lock);
		run_item(p, &p->items[k], s, state);
		pthread_mutex_lock(&p->lock);
		s->done = true;
		if (s->rc > 1)
			p->stop = true;
		pthread_cond_broadcast(&p->cv_done);
	}
	pthread_mutex_unlock(&p->lock);
	if (p->ops->fini != NULL)
		p->ops->fini(state, p->ud);
	return NULL;
}

/* Build the work list: every source split and batched. */
static void
plan(struct par *p, const struct inputs *in, struct load_chunk ***chunks)
{
	size_t i, n, nul, j, k, cap = 0;
	struct load_chunk *c;

	*chunks = xcalloc(in->n ? in->n : 1, sizeof(**chunks));
	for (i = 0; i < in->n; i++) {
		n = load_split(in->v[i], &c, &nul);
		(*chunks)[i] = c;
		for (j = 0; j < n || (j == 0 && nul != SIZE_MAX); j = k) {
			if (p->nitems == cap) {
				cap = cap ? cap * 2 : 64;
				p->items = xreallocarray(p->items, cap, sizeof(*p->items));
			}
			memset(&p->items[p->nitems], 0, sizeof(p->items[0]));
			p->items[p->nitems].src = in->v[i];
			p->items[p->nitems].srcno = i;
			if (nul != SIZE_MAX) {
				p->items[p->nitems].n = nul;
				k = n;
			} else {
				k = load_batch(c, n, j);
				p->items[p->nitems].c = c + j;
				p->items[p->nitems].n = k - j;
			}
			p->items[p->nitems].last = k >= n;
			p->nitems++;
		}
	}
}

int
par_load(const struct inputs *in, const struct load_opts *opts, int jobs,
    par_fn fn, void *ud, struct diags *out)
{
	struct par_ops ops;

	memset(&ops, 0, sizeof(ops));
	ops.fn = fn;
	return par_run(in, opts, jobs, &ops, ud, out);
}

int
par_run(const struct inputs *in, const struct load_opts *opts, int jobs,
    const struct par_ops *ops, void *ud, struct diags *out)
{
	struct par p;
	struct load_chunk **chunks;
	pthread_t *tids = NULL;
	size_t i, k, ndocs = 0, nthreads = 0;
	int rc = 0, srcrc = 0;
	struct slot *s;
	void *state = NULL;
	bool inited = false;

	memset(&p, 0, sizeof(p));
	p.opts = opts;
	p.ops = ops;
	p.ud = ud;
	if (jobs <= 0)
		jobs = par_default_jobs();
	plan(&p, in, &chunks);
	p.window = WINDOW(jobs);
	p.slots = xcalloc(p.window, sizeof(*p.slots));
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cv_space, NULL);
	pthread_cond_init(&p.cv_done, NULL);
	if (jobs > 1 && p.nitems > 1) {
		nthreads = (size_t)jobs < p.nitems ? (size_t)jobs : p.nitems;
		tids = xcalloc(nthreads, sizeof(*tids));
		for (i = 0; i < nthreads; i++)
			if (pthread_create(&tids[i], NULL, worker, &p) != 0)
				fatal("cannot start a thread");
	}
	for (k = 0; k < p.nitems; k++) {
		s = &p.slots[k % p.window];
		if (nthreads == 0) {
			if (p.stop)
				break;
			if (!inited && ops->init != NULL)
				state = ops->init(ud);
			inited = true;
			run_item(&p, &p.items[k], s, state);
			if (s->rc > 1)
				p.stop = true;
		} else {
			pthread_mutex_lock(&p.lock);
			while (!s->done && !(p.stop && k >= p.next))
				pthread_cond_wait(&p.cv_done, &p.lock);
			if (!s->done) {
				pthread_mutex_unlock(&p.lock);
				break;
			}
			pthread_mutex_unlock(&p.lock);
		}
		diags_append(out, &s->diags);
		ndocs += s->ndocs;
		if (s->rc > srcrc)
			srcrc = s->rc;
		if (p.items[k].last) {
			if (ndocs == 0 && srcrc == 0 && !opts->empty_ok)
				srcrc = load_empty(p.items[k].src, out);
			if (srcrc > rc)
				rc = srcrc;
			ndocs = 0;
			srcrc = 0;
		}
		pthread_mutex_lock(&p.lock);
		s->done = false;
		p.merged = k + 1;
		pthread_cond_broadcast(&p.cv_space);
		pthread_mutex_unlock(&p.lock);
	}
	if (srcrc > rc)
		rc = srcrc;
	pthread_mutex_lock(&p.lock);
	p.stop = true;
	pthread_cond_broadcast(&p.cv_space);
	pthread_mutex_unlock(&p.lock);
	for (i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	if (inited && ops->fini != NULL)
		ops->fini(state, ud);
	/* results finished after a stop but never merged */
	for (i = 0; i < p.window; i++)
		if (p.slots[i].done)
			diags_release(&p.slots[i].diags);
	free(tids);
	pthread_cond_destroy(&p.cv_done);
	pthread_cond_destroy(&p.cv_space);
	pthread_mutex_destroy(&p.lock);
	for (i = 0; i < in->n; i++)
		free(chunks[i]);
	free(chunks);
	free(p.items);
	free(p.slots);
	return rc;
}
