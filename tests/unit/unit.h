/*
 * unit.h: a minimal unit-test harness.  A test file defines test functions
 * with TEST(name), lists them in main via RUN(name), and ends main with
 * return unit_done("file").  Checks count one pass or failure each; the
 * runner (tests/run.sh) adds the counts printed by unit_done.
 */
#ifndef BTPCTL_UNIT_H
#define BTPCTL_UNIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;
static const char *unit_current;

#define TEST(name)	static void name(void)
#define RUN(name)	do { unit_current = #name; name(); } while (0)

#define CHECK(cond) do {						\
	if (cond)							\
		unit_pass++;						\
	else {								\
		unit_fail++;						\
		fprintf(stderr, "FAIL %s:%d: %s: %s\n", __FILE__, __LINE__,\
		    unit_current, #cond);				\
	}								\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (g_ == w_)							\
		unit_pass++;						\
	else {								\
		unit_fail++;						\
		fprintf(stderr, "FAIL %s:%d: %s: %s == %lld, want %lld\n",	\
		    __FILE__, __LINE__, unit_current, #got, g_, w_);	\
	}								\
} while (0)

#define CHECK_U64(got, want) do {					\
	unsigned long long g_ = (unsigned long long)(got);		\
	unsigned long long w_ = (unsigned long long)(want);		\
	if (g_ == w_)							\
		unit_pass++;						\
	else {								\
		unit_fail++;						\
		fprintf(stderr, "FAIL %s:%d: %s: %s == %llu, want %llu\n",	\
		    __FILE__, __LINE__, unit_current, #got, g_, w_);	\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0)		\
		unit_pass++;						\
	else {								\
		unit_fail++;						\
		fprintf(stderr, "FAIL %s:%d: %s: %s == \"%s\", want \"%s\"\n",\
		    __FILE__, __LINE__, unit_current, #got,		\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
	}								\
} while (0)

/* |got - want| <= tol */
#define CHECK_NEAR(got, want, tol) do {					\
	double g_ = (double)(got), w_ = (double)(want), t_ = (double)(tol);\
	if (fabs(g_ - w_) <= t_)					\
		unit_pass++;						\
	else {								\
		unit_fail++;						\
		fprintf(stderr, "FAIL %s:%d: %s: %s == %g, want %g +- %g\n",\
		    __FILE__, __LINE__, unit_current, #got, g_, w_, t_);\
	}								\
} while (0)

static inline int
unit_done(const char *file)
{
	printf("unit %s: %d passed, %d failed\n", file, unit_pass, unit_fail);
	return unit_fail ? 1 : 0;
}

#endif
