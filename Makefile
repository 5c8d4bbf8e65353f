# Two entry points for people: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
# `make run` hands stdout to the MCP client, so build output goes to stderr and sub-makes print
# no "Entering directory" lines.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build server run test clean bench format

all: build

deps:
	@bash packaging/install-deps.sh

configure: deps
	@cmake --preset release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) >&2

# Only the binary: `make run` does not wait for the test suite to compile.
server: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target notion-mcp >&2

# Starts the server on stdio against the offline demo workspace.
run: server
	@echo "notion-mcp: serving the demo workspace on stdin/stdout (Ctrl-D to quit)" >&2
	@exec $(BUILD_DIR)/notion-mcp serve --demo

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	@bash tests/bench/startup.sh

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	@rm -rf $(BUILD_DIR)
