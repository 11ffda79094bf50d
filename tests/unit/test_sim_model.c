/*
 * test_sim_model.c: the simulator as a whole against queueing theory and
 * against the policy behaviour users rely on.  Every comparison states its
 * tolerance; runs are seeded, so each result is exactly reproducible.
 *
 * Queueing runs turn breakers, timeouts and retries off and make
 * connections free, so that each backend is one FIFO exponential server.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "sim/sim.h"
#include "unit.h"

static struct sim_backend_spec backends[128];

/* n backends, one server each, exponential service of mean 1 ms. */
static void
scenario(struct sim_scenario *sc, size_t n, double rate, double seconds)
{
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->duration = (int64_t)(seconds * 1e9);
	sc->interval = sc->duration / 10;
	sc->seed = 42;
	sc->rate = rate;
	sc->ramp_to = -1;
	sc->clients = 1000;
	for (i = 0; i < n; i++) {
		memset(&backends[i], 0, sizeof(backends[i]));
		snprintf(backends[i].address, sizeof(backends[i].address), "10.9.%zu.%zu:80",
		    i / 250, i % 250 + 1);
		backends[i].weight = 1;
		backends[i].concurrency = 1;
		backends[i].latency.kind = SIM_DIST_EXPONENTIAL;
		backends[i].latency.value = 1e6;
		backends[i].latency.median = 1e6 * 0.693;
		backends[i].error_status = 503;
		backends[i].hc_status = 200;
	}
	sc->backends = backends;
	sc->nbackends = n;
}

static void
unlimited(struct sim_config *c, enum sim_lb lb)
{
	sim_config_defaults(c);
	c->lb = lb;
	c->max_connections = c->max_pending = c->max_requests = UINT64_MAX;
	c->request_timeout = 0;
	c->retry = false;
}

/* Mean response time in units of the mean service time (1 ms). */
static double
mean_w(const struct sim_config *c, const struct sim_scenario *sc, struct sim_result *r)
{
	struct diags d;
	double w;

	diags_init(&d);
	if (sim_run(c, sc, r, NULL, NULL, &d) != 0) {
		diags_release(&d);
		return -1;
	}
	diags_release(&d);
	w = sim_hist_mean(&r->latency);
	return w;
}

/* M/M/1: W = 1 / (mu - lambda). */
TEST(mm1)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	double w;

	unlimited(&c, SIM_LB_ROUND_ROBIN);
	scenario(&sc, 1, 500, 400);		/* rho 0.5: W = 2 */
	w = mean_w(&c, &sc, &r);
	CHECK_NEAR(w, 2.0, 2.0 * 0.03);		/* +-3% */
	CHECK_U64(r.failed, 0);
	sim_result_release(&r);
	scenario(&sc, 1, 800, 1000);		/* rho 0.8: W = 5 */
	w = mean_w(&c, &sc, &r);
	CHECK_NEAR(w, 5.0, 5.0 * 0.05);		/* +-5%: slower mixing */
	sim_result_release(&r);
}

/* Random over N hosts is N independent M/M/1 queues at rho = lambda / (N mu). */
TEST(random_is_independent_mm1)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	double w;

	unlimited(&c, SIM_LB_RANDOM);
	scenario(&sc, 4, 4 * 750, 150);		/* rho 0.75: W = 4 */
	w = mean_w(&c, &sc, &r);
	CHECK_NEAR(w, 4.0, 4.0 * 0.04);		/* +-4% */
	sim_result_release(&r);
}

/*
 * LeastRequest P2C over 100 hosts against Mitzenmacher's supermarket
 * limit T_2(lambda) = sum_i lambda^(2^i - 2); finite n = 100 sits about
 * 1% above it.  Band: -1% .. +4%.
 */
TEST(p2c_supermarket)
{
	static const struct { double lambda, t2; } pts[] = {
		{ 0.50, 1.2657 }, { 0.80, 1.9474 }, { 0.90, 2.6141 },
	};
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	double w, t;
	size_t i;

	unlimited(&c, SIM_LB_LEAST_REQUEST);
	for (i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
		scenario(&sc, 100, pts[i].lambda * 100 * 1000, 6);
		w = mean_w(&c, &sc, &r);
		t = pts[i].t2;
		CHECK(w >= t * 0.99 && w <= t * 1.04);
		if (!(w >= t * 0.99 && w <= t * 1.04))
			fprintf(stderr, "  lambda %.2f: W %.4f, limit %.4f\n", pts[i].lambda, w, t);
		sim_result_release(&r);
	}
}

