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
	double u, v, s, f;

	if (r->has_spare) {
		r->has_spare = false;
		return r->spare;
	}
	do {
		u = 2.0 * sim_uniform(r) - 1.0;
		v = 2.0 * sim_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	f = sqrt(-2.0 * sim_log(s) / s);
	r->spare = v * f;
	r->has_spare = true;
	return u * f;
}

#define LN2_HI	6.93147180369123816490e-01	/* exact in 32 bits of mantissa */
#define LN2_LO	1.90821492927058770002e-10
#define LN2	0.69314718055994530942

static inline uint64_t
bits_of(double x)
{
	uint64_t b;

	memcpy(&b, &x, sizeof(b));
	return b;
}

static inline double
double_of(uint64_t b)
{
	double x;

	memcpy(&x, &b, sizeof(x));
	return x;
}

double
sim_log(double x)
{
	/* 2 / (2k + 1): log(m) = 2 atanh(s) = sum 2 s^(2k+1) / (2k+1) */
	static const double c[] = {
		2.0 / 1, 2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9, 2.0 / 11, 2.0 / 13,
		2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21, 2.0 / 23, 2.0 / 25,
	};
	double m, s, s2, p;
	uint64_t b;
	int k, i;

	if (!(x > 0.0))
		return x == 0.0 ? -HUGE_VAL : NAN;
	if (isinf(x))
		return x;
	b = bits_of(x);
	if ((b >> 52) == 0) {		/* subnormal: rare, let frexp scale it */
		m = frexp(x, &k);
	} else {			/* x = m * 2^k, m in [0.5, 1): exact */
		k = (int)(b >> 52) - 1022;
		m = double_of((b & UINT64_C(0x000fffffffffffff)) | (UINT64_C(1022) << 52));
	}
	if (m < 0.70710678118654752440) {
		m *= 2.0;
		k--;
	}
	/* |s| < 0.172, so 13 terms leave an error below 1e-19 */
	s = (m - 1.0) / (m + 1.0);
	s2 = s * s;
	p = c[12];
	for (i = 11; i >= 0; i--)
		p = c[i] + s2 * p;
	return (double)k * LN2_HI + ((double)k * LN2_LO + s * p);
}

double
sim_exp(double x)
{
	/* 1 / n! */
	static const double c[] = {
		1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
		1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800,
		1.0 / 479001600, 1.0 / 6227020800.0, 1.0 / 87178291200.0,
		1.0 / 1307674368000.0,
	};
	double r, p;
	int k, i;

	if (isnan(x))
		return x;
	if (x > 709.0)
		return HUGE_VAL;
	if (x < -745.0)
		return 0.0;
	k = (int)(x / LN2 + (x < 0 ? -0.5 : 0.5));
	r = (x - (double)k * LN2_HI) - (double)k * LN2_LO;	/* |r| <= ln2/2 */
	/* 16 Taylor terms: the remainder is below 1e-19 */
	p = c[15];
	for (i = 14; i >= 0; i--)
		p = c[i] + r * p;
	if (k >= -1022 && k <= 1023)
		return p * double_of((uint64_t)(k + 1023) << 52);
	return ldexp(p, k);
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
