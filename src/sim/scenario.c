/*
 * scenario.c: the Scenario document (docs/scenario.md, btpctl-scenario(5))
 * into struct sim_scenario: --set overrides applied to the tree, every
 * key checked (unknown keys with a did-you-mean, types, ranges), every
 * problem a located diagnostic.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "gen/embedded.h"
#include "load.h"
#include "node.h"
#include "sim/sim.h"
#include "units.h"
#include "util.h"

const char *
sim_default_scenario_text(void)
{
	const struct embedded_file *f;

	for (f = embedded_files; f->name != NULL; f++)
		if (strcmp(f->name, "scenario-default.yaml") == 0)
			return (const char *)f->data;
	return NULL;
}

struct sp {
	struct diags	*diags;
	bool		 ok;
};

static void err(struct sp *, const struct node *, const char *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
err(struct sp *p, const struct node *n, const char *path, const char *fmt, ...)
{
	struct diag *d;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d = diag_add(p->diags, SEV_ERROR, "scenario", n ? &n->loc : NULL, "%s: %s", path, msg);
	diag_set_path(d, path);
	p->ok = false;
}

/* Unknown keys of map n (at path) are errors, with a did-you-mean. */
static void
known_keys(struct sp *p, const struct node *n, const char *path, const char *const *keys)
{
	const char *dym;
	char full[256];
	size_t i, k;
	struct diag *d;

	if (n == NULL || n->kind != NODE_MAP)
		return;
	for (i = 0; i < n->n; i++) {
		for (k = 0; keys[k] != NULL; k++)
			if (strcmp(keys[k], n->pairs[i].key->str) == 0)
				break;
		if (keys[k] != NULL)
			continue;
		snprintf(full, sizeof(full), "%s.%s", path, n->pairs[i].key->str);
		d = diag_add(p->diags, SEV_ERROR, "scenario", &n->pairs[i].key->loc,
		    "%s: unknown field \"%s\"", full, n->pairs[i].key->str);
		diag_set_path(d, full);
		if ((dym = did_you_mean(n->pairs[i].key->str, keys)) != NULL)
			diag_set_fix(d, dym);
		p->ok = false;
	}
}

static const struct node *
want_map(struct sp *p, const struct node *parent, const char *key, const char *path,
    bool required)
{
	const struct node *n = node_get(parent, key);

	if (n == NULL || n->kind == NODE_NULL) {
		if (required)
			err(p, parent, path, "%s", "Required value");
		return NULL;
	}
	if (n->kind != NODE_MAP) {
		err(p, n, path, "want a map, got %s", node_kind_name(n->kind));
		return NULL;
	}
	return n;
}

static bool
get_num(struct sp *p, const struct node *m, const char *key, const char *path,
    double lo, double hi, double *v)
{
	const struct node *n = node_get(m, key);
	char full[256];

	if (n == NULL || n->kind == NODE_NULL)
		return false;
	snprintf(full, sizeof(full), "%s.%s", path, key);
	if (n->kind != NODE_INT && n->kind != NODE_FLOAT) {
		err(p, n, full, "want a number, got %s", node_kind_name(n->kind));
		return false;
	}
	if (n->f < lo || n->f > hi) {
		char buf[96];

		snprintf(buf, sizeof(buf), "%g is out of range [%g, %g]", n->f, lo, hi);
		err(p, n, full, "%s", buf);
		return false;
	}
	*v = n->f;
	return true;
}

static bool
get_int(struct sp *p, const struct node *m, const char *key, const char *path,
    double lo, double hi, uint64_t *v)
{
	const struct node *n = node_get(m, key);
	double d;
	char full[256];

	if (n != NULL && n->kind == NODE_FLOAT) {
		snprintf(full, sizeof(full), "%s.%s", path, key);
		err(p, n, full, "want an integer, got %s", n->str);
		return false;
	}
	if (!get_num(p, m, key, path, lo, hi, &d))
		return false;
	*v = (uint64_t)n->i;
	return true;
}

/* True when m has no key, or only a null one: a required value is missing. */
static bool
absent(const struct node *m, const char *key)
{
	const struct node *n = node_get(m, key);

	return n == NULL || n->kind == NODE_NULL;
}

