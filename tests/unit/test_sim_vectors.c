/*
 * test_sim_vectors.c: the simulator's building blocks against every
 * vector of docs/test-vectors.md: xxHash64 known answers, request hashes,
 * Maglev tables, EDF / round-robin / least-request pick sequences, retry
 * backoff, outlier ejection timelines, active health-check thresholds and
 * slow-start factors.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "unit.h"

static uint64_t
xx(const char *s, uint64_t seed)
{
	return sim_xxh64(s, strlen(s), seed);
}

TEST(xxhash_known_answers)
{
	char a32[33], b64[65];
	unsigned char bytes[100];
	int i;

	CHECK_U64(xx("", 0), 17241709254077376921ull);
	CHECK_U64(xx("foo", 0), 3728699739546630719ull);
	CHECK_U64(xx("bar", 0), 5234164152756840025ull);
	CHECK_U64(xx("foo\nbar", 0), 8917841378505826757ull);
	CHECK_U64(xx("lyft", 0), 4400747396090729504ull);
	CHECK_U64(xx("abc", 0), 4952883123889572249ull);
	CHECK_U64(xx("World", 0), 1846988464401551951ull);
	CHECK_U64(xx("Hello, world!", 0), 17691043854468224118ull);
	CHECK_U64(xx("Nobody inspects the spammish repetition", 0), 0xfbcea83c8a378bf1ull);
	CHECK_U64(xx("xxhash", 20141025), 0xb559b98d844e0635ull);
	CHECK_U64(xx("The quick brown fox jumps over the lazy dog", 0), 0x0b242d361fda71bcull);
	CHECK_U64(xx("The quick brown fox jumps over the lazy dog.", 0), 0x44ad33705751ad73ull);
	memset(a32, 'a', 32);
	a32[32] = '\0';
	CHECK_U64(xx(a32, 0), 0x856e843298f99ad7ull);
	memset(b64, 'b', 64);
	b64[64] = '\0';
	CHECK_U64(xx(b64, 0), 0xecbaf4bdf26b6349ull);
	for (i = 0; i < 100; i++)
		bytes[i] = (unsigned char)i;
	CHECK_U64(sim_xxh64(bytes, 100, 0), 0x6ac1e58032166597ull);
	CHECK_U64(xx("abc", 12345), 0x01700e64f6f23509ull);
	CHECK_U64(xx("Nobody inspects the spammish repetition", 1234), 0x55e30cd248a5419full);
	CHECK_U64(xx("a", 0), 15154266338359012955ull);
	CHECK_U64(xx("hello", 0), 2794345569481354659ull);
}

TEST(xxhash_chain_and_seed1)
{
	const char *v[] = { "foo", "bar" };
	static const struct { const char *k; uint64_t h0, h1; } keys[] = {
		{ "127.0.0.1:90", 13180206916909469397ull, 1521841302816948213ull },
		{ "127.0.0.1:91", 14287957416708962143ull, 17357142112957331357ull },
		{ "127.0.0.1:92", 8423055348948895690ull, 17793378079088142613ull },
		{ "127.0.0.1:93", 9686654070074522551ull, 2659385765327237744ull },
		{ "127.0.0.1:94", 7799375222174194912ull, 2739684680390772584ull },
		{ "127.0.0.1:95", 2722563676200318021ull, 10218045428051726404ull },
	};
	size_t i;

	CHECK_U64(sim_xxh64_chain(v, 2), 17745830980996999794ull);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		CHECK_U64(xx(keys[i].k, 0), keys[i].h0);
		CHECK_U64(xx(keys[i].k, 1), keys[i].h1);
	}
}

TEST(request_hashes)
{
	struct sim_config c;
	const char *fb[] = { "bar", "foo" };
	char cookie[17];

	sim_config_defaults(&c);
	c.lb = SIM_LB_MAGLEV;
	c.hash = SIM_HASH_SOURCE_IP;
	CHECK_U64(sim_key_hash(&c, "10.0.0.1"), 17084065887361098711ull);
	CHECK_U64(sim_key_hash(&c, "192.168.1.10"), 12224816532541719634ull);
	CHECK_U64(sim_key_hash(&c, "::1"), 6441869463509800047ull);
	CHECK_U64(sim_key_hash(&c, "2001:db8::1"), 2793145402038030385ull);
	c.hash = SIM_HASH_HEADER;
	c.hash_names[0] = "x-user";
	c.nhash_names = 1;
	CHECK_U64(sim_key_hash(&c, "user-123"), 15896237303240436425ull);
	/* header values [foo, bar] are sorted, then chained */
	CHECK_U64(sim_xxh64_chain(fb, 2), 6648465492906218751ull);
	c.hash = SIM_HASH_COOKIE;
	CHECK_U64(sim_key_hash(&c, "session-abc"), 1889263794375132915ull);
	sim_cookie_value("10.1.2.3:54321", "10.0.0.10:8080", cookie);
	CHECK_STR(cookie, "6ee1916e7efcfe5c");
	CHECK_U64(xx(cookie, 0), 18051610998833136791ull);
	CHECK_U64(sim_hash_combine(17084065887361098711ull, 15896237303240436425ull),
	    483944869475675494ull);
}

