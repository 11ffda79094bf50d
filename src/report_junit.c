/*
 * report_junit.c: JUnit XML as GitLab, Jenkins, Azure DevOps and Buildkite
 * read it.  One <testsuite> per input file, one <testcase> per object (plus
 * one for the file itself when it has findings outside any object, such as
 * YAML errors).  A testcase fails with one <failure> listing its findings
 * at or above --fail-on; findings below it go to <system-out>.  Counts
 * always equal the sum of the children; time is always present.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lint.h"
#include "report.h"
#include "util.h"

/* XML-escape s into sb; bytes XML 1.0 forbids become '?'. */
static void
xml_escape(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			sb_adds(sb, "&amp;");
		else if (c == '<')
			sb_adds(sb, "&lt;");
		else if (c == '>')
			sb_adds(sb, "&gt;");
		else if (c == '"')
			sb_adds(sb, "&quot;");
		else if (c == '\'')
			sb_adds(sb, "&apos;");
		else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			sb_addc(sb, '?');
		else
			sb_addc(sb, (char)c);
	}
}

struct tcase {
	const char	*file;		/* may be NULL */
	char		*name;		/* "Kind ns/name" or "(file)" */
	size_t		 ord;		/* creation order */
	size_t		 file_ord;	/* first ord of its file */
	size_t		 first, n;	/* its diagnostics: idx[first .. first+n) */
	size_t		 nfail;
	bool		 error;		/* the file could not be evaluated */
};

struct suite {
	const char	*file;
	size_t		 first, n;	/* its testcases */
	size_t		 failures, errors;
};

