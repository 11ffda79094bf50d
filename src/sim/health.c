/*
 * health.c: Envoy's outlier detector (consecutive 5xx, gateway and
 * local-origin failures, ejection with a backoff multiplier, the
 * max-ejection-percent gate, unejection on interval ticks) and the
 * threshold logic of an active health-check session.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "util.h"

void
sim_od_init(struct sim_od *od, const struct sim_config *cfg, size_t n)
{
	memset(od, 0, sizeof(*od));
	od->cfg = cfg;
	od->n = n;
	od->h = xcalloc(n ? n : 1, sizeof(*od->h));
}

void
sim_od_release(struct sim_od *od)
{
	free(od->h);
	memset(od, 0, sizeof(*od));
}

int64_t
sim_od_ejection_time(const struct sim_od *od, size_t i)
{
	int64_t t = od->cfg->od_base_ejection * (int64_t)od->h[i].backoff;

	return t < od->cfg->od_max_ejection ? t : od->cfg->od_max_ejection;
}

static bool
eject(struct sim_od *od, size_t i, int64_t now)
{
	struct sim_od_host *h = &od->h[i];
	const struct sim_config *c = od->cfg;
	double pct;

	if (h->ejected)
		return false;
	pct = 100.0 * (double)(od->nejected + 1) / (double)od->n;
	if (!(pct <= (double)c->od_max_ejection_percent ||
	    (c->od_always_eject_one && od->nejected == 0))) {
		od->overflow++;
		return false;
	}
	h->ejected = true;
	h->ejections++;
	h->ejected_at = now;
	if (c->od_base_ejection * (int64_t)h->backoff <
	    c->od_max_ejection + c->od_base_ejection)
		h->backoff++;
	od->nejected++;
	od->ejections++;
	return true;
}

bool
sim_od_http(struct sim_od *od, size_t i, int code, int64_t now)
{
	struct sim_od_host *h = &od->h[i];
	const struct sim_config *c = od->cfg;
	bool ej = false;

	h->sr_total++;
	if (code < 500 || code >= 600)
		h->sr_ok++;
	if (code >= 500 && code < 600) {
		if (++h->c5xx == c->od_consecutive_5xx) {
			ej = eject(od, i, now);
			h->c5xx = 0;
		}
		if (code >= 502 && code <= 504) {
			if (c->od_consecutive_gateway > 0 &&
			    ++h->cgw == c->od_consecutive_gateway) {
				ej = eject(od, i, now) || ej;
				h->cgw = 0;
			}
		} else
			h->cgw = 0;
	} else {
		h->c5xx = 0;
		h->cgw = 0;
	}
	return ej;
}

bool
sim_od_local(struct sim_od *od, size_t i, enum sim_od_local ev, int64_t now)
{
	struct sim_od_host *h = &od->h[i];

	if (!od->cfg->od_split) {
		switch (ev) {
		case SIM_OD_CONNECT_SUCCESS:
			return false;
		case SIM_OD_CONNECT_FAILED:
			return sim_od_http(od, i, 503, now);
		case SIM_OD_TIMEOUT:
			return sim_od_http(od, i, 504, now);
		}
		return false;
	}
	if (ev == SIM_OD_CONNECT_SUCCESS) {
		h->clocal = 0;
		return false;
	}
	if (++h->clocal == od->cfg->od_consecutive_local) {
		h->clocal = 0;
		return eject(od, i, now);
	}
	return false;
}

static void
uneject(struct sim_od *od, size_t i, int64_t now)
{
	struct sim_od_host *h = &od->h[i];

	h->ejected = false;
	h->ever_unejected = true;
	h->unejected_at = now;
	h->c5xx = h->cgw = h->clocal = 0;
	od->nejected--;
}

/*
 * Failure-percentage detection (DetectorImpl::processFailurePercentage...):
 * among hosts not ejected with at least the request volume this interval,
 * if there are enough of them, eject those whose failure percentage
 * reaches the threshold.  The interval's counts start again.
 */
static size_t
failure_percentage(struct sim_od *od, int64_t now)
{
	const struct sim_config *c = od->cfg;
	struct sim_od_host *h;
	size_t i, judged = 0, n = 0;

	if (c->od_failure_pct) {
		for (i = 0; i < od->n; i++)
			if (!od->h[i].ejected && od->h[i].sr_total >= c->od_failure_pct_volume)
				judged++;
		for (i = 0; judged >= c->od_failure_pct_min_hosts && i < od->n; i++) {
			h = &od->h[i];
			if (h->ejected || h->sr_total < c->od_failure_pct_volume)
				continue;
			if (100.0 * (double)(h->sr_total - h->sr_ok) / (double)h->sr_total >=
			    (double)c->od_failure_pct_threshold && eject(od, i, now))
				n++;
		}
	}
	for (i = 0; i < od->n; i++)
		od->h[i].sr_total = od->h[i].sr_ok = 0;
	return n;
}

size_t
sim_od_tick(struct sim_od *od, int64_t now)
{
	struct sim_od_host *h;
	size_t i, n = 0;

	for (i = 0; i < od->n; i++) {
		h = &od->h[i];
		if (h->ejected && sim_od_ejection_time(od, i) <= now - h->ejected_at) {
			uneject(od, i, now);
			n++;
		}
	}
	n += failure_percentage(od, now);
	for (i = 0; i < od->n; i++) {
		h = &od->h[i];
		if (!h->ejected && h->ever_unejected && h->backoff > 0 &&
		    now - h->unejected_at >= od->cfg->od_interval)
			h->backoff--;
	}
	return n;
}

bool
sim_od_hc_success(struct sim_od *od, size_t i, int64_t now)
{
	if (!od->h[i].ejected)
		return false;
	uneject(od, i, now);
	return true;
}

void
sim_hc_init(struct sim_hc_host *h)
{
	h->failed = true;
	h->first = true;
	h->nhealthy = h->nunhealthy = 0;
}

int
sim_hc_result(struct sim_hc_host *h, const struct sim_config *c,
    enum sim_hc_outcome r)
{
	bool first = h->first;

	h->first = false;
	if (r == SIM_HC_OK) {
		h->nunhealthy = 0;
		if (h->failed && (first || ++h->nhealthy == c->hc_healthy_threshold)) {
			h->failed = false;
			h->nhealthy = 0;
			return 1;
		}
		return 0;
	}
	h->nhealthy = 0;
	if (h->failed)
		return 0;
	if (r == SIM_HC_BAD_STATUS || ++h->nunhealthy == c->hc_unhealthy_threshold) {
		h->failed = true;
		h->nunhealthy = 0;
		return -1;
	}
	return 0;
}