static const char *const basic_keys[] = { "127.0.0.1:90", "127.0.0.1:91", "127.0.0.1:92",
	"127.0.0.1:93", "127.0.0.1:94", "127.0.0.1:95" };
static const double ones[6] = { 1, 1, 1, 1, 1, 1 };

TEST(maglev_basic)
{
	struct sim_maglev mg;
	static const uint32_t want[7] = { 2, 4, 0, 1, 5, 0, 3 };
	static const char *const names[] = { "90", "91", "92", "93", "94", "95" };
	static const uint32_t want_names[7] = { 2, 5, 0, 3, 4, 1, 0 };
	uint64_t i;

	CHECK(sim_maglev_build(&mg, basic_keys, ones, 6, 7));
	for (i = 0; i < 7; i++)
		CHECK_INT(mg.table[i], want[i]);
	for (i = 0; i <= 20; i++)
		CHECK_INT(sim_maglev_pick(&mg, i, 0), want[i % 7]);
	/* host-selection retries: h ^ (2^64 - a) */
	CHECK_INT(sim_maglev_pick(&mg, 10, 0), 1);
	CHECK_INT(sim_maglev_pick(&mg, 10, 1), 0);
	CHECK_INT(sim_maglev_pick(&mg, 10, 2), 5);
	sim_maglev_release(&mg);
	CHECK(sim_maglev_build(&mg, names, ones, 6, 7));
	for (i = 0; i < 7; i++)
		CHECK_INT(mg.table[i], want_names[i]);
	sim_maglev_release(&mg);
	CHECK(!sim_maglev_build(&mg, basic_keys, ones, 6, 8));
}

static void
counts(const struct sim_maglev *mg, size_t n, uint64_t *c)
{
	uint64_t i;

	memset(c, 0, n * sizeof(*c));
	for (i = 0; i < mg->size; i++)
		c[mg->table[i]]++;
}

TEST(maglev_weighted)
{
	struct sim_maglev mg;
	static const char *const want =	/* 0 = :90, 1 = :91 */
	    "10010110111110101";
	const double w12[2] = { 1, 2 }, w7[1] = { 7 };
	uint64_t c[3], i;

	CHECK(sim_maglev_build(&mg, basic_keys, w12, 2, 17));
	for (i = 0; i < 17; i++)
		CHECK_INT(mg.table[i], want[i] - '0');
	counts(&mg, 2, c);
	CHECK_U64(c[0], 6);
	CHECK_U64(c[1], 11);
	sim_maglev_release(&mg);
	CHECK(sim_maglev_build(&mg, basic_keys, w7, 1, 17));
	for (i = 0; i < 17; i++)
		CHECK_INT(mg.table[i], 0);
	sim_maglev_release(&mg);
	/* the docs' 1:2 example on the default table */
	CHECK(sim_maglev_build(&mg, basic_keys, w12, 2, 65537));
	counts(&mg, 2, c);
	CHECK_U64(c[0], 21846);
	CHECK_U64(c[1], 43691);
	sim_maglev_release(&mg);
}

