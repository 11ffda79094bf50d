/*
 * diff_units.c: the value syntaxes of units.h, as the object diff needs
 * them (durations and quantities compared by value).  Stands in until the
 * typed policy layer's units.c is merged; delete this file then.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

bool
units_gwapi_duration(const char *s, int64_t *ns)
{
	int64_t total = 0, v, mul;
	int groups = 0, digits;

	if (*s == '\0')
		return false;
	while (*s != '\0') {
		if (++groups > 4)
			return false;
		for (v = 0, digits = 0; isdigit((unsigned char)*s); s++, digits++)
			v = v * 10 + (*s - '0');
		if (digits < 1 || digits > 5)
			return false;
		if (s[0] == 'm' && s[1] == 's') {
			mul = 1000000;
			s += 2;
		} else if (*s == 'h' || *s == 'm' || *s == 's') {
			mul = *s == 'h' ? 3600000000000LL : *s == 'm' ? 60000000000LL :
			    1000000000LL;
			s++;
		} else
			return false;
		total += v * mul;
	}
	*ns = total;
	return true;
}

static const struct {
	const char	*unit;
	double		 ns;
} go_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
	{ "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
};

bool
units_go_duration(const char *s, int64_t *ns)
{
	long double total = 0, v, scale;
	bool neg = false, any;
	size_t i, ul, best;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return true;
	}
	if (*s == '\0')
		return false;
	while (*s != '\0') {
		v = 0;
		any = false;
		for (; isdigit((unsigned char)*s); s++, any = true)
			v = v * 10 + (*s - '0');
		if (*s == '.') {
			for (s++, scale = 0.1L; isdigit((unsigned char)*s); s++, scale /= 10) {
				v += (*s - '0') * scale;
				any = true;
			}
		}
		if (!any)
			return false;
		best = 0;
		for (i = 0, ul = 0; i < sizeof(go_units) / sizeof(go_units[0]); i++)
			if (strncmp(s, go_units[i].unit, strlen(go_units[i].unit)) == 0 &&
			    strlen(go_units[i].unit) > ul) {
				ul = strlen(go_units[i].unit);
				best = i;
			}
		if (ul == 0)
			return false;
		total += v * (long double)go_units[best].ns;
		s += ul;
	}
	if (total > 9223372036854775807.0L)
		return false;
	*ns = (int64_t)(neg ? -total : total);
	return true;
}

bool
units_quantity(const char *s, int64_t *value)
{
	long double v = 0, scale, mul = 1;
	bool neg = false, any = false;
	const char *bin = "KMGTPE", *dec = "kMGTPE", *p;
	long exp10;
	char *end;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; isdigit((unsigned char)*s); s++, any = true)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++, scale = 0.1L; isdigit((unsigned char)*s); s++, scale /= 10) {
			v += (*s - '0') * scale;
			any = true;
		}
	if (!any)
		return false;
	if (*s != '\0' && s[1] == 'i' && s[2] == '\0' && (p = strchr(bin, *s)) != NULL)
		mul = powl(1024.0L, (long double)(p - bin + 1));
	else if (*s == 'e' || *s == 'E') {
		exp10 = strtol(s + 1, &end, 10);
		if (end == s + 1 || *end != '\0' || exp10 > 30 || exp10 < -30)
			return false;
		mul = powl(10.0L, (long double)exp10);
	} else if (*s == 'n' && s[1] == '\0')
		mul = 1e-9L;
	else if (*s == 'u' && s[1] == '\0')
		mul = 1e-6L;
	else if (*s == 'm' && s[1] == '\0')
		mul = 1e-3L;
	else if (*s != '\0' && s[1] == '\0' && (p = strchr(dec, *s)) != NULL)
		mul = powl(1000.0L, (long double)(p - dec + 1));
	else if (*s != '\0')
		return false;
	v = ceill(v * mul);
	if (v > 9223372036854775807.0L)
		return false;
	*value = (int64_t)(neg ? -v : v);
	return true;
}
