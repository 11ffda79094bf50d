/*
 * test_effective.c: the effective engine's API on small estates: the facts
 * lint reads (targets not found or in another namespace, unknown
 * sectionName, conflicts and how they were decided, hidden fields,
 * HTTP-only fields on L4 routes, refused mergeType, seed spellings),
 * ordering by creationTimestamp, selectors with namespaces and
 * ReferenceGrants, ListenerSets, TCP/UDP field rules, and truncation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "effective.h"
#include "load.h"
#include "objects.h"
#include "unit.h"
#include "util.h"

struct estate {
	struct inputs	 in;
	struct docset	 ds;
	struct objset	 os;
	struct diags	 d;
	struct effective e;
};

#define GW \
    "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n" \
    "metadata: {name: eg, namespace: edge}\nspec:\n  listeners:\n" \
    "  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}\n" \
    "  - {name: tcp, protocol: TCP, port: 90, allowedRoutes: {namespaces: {from: All}}}\n" \
    "  - {name: udp, protocol: UDP, port: 53, allowedRoutes: {namespaces: {from: All}}}\n" \
    "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n" \
    "metadata: {name: web, namespace: app, labels: {tier: front}}\nspec:\n" \
    "  parentRefs: [{name: eg, namespace: edge}]\n" \
    "  rules: [{name: main, backendRefs: [{name: s, port: 80}]}]\n" \
    "---\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\n" \
    "metadata: {name: db, namespace: app}\nspec:\n" \
    "  parentRefs: [{name: eg, namespace: edge, sectionName: tcp}]\n" \
    "  rules: [{backendRefs: [{name: pg, port: 5432}]}]\n" \
    "---\napiVersion: gateway.networking.k8s.io/v1alpha2\nkind: UDPRoute\n" \
    "metadata: {name: dns, namespace: app}\nspec:\n" \
    "  parentRefs: [{name: eg, namespace: edge, sectionName: udp}]\n" \
    "  rules: [{backendRefs: [{name: cd, port: 53}]}]\n"

#define BTP(ns, name, extra) \
    "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n" \
    "metadata: {name: " name ", namespace: " ns "}\nspec:\n" extra

#define REF(kind, name) \
    "  targetRefs: [{group: gateway.networking.k8s.io, kind: " kind ", name: " name "}]\n"

static void
load(struct estate *s, const char *text)
{
	struct load_opts lo;
	struct eff_opts o;

	memset(s, 0, sizeof(*s));
	load_opts_init(&lo);
	inputs_init(&s->in);
	docset_init(&s->ds);
	objset_init(&s->os);
	diags_init(&s->d);
	inputs_add_bytes(&s->in, "t.yaml", xstrdup(text), strlen(text));
	CHECK(docset_load(&s->ds, &s->in, &lo, &s->d) == 0);
	objset_add_docs(&s->os, &s->ds, &s->d, false);
	eff_opts_init(&o);
	effective_compute(&s->e, &s->os, &o);
}

static void
release(struct estate *s)
{
	effective_release(&s->e);
	diags_release(&s->d);
	objset_release(&s->os);
	docset_release(&s->ds);
	inputs_release(&s->in);
}

static const struct eff_fact *
fact(const struct estate *s, enum eff_fact_kind k, const char *policy)
{
	size_t i;

	for (i = 0; i < s->e.nfacts; i++)
		if (s->e.facts[i].kind == k && (policy == NULL ||
		    strcmp(s->e.facts[i].policy->obj->name, policy) == 0))
			return &s->e.facts[i];
	return NULL;
}

static const struct eff_policy *
pol(const struct estate *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->e.npolicies; i++)
		if (strcmp(s->e.policies[i].obj->name, name) == 0)
			return &s->e.policies[i];
	return NULL;
}

static const struct eff_route *
row(const struct estate *s, const char *route, const char *listener)
{
	size_t i;

	for (i = 0; i < s->e.nroutes; i++)
		if (strcmp(s->e.routes[i].route->name, route) == 0 &&
		    strcmp(s->e.routes[i].listener, listener) == 0)
			return &s->e.routes[i];
	return NULL;
}

static const char *
cond(const struct eff_policy *p, size_t anc, const char *type, const char **reason)
{
	size_t j;

	if (p == NULL || anc >= p->nancestors)
		return NULL;
	for (j = 0; j < p->ancestors[anc].nconds; j++)
		if (strcmp(p->ancestors[anc].conds[j].type, type) == 0) {
			if (reason)
				*reason = p->ancestors[anc].conds[j].reason;
			return p->ancestors[anc].conds[j].message;
		}
	return NULL;
}

TEST(targets_and_sections)
{
	struct estate s;
	const struct eff_fact *f;

	load(&s, GW
	    BTP("app", "missing", REF("HTTPRoute", "nope") "  retry: {numRetries: 1}\n")
	    BTP("other", "elsewhere", REF("HTTPRoute", "web") "  retry: {numRetries: 1}\n")
	    BTP("app", "badrule", "  targetRefs: [{group: gateway.networking.k8s.io, "
	    "kind: HTTPRoute, name: web, sectionName: nope}]\n"));
	f = fact(&s, EFF_FACT_TARGET_NOT_FOUND, "missing");
	CHECK(f != NULL && strcmp(f->target_name, "nope") == 0 && f->at->loc.line > 0);
	f = fact(&s, EFF_FACT_TARGET_OTHER_NS, "elsewhere");
	CHECK(f != NULL && strcmp(f->target_ns, "other") == 0);
	CHECK(pol(&s, "missing")->nancestors == 0);
	f = fact(&s, EFF_FACT_UNKNOWN_SECTION, "badrule");
	CHECK(f != NULL && strcmp(f->section, "nope") == 0);
	CHECK(cond(pol(&s, "badrule"), 0, "Accepted", NULL) != NULL &&
	    strcmp(cond(pol(&s, "badrule"), 0, "Accepted", NULL),
	    "No section name nope found for HTTPRoute app/web") == 0);
	release(&s);
}

TEST(conflicts_by_timestamp_and_by_order)
{
	struct estate s;
	const struct eff_fact *f;
	const char *reason = NULL;

	/* younger listed first: the older one wins */
	load(&s, GW
	    BTP("app", "young", REF("HTTPRoute", "web") "  retry: {numRetries: 1}\n")
	    BTP("app", "old", REF("HTTPRoute", "web") "  retry: {numRetries: 2}\n"));
	f = fact(&s, EFF_FACT_CONFLICT, NULL);
	CHECK(f != NULL && f->by_input_order);
	CHECK(f != NULL && strcmp(f->policy->obj->name, "old") == 0);
	release(&s);

	load(&s, GW
	    "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
	    "metadata: {name: young, namespace: app, creationTimestamp: '2024-05-01T00:00:00Z'}\n"
	    "spec:\n" REF("HTTPRoute", "web") "  retry: {numRetries: 1}\n"
	    "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
	    "metadata: {name: old, namespace: app, creationTimestamp: '2023-05-01T00:00:00Z'}\n"
	    "spec:\n" REF("HTTPRoute", "web") "  retry: {numRetries: 2}\n");
	f = fact(&s, EFF_FACT_CONFLICT, NULL);
	CHECK(f != NULL && !f->by_input_order);
	CHECK(f != NULL && strcmp(f->policy->obj->name, "young") == 0 &&
	    strcmp(f->other->obj->name, "old") == 0);
	CHECK(cond(pol(&s, "young"), 0, "Accepted", &reason) != NULL &&
	    strcmp(reason, "Conflicted") == 0);
	CHECK(row(&s, "web", "http")->npolicies == 1 &&
	    strcmp(row(&s, "web", "http")->policies[0]->obj->name, "old") == 0);
	release(&s);
}

