/*
 * report_github.c: GitHub Actions workflow commands.  One ::error,
 * ::warning or ::notice per finding, most severe first (GitHub shows only
 * about ten of each kind per step), escaped as actions/toolkit does, with
 * file:line:col kept in the message for the raw log; then the plain text
 * report, which has every finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "report.h"
#include "source.h"
#include "util.h"

#define SHOWN_PER_KIND	10

/* Escape data (message) or, with property, a property value. */
static void
put_escaped(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			fputs("%25", out);
			break;
		case '\r':
			fputs("%0D", out);
			break;
		case '\n':
			fputs("%0A", out);
			break;
		case ':':
			fputs(property ? "%3A" : ":", out);
			break;
		case ',':
			fputs(property ? "%2C" : ",", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static const char *
command(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "notice";
}

static void
annotation(FILE *out, const struct diag *g)
{
	const struct lint_rule *r = rule_find(g->code);
	struct strbuf sb;
	char obj[512];

	sb_init(&sb);
	fprintf(out, "::%s ", command(g->sev));
	if (g->file != NULL) {
		fputs("file=", out);
		put_escaped(out, g->file, true);
		if (g->loc.line > 0) {
			fprintf(out, ",line=%d,col=%d", g->loc.line, g->loc.col > 0 ? g->loc.col : 1);
			if (g->loc.src != NULL && g->loc.end > g->loc.start) {
				const char *nl = memchr(g->loc.src->data + g->loc.start, '\n',
				    g->loc.end - g->loc.start);
				size_t w = (nl ? (size_t)(nl - g->loc.src->data) : g->loc.end) -
				    g->loc.start;

				if (w > 0)
					fprintf(out, ",endLine=%d,endColumn=%d", g->loc.line,
					    (g->loc.col > 0 ? g->loc.col : 1) + (int)w);
			}
		}
		fputc(',', out);
	}
	sb_printf(&sb, "%s%s%s", g->code, r ? " " : "", r ? r->name : "");
	fputs("title=", out);
	put_escaped(out, sb.buf, true);
	fputs("::", out);
	sb_reset(&sb);
	if (g->file != NULL)
		sb_printf(&sb, "%s:%d:%d: ", g->file, g->loc.line, g->loc.col > 0 ? g->loc.col : 1);
	sb_adds(&sb, g->message);
	if (g->fix != NULL)
		sb_printf(&sb, " (fix: %s)", g->fix);
	if (report_object(g, obj, sizeof(obj))[0] != '\0')
		sb_printf(&sb, " [%s]", obj);
	put_escaped(out, sb.buf, false);
	fputc('\n', out);
	sb_release(&sb);
}

void
report_github(const struct report_input *in, FILE *out)
{
	const struct diags *d = in->diags;
	struct render_opts ro = { false, true };
	size_t i, over = 0;
	int s;

	for (s = SEV_ERROR; s <= SEV_INFO; s++)
		for (i = 0; i < d->n; i++)
			if ((int)d->v[i].sev == s)
				annotation(out, &d->v[i]);
	for (s = SEV_ERROR; s <= SEV_INFO; s++)
		if (d->count[s] > SHOWN_PER_KIND)
			over += d->count[s] - SHOWN_PER_KIND;
	if (over > 0)
		fprintf(out, "::notice title=btpctl lint::GitHub shows about %d annotations of each "
		    "kind per step; %zu more findings are in the report below\n", SHOWN_PER_KIND,
		    over);
	diags_print_text(d, out, &ro);
}