static bool
get_dur(struct sp *p, const struct node *m, const char *key, const char *path,
    bool positive, int64_t *v)
{
	const struct node *n = node_get(m, key);
	char full[256];

	if (n == NULL || n->kind == NODE_NULL)
		return false;
	snprintf(full, sizeof(full), "%s.%s", path, key);
	if (n->kind != NODE_STRING || !units_go_duration(n->str, v)) {
		err(p, n, full, "want a duration such as \"250ms\" or \"1m30s\", got %s",
		    n->str ? n->str : node_kind_name(n->kind));
		return false;
	}
	if (positive && *v <= 0) {
		err(p, n, full, "%s", "must be greater than 0");
		return false;
	}
	if (*v < 0) {
		err(p, n, full, "%s", "must not be negative");
		return false;
	}
	return true;
}

static bool
get_str(struct sp *p, const struct node *m, const char *key, const char *path,
    const char *const *allowed, char *out, size_t len)
{
	const struct node *n = node_get(m, key);
	char full[256], list[256];
	size_t i;

	if (n == NULL || n->kind == NODE_NULL)
		return false;
	snprintf(full, sizeof(full), "%s.%s", path, key);
	if (n->kind != NODE_STRING && n->kind != NODE_INT) {
		err(p, n, full, "want a string, got %s", node_kind_name(n->kind));
		return false;
	}
	if (allowed != NULL) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], n->str) == 0)
				break;
		if (allowed[i] == NULL) {
			list[0] = '\0';
			for (i = 0; allowed[i] != NULL; i++) {
				if (i)
					strncat(list, ", ", sizeof(list) - strlen(list) - 1);
				strncat(list, allowed[i], sizeof(list) - strlen(list) - 1);
			}
			err(p, n, full, "Unsupported value: want one of %s", list);
			return false;
		}
	}
	snprintf(out, len, "%s", n->str);
	return true;
}

static bool
parse_latency(struct sp *p, const struct node *m, const char *path, struct sim_dist *d)
{
	static const char *const keys[] = { "distribution", "value", "mean", "p50", "p99",
		"percentiles", NULL };
	static const char *const kinds[] = { "constant", "exponential", "lognormal",
		"empirical", NULL };
	const struct node *pc;
	char kind[32] = "lognormal", full[256];
	int64_t a, b;
	size_t i;
	char *end;
	double q;

	known_keys(p, m, path, keys);
	get_str(p, m, "distribution", path, kinds, kind, sizeof(kind));
	memset(d, 0, sizeof(*d));
	if (strcmp(kind, "constant") == 0) {
		d->kind = SIM_DIST_CONSTANT;
		if (!get_dur(p, m, "value", path, false, &a)) {
			snprintf(full, sizeof(full), "%s.value", path);
			if (absent(m, "value"))
				err(p, m, full, "%s", "Required value");
			return false;
		}
		d->value = d->median = (double)a;
	} else if (strcmp(kind, "exponential") == 0) {
		d->kind = SIM_DIST_EXPONENTIAL;
		if (!get_dur(p, m, "mean", path, true, &a)) {
			snprintf(full, sizeof(full), "%s.mean", path);
			if (absent(m, "mean"))
				err(p, m, full, "%s", "Required value");
			return false;
		}
		d->value = (double)a;
		d->median = (double)a * 0.69314718055994530942;
	} else if (strcmp(kind, "lognormal") == 0) {
		d->kind = SIM_DIST_LOGNORMAL;
		if (!get_dur(p, m, "p50", path, true, &a) || !get_dur(p, m, "p99", path, true, &b)) {
			snprintf(full, sizeof(full), "%s", path);
			if (absent(m, "p50") || absent(m, "p99"))
				err(p, m, full, "%s", "lognormal needs p50 and p99");
			return false;
		}
		if (b < a) {
			snprintf(full, sizeof(full), "%s.p99", path);
			err(p, node_get(m, "p99"), full, "%s", "p99 must be at least p50");
			return false;
		}
		d->mu = sim_log((double)a);
		/* z(0.99) of the standard normal */
		d->sigma = (sim_log((double)b) - d->mu) / 2.3263478740408408;
		d->median = (double)a;
	} else {
		d->kind = SIM_DIST_EMPIRICAL;
		snprintf(full, sizeof(full), "%s.percentiles", path);
		pc = node_get(m, "percentiles");
		if (pc == NULL || pc->kind != NODE_MAP || pc->n == 0) {
			err(p, pc ? pc : m, full, "%s", "want a map of percentile: duration");
			return false;
		}
		for (i = 0; i < pc->n && i < SIM_MAX_PCT; i++) {
			q = strtod(pc->pairs[i].key->str, &end);
			if (*end != '\0' || !(q > 0 && q <= 100) || (i > 0 && q <= d->pct[i - 1])) {
				err(p, pc->pairs[i].key, full, "%s",
				    "percentiles must be increasing numbers in (0, 100]");
				return false;
			}
			if (pc->pairs[i].val->kind != NODE_STRING ||
			    !units_go_duration(pc->pairs[i].val->str, &a) || a < 0 ||
			    (i > 0 && (double)a < d->pval[i - 1])) {
				err(p, pc->pairs[i].val, full, "%s",
				    "want non-decreasing, non-negative durations");
				return false;
			}
			d->pct[i] = q;
			d->pval[i] = (double)a;
			d->npct = i + 1;
			if (q <= 50)
				d->median = (double)a;
		}
		if (d->median == 0)
			d->median = d->pval[0];
	}
	return true;
}

