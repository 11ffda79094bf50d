/*
 * report.c: what a simulation run looks like to people and to scripts:
 * the text summary with sparklines, the side-by-side comparison, the
 * JSON of DESIGN.md's output contract, the per-interval CSV and an SVG
 * timeline chart.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim.h"
#include "util.h"

#define C_RESET	"\033[0m"
#define C_BOLD	"\033[1m"
#define C_DIM	"\033[2m"
#define C_RED	"\033[31m"
#define C_GREEN	"\033[32m"

static const char *const err_labels[SIM_NERR] = {
	"breaker overflow", "timeout", "upstream 5xx", "reset", "connect failure",
	"no healthy host", "upstream 4xx",
};

static double
pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

static double
amplification(const struct sim_result *r)
{
	return r->requests ? (double)r->attempts / (double)r->requests : 0;
}

static void
range_of(const double *v, size_t n, double *lo, double *hi)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] < *lo)
			*lo = v[i];
		if (v[i] > *hi)
			*hi = v[i];
	}
}

/* Averages into at most width columns, scaled to [lo, hi]. */
static void
spark_scaled(struct strbuf *sb, const double *v, size_t n, size_t width, double lo,
    double hi)
{
	static const char *const bars[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	size_t cols = n < width ? n : width, c, i, a, b;
	double x;
	int k;

	for (c = 0; c < cols; c++) {
		a = c * n / cols;
		b = (c + 1) * n / cols;
		x = 0;
		for (i = a; i < b; i++)
			x += v[i];
		x /= (double)(b - a);
		if (hi > lo)
			k = (int)((x - lo) / (hi - lo) * 7.0 + 0.5);
		else
			k = x > 0 ? 7 : 0;
		sb_adds(sb, bars[k < 0 ? 0 : k > 7 ? 7 : k]);
	}
	sb_printf(sb, "  %.4g..%.4g", lo, hi);
}

static void
sparkline(struct strbuf *sb, const double *v, size_t n, size_t width)
{
	double lo = INFINITY, hi = -INFINITY;

	range_of(v, n, &lo, &hi);
	if (n == 0)
		lo = hi = 0;
	spark_scaled(sb, v, n, width, lo, hi);
}

/* Two series on one scale. */
static void
spark_pair(struct strbuf *sb, const char *title, const struct sim_result *x,
    const struct sim_result *y, enum sim_series k)
{
	double lo = INFINITY, hi = -INFINITY;

	range_of(x->series[k], x->nbuckets, &lo, &hi);
	range_of(y->series[k], y->nbuckets, &lo, &hi);
	if (lo > hi)
		lo = hi = 0;
	sb_printf(sb, "%s\nA  ", title);
	spark_scaled(sb, x->series[k], x->nbuckets, 60, lo, hi);
	sb_adds(sb, "\nB  ");
	spark_scaled(sb, y->series[k], y->nbuckets, 60, lo, hi);
	sb_addc(sb, '\n');
}

static void
render_header(struct strbuf *sb, const struct sim_run_info *in, bool color)
{
	const struct sim_scenario *sc = in->sc;
	char load[96];
	size_t i;


	if (sc->closed_clients > 0)
		snprintf(load, sizeof(load), "%u closed-loop clients (think %.6gms)",
		    sc->closed_clients, (double)sc->think_time / 1e6);
	else if (sc->ramp_to >= 0)
		snprintf(load, sizeof(load), "%.6g to %.6g req/s", sc->rate, sc->ramp_to);
	else
		snprintf(load, sizeof(load), "%.6g req/s", sc->rate);
	sb_printf(sb, "%s%s%s%s, scenario %s: %.6gs, %zu backend%s, %s, seed %llu\n",
	    color ? C_BOLD : "", strncmp(in->policy, "route ", 6) == 0 ? "" : "policy ",
	    in->policy, color ? C_RESET : "", in->scenario,
	    (double)sc->duration / 1e9, sc->nbackends, sc->nbackends == 1 ? "" : "s", load,
	    (unsigned long long)sc->seed);
	for (i = 0; i < in->cfg->ndefaults; i++)
		sb_printf(sb, "%s  assumed %s%s\n", color ? C_DIM : "", in->cfg->defaults[i],
		    color ? C_RESET : "");
}

/* Facts about the configuration that explain a result; returns how many. */
static size_t
notes(const struct sim_run_info *in, char out[][192], size_t max)
{
	const struct sim_config *c = in->cfg;
	const struct sim_scenario *sc = in->sc;
	size_t n = 0;

	if (c->outlier && n < max && sc->nbackends > 0 && !c->od_always_eject_one &&
	    100.0 / (double)sc->nbackends > (double)c->od_max_ejection_percent)
	{
		if (c->od_max_ejection_percent == 0)
			snprintf(out[n++], 192, "outlier detection can eject nothing: "
			    "maxEjectionPercent is 0");
		else
			snprintf(out[n++], 192, "outlier detection can eject none of the %zu "
			    "backends: maxEjectionPercent %u allows one only from %u backends on",
			    sc->nbackends, c->od_max_ejection_percent,
			    (100 + c->od_max_ejection_percent - 1) / c->od_max_ejection_percent);
	}
	if (c->retry && n < max && !(c->retry_on & (SIM_RETRY_5XX | SIM_RETRY_GATEWAY)) &&
	    !(c->retry_on & SIM_RETRY_CODES && c->nretry_codes > 0))
		snprintf(out[n++], 192, "retries never follow an HTTP error status: the "
		    "triggers have no 5xx, gateway-error or retriable-status-codes");
	if (c->per_try_timeout > 0 && c->retry && n < max &&
	    !(c->retry_on & (SIM_RETRY_RESET | SIM_RETRY_5XX | SIM_RETRY_GATEWAY)))
		snprintf(out[n++], 192, "a per-try timeout is final: retrying it needs the "
		    "reset, 5xx or gateway-error trigger");
	if (c->hc && in->res->hc_no_traffic > 0 && n < max)
		snprintf(out[n++], 192, "%llu active check(s) waited the no-traffic interval "
		    "(%.6gs): no upstream connection existed yet when they were scheduled",
		    (unsigned long long)in->res->hc_no_traffic,
		    (double)c->hc_no_traffic_interval / 1e9);
	return n;
}

void
sim_render_text(struct strbuf *sb, const struct sim_run_info *in, bool color)
{
	const struct sim_result *r = in->res;
	const struct sim_hist *h = &r->latency;
	char nv[4][192];
	size_t i, nn;
	static const enum sim_series shown[] = { SIM_S_RATE, SIM_S_SUCCESS, SIM_S_P99,
		SIM_S_ATTEMPTS, SIM_S_EJECTED, SIM_S_UNHEALTHY };
	static const char *const labels[] = { "rate/s", "success %", "p99 ms",
		"attempts/s", "ejected", "unhealthy" };

	render_header(sb, in, color);
	nn = notes(in, nv, 4);
	for (i = 0; i < nn; i++)
		sb_printf(sb, "%s  note: %s%s\n", color ? C_BOLD : "", nv[i], color ? C_RESET : "");
	sb_printf(sb, "\nrequests            %llu\n", (unsigned long long)r->requests);
	sb_printf(sb, "succeeded           %llu (%.2f%%)\n", (unsigned long long)r->succeeded,
	    pct(r->succeeded, r->requests));
	sb_printf(sb, "failed              %s%llu (%.2f%%)%s\n",
	    color && r->failed ? C_RED : "", (unsigned long long)r->failed,
	    pct(r->failed, r->requests), color && r->failed ? C_RESET : "");
	for (i = 0; i < SIM_NERR; i++)
		if (r->errors[i] > 0 || i < SIM_ERR_UPSTREAM_4XX)
			sb_printf(sb, "  %-18s%llu\n", err_labels[i],
			    (unsigned long long)r->errors[i]);
	sb_printf(sb, "upstream attempts   %llu (retry amplification %.3f, %llu retries",
	    (unsigned long long)r->attempts, amplification(r), (unsigned long long)r->retries);
	if (r->retry_overflow)
		sb_printf(sb, ", %llu refused by the retry breaker",
		    (unsigned long long)r->retry_overflow);
	sb_adds(sb, ")\n");
	if (r->panic_picks)
		sb_printf(sb, "panic routing       %llu picks\n", (unsigned long long)r->panic_picks);
	sb_printf(sb, "latency ms          mean %.2f  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f\n",
	    sim_hist_mean(h), sim_hist_quantile(h, 0.5), sim_hist_quantile(h, 0.9),
	    sim_hist_quantile(h, 0.99), sim_hist_quantile(h, 0.999));
	sb_printf(sb, "\n%-22s %7s %9s %7s %9s %9s\n", "backend", "share", "requests",
	    "errors", "ejected", "unhealthy");
	for (i = 0; i < r->nbackends; i++) {
		const struct sim_backend_result *b = &r->backends[i];

		sb_printf(sb, "%-22s %6.1f%% %9llu %7llu %8.1fs %8.1fs\n", b->address,
		    pct(b->requests, r->attempts), (unsigned long long)b->requests,
		    (unsigned long long)b->errors, (double)b->ejected_ns / 1e9,
		    (double)b->unhealthy_ns / 1e9);
	}
	sb_printf(sb, "\ntimeline (%.6gs per interval)\n", (double)r->interval / 1e9);
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		if ((shown[i] == SIM_S_EJECTED && !in->cfg->outlier) ||
		    (shown[i] == SIM_S_UNHEALTHY && !in->cfg->hc))
			continue;
		sb_printf(sb, "%-11s ", labels[i]);
		sparkline(sb, r->series[shown[i]], r->nbuckets, 60);
		sb_addc(sb, '\n');
	}
}

