#!/usr/bin/env bash
# Smoke test for fake_notion over real TLS: a verified GET, auth, 429 with Retry-After,
# keep-alive, chunked and oversized bodies, truncation, 5xx, stats, and clean exits on stdin
# EOF and SIGTERM. Every wait is bounded. Usage: smoke_test.sh path/to/fake_notion
set -euo pipefail

bin=${1:?usage: smoke_test.sh path/to/fake_notion}
work=$(mktemp -d)
fake_pid=""
port=""
checks=0

cleanup() {
  if [[ -n "$fake_pid" ]] && kill -0 "$fake_pid" 2>/dev/null; then kill "$fake_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [[ -f "$work/stderr" ]]; then
    echo "--- fake_notion stderr ---" >&2
    cat "$work/stderr" >&2
  fi
  exit 1
}

pass() { checks=$((checks + 1)); echo "ok - $*"; }

# Starts the fake with its stdin and stdout on pipes (a coprocess) and reads "PORT <n>".
start_fake() {
  rm -f "$work/ca.pem"
  coproc FAKE { exec "$bin" --ca-out "$work/ca.pem" --verbose "$@" 2>>"$work/stderr"; }
  fake_pid=$FAKE_PID
  local word=""
  read -r -t 10 -u "${FAKE[0]}" word port || fail "fake_notion printed no PORT line within 10 s"
  [[ "$word" == PORT && "$port" =~ ^[0-9]+$ ]] || fail "expected 'PORT <n>', got '$word $port'"
  [[ -s "$work/ca.pem" ]] || fail "--ca-out was not written before PORT"
}

# Waits up to 5 s for the fake to exit and checks that it exited with status 0.
expect_exit_zero() {
  local why=$1
  for _ in $(seq 50); do
    kill -0 "$fake_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$fake_pid" 2>/dev/null && fail "fake_notion still runs 5 s after $why"
  local status=0
  wait "$fake_pid" || status=$?
  fake_pid=""
  [[ $status -eq 0 ]] || fail "fake_notion exited with $status after $why"
  pass "exits with status 0 after $why"
}

# request METHOD PATH [curl args...]: body in $work/body, headers in $work/headers; prints status.
request() {
  local method=$1 path=$2
  shift 2
  curl -sS --max-time 10 --cacert "$work/ca.pem" -o "$work/body" -D "$work/headers" \
    -w '%{http_code}' -X "$method" "$@" "https://127.0.0.1:$port$path"
}

api() {
  request "$@" -H 'Notion-Version: 2026-03-11' -H "Authorization: Bearer ${bearer:-ntn_smoke}"
}

expect_status() {
  local want=$1 got=$2 what=$3
  [[ "$got" == "$want" ]] || fail "$what: expected HTTP $want, got $got: $(head -c 400 "$work/body")"
}

body_has() { grep -qF -- "$1" "$work/body" || fail "$2: body lacks $1: $(head -c 400 "$work/body")"; }
header_has() { grep -qiE -- "$1" "$work/headers" || fail "$2: no header matching $1"; }

configure() {
  local status
  status=$(request POST /__fake/config -H 'Content-Type: application/json' --data-binary "$1")
  expect_status 200 "$status" "POST /__fake/config $1"
}

# ---- Phase 1: any bearer accepted; faults switched at run time; ends by closing stdin. ----
start_fake

expect_status 200 "$(api GET /v1/users/me)" "GET /v1/users/me"
body_has '"object":"user"' "GET /v1/users/me"
header_has '^content-type: application/json' "GET /v1/users/me"
header_has '^content-length: [0-9]+' "GET /v1/users/me"
pass "GET /v1/users/me over verified TLS answers 200 with a JSON user"

status=$(curl -sS --max-time 10 --cacert "$work/ca.pem" -o "$work/body" -w '%{http_code}' \
  -H 'Notion-Version: 2026-03-11' -H 'Authorization: Bearer x' "https://localhost:$port/v1/users/me")
expect_status 200 "$status" "GET via https://localhost"
pass "the certificate is valid for localhost too"

expect_status 401 "$(request GET /v1/users/me -H 'Notion-Version: 2026-03-11')" "no Authorization"
body_has '"code":"unauthorized"' "no Authorization"
pass "a request without a bearer gets 401 unauthorized"

