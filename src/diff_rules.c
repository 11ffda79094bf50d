/*
 * diff_rules.c: what the object diff knows about fields beyond the CRD:
 * which lists are sets or keyed by which members, which fields compare
 * without case, which defaults apply besides the CRD's `default:` keys
 * (upstream-api.md section d), which absent blocks mean "all defaults",
 * and which fields the API server owns (never a change).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diff_int.h"
#include "gen/embedded.h"
#include "load.h"
#include "util.h"

/*
 * Lists by schema path (items as "[]").  Keys name map members joined by
 * ","; "member=value" gives the value an absent member stands for.  The
 * CRD's x-kubernetes-list-type set/map is honoured as well (see
 * diff_list_rule()).
 */
static const struct list_rule list_rules[] = {
	{ "spec.targetRefs", LIST_KEYED, "group=gateway.networking.k8s.io,kind,name,sectionName", false },
	{ "spec.targetRef", LIST_POSITION, NULL, false },
	{ "spec.retry.retryOn.triggers", LIST_SET, NULL, false },
	{ "spec.retry.retryOn.httpStatusCodes", LIST_SET, NULL, false },
	{ "spec.healthCheck.active.http.expectedStatuses", LIST_SET, NULL, false },
	{ "spec.healthCheck.active.http.retriableStatuses", LIST_SET, NULL, false },
	{ "spec.admissionControl.successCriteria.http.statusCodes", LIST_SET, NULL, false },
	{ "spec.admissionControl.successCriteria.grpc.statusCodes", LIST_SET, NULL, false },
	/* the hash of several hash policies depends on their order */
	{ "spec.loadBalancer.consistentHash.headers", LIST_KEYED, "name", true },
	{ "spec.loadBalancer.consistentHash.queryParams", LIST_KEYED, "name", true },
	{ "spec.loadBalancer.endpointOverride.extractFrom", LIST_KEYED, "header", true },
	{ "spec.rateLimit.global.rules[].clientSelectors[].headers", LIST_KEYED, "name", false },
	{ "spec.rateLimit.local.rules[].clientSelectors[].headers", LIST_KEYED, "name", false },
	{ "spec.rateLimit.global.rules[].clientSelectors[].queryParams", LIST_KEYED, "name", false },
	{ "spec.rateLimit.local.rules[].clientSelectors[].queryParams", LIST_KEYED, "name", false },
	{ "spec.responseOverride[].match.responseHeaders", LIST_KEYED, "name", false },
	/* first entry is the preferred one */
	{ "spec.compressor", LIST_KEYED, "type", true },
	{ "spec.compression", LIST_KEYED, "type", true },
	{ "spec.httpUpgrade", LIST_KEYED, "type", false },
	/* Gateway API objects */
	{ "spec.parentRefs", LIST_KEYED, "group=gateway.networking.k8s.io,kind=Gateway,namespace,name,sectionName,port", false },
	{ "spec.listeners", LIST_KEYED, "name", false },
	{ "spec.hostnames", LIST_SET, NULL, false },
	{ "spec.rules", LIST_KEYED, "name", false },
	{ "spec.rules[].backendRefs", LIST_KEYED, "group,kind=Service,namespace,name,port", false },
	{ "spec.rules[].matches[].headers", LIST_KEYED, "name", false },
	{ "spec.rules[].matches[].queryParams", LIST_KEYED, "name", false },
	{ "spec.from", LIST_KEYED, "group,kind,namespace", false },
	{ "spec.to", LIST_KEYED, "group,kind,name", false },
};

/* Fields whose values Envoy Gateway compares or normalises without case. */
static const char *const nocase_paths[] = {
	"spec.healthCheck.active.http.method",
	"spec.loadBalancer.consistentHash.headers[].name",
	"spec.loadBalancer.consistentHash.header.name",
	"spec.rateLimit.global.rules[].clientSelectors[].headers[].name",
	"spec.rateLimit.local.rules[].clientSelectors[].headers[].name",
	"spec.responseOverride[].response.header.add[].name",
	"spec.responseOverride[].response.header.set[].name",
	"spec.responseOverride[].response.header.remove[]",
};