TEST(hidden_fields_and_merge)
{
	struct estate s;
	const struct eff_route *r;
	const struct eff_fact *f;

	load(&s, GW
	    BTP("edge", "gw", REF("Gateway", "eg") "  retry: {numRetries: 4}\n"
	    "  timeout: {tcp: {connectTimeout: 3s}}\n")
	    BTP("app", "route", REF("HTTPRoute", "web") "  loadBalancer: {type: Random}\n"));
	f = fact(&s, EFF_FACT_HIDDEN_FIELDS, "route");
	CHECK(f != NULL && strcmp(f->other->obj->name, "gw") == 0);
	r = row(&s, "web", "http");
	CHECK(r != NULL && r->hidden != NULL && node_get(r->spec, "retry") == NULL);
	release(&s);

	load(&s, GW
	    BTP("edge", "gw", REF("Gateway", "eg") "  retry: {numRetries: 4}\n")
	    BTP("app", "route", REF("HTTPRoute", "web") "  mergeType: JSONMerge\n"
	    "  loadBalancer: {type: Random}\n"));
	CHECK(fact(&s, EFF_FACT_HIDDEN_FIELDS, NULL) == NULL);
	r = row(&s, "web", "http");
	CHECK(r != NULL && r->npolicies == 2 && node_path(r->spec, "retry.numRetries") &&
	    node_path(r->spec, "retry.numRetries")->i == 4);
	CHECK(r != NULL && r->nsources == 2 && r->sources[0].policy != NULL);
	/* Merged goes on the per-listener ancestor (eg/http), made first */
	CHECK(cond(pol(&s, "route"), 0, "Merged", NULL) != NULL &&
	    strcmp(pol(&s, "route")->ancestors[0].section, "http") == 0);
	release(&s);

	load(&s, GW
	    BTP("edge", "gw", REF("Gateway", "eg") "  retry: {numRetries: 4}\n")
	    BTP("app", "route", REF("HTTPRoute", "web") "  mergeType: Replace\n"));
	CHECK(fact(&s, EFF_FACT_MERGE_INVALID, "route") != NULL);
	CHECK(cond(pol(&s, "route"), 0, "Accepted", NULL) != NULL && strcmp(cond(pol(&s,
	    "route"), 0, "Accepted", NULL), "Error merging policies: unsupported "
	    "merge type: Replace.") == 0);
	release(&s);
}

