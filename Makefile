# akt: the front door. Thin on purpose: building is CMake's job, testing is ctest's and the
# scripts'; this file only names the steps and their order.
#
#   make setup    install every dependency (scripts/setup.sh; fast when all are present)
#   make build    release build with debug info in build/
#   make test     setup, build, then every test phase; prints a summary, fails on any failure
#   make demo     build and run build/bin/akt-demo
#   make bench    build (with the counting core: akt-atomics-bench) and run bench/run.sh
#   make docs     build, then the API reference of C, Python, Node and Java under
#                 build/docs/ (scripts/docs.sh; warnings are errors; ~30 s, the last phase
#                 of `make test`)
#
# Test phases, also callable one by one:
#   test-release      ctest in build/: every test but conformance_* (core, abi, install)
#   test-asan         the suite built with ASan+UBSan in build-asan/
#   test-tsan         the suite built with TSan in build-tsan/
#   build-fuzz        the libFuzzer targets of fuzz/ (clang-14) in build-fuzz/
#   test-fuzz         each fuzz target on its corpus for FUZZ_SECONDS (scripts/run_fuzz.sh);
#                     fails on any crash, leak or sanitizer report
#   test-<binding>    bindings/<binding>/test.sh, for each binding listed in BINDINGS
#   test-conformance  the conformance_* ctests in build/ (fails if there is none)
#   test-bindings-asan  the Python and Node suites against the ASan+UBSan libakt of
#                     build-asan/ (scripts/test_bindings_asan.sh; installs nothing outside it)
#   docs              the API reference of the four languages (scripts/docs.sh), warnings as
#                     errors: a doc comment the tools cannot read fails the suite
# Binding test scripts get AKT_SOURCE_DIR and AKT_BUILD_DIR (the release build) in their
# environment. A listed binding without its test.sh fails; it is never skipped.

SHELL := /bin/bash
# Phases are heavy and each already uses every core (ninja, ctest -j): one at a time.
.NOTPARALLEL:
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_TSAN ?= build-tsan
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 30
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= 2
CMAKE_ARGS ?=
# ON builds the counting core (akt_counted) and akt-atomics-bench: `make bench` sets it.
AKT_COUNTED ?= OFF
# Bindings whose tests `make test` runs: python node java. Added as each one lands.
BINDINGS   ?= python node java

ASAN_OPTIONS  ?= detect_leaks=1
UBSAN_OPTIONS ?= halt_on_error=1:print_stacktrace=1
TSAN_OPTIONS  ?= halt_on_error=1:second_deadlock_stack=1

PHASE  := scripts/phase.sh
# Conformance ctests (conformance/CMakeLists.txt: conformance_<lang>) run in their own phase,
# after the bindings they drive; the sanitizer phases run the core suite without them.
CONFORMANCE_RE := '^conformance_'
# --no-tests=error: a tree configured without tests must fail, not pass with zero tests.
CTEST  := ctest --output-on-failure -j$(JOBS) --no-tests=error
# Configure (cheap when nothing changed) and build one tree: $(call cmake_build,dir,args).
cmake_build = cmake -S . -B $(1) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DAKT_BUILD_TESTS=ON \
              $(2) $(CMAKE_ARGS) \
              && cmake --build $(1) -j $(JOBS)

# The phases of `make test`, in order; the summary lists exactly these.
TEST_PHASES := setup build test-release build-asan test-asan build-tsan test-tsan build-fuzz test-fuzz \
               $(addprefix test-,$(BINDINGS)) test-conformance test-bindings-asan packages docs
SUMMARY := $(CURDIR)/$(BUILD)/test-summary.txt

.PHONY: setup build demo bench test test-phases test-release build-asan test-asan \
        build-tsan test-tsan build-fuzz test-fuzz test-conformance test-bindings test-python test-node \
        test-java test-bindings-asan packages abi-baseline docs clean

setup:
	@$(PHASE) $@ scripts/setup.sh

build: setup
	@$(PHASE) $@ bash -c '$(call cmake_build,$(BUILD),-DAKT_COUNTED=$(AKT_COUNTED))'