static bool
parse_address(const char *s, unsigned ip[4], unsigned *port)
{
	char tail;

	return sscanf(s, "%u.%u.%u.%u:%u%c", &ip[0], &ip[1], &ip[2], &ip[3], port, &tail) == 5 &&
	    ip[0] < 256 && ip[1] < 256 && ip[2] < 256 && ip[3] < 256 && *port < 65536;
}

static void
parse_backends(struct sp *p, struct sim_scenario *sc, const struct node *seq)
{
	static const char *const keys[] = { "count", "address", "weight", "concurrency",
		"latency", "errorRate", "errorStatus", "resetRate", "connectFailureRate",
		"healthCheckStatus", "connectTime", NULL };
	const struct node *b, *lat;
	struct sim_backend_spec proto;
	char path[64], addr[64];
	unsigned ip[4], port, base3;
	uint64_t count, v;
	double f;
	size_t i, k, total = 0;

	if (seq == NULL)
		return;
	if (seq->kind != NODE_SEQ || seq->n == 0) {
		err(p, seq, "spec.backends", "%s", "want a non-empty list of backend groups");
		return;
	}
	for (i = 0; i < seq->n; i++) {
		b = seq->items[i];
		snprintf(path, sizeof(path), "spec.backends[%zu]", i);
		if (b->kind != NODE_MAP) {
			err(p, b, path, "%s", "want a map");
			continue;
		}
		known_keys(p, b, path, keys);
		count = 1;
		get_int(p, b, "count", path, 1, 10000, &count);
		memset(&proto, 0, sizeof(proto));
		snprintf(addr, sizeof(addr), "10.1.%zu.1:8080", i);
		get_str(p, b, "address", path, NULL, addr, sizeof(addr));
		if (!parse_address(addr, ip, &port)) {
			err(p, node_get(b, "address"), path, "address %s: want IPv4:port", addr);
			memset(ip, 0, sizeof(ip));
			port = 0;
		}
		proto.weight = 1;
		if (get_int(p, b, "weight", path, 1, 128, &v))
			proto.weight = (uint32_t)v;
		proto.concurrency = 64;
		if (get_int(p, b, "concurrency", path, 0, 1e6, &v))
			proto.concurrency = (uint32_t)v;
		lat = node_get(b, "latency");
		if (lat != NULL && lat->kind == NODE_MAP) {
			char lp[96];

			snprintf(lp, sizeof(lp), "%s.latency", path);
			parse_latency(p, lat, lp, &proto.latency);
		} else if (lat != NULL)
			err(p, lat, path, "%s", "latency: want a map");
		else {
			proto.latency.kind = SIM_DIST_LOGNORMAL;
			proto.latency.mu = sim_log(20e6);
			proto.latency.sigma = (sim_log(200e6) - proto.latency.mu) / 2.3263478740408408;
			proto.latency.median = 20e6;
		}
		if (get_num(p, b, "errorRate", path, 0, 1, &f))
			proto.error_rate = f;
		proto.error_status = 503;
		if (get_int(p, b, "errorStatus", path, 100, 599, &v))
			proto.error_status = (int)v;
		if (get_num(p, b, "resetRate", path, 0, 1, &f))
			proto.reset_rate = f;
		if (get_num(p, b, "connectFailureRate", path, 0, 1, &f))
			proto.connect_failure_rate = f;
		proto.hc_status = 200;
		if (get_int(p, b, "healthCheckStatus", path, 100, 599, &v))
			proto.hc_status = (int)v;
		proto.connect_time = SIM_MS;
		get_dur(p, b, "connectTime", path, false, &proto.connect_time);
		if (total + count > 10000) {
			err(p, b, path, "%s", "at most 10000 backends in all");
			return;
		}
		sc->backends = xreallocarray(sc->backends, total + count, sizeof(*sc->backends));
		for (k = 0; k < count; k++) {
			base3 = ip[3] + (unsigned)k;
			sc->backends[total + k] = proto;
			snprintf(sc->backends[total + k].address, sizeof(proto.address),
			    "%u.%u.%u.%u:%u", ip[0], (ip[1] + (ip[2] + base3 / 256) / 256) & 255,
			    (ip[2] + base3 / 256) & 255, base3 % 256, port);
		}
		total += count;
		sc->nbackends = total;
	}
}

