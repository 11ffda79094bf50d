# btpctl: hand-written GNU Makefile.
#
#   make            build ./btpctl
#   make demo       install missing -dev packages, build, run btpctl on examples/
#   make check      install missing -dev packages, build, run every test
#   make asan       the whole test suite under AddressSanitizer + UBSan
#   make bench      benchmarks (ratios to a floor measured in the same run)
#   make install    PREFIX=/usr/local DESTDIR=
#
# DEVELOPER=1 (set by CI) turns warnings into errors.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC      ?= cc
PKGS     = yaml-0.1 jansson libpcre2-8 libcurl libxxhash
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
       -Wmissing-prototypes -Wold-style-definition -Wwrite-strings \
       -Wpointer-arith -Wundef -Wvla -Wimplicit-fallthrough -Wconversion \
       -Wno-sign-conversion -fno-common
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

OPT     ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS  = -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) -Isrc -Ibuild/$(VARIANT) \
              $(PKG_CFLAGS) -DBTPCTL_VERSION='"$(VERSION)"' $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS)
LIBS        = $(PKG_LIBS) -lm -lpthread

VARIANT ?= release
B = build/$(VARIANT)

# Every src/*.c and src/*/*.c is part of btpctl; main.c is the only file
# left out of the library that unit tests link against.
SRCS     := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRCS))
GEN_SRCS := $(B)/gen/embedded.c
GEN_OBJS := $(B)/obj/gen/embedded.o
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
EMBED     := $(sort $(wildcard schemas/*.yaml)) $(sort $(wildcard src/data/*.yaml))

.PHONY: all deps demo check test asan bench install uninstall clean fuzz units
.SUFFIXES:

all: btpctl

btpctl: $(B)/btpctl
	cp $< $@

$(B)/btpctl: $(B)/obj/main.o $(B)/libbtpctl.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(LIBS)

$(B)/libbtpctl.a: $(LIB_OBJS) $(GEN_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/obj/%.o: src/%.c $(wildcard src/*.h src/*/*.h) | $(B)/gen/embedded.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/gen/embedded.c $(B)/gen/embedded.h &: $(EMBED) tools/embed.sh
	@mkdir -p $(B)/gen
	sh tools/embed.sh $(B)/gen $(EMBED)

$(B)/obj/gen/embedded.o: $(B)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(B)/tests/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(B)/libbtpctl.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(B)/libbtpctl.a $(ALL_LDFLAGS) $(LIBS)

units: $(UNIT_BINS)

deps:
	@sh tools/deps.sh

demo: deps
	@$(MAKE) --no-print-directory btpctl
	@sh tools/demo.sh

check:
	@sh tools/deps.sh check
	@$(MAKE) --no-print-directory btpctl units
	@BTPCTL=$(CURDIR)/$(B)/btpctl UNITDIR=$(CURDIR)/$(B)/tests sh tests/run.sh

test: check

asan:
	@sh tools/deps.sh check
	@$(MAKE) --no-print-directory VARIANT=asan \
	  OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" build/asan/btpctl units
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  BTPCTL_SANITIZED=1 BTPCTL=$(CURDIR)/build/asan/btpctl UNITDIR=$(CURDIR)/build/asan/tests \
	  sh tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory btpctl
	@for s in bench/run.sh bench/schema.sh bench/lint.sh; do [ ! -f $$s ] || sh $$s || exit 1; done

fuzz:
	@$(MAKE) --no-print-directory VARIANT=fuzz CC=clang \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" build/fuzz/libbtpctl.a
	@mkdir -p build/fuzz/bin
	for f in fuzz/fuzz_*.c; do \
	  clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
	    $(PKG_CFLAGS) -o build/fuzz/bin/$$(basename $$f .c) $$f build/fuzz/libbtpctl.a $(LIBS) || exit 1; \
	done

install: btpctl
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 btpctl $(DESTDIR)$(BINDIR)/btpctl
	for m in man/*.1; do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(wildcard man/*.5); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in $(wildcard man/*.7); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	install -m 644 completions/btpctl.bash $(DESTDIR)$(BASHCOMPDIR)/btpctl
	install -m 644 completions/_btpctl $(DESTDIR)$(ZSHCOMPDIR)/_btpctl
	install -m 644 completions/btpctl.fish $(DESTDIR)$(FISHCOMPDIR)/btpctl.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/btpctl $(DESTDIR)$(BASHCOMPDIR)/btpctl \
	  $(DESTDIR)$(ZSHCOMPDIR)/_btpctl $(DESTDIR)$(FISHCOMPDIR)/btpctl.fish
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(wildcard man/*.7)))

clean:
	rm -rf build btpctl