/* One comparison row; lower_better decides the colour of a difference. */
static void
cmp_row(struct strbuf *sb, const char *label, double a, double b, int decimals,
    int lower_better, bool color)
{
	char sa[32], sbuf[32];
	bool differ;
	const char *col = "";

	snprintf(sa, sizeof(sa), "%.*f", decimals, a);
	snprintf(sbuf, sizeof(sbuf), "%.*f", decimals, b);
	differ = strcmp(sa, sbuf) != 0;
	if (differ && color && lower_better != 0)
		col = (b < a) == (lower_better > 0) ? C_GREEN : C_RED;
	sb_printf(sb, "%-22s %14s %s%14s%s %s\n", label, sa, col, sbuf, *col ? C_RESET : "",
	    differ ? (color ? "" : "*") : "");
}

void
sim_render_compare(struct strbuf *sb, const struct sim_run_info *a,
    const struct sim_run_info *b, bool color)
{
	const struct sim_result *x = a->res, *y = b->res;
	char buf[96];
	size_t i;

	sb_adds(sb, "A: ");
	render_header(sb, a, color);
	sb_adds(sb, "B: ");
	render_header(sb, b, color);
	sb_printf(sb, "\n%-22s %14s %14s\n", "", "A", "B");
	cmp_row(sb, "requests", (double)x->requests, (double)y->requests, 0, 0, color);
	cmp_row(sb, "success %", pct(x->succeeded, x->requests), pct(y->succeeded, y->requests),
	    2, -1, color);
	cmp_row(sb, "failed", (double)x->failed, (double)y->failed, 0, 1, color);
	for (i = 0; i < SIM_NERR; i++) {
		snprintf(buf, sizeof(buf), "  %s", err_labels[i]);
		cmp_row(sb, buf, (double)x->errors[i], (double)y->errors[i], 0, 1, color);
	}
	cmp_row(sb, "upstream attempts", (double)x->attempts, (double)y->attempts, 0, 1, color);
	cmp_row(sb, "retry amplification", amplification(x), amplification(y), 3, 1, color);
	cmp_row(sb, "latency mean ms", sim_hist_mean(&x->latency), sim_hist_mean(&y->latency),
	    2, 1, color);
	cmp_row(sb, "latency p50 ms", sim_hist_quantile(&x->latency, 0.5),
	    sim_hist_quantile(&y->latency, 0.5), 2, 1, color);
	cmp_row(sb, "latency p90 ms", sim_hist_quantile(&x->latency, 0.9),
	    sim_hist_quantile(&y->latency, 0.9), 2, 1, color);
	cmp_row(sb, "latency p99 ms", sim_hist_quantile(&x->latency, 0.99),
	    sim_hist_quantile(&y->latency, 0.99), 2, 1, color);
	cmp_row(sb, "latency p99.9 ms", sim_hist_quantile(&x->latency, 0.999),
	    sim_hist_quantile(&y->latency, 0.999), 2, 1, color);
	for (i = 0; i < x->nbackends && i < y->nbackends; i++) {
		snprintf(buf, sizeof(buf), "%s ejected s", x->backends[i].address);
		if (x->backends[i].ejected_ns || y->backends[i].ejected_ns)
			cmp_row(sb, buf, (double)x->backends[i].ejected_ns / 1e9,
			    (double)y->backends[i].ejected_ns / 1e9, 1, 0, color);
	}
	sb_addc(sb, '\n');
	spark_pair(sb, "success % over time", x, y, SIM_S_SUCCESS);
	spark_pair(sb, "p99 ms over time", x, y, SIM_S_P99);
	if (a->cfg->outlier || b->cfg->outlier)
		spark_pair(sb, "ejected hosts over time", x, y, SIM_S_EJECTED);
}