static void
parse_faults(struct sp *p, struct sim_scenario *sc, const struct node *seq)
{
	static const char *const keys[] = { "backends", "from", "to", "down", "errorRate",
		"errorStatus", "latencyFactor", "healthCheckStatus", NULL };
	const struct node *f, *bs;
	struct sim_fault *x;
	char path[64];
	size_t i, k;
	uint64_t v;

	if (seq == NULL)
		return;
	if (seq->kind != NODE_SEQ) {
		err(p, seq, "spec.faults", "%s", "want a list");
		return;
	}
	sc->faults = xcalloc(seq->n ? seq->n : 1, sizeof(*sc->faults));
	for (i = 0; i < seq->n; i++) {
		f = seq->items[i];
		snprintf(path, sizeof(path), "spec.faults[%zu]", i);
		if (f->kind != NODE_MAP) {
			err(p, f, path, "%s", "want a map");
			continue;
		}
		known_keys(p, f, path, keys);
		x = &sc->faults[sc->nfaults++];
		x->error_rate = -1;
		x->to = INT64_MAX / 4;
		get_dur(p, f, "from", path, false, &x->from);
		get_dur(p, f, "to", path, false, &x->to);
		if (x->to <= x->from)
			err(p, node_get(f, "to") ? node_get(f, "to") : f, path, "%s",
			    "to must be after from");
		if (node_get(f, "down") != NULL) {
			if (node_get(f, "down")->kind != NODE_BOOL)
				err(p, node_get(f, "down"), path, "%s", "down: want true or false");
			else
				x->down = node_get(f, "down")->b;
		}
		get_num(p, f, "errorRate", path, 0, 1, &x->error_rate);
		if (get_int(p, f, "errorStatus", path, 100, 599, &v))
			x->error_status = (int)v;
		get_num(p, f, "latencyFactor", path, 1e-3, 1e6, &x->latency_factor);
		if (get_int(p, f, "healthCheckStatus", path, 100, 599, &v))
			x->hc_status = (int)v;
		bs = node_get(f, "backends");
		if (bs == NULL || bs->kind != NODE_SEQ || bs->n == 0) {
			err(p, bs ? bs : f, path, "%s", "backends: want a list of backend indexes");
			continue;
		}
		x->backends = xcalloc(bs->n, sizeof(uint32_t));
		for (k = 0; k < bs->n; k++) {
			if (bs->items[k]->kind != NODE_INT || bs->items[k]->i < 0 ||
			    (size_t)bs->items[k]->i >= sc->nbackends) {
				err(p, bs->items[k], path,
				    "backend index out of range (there are %zu backends)",
				    sc->nbackends);
				continue;
			}
			x->backends[x->nbackends++] = (uint32_t)bs->items[k]->i;
		}
	}
}