struct dkey {
	const char	*file;
	char		*name;
	size_t		 i;
};

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
cmp_file(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static void
iso_time(char buf[32])
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	time_t t = e != NULL && *e != '\0' ? (time_t)strtoll(e, NULL, 10) : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
cmp_key(const void *a, const void *b)
{
	const struct dkey *x = a, *y = b;
	int c;

	if ((c = cmp_file(x->file, y->file)) != 0 || (c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
cmp_tc_key(const void *a, const void *b)
{
	const struct tcase *const *x = a, *const *y = b;
	int c;

	if ((c = cmp_file((*x)->file, (*y)->file)) != 0 || (c = strcmp((*x)->name, (*y)->name)) != 0)
		return c;
	return (*x)->ord < (*y)->ord ? -1 : (*x)->ord > (*y)->ord;
}

static int
cmp_tc_order(const void *a, const void *b)
{
	const struct tcase *x = a, *y = b;

	if (x->file_ord != y->file_ord)
		return x->file_ord < y->file_ord ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* The testcase of (file, name) in byname (sorted), or NULL. */
static struct tcase *
find_case(struct tcase **byname, size_t n, const char *file, const char *name)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = cmp_file(byname[mid]->file, file)) == 0)
			c = strcmp(byname[mid]->name, name);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && same(byname[lo]->file, file) && strcmp(byname[lo]->name, name) == 0)
		return byname[lo];
	return NULL;
}

void
report_junit(const struct report_input *in, FILE *out)
{
	const struct diags *d = in->diags;
	size_t cap = in->nunits + d->n + 1, ntc = 0, nidx = 0, i, j, k, nsu = 0;
	struct tcase *tc = xcalloc(cap, sizeof(*tc)), **byname, *hit;
	struct dkey *keys = xcalloc(d->n + 1, sizeof(*keys));
	size_t *idx = xcalloc(d->n + 1, sizeof(*idx));
	struct suite *su = xcalloc(cap, sizeof(*su));
	size_t tests = 0, failures = 0, errors = 0;
	struct strbuf sb, body, sysout;
	char obj[512], stamp[32];

	for (i = 0; i < in->nunits; i++) {
		tc[ntc].file = in->units[i].file;
		tc[ntc].name = xasprintf("%s %s/%s", in->units[i].kind, in->units[i].ns,
		    in->units[i].name);
		tc[ntc].ord = ntc;
		ntc++;
	}
	for (i = 0; i < d->n; i++) {
		keys[i].file = d->v[i].file;
		keys[i].name = xstrdup(report_object(&d->v[i], obj, sizeof(obj)));
		keys[i].i = i;
	}
	qsort(keys, d->n, sizeof(*keys), cmp_key);
	/* findings outside the objects get one testcase per file: "(file)" */
	byname = xcalloc(cap, sizeof(*byname));
	for (i = 0; i < ntc; i++)
		byname[i] = &tc[i];
	qsort(byname, ntc, sizeof(*byname), cmp_tc_key);
	for (i = 0, k = ntc; i < d->n; i++) {
		if (find_case(byname, ntc, keys[i].file, keys[i].name) != NULL)
			continue;
		free(keys[i].name);
		keys[i].name = xstrdup("(file)");
		if (k > ntc && same(tc[k - 1].file, keys[i].file))
			continue;	/* keys are sorted by file: one "(file)" each */
		tc[k].file = keys[i].file;
		tc[k].name = xstrdup("(file)");
		tc[k].ord = k;
		k++;
	}
	ntc = k;
	qsort(keys, d->n, sizeof(*keys), cmp_key);
	/* files in order of first appearance, testcases in input order */
	for (i = 0; i < ntc; i++)
		byname[i] = &tc[i];
	qsort(byname, ntc, sizeof(*byname), cmp_tc_key);
	for (i = 0; i < ntc; i++)
		byname[i]->file_ord = i > 0 && same(byname[i - 1]->file, byname[i]->file) ?
		    byname[i - 1]->file_ord : byname[i]->ord;
	for (i = 1; i < ntc; i++)	/* the minimum ord of the file, not the first by name */
		if (same(byname[i - 1]->file, byname[i]->file) &&
		    byname[i - 1]->file_ord < byname[i]->file_ord)
			byname[i]->file_ord = byname[i - 1]->file_ord;
	for (i = ntc; i-- > 1; )
		if (same(byname[i - 1]->file, byname[i]->file) &&
		    byname[i]->file_ord < byname[i - 1]->file_ord)
			byname[i - 1]->file_ord = byname[i]->file_ord;
	qsort(tc, ntc, sizeof(*tc), cmp_tc_order);
	for (i = 0; i < ntc; i++)
		byname[i] = &tc[i];
	qsort(byname, ntc, sizeof(*byname), cmp_tc_key);
	/* attach the findings: keys are sorted by (file, name, input order) */
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[keys[i].i];

		hit = find_case(byname, ntc, keys[i].file, keys[i].name);
		if (hit->n == 0)
			hit->first = nidx;
		hit->n++;
		idx[nidx++] = keys[i].i;
		if (report_fails(in, g->sev)) {
			hit->nfail++;
			if (strcmp(hit->name, "(file)") == 0 && g->sev == SEV_ERROR)
				hit->error = true;
		}
	}
	for (i = 0; i < ntc; i++) {
		if (nsu == 0 || !same(su[nsu - 1].file, tc[i].file)) {
			su[nsu].file = tc[i].file;
			su[nsu].first = i;
			nsu++;
		}
		su[nsu - 1].n++;
		if (tc[i].nfail > 0 && tc[i].error)
			su[nsu - 1].errors++;
		else if (tc[i].nfail > 0)
			su[nsu - 1].failures++;
	}
	for (i = 0; i < nsu; i++) {
		tests += su[i].n;
		failures += su[i].failures;
		errors += su[i].errors;
	}
	iso_time(stamp);
	sb_init(&sb);
	sb_init(&body);
	sb_init(&sysout);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"btpctl lint\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"%zu\" skipped=\"0\" time=\"0\">\n", tests, failures, errors);
	for (i = 0; i < nsu; i++) {
		sb_reset(&sb);
		xml_escape(&sb, su[i].file ? su[i].file : "<input>");
		fprintf(out, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		    "skipped=\"0\" time=\"0\" timestamp=\"%s\">\n", sb.buf, su[i].n,
		    su[i].failures, su[i].errors, stamp);
		for (j = su[i].first; j < su[i].first + su[i].n; j++) {
			const struct tcase *t = &tc[j];
			const struct diag *first = NULL;

			fprintf(out, "    <testcase classname=\"%s\" name=\"", sb.buf);
			sb_reset(&body);
			xml_escape(&body, t->name);
			fprintf(out, "%s\" time=\"0\"", body.buf);
			if (t->n == 0) {
				fputs("/>\n", out);
				continue;
			}
			fputs(">\n", out);
			sb_reset(&body);
			sb_reset(&sysout);
			for (k = t->first; k < t->first + t->n; k++) {
				const struct diag *g = &d->v[idx[k]];
				struct strbuf *to = report_fails(in, g->sev) ? &body : &sysout;
				char *line = xasprintf("%s:%d:%d: %s: %s [%s]%s%s\n",
				    g->file ? g->file : "<input>", g->loc.line, g->loc.col,
				    severity_name(g->sev), g->message, g->code,
				    g->fix ? " fix: " : "", g->fix ? g->fix : "");

				if (report_fails(in, g->sev) && first == NULL)
					first = g;
				xml_escape(to, line);
				free(line);
			}
			if (first != NULL) {
				char *msg = xasprintf("%zu finding%s: %s [%s]", t->nfail,
				    t->nfail == 1 ? "" : "s", first->message, first->code);
				struct strbuf m;

				sb_init(&m);
				xml_escape(&m, msg);
				/* keep the message attribute on one line */
				for (k = 0; k < m.len; k++)
					if (m.buf[k] == '\n' || m.buf[k] == '\r')
						m.buf[k] = ' ';
				fprintf(out, "      <%s message=\"%s\" type=\"%s\">%s</%s>\n",
				    t->error ? "error" : "failure", m.buf, first->code, body.buf,
				    t->error ? "error" : "failure");
				sb_release(&m);
				free(msg);
			}
			if (sysout.len > 0)
				fprintf(out, "      <system-out>%s</system-out>\n", sysout.buf);
			fputs("    </testcase>\n", out);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	sb_release(&sb);
	sb_release(&body);
	sb_release(&sysout);
	for (i = 0; i < ntc; i++)
		free(tc[i].name);
	for (i = 0; i < d->n; i++)
		free(keys[i].name);
	free(keys);
	free(byname);
	free(tc);
	free(su);
	free(idx);
}
