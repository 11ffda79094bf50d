/*
 * cmd_simulate.c: btpctl simulate POLICY -- what a BackendTrafficPolicy
 * does under synthetic load and faults, before it ships: a deterministic
 * simulation of Envoy's upstream path (src/sim/), reported as text, JSON,
 * CSV or SVG, optionally side by side with another policy, plus the
 * consistent-hash lookups --where and --table.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "cli.h"
#include "diag.h"
#include "effective.h"
#include "load.h"
#include "policy.h"
#include "run.h"
#include "schema.h"
#include "seed.h"
#include "sim/sim.h"
#include "util.h"

static const char *scenario_path, *series_path, *plot_path, *compare_path, *where_key;
static const char *route_arg;
static struct strlist sets;
static long seed_arg = LONG_MIN;
static bool table_flag;

static const struct opt simulate_opts[] = {
	{ "scenario", 0, OPT_STRING, "FILE", "scenario file (default: the embedded one)",
	  &scenario_path, NULL },
	{ "set", 0, OPT_MULTI, "KEY=VALUE", "override a scenario field, e.g. spec.load.rate=2000",
	  &sets, NULL },
	{ "seed", 0, OPT_INT, "N", "random seed (same seed, same result everywhere)",
	  &seed_arg, NULL },
	{ "series", 0, OPT_STRING, "FILE.csv", "write the per-interval series as CSV",
	  &series_path, NULL },
	{ "plot", 0, OPT_STRING, "FILE.svg", "draw the timeline as an SVG chart",
	  &plot_path, NULL },
	{ "compare", 0, OPT_STRING, "OTHER_POLICY", "run another policy on the same scenario "
	  "and seed and show both", &compare_path, NULL },
	{ "where", 0, OPT_STRING, "KEY", "which backend a consistent-hash key lands on",
	  &where_key, NULL },
	{ "table", 0, OPT_FLAG, NULL, "print the Maglev table as JSON", &table_flag, NULL },
	{ "route", 0, OPT_STRING, "NS/NAME[/RULE]", "simulate the effective policy of this "
	  "route (and rule) over the manifests given", &route_arg, NULL },
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

/*
 * Diagnostics go to stderr as text whatever -o says: stdout carries the
 * report (one JSON document with -o json).
 */
static void
print_diags(const struct cli *cli, struct diags *d)
{
	struct render_opts ro;

	if (cli->quiet)
		return;
	ro.color = cli->color_err;
	ro.caret = true;
	diags_print_text(d, stderr, &ro);
}

struct policy_in {
	struct run	 run;
	struct effective eff;
	bool		 have_eff;
	struct object	 obj;		/* --route: the effective policy as an object */
	struct arena	*arena;
	struct policy	 pol;
	char		 name[256];
	struct sim_config cfg;
};

/* The policy's configuration; an exit code. */
/* Say which seed-description spellings were read by their meaning. */
static void
seed_notes(struct policy_in *p)
{
	const struct policy_seed_use *u;
	const struct seed_fix *f;
	size_t i;

	for (i = 0; i < p->pol.nseed_used; i++) {
		u = &p->pol.seed_used[i];
		f = u->fix;
		if (f->value != NULL && f->value[0] == '\0')
			diag_add(&p->run.diags, SEV_INFO, "simulate", &u->loc,
			    "read the missing %s by its meaning (the API server requires it)",
			    u->path);
		else if (f->upstream_value != NULL)
			diag_add(&p->run.diags, SEV_INFO, "simulate", &u->loc,
			    "read %s: %s as %s: %s (the API server rejects this value)",
			    u->path, f->value, f->upstream ? f->upstream : u->path,
			    f->upstream_value);
		else if (f->upstream != NULL)
			diag_add(&p->run.diags, SEV_INFO, "simulate", &u->loc,
			    "read %s as %s (the API server rejects this spelling)", u->path,
			    f->upstream);
	}
}

/* True when path was read by its meaning as a seed-description spelling. */
static bool
seed_path(const struct policy_in *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->pol.nseed_used; i++)
		if (strcmp(p->pol.seed_used[i].path, path) == 0)
			return true;
	return false;
}

