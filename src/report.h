/*
 * report.h: the CI renderers of a lint run, over the same struct diags the
 * text and JSON outputs use (docs/cli-conventions.md has the formats):
 *   - SARIF 2.1.0, as GitHub code scanning accepts it;
 *   - GitHub Actions workflow annotations, followed by the plain report;
 *   - JUnit XML, one testsuite per file and one testcase per object.
 * Library code: writes only to the stream it is given.
 */
#ifndef BTPCTL_REPORT_H
#define BTPCTL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

struct lint_conf;

/* An object that was checked (a testcase in JUnit). */
struct report_unit {
	const char	*file;
	const char	*kind, *ns, *name;
};

struct report_input {
	const struct diags	*diags;		/* sorted */
	const struct report_unit *units;	/* in input order */
	size_t			 nunits;
	enum severity		 fail_on;	/* findings at or above it fail */
	bool			 exec_ok;	/* false when an input could not be read */
	const struct lint_conf	*conf;		/* rule levels, for the rules metadata */
	const char		*version;	/* btpctl's version */
};

void	report_sarif(const struct report_input *, FILE *);
void	report_github(const struct report_input *, FILE *);
void	report_junit(const struct report_input *, FILE *);

/* Helpers shared by the renderers (report.c). */
/* Does a finding of this severity fail the run? */
bool	report_fails(const struct report_input *, enum severity);
/* "kind ns/name" of a diagnostic's object into buf, or "" when it has none. */
const char *report_object(const struct diag *, char *buf, size_t n);

#endif
