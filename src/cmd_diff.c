/*
 * cmd_diff.c: btpctl diff OLD NEW -- what a change to policies really
 * changes, object by object, with impact notes; text (unified-diff-like),
 * JSON, or just the exit code.  Each side is a file, a directory (also
 * kubectl diff's directories of extension-less files) or "-".
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "cli.h"
#include "diff.h"
#include "effective.h"
#include "par.h"
#include "run.h"
#include "source.h"
#include "util.h"

static bool	opt_ignore_defaults;
static bool	opt_effective;

static const struct opt diff_opts_table[] = {
	{ "ignore-defaults", 0, OPT_FLAG, NULL,
	  "treat an unset field and its default value as equal", &opt_ignore_defaults, NULL },
	{ "effective", 0, OPT_FLAG, NULL,
	  "also compare the effective policy of every route (rule) per gateway listener",
	  &opt_effective, NULL },
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

#define C_RESET		"\033[0m"
#define C_BOLD		"\033[1m"
#define C_RED		"\033[31m"
#define C_GREEN		"\033[32m"
#define C_YELLOW	"\033[33m"
#define C_CYAN		"\033[36m"

/*
 * kubectl diff names its files GROUP.VERSION.KIND.NAMESPACE.NAME without
 * an extension (the group and the namespace may be empty).
 */
static bool
kubectl_name(const char *name)
{
	const char *p = name, *e;
	size_t n;

	for (; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ".");
		n = (size_t)(e - p);
		if (n >= 2 && p[0] == 'v' && isdigit((unsigned char)p[1]) && *e == '.' &&
		    isupper((unsigned char)e[1])) {
			size_t i = 1;

			while (i < n && isdigit((unsigned char)p[i]))
				i++;
			if (i == n || (n - i > 4 && (strncmp(p + i, "alpha", 5) == 0 ||
			    strncmp(p + i, "beta", 4) == 0)))
				return strchr(e + 1, '.') != NULL;
		}
	}
	return false;
}

static bool
diff_file_filter(const char *name)
{
	return load_yaml_name(name) || kubectl_name(name);
}

static const char *
op_name(enum diff_op op)
{
	return op == DIFF_ADDED ? "added" : op == DIFF_REMOVED ? "removed" : "changed";
}

static const struct object *
any_obj(const struct diff_object *d)
{
	return d->new_obj ? d->new_obj : d->old_obj;
}

/* ---- text ---- */

static void
put_value(struct strbuf *sb, const struct node *v)
{
	if (v == NULL)
		sb_adds(sb, "(unset)");
	else
		node_to_json(v, sb);
}

static void
print_from(const struct diff_change *c)
{
	if (c->old_from == NULL && c->new_from == NULL)
		return;
	if (c->old_from != NULL && c->new_from != NULL &&
	    strcmp(c->old_from, c->new_from) != 0)
		printf("  [%s \xe2\x86\x92 %s]", c->old_from, c->new_from);
	else
		printf("  [%s]", c->new_from ? c->new_from : c->old_from);
}

static void
print_changes(const struct diff_change *changes, size_t n, bool color,
    struct strbuf *sb)
{
	const char *col[3] = { C_GREEN, C_RED, C_YELLOW };
	const char *mark = "+-~", *p;
	const struct diff_change *c;
	size_t j, len;

	for (j = 0; j < n; j++) {
		c = &changes[j];
		sb_reset(sb);
		if (c->op == DIFF_CHANGED) {
			put_value(sb, c->old_val);
			sb_adds(sb, " \xe2\x86\x92 ");
			put_value(sb, c->new_val);
		} else
			put_value(sb, c->op == DIFF_ADDED ? c->new_val : c->old_val);
		printf("  %s%c %s: %s%s", color ? col[c->op] : "", mark[c->op],
		    c->path, sb->buf, color ? C_RESET : "");
		print_from(c);
		putchar('\n');
		for (p = c->impact; p != NULL && *p != '\0'; p += len) {
			len = strcspn(p, "\n");
			printf("    %s! %.*s%s\n", color ? C_CYAN : "", (int)len, p,
			    color ? C_RESET : "");
			if (p[len] == '\n')
				len++;
		}
	}
}