/*
 * Fields the CRD does not know (a typo such as "retyr") are ignored by the
 * simulation; say so, or the run looks like it honoured them.
 */
static void
unknown_fields(struct policy_in *p, const struct snode *s, const struct node *n,
    struct strbuf *path)
{
	const struct snode *sub;
	size_t i, j, mark = path->len;

	if (s == NULL || n == NULL)
		return;
	if (n->kind == NODE_SEQ && s->items != NULL) {
		for (i = 0; i < n->n; i++) {
			sb_printf(path, "[%zu]", i);
			unknown_fields(p, s->items, n->items[i], path);
			path->len = mark;
			path->buf[mark] = '\0';
		}
		return;
	}
	if (n->kind != NODE_MAP || s->preserve_unknown)
		return;
	for (i = 0; i < n->n; i++) {
		sub = s->has_props ? NULL : s->additional;
		for (j = 0; s->has_props && j < s->nprops; j++)
			if (strcmp(s->props[j].name, n->pairs[i].key->str) == 0)
				sub = s->props[j].s;
		sb_printf(path, ".%s", n->pairs[i].key->str);
		if (sub != NULL)
			unknown_fields(p, sub, n->pairs[i].val, path);
		else if (s->has_props && !seed_path(p, path->buf))
			diag_add(&p->run.diags, SEV_WARNING, "simulate", &n->pairs[i].key->loc,
			    "unknown field %s: the simulation ignores it", path->buf);
		path->len = mark;
		path->buf[mark] = '\0';
	}
}

static void
check_unknown(struct policy_in *p, const struct object *o)
{
	struct diags d;
	struct schema *sc;
	struct strbuf path;

	diags_init(&d);
	sc = schema_load_embedded(NULL, SCHEMA_NO_CEL, &d);
	diags_release(&d);
	if (sc == NULL)
		return;
	sb_init(&path);
	sb_adds(&path, "spec");
	unknown_fields(p, schema_lookup(sc, "spec"), o->spec, &path);
	sb_release(&path);
	schema_free(sc);
}

static int
configure(struct cli *cli, struct policy_in *p, const struct object *o)
{
	p->arena = arena_new();
	policy_build(p->arena, o, &p->pol, &p->run.diags);
	seed_notes(p);
	if (o->spec != NULL)
		check_unknown(p, o);
	if (!sim_config_from_policy(&p->cfg, &p->pol, &p->run.diags)) {
		diags_sort(&p->run.diags);
		print_diags(cli, &p->run.diags);
		return EXIT_USAGE;
	}
	if (p->run.diags.n > 0 && !cli->quiet) {
		diags_sort(&p->run.diags);
		print_diags(cli, &p->run.diags);
	}
	return 0;
}

/* The entry of --route NS/NAME[/RULE] in p's effective result, or NULL. */
static const struct eff_route *
find_route(const struct policy_in *p, const char *arg, size_t *nmatch)
{
	const struct eff_route *r, *first = NULL;
	char *s = xstrdup(arg), *name, *rule = NULL, idx[32];
	size_t i;

	*nmatch = 0;
	name = strchr(s, '/');
	if (name == NULL) {
		free(s);
		return NULL;
	}
	*name++ = '\0';
	if ((rule = strchr(name, '/')) != NULL)
		*rule++ = '\0';
	for (i = 0; i < p->eff.nroutes; i++) {
		r = &p->eff.routes[i];
		if (strcmp(object_ns(r->route), s) != 0 || strcmp(r->route->name, name) != 0)
			continue;
		snprintf(idx, sizeof(idx), "%d", r->rule_index);
		if (rule != NULL && strcmp(rule, idx) != 0 &&
		    (r->rule_name == NULL || strcmp(rule, r->rule_name) != 0))
			continue;
		if (first == NULL)
			first = r;
		(*nmatch)++;
	}
	free(s);
	return first;
}

/*
 * Load what paths name into p: the single BackendTrafficPolicy, or with
 * --route the effective policy of that route over all the manifests.
 * Returns an exit code.
 */
