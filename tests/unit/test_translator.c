/*
 * test_translator.c: conformance of the effective engine with Envoy
 * Gateway's translator golden tests (testdata/upstream/testdata, v1.9.0).
 *
 * Each X.in.yaml is a bundle: top-level keys (gateways, httpRoutes,
 * backendTrafficPolicies, ...) holding lists of objects, used in file
 * order without creationTimestamps, as upstream's harness does.  The
 * adapter below turns every list into a "kind: List" document so the
 * ordinary object index reads it.  For every BackendTrafficPolicy the
 * computed status.ancestors (ancestorRef, and each condition's type,
 * status, reason and message, in order) must equal X.out.yaml's.  Where
 * the .out.yaml's xdsIR shows a route's traffic settings (retry, timeout,
 * loadBalancer, healthCheck, circuitBreaker), the policy btpctl says wins
 * for that route must be the one the IR names, and the settings must be
 * present exactly when the IR has them.
 *
 * Prints "translator-status: N/108 agree" and
 * "translator-xds: N/M routes agree", and lists every disagreement.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "diag.h"
#include "effective.h"
#include "load.h"
#include "objects.h"
#include "unit.h"
#include "gostruct.h"
#include "units.h"
#include "util.h"

static const struct node *crd_spec;	/* properties.spec of the v1.9.0 CRD */

static void
decode_policies(struct objset *os)
{
	size_t i;

	for (i = 0; i < os->n; i++)
		if (os->v[i].type == OBJ_BTP && os->v[i].spec != NULL)
			decode_like_go(os->v[i].spec, crd_spec);
}

struct bundle {
	struct inputs	 in;
	struct docset	 ds;
	struct objset	 os;
	struct diags	 d;
	struct eff_configmap *cms;
	size_t		 ncms;
	struct node	*root;
};

static int
bundle_load(struct bundle *b, const char *path)
{
	struct load_opts lo;
	struct node *list;
	struct doc doc;
	const struct node *v, *it;
	size_t i, j;

	memset(b, 0, sizeof(*b));
	load_opts_init(&lo);
	inputs_init(&b->in);
	docset_init(&b->ds);
	objset_init(&b->os);
	diags_init(&b->d);
	if (inputs_add(&b->in, path, &lo, &b->d) != 0 ||
	    docset_load(&b->ds, &b->in, &lo, &b->d) != 0 || b->ds.n == 0)
		return -1;
	b->root = b->ds.v[0].root;
	if (b->root == NULL || b->root->kind != NODE_MAP)
		return -1;
	b->cms = xcalloc(1, sizeof(*b->cms));
	for (i = 0; i < b->root->n; i++) {
		v = b->root->pairs[i].val;
		if (v->kind != NODE_SEQ)
			continue;
		if (strcasecmp(b->root->pairs[i].key->str, "configMaps") == 0) {
			b->cms = xreallocarray(b->cms, b->ncms + v->n + 1, sizeof(*b->cms));
			for (j = 0; j < v->n; j++) {
				it = v->items[j];
				b->cms[b->ncms].ns = node_get_str(node_get(it, "metadata"),
				    "namespace");
				if (b->cms[b->ncms].ns == NULL)
					b->cms[b->ncms].ns = "default";
				b->cms[b->ncms].name = node_get_str(node_get(it, "metadata"),
				    "name");
				b->cms[b->ncms].has_data = node_get(it, "data") != NULL &&
				    node_get(it, "data")->kind == NODE_MAP &&
				    node_get(it, "data")->n > 0;
				if (b->cms[b->ncms].name != NULL)
					b->ncms++;
			}
			continue;
		}
		list = node_new(b->ds.arena, NODE_MAP);
		node_map_set(b->ds.arena, list, "kind", node_new_string(b->ds.arena,
		    "List"));
		node_map_set(b->ds.arena, list, "items", (struct node *)(uintptr_t)v);
		doc = b->ds.v[0];
		doc.root = list;
		objset_add_doc(&b->os, &doc, &b->d, false);
	}
	return 0;
}

static void
bundle_release(struct bundle *b)
{
	free(b->cms);
	diags_release(&b->d);
	objset_release(&b->os);
	docset_release(&b->ds);
	inputs_release(&b->in);
}

static const char *
s_or(const char *s)
{
	return s ? s : "";
}

