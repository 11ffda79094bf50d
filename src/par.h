/*
 * par.h: parse and check documents on several threads, report in input
 * order.
 *
 * Every source is split into chunks at document-start lines (load_split)
 * and the chunks are grouped into batches (load_batch), the same way
 * whatever the number of threads.  Each worker takes the next batch, parses
 * it with its own libyaml parser into one arena per document (released
 * after the callback), and records diagnostics in the batch's own list.
 * The calling thread appends the batches' lists to the output in input
 * order, so the result is identical for any number of threads, and memory
 * stays bounded by a few batches in flight, not by the input size.
 */
#ifndef BTPCTL_PAR_H
#define BTPCTL_PAR_H

#include "load.h"

struct diags;

/*
 * Work on one document, on a worker thread.  d is the document (its
 * nodes live in d->arena, released when fn returns); diags is where its
 * findings go (they keep input order).  ud is shared by every thread: fn
 * must guard what it changes there.  state is the calling thread's own
 * (struct par_ops.init), NULL without one.  Returning 1 records a finding
 * and loading goes on; a value above 1 stops the run (batches not started
 * are skipped) and is returned by par_run.
 */
typedef int (*par_fn)(struct doc *d, struct diags *diags, void *ud, void *state);

struct par_ops {
	par_fn	  fn;
	/* Per-thread state (scratch buffers, caches): made by init(ud) on
	 * each thread that works, released by fini(state, ud) there; both
	 * may be NULL. */
	void	*(*init)(void *ud);
	void	 (*fini)(void *state, void *ud);
};

/* The number of threads "-j 0" (the default) means: the online cores. */
int	par_default_jobs(void);

/*
 * Load every document of in and call ops->fn on it, with jobs threads (0:
 * one per core; 1: everything on the calling thread).  Loader diagnostics
 * and fn's are appended to out in input order.  Returns 0, 1 when some
 * document could not be loaded (a diagnostic says why) or fn returned 1,
 * or the largest value above 1 that fn returned.
 */
int	par_run(const struct inputs *in, const struct load_opts *, int jobs,
	    const struct par_ops *ops, void *ud, struct diags *out);
/* par_run without per-thread state. */
int	par_load(const struct inputs *in, const struct load_opts *, int jobs,
	    par_fn fn, void *ud, struct diags *out);

#endif
