/*
 * cmd_effective.c: btpctl effective PATH... -- which policy each route
 * really gets, field by field, and why; with --status, the status Envoy
 * Gateway writes on each policy.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "cli.h"
#include "effective.h"
#include "run.h"
#include "source.h"
#include "util.h"

static const char *opt_route, *opt_gateway;
static bool opt_defaults, opt_status;

static const struct opt effective_opts[] = {
	{ "route", 0, OPT_STRING, "NS/NAME[/RULE]",
	  "only this route (and rule: its name or index)", &opt_route, NULL },
	{ "gateway", 0, OPT_STRING, "NS/NAME[/LISTENER]",
	  "only this Gateway (and listener)", &opt_gateway, NULL },
	{ "defaults", 0, OPT_FLAG, NULL,
	  "fill unset fields with Envoy Gateway's defaults, marked as defaults",
	  &opt_defaults, NULL },
	{ "status", 0, OPT_FLAG, NULL,
	  "print each policy's status.ancestors as Envoy Gateway writes them",
	  &opt_status, NULL },
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

/* ---- filters ---- */

struct filter {
	char	*ns, *name, *sub;	/* sub: rule or listener, or NULL */
};

static int
parse_filter(const char *what, const char *arg, struct filter *f)
{
	char *s, *slash;

	memset(f, 0, sizeof(*f));
	if (arg == NULL)
		return 0;
	s = xstrdup(arg);
	slash = strchr(s, '/');
	if (slash == NULL || slash == s || slash[1] == '\0') {
		fprintf(stderr, "btpctl effective: --%s wants NS/NAME[/%s], got '%s'\n",
		    what, strcmp(what, "route") == 0 ? "RULE" : "LISTENER", arg);
		free(s);
		return EXIT_USAGE;
	}
	*slash = '\0';
	f->ns = s;
	f->name = slash + 1;
	if ((slash = strchr(f->name, '/')) != NULL) {
		*slash = '\0';
		f->sub = slash + 1;
	}
	return 0;
}

static bool
row_wanted(const struct eff_route *r, const struct filter *rf,
    const struct filter *gf)
{
	char idx[32];

	if (rf->ns != NULL) {
		if (strcmp(object_ns(r->route), rf->ns) != 0 ||
		    strcmp(r->route->name, rf->name) != 0)
			return false;
		if (rf->sub != NULL) {
			snprintf(idx, sizeof(idx), "%d", r->rule_index);
			if (strcmp(rf->sub, idx) != 0 && (r->rule_name == NULL ||
			    strcmp(rf->sub, r->rule_name) != 0))
				return false;
		}
	}
	if (gf->ns != NULL) {
		if (strcmp(object_ns(r->gateway), gf->ns) != 0 ||
		    strcmp(r->gateway->name, gf->name) != 0)
			return false;
		if (gf->sub != NULL && strcmp(gf->sub, r->listener) != 0)
			return false;
	}
	return true;
}

/* ---- small renderers ---- */

static const char *
pname(struct arena *a, const struct eff_policy *p)
{
	return arena_printf(a, "%s/%s", object_ns(p->obj), p->obj->name);
}

static const char *
file_of(const struct node *n)
{
	return n != NULL && n->loc.src != NULL ? n->loc.src->name : NULL;
}

static bool
yaml_plain(const char *s)
{
	static const char *const reserved[] = { "true", "false", "yes", "no", "on",
	    "off", "null", "~", "y", "n", NULL };
	const char *p;
	size_t i;

	if (*s == '\0' || isdigit((unsigned char)*s) || *s == '-' || *s == '.' ||
	    *s == '+')
		return false;
	for (i = 0; reserved[i] != NULL; i++)
		if (strcasecmp(s, reserved[i]) == 0)
			return false;
	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("-_./", *p) == NULL)
			return false;
	return true;
}

/* A string scalar as a JSON string (also a YAML double-quoted scalar). */
static void
json_quoted(struct strbuf *sb, const struct node *n)
{
	json_t *j = json_stringn(n->str, n->len);
	char *t = json_dumps(j, JSON_ENCODE_ANY);

	sb_adds(sb, t ? t : "\"\"");
	free(t);
	json_decref(j);
}

