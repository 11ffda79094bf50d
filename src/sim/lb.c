/*
 * lb.c: the load-balancing building blocks of the simulator, each as
 * Envoy's code has it: xxHash64 request hashes, the EDF scheduler behind
 * weighted round robin and weighted least request, the Maglev table, the
 * jittered exponential retry backoff and the slow-start weight factor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "sim/sim.h"
#include "util.h"

uint64_t
sim_xxh64(const void *p, size_t n, uint64_t seed)
{
	return (uint64_t)XXH64(p, n, seed);
}

uint64_t
sim_xxh64_chain(const char *const *v, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h = sim_xxh64(v[i], strlen(v[i]), h);
	return h;
}

uint64_t
sim_hash_combine(uint64_t prev, uint64_t next)
{
	return ((prev << 1) | (prev >> 63)) ^ next;
}

void
sim_cookie_value(const char *remote, const char *local, char out[17])
{
	char buf[256];
	uint64_t h;

	snprintf(buf, sizeof(buf), "%s%s", remote, local);
	h = sim_xxh64(buf, strlen(buf), 0);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* --- EDF --- */

void
sim_edf_init(struct sim_edf *e)
{
	memset(e, 0, sizeof(*e));
}

void
sim_edf_release(struct sim_edf *e)
{
	free(e->v);
	memset(e, 0, sizeof(*e));
}

void
sim_edf_clear(struct sim_edf *e)
{
	e->n = 0;
	e->now = 0;
	e->order = 0;
}

static inline bool
edf_less(const struct sim_edf_entry *a, const struct sim_edf_entry *b)
{
	return a->deadline < b->deadline ||
	    (a->deadline == b->deadline && a->order < b->order);
}

static void
edf_push(struct sim_edf *e, struct sim_edf_entry x)
{
	size_t i, p;

	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 16;
		e->v = xreallocarray(e->v, e->cap, sizeof(*e->v));
	}
	i = e->n++;
	while (i > 0) {
		p = (i - 1) / 2;
		if (!edf_less(&x, &e->v[p]))
			break;
		e->v[i] = e->v[p];
		i = p;
	}
	e->v[i] = x;
}

void
sim_edf_add(struct sim_edf *e, uint32_t id, double weight)
{
	struct sim_edf_entry x;

	x.deadline = e->now + 1.0 / weight;
	x.order = e->order++;
	x.id = id;
	edf_push(e, x);
}

uint32_t
sim_edf_pop(struct sim_edf *e)
{
	struct sim_edf_entry top, last;
	size_t i, c;

	if (e->n == 0)
		return UINT32_MAX;
	top = e->v[0];
	last = e->v[--e->n];
	i = 0;
	for (;;) {
		c = 2 * i + 1;
		if (c >= e->n)
			break;
		if (c + 1 < e->n && edf_less(&e->v[c + 1], &e->v[c]))
			c++;
		if (!edf_less(&e->v[c], &last))
			break;
		e->v[i] = e->v[c];
		i = c;
	}
	if (e->n > 0)
		e->v[i] = last;
	e->now = top.deadline;
	return top.id;
}

void
sim_edf_create_with_picks(struct sim_edf *e, const double *w, size_t n,
    uint32_t picks)
{
	double sum = 0, maxt = 0, aw, pt;
	uint32_t done = 0, f, id;
	struct sim_edf_entry x;
	size_t i;

	sim_edf_clear(e);
	if (n == 0)
		return;
	picks %= 429496729u;
	if (picks == 0) {
		/* no pre-picks: exactly the hosts added one by one, in order */
		for (i = 0; i < n; i++)
			sim_edf_add(e, (uint32_t)i, w[i]);
		return;
	}
	for (i = 0; i < n; i++)
		sum += w[i] + 1e-13;
	for (i = 0; i < n; i++) {
		aw = w[i] + 1e-13;
		f = (uint32_t)(aw * picks / sum);
		if (f > 0 && f / aw >= picks / sum)
			f--;
		pt = f / aw;
		x.deadline = (f + 1) / aw;
		x.order = i;
		x.id = (uint32_t)i;
		edf_push(e, x);
		if (pt > maxt)
			maxt = pt;
		done += f;
	}
	e->now = maxt;
	e->order = n;
	while (done < picks) {
		id = sim_edf_pop(e);
		sim_edf_add(e, id, w[id]);
		done++;
	}
}

/* --- Maglev --- */

bool
sim_is_prime(uint64_t m)
{
	uint64_t d;

	if (m < 2)
		return false;
	if (m % 2 == 0)
		return m == 2;
	for (d = 3; d * d <= m; d += 2)
		if (m % d == 0)
			return false;
	return true;
}

struct mg_entry {
	const char	*key;
	uint32_t	 idx;
	uint64_t	 offset, skip, next;
	double		 weight, target;
};