TEST(maglev_default_table)
{
	struct sim_maglev mg;
	static const char *const k3[] = { "10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080" };
	static const char first10[] = "3331111213";
	struct sim_config cfg;
	uint64_t c[3], i;

	CHECK(sim_maglev_build(&mg, k3, ones, 3, 65537));
	counts(&mg, 3, c);
	CHECK_U64(c[0], 21846);
	CHECK_U64(c[1], 21846);
	CHECK_U64(c[2], 21845);
	CHECK_U64(xx(k3[0], 0) % 65537, 1495);
	CHECK_U64(xx(k3[0], 1) % 65536 + 1, 46121);
	CHECK_U64(xx(k3[1], 0) % 65537, 802);
	CHECK_U64(xx(k3[2], 1) % 65536 + 1, 19545);
	for (i = 0; i < 10; i++)
		CHECK_INT(mg.table[i], first10[i] - '1');
	sim_config_defaults(&cfg);
	cfg.lb = SIM_LB_MAGLEV;
	cfg.hash = SIM_HASH_SOURCE_IP;
	CHECK_U64(sim_key_hash(&cfg, "10.0.0.1") % 65537, 64164);
	CHECK_INT(sim_maglev_pick(&mg, sim_key_hash(&cfg, "10.0.0.1"), 0), 2);
	CHECK_INT(sim_maglev_pick(&mg, sim_key_hash(&cfg, "192.168.1.10"), 0), 0);
	CHECK_U64(sim_key_hash(&cfg, "user-123") % 65537, 39125);
	CHECK_INT(sim_maglev_pick(&mg, sim_key_hash(&cfg, "user-123"), 0), 0);
	sim_maglev_release(&mg);
}

/* D.3: 1000 hosts, balance and disruption when the first k go away. */
TEST(maglev_disruption)
{
	struct sim_maglev full, less;
	char (*names)[24] = malloc(1000 * sizeof(*names));
	const char **keys = malloc(1000 * sizeof(char *));
	double *w = malloc(1000 * sizeof(double));
	uint64_t *c = malloc(1000 * sizeof(uint64_t)), lo = UINT64_MAX, hi = 0, changed = 0;
	uint64_t i;

	for (i = 0; i < 1000; i++) {
		snprintf(names[i], sizeof(names[i]), "10.0.%u.%u:8080", (unsigned)(i / 250),
		    (unsigned)(i % 250 + 1));
		keys[i] = names[i];
		w[i] = 1;
	}
	CHECK(sim_maglev_build(&full, keys, w, 1000, 65537));
	counts(&full, 1000, c);
	for (i = 0; i < 1000; i++) {
		lo = c[i] < lo ? c[i] : lo;
		hi = c[i] > hi ? c[i] : hi;
	}
	CHECK_U64(lo, 65);
	CHECK_U64(hi, 66);
	CHECK(sim_maglev_build(&less, keys + 10, w, 990, 65537));
	for (i = 0; i < 65537; i++)
		if (keys[full.table[i]] != keys[10 + less.table[i]])
			changed++;
	/* 3.218% of the slots change (1.007% forced) */
	CHECK_NEAR(100.0 * (double)changed / 65537.0, 3.218, 0.0005);
	sim_maglev_release(&full);
	sim_maglev_release(&less);
	free(names);
	free(keys);
	free(w);
	free(c);
}

TEST(edf_unweighted_and_weighted)
{
	struct sim_edf e;
	double w[128];
	uint32_t i, k, id, cnt[128];

	sim_edf_init(&e);
	for (i = 0; i < 128; i++)
		sim_edf_add(&e, i, 1);
	for (k = 0; k < 3; k++)
		for (i = 0; i < 128; i++) {
			id = sim_edf_pop(&e);
			CHECK_INT(id, i);
			sim_edf_add(&e, id, 1);
		}
	sim_edf_clear(&e);
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < 128; i++) {
		w[i] = i + 1;
		sim_edf_add(&e, i, w[i]);
	}
	for (k = 0; k < 128 * 129 / 2; k++) {
		id = sim_edf_pop(&e);
		cnt[id]++;
		sim_edf_add(&e, id, w[id]);
	}
	for (i = 0; i < 128; i++)
		CHECK_INT(cnt[i], i + 1);
	sim_edf_release(&e);
}

