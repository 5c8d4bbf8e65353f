#!/usr/bin/env bash
# Installs every Debian package that building and testing notion-mcp needs, plus the npm
# packages the integration tests and the benchmark use. Idempotent: when everything is
# present it installs nothing and prints nothing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$here")

debian_packages=(
  build-essential cmake ccache pkg-config ca-certificates openssl clang-format clang libclang-rt-14-dev
  libcurl4-openssl-dev libssl-dev libsimdjson-dev nlohmann-json3-dev libsodium-dev
  libsecret-1-dev libseccomp-dev libcli11-dev libgtest-dev
  gnome-keyring dbus-daemon dbus-bin
  chromium  # the e2e login tests drive a real headless browser
  nodejs npm
)

missing=()
for pkg in "${debian_packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
# A node/npm installed outside Debian (e.g. in /usr/bin by NodeSource) is fine too.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for pkg in "${missing[@]}"; do [[ "$pkg" == nodejs || "$pkg" == npm ]] || filtered+=("$pkg"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  # Quiet on success; the whole apt output on failure, so the reason is visible.
  if ! { "${sudo_cmd[@]}" apt-get update -qq &&
         "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
       >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "install-deps: apt-get failed (see above)" >&2
    exit 1
  fi
  rm -f "$log"
fi

# The tests need node >= 20 (tests/package.json), but Debian 12 ships node 18. When the node on
# PATH is older, the official build from the npm registry (package node-linux-<arch>) goes to
# tests/.node/bin/node, which CMake and the benchmark prefer; the system's node stays as it is.
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
local_node="$top/tests/.node/bin/node"
if (($(node_major node) < 20)) && (($(node_major "$local_node") < 20)); then
  case $(uname -m) in
    x86_64) node_arch=x64 ;;
    aarch64) node_arch=arm64 ;;
    *) echo "install-deps: node >= 20 is needed and none is packaged for $(uname -m)" >&2; exit 1 ;;
  esac
  echo "install-deps: node $(node --version) is older than 20; installing node 20 into tests/.node" >&2
  npm install --prefix "$top/tests/.node" --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-$node_arch@20" >/dev/null
  mkdir -p "$top/tests/.node/bin"
  ln -sf "../node_modules/node-linux-$node_arch/bin/node" "$local_node"
  if (($(node_major "$local_node") < 20)); then
    echo "install-deps: $local_node does not run; install node >= 20 by hand" >&2
    exit 1
  fi
fi
[[ -x "$local_node" ]] && export PATH="$top/tests/.node/bin:$PATH"

# npm packages for the integration tests and benchmark, pinned by tests/package-lock.json.
if [[ -f "$top/tests/package.json" ]]; then
  stamp="$top/tests/node_modules/.install-stamp"
  if [[ ! -f "$stamp" || "$top/tests/package.json" -nt "$stamp" || \
        ( -f "$top/tests/package-lock.json" && "$top/tests/package-lock.json" -nt "$stamp" ) ]]; then
    echo "install-deps: installing npm packages for tests" >&2
    (cd "$top/tests" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$stamp"
  fi
fi
