# Mạng Lành. `make test` needs only Go; `make test-all` also installs and
# starts what the full suite needs (PostgreSQL, Chromium, DNS tools).
GO ?= go
export CGO_ENABLED ?= 0

.PHONY: build test test-all deps-all npm-deps vet bench-dns fuzz clean

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/manglanh ./cmd/manglanh

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Debian packages for the full suite, installed only when missing.
# fonts-liberation2: Liberation Serif 2 (metric twin of Times New Roman, with
# every Vietnamese letter), which LibreOffice uses for the report's DOCX; without
# it DejaVu Serif stands in and the lines break elsewhere.
# tesseract-ocr, tesseract-ocr-vie: reading chat screenshots on /kiem-tra (issue 11).
DEBS = postgresql chromium dnsutils knot-dnsutils dnsperf unbound fonts-dejavu-core fonts-liberation2 poppler-utils libreoffice-writer tesseract-ocr tesseract-ocr-vie
deps-all:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The public pages' checks (internal/e2e: axe-core and Lighthouse) use the
# npm packages pinned in .ci/npm/package-lock.json; Node and npm come from
# Debian when missing. node_modules stays out of git.
npm-deps:
	@command -v npm >/dev/null 2>&1 || { echo "installing: nodejs npm"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm; }
	cd .ci/npm && npm ci --no-audit --no-fund --loglevel=error

# Lighthouse runs after the suite, alone: a busy machine moves its
# simulated scores (see docs/public-pages.md).
test-all: deps-all npm-deps
	$(GO) vet ./...
	MANGLANH_TEST_POSTGRES="$$(scripts/test-postgres.sh)" MANGLANH_TEST_ALL=1 CGO_ENABLED=1 \
	  $(GO) test -count=1 -race -timeout 30m ./...
	MANGLANH_LIGHTHOUSE=1 MANGLANH_TEST_ALL=1 $(GO) test -count=1 -run '^TestLighthousePublicPages$$' -v ./internal/e2e

bench-dns: build
	scripts/bench-dns.sh

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseList -fuzztime 30s ./internal/filter
	$(GO) test -run '^$$' -fuzz FuzzParseQuery -fuzztime 30s ./internal/dnswire
	$(GO) test -run '^$$' -fuzz FuzzHandle -fuzztime 30s ./internal/dnsserver

clean:
	rm -rf bin