/* Canonical text of computed ancestors. */
static void
canon_got(const struct eff_policy *p, struct strbuf *sb)
{
	size_t i, j;
	const struct eff_ancestor *a;

	for (i = 0; p != NULL && i < p->nancestors; i++) {
		a = &p->ancestors[i];
		sb_printf(sb, "  ancestor %s %s %s/%s%s%s\n", a->group, a->kind, a->ns,
		    a->name, a->section ? "/" : "", s_or(a->section));
		for (j = 0; j < a->nconds; j++)
			sb_printf(sb, "    %s %s %s: %s\n", a->conds[j].type,
			    a->conds[j].status, a->conds[j].reason, a->conds[j].message);
	}
}

/* Canonical text of expected ancestors (status.ancestors of .out.yaml). */
static void
canon_want(const struct node *ancs, struct strbuf *sb)
{
	size_t i, j;
	const struct node *a, *r, *cs, *c;

	for (i = 0; ancs != NULL && ancs->kind == NODE_SEQ && i < ancs->n; i++) {
		a = ancs->items[i];
		r = node_get(a, "ancestorRef");
		sb_printf(sb, "  ancestor %s %s %s/%s%s%s\n", s_or(node_get_str(r,
		    "group")), s_or(node_get_str(r, "kind")), s_or(node_get_str(r,
		    "namespace")), s_or(node_get_str(r, "name")),
		    node_get_str(r, "sectionName") ? "/" : "",
		    s_or(node_get_str(r, "sectionName")));
		cs = node_get(a, "conditions");
		for (j = 0; cs != NULL && cs->kind == NODE_SEQ && j < cs->n; j++) {
			c = cs->items[j];
			sb_printf(sb, "    %s %s %s: %s\n", s_or(node_get_str(c, "type")),
			    s_or(node_get_str(c, "status")), s_or(node_get_str(c,
			    "reason")), s_or(node_get_str(c, "message")));
		}
	}
}

static const struct node *
bundle_list(const struct node *root, const char *key)
{
	size_t i;

	for (i = 0; root != NULL && root->kind == NODE_MAP && i < root->n; i++)
		if (strcasecmp(root->pairs[i].key->str, key) == 0)
			return root->pairs[i].val;
	return NULL;
}

static const struct eff_policy *
find_policy(const struct effective *e, const char *ns, const char *name,
    size_t nth)
{
	size_t i;

	for (i = 0; i < e->npolicies; i++)
		if (strcmp(object_ns(e->policies[i].obj), ns) == 0 &&
		    strcmp(e->policies[i].obj->name, name) == 0 && nth-- == 0)
			return &e->policies[i];
	return NULL;
}

static int status_agree, status_total;
static int xds_agree, xds_total, xds_files;

/* "gwns/gw[/lsns/ls]/listener", the IR's listener name for a row. */
static char *
ir_listener(const struct eff_route *r)
{
	if (r->listenerset != NULL)
		return xasprintf("%s/%s/%s/%s/%s", object_ns(r->gateway),
		    r->gateway->name, object_ns(r->listenerset), r->listenerset->name,
		    r->listener);
	return xasprintf("%s/%s/%s", object_ns(r->gateway), r->gateway->name,
	    r->listener);
}

static const struct eff_route *
find_row(const struct effective *e, const char *listener, const char *kind,
    const char *ns, const char *name, int rule)
{
	const struct eff_route *r;
	char *l;
	size_t i;
	bool same;

	for (i = 0; i < e->nroutes; i++) {
		r = &e->routes[i];
		if (strcmp(obj_type_kind(r->route->type), kind) != 0 ||
		    strcmp(object_ns(r->route), ns) != 0 ||
		    strcmp(r->route->name, name) != 0 || (rule >= 0 && r->rule_index != rule))
			continue;
		l = ir_listener(r);
		same = strcmp(l, listener) == 0;
		free(l);
		if (same)
			return r;
	}
	return NULL;
}

/* Did some policy (not the route itself, not a default) set field? */
static bool
policy_sets(const struct eff_route *r, const char *field)
{
	size_t i, n = strlen(field);

	for (i = 0; i < r->nsources; i++)
		if (r->sources[i].policy != NULL &&
		    strncmp(r->sources[i].path, field, n) == 0 &&
		    (r->sources[i].path[n] == '.' || r->sources[i].path[n] == '\0' ||
		    r->sources[i].path[n] == '['))
			return true;
	return false;
}