/*
 * Defaults the CRD does not state (upstream-api.md section d), as a YAML
 * map from schema path to value.
 */
static const char extra_defaults_yaml[] =
	"spec.loadBalancer.type: LeastRequest\n"
	"spec.timeout.tcp.connectTimeout: 10s\n"
	"spec.timeout.http.connectionIdleTimeout: 1h\n"
	"spec.connection.bufferLimit: 32768\n"
	"spec.http2.initialStreamWindowSize: 65536\n"
	"spec.http2.initialConnectionWindowSize: 1048576\n"
	"spec.http2.onInvalidMessage: TerminateConnection\n"
	"spec.healthCheck.active.http.method: GET\n"
	"spec.healthCheck.active.http.expectedStatuses: [200]\n"
	"spec.tcpKeepalive.probes: 9\n"
	"spec.tcpKeepalive.idleTime: 7200s\n"
	"spec.tcpKeepalive.interval: 75s\n"
	"spec.dns.dnsRefreshRate: 30s\n"
	"spec.dns.respectDnsTtl: true\n"
	"spec.useClientProtocol: false\n"
	"spec.circuitBreaker.maxConnections: 1024\n"
	"spec.circuitBreaker.maxPendingRequests: 1024\n"
	"spec.circuitBreaker.maxParallelRequests: 1024\n"
	"spec.circuitBreaker.maxParallelRetries: 1024\n"
	"spec.compressor[].minContentLength: 30\n"
	"spec.compression[].minContentLength: 30\n";

/*
 * Blocks whose absence means every member takes its default, so that with
 * --ignore-defaults an absent block equals one that spells the defaults.
 * (Not retry or healthCheck: their presence switches a feature on.)
 */
static const char *const absent_is_default[] = {
	"spec.loadBalancer",
	"spec.circuitBreaker",
	"spec.timeout",
	"spec.timeout.http",
	"spec.timeout.tcp",
	"spec.connection",
	"spec.http2",
	"spec.dns",
};

/*
 * Fields the API server owns, that are not configuration, or that are
 * the identity the objects were matched by.
 */
static const char *const ignored_paths[] = {
	"status",
	"metadata.name",	/* identity: already matched */
	"metadata.namespace",
	"metadata.uid",
	"metadata.resourceVersion",
	"metadata.generation",
	"metadata.managedFields",
	"metadata.selfLink",
	"metadata.annotations.kubectl.kubernetes.io/last-applied-configuration",
};

static pthread_once_t	 schema_once = PTHREAD_ONCE_INIT;
static struct arena	*schema_arena;
static const struct node *btp_schema;	/* openAPIV3Schema of v1alpha1 */
static const struct node *extra_defaults;

