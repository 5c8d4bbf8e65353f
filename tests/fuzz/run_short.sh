#!/usr/bin/env bash
# Builds the broker IPC parser's libFuzzer target with clang (the main build uses GCC) and fuzzes
# it for a bounded time. Usage: run_short.sh OUT_DIR [SECONDS]. New inputs go to OUT_DIR, never
# into the source corpus.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
seconds=${2:-20}
mkdir -p "$out/corpus"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$top/src" -I"$top" \
  "$top/tests/fuzz/ipc_fuzz.cpp" "$top/sandbox/ipc.cpp" "$top/sandbox/status.cpp" \
  "$top/src/util/secret.cpp" -lsodium -o "$out/ipc_fuzz"
exec "$out/ipc_fuzz" -max_total_time="$seconds" -seed=1 -max_len=16500 \
  "$out/corpus" "$top/tests/fuzz/corpus/ipc"
