# folio — the two commands: `make` (set up, build, compile every book in books/ to out/)
# and `make test`. On a fresh Debian 12 machine, as root, they install what is missing.
.DEFAULT_GOAL := all

BUILD      ?= build
OUT        ?= out
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
# CI builds with -Werror.
ifneq ($(CI),)
CMAKE_ARGS += -DFOLIO_WERROR=ON
endif

# Debian 12 packages: the libraries, the build tools, and what the tests and the
# benchmark run (epubcheck on Java, Chromium for DAISY Ace, pandoc and GNU time for `make bench`).
PACKAGES := cmake ninja-build g++ pkg-config \
	libcmark-gfm-dev libcmark-gfm-extensions-dev libtinyxml2-dev libzip-dev \
	libyaml-cpp-dev libtomlplusplus-dev libcli11-dev nettle-dev libgtest-dev libgmock-dev \
	libharfbuzz-dev libfribidi-dev libunibreak-dev libhyphen-dev libpodofo-dev libdeflate-dev libxxhash-dev libmimalloc-dev libstb-dev \
	libwebp-dev librsvg2-dev libcairo2-dev libcurl4-openssl-dev libpoppler-cpp-dev libcpp-httplib-dev clang libclang-rt-14-dev \
	hyphen-en-us hyphen-hr hyphen-sr hyphen-de hyphen-fr hyphen-es hyphen-it hyphen-el hyphen-hi \
	fonts-sil-charis fonts-dejavu-core \
	fonts-noto-core fonts-noto-cjk fonts-symbola \
	epubcheck default-jre-headless unzip qpdf poppler-utils ghostscript
BENCH_PACKAGES := pandoc time texlive-xetex texlive-latex-recommended texlive-fonts-recommended lmodern weasyprint
# Chromium: the headless browser DAISY Ace drives (make ace, tests/validate/ace.sh).
PACKAGES += chromium

BOOKS := $(sort $(patsubst %/book.yaml,%,$(wildcard books/*/book.yaml)))

.PHONY: all help deps bench-deps configure build books ace test asan fuzz golden bench clean

all: books ## Install what is missing, build folio, compile every book in books/ to out/

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

# $(call install_missing,PACKAGES): apt-get install those not installed yet.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing:" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "error: run as root (or install: $$missing)" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps: ## Install the Debian packages that are missing (needs root)
	$(call install_missing,$(PACKAGES))

bench-deps:
	$(call install_missing,$(BENCH_PACKAGES))

$(BUILD)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_ARGS)

configure: $(BUILD)/build.ninja

build: configure ## Build folio and its tests
	cmake --build $(BUILD) -j $(JOBS)

books: build ## Compile every book in books/ to out/ (EPUB, reading PDF, print PDF)
	$(BUILD)/folio build $(BOOKS) -o $(OUT) --format all

# DAISY Ace, the EPUB accessibility checker, at the versions locked in tests/ace/package-lock.json
# (npm ci; no install scripts: puppeteer downloads no browser, Ace drives Debian's Chromium).
ACE := tests/ace/node_modules/@daisy/ace-cli/bin/ace.js
$(ACE): tests/ace/package-lock.json | deps
	@command -v npm >/dev/null || { echo "error: DAISY Ace needs Node.js 20 and npm" >&2; exit 1; }
	cd tests/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund
	touch $@

ace: $(ACE) ## Install DAISY Ace (tests/ace) for the accessibility tests

# The DAISY Ace tests, and the preview's browser test (which drives Chromium with the
# puppeteer-core Ace brings), run in `make test` and `make asan`; only an explicit
# SKIP_ACE=1 leaves them out (say, on a machine with no Node.js), and the run says so.
ifeq ($(SKIP_ACE),1)
ACE_DEP    :=
CTEST_ACE  := -LE 'ace|browser'
SAY_ACE    = @echo "note: SKIP_ACE=1: the DAISY Ace accessibility tests and the preview's browser test are not run" >&2
else
ACE_DEP    := $(ACE)
CTEST_ACE  :=
SAY_ACE    =
endif

test: build $(ACE_DEP) ## Build and run every test (CTest); SKIP_ACE=1 leaves out DAISY Ace and the browser test, and says so
	$(SAY_ACE)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ACE)

# AddressSanitizer and UndefinedBehaviorSanitizer over folio and every test, in
# build-asan/ (mimalloc off: the sanitizer brings its own allocator; fontconfig's
# caches, never freed, are not reported: tests/lsan.supp).
ASAN_BUILD := build-asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan: deps $(ACE_DEP) ## Build folio and its tests with ASan and UBSan, and run every test
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOLIO_MIMALLOC=OFF \
	  -DCMAKE_CXX_FLAGS="$(ASAN_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(ASAN_FLAGS)" $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 ctest --output-on-failure -j $(JOBS) $(CTEST_ACE)

# libFuzzer (clang) over the fuzz targets in tests/fuzz, with ASan and UBSan, in
# build-fuzz/; each runs SECONDS seconds and keeps its corpus there for the next run.
FUZZ_BUILD := build-fuzz
SECONDS    ?= 60
FUZZ_FLAGS := -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz: deps ## Fuzz each target for SECONDS seconds (default 60): make fuzz SECONDS=600
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFOLIO_MIMALLOC=OFF -DFOLIO_TESTS=OFF -DFOLIO_FUZZ=ON -DCMAKE_CXX_FLAGS="$(FUZZ_FLAGS)" $(CMAKE_ARGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_article fuzz_layout fuzz_manifest fuzz_cache
	tests/fuzz/run.sh $(FUZZ_BUILD) $(SECONDS)

golden: build ## Rewrite the golden files from the current output (read the diff before committing)
	FOLIO_UPDATE_GOLDEN=1 $(BUILD)/tests/folio_golden_test
	git --no-pager diff --stat -- tests/golden

bench: build bench-deps ## Time folio against pandoc on synthetic books of 100 and 1,000 articles
	tests/bench/run.sh $(BUILD)

clean: ## Remove the build and the outputs
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(OUT)