static void
yaml_scalar(struct strbuf *sb, const struct node *n)
{

	switch (n->kind) {
	case NODE_NULL:
		sb_adds(sb, "null");
		return;
	case NODE_BOOL:
		sb_adds(sb, n->b ? "true" : "false");
		return;
	case NODE_INT:
	case NODE_FLOAT:
		sb_adds(sb, n->str);
		return;
	default:
		break;
	}
	if (yaml_plain(n->str)) {
		sb_adds(sb, n->str);
		return;
	}
	json_quoted(sb, n);
}

/*
 * A scalar for the text table: as written, or JSON-quoted when it is empty
 * or holds control characters (newlines, tabs, escapes), which would break
 * the line or reach the terminal raw.
 */
static void
text_scalar(struct strbuf *sb, const struct node *n)
{
	size_t i;

	for (i = 0; n->kind == NODE_STRING && i < n->len; i++)
		if ((unsigned char)n->str[i] < 0x20 || n->str[i] == 0x7f)
			break;
	if (n->kind != NODE_STRING || (n->len > 0 && i == n->len)) {
		sb_adds(sb, n->str);
		return;
	}
	json_quoted(sb, n);
}

static void
yaml_str(struct strbuf *sb, const char *s)
{
	struct node n;

	memset(&n, 0, sizeof(n));
	n.kind = NODE_STRING;
	n.str = s;
	n.len = strlen(s);
	yaml_scalar(sb, &n);
}

static void
indent(struct strbuf *sb, int n)
{
	while (n-- > 0)
		sb_addc(sb, ' ');
}

/* The source comment of path in row r. */
static const char *
source_note(struct arena *a, const struct eff_route *r, const char *path)
{
	const struct eff_source *s;
	size_t i;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		if (strcmp(s->path, path) != 0)
			continue;
		if (s->policy != NULL)
			return arena_printf(a, "%s %s:%d", pname(a, s->policy),
			    file_of(s->node), s->node->loc.line);
		if (s->object != NULL)
			return arena_printf(a, "%s %s/%s %s:%d", obj_type_kind(
			    s->object->type), object_ns(s->object), s->object->name,
			    file_of(s->node), s->node->loc.line);
		return "default";
	}
	return NULL;
}

/* Block YAML of n at indent, with "# source" comments on leaves. */
static void
yaml_tree(struct strbuf *sb, struct arena *a, const struct eff_route *r,
    const struct node *n, int ind, const char *path)
{
	size_t i;
	const struct node *v;
	const char *sub, *note;

	if (n->kind == NODE_MAP) {
		for (i = 0; i < n->n; i++) {
			v = n->pairs[i].val;
			sub = *path ? arena_printf(a, "%s.%s", path, n->pairs[i].key->str) :
			    n->pairs[i].key->str;
			if (i > 0 || ind > 0 || sb->len == 0 || sb->buf[sb->len - 1] == '\n')
				indent(sb, ind);
			yaml_str(sb, n->pairs[i].key->str);
			sb_addc(sb, ':');
			if ((v->kind == NODE_MAP || v->kind == NODE_SEQ) && v->n > 0) {
				sb_addc(sb, '\n');
				yaml_tree(sb, a, r, v, ind + 2, sub);
			} else {
				sb_addc(sb, ' ');
				if (v->kind == NODE_MAP)
					sb_adds(sb, "{}");
				else if (v->kind == NODE_SEQ)
					sb_adds(sb, "[]");
				else
					yaml_scalar(sb, v);
				if ((note = source_note(a, r, sub)) != NULL)
					sb_printf(sb, "  # %s", note);
				sb_addc(sb, '\n');
			}
		}
		return;
	}
	for (i = 0; i < n->n; i++) {
		v = n->items[i];
		sub = arena_printf(a, "%s[%zu]", path, i);
		indent(sb, ind);
		sb_adds(sb, "- ");
		if ((v->kind == NODE_MAP || v->kind == NODE_SEQ) && v->n > 0) {
			if (v->kind == NODE_SEQ) {
				sb_addc(sb, '\n');
				yaml_tree(sb, a, r, v, ind + 2, sub);
			} else {
				/* first pair on the dash line */
				struct strbuf tmp;
				const char *t;

				sb_init(&tmp);
				yaml_tree(&tmp, a, r, v, ind + 2, sub);
				t = tmp.buf;
				while (*t == ' ')
					t++;
				sb_adds(sb, t);
				sb_release(&tmp);
			}
		} else {
			if (v->kind == NODE_MAP)
				sb_adds(sb, "{}");
			else if (v->kind == NODE_SEQ)
				sb_adds(sb, "[]");
			else
				yaml_scalar(sb, v);
			if ((note = source_note(a, r, sub)) != NULL)
				sb_printf(sb, "  # %s", note);
			sb_addc(sb, '\n');
		}
	}
}

