# SPDX-License-Identifier: MIT
# The one build entry of nucleus. `make` builds the two static musl binaries
# into build/out; `make check` runs every test tier this machine supports.
# build/deps.sh fetches what is missing (musl-gcc, kernel headers, a static
# musl libseccomp); SECCOMP_PREFIX points at an existing one instead.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
OUT        := build/out
CACHE      := build/cache
MUSL_CC    ?= musl-gcc
HOST_CC    ?= gcc
CLANG      ?= clang
SECCOMP_PREFIX ?= $(CURDIR)/$(CACHE)/seccomp
FUZZ_SECONDS ?= 30

WERROR     ?= -Werror
WARN       := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wformat=2 -Wimplicit-fallthrough $(WERROR)
CFLAGS     ?= -Os
BASEFLAGS  := -std=c11 -D_GNU_SOURCE -DNUCLEUS_VERSION='"$(VERSION)"' $(WARN) \
              -fstack-protector-strong -fstack-clash-protection \
              -ffunction-sections -fdata-sections \
              -fno-asynchronous-unwind-tables -fno-unwind-tables
KINC       := -idirafter $(CACHE)/include
SECCOMP_INC := -I$(SECCOMP_PREFIX)/include
SECCOMP_LIB := $(SECCOMP_PREFIX)/lib/libseccomp.a
# lld: read-only data in a segment of its own that is not executable, as
# ld.bfd's -z separate-code, but without bfd's page padding between the
# segments (about 5 KiB of the shim's file, 6 KiB of init's). musl-gcc
# names a dynamic linker, which a static binary must not carry. -O2: lld
# merges strings that end another (2.4 KiB of the shim's messages).
STATIC_LD  := -static -fuse-ld=lld -Wl,--no-dynamic-linker -Wl,-O2 \
              -Wl,--gc-sections -Wl,-z,relro -Wl,-z,now \
              -Wl,-z,noexecstack $(LDFLAGS)

