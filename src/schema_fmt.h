/*
 * schema_fmt.h: values printed the way the Kubernetes API server prints
 * them in field errors (Go's %q, %v and encoding/json), shared by the
 * schema checker and explain.
 */
#ifndef BTPCTL_SCHEMA_FMT_H
#define BTPCTL_SCHEMA_FMT_H

#include <stddef.h>

struct node;
struct strbuf;

/* Go strconv.Quote of s[0..n). */
void	go_quote(struct strbuf *, const char *s, size_t n);
/* Go fmt %v of a float64 (shortest digits; exponent form from 1e+06 up and below 1e-04). */
void	go_float(struct strbuf *, double);
/* Go encoding/json of a node (map keys sorted, like a Go map). */
void	go_json(struct strbuf *, const struct node *);
/* A field error's value: strings quoted, numbers and bools bare, null, maps and lists as JSON. */
void	go_value(struct strbuf *, const struct node *);
/* The JSON type of a value as go-openapi names it: "string", "integer", "number", "boolean", "object", "array", "null". */
const char *value_json_type(const struct node *);

#endif
