# HeavyBallNODE — build, test, benchmark, data and reproduction entry points.
# `make test` is what CI runs (.ci/run); `make reproduce-section-5` is the main job.

SHELL := /bin/bash
PACKAGES := Tensor ODESolvers Adjoint NeuralODEModels Datasets Metrics
SYSTEM_PACKAGES := libopenblas-dev libpng-dev zlib1g-dev pkg-config
MPI_PACKAGES := libopenmpi-dev openmpi-bin
DATA_MIRROR ?=
PROFILE ?= default
# Units of a sweep run at once (`--jobs`); empty = every core.
JOBS ?=
JOBS_ARG := $(if $(JOBS),--jobs $(JOBS),)
CLUSTER_PACKAGES := $(MPI_PACKAGES) slurm-wlm munge
SWIFT ?= swift

# OpenBLAS 0.3.21 misdetects these CPUs and falls back to a slow generic kernel (README, "OpenBLAS kernel").
# Long jobs and benchmarks pick the SkylakeX kernel, but only where the variable is unset and the CPU has
# AVX-512: a value already set is never overridden. Tests run with whatever the environment has.
OPENBLAS_ENV := $(shell if [ -z "$$OPENBLAS_CORETYPE" ] && grep -qw avx512f /proc/cpuinfo 2>/dev/null; then echo OPENBLAS_CORETYPE=SkylakeX; fi)

.PHONY: all help deps deps-faults deps-mpi mpi-check apt-install build test $(addprefix test-,$(shell echo $(PACKAGES) | tr A-Z a-z)) test-root bench bench-compare data \
        reproduce reproduce-section-2 reproduce-section-3 reproduce-section-4 reproduce-section-5 smoke examples docs fuzz fault-injection disk-full deps-cluster cluster-check clean

all: build

## help: list the targets with what each does.
help:
	@echo "HeavyBallNODE make targets (variables: PROFILE=quick|default|full-epoch|paper, JOBS=n, DATA_MIRROR=dir, BENCH_ARGS=...):"
	@grep -E '^## [A-Za-z0-9-]+:' $(MAKEFILE_LIST) | sed -E 's/^## ([^:]+): */  \1\t/' | expand -t 24

## deps: install the C libraries (OpenBLAS, libpng, zlib) with apt when they are missing.
deps:
	@$(MAKE) --no-print-directory apt-install APT_PACKAGES="$(SYSTEM_PACKAGES)"

## deps-faults: strace, which the fault-injection and disk-full tests drive.
deps-faults:
	@$(MAKE) --no-print-directory apt-install APT_PACKAGES="strace"

## deps-mpi: Open MPI (libopenmpi-dev, openmpi-bin; pkg-config `ompi`) for data-parallel training, only needed with --traits MPI.
deps-mpi:
	@$(MAKE) --no-print-directory apt-install APT_PACKAGES="$(MPI_PACKAGES)"

## deps-cluster: Open MPI, Slurm and munge, which cluster-check drives.
deps-cluster:
	@$(MAKE) --no-print-directory apt-install APT_PACKAGES="$(CLUSTER_PACKAGES)"

apt-install:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else echo "System packages present: $(APT_PACKAGES)"; fi

## build: debug build of every package and executable.
build: deps
	$(SWIFT) build

## test: every package's tests, then the cross-package tests of the root package.
test: deps
	@set -e; for p in $(PACKAGES); do \
	  echo "=== swift test --package-path Packages/$$p ==="; \
	  $(SWIFT) test --package-path Packages/$$p; \
	done
	@echo "=== swift test (root: cross-package tests) ==="
	$(SWIFT) test

## test-PACKAGE: one package's tests (test-tensor, test-odesolvers, test-adjoint, test-neuralodemodels, test-datasets, test-metrics).
test-tensor test-odesolvers test-adjoint test-neuralodemodels test-datasets test-metrics: deps
	@p=$$(for q in $(PACKAGES); do [ "$$(echo $$q | tr A-Z a-z)" = "$(@:test-%=%)" ] && echo $$q; done); \
	$(SWIFT) test --package-path Packages/$$p

## test-root: the root package's cross-package tests.
test-root: deps
	$(SWIFT) test

