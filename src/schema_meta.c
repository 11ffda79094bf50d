/*
 * schema_meta.c: what the API server checks in metadata beyond the name
 * and namespace (check.c): label keys and values, annotation keys and
 * their total size, and values that are not strings (ObjectMeta is
 * decoded strictly: a label written `app: true` fails the request).
 * Messages in apimachinery's words.
 */
#include <ctype.h>
#include <string.h>

#include "diag.h"
#include "node.h"
#include "objects.h"
#include "schema.h"
#include "schema_fmt.h"
#include "util.h"

#define QNAME_RE	"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define QNAME_MSG	"must consist of alphanumeric characters, '-', '_' or '.', and " \
			"must start and end with an alphanumeric character (e.g. 'MyName',  " \
			"or 'my.name',  or '123-abc', regex used for validation is '" QNAME_RE "')"
#define LABEL_MSG	"a valid label must be an empty string or consist of alphanumeric " \
			"characters, '-', '_' or '.', and must start and end with an " \
			"alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', " \
			"regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
#define DNS_MSG		"a lowercase RFC 1123 subdomain must consist of lower case " \
			"alphanumeric characters, '-' or '.', and must start and end with an " \
			"alphanumeric character (e.g. 'example.com', regex used for validation " \
			"is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
#define ANNOTATIONS_MAX	262144

static void merr(struct diags *, const struct object *, const struct node *, const char *,
    const char *, ...) __attribute__((format(printf, 5, 6)));

static void
merr(struct diags *d, const struct object *o, const struct node *at, const char *path,
    const char *fmt, ...)
{
	struct strbuf sb;
	struct diag *g;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	g = diag_add(d, SEV_ERROR, "schema", &at->loc, "%s: %s", path, sb.buf);
	diag_set_path(g, path);
	diag_set_object(g, o->kind, o->ns[0] ? o->ns : NULL, o->name[0] ? o->name : NULL);
	sb_release(&sb);
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], or empty when empty_ok */
static bool
qname_part(const char *s, size_t n, bool empty_ok)
{
	size_t i;

	if (n == 0)
		return empty_ok;
	if (!isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

static bool
dns_subdomain(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 253 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return false;
	for (i = 0; i < n; i++) {
		if (isupper((unsigned char)s[i]))
			return false;
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
			return false;
		if (s[i] == '.' && (!isalnum((unsigned char)s[i - 1]) ||
		    !isalnum((unsigned char)s[i + 1])))
			return false;
	}
	return true;
}

/* IsQualifiedName: the first problem with key, or NULL. */
static const char *
qualified_name(const char *k, char *buf, size_t bufsz)
{
	const char *slash = strchr(k, '/'), *name = k;
	size_t i;
	if (slash != NULL) {
		if (strchr(slash + 1, '/') != NULL)
			return "a qualified name " QNAME_MSG " with an optional DNS subdomain "
			    "prefix and '/' (e.g. 'example.com/MyName')";
		if (slash == k)
			return "prefix part must be non-empty";
		if (!dns_subdomain(k, (size_t)(slash - k))) {
			snprintf(buf, bufsz, "prefix part %s", DNS_MSG);
			return buf;
		}
		name = slash + 1;
	}
	if (*name == '\0')
		return "name part must be non-empty";
	if (strlen(name) > 63)
		return "name part must be no more than 63 characters";
	for (i = 0; name[i]; i++)
		;
	if (!qname_part(name, i, false))
		return "name part " QNAME_MSG;
	return NULL;
}

static void
check_map(struct diags *d, const struct object *o, const struct node *m, const char *path,
    bool labels)
{
	char buf[512], lower[512];
	const char *why;
	struct strbuf sb;
	size_t i, j, total = 0;

	if (m == NULL || m->kind == NODE_NULL)
		return;
	if (m->kind != NODE_MAP) {
		merr(d, o, m, path, "Invalid value: %s: cannot be handled as a BackendTrafficPolicy: "
		    "json: cannot unmarshal %s into Go struct field ObjectMeta.%s of type "
		    "map[string]string", value_json_type(m), value_json_type(m), path);
		return;
	}
	sb_init(&sb);
	for (i = 0; i < m->n; i++) {
		const struct node *k = m->pairs[i].key, *v = m->pairs[i].val;

		total += strlen(k->str);
		/* annotation keys are checked lower-cased */
		for (j = 0; !labels && k->str[j] && j + 1 < sizeof(lower); j++)
			lower[j] = (char)tolower((unsigned char)k->str[j]);
		if (!labels)
			lower[j] = '\0';
		if ((why = qualified_name(labels ? k->str : lower, buf, sizeof(buf))) != NULL) {
			sb_reset(&sb);
			go_quote(&sb, k->str, strlen(k->str));
			merr(d, o, k, path, "Invalid value: %s: %s", sb.buf, why);
		}
		if (v->kind != NODE_STRING && v->kind != NODE_NULL) {
			sb_reset(&sb);
			go_value(&sb, v);
			merr(d, o, v, path, "Invalid value: %s: cannot be handled as a "
			    "BackendTrafficPolicy: json: cannot unmarshal %s into Go struct field "
			    "ObjectMeta.%s of type string", sb.buf,
			    v->kind == NODE_BOOL ? "bool" : v->kind == NODE_MAP ? "object" :
			    v->kind == NODE_SEQ ? "array" : "number", path);
			continue;
		}
		if (v->kind != NODE_STRING)
			continue;
		total += v->len;
		if (!labels)
			continue;
		sb_reset(&sb);
		go_quote(&sb, v->str, v->len);
		if (v->len > 63)
			merr(d, o, v, path, "Invalid value: %s: must be no more than 63 characters",
			    sb.buf);
		if (!qname_part(v->str, v->len, true))
			merr(d, o, v, path, "Invalid value: %s: " LABEL_MSG, sb.buf);
	}
	if (!labels && total > ANNOTATIONS_MAX)
		merr(d, o, m, path, "Too long: may not be more than %d bytes", ANNOTATIONS_MAX);
	sb_release(&sb);
}

int
schema_check_metadata(const struct object *o, struct diags *d)
{
	size_t before = d->count[SEV_ERROR];

	if (o->metadata == NULL || o->metadata->kind != NODE_MAP)
		return 0;
	check_map(d, o, node_get(o->metadata, "labels"), "metadata.labels", true);
	check_map(d, o, node_get(o->metadata, "annotations"), "metadata.annotations", false);
	return (int)(d->count[SEV_ERROR] - before);
}
