#!/usr/bin/env bash
# Runs one Secret Service scenario of keychain_tests in isolation: a throwaway HOME and XDG
# directories (the person's own keyring is never touched), no display (no prompt can appear),
# and for the bus scenarios a private D-Bus session from our own config, which activates
# nothing: gnome-keyring runs only when this script starts it.
#
#   run_keychain_test.sh SCENARIO TEST_BINARY
#   SCENARIO: keyring | locked | no-provider | no-bus | silent-bus
#
# Exit 77 (ctest: skipped) when a tool is missing outside CI; under CI=true that fails instead.
# Fails when any canary ("c4n4ry") shows up in the output or in a file outside the keyring.
set -uo pipefail

scenario=${1:?scenario}
binary=${2:?test binary}

case "$scenario" in
  keyring) filter='KeychainKeyring.*:KeychainCanary.*' ;;
  locked) filter='KeychainKeyringLocked.*' ;;
  no-provider) filter='KeychainNoProvider.*' ;;
  no-bus) filter='KeychainNoBus.*' ;;
  silent-bus) filter='KeychainSilentBus.*' ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac

need=()
case "$scenario" in
  keyring | locked) need=(dbus-run-session dbus-daemon dbus-send gnome-keyring-daemon) ;;
  no-provider) need=(dbus-run-session dbus-daemon) ;;
esac
for tool in "${need[@]}"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [[ "${CI:-}" == true ]]; then
      echo "FAIL: $tool is not installed (packaging/install-deps.sh installs it)" >&2
      exit 1
    fi
    echo "SKIP: $tool is not installed (packaging/install-deps.sh installs it)"
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/notion-mcp-keychain.XXXXXX")
trap 'rm -rf "$work"' EXIT

export HOME="$work/home"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK \
  NOTION_TOKEN NOTION_MCP_CREDENTIALS NOTION_MCP_CREDENTIALS_KEY CREDENTIALS_DIRECTORY \
  SECRET_SERVICE_BUS_NAME
export NOTION_MCP_KEYCHAIN_TEST_MODE="$scenario"

# A session bus that listens in our directory and has no service directories: nothing is
# activated behind our back (no real gnome-keyring, no portal).
cat >"$work/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=$work/run</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

# What runs inside the session: the keyring (when the scenario has one), then the tests.
cat >"$work/inside.sh" <<'INSIDE'
set -u
if [[ "$NOTION_MCP_KEYCHAIN_TEST_MODE" == keyring || "$NOTION_MCP_KEYCHAIN_TEST_MODE" == locked ]]; then
  # --unlock reads the password on stdin and creates the "login" collection, unlocked, as
  # the default; --components=secrets: no SSH or PKCS#11 agent.
  printf '%s' "test-password-not-a-secret" |
    timeout 20 gnome-keyring-daemon --unlock --components=secrets >"$WORK/keyring.env" 2>&1 ||
    { echo "gnome-keyring-daemon did not start:"; cat "$WORK/keyring.env"; exit 1; }
fi
timeout 60 "$BINARY" --gtest_filter="$FILTER" --gtest_brief=1
status=$?
# The daemon also exits with the bus; end it here by its pid so nothing outlives the test.
pid=$(timeout 5 dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
  org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
  sed -n 's/^ *uint32 //p')
[[ -n "$pid" ]] && kill "$pid" 2>/dev/null
exit $status
INSIDE

export WORK="$work" BINARY="$binary" FILTER="$filter"
case "$scenario" in
  no-bus | silent-bus) timeout 60 "$binary" --gtest_filter="$filter" --gtest_brief=1 ;;
  *) timeout 90 dbus-run-session --config-file="$work/session.conf" -- bash "$work/inside.sh" ;;
esac >"$work/output.log" 2>&1
status=$?
# dbus-daemon warns when it cannot raise its file limit (containers): noise, not a failure.
grep -v 'Failed to set fd limit' "$work/output.log"

if grep -q 'c4n4ry' "$work/output.log"; then
  echo "FAIL: a canary secret appeared in the test output" >&2
  status=1
fi
# Outside the keyring's own encrypted files, no file may hold a canary in plain text.
if grep -rlq --exclude-dir=keyrings 'c4n4ry' "$work/home" "$work/data" "$work/config" \
  "$work/cache" "$work/run" 2>/dev/null; then
  echo "FAIL: a canary secret was written to a file:" >&2
  grep -rl --exclude-dir=keyrings 'c4n4ry' "$work/home" "$work/data" "$work/config" \
    "$work/cache" "$work/run" >&2
  status=1
fi
if [[ -d "$work/data/keyrings" ]] && grep -rlq 'c4n4ry' "$work/data/keyrings"; then
  echo "FAIL: a canary secret is readable in the keyring files" >&2
  status=1
fi
exit $status
