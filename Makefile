# Two entry points for people: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build run test clean bench format

all: build

deps:
	@bash packaging/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Starts the server on stdio against the offline demo workspace.
run: build
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
