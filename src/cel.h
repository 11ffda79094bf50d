/*
 * cel.h: the Common Expression Language, the subset that Kubernetes CRD
 * x-kubernetes-validations rules use, compiled once and evaluated against
 * node trees.
 *
 * Supported: int, uint, double, string (quoted, triple-quoted, raw, with
 * every escape), bytes, bool and null literals; list and map literals;
 * field selection, indexing, has(); the operators ! - * / % + - < <= > >=
 * == != in && || ?: with cel-go's semantics (heterogeneous numeric
 * equality and ordering, error-absorbing && and ||, checked integer
 * overflow); the macros all, exists, exists_one (or existsOne), map (2
 * and 3 arguments) and filter; size(), the conversions int() uint()
 * double() string() bytes() bool() duration() dyn(); matches() (RE2
 * patterns run by pcre2,
 * literal patterns compiled at compile time); the string functions
 * startsWith endsWith contains upperAscii lowerAscii trim split join
 * indexOf lastIndexOf replace substring charAt; the Kubernetes list
 * functions isSorted sum min max indexOf lastIndexOf; durations
 * (comparison, + and -, getHours getMinutes getSeconds getMilliseconds).
 * Kubernetes' escaped property names (__dash__, __dot__, __slash__,
 * __underscores__, __<keyword>__) select the original names.  Anything
 * else (timestamps, type(), message construction, optional syntax,
 * two-variable comprehensions, other Kubernetes libraries) is a compile
 * error naming the construct, never a silent pass.
 *
 * The node tree maps to CEL values as: NODE_MAP = map/object, NODE_SEQ =
 * list, NODE_STRING = string, NODE_INT = int, NODE_FLOAT = double,
 * NODE_BOOL = bool, NODE_NULL = null.  Selecting an absent field is the
 * runtime error "no such key: <name>"; has(x.f) is true when f is present
 * (an error when x itself cannot be evaluated, as in cel-go).
 *
 * Programs are immutable after cel_compile(): one program may be evaluated
 * from several threads at once.
 */
#ifndef BTPCTL_CEL_H
#define BTPCTL_CEL_H

#include <stdbool.h>

struct node;
struct cel_program;

/*
 * Compile expr.  Returns NULL on failure with *err (heap, caller frees)
 * saying why, as "<line>:<col>: <what>"; a construct the evaluator does
 * not support is a compile failure.
 */
struct cel_program *cel_compile(const char *expr, char **err);
/* Release a program; NULL is ok. */
void	 cel_program_free(struct cel_program *);
/* True when the rule mentions oldSelf (a transition rule). */
bool	 cel_uses_oldself(const struct cel_program *);

enum cel_status { CEL_TRUE, CEL_FALSE, CEL_ERROR };

/*
 * Evaluate a boolean rule with self bound to n (NULL = null/absent).  On
 * CEL_ERROR *err (heap, caller frees) holds the runtime error in cel-go's
 * words ("no such key: foo", "type conversion error from 'string' to
 * 'google.protobuf.Duration'", "no such overload", "division by zero").
 * A result that is not a bool is an error too.  Thread-safe.
 */
enum cel_status cel_eval_bool(const struct cel_program *,
	    const struct node *self, char **err);
/*
 * Evaluate to a string (messageExpression).  Returns 0 with *out (heap) on
 * success; -1 with *err (heap) on a runtime error or a non-string result.
 */
int	 cel_eval_string(const struct cel_program *, const struct node *self,
	    char **out, char **err);

#endif