connects=$(curl -sS --max-time 10 --cacert "$work/ca.pem" -o /dev/null -o /dev/null \
  -w '%{num_connects} ' -H 'Notion-Version: 2026-03-11' -H 'Authorization: Bearer x' \
  "https://127.0.0.1:$port/v1/users/me" "https://127.0.0.1:$port/v1/users/me")
[[ "$connects" == "1 0 " ]] || fail "keep-alive: expected connects '1 0 ', got '$connects'"
pass "keep-alive reuses the connection"

configure '{"rate_limit_every":2,"retry_after":3,"rate-limit-reason":"public_api_request_rate_limit"}'
expect_status 200 "$(api GET /v1/users/me)" "first request after rate_limit_every=2"
expect_status 429 "$(api GET /v1/users/me)" "second request after rate_limit_every=2"
header_has '^retry-after: 3' "429"
body_has '"code":"rate_limited"' "429"
body_has '"rate_limit_reason":"public_api_request_rate_limit"' "429"
pass "every 2nd request gets 429 rate_limited with Retry-After: 3"

status=$(request POST /__fake/config -H 'Transfer-Encoding: chunked' \
  --data-binary '{"reset":true,"server_error_every":1,"server_error_status":503}')
expect_status 200 "$status" "chunked POST /__fake/config"
expect_status 503 "$(api GET /v1/users/me)" "server_error_every=1"
body_has '"code":"service_unavailable"' "503"
pass "a chunked config body is applied: every request gets 503"

expect_status 400 "$(request POST /__fake/config --data-binary '{"nonsense":1}')" "bad config"
body_has 'nonsense' "bad config"
pass "unknown config names get 400 naming them"

head -c $((9 * 1024 * 1024)) /dev/zero >"$work/big"
expect_status 413 "$(request POST /__fake/config --data-binary @"$work/big")" "9 MiB body"
pass "a 9 MiB body gets 413"

configure '{"reset":true,"truncate_every":1}'
set +e
curl -sS --max-time 10 --cacert "$work/ca.pem" -o /dev/null -H 'Notion-Version: 2026-03-11' \
  -H 'Authorization: Bearer x' "https://127.0.0.1:$port/v1/users/me" 2>"$work/curl_err"
curl_status=$?
set -e
[[ $curl_status -eq 18 ]] || fail "truncation: expected curl exit 18 (partial file), got $curl_status: $(cat "$work/curl_err")"
pass "truncate_every=1 sends a short body and closes (curl: partial file)"

expect_status 200 "$(request GET /__fake/stats)" "GET /__fake/stats"
for key in '"total_requests":' '"by_status":{' '"429":1' '"503":1' '"rate_limited":1' \
  '"truncated":1' '"max_concurrent_connections":' '"/v1/users":'; do
  body_has "$key" "stats"
done
pass "stats count requests, statuses, faults and connections"

expect_status 200 "$(request POST /__fake/reset-stats)" "reset-stats"
expect_status 200 "$(request GET /__fake/stats)" "stats after reset"
body_has '"total_requests":0' "stats after reset"
pass "reset-stats zeroes the counters"

eval "exec ${FAKE[1]}>&-"  # close the fake's stdin
expect_exit_zero "stdin EOF"

# ---- Phase 2: a required token; ends with SIGTERM. ----
token=ntn_smoke_token_$$
start_fake --token "$token"
expect_status 401 "$(bearer=wrong api GET /v1/users/me)" "wrong token"
for key in '"object":"error"' '"status":401' '"code":"unauthorized"' \
  '"message":"API token is invalid."' '"request_id":"'; do
  body_has "$key" "wrong token"
done
pass "--token: a wrong bearer gets Notion's 401 body"

expect_status 200 "$(bearer=$token api GET /v1/users/me)" "right token"
pass "--token: the right bearer gets 200"

expect_status 400 "$(request GET /v1/users/me -H "Authorization: Bearer $token")" \
  "missing Notion-Version"
pass "the workspace's own checks still apply (missing Notion-Version: 400)"

configure '{"unauthorized":true}'
expect_status 401 "$(bearer=$token api GET /v1/users/me)" "unauthorized=true"
pass "unauthorized=true rejects even the right token"

kill -TERM "$fake_pid"
expect_exit_zero "SIGTERM"
grep -qF -- "$token" "$work/stderr" && fail "the token appeared on stderr"
pass "the token never appears in the log"

echo "fake_notion smoke test: $checks checks passed"
