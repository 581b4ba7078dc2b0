# remote-worker: image work for a web forum over FastCGI.
#   make run    install what is missing, build release, serve on 127.0.0.1:5000 (Ctrl-C stops)
#   make test   install what is missing, build, run every test
SHELL := /bin/bash
PORT ?= 5000
RUN_DIR ?= $(CURDIR)/run
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := pkg-config libvips-dev libfcgi-dev libexif-dev libmagic-dev libturbojpeg0-dev libxml2-dev \
	libcurl4-openssl-dev libssl-dev ca-certificates nginx \
	libvips-tools libimage-exiftool-perl curl bc systemd python3 python3-venv

BENCH_PACKAGES := hyperfine wrk jhead libjpeg-turbo-progs python3 valgrind
DEB_PACKAGES := dpkg-dev lintian binutils
CHECK_SYSTEMD_PACKAGES := debootstrap systemd-container curl
DEB_VERSION ?= 0.1.0
DEB := remote-worker_$(DEB_VERSION)_$(shell dpkg --print-architecture).deb

# The reference implementations the fingerprints are checked against, and (for make
# bench) the image-quality metric, in a virtual environment of the project's own.
PYTHON_VENV := $(CURDIR)/.cache/python
PYTHON_TEST_PACKAGES := blurhash==1.1.4 ImageHash==4.3.2
PYTHON_BENCH_PACKAGES := scikit-image==0.24.0

.PHONY: setup python-setup bench-setup build release run test test-images bench soak fuzz conformance check-deploy deb check-systemd clean

# Installs the packages of $(1) that are missing: quick when everything is present.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

setup:
	$(call install_missing,$(DEBIAN_PACKAGES))

build: setup
	swift build

release: setup
	swift build -c release

run: release
	bash scripts/run-local.sh "$$(swift build -c release --show-bin-path)/remote-worker" "$(RUN_DIR)" "$(PORT)"

python-setup:
	@$(PYTHON_VENV)/bin/python3 -c "import blurhash, imagehash" 2>/dev/null || { \
		python3 -m venv "$(PYTHON_VENV)" && \
		"$(PYTHON_VENV)/bin/pip" install --quiet --disable-pip-version-check $(PYTHON_TEST_PACKAGES); }

test: setup python-setup
	swift build --build-tests
	RW_BIN_DIR="$$(swift build --show-bin-path)" RW_PYTHON="$(PYTHON_VENV)/bin/python3" swift test --skip-build

bench-setup: setup python-setup
	$(call install_missing,$(BENCH_PACKAGES))
	@$(PYTHON_VENV)/bin/python3 -c "import skimage" 2>/dev/null || \
		"$(PYTHON_VENV)/bin/pip" install --quiet --disable-pip-version-check $(PYTHON_BENCH_PACKAGES)

# Every endpoint through nginx (wrk) beside the same work in process; prepare_jpeg
# against exiftool, jhead and jpegtran; time and memory of a 500-frame animation;
# 500 link previews in flight beside fast ones, and the preview cache.
bench: bench-setup release
	python3 scripts/bench-endpoints.py "$$(swift build -c release --show-bin-path)/remote-worker-bench" \
		"$$(swift build -c release --show-bin-path)/remote-worker"
	bash scripts/bench-prepare.sh "$$(swift build -c release --show-bin-path)/remote-worker-bench" \
		"$$(swift build -c release --show-bin-path)/remote-worker"
	bash scripts/bench-animation.sh "$$(swift build -c release --show-bin-path)/remote-worker-bench"
	bash scripts/bench-formats.sh "$$(swift build -c release --show-bin-path)/remote-worker-bench"
	bash scripts/bench-previews.sh "$$(swift build -c release --show-bin-path)/remote-worker"

# SOAK_REQUESTS requests at concurrency 8, one in ten hostile, responders killed at random.
SOAK_REQUESTS ?= 5000
soak: bench-setup release
	python3 scripts/soak.py "$$(swift build -c release --show-bin-path)/remote-worker" $(SOAK_REQUESTS)

# libFuzzer on each parser of untrusted bytes, FUZZ_SECONDS each (findings in .build/fuzz-findings).
FUZZ_SECONDS ?= 120
fuzz: setup
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

# docs/openapi.yaml against the running service, with schemathesis from PyPI.
conformance: build
	@dpkg-query -W -f='$${Status}\n' python3-venv 2>/dev/null | grep -q "ok installed" || \
		($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv)
	bash scripts/conformance.sh "$$(swift build --show-bin-path)/remote-worker"

# The systemd unit passes systemd-analyze verify and rates 2.0 or better on security.
check-deploy: release
	bash scripts/check-deploy.sh "$$(swift build -c release --show-bin-path)/remote-worker"

# The Debian package, checked by lintian: $(DEB) in this folder.
deb: setup
	$(call install_missing,$(DEB_PACKAGES))
	bash scripts/make-deb.sh $(DEB_VERSION)

# The package under a real systemd: a minimal Debian (debootstrap, cached in .cache/)
# booted with systemd-nspawn. Downloads packages the first time; not part of make test.
check-systemd: deb
	$(call install_missing,$(CHECK_SYSTEMD_PACKAGES))
	bash scripts/check-systemd.sh "$(CURDIR)/$(DEB)"

test-images: setup
	@dpkg-query -W -f='$${Status}\n' apngasm 2>/dev/null | grep -q "ok installed" || $(SUDO) apt-get install -y -qq apngasm
	bash scripts/make-test-images.sh

clean:
	rm -rf .build .build-deb .build-deb-manual "$(RUN_DIR)" remote-worker_*.deb
