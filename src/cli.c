/*
 * cli.c: option parsing shared by every command, help, colour choice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

static struct cli *cur;		/* the struct the global table writes to */
static const char *g_output, *g_color;
static bool g_quiet, g_help, g_offline;
static int g_verbose;
static long g_jobs;

const struct opt global_opts[] = {
	{ "output", 'o', OPT_STRING, "FORMAT", "output format", &g_output, NULL },
	{ "color", 0, OPT_STRING, "WHEN", "colour: auto, always or never", &g_color,
	  "auto|always|never" },
	{ "quiet", 'q', OPT_FLAG, NULL, "print nothing; the exit code tells", &g_quiet, NULL },
	{ "verbose", 'v', OPT_COUNT, NULL, "say more (repeatable)", &g_verbose, NULL },
	{ "jobs", 'j', OPT_INT, "N", "check documents on N threads (default: one per core)",
	  &g_jobs, NULL },
	{ "offline", 0, OPT_FLAG, NULL, "never use the network (URL inputs fail)",
	  &g_offline, NULL },
	{ "help", 'h', OPT_FLAG, NULL, "show this help", &g_help, NULL },
	{ NULL, 0, OPT_END, NULL, NULL, NULL, NULL },
};

void
strlist_push(struct strlist *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, (size_t)l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

const struct command *
command_find(const char *name)
{
	size_t i;

	for (i = 0; commands[i] != NULL; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

bool
color_wanted(const char *arg, int fd)
{
	const char *e;

	if (arg != NULL && strcmp(arg, "always") == 0)
		return true;
	if (arg != NULL && strcmp(arg, "never") == 0)
		return false;
	if ((e = getenv("NO_COLOR")) != NULL && *e != '\0')
		return false;
	if ((e = getenv("FORCE_COLOR")) != NULL && *e != '\0' && strcmp(e, "0") != 0)
		return true;
	if ((e = getenv("TERM")) != NULL && strcmp(e, "dumb") == 0)
		return false;
	return isatty(fd) == 1;
}

static const struct opt *
find_long(const struct opt *t, const char *name, size_t n)
{
	for (; t->kind != OPT_END; t++)
		if (strlen(t->lng) == n && strncmp(t->lng, name, n) == 0)
			return t;
	return NULL;
}

static const struct opt *
find_short(const struct opt *t, char c)
{
	for (; t->kind != OPT_END; t++)
		if (t->shrt == c)
			return t;
	return NULL;
}

static void
suggest(const struct command *cmd, const char *word)
{
	const char *cands[128], *best;
	size_t n = 0;
	const struct opt *t;

	for (t = global_opts; t->kind != OPT_END && n < nitems(cands) - 1; t++)
		cands[n++] = t->lng;
	for (t = cmd->opts; t && t->kind != OPT_END && n < nitems(cands) - 1; t++)
		cands[n++] = t->lng;
	cands[n] = NULL;
	best = did_you_mean(word, cands);
	if (best != NULL)
		fprintf(stderr, "btpctl %s: did you mean '--%s'?\n", cmd->name, best);
}

static int
set_opt(const struct command *cmd, const struct opt *o, const char *val,
    const char *spelled)
{
	char *end;
	long v;

	switch (o->kind) {
	case OPT_FLAG:
		*(bool *)o->dest = true;
		break;
	case OPT_COUNT:
		(*(int *)o->dest)++;
		break;
	case OPT_STRING:
		*(const char **)o->dest = val;
		break;
	case OPT_MULTI:
		strlist_push(o->dest, val);
		break;
	case OPT_INT:
		errno = 0;
		v = strtol(val, &end, 10);
		if (errno != 0 || *end != '\0' || end == val) {
			fprintf(stderr, "btpctl %s: option '%s' wants a number, not '%s'\n",
			    cmd->name, spelled, val);
			return EXIT_USAGE;
		}
		*(long *)o->dest = v;
		break;
	case OPT_END:
		break;
	}
	if (o->values != NULL && val != NULL && o->kind != OPT_FLAG) {
		const char *p = o->values;
		size_t n = strlen(val);
		bool ok = false;

		while (*p) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);

			if (len == n && strncmp(p, val, n) == 0)
				ok = true;
			p += len;
			if (*p == '|')
				p++;
		}
		if (!ok) {
			fprintf(stderr, "btpctl %s: option '%s' wants one of %s, not '%s'\n",
			    cmd->name, spelled, o->values, val);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int
cli_parse(struct cli *c, const struct command *cmd, int argc, char **argv,
    int *nargs)
{
	int i, n = 0, rc;
	bool dashdash = false;
	const struct opt *o;
	const char *arg, *val, *eq;
	char spelled[3];

	cur = c;
	g_output = g_color = NULL;
	g_quiet = g_help = g_offline = false;
	g_verbose = 0;
	g_jobs = 0;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (dashdash || arg[0] != '-' || strcmp(arg, "-") == 0) {
			argv[n++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = true;
			continue;
		}
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);

			o = find_long(global_opts, arg + 2, len);
			if (o == NULL && cmd->opts != NULL)
				o = find_long(cmd->opts, arg + 2, len);
			if (o == NULL) {
				char *w = xstrndup(arg + 2, len);

				fprintf(stderr, "btpctl %s: unknown option '--%s'\n", cmd->name, w);
				suggest(cmd, w);
				fprintf(stderr, "Try 'btpctl %s --help'.\n", cmd->name);
				free(w);
				return EXIT_USAGE;
			}
			val = NULL;
			if (o->kind == OPT_FLAG || o->kind == OPT_COUNT) {
				if (eq != NULL) {
					fprintf(stderr, "btpctl %s: option '--%s' takes no value\n",
					    cmd->name, o->lng);
					return EXIT_USAGE;
				}
			} else if (eq != NULL)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				fprintf(stderr, "btpctl %s: option '--%s' needs a value\n",
				    cmd->name, o->lng);
				return EXIT_USAGE;
			}
			if ((rc = set_opt(cmd, o, val, arg)) != 0)
				return rc;
			continue;
		}
		/* bundled short options: -qv, -ojson, -o json */
		for (arg++; *arg; arg++) {
			o = find_short(global_opts, *arg);
			if (o == NULL && cmd->opts != NULL)
				o = find_short(cmd->opts, *arg);
			spelled[0] = '-';
			spelled[1] = *arg;
			spelled[2] = '\0';
			if (o == NULL) {
				fprintf(stderr, "btpctl %s: unknown option '-%c'\n", cmd->name, *arg);
				fprintf(stderr, "Try 'btpctl %s --help'.\n", cmd->name);
				return EXIT_USAGE;
			}
			if (o->kind == OPT_FLAG || o->kind == OPT_COUNT) {
				if ((rc = set_opt(cmd, o, NULL, spelled)) != 0)
					return rc;
				continue;
			}
			if (arg[1] != '\0')
				val = arg + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				fprintf(stderr, "btpctl %s: option '-%c' needs a value\n",
				    cmd->name, *arg);
				return EXIT_USAGE;
			}
			if ((rc = set_opt(cmd, o, val, spelled)) != 0)
				return rc;
			break;
		}
	}
	*nargs = n;
	c->output = g_output;
	c->color_arg = g_color;
	c->quiet = g_quiet;
	c->verbose = g_verbose;
	c->help = g_help;
	c->offline = g_offline;
	if (g_jobs < 0 || g_jobs > 1024) {
		fprintf(stderr, "btpctl %s: --jobs wants a number from 0 to 1024, not %ld\n",
		    cmd->name, g_jobs);
		return EXIT_USAGE;
	}
	c->jobs = (int)g_jobs;
	if (g_color != NULL && strcmp(g_color, "auto") != 0 &&
	    strcmp(g_color, "always") != 0 && strcmp(g_color, "never") != 0) {
		fprintf(stderr, "btpctl %s: --color wants auto, always or never, not '%s'\n",
		    cmd->name, g_color);
		return EXIT_USAGE;
	}
	c->color = color_wanted(g_color, 1);
	c->color_err = color_wanted(g_color, 2);
	if (g_help) {
		cli_usage(cmd, stdout);
		return -1;
	}
	return cli_check_output(c, cmd);
}