static void
parse_load(struct sp *p, struct sim_scenario *sc, const struct node *l)
{
	static const char *const keys[] = { "rate", "arrival", "rampTo", "clients",
		"popularity", "zipfS", "header", "cookie", "protocol", "closedLoop", NULL };
	static const char *const arrivals[] = { "poisson", "constant", NULL };
	static const char *const pops[] = { "uniform", "zipf", NULL };
	static const char *const protos[] = { "http1", "http2", NULL };
	static const char *const ckeys[] = { "clients", "thinkTime", NULL };
	const struct node *cl;
	char buf[32];
	uint64_t v;

	if (l == NULL)
		return;
	known_keys(p, l, "spec.load", keys);
	get_num(p, l, "rate", "spec.load", 0, 1e8, &sc->rate);
	if (get_str(p, l, "arrival", "spec.load", arrivals, buf, sizeof(buf)))
		sc->arrival = strcmp(buf, "constant") == 0 ? SIM_ARRIVAL_CONSTANT : SIM_ARRIVAL_POISSON;
	get_num(p, l, "rampTo", "spec.load", 0, 1e8, &sc->ramp_to);
	if (get_int(p, l, "clients", "spec.load", 1, 1e7, &v))
		sc->clients = (uint32_t)v;
	if (get_str(p, l, "popularity", "spec.load", pops, buf, sizeof(buf)))
		sc->zipf = strcmp(buf, "zipf") == 0;
	get_num(p, l, "zipfS", "spec.load", 0.01, 10, &sc->zipf_s);
	get_str(p, l, "header", "spec.load", NULL, sc->header, sizeof(sc->header));
	get_str(p, l, "cookie", "spec.load", NULL, sc->cookie, sizeof(sc->cookie));
	if (get_str(p, l, "protocol", "spec.load", protos, buf, sizeof(buf)))
		sc->http2 = strcmp(buf, "http2") == 0;
	if ((cl = want_map(p, l, "closedLoop", "spec.load.closedLoop", false)) != NULL) {
		known_keys(p, cl, "spec.load.closedLoop", ckeys);
		if (get_int(p, cl, "clients", "spec.load.closedLoop", 1, 1e6, &v))
			sc->closed_clients = (uint32_t)v;
		else
			err(p, cl, "spec.load.closedLoop.clients", "%s", "Required value");
		/* a positive think time: instant local answers would otherwise loop */
		sc->think_time = 100 * SIM_MS;
		get_dur(p, cl, "thinkTime", "spec.load.closedLoop", true, &sc->think_time);
	}
}

/* A --set value as YAML would read it: integer, number, boolean or string. */
static struct node *
scalar_node(struct arena *a, const char *v)
{
	struct node *n;
	char *end;
	long long i;
	double f;

	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
		return node_new_bool(a, v[0] == 't');
	if (*v != '\0') {
		i = strtoll(v, &end, 10);
		if (*end == '\0')
			return node_new_int(a, i);
		f = strtod(v, &end);
		if (*end == '\0') {
			n = node_new_string(a, v);
			n->kind = NODE_FLOAT;
			n->f = f;
			return n;
		}
	}
	n = node_new_string(a, v);
	n->quoted = 1;
	return n;
}