/* ---- node -> jansson ---- */

static json_t *
to_json(const struct node *n)
{
	json_t *j;
	size_t i;

	switch (n->kind) {
	case NODE_NULL:
		return json_null();
	case NODE_BOOL:
		return json_boolean(n->b);
	case NODE_INT:
		return json_integer((json_int_t)n->i);
	case NODE_FLOAT:
		return json_real(n->f);
	case NODE_STRING:
		return json_stringn(n->str, n->len);
	case NODE_SEQ:
		j = json_array();
		for (i = 0; i < n->n; i++)
			json_array_append_new(j, to_json(n->items[i]));
		return j;
	case NODE_MAP:
		j = json_object();
		for (i = 0; i < n->n; i++)
			json_object_set_new(j, n->pairs[i].key->str, to_json(n->pairs[i].val));
		return j;
	}
	return json_null();
}

static json_t *
rule_json(const struct eff_route *r)
{
	if (r->rule_name != NULL)
		return json_string(r->rule_name);
	if (r->rule_index >= 0)
		return json_integer(r->rule_index);
	return json_null();
}

static json_t *
route_json(struct arena *a, const struct eff_route *r)
{
	json_t *o = json_object(), *pol = json_array(), *src = json_object(), *s;
	const struct eff_source *es;
	size_t i;

	json_object_set_new(o, "gateway", json_string(arena_printf(a, "%s/%s",
	    object_ns(r->gateway), r->gateway->name)));
	if (r->listenerset != NULL)
		json_object_set_new(o, "listenerSet", json_string(arena_printf(a,
		    "%s/%s", object_ns(r->listenerset), r->listenerset->name)));
	json_object_set_new(o, "listener", json_string(r->listener));
	json_object_set_new(o, "route", json_pack("{s:s,s:s,s:s}", "kind",
	    obj_type_kind(r->route->type), "namespace", object_ns(r->route), "name",
	    r->route->name));
	json_object_set_new(o, "rule", rule_json(r));
	for (i = 0; i < r->npolicies; i++)
		json_array_append_new(pol, json_string(pname(a, r->policies[i])));
	json_object_set_new(o, "policies", pol);
	json_object_set_new(o, "spec", to_json(r->spec));
	for (i = 0; i < r->nsources; i++) {
		es = &r->sources[i];
		if (es->policy != NULL)
			s = json_pack("{s:s,s:s,s:i}", "policy", pname(a, es->policy),
			    "file", file_of(es->node), "line", es->node->loc.line);
		else if (es->object != NULL)
			s = json_pack("{s:s,s:s,s:i}", "route", arena_printf(a, "%s/%s",
			    object_ns(es->object), es->object->name), "file",
			    file_of(es->node), "line", es->node->loc.line);
		else
			s = json_string("default");
		json_object_set_new(src, es->path, s);
	}
	json_object_set_new(o, "sources", src);
	if (r->invalid != NULL)
		json_object_set_new(o, "directResponse", json_pack("{s:i,s:s}",
		    "status", 500, "reason", r->invalid));
	return o;
}

static void
dump_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		fputs(s, stdout);
		fputc('\n', stdout);
	}
	free(s);
	json_decref(j);
}

/* ---- status ---- */