# -k: a failed phase does not stop the independent ones (ASan still runs when TSan's build
# breaks); phases that need a failed one are reported as not run.
test:
	@mkdir -p $(BUILD) && rm -f $(SUMMARY)
	@rc=0; AKT_SUMMARY=$(SUMMARY) $(MAKE) --no-print-directory -k test-phases || rc=$$?; \
	 scripts/test_summary.sh $(SUMMARY) $(TEST_PHASES) || rc=1; exit $$rc

test-phases: $(TEST_PHASES)

test-release: build
	@$(PHASE) $@ $(CTEST) --test-dir $(BUILD) -E $(CONFORMANCE_RE)

build-asan: setup
	@$(PHASE) $@ bash -c '$(call cmake_build,$(BUILD_ASAN),-DAKT_SANITIZE=address)'

test-asan: build-asan
	@$(PHASE) $@ env ASAN_OPTIONS='$(ASAN_OPTIONS)' UBSAN_OPTIONS='$(UBSAN_OPTIONS)' \
	    $(CTEST) --test-dir $(BUILD_ASAN) -E $(CONFORMANCE_RE)

build-tsan: setup
	@$(PHASE) $@ bash -c '$(call cmake_build,$(BUILD_TSAN),-DAKT_SANITIZE=thread)'

# scripts/tsan_prefix.sh prints `setarch <arch> -R` where this kernel's ASLR breaks TSan.
test-tsan: build-tsan
	@$(PHASE) $@ env TSAN_OPTIONS='$(TSAN_OPTIONS)' $$(scripts/tsan_prefix.sh) \
	    $(CTEST) --test-dir $(BUILD_TSAN) -E $(CONFORMANCE_RE)

# Only the fuzz targets (and the instrumented static library they link) are built there.
build-fuzz: setup
	@$(PHASE) $@ bash -c 'cmake -S . -B $(BUILD_FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	    -DCMAKE_C_COMPILER=clang-14 -DAKT_FUZZ=ON -DAKT_BUILD_TESTS=OFF $(CMAKE_ARGS) \
	    && cmake --build $(BUILD_FUZZ) -j $(JOBS) --target akt_fuzz'

test-fuzz: build-fuzz
	@$(PHASE) $@ scripts/run_fuzz.sh $(BUILD_FUZZ) $(FUZZ_SECONDS)

test-conformance: build
	@$(PHASE) $@ $(CTEST) --test-dir $(BUILD) -R $(CONFORMANCE_RE)

test-bindings: $(addprefix test-,$(BINDINGS))

# The bindings' suites with the sanitizer runtime preloaded into the interpreters: needs
# the release build (the Node addon links it) and the ASan one (the libakt they run).
test-bindings-asan: build build-asan
	@$(PHASE) $@ env AKT_SOURCE_DIR=$(CURDIR) AKT_BUILD_DIR=$(CURDIR)/$(BUILD) \
	    AKT_ASAN_BUILD_DIR=$(CURDIR)/$(BUILD_ASAN) scripts/test_bindings_asan.sh

test-python test-node test-java: test-%: build
	@$(PHASE) $@ env AKT_SOURCE_DIR=$(CURDIR) AKT_BUILD_DIR=$(CURDIR)/$(BUILD) \
	    bash -c 'test -x bindings/$*/test.sh || { echo "bindings/$*/test.sh is missing or not executable" >&2; exit 1; }; exec bindings/$*/test.sh'

demo: build
	$(BUILD)/bin/akt-demo

# AKT_COUNTED=ON: also the counting build of the core and akt-atomics-bench (atomics and
# allocations per message), which compiles the core a second time.
bench:
	@$(MAKE) --no-print-directory build AKT_COUNTED=ON
	AKT_SETUP_BENCH=1 scripts/setup.sh
	AKT_BUILD_DIR=$(CURDIR)/$(BUILD) bench/run.sh

# The installable artefacts (Debian packages, Python sdist/wheel, npm tarball, Maven jars),
# each installed into a scratch environment and used there (scripts/packages/).
packages: build
	@$(PHASE) $@ scripts/packages/run.sh $(CURDIR)/$(BUILD)

docs: build
	@$(PHASE) $@ env AKT_BUILD_DIR=$(CURDIR)/$(BUILD) scripts/docs.sh

# Deliberate only: after a reviewed ABI change that came with a new major version.
abi-baseline: build
	abi/update_baseline.sh $(BUILD)/lib/libakt.so

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_TSAN)