const char *
cli_output(const struct cli *c)
{
	return c->output ? c->output : "text";
}

int
cli_check_output(const struct cli *c, const struct command *cmd)
{
	const char *p, *bar;
	size_t n, len;

	if (c->output == NULL)
		return 0;
	if (cmd->outputs == NULL) {
		fprintf(stderr, "btpctl %s: this command has no -o option\n", cmd->name);
		return EXIT_USAGE;
	}
	n = strlen(c->output);
	for (p = cmd->outputs; *p; ) {
		bar = strchr(p, '|');
		len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, c->output, n) == 0)
			return 0;
		p += len;
		if (*p == '|')
			p++;
	}
	fprintf(stderr, "btpctl %s: unknown output format '%s' (choose from %s)\n",
	    cmd->name, c->output, cmd->outputs);
	return EXIT_USAGE;
}

static void
print_opts(const struct opt *t, FILE *f)
{
	char left[64];

	for (; t && t->kind != OPT_END; t++) {
		if (t->shrt)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", t->shrt, t->lng,
			    t->arg ? " " : "", t->arg ? t->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", t->lng,
			    t->arg ? " " : "", t->arg ? t->arg : "");
		if (strlen(left) > 28)	/* too wide: the help goes below, aligned */
			fprintf(f, "  %s\n  %-28s %s\n", left, "", t->help);
		else
			fprintf(f, "  %-28s %s\n", left, t->help);
	}
}

void
cli_usage(const struct command *cmd, FILE *f)
{
	fprintf(f, "usage: btpctl %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->summary);
	if (cmd->opts != NULL && cmd->opts->kind != OPT_END) {
		fputs("\nOptions:\n", f);
		print_opts(cmd->opts, f);
	}
	fputs("\nGlobal options:\n", f);
	print_opts(global_opts, f);
	if (cmd->outputs != NULL)
		fprintf(f, "\nOutput formats (-o): %s\n", cmd->outputs);
	fprintf(f, "\nSee btpctl-%s(1).\n", cmd->name);
}