static const char *
policy_names(struct arena *a, const struct eff_route *r)
{
	char *s = arena_strdup(a, "");
	size_t i;

	if (r == NULL || r->npolicies == 0)
		return "(none)";
	for (i = 0; i < r->npolicies; i++)
		s = arena_printf(a, "%s%s%s/%s", s, i ? ", " : "",
		    object_ns(r->policies[i]->obj), r->policies[i]->obj->name);
	return s;
}

static void
print_route(const struct diff_route *d, struct arena *a, bool color,
    struct strbuf *sb)
{
	const char *col[3] = { C_GREEN, C_RED, C_YELLOW };
	const struct eff_route *r = d->new_route ? d->new_route : d->old_route;
	const char *po = policy_names(a, d->old_route), *pn = policy_names(a, d->new_route);

	printf("%s%c %s %s/%s", color ? col[d->status] : "", "+-~"[d->status],
	    r->route->kind, object_ns(r->route), r->route->name);
	if (r->rule_name != NULL)
		printf(" rule %s", r->rule_name);
	else if (r->rule_index >= 0)
		printf(" rule %d", r->rule_index);
	printf("%s  (gateway %s/%s", color ? C_RESET : "", object_ns(r->gateway),
	    r->gateway->name);
	if (r->listenerset != NULL)
		printf(", listenerset %s/%s", object_ns(r->listenerset),
		    r->listenerset->name);
	printf(", listener %s)\n", r->listener);
	if (strcmp(po, pn) != 0)
		printf("    policies: %s \xe2\x86\x92 %s\n", po, pn);
	else
		printf("    policies: %s\n", pn);
	print_changes(d->changes, d->nchanges, color, sb);
}

static void
print_text(const struct cli *cli, const char *old_name, const char *new_name,
    const struct diff_result *r, size_t counts[3], const struct diff_routes *rt,
    size_t rcounts[3])
{
	const char *col[3] = { C_GREEN, C_RED, C_YELLOW };
	const char *mark = "+-~";
	const struct diff_object *d;
	const struct object *o;
	struct strbuf sb;
	size_t i;
	bool color = cli->color;

	if (r->n == 0 && (rt == NULL || rt->n == 0))
		return;
	sb_init(&sb);
	printf("%s--- %s%s\n", color ? C_BOLD : "", old_name, color ? C_RESET : "");
	printf("%s+++ %s%s\n", color ? C_BOLD : "", new_name, color ? C_RESET : "");
	for (i = 0; i < r->n; i++) {
		d = &r->v[i];
		o = any_obj(d);
		printf("%s%c %s %s%s%s%s", color ? col[d->status] : "", mark[d->status],
		    o->kind, o->type == OBJ_NAMESPACE ? "" : object_ns(o),
		    o->type == OBJ_NAMESPACE ? "" : "/",
		    o->name[0] != '\0' ? o->name : "(no name)", color ? C_RESET : "");
		if (o->root->loc.src != NULL)
			printf("  (%s:%d)", o->root->loc.src->name, o->root->loc.line);
		putchar('\n');
		print_changes(d->changes, d->nchanges, color, &sb);
	}
	printf("%zu changed, %zu added, %zu removed, %zu unchanged\n",
	    counts[DIFF_CHANGED], counts[DIFF_ADDED], counts[DIFF_REMOVED], r->unchanged);
	if (rt != NULL) {
		printf("%seffective policy per route:%s\n", color ? C_BOLD : "",
		    color ? C_RESET : "");
		for (i = 0; i < rt->n; i++)
			print_route(&rt->v[i], rt->arena, color, &sb);
		printf("%zu routes changed, %zu added, %zu removed, %zu unchanged\n",
		    rcounts[DIFF_CHANGED], rcounts[DIFF_ADDED], rcounts[DIFF_REMOVED],
		    rt->unchanged);
	}
	sb_release(&sb);
}

/* ---- json ---- */

