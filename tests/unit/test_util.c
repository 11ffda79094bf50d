/*
 * test_util.c: strbuf, edit distance, did-you-mean, arena.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "unit.h"
#include "util.h"

TEST(test_strbuf)
{
	struct strbuf sb;
	int i;

	sb_init(&sb);
	CHECK_STR(sb.buf, "");
	sb_adds(&sb, "abc");
	sb_addc(&sb, '-');
	sb_printf(&sb, "%d/%s", 42, "x");
	CHECK_STR(sb.buf, "abc-42/x");
	CHECK_INT(sb.len, 8);
	for (i = 0; i < 1000; i++)
		sb_addc(&sb, 'z');
	CHECK_INT(sb.len, 1008);
	CHECK_INT(strlen(sb.buf), 1008);
	sb_reset(&sb);
	CHECK_STR(sb.buf, "");
	sb_release(&sb);
}

TEST(test_edit_distance)
{
	CHECK_INT(edit_distance("kitten", "sitting", false), 3);
	CHECK_INT(edit_distance("", "abc", false), 3);
	CHECK_INT(edit_distance("abc", "abc", false), 0);
	CHECK_INT(edit_distance("ABC", "abc", false), 3);
	CHECK_INT(edit_distance("ABC", "abc", true), 0);
}

TEST(test_did_you_mean)
{
	static const char *const cmds[] = { "validate", "lint", "effective",
	    "diff", "simulate", NULL };
	static const char *const fields[] = { "consecutive5XxErrors",
	    "consecutiveGatewayErrors", "interval", NULL };

	CHECK_STR(did_you_mean("valdiate", cmds), "validate");
	CHECK_STR(did_you_mean("lnt", cmds), "lint");
	CHECK(did_you_mean("kubectl", cmds) == NULL);
	CHECK_STR(did_you_mean("consecutive5xxErrors", fields), "consecutive5XxErrors");
	CHECK(did_you_mean("zz", fields) == NULL);
}

TEST(test_arena)
{
	struct arena *a = arena_new();
	char *s, *big;
	int i, misaligned = 0;

	s = arena_strdup(a, "hello");
	CHECK_STR(s, "hello");
	CHECK_STR(arena_printf(a, "%s-%d", s, 7), "hello-7");
	for (i = 0; i < 10000; i++) {
		long *p = arena_alloc(a, sizeof(long));

		if (((uintptr_t)p & 15) != 0)
			misaligned++;
		*p = i;
	}
	CHECK_INT(misaligned, 0);
	big = arena_alloc(a, 1 << 20);
	CHECK(big[0] == 0 && big[(1 << 20) - 1] == 0);
	CHECK(arena_used(a) >= (1 << 20));
	/* reset: nothing in use, and what comes next is zeroed again */
	arena_reset(a);
	CHECK_INT(arena_used(a), 0);
	for (i = 0; i < 3; i++) {
		char *p = arena_alloc(a, 100);

		CHECK(p[0] == 0 && p[99] == 0);
		memset(p, 'x', 100);
		arena_reset(a);
	}
	CHECK_STR(arena_strdup(a, "again"), "again");
	CHECK_INT(arena_used(a), 16);
	arena_free(a);
}

int
main(void)
{
	RUN(test_strbuf);
	RUN(test_edit_distance);
	RUN(test_did_you_mean);
	RUN(test_arena);
	return unit_done("test_util");
}