/* Erlang C: no per-host policy beats one shared queue (M/M/c). */
static double
erlang_c_w(double lambda, double mu, int c)
{
	double a = lambda / mu, term = 1, sum = 1, last, pc;
	int k;

	for (k = 1; k < c; k++) {
		term *= a / k;
		sum += term;
	}
	last = term * a / c * c / (c - a);
	pc = last / (sum + last);
	return pc / (c * mu - lambda) + 1 / mu;
}

TEST(erlang_c_bound_and_ordering)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	double wp2c, wrr, wrand, wc = erlang_c_w(9, 1, 10);

	CHECK_NEAR(wc, 1.668732, 1e-6);		/* the table in test-vectors.md J.2 */
	unlimited(&c, SIM_LB_LEAST_REQUEST);
	scenario(&sc, 10, 9000, 60);
	wp2c = mean_w(&c, &sc, &r);
	sim_result_release(&r);
	unlimited(&c, SIM_LB_ROUND_ROBIN);
	wrr = mean_w(&c, &sc, &r);
	sim_result_release(&r);
	unlimited(&c, SIM_LB_RANDOM);
	wrand = mean_w(&c, &sc, &r);
	sim_result_release(&r);
	/* W(M/M/10) <= W(P2C) <= W(RR) <= W(Random) */
	CHECK(wc <= wp2c);
	CHECK(wp2c <= wrr);
	CHECK(wrr <= wrand);
	/* RR is E_10/M/1 per host: W = 5.660276 (+-6%) */
	CHECK_NEAR(wrr, 5.660276, 5.660276 * 0.06);
}

/* --- policy behaviour --- */

static void
policy_scenario(struct sim_scenario *sc, size_t n, double rate, double seconds)
{
	size_t i;

	scenario(sc, n, rate, seconds);
	sc->interval = 100 * SIM_MS;
	for (i = 0; i < n; i++) {
		backends[i].concurrency = 0;
		backends[i].latency.kind = SIM_DIST_CONSTANT;
		backends[i].latency.value = 10e6;
		backends[i].latency.median = 10e6;
	}
}

/*
 * A backend answering 503 is ejected after consecutive5XxErrors and comes
 * back at the first interval tick after the ejection time.
 */
TEST(ejection_and_return)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_fault f;
	struct sim_result r;
	struct diags d;
	uint32_t which = 0;
	size_t i;

	sim_config_defaults(&c);
	c.outlier = true;
	c.od_interval = 1 * SIM_S;
	c.od_base_ejection = 5 * SIM_S;
	c.od_consecutive_5xx = 5;
	policy_scenario(&sc, 10, 1000, 20);
	memset(&f, 0, sizeof(f));
	f.backends = &which;
	f.nbackends = 1;
	f.from = 2 * SIM_S;
	f.to = 3 * SIM_S;
	f.error_rate = 1.0;
	sc.faults = &f;
	sc.nfaults = 1;
	diags_init(&d);
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.backends[0].ejections, 1);
	/* ejected at 2 s + five 503s (about 50 ms at 100 req/s per host), back at the 8 s tick */
	CHECK(r.backends[0].ejected_ns > 5 * SIM_S && r.backends[0].ejected_ns <= 6 * SIM_S);
	/*
	 * five 503s eject it; requests already in flight then still fail
	 * (about one: 100 req/s per host for 10 ms), and none are sent after
	 */
	CHECK(r.backends[0].errors >= 5 && r.backends[0].errors <= 7);
	CHECK_U64(r.errors[SIM_ERR_UPSTREAM_5XX], r.backends[0].errors);
	/* the series show one host out from the 2.1 s bucket to the 7.9 s one */
	CHECK_NEAR(r.series[SIM_S_EJECTED][25], 1, 0);
	CHECK_NEAR(r.series[SIM_S_EJECTED][85], 0, 0);
	for (i = 1; i < 10; i++)
		CHECK_U64(r.backends[i].ejections, 0);
	sim_result_release(&r);
	/* fewer than 10 hosts and the default 10%: never ejected */
	policy_scenario(&sc, 5, 500, 20);
	sc.faults = &f;
	sc.nfaults = 1;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.backends[0].ejections, 0);
	CHECK(r.errors[SIM_ERR_UPSTREAM_5XX] > 50);
	sim_result_release(&r);
	diags_release(&d);
}

/*
 * Constant arrivals at R/s and constant 10 ms service: concurrency is
 * exactly R/100.  With maxParallelRequests 5 nothing overflows at 4 in
 * flight, and half the requests overflow at 10 in flight.
 */
