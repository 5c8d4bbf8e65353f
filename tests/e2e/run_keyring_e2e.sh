#!/usr/bin/env bash
# Runs keyring.test.mjs inside a private D-Bus session with a throwaway gnome-keyring, unlocked
# from a test password, so a person's own keyring is never touched and no prompt can appear.
# Exit 77 (ctest: skipped) when a tool is missing outside CI; under CI=true that fails.
#   run_keyring_e2e.sh NODE TEST_FILE
set -uo pipefail
node=${1:?node}
test_file=${2:?test file}

for tool in dbus-run-session dbus-daemon dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [[ "${CI:-}" == true ]]; then
      echo "FAIL: $tool is not installed (packaging/install-deps.sh installs it)" >&2
      exit 1
    fi
    echo "SKIP: $tool is not installed (packaging/install-deps.sh installs it)"
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/notion-mcp-e2e-keyring.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
export XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK \
  NOTION_TOKEN NOTION_MCP_CREDENTIALS NOTION_MCP_CREDENTIALS_KEY CREDENTIALS_DIRECTORY
export WORK="$work" NODE="$node" TEST_FILE="$test_file"

# A session bus in our directory with no service directories: nothing is activated behind our
# back; gnome-keyring runs only when started below.
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

cat >"$work/inside.sh" <<'INSIDE'
set -u
printf '%s' "test-password-not-a-secret" |
  timeout 20 gnome-keyring-daemon --unlock --components=secrets >"$WORK/keyring.env" 2>&1 ||
  { echo "gnome-keyring-daemon did not start:"; cat "$WORK/keyring.env"; exit 1; }
timeout 240 "$NODE" --test "$TEST_FILE"
status=$?
pid=$(timeout 5 dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
  org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
  sed -n 's/^ *uint32 //p')
[[ -n "$pid" ]] && kill "$pid" 2>/dev/null
exit $status
INSIDE

timeout 280 dbus-run-session --config-file="$work/session.conf" -- bash "$work/inside.sh" 2>&1 |
  grep -v 'Failed to set fd limit'
exit "${PIPESTATUS[0]}"