static json_t *
node_json(const struct node *n)
{
	json_t *j;
	size_t i;

	switch (n->kind) {
	case NODE_NULL:
		return json_null();
	case NODE_BOOL:
		return json_boolean(n->b);
	case NODE_INT:
		return json_integer(n->i);
	case NODE_FLOAT:
		return json_real(n->f);
	case NODE_STRING:
		return json_stringn_nocheck(n->str, n->len);
	case NODE_MAP:
		j = json_object();
		for (i = 0; i < n->n; i++)
			json_object_set_new_nocheck(j, n->pairs[i].key->str,
			    node_json(n->pairs[i].val));
		return j;
	case NODE_SEQ:
		j = json_array();
		for (i = 0; i < n->n; i++)
			json_array_append_new(j, node_json(n->items[i]));
		return j;
	}
	return json_null();
}

/* Notes joined by "; " (the text output shows one per line). */
static json_t *
impact_json(const char *impact)
{
	struct strbuf sb;
	json_t *j;
	const char *p;

	sb_init(&sb);
	for (p = impact; *p != '\0'; p++)
		if (*p == '\n')
			sb_adds(&sb, "; ");
		else
			sb_addc(&sb, *p);
	j = json_string(sb.buf);
	sb_release(&sb);
	return j;
}

static json_t *
where_json(const struct object *o)
{
	if (o == NULL || o->root->loc.src == NULL)
		return json_null();
	return json_pack("{s:s, s:i}", "file", o->root->loc.src->name,
	    "line", o->root->loc.line);
}

static json_t *
changes_json(const struct diff_change *changes, size_t n)
{
	json_t *chs = json_array(), *jc;
	const struct diff_change *c;
	size_t j;

	for (j = 0; j < n; j++) {
		c = &changes[j];
		jc = json_object();
		json_object_set_new(jc, "path", json_string(c->path));
		json_object_set_new(jc, "op", json_string(op_name(c->op)));
		if (c->old_val != NULL)
			json_object_set_new(jc, "old", node_json(c->old_val));
		if (c->new_val != NULL)
			json_object_set_new(jc, "new", node_json(c->new_val));
		if (c->impact != NULL)
			json_object_set_new(jc, "impact", impact_json(c->impact));
		if (c->old_from != NULL)
			json_object_set_new(jc, "oldFrom", json_string(c->old_from));
		if (c->new_from != NULL)
			json_object_set_new(jc, "newFrom", json_string(c->new_from));
		json_array_append_new(chs, jc);
	}
	return chs;
}

static json_t *
policies_json(const struct eff_route *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; r != NULL && i < r->npolicies; i++)
		json_array_append_new(a, json_sprintf("%s/%s",
		    object_ns(r->policies[i]->obj), r->policies[i]->obj->name));
	return a;
}

static json_t *
routes_json(const struct diff_routes *rt)
{
	json_t *a = json_array(), *jr;
	const struct diff_route *d;
	const struct eff_route *r;
	size_t i;

	for (i = 0; i < rt->n; i++) {
		d = &rt->v[i];
		r = d->new_route ? d->new_route : d->old_route;
		jr = json_object();
		json_object_set_new(jr, "gateway", json_sprintf("%s/%s",
		    object_ns(r->gateway), r->gateway->name));
		if (r->listenerset != NULL)
			json_object_set_new(jr, "listenerSet", json_sprintf("%s/%s",
			    object_ns(r->listenerset), r->listenerset->name));
		json_object_set_new(jr, "listener", json_string(r->listener));
		json_object_set_new(jr, "route", json_pack("{s:s, s:s, s:s}",
		    "kind", r->route->kind, "namespace", object_ns(r->route),
		    "name", r->route->name));
		json_object_set_new(jr, "rule", r->rule_name ? json_string(r->rule_name) :
		    r->rule_index >= 0 ? json_integer(r->rule_index) : json_null());
		json_object_set_new(jr, "status", json_string(op_name(d->status)));
		json_object_set_new(jr, "policies", json_pack("{s:o, s:o}",
		    "old", policies_json(d->old_route), "new", policies_json(d->new_route)));
		json_object_set_new(jr, "changes", changes_json(d->changes, d->nchanges));
		json_array_append_new(a, jr);
	}
	return a;
}