static bool
in_list(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void
schema_load(void)
{
	const struct embedded_file *f;
	struct node *crd, *versions, *v;
	size_t i;

	schema_arena = arena_new();
	for (f = embedded_files; f->name != NULL; f++)
		if (strcmp(f->name,
		    "gateway.envoyproxy.io_backendtrafficpolicies.v1.9.0.yaml") == 0)
			break;
	if (f->name == NULL)
		fatal("diff: the embedded BackendTrafficPolicy CRD is missing");
	crd = load_string(schema_arena, f->name, (const char *)f->data, NULL);
	versions = node_path(crd, "spec.versions");
	for (i = 0; versions != NULL && i < versions->n; i++) {
		v = versions->items[i];
		if (v->kind == NODE_MAP && node_get_str(v, "name") != NULL &&
		    strcmp(node_get_str(v, "name"), "v1alpha1") == 0)
			btp_schema = node_path(v, "schema.openAPIV3Schema");
	}
	if (btp_schema == NULL)
		fatal("diff: the embedded CRD has no v1alpha1 schema");
	extra_defaults = load_string(schema_arena, "<diff defaults>",
	    extra_defaults_yaml, NULL);
	if (extra_defaults == NULL || extra_defaults->kind != NODE_MAP)
		fatal("diff: bad built-in defaults");
}

const struct node *
diff_btp_schema(void)
{
	pthread_once(&schema_once, schema_load);
	return btp_schema;
}

const struct node *
diff_schema_child(const struct node *schema, const char *key)
{
	struct node *props, *ap;

	if (schema == NULL)
		return NULL;
	if ((props = node_get(schema, "properties")) != NULL &&
	    (props = node_get(props, key)) != NULL)
		return props;
	if ((ap = node_get(schema, "additionalProperties")) != NULL &&
	    ap->kind == NODE_MAP)
		return ap;
	return NULL;
}

const struct node *
diff_schema_items(const struct node *schema)
{
	return schema != NULL ? node_get(schema, "items") : NULL;
}

const struct node *
diff_schema_at(const char *spath)
{
	const struct node *s = diff_btp_schema();
	char buf[512];
	char *p, *dot;

	if (spath == NULL || strlen(spath) >= sizeof(buf))
		return NULL;
	memcpy(buf, spath, strlen(spath) + 1);
	for (p = buf; s != NULL && *p != '\0'; p = dot) {
		if (strncmp(p, "[]", 2) == 0) {
			s = diff_schema_items(s);
			dot = p + 2;
			if (*dot == '.')
				dot++;
			continue;
		}
		dot = p + strcspn(p, ".[");
		if (*dot == '.') {
			*dot++ = '\0';
			s = diff_schema_child(s, p);
		} else if (*dot == '[') {
			*dot = '\0';
			s = diff_schema_child(s, p);
			*dot = '[';
		} else
			s = diff_schema_child(s, p);
	}
	return s;
}

struct list_rule
diff_list_rule(const char *spath, const struct node *schema)
{
	struct list_rule r = { spath, LIST_POSITION, NULL, false };
	const char *t;
	size_t i;

	for (i = 0; i < nitems(list_rules); i++)
		if (strcmp(list_rules[i].path, spath) == 0)
			return list_rules[i];
	if (schema == NULL)
		return r;
	t = node_get_str(schema, "x-kubernetes-list-type");
	if (t != NULL && strcmp(t, "set") == 0)
		r.mode = LIST_SET;
	else if (t != NULL && strcmp(t, "map") == 0) {
		const struct node *keys = node_get(schema, "x-kubernetes-list-map-keys");

		/* the CRD lists one key everywhere it declares a map list */
		if (keys != NULL && keys->kind == NODE_SEQ && keys->n == 1 &&
		    keys->items[0]->kind == NODE_STRING) {
			r.mode = LIST_KEYED;
			r.keys = keys->items[0]->str;
		}
	}
	return r;
}

bool
diff_nocase(const char *spath)
{
	return in_list(nocase_paths, nitems(nocase_paths), spath);
}

const struct node *
diff_default(const struct node *schema, const char *spath)
{
	const struct node *d;

	if (schema != NULL && (d = node_get(schema, "default")) != NULL)
		return d;
	diff_btp_schema();
	return node_get(extra_defaults, spath);
}

bool
diff_absent_is_default(const char *spath)
{
	return in_list(absent_is_default, nitems(absent_is_default), spath);
}

bool
diff_ignored_member(const char *parent, const char *key)
{
	char buf[256];

	if ((size_t)snprintf(buf, sizeof(buf), "%s.%s", parent, key) >= sizeof(buf))
		return false;
	return diff_ignored(buf);
}

bool
diff_ignored(const char *spath)
{
	/* all of them are status or metadata members */
	if (spath[0] != 's' && spath[0] != 'm')
		return false;
	return in_list(ignored_paths, nitems(ignored_paths), spath);
}
