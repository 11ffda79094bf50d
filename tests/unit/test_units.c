/*
 * test_units.c: Gateway API durations, Go durations and Kubernetes
 * quantities (units.h), including edge cases and overflow.
 */
#include <stdint.h>

#include "units.h"
#include "unit.h"

#define S	INT64_C(1000000000)
#define MS	INT64_C(1000000)

static int64_t
gw(const char *s)
{
	int64_t ns = -42;

	return units_gwapi_duration(s, &ns) ? ns : -1;
}

static bool
go_ok(const char *s, int64_t want)
{
	int64_t ns = -42;

	return units_go_duration(s, &ns) && ns == want;
}

static bool
go_bad(const char *s)
{
	return !units_go_duration(s, NULL);
}

static bool
qty_ok(const char *s, int64_t want)
{
	int64_t v = -42;

	if (!units_quantity(s, &v)) {
		fprintf(stderr, "quantity %s: rejected\n", s);
		return false;
	}
	if (v != want)
		fprintf(stderr, "quantity %s: %lld\n", s, (long long)v);
	return v == want;
}

static bool
qty_bad(const char *s)
{
	return !units_quantity(s, NULL);
}

TEST(gwapi_valid)
{
	CHECK_INT(gw("0s"), 0);
	CHECK_INT(gw("1s"), S);
	CHECK_INT(gw("250ms"), 250 * MS);
	CHECK_INT(gw("1h30m"), 5400 * S);
	CHECK_INT(gw("1h1m1s1ms"), 3661 * S + MS);
	CHECK_INT(gw("99999h"), INT64_C(99999) * 3600 * S);
	CHECK_INT(gw("00001s"), S);
	CHECK_INT(gw("3600s"), 3600 * S);
	CHECK_INT(gw("1ms1s"), S + MS);
	CHECK_INT(gw("1s1s"), 2 * S);		/* the pattern allows repeats */
	CHECK_INT(gw("5m"), 300 * S);
	CHECK_INT(gw("99999h99999h99999h99999h"),
	    INT64_C(4) * 99999 * 3600 * S);
}

TEST(gwapi_invalid)
{
	CHECK_INT(gw(""), -1);
	CHECK_INT(gw("1"), -1);
	CHECK_INT(gw("s"), -1);
	CHECK_INT(gw("1.5s"), -1);
	CHECK_INT(gw("1d"), -1);
	CHECK_INT(gw("100us"), -1);
	CHECK_INT(gw("5 s"), -1);
	CHECK_INT(gw(" 5s"), -1);
	CHECK_INT(gw("300000s"), -1);		/* six digits */
	CHECK_INT(gw("-1s"), -1);
	CHECK_INT(gw("+1s"), -1);
	CHECK_INT(gw("1s1s1s1s1s"), -1);	/* five groups */
	CHECK_INT(gw("1S"), -1);
	CHECK_INT(gw("1sm"), -1);
	CHECK_INT(gw("1mss"), -1);
	CHECK_INT(gw("1ns"), -1);
	CHECK(!units_gwapi_duration(NULL, NULL));
	CHECK(units_gwapi_duration("1s", NULL));
}

TEST(go_valid)
{
	CHECK(go_ok("0", 0));
	CHECK(go_ok("-0", 0));
	CHECK(go_ok("+0", 0));
	CHECK(go_ok("0s", 0));
	CHECK(go_ok("1s", S));
	CHECK(go_ok("1.5s", 1500 * MS));
	CHECK(go_ok(".5s", 500 * MS));
	CHECK(go_ok("1.s", S));
	CHECK(go_ok("-1s", -S));
	CHECK(go_ok("+1s", S));
	CHECK(go_ok("300ms", 300 * MS));
	CHECK(go_ok("300us", 300000));
	CHECK(go_ok("300\xc2\xb5s", 300000));
	CHECK(go_ok("300\xce\xbcs", 300000));
	CHECK(go_ok("7ns", 7));
	CHECK(go_ok("2h45m", (2 * 3600 + 45 * 60) * S));
	CHECK(go_ok("1h1m1s1ms1us1ns", 3661 * S + MS + 1000 + 1));
	CHECK(go_ok("1.0000000001s", S));	/* truncated below a ns */
	CHECK(go_ok("0.000000001s", 1));
	CHECK(go_ok("9223372036854775807ns", INT64_MAX));
	CHECK(go_ok("-9223372036854775808ns", INT64_MIN));
	CHECK(go_ok("2562047h47m16.854775807s", INT64_MAX));
	CHECK(go_ok("1s1s", 2 * S));
	CHECK(go_ok("0.100000000000000000000h", 360 * S));
}