static int
load_policy(struct cli *cli, int n, char **paths, struct policy_in *p)
{
	const struct object *o = NULL;
	const struct eff_route *er;
	struct eff_opts eo;
	size_t i, nbtp = 0, nmatch;
	int rc;

	run_init(&p->run);
	if ((rc = run_load(&p->run, cli, "simulate", n, paths)) != 0)
		return rc;
	if (p->run.io_rc != 0 || p->run.parse_rc != 0) {
		print_diags(cli, &p->run.diags);
		return p->run.io_rc ? p->run.io_rc : EXIT_USAGE;
	}
	if (route_arg != NULL) {
		eff_opts_init(&eo);
		effective_compute(&p->eff, &p->run.os, &eo);
		p->have_eff = true;
		if ((er = find_route(p, route_arg, &nmatch)) == NULL) {
			fprintf(stderr, "btpctl simulate: --route %s: no such route (NS/NAME[/RULE]) "
			    "attached to a listener in the inputs\n", route_arg);
			return EXIT_USAGE;
		}
		if (er->invalid != NULL) {
			fprintf(stderr, "btpctl simulate: route %s: the winning policy is invalid "
			    "(%s); Envoy Gateway answers every request with 500\n", route_arg,
			    er->invalid);
			return EXIT_USAGE;
		}
		if (nmatch > 1 && !cli->quiet)
			fprintf(stderr, "btpctl simulate: route %s has %zu listener and rule "
			    "entries; simulating the first (%s, rule %d)\n", route_arg, nmatch,
			    er->listener, er->rule_index);
		memset(&p->obj, 0, sizeof(p->obj));
		p->obj.type = OBJ_BTP;
		p->obj.kind = "BackendTrafficPolicy";
		p->obj.group = "gateway.envoyproxy.io";
		p->obj.ns = object_ns(er->route);
		p->obj.name = er->route->name;
		p->obj.spec = er->spec;
		snprintf(p->name, sizeof(p->name), "route %s (%zu polic%s)", route_arg,
		    er->npolicies, er->npolicies == 1 ? "y" : "ies");
		return configure(cli, p, &p->obj);
	}
	for (i = 0; i < p->run.os.n; i++)
		if (p->run.os.v[i].type == OBJ_BTP) {
			if (o == NULL)
				o = &p->run.os.v[i];
			nbtp++;
		}
	if (n != 1 || nbtp != 1) {
		fprintf(stderr, "btpctl simulate: %s: %s BackendTrafficPolicy; simulate takes "
		    "exactly one (or use --route over several)\n", paths[0],
		    nbtp == 0 ? "no" : "more than one");
		return EXIT_USAGE;
	}
	snprintf(p->name, sizeof(p->name), "%s/%s", object_ns(o), *o->name ? o->name : "(unnamed)");
	return configure(cli, p, o);
}

static void
policy_in_free(struct policy_in *p)
{
	if (p == NULL)
		return;
	if (p->have_eff)
		effective_release(&p->eff);
	run_release(&p->run);
	if (p->arena != NULL)
		arena_free(p->arena);
	free(p);
}

struct scen_in {
	struct inputs	 in;
	struct docset	 ds;
	struct diags	 diags;
	struct sim_scenario sc;
};

static int
load_scenario(struct cli *cli, struct scen_in *s)
{
	struct load_opts lo;
	struct node *root = NULL;
	int rc;

	inputs_init(&s->in);
	docset_init(&s->ds);
	diags_init(&s->diags);
	load_opts_init(&lo);
	if (scenario_path != NULL) {
		if ((rc = inputs_add(&s->in, scenario_path, &lo, &s->diags)) != 0) {
			print_diags(cli, &s->diags);
			return rc;
		}
	} else
		inputs_add_bytes(&s->in, "scenario-default.yaml",
		    xstrdup(sim_default_scenario_text()), strlen(sim_default_scenario_text()));
	if (docset_load(&s->ds, &s->in, &lo, &s->diags) != 0 || s->ds.n == 0) {
		if (s->ds.n == 0)
			diag_add_file(&s->diags, SEV_ERROR, "scenario", scenario_path,
			    "no Scenario document");
		print_diags(cli, &s->diags);
		return EXIT_USAGE;
	}
	root = s->ds.v[0].root;
	if (!sim_scenario_parse(&s->sc, root, sets.v, (size_t)sets.n, s->ds.arena,
	    &s->diags)) {
		diags_sort(&s->diags);
		print_diags(cli, &s->diags);
		return EXIT_USAGE;
	}
	if (seed_arg != LONG_MIN)
		s->sc.seed = (uint64_t)seed_arg;
	if (s->sc.name[0] == '\0')
		snprintf(s->sc.name, sizeof(s->sc.name), "%s",
		    scenario_path ? scenario_path : "default");
	return 0;
}