static void
status_yaml(struct strbuf *sb, const struct eff_policy *p)
{
	const struct eff_ancestor *an;
	const struct eff_condition *c;
	size_t i, j;

	sb_adds(sb, "---\napiVersion: ");
	yaml_str(sb, p->obj->api_version ? p->obj->api_version :
	    "gateway.envoyproxy.io/v1alpha1");
	sb_adds(sb, "\nkind: BackendTrafficPolicy\nmetadata:\n  name: ");
	yaml_str(sb, p->obj->name);
	sb_adds(sb, "\n  namespace: ");
	yaml_str(sb, object_ns(p->obj));
	sb_adds(sb, "\nstatus:\n  ancestors:");
	if (p->nancestors == 0) {
		sb_adds(sb, " null\n");
		return;
	}
	sb_addc(sb, '\n');
	for (i = 0; i < p->nancestors; i++) {
		an = &p->ancestors[i];
		sb_adds(sb, "  - ancestorRef:\n      group: ");
		yaml_str(sb, an->group);
		sb_adds(sb, "\n      kind: ");
		yaml_str(sb, an->kind);
		sb_adds(sb, "\n      name: ");
		yaml_str(sb, an->name);
		sb_adds(sb, "\n      namespace: ");
		yaml_str(sb, an->ns);
		if (an->section != NULL) {
			sb_adds(sb, "\n      sectionName: ");
			yaml_str(sb, an->section);
		}
		sb_adds(sb, "\n    conditions:\n");
		for (j = 0; j < an->nconds; j++) {
			c = &an->conds[j];
			sb_adds(sb, "    - lastTransitionTime: null\n      message: ");
			yaml_str(sb, c->message);
			sb_adds(sb, "\n      reason: ");
			yaml_str(sb, c->reason);
			sb_printf(sb, "\n      status: \"%s\"\n      type: ", c->status);
			yaml_str(sb, c->type);
			sb_addc(sb, '\n');
		}
		sb_adds(sb, "    controllerName: " EFF_CONTROLLER "\n");
	}
}

static json_t *
status_json(const struct eff_policy *p)
{
	json_t *o = json_object(), *ancs = json_array(), *ref, *conds, *a;
	const struct eff_ancestor *an;
	const struct eff_condition *c;
	size_t i, j;

	json_object_set_new(o, "namespace", json_string(object_ns(p->obj)));
	json_object_set_new(o, "name", json_string(p->obj->name));
	for (i = 0; i < p->nancestors; i++) {
		an = &p->ancestors[i];
		ref = json_pack("{s:s,s:s,s:s,s:s}", "group", an->group, "kind", an->kind,
		    "name", an->name, "namespace", an->ns);
		if (an->section != NULL)
			json_object_set_new(ref, "sectionName", json_string(an->section));
		conds = json_array();
		for (j = 0; j < an->nconds; j++) {
			c = &an->conds[j];
			json_array_append_new(conds, json_pack("{s:s,s:s,s:s,s:s}", "type",
			    c->type, "status", c->status, "reason", c->reason, "message",
			    c->message));
		}
		a = json_pack("{s:o,s:o,s:s}", "ancestorRef", ref, "conditions", conds,
		    "controllerName", EFF_CONTROLLER);
		json_array_append_new(ancs, a);
	}
	json_object_set_new(o, "status", json_pack("{s:o}", "ancestors", ancs));
	return o;
}

struct colors {
	const char	*bold, *dim, *name, *warn, *bad, *good, *off;
};

static void
colors_init(struct colors *c, bool on)
{
	c->bold = on ? "\033[1m" : "";
	c->dim = on ? "\033[2m" : "";
	c->name = on ? "\033[36m" : "";
	c->warn = on ? "\033[33m" : "";
	c->bad = on ? "\033[31m" : "";
	c->good = on ? "\033[32m" : "";
	c->off = on ? "\033[0m" : "";
}

/* Text with every line after the first indented by ind spaces. */
static void
add_indented(struct strbuf *sb, const char *text, int ind)
{
	for (; *text != '\0'; text++) {
		sb_addc(sb, *text);
		if (*text == '\n')
			indent(sb, ind);
	}
}

static void
status_text(struct strbuf *sb, const struct eff_policy *p, const struct colors *k)
{
	const struct eff_ancestor *an;
	const struct eff_condition *c;
	const char *col;
	size_t i, j;

	sb_printf(sb, "%sBackendTrafficPolicy %s/%s%s\n", k->bold, object_ns(p->obj),
	    p->obj->name, k->off);
	if (p->nancestors == 0)
		sb_printf(sb, "  %sno ancestors: no target exists%s\n", k->dim, k->off);
	for (i = 0; i < p->nancestors; i++) {
		an = &p->ancestors[i];
		sb_printf(sb, "  %s %s/%s%s%s\n", an->kind, an->ns, an->name,
		    an->section ? "/" : "", an->section ? an->section : "");
		for (j = 0; j < an->nconds; j++) {
			c = &an->conds[j];
			col = strcmp(c->status, "False") == 0 ? k->bad :
			    strcmp(c->type, "Accepted") == 0 ? k->good : k->warn;
			sb_printf(sb, "    %s%s=%s%s (%s): ", col, c->type, c->status,
			    k->off, c->reason);
			add_indented(sb, c->message, 6);
			sb_addc(sb, '\n');
		}
	}
}