static json_t *
summary_json(size_t counts[3], size_t unchanged)
{
	return json_pack("{s:I, s:I, s:I, s:I}",
	    "changed", (json_int_t)counts[DIFF_CHANGED],
	    "added", (json_int_t)counts[DIFF_ADDED],
	    "removed", (json_int_t)counts[DIFF_REMOVED],
	    "unchanged", (json_int_t)unchanged);
}

static void
print_json(const struct diff_result *r, size_t counts[3],
    const struct diff_routes *rt, size_t rcounts[3])
{
	json_t *root = json_object(), *objs = json_array(), *jo, *chs, *sum;
	const struct diff_object *d;
	const struct object *o;
	size_t i;

	json_object_set_new(root, "version", json_integer(1));
	for (i = 0; i < r->n; i++) {
		d = &r->v[i];
		o = any_obj(d);
		jo = json_object();
		json_object_set_new(jo, "group", json_string(o->group));
		json_object_set_new(jo, "kind", json_string(o->kind));
		json_object_set_new(jo, "namespace", json_string(o->type == OBJ_NAMESPACE ?
		    "" : object_ns(o)));
		json_object_set_new(jo, "name", json_string(o->name));
		json_object_set_new(jo, "status", json_string(op_name(d->status)));
		json_object_set_new(jo, "old", where_json(d->old_obj));
		json_object_set_new(jo, "new", where_json(d->new_obj));
		chs = changes_json(d->changes, d->nchanges);
		json_object_set_new(jo, "changes", chs);
		json_array_append_new(objs, jo);
	}
	json_object_set_new(root, "objects", objs);
	if (rt != NULL)
		json_object_set_new(root, "routes", routes_json(rt));
	sum = summary_json(counts, r->unchanged);
	if (rt != NULL)
		json_object_set_new(sum, "routes", summary_json(rcounts, rt->unchanged));
	json_object_set_new(root, "summary", sum);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
}

/* ---- command ---- */

/*
 * Each diagnostic once: with the same file on both sides (a directory
 * against itself, kubectl's unchanged files), its warnings come twice.
 */
static void
diags_unique(struct diags *d)
{
	struct diags u;
	const struct diag *g, *h;
	struct diag *n;
	size_t i, j;

	diags_init(&u);
	for (i = 0; i < d->n; i++) {
		g = &d->v[i];
		for (j = 0; j < u.n; j++) {
			h = &u.v[j];
			if (h->loc.line == g->loc.line && h->loc.col == g->loc.col &&
			    strcmp(h->message, g->message) == 0 &&
			    (h->file == g->file || (h->file && g->file &&
			    strcmp(h->file, g->file) == 0)))
				break;
		}
		if (j < u.n)
			continue;
		n = g->loc.src != NULL ?
		    diag_add(&u, g->sev, g->code, &g->loc, "%s", g->message) :
		    diag_add_file(&u, g->sev, g->code, g->file, "%s", g->message);
		if (g->path != NULL)
			diag_set_path(n, g->path);
		if (g->fix != NULL)
			diag_set_fix(n, g->fix);
		if (g->obj.kind != NULL || g->obj.name != NULL)
			diag_set_object(n, g->obj.kind, g->obj.ns, g->obj.name);
		if (g->note != NULL)
			diag_set_note(n, &g->note_loc, "%s", g->note);
	}
	diags_release(d);
	*d = u;
}

struct side {
	struct run	*r;
	const struct cli *cli;
};

/* Parse and index one side whose inputs are read (a thread's job). */
static void *
parse_side(void *arg)
{
	struct side *s = arg;

	s->r->parse_rc = docset_load(&s->r->ds, &s->r->in, &s->r->lo, &s->r->diags);
	objset_add_docs(&s->r->os, &s->r->ds, &s->r->diags, s->cli->verbose > 0);
	return NULL;
}