/* Both absent, or both durations of the same length. */
static bool
same_duration(const struct node *a, const struct node *b)
{
	int64_t x, y;

	if (a == NULL || b == NULL)
		return a == b;
	return a->str != NULL && b->str != NULL && units_go_duration(a->str, &x) &&
	    units_go_duration(b->str, &y) && x == y;
}

/*
 * The values of the settings: the load balancer kind, retry count,
 * timeouts, breaker thresholds and health checks the IR carries must be
 * the effective spec's (the request timeout is the route's own when the
 * HTTPRoute sets one: route_timeout).  Returns the first difference, or NULL.
 */
static const char *
traffic_differs(const struct node *t, const struct node *spec,
    const struct node *route_timeout)
{
	static const char *const durs[] = { "tcp.connectTimeout",
	    "http.connectionIdleTimeout", "http.maxConnectionDuration",
	    "http.requestTimeout", "http.maxStreamDuration" };
	static const char *const cbs[] = { "maxConnections", "maxPendingRequests",
	    "maxParallelRequests", "maxParallelRetries", "maxRequestsPerConnection" };
	static char buf[128];
	const char *lb = node_get_str(node_get(spec, "loadBalancer"), "type");
	const struct node *a, *b;
	size_t i;

	if (lb != NULL && node_get(t, "loadBalancer") != NULL) {
		snprintf(buf, sizeof(buf), "%c%s", lb[0] + 'a' - 'A', lb + 1);
		if (node_get(node_get(t, "loadBalancer"), buf) == NULL)
			return "loadBalancer type";
	}
	a = node_path(t, "retry.numRetries");
	b = node_path(spec, "retry.numRetries");
	if (a != NULL && (b == NULL || a->i != b->i))
		return "retry.numRetries";
	for (i = 0; node_get(t, "timeout") != NULL && i < sizeof(durs) / sizeof(durs[0]);
	    i++) {
		a = node_path(node_get(t, "timeout"), durs[i]);
		/* the HTTPRoute's own timeouts.request is the route's timeout */
		if (strcmp(durs[i], "http.requestTimeout") == 0 && route_timeout != NULL)
			a = route_timeout;
		b = node_path(node_get(spec, "timeout"), durs[i]);
		if (b != NULL && !same_duration(a, b)) {
			snprintf(buf, sizeof(buf), "timeout.%s", durs[i]);
			return buf;
		}
	}
	for (i = 0; i < sizeof(cbs) / sizeof(cbs[0]); i++) {
		a = node_get(node_get(t, "circuitBreaker"), cbs[i]);
		b = node_get(node_get(spec, "circuitBreaker"), cbs[i]);
		if (b != NULL && b->kind == NODE_INT && (a == NULL || a->i != b->i)) {
			snprintf(buf, sizeof(buf), "circuitBreaker.%s", cbs[i]);
			return buf;
		}
	}
	a = node_get(t, "healthCheck");
	b = node_get(spec, "healthCheck");
	if ((node_get(a, "active") == NULL) != (node_get(b, "active") == NULL))
		return "healthCheck.active";
	if ((node_get(a, "passive") == NULL) != (node_get(b, "passive") == NULL))
		return "healthCheck.passive";
	if (node_get(b, "panicThreshold") != NULL && (node_get(a, "panicThreshold") == NULL ||
	    node_get(a, "panicThreshold")->i != node_get(b, "panicThreshold")->i))
		return "healthCheck.panicThreshold";
	return NULL;
}

/*
 * One IR route: the first policy the IR names must be the one btpctl says
 * wins, and each of the five traffic settings must be present exactly
 * when btpctl's effective spec has it from a policy.  A 500 answer btpctl
 * predicts must be in the IR (the IR also answers 500 for reasons outside
 * policies, such as a missing backend, which are not compared).
 */
