/*
 * cel.c: CEL programs (placeholder until the evaluator lands): every
 * compile fails with a clear message.
 */
#include <stddef.h>

#include "cel.h"
#include "util.h"

struct cel_program *
cel_compile(const char *expr, char **err)
{
	(void)expr;
	*err = xstrdup("CEL evaluation is not implemented yet");
	return NULL;
}

void
cel_program_free(struct cel_program *p)
{
	(void)p;
}

bool
cel_uses_oldself(const struct cel_program *p)
{
	(void)p;
	return false;
}

enum cel_status
cel_eval_bool(const struct cel_program *p, const struct node *self, char **err)
{
	(void)p;
	(void)self;
	*err = xstrdup("CEL evaluation is not implemented yet");
	return CEL_ERROR;
}

int
cel_eval_string(const struct cel_program *p, const struct node *self, char **out,
    char **err)
{
	(void)p;
	(void)self;
	*out = NULL;
	*err = xstrdup("CEL evaluation is not implemented yet");
	return -1;
}