/* ---- effective text ---- */

/* The value of a synthesized (default) leaf at path. */
static const char *
default_text(struct arena *a, const struct eff_route *r, const char *path)
{
	const struct node *n = r->spec;
	const char *p = path, *e;
	char *key;

	while (n != NULL && *p != '\0') {
		e = p + strcspn(p, ".[");
		if (e == p) {
			size_t idx = strtoul(p + 1, (char **)&e, 10);

			n = n->kind == NODE_SEQ && idx < n->n ? n->items[idx] : NULL;
			p = *e == ']' ? e + 1 : e;
		} else {
			key = arena_strndup(a, p, (size_t)(e - p));
			n = node_get(n, key);
			p = e;
		}
		if (*p == '.')
			p++;
	}
	return n != NULL && node_is_scalar(n) ? n->str : "";
}

/* Do two rows of the same route show the same thing? */
static bool
same_result(const struct eff_route *a, const struct eff_route *b)
{
	size_t i;

	if (a->route != b->route || a->npolicies != b->npolicies ||
	    a->nsources != b->nsources || a->hidden != b->hidden ||
	    (a->invalid == NULL) != (b->invalid == NULL))
		return false;
	for (i = 0; i < a->npolicies; i++)
		if (a->policies[i] != b->policies[i])
			return false;
	for (i = 0; i < a->nsources; i++)
		if (strcmp(a->sources[i].path, b->sources[i].path) != 0 ||
		    a->sources[i].node != b->sources[i].node)
			return false;
	return true;
}

static void
rule_label(struct strbuf *sb, const struct eff_route *r)
{
	if (r->rule_name != NULL)
		sb_adds(sb, r->rule_name);
	else
		sb_printf(sb, "%d", r->rule_index);
}

/* Rows rows[0..n) are one route's rules with the same result. */
static void
row_text(struct strbuf *sb, struct arena *a, const struct eff_route *const *rows,
    size_t n, const struct colors *k)
{
	const struct eff_route *r = rows[0];
	const struct eff_source *s;
	size_t i, w = 0;

	sb_printf(sb, "  %s%s %s/%s%s", k->bold, obj_type_kind(r->route->type),
	    object_ns(r->route), r->route->name, k->off);
	if (r->rule_index >= 0) {
		sb_adds(sb, n > 1 ? " rules " : " rule ");
		for (i = 0; i < n; i++) {
			if (i > 0)
				sb_adds(sb, ", ");
			rule_label(sb, rows[i]);
		}
	}
	sb_addc(sb, '\n');
	if (r->npolicies == 0 && r->nsources == 0) {
		sb_printf(sb, "    %sno policy applies%s\n", k->dim, k->off);
		return;
	}
	if (r->npolicies > 0) {
		sb_adds(sb, "    policies:");
		for (i = 0; i < r->npolicies; i++)
			sb_printf(sb, "%s %s%s%s", i ? "," : "", k->name,
			    pname(a, r->policies[i]), k->off);
		sb_addc(sb, '\n');
	}
	if (r->invalid != NULL) {
		sb_printf(sb, "    %sanswered with 500 by Envoy Gateway:\n      ", k->bad);
		add_indented(sb, r->invalid, 6);
		sb_printf(sb, "%s\n", k->off);
	}
	if (r->npolicies == 2 && (r->route->type == OBJ_HTTPROUTE ||
	    r->route->type == OBJ_GRPCROUTE) && (r->policies[0]->merge ==
	    EFF_MERGE_STRATEGIC || r->policies[0]->merge == EFF_MERGE_JSON))
		sb_printf(sb, "    %s layered over %s (%s)\n", pname(a, r->policies[0]),
		    pname(a, r->policies[1]), r->policies[0]->merge == EFF_MERGE_JSON ?
		    "JSONMerge" : "StrategicMerge");
	if (r->hidden != NULL)
		sb_printf(sb, "    %sreplaces %s as a whole (no mergeType): none of its "
		    "fields apply here%s\n", k->warn, pname(a, r->hidden), k->off);
	for (i = 0; i < r->nsources; i++)
		if (strlen(r->sources[i].path) > w)
			w = strlen(r->sources[i].path);
	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		sb_printf(sb, "    %-*s = ", (int)w, s->path);
		if (s->node != NULL) {
			if (s->node->kind == NODE_MAP)
				sb_adds(sb, "{}");
			else if (s->node->kind == NODE_SEQ)
				sb_adds(sb, "[]");
			else
				text_scalar(sb, s->node);
		} else
			sb_adds(sb, default_text(a, r, s->path));
		if (s->policy != NULL)
			sb_printf(sb, "  %s%s%s %s(%s:%d)%s\n", k->name, pname(a, s->policy),
			    k->off, k->dim, file_of(s->node), s->node->loc.line, k->off);
		else if (s->object != NULL)
			sb_printf(sb, "  %s%s %s/%s%s %s(%s:%d)%s\n", k->name,
			    obj_type_kind(s->object->type), object_ns(s->object),
			    s->object->name, k->off, k->dim, file_of(s->node),
			    s->node->loc.line, k->off);
		else
			sb_printf(sb, "  %s(Envoy Gateway default)%s\n", k->dim, k->off);
	}
}