/* --set a.b.0.c=value: set (creating maps) in the tree. */
static void
apply_set(struct sp *p, struct node *root, const char *set, struct arena *a)
{
	const char *eq = strchr(set, '=');
	char *path, *seg, *save = NULL, *next;
	struct node *cur = root, *val, *child;
	char *endp;
	long idx;

	if (eq == NULL || eq == set) {
		diag_add_file(p->diags, SEV_ERROR, "usage", "--set",
		    "%s: want key=value, such as spec.load.rate=2000", set);
		p->ok = false;
		return;
	}
	val = scalar_node(a, eq + 1);
	path = xstrndup(set, (size_t)(eq - set));
	for (seg = strtok_r(path, ".", &save); seg != NULL; seg = next) {
		next = strtok_r(NULL, ".", &save);
		if (cur->kind == NODE_SEQ) {
			idx = strtol(seg, &endp, 10);
			if (*endp != '\0' || idx < 0 || (size_t)idx >= cur->n) {
				diag_add_file(p->diags, SEV_ERROR, "usage", "--set",
				    "%s: no list item %s", set, seg);
				p->ok = false;
				break;
			}
			if (next == NULL)
				cur->items[idx] = val;
			else
				cur = cur->items[idx];
			continue;
		}
		if (cur->kind != NODE_MAP) {
			diag_add_file(p->diags, SEV_ERROR, "usage", "--set",
			    "%s: %s is not inside a map", set, seg);
			p->ok = false;
			break;
		}
		child = node_get(cur, seg);
		if (next == NULL) {
			size_t i;

			for (i = 0; i < cur->n; i++)
				if (strcmp(cur->pairs[i].key->str, seg) == 0) {
					cur->pairs[i].val = val;
					break;
				}
			if (i == cur->n)
				node_map_set(a, cur, seg, val);
		} else {
			if (child == NULL || child->kind == NODE_NULL) {
				child = node_new(a, NODE_MAP);
				node_map_set(a, cur, seg, child);
			}
			cur = child;
		}
	}
	free(path);
}

bool
sim_scenario_parse(struct sim_scenario *sc, struct node *root, const char *const *sets,
    size_t nsets, struct arena *a, struct diags *diags)
{
	static const char *const top[] = { "apiVersion", "kind", "metadata", "spec", NULL };
	static const char *const skeys[] = { "duration", "seed", "interval", "load",
		"backends", "faults", NULL };
	struct sp p = { diags, true };
	const struct node *spec, *kind, *md;
	uint64_t v;
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->duration = 60 * SIM_S;
	sc->interval = SIM_S;
	sc->seed = 1;
	sc->rate = 1000;
	sc->ramp_to = -1;
	sc->clients = 5000;
	sc->zipf_s = 1.1;
	if (root == NULL || root->kind != NODE_MAP) {
		err(&p, root, "scenario", "%s", "want a Scenario document (a map)");
		return false;
	}
	for (i = 0; i < nsets; i++)
		apply_set(&p, root, sets[i], a);
	known_keys(&p, root, "", top);
	kind = node_get(root, "kind");
	if (kind == NULL || kind->kind != NODE_STRING || strcmp(kind->str, "Scenario") != 0)
		err(&p, kind ? kind : root, "kind", "%s", "want kind: Scenario");
	if ((md = node_get(root, "metadata")) != NULL && node_get_str(md, "name") != NULL)
		snprintf(sc->name, sizeof(sc->name), "%s", node_get_str(md, "name"));
	spec = want_map(&p, root, "spec", "spec", true);
	if (spec == NULL)
		return false;
	known_keys(&p, spec, "spec", skeys);
	get_dur(&p, spec, "duration", "spec", true, &sc->duration);
	get_dur(&p, spec, "interval", "spec", true, &sc->interval);
	if (get_int(&p, spec, "seed", "spec", 0, 9.2e18, &v))
		sc->seed = v;
	if (sc->duration / sc->interval > 100000)
		err(&p, node_get(spec, "interval") ? node_get(spec, "interval") : spec,
		    "spec.interval", "%s", "too many intervals (at most 100000 per run)");
	parse_load(&p, sc, want_map(&p, spec, "load", "spec.load", false));
	if (node_get(spec, "backends") == NULL)
		err(&p, spec, "spec.backends", "%s", "Required value");
	parse_backends(&p, sc, node_get(spec, "backends"));
	parse_faults(&p, sc, node_get(spec, "faults"));
	return p.ok;
}

void
sim_scenario_release(struct sim_scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->nfaults; i++)
		free(sc->faults[i].backends);
	free(sc->faults);
	free(sc->backends);
	memset(sc, 0, sizeof(*sc));
}