/* createWithPicks(P) leaves the queue as P sequential picks would. */
TEST(edf_create_with_picks)
{
	static const uint32_t picks[] = { 5, 140, 501, 123456, 894571 };
	struct sim_edf a, b;
	double w[128];
	uint32_t i, k, p, ida, idb;
	bool same;

	for (i = 0; i < 128; i++)
		w[i] = (100.5 - 0.01) / 128 * i + 0.01;
	sim_edf_init(&a);
	sim_edf_init(&b);
	for (p = 0; p < sizeof(picks) / sizeof(picks[0]); p++) {
		sim_edf_clear(&a);
		for (i = 0; i < 128; i++)
			sim_edf_add(&a, i, w[i]);
		for (k = 0; k < picks[p]; k++) {
			ida = sim_edf_pop(&a);
			sim_edf_add(&a, ida, w[ida]);
		}
		sim_edf_create_with_picks(&b, w, 128, picks[p]);
		same = true;
		for (k = 0; k < 256; k++) {
			ida = sim_edf_pop(&a);
			idb = sim_edf_pop(&b);
			if (ida != idb || a.now - b.now > 1e-5 || b.now - a.now > 1e-5)
				same = false;
			sim_edf_add(&a, ida, w[ida]);
			sim_edf_add(&b, idb, w[idb]);
		}
		CHECK(same);
	}
	sim_edf_release(&a);
	sim_edf_release(&b);
}

static void
edf_seq(struct sim_edf *e, const double *w, size_t npicks, const char *want)
{
	size_t k;
	uint32_t id;
	char got[64];

	for (k = 0; k < npicks; k++) {
		id = sim_edf_pop(e);
		got[k] = (char)('0' + id);
		sim_edf_add(e, id, w[id]);
	}
	got[npicks] = '\0';
	CHECK_STR(got, want);
}

/* round_robin_lb_test.cc Weighted and WeightedSeed */
TEST(round_robin_weighted)
{
	struct sim_edf e;
	double w[3] = { 1, 2, 0 };
	double w2[2] = { 1, 4 };

	sim_edf_init(&e);
	sim_edf_create_with_picks(&e, w, 2, 0);
	edf_seq(&e, w, 6, "101101");
	w[0] = 2;
	w[1] = 1;
	edf_seq(&e, w, 8, "10100100");
	w[2] = 3;
	sim_edf_create_with_picks(&e, w, 3, 0);
	edf_seq(&e, w, 12, "202102202210");
	sim_edf_create_with_picks(&e, w2, 2, 0);
	edf_seq(&e, w2, 10, "1110111101");
	w[0] = 1;
	w[1] = 2;
	sim_edf_create_with_picks(&e, w, 2, 1);
	edf_seq(&e, w, 6, "011011");
	sim_edf_release(&e);
}

/* least_request_lb_test.cc Normal, PNC, WeightImbalance */
TEST(least_request_picks)
{
	struct sim_rng r;
	static const uint64_t rands[] = { 0, 2, 3 };
	static const uint64_t pnc[] = { 0, 3, 0, 3, 2, 1 };
	static const uint64_t zeros[] = { 0 };
	const uint32_t src[4] = { 0, 1, 2, 3 };
	uint32_t a12[2] = { 1, 2 }, a21[2] = { 2, 1 }, a4321[4] = { 4, 3, 2, 1 };
	struct sim_edf e;
	double w[2] = { 1, 2 };
	uint32_t act[2] = { 0, 0 }, id, k;
	char got[16];

	sim_rng_mock(&r, rands, 3);
	CHECK_INT(sim_p2c_pick(&r, src, 2, 2, a12), 0);
	sim_rng_mock(&r, rands, 3);
	CHECK_INT(sim_p2c_pick(&r, src, 2, 2, a21), 1);
	sim_rng_mock(&r, pnc, 6);
	CHECK_INT(sim_p2c_pick(&r, src, 4, 5, a4321), 3);
	sim_rng_mock(&r, zeros, 1);
	CHECK_INT(sim_p2c_pick(&r, src, 4, 5, a4321), 0);
	/* weighted: EDF with weight / (active + 1), computed at re-insertion */
	sim_edf_init(&e);
	sim_edf_create_with_picks(&e, w, 2, 0);
	for (k = 0; k < 6; k++) {
		id = sim_edf_pop(&e);
		got[k] = (char)('0' + id);
		sim_edf_add(&e, id, w[id] / (act[id] + 1));
	}
	got[6] = '\0';
	CHECK_STR(got, "101101");
	/* the test goes on with the same scheduler: weights lag by one pick */
	act[1] = 1;
	for (k = 0; k < 5; k++) {
		id = sim_edf_pop(&e);
		got[k] = (char)('0' + id);
		sim_edf_add(&e, id, w[id] / (act[id] + 1));
	}
	got[5] = '\0';
	CHECK_STR(got, "10101");
	act[0] = 1;
	act[1] = 0;
	for (k = 0; k < 10; k++) {
		id = sim_edf_pop(&e);
		got[k] = (char)('0' + id);
		sim_edf_add(&e, id, w[id] / (act[id] + 1));
	}
	got[10] = '\0';
	CHECK_STR(got, "0111011110");
	sim_edf_release(&e);
}

