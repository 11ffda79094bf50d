/*
 * diag.c: see diag.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "source.h"
#include "util.h"

void
diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

static void
diag_release(struct diag *g)
{
	free(g->code);
	free(g->file);
	free(g->message);
	free(g->path);
	free(g->fix);
	free(g->note);
	free(g->obj.kind);
	free(g->obj.ns);
	free(g->obj.name);
}

void
diags_release(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		diag_release(&d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static struct diag *
diag_new(struct diags *d, enum severity sev, const char *code)
{
	struct diag *g;

	if (d->n == d->cap) {
		/* small at first: most lists hold one object's findings */
		d->cap = d->cap ? d->cap * 2 : 4;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	g = &d->v[d->n];
	memset(g, 0, sizeof(*g));
	g->sev = sev;
	g->code = xstrdup(code ? code : "");
	g->seq = (unsigned)d->n;
	d->n++;
	d->count[sev]++;
	return g;
}

struct diag *
diag_add(struct diags *d, enum severity sev, const char *code,
    const struct loc *loc, const char *fmt, ...)
{
	struct diag *g = diag_new(d, sev, code);
	struct strbuf sb;
	va_list ap;

	if (loc != NULL) {
		g->loc = *loc;
		if (loc->src != NULL)
			g->file = xstrdup(loc->src->name);
	}
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	g->message = sb_detach(&sb);
	return g;
}

struct diag *
diag_add_file(struct diags *d, enum severity sev, const char *code,
    const char *file, const char *fmt, ...)
{
	struct diag *g = diag_new(d, sev, code);
	struct strbuf sb;
	va_list ap;

	g->file = file ? xstrdup(file) : NULL;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	g->message = sb_detach(&sb);
	return g;
}

static void
replace(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

void
diag_set_path(struct diag *g, const char *p)
{
	replace(&g->path, p);
}

void
diag_set_fix(struct diag *g, const char *f)
{
	replace(&g->fix, f);
}

void
diag_set_object(struct diag *g, const char *kind, const char *ns,
    const char *name)
{
	replace(&g->obj.kind, kind);
	replace(&g->obj.ns, ns);
	replace(&g->obj.name, name);
}

void
diag_set_note(struct diag *g, const struct loc *loc, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	free(g->note);
	g->note = sb_detach(&sb);
	if (loc != NULL)
		g->note_loc = *loc;
}

void
diags_append(struct diags *dst, struct diags *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		diag_move(dst, &src->v[i]);
	free(src->v);
	memset(src, 0, sizeof(*src));
}

void
diag_move(struct diags *dst, struct diag *g)
{
	struct diag *n = diag_new(dst, g->sev, NULL);

	free(n->code);
	*n = *g;
	n->seq = (unsigned)(dst->n - 1);
	memset(g, 0, sizeof(*g));
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c;

	c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
	if (c != 0)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
diag_ptr_cmp(const void *a, const void *b)
{
	return diag_cmp(*(const struct diag *const *)a, *(const struct diag *const *)b);
}

/* Pointers are sorted, not the findings: each is moved once. */
void
diags_sort(struct diags *d)
{
	struct diag **p, *v;
	size_t i;

	if (d->n < 2)
		return;
	p = xcalloc(d->n, sizeof(*p));
	for (i = 0; i < d->n; i++)
		p[i] = &d->v[i];
	qsort(p, d->n, sizeof(*p), diag_ptr_cmp);
	v = xcalloc(d->cap, sizeof(*v));
	for (i = 0; i < d->n; i++)
		v[i] = *p[i];
	free(p);
	free(d->v);
	d->v = v;
}

const char *
severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	case SEV_INFO:
		return "info";
	}
	return "?";
}

static const char *
sev_color(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "\033[1;31m";
	case SEV_WARNING:
		return "\033[1;35m";
	case SEV_INFO:
		return "\033[1;36m";
	}
	return "";
}

static void
print_caret(FILE *f, const struct loc *loc, const struct render_opts *ro)
{
	const char *text;
	size_t n, i, width;
	int col;

	if (loc->src == NULL || loc->line < 1)
		return;
	text = source_line(loc->src, loc->line, &n);
	if (n > 400)
		return;
	fprintf(f, "%5d | ", loc->line);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)text[i];

		/* tabs as spaces, other control bytes (binary input) as '?' */
		fputc(ch == '\t' ? ' ' : ch < 0x20 || ch == 0x7f ? '?' : ch, f);
	}
	fputs("\n      | ", f);
	col = loc->col > 0 ? loc->col : 1;
	for (i = 1; i < (size_t)col && i <= n; i++)
		fputc(' ', f);
	width = 1;
	if (loc->end > loc->start && loc->src->lines != NULL) {
		size_t linestart = loc->src->lines[loc->line - 1];
		size_t lineend = linestart + n;
		size_t end = loc->end < lineend ? loc->end : lineend;

		if (end > loc->start)
			width = end - loc->start;
	}
	if (ro->color)
		fputs("\033[1;32m", f);
	fputc('^', f);
	for (i = 1; i < width; i++)
		fputc('~', f);
	if (ro->color)
		fputs("\033[0m", f);
	fputc('\n', f);
}