static const char *
listener_label(struct arena *a, const struct eff_route *r)
{
	if (r->listenerset != NULL)
		return arena_printf(a, "ListenerSet %s/%s listener %s",
		    object_ns(r->listenerset), r->listenerset->name, r->listener);
	return arena_printf(a, "listener %s", r->listener);
}

/* ---- the command ---- */

/* ConfigMaps in the input, for responseOverride references. */
static struct eff_configmap *
collect_configmaps(const struct docset *ds, size_t *n)
{
	struct eff_configmap *v = NULL;
	const struct node *root, *md, *data;
	const char *kind;
	size_t i;

	*n = 0;
	for (i = 0; i < ds->n; i++) {
		root = ds->v[i].root;
		kind = node_get_str(root, "kind");
		if (kind == NULL || strcmp(kind, "ConfigMap") != 0)
			continue;
		md = node_get(root, "metadata");
		if (node_get_str(md, "name") == NULL)
			continue;
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[*n].ns = node_get_str(md, "namespace") ? node_get_str(md, "namespace") :
		    "default";
		v[*n].name = node_get_str(md, "name");
		data = node_get(root, "data");
		v[*n].has_data = data != NULL && data->kind == NODE_MAP && data->n > 0;
		(*n)++;
	}
	return v;
}

/* Say once per spelling that seed-description fields were read by meaning. */
static void
seed_notes(const struct effective *e)
{
	const struct eff_fact *f, *g;
	size_t i, j, n;
	bool seen;

	for (i = 0; i < e->nfacts; i++) {
		f = &e->facts[i];
		if (f->kind != EFF_FACT_SEED_SPELLING)
			continue;
		seen = false;
		for (j = 0, n = 0; j < e->nfacts; j++) {
			g = &e->facts[j];
			if (g->kind != EFF_FACT_SEED_SPELLING || strcmp(g->path, f->path) != 0)
				continue;
			if (j < i)
				seen = true;
			n++;
		}
		if (seen)
			continue;
		fprintf(stderr, "%s:%d:%d: note: %s in %s/%s%s\n", file_of(f->at),
		    f->at->loc.line, f->at->loc.col, f->message, object_ns(f->policy->obj),
		    f->policy->obj->name, n > 1 ? " and other policies" : "");
	}
}

/*
 * With --route/--gateway, --status shows the policies that apply to a
 * matching row or target the named route or Gateway.
 */
static bool
policy_wanted(const struct eff_policy *p, const bool *in_rows,
    const struct filter *rf, const struct filter *gf)
{
	const struct object *o;
	size_t i;

	if (rf->ns == NULL && gf->ns == NULL)
		return true;
	if (in_rows[p->rank])
		return true;
	for (i = 0; i < p->ntargets; i++) {
		o = p->targets[i].obj;
		if (rf->ns != NULL && o->type >= OBJ_HTTPROUTE && o->type <= OBJ_UDPROUTE &&
		    strcmp(object_ns(o), rf->ns) == 0 && strcmp(o->name, rf->name) == 0)
			return true;
		if (gf->ns != NULL && rf->ns == NULL && o->type == OBJ_GATEWAY &&
		    strcmp(object_ns(o), gf->ns) == 0 && strcmp(o->name, gf->name) == 0)
			return true;
	}
	return false;
}