TEST(l4_routes)
{
	struct estate s;
	const struct eff_route *r;

	load(&s, GW
	    BTP("edge", "gw", REF("Gateway", "eg") "  loadBalancer: {type: Random}\n"
	    "  circuitBreaker: {maxConnections: 9}\n  connection: {bufferLimit: 1Mi}\n"
	    "  dns: {dnsRefreshRate: 9s}\n")
	    BTP("app", "db", REF("TCPRoute", "db") "  timeout: {tcp: {connectTimeout: 1s}}\n"
	    "  retry: {numRetries: 3}\n")
	    BTP("app", "dns", REF("UDPRoute", "dns") "  timeout: {tcp: {connectTimeout: 1s}}\n"));
	r = row(&s, "db", "tcp");
	CHECK(r != NULL && r->npolicies == 2);
	CHECK(r != NULL && node_get(r->spec, "timeout") && node_get(r->spec, "loadBalancer") &&
	    node_get(r->spec, "circuitBreaker") && !node_get(r->spec, "retry"));
	/* connection only from route-level policies on TCP routes */
	CHECK(r != NULL && node_get(r->spec, "connection") == NULL);
	CHECK(fact(&s, EFF_FACT_HTTP_ONLY_ON_L4, "db") != NULL &&
	    strcmp(fact(&s, EFF_FACT_HTTP_ONLY_ON_L4, "db")->path, "spec.retry") == 0);
	r = row(&s, "dns", "udp");
	CHECK(r != NULL && node_get(r->spec, "loadBalancer") && node_get(r->spec, "dns") &&
	    !node_get(r->spec, "timeout") && !node_get(r->spec, "circuitBreaker"));
	CHECK(fact(&s, EFF_FACT_HTTP_ONLY_ON_L4, "dns") != NULL);
	release(&s);

	/* also when the route is attached nowhere */
	load(&s, "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\n"
	    "metadata: {name: lone, namespace: app}\nspec: {}\n"
	    BTP("app", "lone", REF("TCPRoute", "lone") "  compressor: [{type: Gzip}]\n"));
	CHECK(s.e.nroutes == 0 && fact(&s, EFF_FACT_HTTP_ONLY_ON_L4, "lone") != NULL);
	release(&s);
}