static int
mg_cmp(const void *a, const void *b)
{
	const struct mg_entry *x = a, *y = b;

	return strcmp(x->key, y->key);
}

bool
sim_maglev_build(struct sim_maglev *mg, const char *const *keys,
    const double *w, size_t n, uint64_t m)
{
	struct mg_entry *ent;
	double sum = 0, maxw = 0;
	uint64_t filled = 0, c, it;
	size_t i;

	memset(mg, 0, sizeof(*mg));
	if (n == 0 || !sim_is_prime(m))
		return false;
	ent = xcalloc(n, sizeof(*ent));
	for (i = 0; i < n; i++)
		sum += w[i];
	for (i = 0; i < n; i++) {
		ent[i].key = keys[i];
		ent[i].idx = (uint32_t)i;
		ent[i].weight = w[i] / sum;
		if (ent[i].weight > maxw)
			maxw = ent[i].weight;
	}
	qsort(ent, n, sizeof(*ent), mg_cmp);
	for (i = 0; i < n; i++) {
		ent[i].offset = sim_xxh64(ent[i].key, strlen(ent[i].key), 0) % m;
		ent[i].skip = sim_xxh64(ent[i].key, strlen(ent[i].key), 1) % (m - 1) + 1;
	}
	mg->size = m;
	mg->nhosts = n;
	mg->table = xmalloc(m * sizeof(uint32_t));
	mg->order = xmalloc(n * sizeof(uint32_t));
	for (i = 0; i < n; i++)
		mg->order[i] = ent[i].idx;
	for (c = 0; c < m; c++)
		mg->table[c] = UINT32_MAX;
	for (it = 1; filled < m; it++) {
		for (i = 0; i < n && filled < m; i++) {
			if ((double)it * ent[i].weight < ent[i].target)
				continue;
			ent[i].target += maxw;
			c = (ent[i].offset + ent[i].skip * ent[i].next) % m;
			while (mg->table[c] != UINT32_MAX) {
				ent[i].next++;
				c = (ent[i].offset + ent[i].skip * ent[i].next) % m;
			}
			mg->table[c] = ent[i].idx;
			ent[i].next++;
			filled++;
		}
	}
	free(ent);
	return true;
}

void
sim_maglev_release(struct sim_maglev *mg)
{
	free(mg->table);
	free(mg->order);
	memset(mg, 0, sizeof(*mg));
}

uint32_t
sim_maglev_pick(const struct sim_maglev *mg, uint64_t h, unsigned a)
{
	if (a > 0)
		h ^= (uint64_t)0 - (uint64_t)a;
	return mg->table[h % mg->size];
}

/* --- backoff, slow start --- */

void
sim_backoff_init(struct sim_backoff *b, uint64_t base_ms, uint64_t max_ms)
{
	b->base = base_ms < 1 ? 1 : base_ms;
	b->max = max_ms < b->base ? b->base : max_ms;
	b->next = b->base;
}

uint64_t
sim_backoff_next(struct sim_backoff *b, struct sim_rng *r)
{
	uint64_t cur = b->next, v;

	if (b->next < b->max / 2)
		b->next *= 2;
	else
		b->next = b->max;
	v = sim_rand(r) % cur;
	return v < b->max ? v : b->max;
}

double
sim_slow_start_factor(int64_t since_ns, int64_t window_ns, double aggression,
    double min_weight)
{
	double t, f;

	if (window_ns <= 0 || since_ns >= window_ns)
		return 1.0;
	if (since_ns < SIM_MS)
		since_ns = SIM_MS;
	t = (double)since_ns / (double)window_ns;
	if (!(aggression > 0))
		aggression = 1.0;
	f = aggression == 1.0 ? t : sim_pow(t, 1.0 / aggression);
	return f > min_weight ? f : min_weight;
}

uint64_t
sim_key_hash(const struct sim_config *cfg, const char *key)
{
	uint64_t h = 0;
	size_t i, n;

	switch (cfg->hash) {
	case SIM_HASH_HEADER:
	case SIM_HASH_QUERY:
		/* every named header or parameter carries the key */
		n = cfg->nhash_names ? cfg->nhash_names : 1;
		for (i = 0; i < n; i++)
			h = i == 0 ? sim_xxh64(key, strlen(key), 0) :
			    sim_hash_combine(h, sim_xxh64(key, strlen(key), 0));
		return h;
	default:
		return sim_xxh64(key, strlen(key), 0);
	}
}

uint32_t
sim_p2c_pick(struct sim_rng *r, const uint32_t *src, size_t n, unsigned d,
    const uint32_t *active)
{
	uint32_t best, cand;
	unsigned j;

	(void)sim_rand(r);	/* the priority and host-source choice */
	best = src[sim_rand(r) % n];
	for (j = 1; j < d; j++) {
		cand = src[sim_rand(r) % n];
		if (active[cand] < active[best])
			best = cand;
	}
	return best;
}
