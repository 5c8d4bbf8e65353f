#!/usr/bin/env bash
# `make bench`: start-up time and peak memory of notion-mcp against the official Notion MCP server.
# Arguments go to startup.mjs (--runs N, --no-check, ...). The binary is $NOTION_MCP_BIN, else
# $BUILD_DIR/notion-mcp (default build/).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${NOTION_MCP_BIN:-$top/${BUILD_DIR:-build}/notion-mcp}

if [[ ! -x "$bin" ]]; then
  echo "startup.sh: $bin is missing; run 'make build' first (or set NOTION_MCP_BIN)." >&2
  exit 2
fi
if [[ ! -d "$top/tests/node_modules/@notionhq/notion-mcp-server" ]]; then
  echo "startup.sh: the official server is not installed; run 'bash packaging/install-deps.sh'." >&2
  exit 2
fi

# install-deps.sh puts node 20 there when the system's node is older.
node=node
[[ -x "$top/tests/.node/bin/node" ]] && node="$top/tests/.node/bin/node"
exec "$node" "$here/startup.mjs" --bin "$bin" "$@"
