/*
 * units.h: the value syntaxes of the BTP API.
 *
 * - Gateway API Duration: ^([0-9]{1,5}(h|m|s|ms)){1,4}$ ("1h30m", "250ms").
 * - Go time.ParseDuration (what CEL's duration() and Envoy Gateway accept
 *   elsewhere): "1.5s", "-1s", "300us", "2h45m".
 * - Kubernetes resource.Quantity ("32Ki", "10M", "1k", "32768", "1.5Gi").
 */
#ifndef BTPCTL_UNITS_H
#define BTPCTL_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/* Gateway API Duration to nanoseconds; false when it does not match the pattern. */
bool	units_gwapi_duration(const char *s, int64_t *ns);
/* Go time.ParseDuration semantics; false on a syntax error or overflow. */
bool	units_go_duration(const char *s, int64_t *ns);
/*
 * resource.Quantity to a value in bytes (rounded up to an integer, as
 * Quantity.Value() does); false on a syntax error or overflow.
 */
bool	units_quantity(const char *s, int64_t *value);

#endif