static void
json_str(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_printf(sb, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			sb_printf(sb, "\\u%04x", *s);
		else
			sb_addc(sb, *s);
	}
	sb_addc(sb, '"');
}

static void
json_num(struct strbuf *sb, double v)
{
	if (!isfinite(v))
		v = 0;
	if (v == (double)(long long)v && fabs(v) < 1e15)
		sb_printf(sb, "%lld", (long long)v);
	else
		sb_printf(sb, "%.6g", v);
}

static void
json_run(struct strbuf *sb, const struct sim_run_info *in)
{
	const struct sim_result *r = in->res;
	char nv[4][192];
	size_t i, k, nn;

	sb_adds(sb, "\"policy\": ");
	json_str(sb, in->policy);
	sb_adds(sb, ", \"scenario\": ");
	json_str(sb, in->scenario);
	sb_adds(sb, ", \"defaults\": [");
	for (i = 0; i < in->cfg->ndefaults; i++) {
		if (i)
			sb_adds(sb, ", ");
		json_str(sb, in->cfg->defaults[i]);
	}
	sb_adds(sb, "], \"notes\": [");
	nn = notes(in, nv, 4);
	for (i = 0; i < nn; i++) {
		if (i)
			sb_adds(sb, ", ");
		json_str(sb, nv[i]);
	}
	sb_printf(sb, "],\n  \"summary\": {\"requests\": %llu, \"succeeded\": %llu, \"failed\": %llu, "
	    "\"errors\": {", (unsigned long long)r->requests, (unsigned long long)r->succeeded,
	    (unsigned long long)r->failed);
	for (i = 0; i < SIM_NERR; i++)
		sb_printf(sb, "%s\"%s\": %llu", i ? ", " : "", sim_err_names[i],
		    (unsigned long long)r->errors[i]);
	sb_printf(sb, "}, \"upstreamAttempts\": %llu, \"retries\": %llu, "
	    "\"retryOverflow\": %llu, \"retryAmplification\": ",
	    (unsigned long long)r->attempts, (unsigned long long)r->retries,
	    (unsigned long long)r->retry_overflow);
	json_num(sb, amplification(r));
	sb_adds(sb, ", \"latencyMs\": {\"mean\": ");
	json_num(sb, sim_hist_mean(&r->latency));
	sb_adds(sb, ", \"p50\": ");
	json_num(sb, sim_hist_quantile(&r->latency, 0.5));
	sb_adds(sb, ", \"p90\": ");
	json_num(sb, sim_hist_quantile(&r->latency, 0.9));
	sb_adds(sb, ", \"p99\": ");
	json_num(sb, sim_hist_quantile(&r->latency, 0.99));
	sb_adds(sb, ", \"p999\": ");
	json_num(sb, sim_hist_quantile(&r->latency, 0.999));
	sb_adds(sb, "}},\n  \"backends\": [");
	for (i = 0; i < r->nbackends; i++) {
		const struct sim_backend_result *b = &r->backends[i];

		sb_adds(sb, i ? ",\n    {\"address\": " : "\n    {\"address\": ");
		json_str(sb, b->address);
		sb_printf(sb, ", \"requests\": %llu, \"share\": ", (unsigned long long)b->requests);
		json_num(sb, r->attempts ? (double)b->requests / (double)r->attempts : 0);
		sb_printf(sb, ", \"errors\": %llu, \"ejections\": %llu, \"ejectedSeconds\": ",
		    (unsigned long long)b->errors, (unsigned long long)b->ejections);
		json_num(sb, (double)b->ejected_ns / 1e9);
		sb_adds(sb, ", \"unhealthySeconds\": ");
		json_num(sb, (double)b->unhealthy_ns / 1e9);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "],\n  \"series\": {\"intervalSeconds\": ");
	json_num(sb, (double)r->interval / 1e9);
	for (k = 0; k < SIM_NSERIES; k++) {
		sb_printf(sb, ",\n    \"%s\": [", sim_series_names[k]);
		for (i = 0; i < r->nbuckets; i++) {
			if (i)
				sb_adds(sb, ", ");
			json_num(sb, r->series[k][i]);
		}
		sb_addc(sb, ']');
	}
	sb_adds(sb, "}");
}

