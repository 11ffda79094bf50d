/*
 * rng.c: the simulator's random numbers and the few transcendental
 * functions it needs, written with IEEE-754 basic operations only so that
 * a seed gives the same run on every machine and every libm.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sim/sim.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z;

	z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void
sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

void
sim_rng_mock(struct sim_rng *r, const uint64_t *values, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->mock = values;
	r->nmock = n;
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
sim_rand(struct sim_rng *r)
{
	uint64_t res, t;

	if (r->mock != NULL) {
		res = r->mock[r->imock];
		r->imock = (r->imock + 1) % r->nmock;
		return res;
	}
	res = rotl(r->s[1] * 5, 7) * 9;
	t = r->s[1] << 17;
	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = rotl(r->s[3], 45);
	return res;
}

double
sim_uniform(struct sim_rng *r)
{
	/* 53 random bits, shifted by half a step: never 0, never 1 */
	return ((double)(sim_rand(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

double
sim_normal(struct sim_rng *r)
{
	double u, v, s;

	do {
		u = 2.0 * sim_uniform(r) - 1.0;
		v = 2.0 * sim_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * sim_log(s) / s);
}

#define LN2_HI	6.93147180369123816490e-01	/* exact in 32 bits of mantissa */
#define LN2_LO	1.90821492927058770002e-10
#define LN2	0.69314718055994530942

double
sim_log(double x)
{
	double m, s, s2, sum, term;
	int k, i;

	if (!(x > 0.0))
		return x == 0.0 ? -HUGE_VAL : NAN;
	if (isinf(x))
		return x;
	m = frexp(x, &k);		/* x = m * 2^k, m in [0.5, 1): exact */
	if (m < 0.70710678118654752440) {
		m *= 2.0;
		k--;
	}
	/* log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172 */
	s = (m - 1.0) / (m + 1.0);
	s2 = s * s;
	term = s;
	sum = 0.0;
	for (i = 1; i < 40; i += 2) {
		sum += term / i;
		term *= s2;
	}
	return (double)k * LN2_HI + ((double)k * LN2_LO + 2.0 * sum);
}

double
sim_exp(double x)
{
	double r, sum, term;
	int k, i;

	if (isnan(x))
		return x;
	if (x > 709.0)
		return HUGE_VAL;
	if (x < -745.0)
		return 0.0;
	k = (int)(x / LN2 + (x < 0 ? -0.5 : 0.5));
	r = (x - (double)k * LN2_HI) - (double)k * LN2_LO;	/* |r| <= ln2/2 */
	sum = 1.0;
	term = 1.0;
	for (i = 1; i < 24; i++) {
		term *= r / i;
		sum += term;
	}
	return ldexp(sum, k);
}

double
sim_pow(double x, double y)
{
	if (y == 1.0)
		return x;
	if (x == 1.0 || y == 0.0)
		return 1.0;
	return sim_exp(y * sim_log(x));
}