TEST(backoff_sequences)
{
	struct sim_rng r;
	struct sim_backoff b;
	static const uint64_t r27[] = { 27 }, r9999[] = { 9999 };
	static const uint64_t rmax[] = { UINT64_MAX - 1 };
	static const uint64_t want[] = { 4, 9, 19, 39, 79, 99, 99 };
	static const uint64_t bounds[] = { 25, 50, 100, 200, 250, 250 };
	uint64_t v = 0;
	size_t i;
	bool bounded = true;

	sim_rng_mock(&r, r27, 1);
	sim_backoff_init(&b, 25, 30);
	CHECK_U64(sim_backoff_next(&b, &r), 2);
	CHECK_U64(sim_backoff_next(&b, &r), 27);
	sim_backoff_init(&b, 25, 30);
	CHECK_U64(sim_backoff_next(&b, &r), 2);
	sim_backoff_init(&b, 26, 30);
	CHECK_U64(sim_backoff_next(&b, &r), 1);
	sim_rng_mock(&r, r9999, 1);
	sim_backoff_init(&b, 5, 100);
	for (i = 0; i < 7; i++)
		CHECK_U64(sim_backoff_next(&b, &r), want[i]);
	sim_backoff_init(&b, 4, 100);
	CHECK_U64(sim_backoff_next(&b, &r), 3);
	sim_rng_mock(&r, rmax, 1);
	sim_backoff_init(&b, 1, UINT64_MAX);
	for (i = 0; i < 100; i++) {
		v = sim_backoff_next(&b, &r);
		if (v > UINT64_MAX - 1)
			bounded = false;
	}
	CHECK(bounded);
	CHECK_U64(v, UINT64_MAX - 1);
	/* router defaults: exclusive upper bounds 25, 50, 100, 200, 250, 250 */
	sim_backoff_init(&b, 25, 250);
	for (i = 0; i < 6; i++) {
		CHECK_U64(b.next, bounds[i]);
		(void)sim_backoff_next(&b, &r);
	}
}

TEST(outlier_eject_time_backoff)
{
	struct sim_config c;
	struct sim_od od;
	int64_t t;
	int k;

	sim_config_defaults(&c);
	c.outlier = true;
	c.od_base_ejection = 10 * SIM_S;
	c.od_interval = 10 * SIM_S;
	c.od_max_ejection_percent = 100;
	sim_od_init(&od, &c, 1);
#define FIVE_500(t) do { for (k = 0; k < 5; k++) sim_od_http(&od, 0, 500, (t)); } while (0)
	FIVE_500(0);
	CHECK(od.h[0].ejected);
	sim_od_tick(&od, 10 * SIM_S);
	CHECK(!od.h[0].ejected);
	FIVE_500(10 * SIM_S);
	CHECK(od.h[0].ejected);
	sim_od_tick(&od, 20 * SIM_S);
	CHECK(od.h[0].ejected);
	sim_od_tick(&od, 30 * SIM_S);
	CHECK(!od.h[0].ejected);
	FIVE_500(30 * SIM_S);
	sim_od_tick(&od, 40 * SIM_S);
	sim_od_tick(&od, 50 * SIM_S);
	CHECK(od.h[0].ejected);
	sim_od_tick(&od, 60 * SIM_S);
	CHECK(!od.h[0].ejected);
	CHECK_INT(od.h[0].backoff, 3);
	sim_od_tick(&od, 70 * SIM_S);
	sim_od_tick(&od, 80 * SIM_S);
	CHECK_INT(od.h[0].backoff, 1);
	FIVE_500(80 * SIM_S);
	sim_od_tick(&od, 90 * SIM_S);
	CHECK(od.h[0].ejected);
	sim_od_tick(&od, 100 * SIM_S);
	CHECK(!od.h[0].ejected);
	for (t = 110; t <= 600; t += 10)
		sim_od_tick(&od, t * SIM_S);
	CHECK_INT(od.h[0].backoff, 0);
	FIVE_500(610 * SIM_S);
	CHECK(od.h[0].ejected);
	sim_od_tick(&od, 620 * SIM_S);
	CHECK(!od.h[0].ejected);
	CHECK_U64(od.h[0].ejections, 5);
	sim_od_release(&od);
}