TEST(selectors_and_grants)
{
	struct estate s;

	/* Selector across namespaces needs a ReferenceGrant in the target's */
	load(&s, GW
	    "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: app, labels: {env: prod}}\n"
	    BTP("ops", "sel", "  targetSelectors:\n  - kind: HTTPRoute\n"
	    "    matchExpressions: [{key: tier, operator: In, values: [front]}]\n"
	    "    namespaces: {from: Selector, selector: {matchLabels: {env: prod}}}\n"
	    "  retry: {numRetries: 1}\n"));
	CHECK(pol(&s, "sel")->ntargets == 0);
	release(&s);
	load(&s, GW
	    "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: app, labels: {env: prod}}\n"
	    "---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\n"
	    "metadata: {name: g, namespace: app}\nspec:\n"
	    "  from: [{group: gateway.envoyproxy.io, kind: BackendTrafficPolicy, namespace: ops}]\n"
	    "  to: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]\n"
	    BTP("ops", "sel", "  targetSelectors:\n  - kind: HTTPRoute\n"
	    "    matchExpressions: [{key: tier, operator: In, values: [front]}]\n"
	    "    namespaces: {from: Selector, selector: {matchLabels: {env: prod}}}\n"
	    "  retry: {numRetries: 1}\n"));
	CHECK(pol(&s, "sel")->ntargets == 1 && pol(&s, "sel")->targets[0].from_selector);
	CHECK(row(&s, "web", "http")->npolicies == 1);
	release(&s);
}

TEST(listenersets)
{
	struct estate s;
	const struct eff_route *r;

	load(&s, GW
	    "---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\n"
	    "metadata: {name: ls, namespace: edge}\nspec:\n  parentRef: {name: eg}\n"
	    "  listeners: [{name: extra, protocol: HTTP, port: 81, allowedRoutes: "
	    "{namespaces: {from: All}}}]\n"
	    "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	    "metadata: {name: onls, namespace: app}\nspec:\n"
	    "  parentRefs: [{kind: ListenerSet, name: ls, namespace: edge}]\n"
	    "  rules: [{backendRefs: [{name: s, port: 80}]}]\n"
	    BTP("edge", "gwl", "  targetRefs: [{group: gateway.networking.k8s.io, "
	    "kind: Gateway, name: eg, sectionName: http}]\n  retry: {numRetries: 1}\n")
	    BTP("edge", "gw", REF("Gateway", "eg") "  retry: {numRetries: 2}\n"));
	r = row(&s, "onls", "extra");
	CHECK(r != NULL && strcmp(eff_route_key(&s.e, r), "Gateway edge/eg ListenerSet "
	    "edge/ls listener extra HTTPRoute app/onls rule 0") == 0);
	/* a Gateway-listener policy never reaches ListenerSet listeners */
	CHECK(r != NULL && r->listenerset != NULL && r->npolicies == 1 &&
	    strcmp(r->policies[0]->obj->name, "gw") == 0);
	release(&s);
}

