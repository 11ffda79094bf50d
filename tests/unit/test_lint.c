/*
 * test_lint.c: the lint rule table's invariants, duration formatting,
 * levels, and the configuration file's ignore matching.
 */
#include <ctype.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "lint.h"
#include "rules.h"
#include "unit.h"

TEST(table_invariants)
{
	size_t i, j, n = rule_count();
	const struct lint_rule *r;

	CHECK(n >= 30);
	for (i = 0; i < n; i++) {
		r = lint_rules[i];
		/* BTP + three digits, strictly increasing */
		CHECK(strlen(r->id) == 6 && strncmp(r->id, "BTP", 3) == 0 &&
		    isdigit((unsigned char)r->id[3]) && isdigit((unsigned char)r->id[4]) &&
		    isdigit((unsigned char)r->id[5]));
		if (i > 0)
			CHECK(strcmp(lint_rules[i - 1]->id, r->id) < 0);
		/* kebab-case names, unique */
		CHECK(strspn(r->name, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(r->name));
		for (j = 0; j < i && strcmp(lint_rules[j]->name, r->name) != 0; j++)
			;
		CHECK(j == i);
		/* one line, no final full stop */
		CHECK(strchr(r->summary, '\n') == NULL);
		CHECK(r->summary[strlen(r->summary) - 1] != '.');
		CHECK(strlen(r->rationale) > 80 && strlen(r->fix) > 20);
		CHECK(r->bad_line >= 1);
		CHECK(rule_find(r->id) == r && rule_find(r->name) == r);
		CHECK(rule_index(r) == (int)i);
	}
	CHECK(rule_find("btp012") == rule_find("BTP012"));
	CHECK(rule_find("BTP999") == NULL);
}

TEST(durations)
{
	char b[32];

	CHECK_STR(lint_fmt_duration(0, b), "0s");
	CHECK_STR(lint_fmt_duration(INT64_C(250000000), b), "250ms");
	CHECK_STR(lint_fmt_duration(INT64_C(1500000000), b), "1.5s");
	CHECK_STR(lint_fmt_duration(INT64_C(90000000000), b), "1m30s");
	CHECK_STR(lint_fmt_duration(INT64_C(3600000000000), b), "1h");
	CHECK_STR(lint_fmt_duration(INT64_C(16175000000), b), "16.175s");
}

TEST(levels)
{
	int l;

	CHECK(lint_level_parse("off", &l) && l == LINT_OFF);
	CHECK(lint_level_parse("error", &l) && l == SEV_ERROR);
	CHECK(lint_level_parse("warning", &l) && l == SEV_WARNING);
	CHECK(lint_level_parse("info", &l) && l == SEV_INFO);
	CHECK(!lint_level_parse("fatal", &l));
	CHECK_STR(lint_level_name(LINT_OFF), "off");
	CHECK_STR(lint_level_name(SEV_WARNING), "warning");
}

TEST(ignore_globs)
{
	char dir[] = "/tmp/btpctl-test-lint-XXXXXX", path[512], cwd[4096];
	struct btp_config c;
	struct diags d;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/.btpctl.yaml", dir);
	f = fopen(path, "w");
	fputs("ignore:\n  - vendor/\n  - \"*.draft.yaml\"\n  - charts/*/templates\n"
	    "rules:\n  BTP003: off\n  no-timeout: error\n", f);
	fclose(f);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(dir) == 0);
	config_init(&c);
	diags_init(&d);
	CHECK_INT(config_load(&c, NULL, &d), 0);
	CHECK_STR(c.path, ".btpctl.yaml");
	CHECK(config_ignored(&c, "vendor/x.yaml"));
	CHECK(config_ignored(&c, "./vendor/a/b.yaml"));
	CHECK(!config_ignored(&c, "vendors/x.yaml"));
	CHECK(config_ignored(&c, "deploy/a.draft.yaml"));
	CHECK(!config_ignored(&c, "deploy/a.yaml"));
	CHECK(config_ignored(&c, "charts/x/templates/p.yaml"));
	CHECK(!config_ignored(&c, "charts/x/values.yaml"));
	CHECK_INT(c.nrules, 2);
	{
		struct lint_conf lc;

		lint_conf_init(&lc);
		config_apply(&c, &lc);
		CHECK_INT(lc.level[rule_index(rule_find("BTP003"))], LINT_OFF);
		CHECK_INT(lc.level[rule_index(rule_find("BTP002"))], SEV_ERROR);
		CHECK_INT(lc.level[rule_index(rule_find("BTP001"))], SEV_WARNING);
		lint_conf_release(&lc);
	}
	diags_release(&d);
	config_release(&c);
	CHECK(chdir(cwd) == 0);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	RUN(table_invariants);
	RUN(durations);
	RUN(levels);
	RUN(ignore_globs);
	return unit_done("lint");
}