static void
xds_route(const char *base, const struct effective *e, const char *listener,
    const struct node *ir, const struct node *traffic)
{
	static const char *const fields[] = { "retry", "timeout", "loadBalancer",
	    "healthCheck", "circuitBreaker" };
	const struct node *md = node_get(ir, "metadata"), *pols;
	const char *kind = node_get_str(md, "kind"), *rn = node_get_str(ir, "name");
	const char *ns = node_get_str(md, "namespace"), *name = node_get_str(md, "name");
	const char *first = NULL, *p;
	const struct eff_route *r;
	char want_first[512];
	int rule = -1;
	size_t i;
	bool ok = true, has;

	if (kind == NULL || ns == NULL || name == NULL || rn == NULL)
		return;
	if ((p = strstr(rn, "/rule/")) != NULL)
		rule = atoi(p + 6);
	xds_total++;
	r = find_row(e, listener, kind, ns, name, rule);
	if (r == NULL) {
		printf("translator-xds: %s: no effective row for %s on %s\n", base, rn,
		    listener);
		return;
	}
	pols = node_get(md, "policies");
	if (pols != NULL && pols->kind == NODE_SEQ && pols->n > 0)
		first = node_get_str(pols->items[0], "name");
	want_first[0] = '\0';
	if (first != NULL)
		snprintf(want_first, sizeof(want_first), "%s/%s",
		    s_or(node_get_str(pols->items[0], "namespace")), first);
	/* A failing policy answers 500 and is not named in the IR's metadata. */
	if (r->invalid == NULL && ((first == NULL) != (r->npolicies == 0) || (first != NULL &&
	    (strcmp(object_ns(r->policies[0]->obj), node_get_str(pols->items[0],
	    "namespace")) != 0 || strcmp(r->policies[0]->obj->name, first) != 0)))) {
		printf("translator-xds: %s: %s on %s: IR policy %s, btpctl %s%s%s\n",
		    base, rn, listener, first ? want_first : "none",
		    r->npolicies ? object_ns(r->policies[0]->obj) : "none",
		    r->npolicies ? "/" : "", r->npolicies ? r->policies[0]->obj->name : "");
		ok = false;
	}
	for (i = 0; ok && r->invalid == NULL && i < sizeof(fields) / sizeof(fields[0]);
	    i++) {
		has = node_get(traffic, fields[i]) != NULL;
		if (has != policy_sets(r, fields[i])) {
			printf("translator-xds: %s: %s on %s: %s %s in the IR\n", base, rn,
			    listener, fields[i], has ? "present" : "absent");
			ok = false;
		}
	}
	if (ok && r->invalid == NULL && traffic != NULL && r->npolicies > 0 &&
	    (p = traffic_differs(traffic, r->spec, node_is_scalar(node_get(ir,
	    "timeout")) ? node_get(ir, "timeout") : NULL)) != NULL) {
		printf("translator-xds: %s: %s on %s: %s differs\n", base, rn, listener, p);
		ok = false;
	}
	/* global rate limit rules, merged on translated rules */
	if (ok && r->invalid == NULL && traffic != NULL) {
		const struct node *ig = node_path(traffic, "rateLimit.global.rules");
		const struct node *mg = node_path(r->spec, "rateLimit.global.rules");
		size_t in = ig && ig->kind == NODE_SEQ ? ig->n : 0;
		size_t mn = mg && mg->kind == NODE_SEQ ? mg->n : 0;

		if (in != mn) {
			printf("translator-xds: %s: %s on %s: %zu global rate limit rules in "
			    "the IR, btpctl %zu\n", base, rn, listener, in, mn);
			ok = false;
		}
	}
	if (r->invalid != NULL && (node_get(ir, "directResponse") == NULL ||
	    first != NULL)) {
		printf("translator-xds: %s: %s on %s: btpctl predicts a 500, the IR "
		    "does not\n", base, rn, listener);
		ok = false;
	}
	if (ok)
		xds_agree++;
}

static void
check_xds(const char *base, const struct effective *e, const struct node *root)
{
	const struct node *x = bundle_list(root, "xdsIR"), *gw, *ls, *l, *rs;
	size_t i, j, k;
	static const char *const l4[] = { "tcp", "udp" };

	if (x == NULL || x->kind != NODE_MAP)
		return;
	xds_files++;
	for (i = 0; i < x->n; i++) {
		gw = x->pairs[i].val;
		ls = node_get(gw, "http");
		for (j = 0; ls != NULL && ls->kind == NODE_SEQ && j < ls->n; j++) {
			l = ls->items[j];
			rs = node_get(l, "routes");
			for (k = 0; rs != NULL && rs->kind == NODE_SEQ && k < rs->n; k++)
				xds_route(base, e, s_or(node_get_str(l, "name")), rs->items[k],
				    node_get(rs->items[k], "traffic"));
		}
		for (size_t m = 0; m < 2; m++) {
			ls = node_get(gw, l4[m]);
			for (j = 0; ls != NULL && ls->kind == NODE_SEQ && j < ls->n; j++) {
				l = ls->items[j];
				rs = node_get(l, "routes");
				for (k = 0; rs != NULL && rs->kind == NODE_SEQ && k < rs->n; k++)
					if (node_get(rs->items[k], "metadata") != NULL)
						xds_route(base, e, s_or(node_get_str(l, "name")),
						    rs->items[k], rs->items[k]);
				rs = node_get(l, "route");
				if (rs != NULL && node_get(rs, "metadata") != NULL)
					xds_route(base, e, s_or(node_get_str(l, "name")), rs, rs);
			}
		}
	}
}