void
sim_render_json(struct strbuf *sb, const struct sim_run_info *a, const struct sim_run_info *b)
{
	sb_printf(sb, "{\"version\": 1, \"seed\": %llu, ", (unsigned long long)a->res->seed);
	json_run(sb, a);
	if (b != NULL) {
		sb_adds(sb, ",\n  \"compare\": {");
		json_run(sb, b);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "}\n");
}

void
sim_render_csv(struct strbuf *sb, const struct sim_run_info *a, const struct sim_run_info *b)
{
	const struct sim_result *r = a->res, *q = b ? b->res : NULL;
	size_t i, k;

	sb_adds(sb, "t");
	for (k = 0; k < SIM_NSERIES; k++)
		sb_printf(sb, ",%s", sim_series_names[k]);
	for (k = 0; q != NULL && k < SIM_NSERIES; k++)
		sb_printf(sb, ",compare.%s", sim_series_names[k]);
	sb_addc(sb, '\n');
	for (i = 0; i < r->nbuckets; i++) {
		sb_printf(sb, "%.6g", (double)i * (double)r->interval / 1e9);
		for (k = 0; k < SIM_NSERIES; k++)
			sb_printf(sb, ",%.6g", r->series[k][i]);
		for (k = 0; q != NULL && k < SIM_NSERIES; k++)
			sb_printf(sb, ",%.6g", i < q->nbuckets ? q->series[k][i] : 0);
		sb_addc(sb, '\n');
	}
}