static int
print_status(struct cli *cli, const struct effective *e, const struct filter *rf,
    const struct filter *gf)
{
	struct strbuf sb;
	struct colors k;
	json_t *arr;
	size_t i, j;
	const char *fmt = cli_output(cli);
	bool *in_rows = xcalloc(e->npolicies + 1, sizeof(*in_rows));

	/* policies that apply to a matching row */
	for (i = 0; (rf->ns != NULL || gf->ns != NULL) && i < e->nroutes; i++)
		if (row_wanted(&e->routes[i], rf, gf))
			for (j = 0; j < e->routes[i].npolicies; j++)
				in_rows[e->routes[i].policies[j]->rank] = true;
	colors_init(&k, cli->color);
	if (strcmp(fmt, "json") == 0) {
		arr = json_array();
		for (i = 0; i < e->npolicies; i++)
			if (policy_wanted(&e->policies[i], in_rows, rf, gf))
				json_array_append_new(arr, status_json(&e->policies[i]));
		dump_json(json_pack("{s:i,s:o}", "version", 1, "policies", arr));
		free(in_rows);
		return EXIT_CLEAN;
	}
	sb_init(&sb);
	for (i = 0; i < e->npolicies; i++) {
		if (!policy_wanted(&e->policies[i], in_rows, rf, gf))
			continue;
		if (strcmp(fmt, "yaml") == 0)
			status_yaml(&sb, &e->policies[i]);
		else
			status_text(&sb, &e->policies[i], &k);
	}
	fputs(sb.buf, stdout);
	sb_release(&sb);
	free(in_rows);
	return EXIT_CLEAN;
}

static void
print_routes(struct cli *cli, const struct effective *e, struct arena *a,
    const struct eff_route **rows, size_t n)
{
	struct strbuf sb;
	struct colors k;
	const struct eff_route *r, *prev = NULL;
	const char *fmt = cli_output(cli);
	size_t i, j;

	(void)e;
	colors_init(&k, cli->color);
	if (strcmp(fmt, "json") == 0) {
		/*
		 * Streamed one route at a time (memory stays flat on big
		 * estates), laid out as json_dumps would lay out the whole.
		 */
		fputs("{\n  \"version\": 1,\n  \"routes\": [", stdout);
		for (i = 0; i < n; i++) {
			json_t *rj = route_json(a, rows[i]);
			char *t = json_dumps(rj, JSON_INDENT(2) | JSON_PRESERVE_ORDER), *p;

			fputs(i ? ",\n    " : "\n    ", stdout);
			for (p = t; p != NULL && *p != '\0'; p++) {
				fputc(*p, stdout);
				if (*p == '\n')
					fputs("    ", stdout);
			}
			free(t);
			json_decref(rj);
		}
		fputs(n ? "\n  ]\n}\n" : "]\n}\n", stdout);
		return;
	}
	sb_init(&sb);
	for (i = 0; i < n; i++) {
		r = rows[i];
		if (strcmp(fmt, "yaml") == 0) {
			sb_printf(&sb, "---\n# %s %s/%s, %s\n", obj_type_kind(r->route->type),
			    object_ns(r->route), r->route->name, listener_label(a, r));
			sb_adds(&sb, "gateway: ");
			yaml_str(&sb, arena_printf(a, "%s/%s", object_ns(r->gateway),
			    r->gateway->name));
			if (r->listenerset != NULL) {
				sb_adds(&sb, "\nlistenerSet: ");
				yaml_str(&sb, arena_printf(a, "%s/%s", object_ns(r->listenerset),
				    r->listenerset->name));
			}
			sb_adds(&sb, "\nlistener: ");
			yaml_str(&sb, r->listener);
			sb_adds(&sb, "\nroute:\n  kind: ");
			yaml_str(&sb, obj_type_kind(r->route->type));
			sb_adds(&sb, "\n  namespace: ");
			yaml_str(&sb, object_ns(r->route));
			sb_adds(&sb, "\n  name: ");
			yaml_str(&sb, r->route->name);
			sb_adds(&sb, "\nrule: ");
			if (r->rule_name != NULL)
				yaml_str(&sb, r->rule_name);
			else if (r->rule_index >= 0)
				sb_printf(&sb, "%d", r->rule_index);
			else
				sb_adds(&sb, "null");
			sb_adds(&sb, "\npolicies:");
			if (r->npolicies == 0)
				sb_adds(&sb, " []");
			for (j = 0; j < r->npolicies; j++) {
				sb_adds(&sb, "\n- ");
				yaml_str(&sb, pname(a, r->policies[j]));
			}
			if (r->invalid != NULL) {
				sb_adds(&sb, "\n# Envoy Gateway answers 500 here: ");
				sb_adds(&sb, r->invalid);
			}
			sb_adds(&sb, "\nspec:");
			if (r->spec->n == 0)
				sb_adds(&sb, " {}\n");
			else {
				sb_addc(&sb, '\n');
				yaml_tree(&sb, a, r, r->spec, 2, "");
			}
			continue;
		}
		if (prev == NULL || prev->gateway != r->gateway ||
		    prev->listenerset != r->listenerset ||
		    strcmp(prev->listener, r->listener) != 0)
			sb_printf(&sb, "%s%sGateway %s/%s, %s%s\n", prev ? "\n" : "", k.bold,
			    object_ns(r->gateway), r->gateway->name, listener_label(a, r),
			    k.off);
		for (j = i + 1; j < n && rows[j]->gateway == r->gateway &&
		    rows[j]->listenerset == r->listenerset &&
		    strcmp(rows[j]->listener, r->listener) == 0 &&
		    same_result(rows[j], r); j++)
			;
		row_text(&sb, a, rows + i, j - i, &k);
		prev = r;
		i = j - 1;
	}
	fputs(sb.buf, stdout);
	sb_release(&sb);
}

