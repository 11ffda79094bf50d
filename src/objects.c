/*
 * objects.c: see objects.h.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "objects.h"
#include "util.h"

static const struct {
	enum obj_type	 type;
	const char	*group;
	const char	*kind;
} known[] = {
	{ OBJ_BTP, "gateway.envoyproxy.io", "BackendTrafficPolicy" },
	{ OBJ_GATEWAY, "gateway.networking.k8s.io", "Gateway" },
	{ OBJ_LISTENERSET, "gateway.networking.k8s.io", "ListenerSet" },
	{ OBJ_LISTENERSET, "gateway.networking.x-k8s.io", "XListenerSet" },
	{ OBJ_LISTENERSET, "gateway.networking.x-k8s.io", "ListenerSet" },
	{ OBJ_HTTPROUTE, "gateway.networking.k8s.io", "HTTPRoute" },
	{ OBJ_GRPCROUTE, "gateway.networking.k8s.io", "GRPCRoute" },
	{ OBJ_TCPROUTE, "gateway.networking.k8s.io", "TCPRoute" },
	{ OBJ_TLSROUTE, "gateway.networking.k8s.io", "TLSRoute" },
	{ OBJ_UDPROUTE, "gateway.networking.k8s.io", "UDPRoute" },
	{ OBJ_REFERENCEGRANT, "gateway.networking.k8s.io", "ReferenceGrant" },
	{ OBJ_NAMESPACE, "", "Namespace" },
};

void
objset_init(struct objset *os)
{
	memset(os, 0, sizeof(*os));
}

void
objset_release(struct objset *os)
{
	free(os->idx);
	free(os->v);
	memset(os, 0, sizeof(*os));
}

const char *
obj_type_kind(enum obj_type t)
{
	size_t i;

	for (i = 0; i < nitems(known); i++)
		if (known[i].type == t)
			return known[i].kind;
	return "?";
}

/* Does apiVersion name the given group ("" = the core group)? */
static bool
in_group(const char *api_version, const char *group)
{
	const char *slash = strchr(api_version, '/');
	size_t n;

	if (slash == NULL)
		return group[0] == '\0';
	n = (size_t)(slash - api_version);
	return strlen(group) == n && strncmp(api_version, group, n) == 0;
}