SHIM_SRC   := $(wildcard shim/*.c shim/*/*.c)
INIT_SRC   := $(wildcard init/*.c)
SHIM_HDR   := $(wildcard shim/*/*.h)
INIT_HDR   := $(wildcard init/*.h)
DEPS_STAMP := $(CACHE)/.deps-ok
GEN        := $(OUT)/gen
POLICY_SRC := $(wildcard policy/*.policy)
POLICY_LIB := policy/parse.c policy/json.c policy/bpfgen.c shim/lib/sha256.c \
	      shim/lib/seccomp_bpf.c

# Refuses a binary that is not fully static (an INTERP segment or a NEEDED).
check_static = @if readelf -lW $(1) | grep -q INTERP || \
	readelf -dW $(1) | grep -q NEEDED; then \
	echo "$(1): not statically linked" >&2; rm -f $(1); exit 1; fi

.PHONY: all deps check unit sanitize fuzz bench install clean vm-check oci-check

all: $(OUT)/nucleus $(OUT)/nucleus-init $(OUT)/nucleus-policy $(OUT)/probe \
     $(OUT)/sysabi $(OUT)/denyns

$(DEPS_STAMP): build/deps.sh
	build/deps.sh
	@mkdir -p $(CACHE) && touch $@

deps: $(DEPS_STAMP)

$(OUT)/nucleus: $(SHIM_SRC) $(SHIM_HDR) $(GEN)/seccomp_builtin.h | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -Ishim -I$(GEN) -o $@ \
		$(SHIM_SRC) $(STATIC_LD)
	$(call check_static,$@)

# nucleus-policy, the seccomp profile compiler (libseccomp stays out of the
# shim): it compiles the built-in profiles to BPF on the build machine for
# the shim to embed, and custom profiles at run time (policy/README.md).
$(GEN)/policy_texts.h: policy/embed.sh $(POLICY_SRC)
	@mkdir -p $(GEN)
	policy/embed.sh $@ $(POLICY_SRC)

$(OUT)/nucleus-policy: policy/compile.c $(POLICY_LIB) policy/policy.h shim/lib/sha256.h shim/lib/seccomp_bpf.h $(GEN)/policy_texts.h | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) $(SECCOMP_INC) -Ipolicy -Ishim \
		-I$(GEN) -o $@ policy/compile.c $(POLICY_LIB) $(SECCOMP_LIB) \
		$(STATIC_LD)
	$(call check_static,$@)

$(GEN)/seccomp_builtin.h: $(OUT)/nucleus-policy $(POLICY_SRC)
	$(OUT)/nucleus-policy header $@ \
		$(foreach p,$(POLICY_SRC),$(basename $(notdir $(p)))=$(p))

$(OUT)/nucleus-init: $(INIT_SRC) $(INIT_HDR) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -o $@ $(INIT_SRC) $(STATIC_LD)
	$(call check_static,$@)

# Test workloads: one named action (probe), namespaces refused (denyns).
$(OUT)/denyns: tests/denyns.c | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -o $@ $< $(STATIC_LD)

$(OUT)/probe: tests/probe.c | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -o $@ $< $(STATIC_LD)
	$(call check_static,$@)

# The seccomp tests' helper: i386 and x32 calls, clone with namespace flags.
$(OUT)/sysabi: tests/sysabi.c | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -o $@ $< $(STATIC_LD)
	$(call check_static,$@)

# Unit tests of the pure parts, linked like the product (musl, static).
$(OUT)/test-args: tests/unit/test_args.c $(wildcard shim/cli/args*.c) $(wildcard shim/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -Ishim -o $@ \
		tests/unit/test_args.c $(wildcard shim/cli/args*.c) $(STATIC_LD)

# The resource flags (args_res.c): limits, sinks, cgroup names and paths.
$(OUT)/test-res: tests/unit/test_res.c $(wildcard shim/cli/args*.c) $(wildcard shim/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -Ishim -o $@ \
		tests/unit/test_res.c $(wildcard shim/cli/args*.c) $(STATIC_LD)

# The gVisor flags' rows, parsed like the product parses them.
$(OUT)/test-gvisor: tests/unit/test_gvisor.c $(wildcard shim/cli/args*.c) $(wildcard shim/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -Ishim -o $@ \
		tests/unit/test_gvisor.c $(wildcard shim/cli/args*.c) $(STATIC_LD)

# The seccomp profile parser and compiler, the BPF run in an interpreter.
TEST_SECCOMP_SRC := tests/unit/test_seccomp.c $(POLICY_LIB) \
		    $(wildcard shim/cli/args*.c)
$(OUT)/test-seccomp: $(TEST_SECCOMP_SRC) policy/policy.h $(wildcard shim/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) $(SECCOMP_INC) -Ipolicy -Ishim \
		-o $@ $(TEST_SECCOMP_SRC) $(SECCOMP_LIB) $(STATIC_LD)

# The confinement flags (caps, rlimits, Landlock, report).
$(OUT)/test-confine: tests/unit/test_confine.c $(wildcard shim/cli/args*.c) $(wildcard shim/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -Ishim -o $@ \
		tests/unit/test_confine.c $(wildcard shim/cli/args*.c) $(STATIC_LD)

# The network flags and the text nucleus hands to nft and pasta.
TEST_NET_SRC := tests/unit/test_net.c $(wildcard shim/cli/args*.c) shim/plan/net_rules.c \
		shim/plan/plan.c
$(OUT)/test-net: $(TEST_NET_SRC) $(wildcard shim/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -Ishim -o $@ $(TEST_NET_SRC) \
		$(STATIC_LD)

# The plan: every rule between flags, the runtime chosen, the row attributes.
TEST_PLAN_SRC := tests/unit/test_plan.c $(wildcard shim/cli/args*.c) shim/plan/plan.c
$(OUT)/test-plan: $(TEST_PLAN_SRC) $(wildcard shim/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -Ishim -o $@ $(TEST_PLAN_SRC) \
		$(STATIC_LD)

# The OCI front-end: config.json texts to the exact argv, and refusals.
TEST_OCI_SRC := tests/unit/test_oci.c shim/cli/oci.c shim/lib/json_read.c \
		shim/lib/json.c $(wildcard shim/cli/args*.c)
$(OUT)/test-oci: $(TEST_OCI_SRC) $(wildcard shim/*/*.h) | $(DEPS_STAMP)
	@mkdir -p $(OUT)
	$(MUSL_CC) $(CFLAGS) $(BASEFLAGS) $(KINC) -Ishim -o $@ $(TEST_OCI_SRC) \
		$(STATIC_LD)