TEST(outlier_max_ejection_percent)
{
	struct sim_config c;
	struct sim_od od;
	size_t i, n;
	int k;

	sim_config_defaults(&c);
	c.outlier = true;
	for (n = 5; n <= 25; n += 5) {
		sim_od_init(&od, &c, n);
		for (i = 0; i < n; i++)
			for (k = 0; k < 5; k++)
				sim_od_http(&od, i, 503, 0);
		/* 100 (e + 1) / N <= 10 */
		CHECK_INT(od.nejected, n == 5 ? 0 : n == 10 ? 1 : n == 15 ? 1 : 2);
		sim_od_release(&od);
	}
	c.od_always_eject_one = true;
	sim_od_init(&od, &c, 5);
	for (k = 0; k < 5; k++)
		sim_od_http(&od, 0, 503, 0);
	CHECK_INT(od.nejected, 1);
	sim_od_release(&od);
}

TEST(outlier_counting)
{
	struct sim_config c;
	struct sim_od od;

	sim_config_defaults(&c);
	c.outlier = true;
	c.od_max_ejection_percent = 100;
	sim_od_init(&od, &c, 1);
	sim_od_http(&od, 0, 500, 0);
	sim_od_http(&od, 0, 500, 0);
	sim_od_local(&od, 0, SIM_OD_CONNECT_FAILED, 0);
	CHECK_INT(od.h[0].c5xx, 3);
	sim_od_local(&od, 0, SIM_OD_CONNECT_SUCCESS, 0);	/* ignored with split off */
	CHECK_INT(od.h[0].c5xx, 3);
	sim_od_http(&od, 0, 200, 0);
	CHECK_INT(od.h[0].c5xx, 0);
	sim_od_local(&od, 0, SIM_OD_TIMEOUT, 0);
	sim_od_local(&od, 0, SIM_OD_TIMEOUT, 0);
	sim_od_http(&od, 0, 500, 0);
	CHECK_INT(od.h[0].c5xx, 3);
	/* gateway failures are not enforced unless configured */
	CHECK_INT(od.h[0].cgw, 0);
	sim_od_release(&od);
	c.od_split = true;
	c.od_consecutive_local = 2;
	sim_od_init(&od, &c, 1);
	sim_od_local(&od, 0, SIM_OD_CONNECT_FAILED, 0);
	sim_od_local(&od, 0, SIM_OD_CONNECT_SUCCESS, 0);
	sim_od_local(&od, 0, SIM_OD_CONNECT_FAILED, 0);
	CHECK(!od.h[0].ejected);
	CHECK_INT(od.h[0].c5xx, 0);
	sim_od_local(&od, 0, SIM_OD_TIMEOUT, 0);
	CHECK(od.h[0].ejected);
	sim_od_release(&od);
}

/* Failure percentage: judged over one interval among hosts with volume. */
TEST(outlier_failure_percentage)
{
	struct sim_config c;
	struct sim_od od;
	size_t i, k;

	sim_config_defaults(&c);
	c.outlier = true;
	c.od_max_ejection_percent = 100;
	c.od_consecutive_5xx = 1000;
	c.od_failure_pct = true;
	c.od_failure_pct_threshold = 50;
	sim_od_init(&od, &c, 6);
	for (i = 0; i < 5; i++)
		for (k = 0; k < 100; k++)
			sim_od_http(&od, i, i == 0 && k % 10 < 6 ? 500 : 200, 0);
	CHECK_INT(sim_od_tick(&od, 10 * SIM_S), 1);	/* 60% >= 50%: host 0 */
	CHECK(od.h[0].ejected);
	CHECK(!od.h[1].ejected);
	/* only 4 hosts with 50 requests this interval: nobody is judged */
	for (i = 1; i < 5; i++)
		for (k = 0; k < 100; k++)
			sim_od_http(&od, i, i == 1 ? 500 : 200, 10 * SIM_S);
	CHECK_INT(sim_od_tick(&od, 11 * SIM_S), 0);
	CHECK(!od.h[1].ejected);
	/* a fifth host with volume: host 1 (100% failures) goes */
	for (i = 1; i < 6; i++)
		for (k = 0; k < 50; k++)
			sim_od_http(&od, i, i == 1 ? 503 : 200, 11 * SIM_S);
	CHECK_INT(sim_od_tick(&od, 12 * SIM_S), 1);
	CHECK(od.h[1].ejected);
	sim_od_release(&od);
}

