#!/usr/bin/env bash
# Builds the login listener's callback parser as a libFuzzer target with clang (the main build
# uses GCC) and fuzzes it for a bounded time. Usage: run_callback_short.sh OUT_DIR [SECONDS].
# New inputs go to OUT_DIR, never into the source corpus.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
seconds=${2:-20}
mkdir -p "$out/corpus"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$top/src" -I"$top" \
  "$top/tests/fuzz/callback_fuzz.cpp" "$top/src/auth/callback_request.cpp" \
  "$top/src/auth/pkce.cpp" "$top/src/util/secret.cpp" -lsodium -o "$out/callback_fuzz"
exec "$out/callback_fuzz" -max_total_time="$seconds" -seed=1 -max_len=9000 \
  "$out/corpus" "$top/tests/fuzz/corpus/callback"
