#!/usr/bin/env bash
# The installed layout works: `cmake --install` puts notion-mcp in bin/ and the broker program
# in libexec/notion-mcp/, and the installed notion-mcp finds and execs that broker (not the one
# in the build tree, and not the in-process fallback).
#   installed_layout.sh BUILD_DIR CMAKE
set -euo pipefail
build=$1
cmake=$2
prefix=$(mktemp -d "${TMPDIR:-/tmp}/notion-mcp-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT

"$cmake" --install "$build" --prefix "$prefix" >/dev/null
bin="$prefix/bin/notion-mcp"
broker="$prefix/libexec/notion-mcp/notion-mcp-broker"
[[ -x $bin ]] || { echo "FAIL: $bin was not installed"; exit 1; }
[[ -x $broker ]] || { echo "FAIL: $broker was not installed"; exit 1; }

coproc server { exec "$bin" serve --demo 2>"$prefix/stderr"; }
pid=$server_PID
printf '%s\n' \
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"install-test","version":"1"}}}' \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' >&"${server[1]}"
answer=""
for _ in 1 2; do IFS= read -r -t 10 answer <&"${server[0]}" || break; done
[[ $answer == *'"id":2'*'"tools"'* ]] || { echo "FAIL: no tools/list answer: $answer"; exit 1; }

# serve execs the broker in its own place once the worker is forked. The broker is not
# dumpable: only root may read which file it runs; others see its name.
running=""
for _ in $(seq 100); do
  if [[ $(id -u) -eq 0 ]]; then
    running=$(readlink "/proc/$pid/exe" || true)
    [[ $running == "$broker" ]] && break
  else
    running=$(sed -n 's/^Name:\t//p' "/proc/$pid/status" || true)
    [[ $running == notion-mcp-brok ]] && break
  fi
  sleep 0.02
done
[[ $running == "$broker" || ($(id -u) -ne 0 && $running == notion-mcp-brok) ]] ||
  { echo "FAIL: the server runs $running, not $broker"; exit 1; }

eval "exec ${server[1]}>&-"  # end of input: the server exits
status=0
wait "$pid" || status=$?
[[ $status -eq 0 ]] || { echo "FAIL: exit status $status"; cat "$prefix/stderr"; exit 1; }
if grep -q "broker runs inside" "$prefix/stderr"; then
  echo "FAIL: the installed server fell back to the in-process broker:"; cat "$prefix/stderr"; exit 1
fi
echo "ok: $bin execs $broker"