TEST(health_check_thresholds)
{
	struct sim_config c;
	struct sim_hc_host h;

	sim_config_defaults(&c);
	c.hc = true;
	sim_hc_init(&h);
	CHECK(h.failed);
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_OK), 1);	/* first success: healthy at once */
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_BAD_STATUS), -1);	/* threshold ignored */
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_OK), 1);	/* healthy threshold 1 */
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_TIMEOUT), 0);
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_TIMEOUT), 0);
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_TIMEOUT), -1);	/* third */
	c.hc_healthy_threshold = 2;
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_OK), 0);
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_OK), 1);
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_NETWORK), 0);
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_OK), 0);		/* a success resets the count */
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_NETWORK), 0);
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_NETWORK), 0);
	CHECK_INT(sim_hc_result(&h, &c, SIM_HC_NETWORK), -1);
}

TEST(slow_start_factors)
{
	CHECK_NEAR(sim_slow_start_factor(0, 60 * SIM_S, 1.0, 0.10), 0.1, 1e-12);
	CHECK_NEAR(sim_slow_start_factor(1 * SIM_S, 60 * SIM_S, 1.0, 0.10), 0.1, 1e-12);
	CHECK_NEAR(sim_slow_start_factor(6 * SIM_S, 60 * SIM_S, 1.0, 0.10), 0.1, 1e-12);
	CHECK_NEAR(sim_slow_start_factor(30 * SIM_S, 60 * SIM_S, 1.0, 0.10), 0.5, 1e-12);
	CHECK_NEAR(sim_slow_start_factor(59999 * SIM_MS, 60 * SIM_S, 1.0, 0.10), 0.999983, 1e-6);
	CHECK_NEAR(sim_slow_start_factor(60 * SIM_S, 60 * SIM_S, 3.0, 0.5), 1.0, 0);
	CHECK_NEAR(sim_slow_start_factor(15 * SIM_S, 60 * SIM_S, 2.0, 0.10), 0.5, 1e-12);
	CHECK_NEAR(sim_slow_start_factor(15 * SIM_S, 60 * SIM_S, 0.5, 0.10), 0.1, 1e-12);
	CHECK_NEAR(10 * sim_slow_start_factor(30 * SIM_S, 60 * SIM_S, 1.0, 0.30), 5.0, 1e-12);
}

/* The deterministic math against libm, to well within what the model needs. */
TEST(deterministic_math)
{
	double x;
	bool ok = true;

	for (x = 1e-12; x < 1e12; x *= 1.37)
		if (fabs(sim_log(x) - log(x)) > 1e-14 * (fabs(log(x)) + 1))
			ok = false;
	CHECK(ok);
	ok = true;
	for (x = -700; x < 700; x += 0.731)
		if (fabs(sim_exp(x) - exp(x)) > 1e-14 * exp(x))
			ok = false;
	CHECK(ok);
	CHECK_NEAR(sim_pow(0.25, 0.5), 0.5, 1e-15);
}

int
main(void)
{
	RUN(xxhash_known_answers);
	RUN(xxhash_chain_and_seed1);
	RUN(request_hashes);
	RUN(maglev_basic);
	RUN(maglev_weighted);
	RUN(maglev_default_table);
	RUN(maglev_disruption);
	RUN(edf_unweighted_and_weighted);
	RUN(edf_create_with_picks);
	RUN(round_robin_weighted);
	RUN(least_request_picks);
	RUN(backoff_sequences);
	RUN(outlier_eject_time_backoff);
	RUN(outlier_max_ejection_percent);
	RUN(outlier_counting);
	RUN(outlier_failure_percentage);
	RUN(health_check_thresholds);
	RUN(slow_start_factors);
	RUN(deterministic_math);
	return unit_done("test_sim_vectors");
}