static void
scen_release(struct scen_in *s)
{
	sim_scenario_release(&s->sc);
	docset_release(&s->ds);
	inputs_release(&s->in);
	diags_release(&s->diags);
}

struct progress {
	bool		 on;
	time_t		 start;
	bool		 shown;
	const char	*what;
};

static void
progress_cb(double f, void *ud)
{
	struct progress *p = ud;

	if (!p->on || time(NULL) - p->start < 1)
		return;
	fprintf(stderr, "\rbtpctl simulate: %s %3d%%", p->what, (int)(f * 100));
	p->shown = true;
}

static int
write_file(const char *path, const struct strbuf *sb)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fwrite(sb->buf, 1, sb->len, f) != sb->len || fclose(f) != 0) {
		fprintf(stderr, "btpctl simulate: cannot write %s\n", path);
		return EXIT_INPUT;
	}
	return 0;
}

static int
do_hash(struct cli *cli, struct policy_in *p, const struct sim_scenario *sc)
{
	struct sim_maglev mg;
	const char **keys;
	double *w;
	uint64_t h;
	size_t i;
	bool json = strcmp(cli_output(cli), "json") == 0;
	json_t *js = NULL;

	if (p->cfg.lb != SIM_LB_MAGLEV) {
		fprintf(stderr, "btpctl simulate: %s does not use consistent hashing "
		    "(loadBalancer.type ConsistentHash)\n", p->name);
		return EXIT_USAGE;
	}
	if (json && where_key != NULL && (js = json_string(where_key)) == NULL) {
		fprintf(stderr, "btpctl simulate: --where: the key is not valid UTF-8, "
		    "which JSON cannot carry\n");
		return EXIT_USAGE;
	}
	json_decref(js);
	keys = xcalloc(sc->nbackends, sizeof(char *));
	w = xcalloc(sc->nbackends, sizeof(double));
	for (i = 0; i < sc->nbackends; i++) {
		keys[i] = sc->backends[i].address;
		w[i] = sc->backends[i].weight;
	}
	sim_maglev_build(&mg, keys, w, sc->nbackends, p->cfg.table_size);
	if (where_key != NULL && !cli->quiet) {
		h = sim_key_hash(&p->cfg, where_key);
		if (json) {
			printf("{\"key\": \"");
			for (i = 0; where_key[i]; i++)
				if (where_key[i] == '"' || where_key[i] == '\\')
					printf("\\%c", where_key[i]);
				else if ((unsigned char)where_key[i] < 0x20)
					printf("\\u%04x", where_key[i]);
				else
					putchar(where_key[i]);
			/* with --table too, one JSON object carries both */
			printf("\", \"hash\": \"%llu\", \"host\": \"%s\"%s",
			    (unsigned long long)h, keys[sim_maglev_pick(&mg, h, 0)],
			    table_flag ? ",\n " : "}\n");
		} else
			printf("%s -> %s (hash %llu, slot %llu of %llu)\n", where_key,
			    keys[sim_maglev_pick(&mg, h, 0)], (unsigned long long)h,
			    (unsigned long long)(h % mg.size), (unsigned long long)mg.size);
	}
	if (table_flag && !cli->quiet) {
		printf("%s\"tableSize\": %llu, \"hosts\": [",
		    json && where_key != NULL ? "" : "{", (unsigned long long)mg.size);
		for (i = 0; i < mg.nhosts; i++)
			printf("%s\"%s\"", i ? ", " : "", keys[mg.order[i]]);
		printf("],\n \"table\": [");
		for (i = 0; i < mg.size; i++)
			printf("%s\"%s\"", i == 0 ? "" : i % 8 ? ", " : ",\n  ",
			    keys[mg.table[i]]);
		printf("]}\n");
	}
	sim_maglev_release(&mg);
	free(keys);
	free(w);
	return 0;
}