static size_t
obj_hash(enum obj_type t, const char *ns, const char *name)
{
	size_t h = (size_t)14695981039346656037ULL ^ (size_t)t;
	const char *p;

	for (p = ns; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * (size_t)1099511628211ULL;
	h = (h ^ 0x1f) * (size_t)1099511628211ULL;
	for (p = name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * (size_t)1099511628211ULL;
	return h;
}

static bool
obj_is(const struct object *o, enum obj_type t, const char *ns, const char *name)
{
	return o->type == t && strcmp(object_ns(o), ns) == 0 &&
	    strcmp(o->name, name) == 0;
}

/* Make room in the index for n objects in all. */
static void
index_grow(struct objset *os, size_t n)
{
	struct objset_slot *nidx;
	size_t j, k, ncap = os->idxcap ? os->idxcap : 8;

	while (n * 2 > ncap)
		ncap *= 2;
	if (ncap == os->idxcap)
		return;
	nidx = xcalloc(ncap, sizeof(*nidx));
	for (j = 0; j < os->idxcap; j++) {
		if (os->idx[j].i == 0)
			continue;
		for (k = os->idx[j].hash & (ncap - 1); nidx[k].i != 0; k = (k + 1) & (ncap - 1))
			;
		nidx[k] = os->idx[j];
	}
	free(os->idx);
	os->idx = nidx;
	os->idxcap = ncap;
}

/* Index v[i] unless an object with its key is indexed already. */
static void
index_object(struct objset *os, size_t i)
{
	const struct object *o = &os->v[i];
	size_t h, k;

	index_grow(os, os->n + 1);
	h = obj_hash(o->type, object_ns(o), o->name);
	for (k = h & (os->idxcap - 1); os->idx[k].i != 0; k = (k + 1) & (os->idxcap - 1))
		if (os->idx[k].hash == h &&
		    obj_is(&os->v[os->idx[k].i - 1], o->type, object_ns(o), o->name))
			return;
	os->idx[k].hash = h;
	os->idx[k].i = i + 1;
}

void
objset_reserve(struct objset *os, size_t n)
{
	if (n > os->cap) {
		os->cap = n;
		os->v = xreallocarray(os->v, os->cap, sizeof(*os->v));
	}
	index_grow(os, n);
}

/* Room for one more object, zeroed, with its input order set. */
static struct object *
new_object(struct objset *os)
{
	struct object *o;

	if (os->n == os->cap) {
		/* small at first: most sets hold one document's objects */
		os->cap = os->cap ? os->cap * 2 : 4;
		os->v = xreallocarray(os->v, os->cap, sizeof(*os->v));
	}
	o = &os->v[os->n];
	memset(o, 0, sizeof(*o));
	o->order = os->n;
	return o;
}

static void
add_object(struct objset *os, const struct doc *doc, struct node *root,
    struct diags *d, bool verbose)
{
	const char *kind = node_get_str(root, "kind");
	const char *apiv = node_get_str(root, "apiVersion");
	struct object *o;
	struct node *items;
	size_t i;

	if (root->kind != NODE_MAP || kind == NULL) {
		os->skipped++;
		if (verbose)
			diag_add(d, SEV_INFO, "skip", &root->loc,
			    "skipped: not a Kubernetes object (no kind)");
		return;
	}
	if (str_has_suffix(kind, "List") && (items = node_get(root, "items")) != NULL &&
	    items->kind == NODE_SEQ) {
		for (i = 0; i < items->n; i++)
			add_object(os, doc, items->items[i], d, verbose);
		return;
	}
	for (i = 0; i < nitems(known); i++)
		if (strcmp(kind, known[i].kind) == 0 &&
		    in_group(apiv ? apiv : "", known[i].group))
			break;
	if (i == nitems(known)) {
		os->skipped++;
		if (verbose)
			diag_add(d, SEV_INFO, "skip", &root->loc,
			    "skipped: %s of %s is not used by btpctl", kind,
			    apiv ? apiv : "no apiVersion");
		return;
	}
	o = new_object(os);
	o->type = known[i].type;
	o->api_version = apiv;
	o->group = known[i].group;
	o->kind = kind;
	o->root = root;
	o->metadata = node_get(root, "metadata");
	o->spec = node_get(root, "spec");
	o->ns = node_get_str(o->metadata, "namespace");
	if (o->ns == NULL)
		o->ns = "";
	o->name = node_get_str(o->metadata, "name");
	if (o->name == NULL)
		o->name = "";
	o->doc = doc;
	os->n++;
	index_object(os, os->n - 1);
}

void
objset_push(struct objset *os, const struct object *o, const struct doc *doc)
{
	struct object *c = new_object(os);

	*c = *o;
	c->doc = doc;
	c->order = os->n;
	os->n++;
	index_object(os, os->n - 1);
}

void
objset_add_doc(struct objset *os, const struct doc *doc, struct diags *d,
    bool verbose)
{
	if (doc->root != NULL)
		add_object(os, doc, doc->root, d, verbose);
}

void
objset_add_docs(struct objset *os, const struct docset *ds, struct diags *d,
    bool verbose)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		objset_add_doc(os, &ds->v[i], d, verbose);
}

const char *
object_ns(const struct object *o)
{
	return o->ns[0] != '\0' ? o->ns : "default";
}

const char *
object_timestamp(const struct object *o)
{
	return node_get_str(o->metadata, "creationTimestamp");
}

struct object *
objset_find(const struct objset *os, enum obj_type t, const char *ns,
    const char *name)
{
	size_t h, k;

	if (os->idxcap == 0)
		return NULL;
	h = obj_hash(t, ns, name);
	for (k = h & (os->idxcap - 1); os->idx[k].i != 0; k = (k + 1) & (os->idxcap - 1))
		if (os->idx[k].hash == h && obj_is(&os->v[os->idx[k].i - 1], t, ns, name))
			return &os->v[os->idx[k].i - 1];
	return NULL;
}
