/*
 * lint_rules.c: the rule table (see rules.h).  Add a rule: write
 * src/rules/BTPnnn.c, add its extern and its line below (in id order),
 * then regenerate man/btpctl-rules.7 and testdata/lint/ with
 * tools/gen-lint.sh.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "rules.h"

extern const struct lint_rule rule_BTP001, rule_BTP002, rule_BTP003, rule_BTP004,
    rule_BTP005, rule_BTP006, rule_BTP007, rule_BTP008, rule_BTP009,
    rule_BTP010, rule_BTP011, rule_BTP012, rule_BTP013, rule_BTP014,
    rule_BTP015, rule_BTP016, rule_BTP017, rule_BTP018, rule_BTP019,
    rule_BTP020, rule_BTP021, rule_BTP022, rule_BTP023, rule_BTP024,
    rule_BTP030, rule_BTP031, rule_BTP032, rule_BTP033, rule_BTP034,
    rule_BTP035, rule_BTP036, rule_BTP900;

const struct lint_rule *const lint_rules[] = {
	&rule_BTP001, &rule_BTP002, &rule_BTP003, &rule_BTP004, &rule_BTP005,
	&rule_BTP006, &rule_BTP007, &rule_BTP008, &rule_BTP009,
	&rule_BTP010, &rule_BTP011, &rule_BTP012, &rule_BTP013, &rule_BTP014,
	&rule_BTP015, &rule_BTP016, &rule_BTP017, &rule_BTP018, &rule_BTP019,
	&rule_BTP020, &rule_BTP021, &rule_BTP022, &rule_BTP023, &rule_BTP024,
	&rule_BTP030, &rule_BTP031, &rule_BTP032, &rule_BTP033, &rule_BTP034,
	&rule_BTP035, &rule_BTP036,
	&rule_BTP900,
	NULL,
};

const struct lint_rule *
rule_find(const char *s)
{
	size_t i;

	for (i = 0; lint_rules[i] != NULL; i++)
		if (strcasecmp(lint_rules[i]->id, s) == 0 ||
		    strcmp(lint_rules[i]->name, s) == 0)
			return lint_rules[i];
	return NULL;
}

int
rule_index(const struct lint_rule *r)
{
	int i;

	for (i = 0; lint_rules[i] != NULL; i++)
		if (lint_rules[i] == r)
			return i;
	return -1;
}

size_t
rule_count(void)
{
	size_t n = 0;

	while (lint_rules[n] != NULL)
		n++;
	return n;
}

const char *
rule_family_name(enum rule_family f)
{
	switch (f) {
	case FAMILY_PRACTICE:
		return "best-practice";
	case FAMILY_CONSISTENCY:
		return "consistency";
	case FAMILY_DEPRECATED:
		return "deprecated";
	case FAMILY_CROSS_OBJECT:
		return "cross-object";
	case FAMILY_META:
		return "meta";
	}
	return "?";
}