/* Read both sides' inputs (on this thread: stdin, URLs and the cache). */
static void
read_sides(struct run *ro, struct run *rn, const struct cli *cli, char **argv)
{
	ro->lo.empty_ok = rn->lo.empty_ok = true;	/* kubectl diff writes empty files */
	ro->lo.dir_filter = rn->lo.dir_filter = diff_file_filter;
	run_inputs(ro, cli, "diff", 1, &argv[0]);
	run_inputs(rn, cli, "diff", 1, &argv[1]);
}

/*
 * Parse both sides whole (the effective diff needs every object), at the
 * same time when more than one thread is allowed.
 */
static void
parse_sides(struct run *ro, struct run *rn, const struct cli *cli)
{
	struct side so = { ro, cli }, sn = { rn, cli };
	pthread_t t;
	int jobs = cli->jobs != 0 ? cli->jobs : par_default_jobs();

	if (jobs > 1 && pthread_create(&t, NULL, parse_side, &so) == 0) {
		parse_side(&sn);
		pthread_join(t, NULL);
		return;
	}
	parse_side(&so);
	parse_side(&sn);
}

static int
run_diff(struct cli *cli, int argc, char **argv)
{
	struct run ro, rn;
	struct diff_opts o;
	struct diff_result res;
	struct diff_routes routes, *rt = NULL;
	struct diff_side so, sn;
	struct render_opts rend;
	size_t counts[3] = { 0, 0, 0 }, rcounts[3] = { 0, 0, 0 }, i, same = 0;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "btpctl diff: need two operands, OLD and NEW (got %d)\n"
		    "Try 'btpctl diff --help'.\n", argc);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "-") == 0 && strcmp(argv[1], "-") == 0) {
		fprintf(stderr, "btpctl diff: only one side can be read from stdin\n"
		    "Try 'btpctl diff --help'.\n");
		return EXIT_USAGE;
	}
	run_init(&ro);
	run_init(&rn);
	memset(&so, 0, sizeof(so));
	memset(&sn, 0, sizeof(sn));
	read_sides(&ro, &rn, cli, argv);
	if (opt_effective)
		parse_sides(&ro, &rn, cli);
	else if (!ro.io_rc && !rn.io_rc)
		ro.parse_rc = diff_load_sides(&ro.in, &rn.in, &ro.lo, cli->jobs,
		    cli->verbose > 0, &so, &sn, &same, &ro.diags);
	diags_append(&ro.diags, &rn.diags);
	rc = EXIT_CLEAN;
	if (ro.io_rc || rn.io_rc || ro.parse_rc || rn.parse_rc)
		rc = EXIT_INPUT;
	else {
		memset(&o, 0, sizeof(o));
		o.ignore_defaults = opt_ignore_defaults;
		if (opt_effective)
			diff_objsets(&ro.os, &rn.os, &o, &res, &ro.diags);
		else {
			diff_objsets(&so.os, &sn.os, &o, &res, NULL);
			res.unchanged += same;
		}
		for (i = 0; i < res.n; i++)
			counts[res.v[i].status]++;
		if (opt_effective) {
			rt = &routes;
			diff_effective(&ro.os, &rn.os, &o, rt);
			for (i = 0; i < rt->n; i++)
				rcounts[rt->v[i].status]++;
		}
		if (res.n > 0 || (rt != NULL && rt->n > 0))
			rc = EXIT_FINDINGS;
		if (!cli->quiet) {
			if (strcmp(cli_output(cli), "json") == 0)
				print_json(&res, counts, rt, rcounts);
			else
				print_text(cli, argv[0], argv[1], &res, counts, rt, rcounts);
		}
		if (rt != NULL)
			diff_routes_release(rt);
		diff_result_release(&res);
	}
	if (!cli->quiet) {
		diags_sort(&ro.diags);
		diags_unique(&ro.diags);
		rend.color = cli->color_err;
		rend.caret = true;
		diags_print_text(&ro.diags, stderr, &rend);
	}
	diff_side_release(&so);
	diff_side_release(&sn);
	run_release(&ro);
	run_release(&rn);
	return rc;
}

const struct command cmd_diff = {
	"diff",
	"show what a change to policies really changes, with its impact",
	"[options] OLD NEW",
	"text|json",
	run_diff, diff_opts_table, false,
};
