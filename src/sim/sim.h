/*
 * sim.h: btpctl simulate's engine.  A deterministic discrete-event model
 * of Envoy's upstream path (load balancer, connection pool and circuit
 * breakers, router timeouts and retries, outlier detection, active health
 * checks) as configured by a BackendTrafficPolicy, run against synthetic
 * backends and load described by a scenario (docs/scenario.md).
 *
 * Everything here is library code: it never prints and never exits.
 * Results are bit-for-bit reproducible for a seed on every machine: the
 * engine uses its own PRNG and its own log/exp (only IEEE +,-,*,/,sqrt).
 */
#ifndef BTPCTL_SIM_H
#define BTPCTL_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Same results everywhere: no fused multiply-add behind our back (GCC in
 * ISO C mode never contracts; clang would where the CPU has FMA).
 */
#ifdef __clang__
#pragma clang fp contract(off)
#endif

struct arena;
struct diags;
struct node;
struct policy;
struct strbuf;

#define SIM_MS		INT64_C(1000000)
#define SIM_S		INT64_C(1000000000)

/* --- random numbers and deterministic math (rng.c) --- */

/*
 * xoshiro256** seeded through splitmix64.  In mock mode (tests) the
 * values of mock[] are returned in turn, cycling, as Envoy's tests mock
 * Random::random().
 */
struct sim_rng {
	uint64_t	 s[4];
	double		 spare;		/* the polar method's second normal */
	bool		 has_spare;
	const uint64_t	*mock;
	size_t		 nmock, imock;
};
void		sim_rng_seed(struct sim_rng *, uint64_t seed);
void		sim_rng_mock(struct sim_rng *, const uint64_t *values, size_t n);
uint64_t	sim_rand(struct sim_rng *);
/* Uniform in (0, 1), never 0 or 1. */
double		sim_uniform(struct sim_rng *);
/* Standard normal (Marsaglia's polar method; each pair is used in turn). */
double		sim_normal(struct sim_rng *);
/* Natural log and exp; results identical on every IEEE-754 machine. */
double		sim_log(double);
double		sim_exp(double);
/* x^y for x > 0. */
double		sim_pow(double x, double y);

/* --- hashing and load-balancer building blocks (lb.c) --- */

uint64_t	sim_xxh64(const void *, size_t, uint64_t seed);
/* Envoy's chained multi-value hash: h = 0; for s in v: h = XXH64(s, h). */
uint64_t	sim_xxh64_chain(const char *const *v, size_t n);
/* Envoy's combination of several hash policies: rotl64(prev, 1) ^ next. */
uint64_t	sim_hash_combine(uint64_t prev, uint64_t next);
/* The cookie value Envoy generates: hex16(XXH64(remote + local)). */
void		sim_cookie_value(const char *remote, const char *local, char out[17]);

/* Earliest-deadline-first scheduler (Envoy's EdfScheduler). */
struct sim_edf_entry {
	double		 deadline;
	uint64_t	 order;
	uint32_t	 id;
};
struct sim_edf {
	struct sim_edf_entry *v;
	size_t		 n, cap;
	double		 now;
	uint64_t	 order;
};
void		sim_edf_init(struct sim_edf *);
void		sim_edf_release(struct sim_edf *);
void		sim_edf_clear(struct sim_edf *);
void		sim_edf_add(struct sim_edf *, uint32_t id, double weight);
/* Pop the earliest entry; UINT32_MAX when empty.  The caller re-adds it. */
uint32_t	sim_edf_pop(struct sim_edf *);
/*
 * Build with ids 0..n-1 of weight w[i], fast-forwarded by picks as
 * EdfScheduler::createWithPicks does (picks == 0: the ids added in order,
 * which is what Envoy's round-robin and least-request tests expect).
 */
void		sim_edf_create_with_picks(struct sim_edf *, const double *w,
		    size_t n, uint32_t picks);

/* Maglev table (Envoy's OriginalMaglevTable). */
struct sim_maglev {
	uint64_t	 size;		/* M, prime */
	uint32_t	*table;		/* M slots, each an index into hosts */
	uint32_t	*order;		/* host indexes sorted by key: build order */
	size_t		 nhosts;
};
/*
 * Build over keys[i] with weights w[i] (i < n).  Returns false when M is
 * not prime or n == 0.  table[] holds indexes into keys[].
 */