TEST(breaker_overflow)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	struct diags d;

	diags_init(&d);
	sim_config_defaults(&c);
	c.lb = SIM_LB_ROUND_ROBIN;
	c.max_requests = 5;
	policy_scenario(&sc, 1, 400, 10);
	sc.arrival = SIM_ARRIVAL_CONSTANT;
	backends[0].connect_time = 0;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.errors[SIM_ERR_OVERFLOW], 0);
	CHECK_U64(r.succeeded, r.requests);
	sim_result_release(&r);
	sc.rate = 500;		/* exactly 5 in flight: still none */
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.errors[SIM_ERR_OVERFLOW], 0);
	sim_result_release(&r);
	sc.rate = 1000;		/* 10 wanted, 5 allowed: every other request */
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_NEAR((double)r.errors[SIM_ERR_OVERFLOW] / (double)r.requests, 0.5, 0.001);
	sim_result_release(&r);
	/*
	 * maxPendingRequests 0: a stream that finds no idle connection
	 * overflows, and since Envoy opens connections only for pending
	 * streams, no connection is ever opened.
	 */
	c.max_requests = UINT64_MAX;
	c.max_pending = 0;
	sc.rate = 200;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.errors[SIM_ERR_OVERFLOW], r.requests);
	sim_result_release(&r);
	/* maxConnections 3 with 5 wanted in flight: the pending queue grows */
	c.max_pending = 1024;
	c.max_connections = 3;
	c.per_host_max_connections = 3;
	sc.rate = 500;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	/* 200/s more than served: the 1024 pending fill after about 5 s */
	CHECK(r.errors[SIM_ERR_OVERFLOW] > 0);
	CHECK(r.series[SIM_S_OVERFLOW][40] == 0 && r.series[SIM_S_OVERFLOW][60] > 0);
	CHECK(sim_hist_quantile(&r.latency, 0.99) > 1000);
	sim_result_release(&r);
	diags_release(&d);
}

/* Retries multiply upstream load by 1 + p + p^2 and leave p^3 failing. */
TEST(retry_amplification)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	struct diags d;
	double p = 0.3, amp;
	size_t i;

	diags_init(&d);
	sim_config_defaults(&c);
	c.retry = true;
	c.retry_on = SIM_RETRY_5XX;
	c.num_retries = 2;
	policy_scenario(&sc, 20, 2000, 30);
	for (i = 0; i < 20; i++)
		backends[i].error_rate = p;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	amp = (double)r.attempts / (double)r.requests;
	CHECK_NEAR(amp, 1 + p + p * p, 0.01);
	CHECK_NEAR((double)r.errors[SIM_ERR_UPSTREAM_5XX] / (double)r.requests, p * p * p, 0.003);
	CHECK_U64(r.retries, r.attempts - r.requests);
	sim_result_release(&r);
	/* 503 is not in the trigger list: no retries at all */
	c.retry_on = SIM_RETRY_CODES;
	c.retry_codes[0] = 500;
	c.nretry_codes = 1;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.attempts, r.requests);
	sim_result_release(&r);
	/* the retry breaker: maxParallelRetries 0 refuses every retry */
	c.retry_on = SIM_RETRY_5XX;
	c.max_retries = 0;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.attempts, r.requests);
	CHECK(r.retry_overflow > 0);
	sim_result_release(&r);
	diags_release(&d);
}

/* A request timeout cuts the latency tail at the timeout. */
TEST(timeouts_cut_tails)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	struct diags d;
	double sigma, tail, p999_free;
	size_t i;

	diags_init(&d);
	sim_config_defaults(&c);
	c.request_timeout = 0;
	policy_scenario(&sc, 4, 1000, 60);
	sigma = sim_log(2000.0 / 20.0) / 2.3263478740408408;
	for (i = 0; i < 4; i++) {
		backends[i].latency.kind = SIM_DIST_LOGNORMAL;
		backends[i].latency.mu = sim_log(20e6);
		backends[i].latency.sigma = sigma;
		backends[i].connect_time = 0;
	}
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	p999_free = sim_hist_quantile(&r.latency, 0.999);
	CHECK(p999_free > 2000);
	CHECK_U64(r.errors[SIM_ERR_TIMEOUT], 0);
	sim_result_release(&r);
	c.request_timeout = 100 * SIM_MS;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	/* nothing waits longer than the timeout (histogram resolution 1.6%) */
	CHECK(sim_hist_quantile(&r.latency, 1.0) <= 100 * 1.016);
	/* and the share cut is P(S > 100 ms) of the lognormal (+-1 point) */
	tail = 0.5 * erfc(log(100.0 / 20.0) / sigma / sqrt(2.0));
	CHECK_NEAR((double)r.errors[SIM_ERR_TIMEOUT] / (double)r.requests, tail, 0.01);
	sim_result_release(&r);
	diags_release(&d);
}