static int
run_effective(struct cli *cli, int argc, char **argv)
{
	struct run r;
	struct effective e;
	struct eff_opts o;
	struct filter rf, gf;
	struct eff_configmap *cms;
	const struct eff_route **rows;
	struct arena *a;
	size_t i, n = 0, ncms;
	int rc;

	if ((rc = cli_check_output(cli, &cmd_effective)) != 0)
		return rc;
	if ((rc = parse_filter("route", opt_route, &rf)) != 0)
		return rc;
	if ((rc = parse_filter("gateway", opt_gateway, &gf)) != 0) {
		free(rf.ns);
		return rc;
	}
	run_init(&r);
	if ((rc = run_load(&r, cli, "effective", argc, argv)) != 0)
		goto out;
	if (r.diags.n > 0) {
		struct cli quiet_json = *cli;

		quiet_json.output = "text";
		run_print_diags(&quiet_json, &r.diags, stderr);
	}
	cms = collect_configmaps(&r.ds, &ncms);
	eff_opts_init(&o);
	o.defaults = opt_defaults;
	o.configmaps = cms;
	o.nconfigmaps = ncms;
	o.check_configmaps = ncms > 0;
	effective_compute(&e, &r.os, &o);
	a = e.arena;
	if (!cli->quiet)
		seed_notes(&e);
	if (opt_status) {
		rc = cli->quiet ? EXIT_CLEAN : print_status(cli, &e, &rf, &gf);
	} else {
		rows = xcalloc(e.nroutes + 1, sizeof(*rows));
		for (i = 0; i < e.nroutes; i++)
			if (row_wanted(&e.routes[i], &rf, &gf))
				rows[n++] = &e.routes[i];
		if (n == 0 && (rf.ns != NULL || gf.ns != NULL)) {
			fprintf(stderr, "btpctl effective: no route matches%s%s%s%s\n",
			    opt_route ? " --route " : "", opt_route ? opt_route : "",
			    opt_gateway ? " --gateway " : "", opt_gateway ? opt_gateway : "");
			rc = EXIT_USAGE;
		} else {
			if (!cli->quiet)
				print_routes(cli, &e, a, rows, n);
			if (n == 0 && !cli->quiet && strcmp(cli_output(cli), "text") == 0)
				fprintf(stderr, "btpctl effective: no route is attached to a "
				    "Gateway listener in the input (%zu BackendTrafficPolicy "
				    "object(s) read); name the Gateways and routes too, or use "
				    "--status\n", e.npolicies);
			rc = EXIT_CLEAN;
		}
		free(rows);
	}
	effective_release(&e);
	free(cms);
	if (r.io_rc)
		rc = EXIT_INPUT;
	else if (rc == EXIT_CLEAN && r.diags.count[SEV_ERROR] > 0)
		rc = EXIT_FINDINGS;
out:
	run_release(&r);
	free(rf.ns);
	free(gf.ns);
	return rc;
}

const struct command cmd_effective = {
	"effective",
	"show the policy each route really gets, field by field, and why",
	"[options] PATH...",
	"text|yaml|json",
	run_effective, effective_opts, false,
};