bool		sim_maglev_build(struct sim_maglev *, const char *const *keys,
		    const double *w, size_t n, uint64_t m);
void		sim_maglev_release(struct sim_maglev *);
/* Host index for hash h at host-selection attempt a (0 first). */
uint32_t	sim_maglev_pick(const struct sim_maglev *, uint64_t h, unsigned a);
bool		sim_is_prime(uint64_t);

/*
 * Least request's power of d choices over src[0..n) (host indexes):
 * one rand() for the priority choice, then d draws with replacement; a
 * later draw wins only with strictly fewer active[host].
 */
uint32_t	sim_p2c_pick(struct sim_rng *, const uint32_t *src, size_t n,
		    unsigned d, const uint32_t *active);

/* Envoy's JitteredExponentialBackOffStrategy, in milliseconds. */
struct sim_backoff {
	uint64_t	 base, max, next;
};
void		sim_backoff_init(struct sim_backoff *, uint64_t base_ms, uint64_t max_ms);
uint64_t	sim_backoff_next(struct sim_backoff *, struct sim_rng *);

/* Slow-start weight factor (applySlowStartFactor); 1 outside the window. */
double		sim_slow_start_factor(int64_t since_ns, int64_t window_ns,
		    double aggression, double min_weight);

/* --- configuration derived from a policy (policy.c) --- */

enum sim_lb {
	SIM_LB_LEAST_REQUEST,
	SIM_LB_ROUND_ROBIN,
	SIM_LB_RANDOM,
	SIM_LB_MAGLEV,
};

enum sim_hash_kind {
	SIM_HASH_NONE,
	SIM_HASH_SOURCE_IP,
	SIM_HASH_HEADER,	/* Header and Headers: one policy per name */
	SIM_HASH_COOKIE,
	SIM_HASH_QUERY,
};

/* retry_on bits */
#define SIM_RETRY_5XX		0x001u
#define SIM_RETRY_GATEWAY	0x002u
#define SIM_RETRY_RESET		0x004u
#define SIM_RETRY_CONNECT	0x008u
#define SIM_RETRY_4XX		0x010u
#define SIM_RETRY_CODES		0x020u
#define SIM_RETRY_REFUSED	0x040u
#define SIM_RETRY_RESET_BEFORE	0x080u
#define SIM_RETRY_GRPC		0x100u	/* cancelled, unavailable...: gRPC status only */

#define SIM_MAX_CODES	16
#define SIM_MAX_DEFAULTS 16

struct sim_config {
	/* load balancer */
	enum sim_lb	 lb;
	unsigned	 choice_count;
	double		 active_request_bias;
	int64_t		 slow_start_window;	/* 0 = off */
	double		 slow_start_aggression;
	double		 slow_start_min_weight;	/* fraction */
	enum sim_hash_kind hash;
	const char	*hash_names[8];		/* header/query names, cookie name */
	size_t		 nhash_names;
	int64_t		 cookie_ttl;		/* 0 = no ttl: no generated cookie */
	uint64_t	 table_size;
	unsigned	 panic_threshold;	/* percent; 0 disables panic */
	/* circuit breakers */
	uint64_t	 max_connections, max_pending, max_requests, max_retries;
	uint64_t	 max_requests_per_conn;	/* 0 = unlimited */
	uint64_t	 per_host_max_connections; /* 0 = unlimited */
	bool		 http2;
	uint64_t	 max_concurrent_streams;
	/* router */
	int64_t		 connect_timeout;
	int64_t		 request_timeout;	/* 0 = none */
	int64_t		 per_try_timeout;	/* 0 = none */
	bool		 retry;
	unsigned	 num_retries;
	unsigned	 retry_on;
	int		 retry_codes[SIM_MAX_CODES];
	size_t		 nretry_codes;
	uint64_t	 backoff_base_ms, backoff_max_ms;
	unsigned	 host_selection_attempts;
	/* outlier detection */
	bool		 outlier;
	int64_t		 od_interval, od_base_ejection, od_max_ejection;
	unsigned	 od_max_ejection_percent;
	unsigned	 od_consecutive_5xx;
	unsigned	 od_consecutive_gateway;	/* 0 = not enforced */
	unsigned	 od_consecutive_local;
	bool		 od_split;
	bool		 od_always_eject_one;
	bool		 od_failure_pct;	/* failure-percentage detection on */
	unsigned	 od_failure_pct_threshold;
	uint64_t	 od_failure_pct_volume;	/* requests per interval to be judged (50) */
	unsigned	 od_failure_pct_min_hosts;	/* hosts with that volume needed (5) */
	/* active health checks */
	bool		 hc;
	int64_t		 hc_interval, hc_timeout, hc_no_traffic_interval;
	unsigned	 hc_healthy_threshold, hc_unhealthy_threshold;
	int		 hc_expected[SIM_MAX_CODES];
	size_t		 nhc_expected;
	bool		 hc_tcp;		/* TCP check: connect only */
	/* what the policy left unset and btpctl assumed */
	const char	*defaults[SIM_MAX_DEFAULTS];
	size_t		 ndefaults;
};