## bench: release-build benchmarks of every package that has one.
bench: deps
	env $(OPENBLAS_ENV) $(SWIFT) run -c release --package-path Packages/Tensor tensor-bench
	env $(OPENBLAS_ENV) $(SWIFT) run -c release --package-path Packages/ODESolvers odesolvers-bench
	env $(OPENBLAS_ENV) $(SWIFT) run -c release --package-path Packages/Adjoint adjoint-bench

## bench-compare: one MNIST/CIFAR-10 training step here and with PyTorch + torchdiffeq (if importable), side by side.
bench-compare: deps
	env $(OPENBLAS_ENV) $(SWIFT) run -c release bench-compare $(BENCH_ARGS)

## data: fetch every dataset into Datasets/ (DATA_MIRROR=dir copies from a local mirror instead).
data:
	bash scripts/fetch-data.sh $(DATA_MIRROR)

## reproduce-section-N: N = 2, 3, 4, 5: one paper section's experiments, CSV + PNG + REPORT.md under results/.
# Section 2 reads no data. The others fetch what they can first; an experiment whose data is still missing
# stops with a message naming the file and the command that fetches it, and the other experiments run.
reproduce-section-2: deps
	env $(OPENBLAS_ENV) $(SWIFT) run -c release $@ --profile $(PROFILE)

reproduce-section-3 reproduce-section-4: deps
	@bash scripts/fetch-data.sh $(DATA_MIRROR) || echo "make: some datasets are missing (listed above); only the experiments that need them will stop"
	env $(OPENBLAS_ENV) $(SWIFT) run -c release $@ --profile $(PROFILE)

# Section 5 is a sweep of independent units: JOBS=N runs N at once (default: every core); see README, "Sweeps".
reproduce-section-5: deps
	@bash scripts/fetch-data.sh $(DATA_MIRROR) || echo "make: some datasets are missing (listed above); only the experiments that need them will stop"
	env $(OPENBLAS_ENV) $(SWIFT) run -c release $@ --profile $(PROFILE) $(JOBS_ARG)

## reproduce: every section.
reproduce: reproduce-section-2 reproduce-section-3 reproduce-section-4 reproduce-section-5

## examples: build the examples in release and run each at a small size (MNIST's needs `make data`).
examples: deps
	@set -e; for p in oscillator-example spiral-example mnist-example irregular-series-example; do $(SWIFT) build -c release --product $$p; done
	.build/release/oscillator-example
	.build/release/spiral-example --iterations 30 --output .build/spiral.png
	.build/release/mnist-example --train 200 --test 200 --epochs 1
	.build/release/irregular-series-example --iterations 20

## smoke: every section with --profile quick (what CI runs after the tests).
smoke: deps
	@set -e; for s in 2 3 4 5; do env $(OPENBLAS_ENV) $(SWIFT) run -c release reproduce-section-$$s --profile quick --output .build/smoke-results; done

## docs: build every package's DocC catalog into .build/docs/<Module>.doccarchive (fails on unresolved links).
docs: deps
	SWIFT=$(SWIFT) bash scripts/build-docs.sh

## mpi-check: a build without MPI refuses --data-parallel; with --traits MPI, mpirun -np 2 trains like one process (same NFE, parameters within 1e-5); a dying rank ends the job.
mpi-check: deps deps-mpi
	SWIFT=$(SWIFT) bash scripts/mpi-check.sh

## fuzz: every Datasets loader under libFuzzer + AddressSanitizer for SECONDS each (default 60), seeds cut from Datasets/.
SECONDS ?= 60
fuzz: deps
	bash scripts/fuzz.sh $(SECONDS)

## fault-injection: SIGKILL a quick run at every write/rename/fsync (strace), resume each, compare with an uninterrupted run.
fault-injection: deps deps-faults
	bash scripts/fault-injection.sh

## disk-full: a quick run on a full disk (small tmpfs, or ENOSPC injected with strace) must stop with the path and errno.
disk-full: deps deps-faults
	bash scripts/disk-full.sh

## cluster-check: a quick sweep under mpirun -np 2 and a localhost Slurm array (0-1), each merged and compared with a serial run.
cluster-check: deps deps-cluster
	bash scripts/cluster-check.sh

## clean: remove every build folder.
clean:
	rm -rf .build .build-mpi $(addsuffix /.build,$(addprefix Packages/,$(PACKAGES)))