static void
print_one(FILE *f, const char *file, const struct loc *loc, const char *sevname,
    const char *sevcol, const char *msg, const char *code,
    const struct render_opts *ro)
{
	if (ro->color)
		fputs("\033[1m", f);
	if (file != NULL) {
		fputs(file, f);
		if (loc->line > 0)
			fprintf(f, ":%d:%d", loc->line, loc->col > 0 ? loc->col : 1);
		fputs(": ", f);
	}
	if (ro->color)
		fprintf(f, "\033[0m%s", sevcol);
	fprintf(f, "%s:", sevname);
	if (ro->color)
		fputs("\033[0m", f);
	fprintf(f, " %s", msg);
	if (code != NULL && *code != '\0')
		fprintf(f, " [%s]", code);
	fputc('\n', f);
	if (ro->caret)
		print_caret(f, loc, ro);
}

void
diags_print_text(const struct diags *d, FILE *f, const struct render_opts *ro)
{
	size_t i;
	const struct diag *g;

	for (i = 0; i < d->n; i++) {
		g = &d->v[i];
		print_one(f, g->file, &g->loc, severity_name(g->sev),
		    sev_color(g->sev), g->message, g->code, ro);
		if (g->fix != NULL)
			fprintf(f, "      = fix: %s\n", g->fix);
		if (g->note != NULL)
			print_one(f, g->note_loc.src ? g->note_loc.src->name : g->file,
			    g->note_loc.src ? &g->note_loc : &g->loc, "note",
			    "\033[1;36m", g->note, NULL, ro);
	}
}

/*
 * A JSON string as jansson writes it: quote, backslash and control
 * characters escaped, everything else (UTF-8 included) as it is.
 */
static void
json_str(FILE *f, const char *s)
{
	const char *p, *run;
	unsigned char c;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	for (p = run = s; ; p++) {
		c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), f);
		run = p + 1;
		if (c == '\0')
			break;
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			fprintf(f, "\\u%04X", c);
		}
	}
	putc('"', f);
}

static void
json_member(FILE *f, const char *indent, const char *key, const char *val, bool last)
{
	fputs(indent, f);
	putc('"', f);
	fputs(key, f);
	fputs("\": ", f);
	json_str(f, val);
	fputs(last ? "\n" : ",\n", f);
}

/*
 * Written as it goes rather than built as a jansson tree first: the
 * output is what json_dumpf() with JSON_INDENT(2) and JSON_PRESERVE_ORDER
 * writes, at a fraction of the cost for hundreds of thousands of findings.
 */
void
diags_print_json(const struct diags *d, FILE *f)
{
	const char *in = "      ";
	const struct diag *g;
	size_t i;

	fputs("{\n  \"version\": 1,\n  \"diagnostics\": [", f);
	for (i = 0; i < d->n; i++) {
		g = &d->v[i];
		fputs(i == 0 ? "\n    {\n" : ",\n    {\n", f);
		json_member(f, in, "file", g->file, false);
		fprintf(f, "%s\"line\": %d,\n%s\"column\": %d,\n", in, g->loc.line, in,
		    g->loc.col);
		json_member(f, in, "severity", severity_name(g->sev), false);
		json_member(f, in, "code", g->code, false);
		json_member(f, in, "message", g->message,
		    g->path == NULL && g->obj.kind == NULL && g->obj.name == NULL &&
		    g->fix == NULL && g->note == NULL);
		if (g->path != NULL)
			json_member(f, in, "path", g->path, g->obj.kind == NULL &&
			    g->obj.name == NULL && g->fix == NULL && g->note == NULL);
		if (g->obj.kind != NULL || g->obj.name != NULL) {
			fprintf(f, "%s\"object\": {\n", in);
			json_member(f, "        ", "kind", g->obj.kind, false);
			json_member(f, "        ", "namespace", g->obj.ns, false);
			json_member(f, "        ", "name", g->obj.name, true);
			fprintf(f, "%s}%s\n", in, g->fix == NULL && g->note == NULL ? "" : ",");
		}
		if (g->fix != NULL)
			json_member(f, in, "fix", g->fix, g->note == NULL);
		if (g->note != NULL)
			json_member(f, in, "note", g->note, true);
		fputs("    }", f);
	}
	fputs(d->n > 0 ? "\n  ]\n}\n" : "]\n}\n", f);
}