TEST(seed_spelling)
{
	struct estate s;
	const struct eff_route *r;

	load(&s, GW BTP("app", "seed", REF("HTTPRoute", "web")
	    "  retry:\n    numRetries: 2\n    perRetryTimeout: 2s\n"));
	r = row(&s, "web", "http");
	CHECK(fact(&s, EFF_FACT_SEED_SPELLING, "seed") != NULL);
	CHECK(r != NULL && node_path(r->spec, "retry.perRetry.timeout") != NULL &&
	    node_path(r->spec, "retry.perRetryTimeout") == NULL);
	release(&s);
}

TEST(truncation)
{
	struct strbuf sb;
	struct estate s;
	const struct eff_policy *p;
	int i;

	sb_init(&sb);
	sb_adds(&sb, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	    "metadata: {name: wide, namespace: app}\nspec:\n  parentRefs:\n");
	for (i = 0; i < 20; i++)
		sb_printf(&sb, "  - {name: g%02d, namespace: app}\n", i);
	sb_adds(&sb, "  rules: [{backendRefs: [{name: s, port: 80}]}]\n");
	for (i = 0; i < 20; i++)
		sb_printf(&sb, "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
		    "metadata: {name: g%02d, namespace: app}\nspec:\n  listeners: "
		    "[{name: http, protocol: HTTP, port: 80}]\n", i);
	sb_adds(&sb, BTP("app", "wide", REF("HTTPRoute", "wide") "  retry: {numRetries: 1}\n"));
	load(&s, sb.buf);
	p = pol(&s, "wide");
	CHECK(p != NULL && p->nancestors == EFF_MAX_ANCESTORS);
	CHECK(cond(p, EFF_MAX_ANCESTORS - 1, "Aggregated", NULL) != NULL);
	CHECK(cond(p, 0, "Aggregated", NULL) == NULL);
	release(&s);
	sb_release(&sb);
}

TEST(objset_index)
{
	struct strbuf sb;
	struct estate s;
	const struct object *o;
	int i, bad = 0;

	sb_init(&sb);
	for (i = 0; i < 300; i++)
		sb_printf(&sb, "---\napiVersion: gateway.networking.k8s.io/v1\nkind: "
		    "HTTPRoute\nmetadata: {name: r%d, namespace: ns%d}\nspec: {}\n", i,
		    i % 7);
	sb_adds(&sb, "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	    "metadata: {name: r5, namespace: ns5}\nspec: {dup: true}\n"
	    "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
	    "metadata: {name: r5}\nspec: {}\n");
	load(&s, sb.buf);
	for (i = 0; i < 300; i++) {
		char ns[16], name[16];

		snprintf(ns, sizeof(ns), "ns%d", i % 7);
		snprintf(name, sizeof(name), "r%d", i);
		o = objset_find(&s.os, OBJ_HTTPROUTE, ns, name);
		if (o == NULL || o->order != (size_t)i)
			bad++;
	}
	CHECK_INT(bad, 0);
	/* the first of duplicates; other kinds and namespaces apart */
	o = objset_find(&s.os, OBJ_HTTPROUTE, "ns5", "r5");
	CHECK(o != NULL && node_get(o->spec, "dup") == NULL);
	CHECK(objset_find(&s.os, OBJ_GATEWAY, "default", "r5") != NULL);
	CHECK(objset_find(&s.os, OBJ_HTTPROUTE, "ns4", "r5") == NULL);
	CHECK(objset_find(&s.os, OBJ_TCPROUTE, "ns5", "r5") == NULL);
	release(&s);
	sb_release(&sb);
}

int
main(void)
{
	RUN(objset_index);
	RUN(targets_and_sections);
	RUN(conflicts_by_timestamp_and_by_order);
	RUN(hidden_fields_and_merge);
	RUN(l4_routes);
	RUN(selectors_and_grants);
	RUN(listenersets);
	RUN(seed_spelling);
	RUN(truncation);
	return unit_done("test_effective");
}
