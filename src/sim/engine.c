/*
 * engine.c: the discrete-event run.  One simulated Envoy worker routes a
 * synthetic request stream to synthetic backends: load balancer pick
 * (with host-selection retries), connection pool and circuit breakers,
 * per-try and global timeouts, retries with jittered backoff, outlier
 * detection and active health checks, as envoy-semantics.md describes.
 *
 * Timers of fixed length (global and per-try timeouts) are FIFO queues;
 * everything else goes through a binary heap ordered by (time, sequence),
 * so runs are deterministic.  Request, job and connection slots are
 * recycled, so memory follows concurrency, never the request count.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "diag.h"
#include "sim/sim.h"
#include "util.h"

const char *const sim_err_names[SIM_NERR] = {
	"overflow", "timeout", "upstream5xx", "reset", "connectFailure",
	"noHealthyHost", "upstream4xx",
};

const char *const sim_series_names[SIM_NSERIES] = {
	"rate", "successPercent", "p50Ms", "p99Ms", "attemptsPerSecond",
	"errorsPerSecond", "overflowPerSecond", "ejectedHosts", "unhealthyHosts",
	"activeRequests",
};

#define NONE	UINT32_MAX
#define MAX_TRIED 8

enum ev_type {
	EV_DONE,	/* a = job */
	EV_CONNECT,	/* a = host, b = conn, c = ok */
	EV_RETRY,	/* a = req slot, b = attempt token */
	EV_OD_TICK,
	EV_HC_START,	/* a = host */
	EV_HC_DONE,	/* a = host, b = session seq, c = outcome */
	EV_FAULT,	/* a = fault index */
	EV_CLIENT,	/* a = client (closed loop) */
};

struct ev {
	int64_t		 t;
	uint64_t	 seq;
	uint32_t	 type, a, b, c;
};

struct tq_ent {
	int64_t		 t;
	uint32_t	 slot, tok;
};

struct tq {
	struct tq_ent	*v;
	size_t		 cap, head, n;
};

struct ring {
	uint64_t	*v;
	size_t		 cap, head, n;
};

enum outcome { O_RESP, O_RESET, O_CONNECT, O_TIMEOUT };

enum rstate { R_FREE, R_PENDING, R_ACTIVE, R_BACKOFF, R_WAIT };

struct req {
	uint32_t	 tok, atok;
	uint8_t		 state, ntried, retries_left;
	bool		 holds_retry, has_hash, closed;
	uint32_t	 host, conn, client, next_free;
	int64_t		 t0;
	uint64_t	 hash;
	uint32_t	 tried[MAX_TRIED];
	struct sim_backoff bo;
};

struct job {
	uint32_t	 host, slot, atok, next_free;
	bool		 busy;		/* occupies a backend server */
	bool		 reset;		/* backend down: the stream is reset */
};

enum cstate { C_FREE, C_CONNECTING, C_UP };

struct conn {
	uint32_t	 streams, served, next_free;
	uint8_t		 state;
	bool		 in_ready;
};

struct host {
	const struct sim_backend_spec *spec;
	bool		 down;
	double		 error_rate, latency_factor;
	int		 error_status, hc_status;
	double		 weight;
	/* pool */
	struct conn	*conns;
	uint32_t	 nconn_alloc, free_conn;
	uint32_t	*ready;
	uint32_t	 nready, ready_cap;
	uint32_t	 nup, nconnecting, npending;
	struct ring	 pending;
	/* backend */
	uint32_t	 busy;
	struct ring	 queue;
	/* health */
	struct sim_hc_host hc;
	uint32_t	 hc_seq;
	int64_t		 last_hc_pass;
	bool		 healthy;
	/* statistics */
	int64_t		 ejected_since, unhealthy_since;
	struct sim_backend_result *res;
};

struct sim {
	const struct sim_config *cfg;
	const struct sim_scenario *sc;
	struct sim_result *res;
	struct sim_rng	 rng;		/* Envoy's random: LB, backoff, jitter */
	struct sim_rng	 arng;		/* arrivals and clients: the same for every policy */
	struct sim_rng	 wrng;		/* the backends: service times, errors */
	int64_t		 now, end;
	uint64_t	 seq;
	struct ev	*heap;
	size_t		 nheap, heap_cap;
	struct tq	 gto, pto;
	struct req	*reqs;
	uint32_t	 nreqs, free_req, live;
	uint32_t	 tok;
	struct job	*jobs;
	uint32_t	 njobs, free_job;
	struct host	*hosts;
	uint32_t	 nhosts;
	struct sim_od	 od;
	/* cluster-wide breaker counters */
	uint64_t	 rq_active, pending, conns, retries_active;
	bool		 opened_conn;
	/* load-balancer state */
	bool		 lb_dirty, panic, use_edf;
	uint32_t	*active;	/* per host: streams attached (rq_active) */
	uint32_t	*src;		/* hosts eligible for picks */
	uint32_t	 nsrc, nhealthy;
	uint64_t	 lb_seed, rr_index[2];
	struct sim_edf	 edf;
	struct sim_maglev mg;
	const char	**keys;
	double		*wtmp;
	/* clients */
	uint64_t	*client_hash;
	bool		*client_has_hash;
	double		*zipf_cdf;
	int64_t		 next_arrival;
	/* series */
	size_t		 bucket;
	struct sim_hist	 bhist;
	uint64_t	 b_arrivals, b_attempts, b_done, b_ok, b_err, b_overflow;
	int		 progress_step;
};

/* --- small containers --- */

static void
ring_push(struct ring *r, uint64_t x)
{
	size_t i, ncap;
	uint64_t *nv;

	if (r->n == r->cap) {
		ncap = r->cap ? 2 * r->cap : 16;
		nv = xmalloc(ncap * sizeof(*nv));
		for (i = 0; i < r->n; i++)
			nv[i] = r->v[(r->head + i) % r->cap];
		free(r->v);
		r->v = nv;
		r->cap = ncap;
		r->head = 0;
	}
	r->v[(r->head + r->n) % r->cap] = x;
	r->n++;
}

static uint64_t
ring_pop(struct ring *r)
{
	uint64_t x = r->v[r->head];

	r->head = (r->head + 1) % r->cap;
	r->n--;
	return x;
}