unit: $(OUT)/test-oci $(OUT)/test-net $(OUT)/test-plan $(OUT)/test-args $(OUT)/test-seccomp $(OUT)/test-gvisor $(OUT)/test-confine $(OUT)/test-res
	$(OUT)/test-args
	$(OUT)/test-res
	$(OUT)/test-confine
	$(OUT)/test-net
	$(OUT)/test-oci
	$(OUT)/test-plan
	$(OUT)/test-seccomp
	$(OUT)/test-gvisor

check: all $(OUT)/test-oci $(OUT)/test-net $(OUT)/test-plan $(OUT)/test-args $(OUT)/test-confine $(OUT)/test-seccomp $(OUT)/test-gvisor $(OUT)/test-res sanitize
	prove tests/*.t tests/security/*.t

# The VM tier alone (tests/vm.t, which `make check` runs with the rest):
# Debian's kernel in QEMU, nucleus-init as PID 1 (build/vm.sh, tests/vm/).
vm-check: all
	prove -v tests/vm.t

# glibc + ASan/UBSan: sanitizers cannot run inside a static musl binary.
sanitize:
	@mkdir -p $(OUT)/san
	$(HOST_CC) -g -O1 $(BASEFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Ishim -o $(OUT)/san/test-args \
		tests/unit/test_args.c $(wildcard shim/cli/args*.c)
	$(OUT)/san/test-args
	$(HOST_CC) -g -O1 $(BASEFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Ishim -o $(OUT)/san/test-res \
		tests/unit/test_res.c $(wildcard shim/cli/args*.c)
	$(OUT)/san/test-res
	$(HOST_CC) -g -O1 $(BASEFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Ishim -o $(OUT)/san/test-confine \
		tests/unit/test_confine.c $(wildcard shim/cli/args*.c)
	$(OUT)/san/test-confine
	$(HOST_CC) -g -O1 $(BASEFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Ishim -o $(OUT)/san/test-net \
		$(TEST_NET_SRC)
	$(OUT)/san/test-net >/dev/null
	$(HOST_CC) -g -O1 $(BASEFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Ishim -o $(OUT)/san/test-oci \
		$(TEST_OCI_SRC)
	$(OUT)/san/test-oci >/dev/null
	$(HOST_CC) -g -O1 $(BASEFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Ishim -o $(OUT)/san/test-plan \
		$(TEST_PLAN_SRC)
	$(OUT)/san/test-plan >/dev/null
	$(HOST_CC) -g -O1 $(BASEFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all $(SECCOMP_INC) -Ipolicy -Ishim \
		-o $(OUT)/san/test-seccomp $(TEST_SECCOMP_SRC) \
		$(shell $(HOST_CC) -print-file-name=libseccomp.so.2)
	$(OUT)/san/test-seccomp >/dev/null

# make fuzz: every libFuzzer harness of tests/fuzz/ (clang, ASan+UBSan),
# each for FUZZ_SECONDS (per harness: the total is FUZZ_SECONDS times the
# number of FUZZERS). A harness's corpus grows in tests/fuzz/corpus/NAME
# (kept between runs, not committed), seeded from tests/fuzz/seeds-NAME;
# a crash is written to tests/fuzz/crashes/NAME-crash-SHA1 and stops the
# target. Each crash found is committed there and replayed as a test
# (tests/fuzz_regress.t).
FUZZERS    := args policy size init-args oci
FUZZ_FLAGS  = -g -O1 $(BASEFLAGS) -fsanitize=fuzzer,address,undefined
FUZZ_LEN_args := 65536
FUZZ_LEN_policy := 16384
FUZZ_LEN_size := 64
FUZZ_LEN_init-args := 4096
FUZZ_LEN_oci := 16384
FUZZ_SEEDS_args := tests/fuzz/seeds

$(OUT)/fuzz/fuzz-args: tests/fuzz/fuzz_args.c $(wildcard shim/cli/args*.c) $(SHIM_HDR)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -Ishim -o $@ $< $(wildcard shim/cli/args*.c)

FUZZ_OCI_SRC := shim/cli/oci.c shim/lib/json_read.c shim/lib/json.c \
		$(wildcard shim/cli/args*.c)
$(OUT)/fuzz/fuzz-oci: tests/fuzz/fuzz_oci.c $(FUZZ_OCI_SRC) $(SHIM_HDR)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -Ishim -o $@ $< $(FUZZ_OCI_SRC)

$(OUT)/fuzz/fuzz-size: tests/fuzz/fuzz_size.c $(wildcard shim/cli/args*.c) $(SHIM_HDR)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -Ishim -o $@ $< $(wildcard shim/cli/args*.c)

$(OUT)/fuzz/fuzz-policy: tests/fuzz/fuzz_policy.c $(POLICY_LIB) policy/policy.h
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) $(SECCOMP_INC) -Ipolicy -Ishim -o $@ $< \
		$(POLICY_LIB) $(shell $(HOST_CC) -print-file-name=libseccomp.so.2)

$(OUT)/fuzz/fuzz-init-args: tests/fuzz/fuzz_init_args.c init/args.c init/init.h
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -Iinit -o $@ $< init/args.c

fuzz: $(foreach f,$(FUZZERS),fuzz-run-$(f))

fuzz-run-%: $(OUT)/fuzz/fuzz-%
	@mkdir -p tests/fuzz/corpus/$* tests/fuzz/crashes
	@echo "fuzz-$*: $(FUZZ_SECONDS) s, corpus tests/fuzz/corpus/$*"
	@if ! $< -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_LEN_$*) \
		-artifact_prefix=tests/fuzz/crashes/$*- -print_final_stats=1 \
		tests/fuzz/corpus/$* $(or $(FUZZ_SEEDS_$*),$(wildcard tests/fuzz/seeds-$*)) \
		>$(OUT)/fuzz/$*.log 2>&1; then \
		tail -n 40 $(OUT)/fuzz/$*.log; exit 1; fi
	@grep -h stat::number_of_executed_units $(OUT)/fuzz/$*.log

# The OCI runtime-tools suite against nucleus and runc, in one run (needs
# root, golang-go and ../shared/oci-validation or RUNTIME_TOOLS_SRC).
oci-check: all
	tests/oci_check.sh

bench: all
	tests/bench/run.sh

install: $(OUT)/nucleus $(OUT)/nucleus-init $(OUT)/nucleus-policy
	install -D -m 0755 -s $(OUT)/nucleus $(DESTDIR)$(BINDIR)/nucleus
	install -D -m 0755 -s $(OUT)/nucleus-init \
		$(DESTDIR)$(BINDIR)/nucleus-init
	install -D -m 0755 -s $(OUT)/nucleus-policy \
		$(DESTDIR)$(BINDIR)/nucleus-policy
	install -D -m 0644 shim/nucleus.1 $(DESTDIR)$(MANDIR)/man1/nucleus.1
	install -D -m 0644 init/nucleus-init.8 \
		$(DESTDIR)$(MANDIR)/man8/nucleus-init.8

clean:
	rm -rf $(OUT) $(CACHE)/fuzz-corpus $(CACHE)/fuzz-corpus-policy