/* Envoy Gateway's behaviour for a policy with an empty spec. */
void		sim_config_defaults(struct sim_config *);
/*
 * Fill cfg from a typed BackendTrafficPolicy (policy.h; seed spellings
 * already read by their meaning).  Fields present but unusable are
 * located errors in diags, and the function returns false; models it
 * does not cover are warnings.  Strings point into the policy's tree.
 */
bool		sim_config_from_policy(struct sim_config *, const struct policy *,
		    struct diags *);

/* --- scenario (scenario.c) --- */

enum sim_dist_kind {
	SIM_DIST_CONSTANT,
	SIM_DIST_EXPONENTIAL,
	SIM_DIST_LOGNORMAL,
	SIM_DIST_EMPIRICAL,
};

#define SIM_MAX_PCT 16

struct sim_dist {
	enum sim_dist_kind kind;
	double		 value;		/* constant value or exponential mean, ns */
	double		 mu, sigma;	/* lognormal: ln(median), shape */
	double		 pct[SIM_MAX_PCT];	/* empirical: percentiles (0..100) */
	double		 pval[SIM_MAX_PCT];	/* and their values, ns */
	size_t		 npct;
	double		 median;	/* ns, for health-check answers */
};

struct sim_backend_spec {
	char		 address[64];	/* ip:port */
	uint32_t	 weight;
	uint32_t	 concurrency;	/* 0 = unlimited */
	struct sim_dist	 latency;
	double		 error_rate;
	int		 error_status;
	double		 reset_rate;
	double		 connect_failure_rate;
	int		 hc_status;
	int64_t		 connect_time;
};

struct sim_fault {
	uint32_t	*backends;
	size_t		 nbackends;
	int64_t		 from, to;
	bool		 down;
	double		 error_rate;	/* < 0: unchanged */
	int		 error_status;	/* 0: unchanged */
	double		 latency_factor;	/* 0: unchanged */
	int		 hc_status;	/* 0: unchanged */
};

enum sim_arrival { SIM_ARRIVAL_POISSON, SIM_ARRIVAL_CONSTANT };

struct sim_scenario {
	char		 name[128];
	int64_t		 duration, interval;
	uint64_t	 seed;
	double		 rate, ramp_to;		/* ramp_to < 0: no ramp */
	enum sim_arrival arrival;
	uint32_t	 clients;
	bool		 zipf;
	double		 zipf_s;
	char		 header[128];		/* "" when none */
	char		 cookie[128];
	bool		 http2;
	uint32_t	 closed_clients;	/* > 0: closed loop */
	int64_t		 think_time;
	struct sim_backend_spec *backends;
	size_t		 nbackends;
	struct sim_fault *faults;
	size_t		 nfaults;
};

/* The embedded default scenario's text. */
const char	*sim_default_scenario_text(void);
/*
 * Parse and check a scenario document (root node).  sets[] are
 * "dotted.key=value" overrides applied to the tree first (list items
 * by index: spec.backends.0.count=4).  Errors are located diagnostics;
 * returns false when there was one.
 */