/* --- SVG --- */

static void
xml_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			sb_adds(sb, "&lt;");
			break;
		case '>':
			sb_adds(sb, "&gt;");
			break;
		case '&':
			sb_adds(sb, "&amp;");
			break;
		case '"':
			sb_adds(sb, "&quot;");
			break;
		default:
			/* XML 1.0 has no control characters but tab and newlines */
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
				sb_addc(sb, '?');
			else
				sb_addc(sb, *s);
		}
	}
}

#define SVG_W		960
#define SVG_L		72
#define SVG_R		24
#define SVG_PH		150
#define SVG_GAP		46
#define SVG_TOP		64

static double
nice_ceil(double v)
{
	double p = 1, m;

	if (!(v > 0))
		return 1;
	while (p * 10 <= v)
		p *= 10;
	while (p > v)
		p /= 10;
	m = v / p;
	return (m <= 1 ? 1 : m <= 1.2 ? 1.2 : m <= 1.6 ? 1.6 : m <= 2 ? 2 : m <= 2.4 ? 2.4 :
	    m <= 3 ? 3 : m <= 4 ? 4 : m <= 5 ? 5 : m <= 6 ? 6 : m <= 8 ? 8 : 10) * p;
}

struct panel {
	const char	*title;
	const char	*unit;
	enum sim_series	 s[2];
	const char	*label[2];
	const char	*colour[2];
	size_t		 ns;
	bool		 step, fixed100;
};

