/*
 * check.c: see check.h.  Messages use the API server's words.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "objects.h"
#include "util.h"

static bool
dns1123_subdomain(const char *s)
{
	size_t n = strlen(s), i;
	bool label_start = true;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label_start || s[i - 1] == '-')
				return false;
			label_start = true;
			continue;
		}
		if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '-'))
			return false;
		if (label_start && c == '-')
			return false;
		label_start = false;
	}
	return s[n - 1] != '-' && s[n - 1] != '.';
}

static void err(struct diags *, const struct object *, const struct loc *,
    const char *, const char *, ...) __attribute__((format(printf, 5, 6)));

static void
err(struct diags *d, const struct object *o, const struct loc *l, const char *path,
    const char *fmt, ...)
{
	struct diag *g;
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	g = diag_add(d, SEV_ERROR, "schema", l, "%s", sb.buf);
	sb_release(&sb);
	diag_set_path(g, path);
	diag_set_object(g, o->kind, o->ns[0] ? o->ns : NULL, o->name[0] ? o->name : NULL);
}

int
check_structure(const struct object *o, struct diags *d, unsigned flags)
{
	int n = 0;
	struct node *v;
	const char *apiv = o->api_version ? o->api_version : "";
	const char *jt;

	if (strcmp(apiv, "gateway.envoyproxy.io/v1alpha1") != 0) {
		v = node_get(o->root, "apiVersion");
		err(d, o, &v->loc, "apiVersion",
		    "apiVersion: Unsupported value: \"%s\": supported values: \"gateway.envoyproxy.io/v1alpha1\"",
		    apiv);
		n++;
	}
	if (o->metadata != NULL && o->metadata->kind != NODE_MAP &&
	    o->metadata->kind != NODE_NULL) {
		/* the API server cannot even decode the object */
		v = o->metadata;
		jt = v->kind == NODE_SEQ ? "array" : v->kind == NODE_BOOL ? "bool" :
		    v->kind == NODE_STRING ? "string" : "number";
		err(d, o, &v->loc, "metadata", "metadata: Invalid value: %s: cannot be handled "
		    "as a %s: json: cannot unmarshal %s into Go struct field %s.metadata of type "
		    "v1.ObjectMeta", jt, o->kind, jt, o->kind);
		return n + 1;
	}
	if (o->metadata == NULL || o->metadata->kind != NODE_MAP) {
		err(d, o, o->metadata ? &o->metadata->loc : &o->root->loc, "metadata.name",
		    "metadata.name: Required value: name or generateName is required%s", "");
		return n + 1;
	}
	v = node_get(o->metadata, "name");
	if (v == NULL || v->kind == NODE_NULL || (v->kind == NODE_STRING && v->len == 0)) {
		if (node_get(o->metadata, "generateName") == NULL) {
			err(d, o, v ? &v->loc : &o->metadata->loc, "metadata.name",
			    "metadata.name: Required value: name or generateName is required%s", "");
			n++;
		}
	} else if (v->kind != NODE_STRING) {
		err(d, o, &v->loc, "metadata.name",
		    "metadata.name: Invalid value: %s: must be a string", v->str);
		n++;
	} else if (!dns1123_subdomain(v->str)) {
		err(d, o, &v->loc, "metadata.name",
		    "metadata.name: Invalid value: \"%s\": a lowercase RFC 1123 subdomain must "
		    "consist of lower case alphanumeric characters, '-' or '.', and must start "
		    "and end with an alphanumeric character (e.g. 'example.com', regex used for "
		    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
		    v->str);
		n++;
	}
	v = node_get(o->metadata, "namespace");
	if (v != NULL && v->kind != NODE_NULL &&
	    (v->kind != NODE_STRING || !dns1123_subdomain(v->str) || strchr(v->str, '.') != NULL)) {
		err(d, o, &v->loc, "metadata.namespace",
		    "metadata.namespace: Invalid value: \"%s\": a lowercase RFC 1123 label must "
		    "consist of lower case alphanumeric characters or '-', and must start and end "
		    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
		    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')", v->str);
		n++;
	}
	if (flags & CHECK_NO_SPEC)
		return n;
	if (o->spec == NULL) {
		err(d, o, &o->root->loc, "spec", "spec: Required value%s", "");
		n++;
	} else if (o->spec->kind != NODE_MAP) {
		err(d, o, &o->spec->loc, "spec",
		    "spec: Invalid value: \"%s\": spec in body must be of type object", node_kind_name(o->spec->kind));
		n++;
	}
	return n;
}

/*
 * A BackendTrafficPolicy whose apiVersion is missing or names no group
 * ("v1alpha1") is no object of any group btpctl knows, so the index skips
 * it; kubectl refuses it, and validate must not call it clean.
 */
void
check_groupless(const struct node *root, struct diags *d)
{
	const struct node *items, *av;
	const char *kind, *apiv;
	struct diag *g;
	size_t i;

	if (root == NULL || root->kind != NODE_MAP || (kind = node_get_str(root, "kind")) == NULL)
		return;
	if (str_has_suffix(kind, "List") && (items = node_get(root, "items")) != NULL &&
	    items->kind == NODE_SEQ) {
		for (i = 0; i < items->n; i++)
			check_groupless(items->items[i], d);
		return;
	}
	if (strcmp(kind, "BackendTrafficPolicy") != 0)
		return;
	av = node_get(root, "apiVersion");
	apiv = node_get_str(root, "apiVersion");
	if (apiv != NULL && strchr(apiv, '/') != NULL)
		return;
	if (apiv == NULL)
		g = diag_add(d, SEV_ERROR, "schema", av != NULL ? &av->loc : &root->loc,
		    "apiVersion not set: kubectl refuses the object");
	else
		g = diag_add(d, SEV_ERROR, "schema", &av->loc,
		    "no matches for kind \"BackendTrafficPolicy\" in version \"%s\"", apiv);
	diag_set_path(g, "apiVersion");
	diag_set_object(g, kind, node_get_str(node_get(root, "metadata"), "namespace"),
	    node_get_str(node_get(root, "metadata"), "name"));
	diag_set_fix(g, "apiVersion: gateway.envoyproxy.io/v1alpha1");
}