static int
run_simulate(struct cli *cli, int argc, char **argv)
{
	struct policy_in *pa = NULL, *pb = NULL;
	struct scen_in si;
	struct sim_result ra, rb;
	struct sim_run_info ia, ib;
	struct strbuf sb;
	struct progress pr;
	int rc = 0;

	memset(&si, 0, sizeof(si));
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	if ((rc = cli_check_output(cli, &cmd_simulate)) != 0)
		return rc;
	if (seed_arg != LONG_MIN && seed_arg < 0) {
		fprintf(stderr, "btpctl simulate: --seed wants a non-negative integer\n");
		return EXIT_USAGE;
	}
	if (argc == 0 || (argc > 1 && route_arg == NULL)) {
		fprintf(stderr, "btpctl simulate: %s\nTry 'btpctl simulate --help'.\n",
		    argc == 0 ? "name a policy file (or manifests with --route)" :
		    "name exactly one policy file (or use --route over manifests)");
		return EXIT_USAGE;
	}
	pa = xcalloc(1, sizeof(*pa));
	if ((rc = load_policy(cli, argc, argv, pa)) != 0)
		goto out;
	if ((rc = load_scenario(cli, &si)) != 0)
		goto out;
	if (where_key != NULL || table_flag) {
		rc = do_hash(cli, pa, &si.sc);
		goto out;
	}
	if (compare_path != NULL) {
		char *cp[1];

		cp[0] = (char *)compare_path;
		pb = xcalloc(1, sizeof(*pb));
		if ((rc = load_policy(cli, 1, cp, pb)) != 0)
			goto out;
		pb->cfg.http2 = si.sc.http2;
	}
	pa->cfg.http2 = si.sc.http2;
	pr.on = isatty(2) && !cli->quiet;
	pr.start = time(NULL);
	pr.shown = false;
	pr.what = pa->name;
	if (sim_run(&pa->cfg, &si.sc, &ra, progress_cb, &pr, &si.diags) != 0 ||
	    (pb != NULL && (pr.what = pb->name, sim_run(&pb->cfg, &si.sc, &rb, progress_cb,
	    &pr, &si.diags)) != 0)) {
		print_diags(cli, &si.diags);
		rc = EXIT_USAGE;
		goto out;
	}
	if (pr.shown)
		fprintf(stderr, "\r\033[K");
	ia = (struct sim_run_info){ pa->name, si.sc.name, &pa->cfg, &si.sc, &ra };
	if (pb != NULL)
		ib = (struct sim_run_info){ pb->name, si.sc.name, &pb->cfg, &si.sc, &rb };
	sb_init(&sb);
	if (strcmp(cli_output(cli), "json") == 0)
		sim_render_json(&sb, &ia, pb ? &ib : NULL);
	else if (pb != NULL)
		sim_render_compare(&sb, &ia, &ib, cli->color);
	else
		sim_render_text(&sb, &ia, cli->color);
	if (!cli->quiet)
		fwrite(sb.buf, 1, sb.len, stdout);
	if (series_path != NULL) {
		sb_reset(&sb);
		sim_render_csv(&sb, &ia, pb ? &ib : NULL);
		rc = write_file(series_path, &sb);
	}
	if (plot_path != NULL && rc == 0) {
		sb_reset(&sb);
		sim_render_svg(&sb, &ia, pb ? &ib : NULL);
		rc = write_file(plot_path, &sb);
	}
	sb_release(&sb);
out:
	sim_result_release(&ra);
	sim_result_release(&rb);
	scen_release(&si);
	policy_in_free(pa);
	policy_in_free(pb);
	free(sets.v);
	return rc;
}

const struct command cmd_simulate = {
	"simulate",
	"simulate what a policy does under load and faults, as Envoy would",
	"[options] POLICY | --route NS/NAME[/RULE] MANIFEST...",
	"text|json",
	run_simulate, simulate_opts, false,
};