static void
svg_line(struct strbuf *sb, const double *v, size_t n, double x0, double xw, double y0,
    double ymax, const char *colour, bool dashed, bool step)
{
	size_t i;
	double x, y, px = 0;

	sb_printf(sb, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
	    "stroke-linejoin=\"round\"%s d=\"", colour,
	    dashed ? " stroke-dasharray=\"6 4\" opacity=\"0.85\"" : "");
	for (i = 0; i < n; i++) {
		x = x0 + xw * ((double)i + (step ? 0 : 0.5)) / (double)n;
		y = y0 + SVG_PH - SVG_PH * (v[i] > ymax ? ymax : v[i]) / ymax;
		if (i == 0)
			sb_printf(sb, "M%.1f %.1f", x, y);
		else if (step)
			sb_printf(sb, "H%.1f V%.1f", x, y);
		else
			sb_printf(sb, " L%.1f %.1f", x, y);
		px = x;
	}
	if (step && n > 0)
		sb_printf(sb, " H%.1f", px + xw / (double)n);
	sb_adds(sb, "\"/>\n");
}

void
sim_render_svg(struct strbuf *sb, const struct sim_run_info *a, const struct sim_run_info *b)
{
	struct panel panels[4] = {
		{ "Throughput", "per second", { SIM_S_RATE, SIM_S_ATTEMPTS }, { "requests", "upstream attempts" },
		  { "#2563eb", "#9333ea" }, 2, false, false },
		{ "Success rate", "%", { SIM_S_SUCCESS, 0 }, { "succeeded", NULL },
		  { "#16a34a", NULL }, 1, false, true },
		{ "Latency", "ms", { SIM_S_P50, SIM_S_P99 }, { "p50", "p99" },
		  { "#0891b2", "#ea580c" }, 2, false, false },
		{ "Hosts out of rotation", "hosts", { SIM_S_EJECTED, SIM_S_UNHEALTHY },
		  { "ejected (outlier)", "failing active checks" }, { "#dc2626", "#ca8a04" }, 2, true, false },
	};
	const struct sim_result *r = a->res;
	const struct sim_scenario *sc = a->sc;
	double pw = SVG_W - SVG_L - SVG_R, y0, ymax, v, dur = (double)sc->duration / 1e9;
	int height = SVG_TOP + 4 * (SVG_PH + SVG_GAP) + 10;
	size_t p, k, i, t, nt;
	double lo100 = 100;

	sb_printf(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\">\n",
	    SVG_W, height, SVG_W, height);
	sb_printf(sb, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", SVG_W, height);
	sb_adds(sb, "<text x=\"24\" y=\"30\" font-size=\"18\" font-weight=\"bold\" fill=\"#111827\">");
	sb_adds(sb, "btpctl simulate: ");
	xml_text(sb, a->policy);
	if (b != NULL) {
		sb_adds(sb, " (solid) vs ");
		xml_text(sb, b->policy);
		sb_adds(sb, " (dashed)");
	}
	sb_adds(sb, "</text>\n<text x=\"24\" y=\"50\" font-size=\"12\" fill=\"#6b7280\">");
	sb_adds(sb, "scenario ");
	xml_text(sb, a->scenario);
	sb_printf(sb, ", %zu backend%s, seed %llu; shaded: faults", sc->nbackends,
	    sc->nbackends == 1 ? "" : "s", (unsigned long long)sc->seed);
	sb_adds(sb, "</text>\n");
	for (i = 0; i < r->nbuckets; i++) {
		if (r->series[SIM_S_SUCCESS][i] < lo100)
			lo100 = r->series[SIM_S_SUCCESS][i];
		if (b != NULL && i < b->res->nbuckets && b->res->series[SIM_S_SUCCESS][i] < lo100)
			lo100 = b->res->series[SIM_S_SUCCESS][i];
	}
	for (p = 0; p < 4; p++) {
		const struct panel *pn = &panels[p];

		y0 = SVG_TOP + (double)p * (SVG_PH + SVG_GAP) + 18;
		ymax = 0;
		for (k = 0; k < pn->ns; k++)
			for (i = 0; i < r->nbuckets; i++) {
				v = r->series[pn->s[k]][i];
				if (v > ymax)
					ymax = v;
				if (b != NULL && i < b->res->nbuckets &&
				    b->res->series[pn->s[k]][i] > ymax)
					ymax = b->res->series[pn->s[k]][i];
			}
		ymax = pn->step ? (ymax < 1 ? 1 : ceil(ymax)) : nice_ceil(ymax * 1.05);
		if (pn->fixed100)
			ymax = 100;
		sb_printf(sb, "<text x=\"%d\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\" "
		    "fill=\"#374151\">%s <tspan font-weight=\"normal\" fill=\"#6b7280\">(%s)</tspan></text>\n",
		    SVG_L, y0 - 8, pn->title, pn->unit);
		sb_printf(sb, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#f9fafb\" "
		    "stroke=\"#e5e7eb\"/>\n", SVG_L, y0, pw, SVG_PH);
		for (k = 0; k < sc->nfaults; k++) {
			double f0 = (double)sc->faults[k].from / 1e9, f1 = (double)sc->faults[k].to / 1e9;

			if (f1 > dur)
				f1 = dur;
			if (f0 >= dur)
				continue;
			sb_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
			    "fill=\"#fecaca\" opacity=\"0.45\"/>\n", SVG_L + pw * f0 / dur, y0,
			    pw * (f1 - f0) / dur, SVG_PH);
		}
		nt = pn->step && ymax <= 4 ? (size_t)ymax : 4;
		for (t = 0; t <= nt; t++) {
			double yy = y0 + SVG_PH - SVG_PH * (double)t / (double)nt;

			sb_printf(sb, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			    "stroke=\"#e5e7eb\"/>\n", SVG_L, SVG_L + pw, yy, yy);
			sb_printf(sb, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#6b7280\" "
			    "text-anchor=\"end\">%.4g</text>\n", SVG_L - 6, yy + 4,
			    ymax * (double)t / (double)nt);
		}
		(void)lo100;
		for (k = 0; k < pn->ns; k++) {
			svg_line(sb, r->series[pn->s[k]], r->nbuckets, SVG_L, pw, y0, ymax,
			    pn->colour[k], false, pn->step);
			if (b != NULL)
				svg_line(sb, b->res->series[pn->s[k]], b->res->nbuckets, SVG_L, pw,
				    y0, ymax, pn->colour[k], true, pn->step);
			sb_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"3\" fill=\"%s\"/>"
			    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#374151\">%s</text>\n",
			    SVG_L + pw - 300 + 150.0 * (double)k, y0 - 12, pn->colour[k],
			    SVG_L + pw - 284 + 150.0 * (double)k, y0 - 8, pn->label[k]);
		}
		for (t = 0; t <= 6; t++) {
			double xx = SVG_L + pw * (double)t / 6;

			sb_printf(sb, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#6b7280\" "
			    "text-anchor=\"middle\">%.4gs</text>\n", xx, y0 + SVG_PH + 14,
			    dur * (double)t / 6);
		}
	}
	sb_adds(sb, "</svg>\n");
}
