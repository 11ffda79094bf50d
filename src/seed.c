/*
 * seed.c: the table of seed spellings (see seed.h), the inference of the
 * values the description leaves out, and seed_check(), a table-driven walk
 * over a policy that reports every spelling it finds.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "node.h"
#include "objects.h"
#include "seed.h"
#include "util.h"

/*
 * Derived from docs/upstream-api.md §a (the field table and its list of
 * seed fields without an upstream counterpart) and DESIGN.md §4.  Fields
 * the description spells as upstream does (dns.*, http2.*,
 * timeout.http.streamIdleTimeout, tcpKeepalive.*...) are not here.
 */
static const struct seed_fix fixes[] = {
	{ "spec.loadBalancer.type", "Maglev",
	  "spec.loadBalancer.type", "ConsistentHash",
	  "Envoy Gateway's ConsistentHash is Envoy's Maglev load balancer; "
	  "it also needs consistentHash.type" },
	{ "spec.loadBalancer.consistentHash.cookie.path", NULL, NULL, NULL,
	  "hash cookies have only name, ttl and attributes" },
	{ "spec.circuitBreaker.maxRequests", NULL,
	  "spec.circuitBreaker.maxParallelRequests", NULL,
	  "renamed upstream" },
	{ "spec.circuitBreaker.maxRetries", NULL,
	  "spec.circuitBreaker.maxParallelRetries", NULL,
	  "renamed upstream" },
	{ "spec.circuitBreaker.maxConnectionPools", NULL, NULL, NULL,
	  "Envoy Gateway does not expose Envoy's connection pool limit" },
	{ "spec.healthCheck.active.type", "",
	  "spec.healthCheck.active.type", NULL,
	  "upstream requires HTTP, TCP or GRPC beside the matching block" },
	{ "spec.healthCheck.active.http.expectedResponse.type", "",
	  "spec.healthCheck.active.http.expectedResponse.type", NULL,
	  "upstream requires Text or Binary beside the payload" },
	{ "spec.healthCheck.passive.consecutive5xxErrors", NULL,
	  "spec.healthCheck.passive.consecutive5XxErrors", NULL,
	  "keys are case-sensitive: a capital X upstream" },
	{ "spec.connection.connectionLimit", NULL, NULL, NULL,
	  "connection limits belong to ClientTrafficPolicy "
	  "spec.connection.connectionLimit" },
	{ "spec.connection.connectionLimit.value", NULL, NULL, NULL,
	  "connection limits belong to ClientTrafficPolicy "
	  "spec.connection.connectionLimit" },
	{ "spec.connection.connectionLimit.closeDelay", NULL, NULL, NULL,
	  "connection limits belong to ClientTrafficPolicy "
	  "spec.connection.connectionLimit" },
	{ "spec.retry.perRetryTimeout", NULL,
	  "spec.retry.perRetry.timeout", NULL,
	  "the per-try timeout moved under retry.perRetry" },
	{ "spec.retry.backoff", NULL,
	  "spec.retry.perRetry.backOff", NULL,
	  "the back-off moved under retry.perRetry, spelled backOff" },
	{ "spec.retry.backoff.baseInterval", NULL,
	  "spec.retry.perRetry.backOff.baseInterval", NULL,
	  "the back-off moved under retry.perRetry, spelled backOff" },
	{ "spec.retry.backoff.maxInterval", NULL,
	  "spec.retry.perRetry.backOff.maxInterval", NULL,
	  "the back-off moved under retry.perRetry, spelled backOff" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct seed_fix *
seed_table(void)
{
	return fixes;
}

const struct seed_fix *
seed_lookup(const char *path, const char *value)
{
	size_t i;

	if (path == NULL)
		return NULL;
	for (i = 0; fixes[i].path != NULL; i++) {
		if (strcmp(fixes[i].path, path) != 0)
			continue;
		if ((fixes[i].value == NULL) != (value == NULL))
			continue;
		if (value != NULL && strcmp(fixes[i].value, value) != 0)
			continue;
		return &fixes[i];
	}
	return NULL;
}

bool
seed_prefix(const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; fixes[i].path != NULL; i++)
		if (strncmp(fixes[i].path, path, n) == 0 &&
		    (fixes[i].path[n] == '\0' || fixes[i].path[n] == '.'))
			return true;
	return false;
}

const char *
seed_missing_value(const struct seed_fix *fix, const struct node *parent)
{
	if (fix == NULL || fix->value == NULL || fix->value[0] != '\0' ||
	    parent == NULL || parent->kind != NODE_MAP)
		return NULL;
	if (str_has_suffix(fix->path, "active.type")) {
		if (node_get(parent, "http") != NULL)
			return "HTTP";
		if (node_get(parent, "tcp") != NULL)
			return "TCP";
		if (node_get(parent, "grpc") != NULL)
			return "GRPC";
		return NULL;
	}
	if (str_has_suffix(fix->path, "expectedResponse.type")) {
		if (node_get(parent, "text") != NULL)
			return "Text";
		if (node_get(parent, "binary") != NULL)
			return "Binary";
	}
	return NULL;
}

char *
seed_fix_text(const struct seed_fix *fix, const char *missing_value)
{
	if (fix == NULL || fix->upstream == NULL)
		return NULL;
	if (fix->upstream_value != NULL)
		return xasprintf("%s: %s", fix->upstream, fix->upstream_value);
	if (fix->value != NULL && fix->value[0] == '\0' && missing_value != NULL)
		return xasprintf("%s: %s", fix->upstream, missing_value);
	return xstrdup(fix->upstream);
}

struct walk {
	const struct object	*obj;
	struct diags		*diags;
	int			 count;
};

static void
report(struct walk *w, const struct seed_fix *fix, const struct loc *loc,
    const struct node *parent, const char *text)
{
	struct diag *g;
	char *fixtext = seed_fix_text(fix, seed_missing_value(fix, parent));

	if (fix->value == NULL && fix->upstream == NULL)
		g = diag_add(w->diags, SEV_ERROR, "seed", loc,
		    "%s: unknown field with no Envoy Gateway replacement (%s)",
		    fix->path, fix->why);
	else if (fix->value == NULL)
		g = diag_add(w->diags, SEV_ERROR, "seed", loc,
		    "%s: unknown field: use %s (%s)", fix->path, fixtext,
		    fix->why);
	else if (fix->value[0] != '\0')
		g = diag_add(w->diags, SEV_ERROR, "seed", loc,
		    "%s: Unsupported value: \"%s\": use %s (%s)", fix->path,
		    text, fixtext, fix->why);
	else
		g = diag_add(w->diags, SEV_ERROR, "seed", loc,
		    "%s: Required value: add %s (%s)", fix->path, fixtext,
		    fix->why);
	diag_set_path(g, fix->path);
	diag_set_object(g, w->obj->kind, object_ns(w->obj), w->obj->name);
	if (fixtext != NULL)
		diag_set_fix(g, fixtext);
	free(fixtext);
	w->count++;
}

/*
 * Visit n found at path; keyloc is where its key is (for missing
 * fields).  path is a strbuf the walk extends and restores.
 */
static void
walk(struct walk *w, const struct node *n, struct strbuf *path,
    const struct loc *keyloc)
{
	const struct seed_fix *fix;
	const struct node_pair *pr;
	size_t i, len = path->len, plen;

	if (n == NULL)
		return;
	if (n->kind == NODE_SEQ) {
		sb_adds(path, "[]");
		for (i = 0; i < n->n; i++)
			walk(w, n->items[i], path, &n->items[i]->loc);
		path->len = len;
		path->buf[len] = '\0';
		return;
	}
	if (n->kind == NODE_STRING) {
		fix = seed_lookup(path->buf, n->str);
		if (fix != NULL)
			report(w, fix, &n->loc, NULL, n->str);
		return;
	}
	if (n->kind != NODE_MAP)
		return;

	/* Required fields the description leaves out. */
	for (fix = fixes; fix->path != NULL; fix++) {
		if (fix->value == NULL || fix->value[0] != '\0')
			continue;
		plen = strlen(fix->path);
		if (plen <= len + 1 || strncmp(fix->path, path->buf, len) != 0 ||
		    fix->path[len] != '.' || strchr(fix->path + len + 1, '.') != NULL)
			continue;
		if (node_get(n, fix->path + len + 1) == NULL)
			report(w, fix, keyloc, n, NULL);
	}

	for (i = 0; i < n->n; i++) {
		pr = &n->pairs[i];
		sb_addc(path, '.');
		sb_adds(path, pr->key->str);
		fix = seed_lookup(path->buf, NULL);
		if (fix != NULL)
			report(w, fix, &pr->key->loc, n, NULL);
		else
			walk(w, pr->val, path, &pr->key->loc);
		path->len = len;
		path->buf[len] = '\0';
	}
}

int
seed_check(const struct object *obj, struct diags *diags)
{
	struct walk w;
	struct strbuf path;
	const struct node *spec;
	const struct loc *keyloc = NULL;
	size_t i;

	if (obj == NULL || obj->type != OBJ_BTP || obj->root == NULL)
		return 0;
	spec = obj->spec;
	if (spec == NULL || spec->kind != NODE_MAP)
		return 0;
	for (i = 0; i < obj->root->n && obj->root->kind == NODE_MAP; i++)
		if (obj->root->pairs[i].val == spec)
			keyloc = &obj->root->pairs[i].key->loc;
	if (keyloc == NULL)
		keyloc = &spec->loc;
	w.obj = obj;
	w.diags = diags;
	w.count = 0;
	sb_init(&path);
	sb_adds(&path, "spec");
	walk(&w, spec, &path, keyloc);
	sb_release(&path);
	return w.count;
}
