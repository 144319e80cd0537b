# Thin wrapper over CMake. The two commands of the contract are `make demo`
# and `make check`; both install what is missing first.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 20
CMAKE      ?= cmake
CTEST      ?= ctest

.PHONY: all build deps demo check check-release check-asan check-fuzz bench clean format

all: build

deps:
	@scripts/install-deps.sh

build:
	@$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build $(BUILD) -j $(JOBS)

demo: deps build
	@scripts/demo.sh $(BUILD)/apsco

check: deps
	@$(MAKE) --no-print-directory check-release
	@$(MAKE) --no-print-directory check-asan
	@$(MAKE) --no-print-directory check-fuzz

check-release: build
	cd $(BUILD) && $(CTEST) --output-on-failure -j $(JOBS)

check-asan:
	@$(CMAKE) -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAPSCO_SANITIZE=ON >/dev/null
	@$(CMAKE) --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && $(CTEST) --output-on-failure -j $(JOBS) -LE slow

check-fuzz:
	@CC=clang $(CMAKE) -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAPSCO_FUZZ=ON \
	    -DAPSCO_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@$(CMAKE) --build $(FUZZ_BUILD) -j $(JOBS)
	cd $(FUZZ_BUILD) && $(CTEST) --output-on-failure -j $(JOBS) -L fuzz

bench:
	@scripts/install-deps.sh --bench
	@$(MAKE) --no-print-directory build
	@bench/run.sh $(BUILD)/apsco
	@bench/others.sh $(BUILD)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
