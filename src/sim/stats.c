/*
 * stats.c: a streaming latency histogram with fixed memory: log-linear
 * buckets over microseconds (64 per octave above 128 us, exact below),
 * so percentiles are within about 1.6% whatever the number of samples.
 */
#include <string.h>

#include "sim/sim.h"

static size_t
bucket_of(uint64_t us)
{
	int msb, shift;

	if (us < 128)
		return (size_t)us;
	if (us >= (UINT64_C(1) << 40))
		us = (UINT64_C(1) << 40) - 1;
	msb = 63 - __builtin_clzll(us);
	shift = msb - 6;
	return (size_t)((shift + 1) * 64) + (size_t)(us >> shift) - 64;
}

static double
bucket_mid_us(size_t idx)
{
	size_t shift;
	double low, width;

	if (idx < 128)
		return (double)idx;
	shift = idx / 64 - 1;
	low = (double)((uint64_t)(idx - shift * 64) << shift);
	width = (double)(UINT64_C(1) << shift);
	return low + (width - 1) / 2.0;
}

void
sim_hist_add(struct sim_hist *h, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	h->count[bucket_of((uint64_t)ns / 1000)]++;
	h->n++;
	h->sum_ms += (double)ns / 1e6;
}

double
sim_hist_quantile(const struct sim_hist *h, double q)
{
	uint64_t want, seen = 0;
	size_t i;

	if (h->n == 0)
		return 0;
	want = (uint64_t)(q * (double)h->n);
	if ((double)want < q * (double)h->n)
		want++;
	if (want == 0)
		want = 1;
	for (i = 0; i < SIM_HIST_BUCKETS; i++) {
		seen += h->count[i];
		if (seen >= want)
			return bucket_mid_us(i) / 1000.0;
	}
	return bucket_mid_us(SIM_HIST_BUCKETS - 1) / 1000.0;
}

double
sim_hist_mean(const struct sim_hist *h)
{
	return h->n ? h->sum_ms / (double)h->n : 0;
}

void
sim_hist_clear(struct sim_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void
sim_hist_merge(struct sim_hist *dst, const struct sim_hist *src)
{
	size_t i;

	for (i = 0; i < SIM_HIST_BUCKETS; i++)
		dst->count[i] += src->count[i];
	dst->n += src->n;
	dst->sum_ms += src->sum_ms;
}
