/*
 * fuzz_scalar.c: libFuzzer entry point over scalar resolution and key
 * spelling (load_resolve_scalar, load_key_text): any text, plain, quoted
 * or tagged, resolves without a crash, and a resolved scalar renders as
 * JSON that is not empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "load.h"
#include "node.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tags[] = { NULL, "tag:yaml.org,2002:int",
	    "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
	    "tag:yaml.org,2002:null", "tag:yaml.org,2002:str", "!local", "!" };
	struct arena *a;
	struct strbuf sb;
	struct node n;
	char *text;
	size_t i;

	if (size > 256)
		return 0;
	text = xstrndup((const char *)data, size);
	a = arena_new();
	sb_init(&sb);
	for (i = 0; i < nitems(tags); i++) {
		memset(&n, 0, sizeof(n));
		n.str = text;
		n.len = strlen(text);
		n.tag = tags[i];
		load_resolve_scalar(&n, tags[i], i % 2 == 0);
		sb_reset(&sb);
		node_to_json(&n, &sb);
		if (sb.len == 0)
			abort();
		if (load_key_text(a, &n) == NULL)
			abort();
	}
	sb_release(&sb);
	arena_free(a);
	free(text);
	return 0;
}