/* Same seed, same result; another seed, another result. */
TEST(determinism)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result a, b;
	struct diags d;

	diags_init(&d);
	sim_config_defaults(&c);
	c.retry = true;
	c.retry_on = SIM_RETRY_5XX;
	policy_scenario(&sc, 8, 3000, 5);
	backends[3].error_rate = 0.2;
	sim_run(&c, &sc, &a, NULL, NULL, &d);
	sim_run(&c, &sc, &b, NULL, NULL, &d);
	CHECK_U64(a.requests, b.requests);
	CHECK_U64(a.attempts, b.attempts);
	CHECK(memcmp(a.latency.count, b.latency.count, sizeof(a.latency.count)) == 0);
	CHECK(a.latency.sum_ms == b.latency.sum_ms);
	sim_result_release(&b);
	sc.seed = 43;
	sim_run(&c, &sc, &b, NULL, NULL, &d);
	CHECK(a.requests != b.requests || a.latency.sum_ms != b.latency.sum_ms);
	sim_result_release(&a);
	sim_result_release(&b);
	diags_release(&d);
}

/* Memory follows concurrency: ten times the requests, the same footprint. */
TEST(memory_independent_of_requests)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result a, b;
	struct diags d;

	diags_init(&d);
	sim_config_defaults(&c);
	policy_scenario(&sc, 8, 2000, 2);
	sim_run(&c, &sc, &a, NULL, NULL, &d);
	policy_scenario(&sc, 8, 2000, 20);
	sc.interval = 1 * SIM_S;	/* the same number of series buckets */
	sim_run(&c, &sc, &b, NULL, NULL, &d);
	CHECK(b.requests > 9 * a.requests);
	CHECK(b.peak_bytes <= a.peak_bytes + a.peak_bytes / 4);
	sim_result_release(&a);
	sim_result_release(&b);
	diags_release(&d);
}

/* Consistent hashing: one client's requests all land where Maglev says. */
TEST(consistent_hash_sticks)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	struct sim_maglev mg;
	struct diags d;
	const char *keys[8];
	double w[8];
	uint32_t want;
	size_t i;

	diags_init(&d);
	sim_config_defaults(&c);
	c.lb = SIM_LB_MAGLEV;
	c.hash = SIM_HASH_SOURCE_IP;
	policy_scenario(&sc, 8, 500, 5);
	sc.clients = 1;			/* source IP 10.0.0.0 */
	for (i = 0; i < 8; i++) {
		keys[i] = backends[i].address;
		w[i] = 1;
	}
	sim_maglev_build(&mg, keys, w, 8, c.table_size);
	want = sim_maglev_pick(&mg, sim_key_hash(&c, "10.0.0.0"), 0);
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.backends[want].requests, r.attempts);
	sim_result_release(&r);
	/* many clients spread as the table does (+-2 points per host) */
	sc.clients = 100000;
	sc.duration = 20 * SIM_S;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	for (i = 0; i < 8; i++)
		CHECK_NEAR((double)r.backends[i].requests / (double)r.attempts, 0.125, 0.02);
	sim_result_release(&r);
	sim_maglev_release(&mg);
	diags_release(&d);
}

/*
 * Active checks that start timing out: failures at t0+1s, t0+5s, t0+9s
 * (timeout 1 s, interval 3 s after each result), unhealthy at the third
 * (test-vectors.md K).  Checks take 1 ms connect + 10 ms answer.
 */