static void
tq_push(struct tq *q, int64_t t, uint32_t slot, uint32_t tok)
{
	size_t i, ncap;
	struct tq_ent *nv;

	if (q->n == q->cap) {
		ncap = q->cap ? 2 * q->cap : 64;
		nv = xmalloc(ncap * sizeof(*nv));
		for (i = 0; i < q->n; i++)
			nv[i] = q->v[(q->head + i) % q->cap];
		free(q->v);
		q->v = nv;
		q->cap = ncap;
		q->head = 0;
	}
	q->v[(q->head + q->n) % q->cap] = (struct tq_ent){ t, slot, tok };
	q->n++;
}

static inline bool
ev_less(const struct ev *a, const struct ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
ev_push(struct sim *s, int64_t t, uint32_t type, uint32_t a, uint32_t b, uint32_t c)
{
	struct ev x = { t, s->seq++, type, a, b, c };
	size_t i, p;

	if (s->nheap == s->heap_cap) {
		s->heap_cap = s->heap_cap ? 2 * s->heap_cap : 256;
		s->heap = xreallocarray(s->heap, s->heap_cap, sizeof(*s->heap));
	}
	i = s->nheap++;
	while (i > 0) {
		p = (i - 1) / 2;
		if (!ev_less(&x, &s->heap[p]))
			break;
		s->heap[i] = s->heap[p];
		i = p;
	}
	s->heap[i] = x;
}

static struct ev
ev_pop(struct sim *s)
{
	struct ev top = s->heap[0], last = s->heap[--s->nheap];
	size_t i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap && ev_less(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!ev_less(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->nheap > 0)
		s->heap[i] = last;
	return top;
}

static inline bool
chance(struct sim_rng *r, double p)
{
	return p > 0 && (p >= 1 || sim_uniform(r) < p);
}

/* --- service times --- */

static double
dist_sample(const struct sim_dist *d, struct sim_rng *r)
{
	double u, f;
	size_t i;

	switch (d->kind) {
	case SIM_DIST_CONSTANT:
		return d->value;
	case SIM_DIST_EXPONENTIAL:
		return -d->value * sim_log(sim_uniform(r));
	case SIM_DIST_LOGNORMAL:
		return sim_exp(d->mu + d->sigma * sim_normal(r));
	case SIM_DIST_EMPIRICAL:
		u = sim_uniform(r) * 100.0;
		if (u <= d->pct[0])
			return d->pval[0] * u / d->pct[0];
		for (i = 1; i < d->npct; i++) {
			if (u <= d->pct[i]) {
				f = (u - d->pct[i - 1]) / (d->pct[i] - d->pct[i - 1]);
				return d->pval[i - 1] + f * (d->pval[i] - d->pval[i - 1]);
			}
		}
		return d->pval[d->npct - 1];
	}
	return 0;
}

static int64_t
ns_of(double x)
{
	if (x < 0)
		return 0;
	if (x > 9e17)
		return INT64_C(900000000000000000);
	return (int64_t)(x + 0.5);
}

/* --- health bookkeeping --- */

static void
host_health_update(struct sim *s, uint32_t i)
{
	struct host *h = &s->hosts[i];
	bool ej = s->cfg->outlier && s->od.h[i].ejected;
	bool hcf = s->cfg->hc && h->hc.failed;
	bool healthy = !ej && !hcf;
	/* times count within the scenario's duration, not the drain after it */
	int64_t t = s->now < s->sc->duration ? s->now : s->sc->duration;

	if (ej && h->ejected_since < 0)
		h->ejected_since = t;
	else if (!ej && h->ejected_since >= 0) {
		h->res->ejected_ns += t - h->ejected_since;
		h->ejected_since = -1;
	}
	if (hcf && h->unhealthy_since < 0)
		h->unhealthy_since = t;
	else if (!hcf && h->unhealthy_since >= 0) {
		h->res->unhealthy_ns += t - h->unhealthy_since;
		h->unhealthy_since = -1;
	}
	if (healthy != h->healthy) {
		h->healthy = healthy;
		s->lb_dirty = true;
	}
}

static double
host_lb_weight(struct sim *s, uint32_t i)
{
	const struct sim_config *c = s->cfg;
	struct host *h = &s->hosts[i];
	double w = h->weight, b = c->active_request_bias;

	if (c->lb == SIM_LB_LEAST_REQUEST && b != 0) {
		if (b == 1.0)
			w /= (double)s->active[i] + 1;
		else
			w /= sim_pow((double)s->active[i] + 1, b);
	}
	if (c->slow_start_window > 0 && h->last_hc_pass >= 0)
		w *= sim_slow_start_factor(s->now - h->last_hc_pass,
		    c->slow_start_window, c->slow_start_aggression,
		    c->slow_start_min_weight);
	return w;
}

static void
lb_refresh(struct sim *s)
{
	const struct sim_config *c = s->cfg;
	uint32_t i, n = 0, avail;
	bool equal = true, slow = false;

	s->lb_dirty = false;
	for (i = 0; i < s->nhosts; i++)
		if (s->hosts[i].healthy)
			n++;
	s->nhealthy = n;
	avail = (uint32_t)(140u * n / s->nhosts);
	s->panic = c->panic_threshold > 0 && avail < 100 &&
	    100.0 * n / s->nhosts < (double)c->panic_threshold;
	s->nsrc = 0;
	for (i = 0; i < s->nhosts; i++)
		if (s->panic || s->hosts[i].healthy)
			s->src[s->nsrc++] = i;
	if (s->nsrc == 0)
		return;
	for (i = 0; i < s->nsrc; i++) {
		struct host *h = &s->hosts[s->src[i]];

		if (h->weight != s->hosts[s->src[0]].weight)
			equal = false;
		if (c->slow_start_window > 0 && h->last_hc_pass >= 0 &&
		    s->now - h->last_hc_pass < c->slow_start_window)
			slow = true;
	}
	if (c->lb == SIM_LB_MAGLEV) {
		sim_maglev_release(&s->mg);
		for (i = 0; i < s->nsrc; i++) {
			s->keys[i] = s->hosts[s->src[i]].spec->address;
			s->wtmp[i] = s->hosts[s->src[i]].weight;
		}
		sim_maglev_build(&s->mg, s->keys, s->wtmp, s->nsrc, c->table_size);
		return;
	}
	s->use_edf = (c->lb == SIM_LB_ROUND_ROBIN || c->lb == SIM_LB_LEAST_REQUEST) &&
	    s->nsrc > 1 && (!equal || slow);
	if (s->use_edf) {
		for (i = 0; i < s->nsrc; i++)
			s->wtmp[i] = host_lb_weight(s, s->src[i]);
		sim_edf_create_with_picks(&s->edf, s->wtmp, s->nsrc,
		    (uint32_t)s->lb_seed);
	}
}

/* One pick, host index or NONE; a is the attempt within chooseHost. */
static uint32_t
lb_pick1(struct sim *s, struct req *r, unsigned a)
{
	const struct sim_config *c = s->cfg;
	uint32_t k;

	if (s->nsrc == 0)
		return NONE;
	if (c->lb == SIM_LB_MAGLEV) {
		if (r->has_hash)
			return s->src[sim_maglev_pick(&s->mg, r->hash, a)];
		return s->src[sim_maglev_pick(&s->mg, sim_rand(&s->rng), 0)];
	}
	if (s->use_edf) {
		k = sim_edf_pop(&s->edf);
		sim_edf_add(&s->edf, k, host_lb_weight(s, s->src[k]));
		return s->src[k];
	}
	switch (c->lb) {
	case SIM_LB_ROUND_ROBIN:
		return s->src[s->rr_index[s->panic]++ % s->nsrc];
	case SIM_LB_RANDOM:
		return s->src[sim_rand(&s->rng) % s->nsrc];
	default:
		return sim_p2c_pick(&s->rng, s->src, s->nsrc, c->choice_count, s->active);
	}
}

static bool
tried(const struct req *r, uint32_t h)
{
	unsigned i;

	for (i = 0; i < r->ntried; i++)
		if (r->tried[i] == h)
			return true;
	return false;
}

static uint32_t
lb_pick(struct sim *s, struct req *r)
{
	unsigned a, n;
	uint32_t h = NONE;

	if (s->lb_dirty)
		lb_refresh(s);
	if (s->nsrc == 0)
		return NONE;
	if (s->panic)
		s->res->panic_picks++;
	n = r->ntried == 0 ? 2 : s->cfg->host_selection_attempts + 1;
	for (a = 0; a < n; a++) {
		h = lb_pick1(s, r, a);
		if (!tried(r, h))
			break;
	}
	return h;
}

/* --- requests --- */

static void finish_attempt(struct sim *, struct req *, enum outcome, int status);
static void start_attempt(struct sim *, struct req *);

static void
respond(struct sim *s, struct req *r, int err)
{
	int64_t lat = s->now - r->t0;
	uint32_t slot = (uint32_t)(r - s->reqs);

	if (r->holds_retry) {
		s->retries_active--;
		r->holds_retry = false;
	}
	sim_hist_add(&s->res->latency, lat);
	sim_hist_add(&s->bhist, lat);
	s->b_done++;
	if (err < 0) {
		s->res->succeeded++;
		s->b_ok++;
	} else {
		s->res->failed++;
		s->res->errors[err]++;
		s->b_err++;
		if (err == SIM_ERR_OVERFLOW)
			s->b_overflow++;
	}
	if (r->closed)
		ev_push(s, s->now + (s->sc->think_time > 0 ? ns_of(-(double)s->sc->think_time *
		    sim_log(sim_uniform(&s->arng))) : 0), EV_CLIENT, r->client, 0, 0);
	r->state = R_FREE;
	r->tok = 0;
	r->next_free = s->free_req;
	s->free_req = slot;
	s->live--;
}

static void
conn_ready_remove(struct host *h, uint32_t cid)
{
	uint32_t i;

	for (i = h->nready; i-- > 0;) {
		if (h->ready[i] == cid) {
			memmove(&h->ready[i], &h->ready[i + 1],
			    (h->nready - i - 1) * sizeof(uint32_t));
			h->nready--;
			break;
		}
	}
	h->conns[cid].in_ready = false;
}

static void
conn_ready_push(struct host *h, uint32_t cid)
{
	if (h->nready == h->ready_cap) {
		h->ready_cap = h->ready_cap ? 2 * h->ready_cap : 8;
		h->ready = xreallocarray(h->ready, h->ready_cap, sizeof(uint32_t));
	}
	h->ready[h->nready++] = cid;
	h->conns[cid].in_ready = true;
}

static uint32_t
conn_alloc(struct host *h)
{
	uint32_t cid, i, n;

	if (h->free_conn == NONE) {
		n = h->nconn_alloc ? 2 * h->nconn_alloc : 4;
		h->conns = xreallocarray(h->conns, n, sizeof(*h->conns));
		for (i = h->nconn_alloc; i < n; i++) {
			memset(&h->conns[i], 0, sizeof(h->conns[i]));
			h->conns[i].next_free = i + 1 < n ? i + 1 : h->free_conn;
		}
		h->free_conn = h->nconn_alloc;
		h->nconn_alloc = n;
	}
	cid = h->free_conn;
	h->free_conn = h->conns[cid].next_free;
	memset(&h->conns[cid], 0, sizeof(h->conns[cid]));
	return cid;
}

static void
conn_close(struct sim *s, struct host *h, uint32_t cid)
{
	struct conn *c = &h->conns[cid];

	if (c->in_ready)
		conn_ready_remove(h, cid);
	if (c->state == C_UP)
		h->nup--;
	else if (c->state == C_CONNECTING)
		h->nconnecting--;
	c->state = C_FREE;
	c->next_free = h->free_conn;
	h->free_conn = cid;
	s->conns--;
}

static uint64_t
conn_cap(const struct sim *s)
{
	return s->cfg->http2 ? s->cfg->max_concurrent_streams : 1;
}

static bool
conn_has_room(const struct sim *s, const struct conn *c)
{
	return c->state == C_UP && c->streams < conn_cap(s) &&
	    (s->cfg->max_requests_per_conn == 0 || c->served < s->cfg->max_requests_per_conn);
}

static void
try_create_conns(struct sim *s, uint32_t hi)
{
	struct host *h = &s->hosts[hi];
	const struct sim_config *c = s->cfg;
	uint32_t cid, total, made = 0;
	int64_t dt;
	bool ok;

	while ((uint64_t)h->npending > (uint64_t)h->nconnecting * conn_cap(s) && made < 3) {
		total = h->nup + h->nconnecting;
		if (total > 0 && (s->conns >= c->max_connections ||
		    (c->per_host_max_connections && total >= c->per_host_max_connections)))
			break;		/* upstream_cx_overflow: the stream waits */
		cid = conn_alloc(h);
		h->conns[cid].state = C_CONNECTING;
		h->nconnecting++;
		s->conns++;
		s->opened_conn = true;
		made++;
		ok = !h->down && !chance(&s->wrng, h->spec->connect_failure_rate);
		dt = h->spec->connect_time;
		if (dt > c->connect_timeout) {
			dt = c->connect_timeout;
			ok = false;
		}
		ev_push(s, s->now + dt, EV_CONNECT, hi, cid, ok);
	}
}

static void
backend_start(struct sim *s, uint32_t jid)
{
	struct job *j = &s->jobs[jid];
	struct host *h = &s->hosts[j->host];
	double d;

	h->busy++;
	j->busy = true;
	d = dist_sample(&h->spec->latency, &s->wrng) * h->latency_factor;
	ev_push(s, s->now + ns_of(d), EV_DONE, jid, 0, 0);
}

static void
attach(struct sim *s, struct req *r, uint32_t hi, uint32_t cid)
{
	struct host *h = &s->hosts[hi];
	struct conn *c = &h->conns[cid];
	uint32_t jid, slot = (uint32_t)(r - s->reqs);
	struct job *j;

	c->streams++;
	c->served++;
	if (!conn_has_room(s, c) && c->in_ready)
		conn_ready_remove(h, cid);
	s->active[hi]++;
	s->rq_active++;
	r->state = R_ACTIVE;
	r->host = hi;
	r->conn = cid;
	if (s->cfg->outlier)
		sim_od_local(&s->od, hi, SIM_OD_CONNECT_SUCCESS, s->now);
	if (s->cfg->per_try_timeout > 0)
		tq_push(&s->pto, s->now + s->cfg->per_try_timeout, slot, r->atok);
	if (s->free_job == NONE) {
		uint32_t i, n = s->njobs ? 2 * s->njobs : 256;

		s->jobs = xreallocarray(s->jobs, n, sizeof(*s->jobs));
		for (i = s->njobs; i < n; i++)
			s->jobs[i].next_free = i + 1 < n ? i + 1 : NONE;
		s->free_job = s->njobs;
		s->njobs = n;
	}
	jid = s->free_job;
	j = &s->jobs[jid];
	s->free_job = j->next_free;
	j->host = hi;
	j->slot = slot;
	j->atok = r->atok;
	j->busy = false;
	j->reset = h->down;
	if (h->down)
		ev_push(s, s->now + h->spec->connect_time, EV_DONE, jid, 0, 0);
	else if (h->spec->concurrency == 0 || h->busy < h->spec->concurrency)
		backend_start(s, jid);
	else
		ring_push(&h->queue, jid);
}

static void
overflow(struct sim *s, struct req *r)
{
	respond(s, r, SIM_ERR_OVERFLOW);
}

/* Serve pending streams from connections with room, FIFO. */
static void
pool_drain(struct sim *s, uint32_t hi)
{
	struct host *h = &s->hosts[hi];
	struct req *r;
	uint64_t x;

	while (h->nready > 0 && h->pending.n > 0) {
		x = ring_pop(&h->pending);
		r = &s->reqs[x >> 32];
		if (r->tok == 0 || r->atok != (uint32_t)x || r->state != R_PENDING)
			continue;	/* cancelled while waiting */
		h->npending--;
		s->pending--;
		if (s->rq_active >= s->cfg->max_requests) {
			overflow(s, r);
			continue;
		}
		attach(s, r, hi, h->ready[h->nready - 1]);
	}
}

static void
release_stream(struct sim *s, struct req *r, bool reset)
{
	struct host *h = &s->hosts[r->host];
	struct conn *c = &h->conns[r->conn];

	s->active[r->host]--;
	s->rq_active--;
	c->streams--;
	if ((reset && !s->cfg->http2) || h->down ||
	    (s->cfg->max_requests_per_conn &&
	    c->served >= s->cfg->max_requests_per_conn)) {
		if (c->streams == 0)
			conn_close(s, h, r->conn);
		else if (c->in_ready)
			conn_ready_remove(h, r->conn);
	} else if (conn_has_room(s, c) && !c->in_ready)
		conn_ready_push(h, r->conn);
	r->state = R_WAIT;
	pool_drain(s, r->host);
	if (h->npending > 0)
		try_create_conns(s, r->host);
}

/* A try that gets past the breakers goes upstream (even if it then fails to connect). */
static void
count_attempt(struct sim *s, struct host *h)
{
	h->res->requests++;
	s->res->attempts++;
	s->b_attempts++;
}

static void
new_stream(struct sim *s, struct req *r, uint32_t hi)
{
	struct host *h = &s->hosts[hi];

	if (h->nready > 0) {
		if (s->rq_active >= s->cfg->max_requests) {
			overflow(s, r);
			return;
		}
		count_attempt(s, h);
		attach(s, r, hi, h->ready[h->nready - 1]);
		return;
	}
	if (s->pending >= s->cfg->max_pending) {
		overflow(s, r);
		return;
	}
	count_attempt(s, h);
	r->state = R_PENDING;
	r->host = hi;
	h->npending++;
	s->pending++;
	ring_push(&h->pending, ((uint64_t)(r - s->reqs) << 32) | r->atok);
	try_create_conns(s, hi);
}

static void
start_attempt(struct sim *s, struct req *r)
{
	uint32_t hi;

	r->atok = ++s->tok;
	hi = lb_pick(s, r);
	if (hi == NONE) {
		respond(s, r, SIM_ERR_NO_HOST);
		return;
	}
	if (r->ntried < MAX_TRIED)
		r->tried[r->ntried++] = hi;
	new_stream(s, r, hi);
}

static bool
would_retry(const struct sim_config *c, enum outcome o, int status)
{
	size_t i;

	switch (o) {
	case O_RESP:
		if ((c->retry_on & SIM_RETRY_5XX) && status >= 500 && status <= 599)
			return true;
		if ((c->retry_on & SIM_RETRY_GATEWAY) && status >= 502 && status <= 504)
			return true;
		if ((c->retry_on & SIM_RETRY_4XX) && status == 409)
			return true;
		if (c->retry_on & SIM_RETRY_CODES)
			for (i = 0; i < c->nretry_codes; i++)
				if (c->retry_codes[i] == status)
					return true;
		return false;
	case O_CONNECT:
		/* connect-failure, else the rules for any reset */
		return (c->retry_on & (SIM_RETRY_CONNECT | SIM_RETRY_RESET_BEFORE |
		    SIM_RETRY_RESET | SIM_RETRY_5XX | SIM_RETRY_GATEWAY)) != 0;
	case O_RESET:
	case O_TIMEOUT:
		return (c->retry_on & (SIM_RETRY_RESET | SIM_RETRY_5XX | SIM_RETRY_GATEWAY)) != 0;
	}
	return false;
}

static int
error_of(enum outcome o, int status)
{
	switch (o) {
	case O_RESP:
		return status >= 500 ? SIM_ERR_UPSTREAM_5XX :
		    status >= 400 ? SIM_ERR_UPSTREAM_4XX : -1;
	case O_RESET:
		return SIM_ERR_RESET;
	case O_CONNECT:
		return SIM_ERR_CONNECT;
	case O_TIMEOUT:
		return SIM_ERR_TIMEOUT;
	}
	return -1;
}

static void
od_report(struct sim *s, uint32_t hi, enum outcome o, int status)
{
	bool ej = false;

	if (!s->cfg->outlier)
		return;
	switch (o) {
	case O_RESP:
		ej = sim_od_http(&s->od, hi, status, s->now);
		break;
	case O_RESET:
	case O_CONNECT:
		ej = sim_od_local(&s->od, hi, SIM_OD_CONNECT_FAILED, s->now);
		break;
	case O_TIMEOUT:
		ej = sim_od_local(&s->od, hi, SIM_OD_TIMEOUT, s->now);
		break;
	}
	if (ej)
		host_health_update(s, hi);
}

static void
finish_attempt(struct sim *s, struct req *r, enum outcome o, int status)
{
	const struct sim_config *c = s->cfg;
	uint32_t hi = r->host;
	uint64_t ms;

	if (r->state == R_ACTIVE)
		release_stream(s, r, o != O_RESP);
	r->state = R_WAIT;
	if (o != O_RESP || status >= 500)
		s->hosts[hi].res->errors++;
	od_report(s, hi, o, status);
	if (r->holds_retry) {
		s->retries_active--;
		r->holds_retry = false;
	}
	if (!c->retry || !would_retry(c, o, status) || r->retries_left == 0) {
		respond(s, r, error_of(o, status));
		return;
	}
	r->retries_left--;
	if (s->retries_active >= c->max_retries) {
		s->res->retry_overflow++;
		respond(s, r, error_of(o, status));
		return;
	}
	s->retries_active++;
	r->holds_retry = true;
	r->state = R_BACKOFF;
	s->res->retries++;
	ms = sim_backoff_next(&r->bo, &s->rng);
	r->atok = ++s->tok;
	ev_push(s, s->now + (int64_t)ms * SIM_MS, EV_RETRY, (uint32_t)(r - s->reqs), r->atok, 0);
}

static void
new_request(struct sim *s, uint32_t client, bool closed)
{
	struct req *r;
	uint32_t slot, i, n;

	if (s->free_req == NONE) {
		n = s->nreqs ? 2 * s->nreqs : 1024;
		s->reqs = xreallocarray(s->reqs, n, sizeof(*s->reqs));
		for (i = s->nreqs; i < n; i++) {
			memset(&s->reqs[i], 0, sizeof(s->reqs[i]));
			s->reqs[i].next_free = i + 1 < n ? i + 1 : NONE;
		}
		s->free_req = s->nreqs;
		s->nreqs = n;
	}
	slot = s->free_req;
	r = &s->reqs[slot];
	s->free_req = r->next_free;
	r->tok = ++s->tok;
	r->state = R_WAIT;
	r->ntried = 0;
	r->holds_retry = false;
	r->closed = closed;
	r->client = client;
	r->t0 = s->now;
	r->retries_left = (uint8_t)(s->cfg->retry ? s->cfg->num_retries : 0);
	sim_backoff_init(&r->bo, s->cfg->backoff_base_ms, s->cfg->backoff_max_ms);
	r->has_hash = s->client_has_hash != NULL && s->client_has_hash[client];
	r->hash = r->has_hash ? s->client_hash[client] : 0;
	s->live++;
	s->res->requests++;
	s->b_arrivals++;
	if (s->cfg->request_timeout > 0)
		tq_push(&s->gto, s->now + s->cfg->request_timeout, slot, r->tok);
	start_attempt(s, r);
}

static uint32_t
pick_client(struct sim *s)
{
	double u;
	uint32_t lo = 0, hi, mid;

	if (s->zipf_cdf == NULL)
		return (uint32_t)(sim_rand(&s->arng) % s->sc->clients);
	u = sim_uniform(&s->arng);
	hi = s->sc->clients - 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->zipf_cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
schedule_arrival(struct sim *s)
{
	const struct sim_scenario *sc = s->sc;
	double rate = sc->rate, dt;

	if (sc->ramp_to >= 0)
		rate += (sc->ramp_to - sc->rate) * (double)s->now / (double)sc->duration;
	if (rate <= 0) {
		s->next_arrival = INT64_MAX;
		return;
	}
	if (sc->arrival == SIM_ARRIVAL_CONSTANT)
		dt = 1e9 / rate;
	else
		dt = -sim_log(sim_uniform(&s->arng)) * 1e9 / rate;
	s->next_arrival = s->now + ns_of(dt);
	if (s->next_arrival >= sc->duration)
		s->next_arrival = INT64_MAX;
}

/* --- timers --- */

static void
global_timeout(struct sim *s, struct req *r)
{
	struct host *h;

	switch (r->state) {
	case R_ACTIVE:
		s->hosts[r->host].res->errors++;
		release_stream(s, r, true);
		od_report(s, r->host, O_TIMEOUT, 504);
		break;
	case R_PENDING:
		h = &s->hosts[r->host];
		h->npending--;
		s->pending--;
		break;
	default:
		break;
	}
	respond(s, r, SIM_ERR_TIMEOUT);
}

static void
on_done(struct sim *s, uint32_t jid)
{
	struct job j = s->jobs[jid];
	struct host *h = &s->hosts[j.host];
	struct req *r = &s->reqs[j.slot];
	uint32_t next;
	double u;

	/* free the slot first: finishing the attempt may start new jobs */
	s->jobs[jid].next_free = s->free_job;
	s->free_job = jid;
	if (j.busy) {
		h->busy--;
		if (h->queue.n > 0 && (h->spec->concurrency == 0 || h->busy < h->spec->concurrency)) {
			next = (uint32_t)ring_pop(&h->queue);
			backend_start(s, next);
		}
	}
	if (r->tok == 0 || r->atok != j.atok || r->state != R_ACTIVE)
		return;		/* the attempt was abandoned (timeout) */
	if (j.reset) {
		finish_attempt(s, r, O_RESET, 0);
		return;
	}
	u = sim_uniform(&s->wrng);
	if (u < h->spec->reset_rate)
		finish_attempt(s, r, O_RESET, 0);
	else if (u < h->spec->reset_rate + h->error_rate)
		finish_attempt(s, r, O_RESP, h->error_status);
	else
		finish_attempt(s, r, O_RESP, 200);
}

static void
on_connect(struct sim *s, uint32_t hi, uint32_t cid, bool ok)
{
	struct host *h = &s->hosts[hi];
	struct req *r;
	uint64_t x;
	size_t n;

	if (h->conns[cid].state != C_CONNECTING)
		return;
	if (ok) {
		h->conns[cid].state = C_UP;
		h->nconnecting--;
		h->nup++;
		conn_ready_push(h, cid);
		pool_drain(s, hi);
		if (h->npending > 0)
			try_create_conns(s, hi);
		return;
	}
	conn_close(s, h, cid);
	/* the pool fails every stream waiting for a connection */
	for (n = h->pending.n; n > 0; n--) {
		x = ring_pop(&h->pending);
		r = &s->reqs[x >> 32];
		if (r->tok == 0 || r->atok != (uint32_t)x || r->state != R_PENDING)
			continue;
		h->npending--;
		s->pending--;
		r->state = R_WAIT;
		finish_attempt(s, r, O_CONNECT, 0);
	}
}

static void
hc_schedule(struct sim *s, uint32_t hi)
{
	int64_t iv = s->opened_conn ? s->cfg->hc_interval : s->cfg->hc_no_traffic_interval;

	if (!s->opened_conn)
		s->res->hc_no_traffic++;

	if (iv < SIM_MS)
		iv = SIM_MS;
	ev_push(s, s->now + iv, EV_HC_START, hi, 0, 0);
}

static void
hc_start(struct sim *s, uint32_t hi)
{
	struct host *h = &s->hosts[hi];
	const struct sim_config *c = s->cfg;
	int64_t dt = h->spec->connect_time;
	uint32_t out;
	size_t i;

	h->hc_seq++;
	if (h->down || chance(&s->wrng, h->spec->connect_failure_rate))
		out = SIM_HC_NETWORK;
	else if (c->hc_tcp)
		out = SIM_HC_OK;
	else {
		dt += ns_of(h->spec->latency.median * h->latency_factor);
		out = SIM_HC_BAD_STATUS;
		for (i = 0; i < c->nhc_expected; i++)
			if (c->hc_expected[i] == h->hc_status)
				out = SIM_HC_OK;
	}
	if (dt >= c->hc_timeout) {
		dt = c->hc_timeout;
		out = SIM_HC_TIMEOUT;
	}
	ev_push(s, s->now + dt, EV_HC_DONE, hi, h->hc_seq, out);
}

static void
hc_done(struct sim *s, uint32_t hi, uint32_t seq, uint32_t out)
{
	struct host *h = &s->hosts[hi];
	int d;

	if (seq != h->hc_seq)
		return;
	d = sim_hc_result(&h->hc, s->cfg, (enum sim_hc_outcome)out);
	if (d > 0)
		h->last_hc_pass = s->now;
	if (out == SIM_HC_OK && !h->hc.failed && s->cfg->outlier)
		sim_od_hc_success(&s->od, hi, s->now);
	host_health_update(s, hi);
	hc_schedule(s, hi);
}

static void
apply_faults(struct sim *s)
{
	const struct sim_scenario *sc = s->sc;
	const struct sim_fault *f;
	struct host *h;
	uint32_t i, cid;
	size_t k, b;
	bool was_down;

	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		was_down = h->down;
		h->down = false;
		h->error_rate = h->spec->error_rate;
		h->error_status = h->spec->error_status;
		h->latency_factor = 1.0;
		h->hc_status = h->spec->hc_status;
		for (k = 0; k < sc->nfaults; k++) {
			f = &sc->faults[k];
			if (s->now < f->from || s->now >= f->to)
				continue;
			for (b = 0; b < f->nbackends; b++) {
				if (f->backends[b] != i)
					continue;
				if (f->down)
					h->down = true;
				if (f->error_rate >= 0)
					h->error_rate = f->error_rate;
				if (f->error_status)
					h->error_status = f->error_status;
				if (f->latency_factor > 0)
					h->latency_factor = f->latency_factor;
				if (f->hc_status)
					h->hc_status = f->hc_status;
			}
		}
		if (h->down && !was_down) {
			/* the process is gone: idle connections die with it */
			while (h->nready > 0) {
				cid = h->ready[h->nready - 1];
				if (h->conns[cid].streams > 0) {
					conn_ready_remove(h, cid);
					continue;
				}
				conn_close(s, h, cid);
			}
		}
	}
}

/* --- series --- */

static void
close_bucket(struct sim *s)
{
	struct sim_result *res = s->res;
	double secs = (double)s->sc->interval / 1e9;
	size_t b = s->bucket;
	uint32_t i, ej = 0, uh = 0;

	if (b >= res->nbuckets)
		return;
	for (i = 0; i < s->nhosts; i++) {
		if (s->cfg->outlier && s->od.h[i].ejected)
			ej++;
		if (s->cfg->hc && s->hosts[i].hc.failed)
			uh++;
	}
	res->series[SIM_S_RATE][b] = (double)s->b_arrivals / secs;
	res->series[SIM_S_SUCCESS][b] = s->b_done ? 100.0 * (double)s->b_ok / (double)s->b_done : 100.0;
	res->series[SIM_S_P50][b] = sim_hist_quantile(&s->bhist, 0.50);
	res->series[SIM_S_P99][b] = sim_hist_quantile(&s->bhist, 0.99);
	res->series[SIM_S_ATTEMPTS][b] = (double)s->b_attempts / secs;
	res->series[SIM_S_ERRORS][b] = (double)s->b_err / secs;
	res->series[SIM_S_OVERFLOW][b] = (double)s->b_overflow / secs;
	res->series[SIM_S_EJECTED][b] = ej;
	res->series[SIM_S_UNHEALTHY][b] = uh;
	res->series[SIM_S_ACTIVE][b] = (double)s->rq_active;
	sim_hist_clear(&s->bhist);
	s->b_arrivals = s->b_attempts = s->b_done = s->b_ok = s->b_err = s->b_overflow = 0;
	s->bucket++;
}

/* --- setup --- */

static void
client_ip(uint32_t i, char *buf, size_t len)
{
	snprintf(buf, len, "10.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
}

static bool
name_in(const struct sim_config *c, const char *name)
{
	size_t i;

	if (*name == '\0')
		return true;
	for (i = 0; i < c->nhash_names; i++)
		if (strcasecmp(c->hash_names[i], name) == 0)
			return true;
	return false;
}

static void
setup_clients(struct sim *s)
{
	const struct sim_config *c = s->cfg;
	const struct sim_scenario *sc = s->sc;
	char ip[32], val[48], remote[48], cookie[17];
	double sum = 0, acc = 0;
	uint32_t i, n = sc->clients ? sc->clients : 1;
	size_t k;
	uint64_t h;

	if (sc->zipf) {
		s->zipf_cdf = xmalloc(n * sizeof(double));
		for (i = 0; i < n; i++)
			sum += 1.0 / sim_pow((double)(i + 1), sc->zipf_s);
		for (i = 0; i < n; i++) {
			acc += 1.0 / sim_pow((double)(i + 1), sc->zipf_s);
			s->zipf_cdf[i] = acc / sum;
		}
	}
	if (c->lb != SIM_LB_MAGLEV)
		return;
	s->client_hash = xcalloc(n, sizeof(uint64_t));
	s->client_has_hash = xcalloc(n, sizeof(bool));
	for (i = 0; i < n; i++) {
		client_ip(i, ip, sizeof(ip));
		snprintf(val, sizeof(val), "client-%u", i);
		switch (c->hash) {
		case SIM_HASH_SOURCE_IP:
			s->client_hash[i] = sim_xxh64(ip, strlen(ip), 0);
			s->client_has_hash[i] = true;
			break;
		case SIM_HASH_HEADER:
			h = 0;
			for (k = 0; k < c->nhash_names; k++) {
				if (!name_in(c, sc->header) || (*sc->header &&
				    strcasecmp(sc->header, c->hash_names[k]) != 0))
					continue;
				h = s->client_has_hash[i] ? sim_hash_combine(h,
				    sim_xxh64(val, strlen(val), 0)) : sim_xxh64(val, strlen(val), 0);
				s->client_has_hash[i] = true;
			}
			s->client_hash[i] = h;
			break;
		case SIM_HASH_QUERY:
			h = 0;
			for (k = 0; k < c->nhash_names; k++)
				h = k == 0 ? sim_xxh64(val, strlen(val), 0) :
				    sim_hash_combine(h, sim_xxh64(val, strlen(val), 0));
			s->client_hash[i] = h;
			s->client_has_hash[i] = true;
			break;
		case SIM_HASH_COOKIE:
			if (c->cookie_ttl > 0) {
				snprintf(remote, sizeof(remote), "%s:%u", ip, 40000 + i % 20000);
				sim_cookie_value(remote, "10.0.0.10:8080", cookie);
				s->client_hash[i] = sim_xxh64(cookie, 16, 0);
				s->client_has_hash[i] = true;
			} else if (*sc->cookie && c->nhash_names > 0 &&
			    strcmp(sc->cookie, c->hash_names[0]) == 0) {
				s->client_hash[i] = sim_xxh64(val, strlen(val), 0);
				s->client_has_hash[i] = true;
			}
			break;
		case SIM_HASH_NONE:
			break;
		}
	}
}

static void
sim_free(struct sim *s)
{
	uint32_t i;

	for (i = 0; i < s->nhosts; i++) {
		free(s->hosts[i].conns);
		free(s->hosts[i].ready);
		free(s->hosts[i].pending.v);
		free(s->hosts[i].queue.v);
	}
	free(s->hosts);
	free(s->heap);
	free(s->gto.v);
	free(s->pto.v);
	free(s->reqs);
	free(s->jobs);
	free(s->src);
	free(s->active);
	free(s->keys);
	free(s->wtmp);
	free(s->client_hash);
	free(s->client_has_hash);
	free(s->zipf_cdf);
	sim_edf_release(&s->edf);
	sim_maglev_release(&s->mg);
	sim_od_release(&s->od);
}

void
sim_result_release(struct sim_result *res)
{
	size_t i;

	free(res->backends);
	for (i = 0; i < SIM_NSERIES; i++)
		free(res->series[i]);
	memset(res, 0, sizeof(*res));
}

int
sim_run(const struct sim_config *cfg, const struct sim_scenario *sc,
    struct sim_result *res, sim_progress_fn progress, void *ud, struct diags *diags)
{
	struct sim *s;
	struct ev e;
	struct req *r;
	struct tq_ent *te;
	uint32_t i, nh = (uint32_t)sc->nbackends;
	int64_t t, limit;
	size_t k;
	int which;

	memset(res, 0, sizeof(*res));
	if (nh == 0) {
		diag_add_file(diags, SEV_ERROR, "scenario", NULL, "the scenario has no backends");
		return -1;
	}
	if (cfg->lb == SIM_LB_MAGLEV && !sim_is_prime(cfg->table_size)) {
		diag_add_file(diags, SEV_ERROR, "simulate", NULL,
		    "consistent hash table size %llu is not prime",
		    (unsigned long long)cfg->table_size);
		return -1;
	}
	s = xcalloc(1, sizeof(*s));
	s->cfg = cfg;
	s->sc = sc;
	s->res = res;
	res->seed = sc->seed;
	res->interval = sc->interval;
	res->nbuckets = (size_t)((sc->duration + sc->interval - 1) / sc->interval);
	for (k = 0; k < SIM_NSERIES; k++)
		res->series[k] = xcalloc(res->nbuckets ? res->nbuckets : 1, sizeof(double));
	res->nbackends = nh;
	res->backends = xcalloc(nh, sizeof(*res->backends));
	sim_rng_seed(&s->rng, sc->seed ^ UINT64_C(0x5eed0f0e17011e));
	sim_rng_seed(&s->wrng, sc->seed);
	sim_rng_seed(&s->arng, sc->seed ^ UINT64_C(0xa771fa15));
	s->lb_seed = sim_rand(&s->rng);
	s->rr_index[0] = s->rr_index[1] = s->lb_seed;
	s->nhosts = nh;
	s->hosts = xcalloc(nh, sizeof(*s->hosts));
	s->src = xcalloc(nh, sizeof(uint32_t));
	s->active = xcalloc(nh, sizeof(uint32_t));
	s->keys = xcalloc(nh, sizeof(char *));
	s->wtmp = xcalloc(nh, sizeof(double));
	s->free_req = s->free_job = NONE;
	sim_edf_init(&s->edf);
	sim_od_init(&s->od, cfg, nh);
	for (i = 0; i < nh; i++) {
		struct host *h = &s->hosts[i];

		h->spec = &sc->backends[i];
		h->weight = h->spec->weight ? h->spec->weight : 1;
		h->free_conn = NONE;
		h->res = &res->backends[i];
		snprintf(h->res->address, sizeof(h->res->address), "%s", h->spec->address);
		h->ejected_since = h->unhealthy_since = -1;
		h->last_hc_pass = cfg->slow_start_window > 0 && !cfg->hc ? 0 : -1;
		if (cfg->hc) {
			sim_hc_init(&h->hc);
			ev_push(s, 0, EV_HC_START, i, 0, 0);
		}
		host_health_update(s, i);
	}
	s->lb_dirty = true;
	apply_faults(s);
	for (k = 0; k < sc->nfaults; k++) {
		ev_push(s, sc->faults[k].from, EV_FAULT, (uint32_t)k, 0, 0);
		ev_push(s, sc->faults[k].to, EV_FAULT, (uint32_t)k, 0, 0);
	}
	if (cfg->outlier)
		ev_push(s, cfg->od_interval, EV_OD_TICK, 0, 0, 0);
	setup_clients(s);
	if (sc->closed_clients > 0) {
		s->next_arrival = INT64_MAX;
		for (i = 0; i < sc->closed_clients; i++)
			ev_push(s, ns_of((double)sc->think_time * sim_uniform(&s->arng)),
			    EV_CLIENT, i, 0, 0);
	} else {
		s->now = 0;
		schedule_arrival(s);
		if (s->next_arrival != INT64_MAX)
			s->next_arrival = 0;
	}
	limit = sc->duration + 600 * SIM_S;
	for (;;) {
		/* timers of finished requests leave from the head at once */
		while (s->gto.n > 0 && s->reqs[s->gto.v[s->gto.head].slot].tok !=
		    s->gto.v[s->gto.head].tok) {
			s->gto.head = (s->gto.head + 1) % s->gto.cap;
			s->gto.n--;
		}
		while (s->pto.n > 0 && (s->reqs[s->pto.v[s->pto.head].slot].atok !=
		    s->pto.v[s->pto.head].tok ||
		    s->reqs[s->pto.v[s->pto.head].slot].state != R_ACTIVE)) {
			s->pto.head = (s->pto.head + 1) % s->pto.cap;
			s->pto.n--;
		}
		/* at equal times: completions and timers before new arrivals */
		t = s->next_arrival;
		which = 0;
		if (s->gto.n > 0 && s->gto.v[s->gto.head].t <= t) {
			t = s->gto.v[s->gto.head].t;
			which = 1;
		}
		if (s->pto.n > 0 && s->pto.v[s->pto.head].t <= t) {
			t = s->pto.v[s->pto.head].t;
			which = 2;
		}
		if (s->nheap > 0 && s->heap[0].t <= t) {
			t = s->heap[0].t;
			which = 3;
		}
		if (t >= sc->duration && (s->live == 0 || t >= limit))
			break;
		while (s->bucket < res->nbuckets &&
		    t >= (int64_t)(s->bucket + 1) * sc->interval) {
			s->now = (int64_t)(s->bucket + 1) * sc->interval;
			close_bucket(s);
			if (progress != NULL)
				progress((double)s->now / (double)sc->duration, ud);
		}
		s->now = t;
		res->events++;
		switch (which) {
		case 0:
			if (sc->clients > 0 || sc->closed_clients == 0)
				new_request(s, pick_client(s), false);
			schedule_arrival(s);
			break;
		case 1:
			te = &s->gto.v[s->gto.head];
			s->gto.head = (s->gto.head + 1) % s->gto.cap;
			s->gto.n--;
			r = &s->reqs[te->slot];
			if (r->tok == te->tok)
				global_timeout(s, r);
			break;
		case 2:
			te = &s->pto.v[s->pto.head];
			s->pto.head = (s->pto.head + 1) % s->pto.cap;
			s->pto.n--;
			r = &s->reqs[te->slot];
			if (r->tok != 0 && r->atok == te->tok && r->state == R_ACTIVE) {
				finish_attempt(s, r, O_TIMEOUT, 504);
			}
			break;
		default:
			e = ev_pop(s);
			switch (e.type) {
			case EV_DONE:
				on_done(s, e.a);
				break;
			case EV_CONNECT:
				on_connect(s, e.a, e.b, e.c != 0);
				break;
			case EV_RETRY:
				r = &s->reqs[e.a];
				if (r->tok != 0 && r->atok == e.b && r->state == R_BACKOFF)
					start_attempt(s, r);
				break;
			case EV_OD_TICK:
				if (sim_od_tick(&s->od, s->now) > 0)
					for (i = 0; i < nh; i++)
						host_health_update(s, i);
				if (s->now < sc->duration || s->live > 0)
					ev_push(s, s->now + cfg->od_interval, EV_OD_TICK, 0, 0, 0);
				break;
			case EV_HC_START:
				if (s->now < sc->duration || s->live > 0)
					hc_start(s, e.a);
				break;
			case EV_HC_DONE:
				hc_done(s, e.a, e.b, e.c);
				break;
			case EV_FAULT:
				apply_faults(s);
				break;
			case EV_CLIENT:
				if (s->now < sc->duration)
					new_request(s, e.a, true);
				break;
			}
		}
	}
	s->now = sc->duration > s->now ? sc->duration : s->now;
	res->peak_bytes = s->nreqs * sizeof(struct req) + s->njobs * sizeof(struct job) +
	    s->heap_cap * sizeof(struct ev) + (s->gto.cap + s->pto.cap) * sizeof(struct tq_ent);
	for (i = 0; i < nh; i++)
		res->peak_bytes += s->hosts[i].nconn_alloc * sizeof(struct conn) +
		    (s->hosts[i].pending.cap + s->hosts[i].queue.cap) * sizeof(uint64_t) +
		    s->hosts[i].ready_cap * sizeof(uint32_t);
	while (s->bucket < res->nbuckets)
		close_bucket(s);
	for (i = 0; i < nh; i++) {
		struct host *h = &s->hosts[i];

		if (h->ejected_since >= 0)
			h->res->ejected_ns += sc->duration - h->ejected_since;
		if (h->unhealthy_since >= 0)
			h->res->unhealthy_ns += sc->duration - h->unhealthy_since;
		h->res->ejections = s->od.h[i].ejections;
	}
	sim_free(s);
	free(s);
	return 0;
}