static void
check_status(const char *dir, const char *base)
{
	struct bundle in, out;
	struct effective e;
	struct eff_opts o;
	const struct node *pols, *p, *md;
	const struct eff_policy *ep;
	struct strbuf got, want;
	char *ip = xasprintf("%s/%s.in.yaml", dir, base);
	char *op = xasprintf("%s/%s.out.yaml", dir, base);
	const char *ns, *name;
	size_t i, j, nth;
	bool ok = true;

	status_total++;
	if (bundle_load(&in, ip) != 0 || bundle_load(&out, op) != 0) {
		printf("translator-status: %s: cannot load\n", base);
		CHECK(0);
		bundle_release(&in);
		bundle_release(&out);
		free(ip);
		free(op);
		return;
	}
	decode_policies(&in.os);
	eff_opts_init(&o);
	o.configmaps = in.cms;
	o.nconfigmaps = in.ncms;
	o.check_configmaps = true;
	effective_compute(&e, &in.os, &o);
	pols = bundle_list(out.root, "backendTrafficPolicies");
	sb_init(&got);
	sb_init(&want);
	for (i = 0; pols != NULL && i < pols->n && ok; i++) {
		p = pols->items[i];
		md = node_get(p, "metadata");
		ns = node_get_str(md, "namespace");
		name = s_or(node_get_str(md, "name"));
		if (ns == NULL)
			ns = "default";
		for (j = 0, nth = 0; j < i; j++)
			if (strcmp(s_or(node_get_str(node_get(pols->items[j], "metadata"),
			    "name")), name) == 0 && strcmp(s_or(node_get_str(node_get(
			    pols->items[j], "metadata"), "namespace")), ns) == 0)
				nth++;
		ep = find_policy(&e, ns, name, nth);
		sb_reset(&got);
		sb_reset(&want);
		canon_got(ep, &got);
		canon_want(node_path(p, "status.ancestors"), &want);
		if (strcmp(got.buf, want.buf) != 0) {
			ok = false;
			printf("translator-status: %s: policy %s/%s differs\n"
			    " want:\n%s got:\n%s", base, ns, name, want.buf, got.buf);
		}
	}
	CHECK(ok);
	if (ok)
		status_agree++;
	check_xds(base, &e, out.root);
	sb_release(&got);
	sb_release(&want);
	effective_release(&e);
	bundle_release(&in);
	bundle_release(&out);
	free(ip);
	free(op);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(translator_goldens)
{
	const char *root = getenv("ROOT");
	char *dir = xasprintf("%s/testdata/upstream/testdata", root ? root : ".");
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i, len;

	CHECK(d != NULL);
	if (d == NULL) {
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 8 || strcmp(de->d_name + len - 8, ".in.yaml") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrndup(de->d_name, len - 8);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		check_status(dir, names[i]);
		free(names[i]);
	}
	free(names);
	free(dir);
	printf("translator-status: %d/%d agree\n", status_agree, status_total);
	printf("translator-xds: %d/%d routes of %d files agree on the winning policy "
	    "and retry/timeout/loadBalancer/healthCheck/circuitBreaker (presence and values) and global rate limit rules\n", xds_agree,
	    xds_total, xds_files);
	CHECK(xds_total > 0);
	CHECK_INT(xds_agree, xds_total);
}

int
main(void)
{
	struct inputs in;
	struct docset ds;
	struct diags d;

	diags_init(&d);
	crd_spec = load_crd_spec(&in, &ds, &d);
	CHECK(crd_spec != NULL);
	RUN(translator_goldens);
	docset_release(&ds);
	inputs_release(&in);
	diags_release(&d);
	return unit_done("test_translator");
}