TEST(health_check_timeline)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_fault f;
	struct sim_result r;
	struct diags d;
	uint32_t which = 0;

	diags_init(&d);
	sim_config_defaults(&c);
	c.hc = true;
	policy_scenario(&sc, 2, 100, 20);
	backends[0].connect_time = SIM_MS;
	backends[1].connect_time = SIM_MS;
	memset(&f, 0, sizeof(f));
	f.backends = &which;
	f.nbackends = 1;
	f.from = 500 * SIM_MS;
	f.to = 100 * SIM_S;
	f.error_rate = -1;
	f.latency_factor = 1000;
	sc.faults = &f;
	sc.nfaults = 1;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	/* first check done at 11 ms; then 3.011 s -> timeout 4.011, 7.011 -> 8.011,
	 * 11.011 -> 12.011: unhealthy from 12.011 s to the end (20 s) */
	CHECK_INT(r.backends[0].unhealthy_ns, 20 * SIM_S - 12011 * SIM_MS + 11 * SIM_MS);
	CHECK_INT(r.backends[1].unhealthy_ns, 11 * SIM_MS);
	sim_result_release(&r);
	/* an unexpected status fails at once: the first check after 0.5 s, at 3.011 s */
	f.latency_factor = 0;
	f.hc_status = 503;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_INT(r.backends[0].unhealthy_ns, 20 * SIM_S - 3022 * SIM_MS + 11 * SIM_MS);
	sim_result_release(&r);
	diags_release(&d);
}

/* Per-try timeouts with reset retries: three attempts, then 504. */
TEST(per_try_timeout)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	struct diags d;
	size_t i;

	diags_init(&d);
	sim_config_defaults(&c);
	c.retry = true;
	c.retry_on = SIM_RETRY_RESET;
	c.num_retries = 2;
	c.per_try_timeout = 50 * SIM_MS;
	policy_scenario(&sc, 4, 100, 10);
	for (i = 0; i < 4; i++)
		backends[i].latency.value = 100e6;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.attempts, 3 * r.requests);
	CHECK_U64(r.errors[SIM_ERR_TIMEOUT], r.requests);
	/* three 50 ms tries, backoffs below 25 + 50 ms, connects of 1 ms */
	CHECK(sim_hist_quantile(&r.latency, 0) >= 150);
	CHECK(sim_hist_quantile(&r.latency, 1) <= 150 + 75 + 4);
	sim_result_release(&r);
	/* without the reset trigger the first timeout is final */
	c.retry_on = SIM_RETRY_CONNECT;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.attempts, r.requests);
	sim_result_release(&r);
	diags_release(&d);
}

/* HTTP/2: one connection, at most maxConcurrentStreams streams on it. */
TEST(http2_streams)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	struct diags d;
	size_t i;
	double peak = 0;

	diags_init(&d);
	sim_config_defaults(&c);
	c.http2 = true;
	c.max_concurrent_streams = 2;
	c.max_connections = 1;
	c.per_host_max_connections = 1;
	policy_scenario(&sc, 1, 150, 10);	/* 1.5 wanted in flight */
	sc.http2 = true;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	for (i = 0; i < r.nbuckets; i++)
		if (r.series[SIM_S_ACTIVE][i] > peak)
			peak = r.series[SIM_S_ACTIVE][i];
	CHECK(peak <= 2);
	CHECK_U64(r.failed, 0);
	/* streams beyond two wait: some requests take longer than the 10 ms service */
	CHECK(sim_hist_quantile(&r.latency, 0.99) > 11);
	sim_result_release(&r);
	diags_release(&d);
}

/*
 * Slow start: a host passing its first check at 10 s gets weight
 * max(0.1, t / 10 s) for 10 s.  Its expected share over 10..20 s with
 * round robin against one full-weight host is the mean of f / (1 + f):
 * (0.1/1.1 + 10 (0.9 - ln(2/1.1))) / 10 = 0.3113; then 0.5 (+-0.02).
 */
TEST(slow_start_ramp)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_fault f;
	struct sim_result r;
	struct diags d;
	uint32_t which = 1;
	double want;

	diags_init(&d);
	sim_config_defaults(&c);
	c.lb = SIM_LB_ROUND_ROBIN;
	c.hc = true;
	c.hc_interval = 1 * SIM_S;
	c.slow_start_window = 10 * SIM_S;
	policy_scenario(&sc, 2, 2000, 30);
	memset(&f, 0, sizeof(f));
	f.backends = &which;
	f.nbackends = 1;
	f.from = 0;
	f.to = 9500 * SIM_MS;
	f.error_rate = -1;
	f.hc_status = 503;
	sc.faults = &f;
	sc.nfaults = 1;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	want = 2000.0 * (10 * (0.1 / 1.1 + 10 * (0.9 - log(2 / 1.1))) / 10 + 10 * 0.5);
	CHECK_NEAR((double)r.backends[1].requests / want, 1.0, 0.02);
	sim_result_release(&r);
	diags_release(&d);
}

/*
 * Before the cluster has opened any connection, checks run every 60 s
 * (no_traffic_interval): a host failing its first check at 11 ms is
 * checked again at 60.011 s and healthy at 60.022 s.
 */