bool		sim_scenario_parse(struct sim_scenario *, struct node *root,
		    const char *const *sets, size_t nsets, struct arena *,
		    struct diags *);
void		sim_scenario_release(struct sim_scenario *);

/* --- streaming histogram (stats.c) --- */

#define SIM_HIST_BUCKETS 2368	/* microseconds, about 1.6% resolution, up to 2^40 us */

struct sim_hist {
	uint64_t	 count[SIM_HIST_BUCKETS];
	uint64_t	 n;
	double		 sum_ms;
};
void		sim_hist_add(struct sim_hist *, int64_t ns);
/* Value at quantile q (0..1), in milliseconds; 0 when empty. */
double		sim_hist_quantile(const struct sim_hist *, double q);
double		sim_hist_mean(const struct sim_hist *);
void		sim_hist_clear(struct sim_hist *);
void		sim_hist_merge(struct sim_hist *dst, const struct sim_hist *src);

/* --- results (engine.c) --- */

enum sim_err {
	SIM_ERR_OVERFLOW,
	SIM_ERR_TIMEOUT,
	SIM_ERR_UPSTREAM_5XX,
	SIM_ERR_RESET,
	SIM_ERR_CONNECT,
	SIM_ERR_NO_HOST,
	SIM_ERR_UPSTREAM_4XX,
	SIM_NERR,
};
extern const char *const sim_err_names[SIM_NERR];

struct sim_backend_result {
	char		 address[64];
	uint64_t	 requests;	/* attempts sent to it */
	uint64_t	 errors;	/* attempts that failed (5xx, reset, connect, timeout) */
	int64_t		 ejected_ns, unhealthy_ns;
	uint64_t	 ejections;
};

enum sim_series {
	SIM_S_RATE,		/* requests arrived per second */
	SIM_S_SUCCESS,		/* percent of requests finished in the interval that succeeded */
	SIM_S_P50,		/* ms */
	SIM_S_P99,		/* ms */
	SIM_S_ATTEMPTS,		/* upstream attempts per second */
	SIM_S_ERRORS,		/* client-visible errors per second */
	SIM_S_OVERFLOW,		/* breaker overflows per second */
	SIM_S_EJECTED,		/* hosts ejected at the end of the interval */
	SIM_S_UNHEALTHY,	/* hosts failing active checks at the end */
	SIM_S_ACTIVE,		/* upstream requests in flight at the end */
	SIM_NSERIES,
};
extern const char *const sim_series_names[SIM_NSERIES];

struct sim_result {
	uint64_t	 seed;
	uint64_t	 requests, succeeded, failed;
	uint64_t	 errors[SIM_NERR];
	uint64_t	 attempts, retries, retry_overflow, panic_picks;
	uint64_t	 events;
	uint64_t	 peak_bytes;	/* working memory of the run (slots, queues) */
	uint64_t	 hc_no_traffic;	/* checks scheduled at the no-traffic interval */
	struct sim_hist	 latency;
	struct sim_backend_result *backends;
	size_t		 nbackends;
	size_t		 nbuckets;
	int64_t		 interval;
	double		*series[SIM_NSERIES];	/* nbuckets values each */
};

/* Progress callback: fraction done 0..1; called at most a few times a second of work. */
typedef void (*sim_progress_fn)(double, void *);

/*
 * Run the scenario under cfg.  Memory depends on the scenario's size
 * (backends, clients, concurrency, duration / interval), never on the
 * number of requests.  Returns 0, or -1 when the scenario cannot run with
 * this configuration (a message is recorded in diags).
 */
int		sim_run(const struct sim_config *, const struct sim_scenario *,
		    struct sim_result *, sim_progress_fn, void *ud, struct diags *);
void		sim_result_release(struct sim_result *);

/* --- hash lookups for --where and --table (lb.c) --- */

/*
 * The request hash a key produces under cfg's hash policy (the key is the
 * source IP, header value, query value or cookie value).
 */
