/*
 * report.c: helpers shared by the lint renderers (see report.h).
 */
#include <stdio.h>

#include "report.h"

bool
report_fails(const struct report_input *in, enum severity s)
{
	return s <= in->fail_on;
}

const char *
report_object(const struct diag *g, char *buf, size_t n)
{
	if (g->obj.kind == NULL && g->obj.name == NULL) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, n, "%s %s%s%s", g->obj.kind ? g->obj.kind : "?",
	    g->obj.ns ? g->obj.ns : "", g->obj.ns ? "/" : "", g->obj.name ? g->obj.name : "?");
	return buf;
}