TEST(go_invalid)
{
	CHECK(go_bad(""));
	CHECK(go_bad("-"));
	CHECK(go_bad("1"));
	CHECK(go_bad("s"));
	CHECK(go_bad(".s"));
	CHECK(go_bad("1d"));
	CHECK(go_bad("1sec"));
	CHECK(go_bad("1 s"));
	CHECK(go_bad("1S"));
	CHECK(go_bad("--1s"));
	CHECK(go_bad("1s-1s"));
	CHECK(go_bad("9223372036854775808ns"));
	CHECK(go_bad("9223372036854775807ns1ns"));
	CHECK(go_bad("2562048h"));
	CHECK(go_bad("99999999999999999999s"));
	CHECK(go_bad(NULL));
}

TEST(qty_plain)
{
	CHECK(qty_ok("0", 0));
	CHECK(qty_ok("32768", 32768));
	CHECK(qty_ok("+5", 5));
	CHECK(qty_ok("-5", -5));
	CHECK(qty_ok("007", 7));
	CHECK(qty_ok("9223372036854775807", INT64_MAX));
	CHECK(qty_bad("9223372036854775808"));
	CHECK(qty_bad("99999999999999999999"));
}

TEST(qty_suffixes)
{
	CHECK(qty_ok("32Ki", 32768));
	CHECK(qty_ok("1Mi", 1048576));
	CHECK(qty_ok("1Gi", INT64_C(1) << 30));
	CHECK(qty_ok("1Ti", INT64_C(1) << 40));
	CHECK(qty_ok("1Pi", INT64_C(1) << 50));
	CHECK(qty_ok("1Ei", INT64_C(1) << 60));
	CHECK(qty_ok("7Ei", INT64_C(7) << 60));
	CHECK(qty_bad("8Ei"));
	CHECK(qty_ok("1k", 1000));
	CHECK(qty_ok("10M", 10000000));
	CHECK(qty_ok("1G", 1000000000));
	CHECK(qty_ok("1T", INT64_C(1000000000000)));
	CHECK(qty_ok("1P", INT64_C(1000000000000000)));
	CHECK(qty_ok("1E", INT64_C(1000000000000000000)));
	CHECK(qty_ok("9E", INT64_C(9000000000000000000)));
	CHECK(qty_bad("10E"));
	CHECK(qty_ok("1m", 1));			/* milli rounds up */
	CHECK(qty_ok("1000m", 1));
	CHECK(qty_ok("1001m", 2));
	CHECK(qty_ok("1u", 1));
	CHECK(qty_ok("1n", 1));
	CHECK(qty_ok("0m", 0));
	CHECK(qty_ok("-1m", -1));		/* away from zero */
}

TEST(qty_decimals)
{
	CHECK(qty_ok("1.5Gi", INT64_C(1610612736)));
	CHECK(qty_ok("1.5", 2));
	CHECK(qty_ok("1.", 1));
	CHECK(qty_ok(".5", 1));
	CHECK(qty_ok("0.1Ki", 103));		/* 102.4 */
	CHECK(qty_ok("0.5Ki", 512));
	CHECK(qty_ok("2.5k", 2500));
	CHECK(qty_ok("1.0000000000000000000000000001", 2));
	CHECK(qty_ok("1.0000000000000000000000000000", 1));
	CHECK(qty_ok("0.0000000000000000000000000001Ei", 1));
	CHECK(qty_ok("0000000000000000000000000000000000012", 12));
}

TEST(qty_exponents)
{
	CHECK(qty_ok("1e3", 1000));
	CHECK(qty_ok("1E3", 1000));
	CHECK(qty_ok("1e+3", 1000));
	CHECK(qty_ok("12e-1", 2));
	CHECK(qty_ok("1.5e3", 1500));
	CHECK(qty_ok("1e0", 1));
	CHECK(qty_ok("1e18", INT64_C(1000000000000000000)));
	CHECK(qty_bad("1e19"));
	CHECK(qty_bad("1e999999999"));
	CHECK(qty_bad("1e9999999999"));		/* exponent over int32 */
	CHECK(qty_ok("1e-999999999", 1));
	CHECK(qty_ok("0e999999999", 0));
	CHECK(qty_bad("1e"));
	CHECK(qty_bad("1e+"));
	CHECK(qty_bad("1e1.5"));
}

TEST(qty_invalid)
{
	CHECK(qty_bad(""));
	CHECK(qty_bad("."));
	CHECK(qty_bad("-"));
	CHECK(qty_bad("Ki"));
	CHECK(qty_bad("1ki"));
	CHECK(qty_bad("1Gib"));
	CHECK(qty_bad("1K"));
	CHECK(qty_bad("1 Ki"));
	CHECK(qty_bad(" 1"));
	CHECK(qty_bad("1Ki "));
	CHECK(qty_bad("1b"));
	CHECK(qty_bad("1.2.3"));
	CHECK(qty_bad("0x10"));
	CHECK(qty_bad("--1"));
	CHECK(qty_bad(NULL));
}

int
main(void)
{
	RUN(gwapi_valid);
	RUN(gwapi_invalid);
	RUN(go_valid);
	RUN(go_invalid);
	RUN(qty_plain);
	RUN(qty_suffixes);
	RUN(qty_decimals);
	RUN(qty_exponents);
	RUN(qty_invalid);
	return unit_done("units");
}