uint64_t	sim_key_hash(const struct sim_config *, const char *key);

#endif

/* --- outlier detection and active health checks (health.c) --- */

struct sim_od_host {
	uint32_t	 c5xx, cgw, clocal;
	uint64_t	 sr_total, sr_ok;	/* this interval's responses, non-5xx ones */
	uint32_t	 backoff;
	uint64_t	 ejections;
	int64_t		 ejected_at, unejected_at;
	bool		 ejected, ever_unejected;
};

struct sim_od {
	const struct sim_config *cfg;
	struct sim_od_host *h;
	size_t		 n, nejected;
	uint64_t	 overflow;	/* ejections refused by maxEjectionPercent */
	uint64_t	 ejections;
};

enum sim_od_local {
	SIM_OD_CONNECT_SUCCESS,
	SIM_OD_CONNECT_FAILED,	/* also an upstream reset */
	SIM_OD_TIMEOUT,
};

/* n hosts, all healthy; the detector keeps cfg. */
void		sim_od_init(struct sim_od *, const struct sim_config *, size_t n);
void		sim_od_release(struct sim_od *);
/* An HTTP response code from host i; true when it ejected the host. */
bool		sim_od_http(struct sim_od *, size_t i, int code, int64_t now);
/* A locally originated event; true when it ejected the host. */
bool		sim_od_local(struct sim_od *, size_t i, enum sim_od_local, int64_t now);
/*
 * The interval timer: unejects hosts whose time is up, ejects hosts by
 * failure percentage over the interval just ended (when configured),
 * and decays the backoff of hosts back for an interval.  Returns how many
 * hosts changed state.
 */
size_t		sim_od_tick(struct sim_od *, int64_t now);
/* A successful active check unejects at once; true when it did. */
bool		sim_od_hc_success(struct sim_od *, size_t i, int64_t now);
/* The time host i's current ejection lasts (before tick rounding). */
int64_t		sim_od_ejection_time(const struct sim_od *, size_t i);

enum sim_hc_outcome {
	SIM_HC_OK,		/* expected status, or TCP connect */
	SIM_HC_BAD_STATUS,	/* an unexpected HTTP status: unhealthy at once */
	SIM_HC_NETWORK,		/* connect failure */
	SIM_HC_TIMEOUT,
};

struct sim_hc_host {
	bool		 failed;	/* FAILED_ACTIVE_HC */
	bool		 first;		/* no check has completed yet */
	uint32_t	 nhealthy, nunhealthy;
};

/* A host added under active checking: failed and waiting for its first check. */
void		sim_hc_init(struct sim_hc_host *);
/*
 * Apply one check result (ActiveHealthCheckSession::handleSuccess /
 * handleFailure); returns +1 when the host became healthy, -1 when it
 * became unhealthy, 0 otherwise.
 */
int		sim_hc_result(struct sim_hc_host *, const struct sim_config *,
		    enum sim_hc_outcome);

/* --- rendering (report.c): text, JSON, CSV and SVG into a strbuf --- */

struct sim_run_info {
	const char	*policy;	/* "ns/name" */
	const char	*scenario;	/* scenario name */
	const struct sim_config *cfg;
	const struct sim_scenario *sc;
	const struct sim_result *res;
};

/* The text report: summary, per-backend table, sparkline timeline. */
void		sim_render_text(struct strbuf *, const struct sim_run_info *, bool color);
/* Two runs side by side, differences marked (and coloured when color). */
void		sim_render_compare(struct strbuf *, const struct sim_run_info *a,
		    const struct sim_run_info *b, bool color);
/* DESIGN.md's simulate JSON; b (may be NULL) goes under "compare". */
void		sim_render_json(struct strbuf *, const struct sim_run_info *a,
		    const struct sim_run_info *b);
/* One row per interval: t and every series (b's, if any, as compare.NAME). */
void		sim_render_csv(struct strbuf *, const struct sim_run_info *a,
		    const struct sim_run_info *b);
/* A timeline chart; b (may be NULL) drawn dashed for comparison. */
void		sim_render_svg(struct strbuf *, const struct sim_run_info *a,
		    const struct sim_run_info *b);