TEST(health_check_no_traffic)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_fault f;
	struct sim_result r;
	struct diags d;
	uint32_t which = 0;

	diags_init(&d);
	sim_config_defaults(&c);
	c.hc = true;
	policy_scenario(&sc, 1, 0, 100);
	backends[0].connect_time = SIM_MS;
	memset(&f, 0, sizeof(f));
	f.backends = &which;
	f.nbackends = 1;
	f.from = 0;
	f.to = 1 * SIM_S;
	f.error_rate = -1;
	f.hc_status = 503;
	sc.faults = &f;
	sc.nfaults = 1;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK_U64(r.requests, 0);
	CHECK_INT(r.backends[0].unhealthy_ns, 60022 * SIM_MS);
	sim_result_release(&r);
	diags_release(&d);
}

/* Panic threshold 0: no panic routing, so no healthy host means 503 UH. */
TEST(no_healthy_host)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_fault f;
	struct sim_result r;
	struct diags d;
	uint32_t which[2] = { 0, 1 };

	diags_init(&d);
	sim_config_defaults(&c);
	c.hc = true;
	c.hc_interval = 1 * SIM_S;
	policy_scenario(&sc, 2, 200, 10);
	memset(&f, 0, sizeof(f));
	f.backends = which;
	f.nbackends = 2;
	f.from = 3 * SIM_S;
	f.to = 100 * SIM_S;
	f.error_rate = -1;
	f.hc_status = 500;
	sc.faults = &f;
	sc.nfaults = 1;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	/* with the default 50% threshold both unhealthy hosts still get traffic */
	CHECK_U64(r.errors[SIM_ERR_NO_HOST], 0);
	CHECK(r.panic_picks > 1000);
	sim_result_release(&r);
	/*
	 * without panic routing no request reaches a host before the first
	 * checks pass, so no connection exists when the next check is
	 * scheduled: Envoy then waits no_traffic_interval (60 s by default)
	 */
	c.panic_threshold = 0;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	CHECK(r.errors[SIM_ERR_NO_HOST] < 10);	/* before the first checks: 0..10 ms */
	CHECK_INT(r.backends[0].unhealthy_ns, 10 * SIM_MS);
	sim_result_release(&r);
	c.hc_no_traffic_interval = 1 * SIM_S;
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	/* unhealthy from about 3 s: about 7 s x 200/s answered locally */
	CHECK_NEAR((double)r.errors[SIM_ERR_NO_HOST], 1400, 140);
	CHECK_U64(r.panic_picks, 0);
	sim_result_release(&r);
	diags_release(&d);
}

/* A hash policy whose header the clients do not send routes at random. */
TEST(missing_hash_input_is_random)
{
	struct sim_config c;
	struct sim_scenario sc;
	struct sim_result r;
	struct diags d;
	size_t i, used = 0;

	diags_init(&d);
	sim_config_defaults(&c);
	c.lb = SIM_LB_MAGLEV;
	c.hash = SIM_HASH_HEADER;
	c.hash_names[0] = "x-user";
	c.nhash_names = 1;
	policy_scenario(&sc, 8, 800, 5);
	sc.clients = 1;
	snprintf(sc.header, sizeof(sc.header), "x-user");
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	for (i = 0; i < 8; i++)
		used += r.backends[i].requests > 0;
	CHECK_INT(used, 1);
	sim_result_release(&r);
	snprintf(sc.header, sizeof(sc.header), "x-other");
	CHECK_INT(sim_run(&c, &sc, &r, NULL, NULL, &d), 0);
	for (i = 0; i < 8; i++)
		CHECK_NEAR((double)r.backends[i].requests / (double)r.attempts, 0.125, 0.03);
	sim_result_release(&r);
	diags_release(&d);
}

int
main(void)
{
	RUN(mm1);
	RUN(random_is_independent_mm1);
	RUN(p2c_supermarket);
	RUN(erlang_c_bound_and_ordering);
	RUN(ejection_and_return);
	RUN(breaker_overflow);
	RUN(retry_amplification);
	RUN(timeouts_cut_tails);
	RUN(determinism);
	RUN(memory_independent_of_requests);
	RUN(consistent_hash_sticks);
	RUN(health_check_timeline);
	RUN(per_try_timeout);
	RUN(http2_streams);
	RUN(slow_start_ramp);
	RUN(health_check_no_traffic);
	RUN(no_healthy_host);
	RUN(missing_hash_input_is_random);
	return unit_done("test_sim_model");
}
