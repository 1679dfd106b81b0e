#!/usr/bin/env bash
# Installs the tools that run on Node 22 and stay out of the workspaces' dependency tree into the
# git-ignored .tools/ folder: Node 22 itself (the `node` npm package), the official MCP conformance
# suite and the MCP Inspector. Tests find them at .tools/node_modules/.bin with
# .tools/node_modules/node/bin first on PATH. Running it again with the same versions does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=22.23.3
CONFORMANCE_VERSION=0.2.0-alpha.12
INSPECTOR_VERSION=2.12.0

dir=.tools
manifest=$(cat <<JSON
{
  "name": "mcp-langgraph-tools",
  "private": true,
  "description": "Node 22 tools outside the workspaces (scripts/tools.sh)",
  "dependencies": {
    "node": "${NODE_VERSION}",
    "@modelcontextprotocol/conformance": "${CONFORMANCE_VERSION}",
    "@modelcontextprotocol/inspector": "${INSPECTOR_VERSION}"
  },
  "allowScripts": { "node": true, "@modelcontextprotocol/inspector": false }
}
JSON
)

installed() {
  [ -f "$dir/package.json" ] && [ "$(cat "$dir/package.json")" = "$manifest" ] &&
    [ -x "$dir/node_modules/node/bin/node" ] &&
    [ -e "$dir/node_modules/.bin/conformance" ] && [ -e "$dir/node_modules/.bin/mcp-inspector" ]
}

if installed; then
  echo "tools: already installed in $dir"
else
  mkdir -p "$dir"
  printf '%s\n' "$manifest" > "$dir/package.json"
  # Its own project: no workspace of the repository, its own lock file, inside .tools/ only.
  (cd "$dir" && npm install --no-audit --no-fund --no-workspaces --install-links=false)
fi

PATH="$PWD/$dir/node_modules/node/bin:$PATH"
version() { node -p "require('./$dir/node_modules/$1/package.json').version"; }
echo "tools: node $(node -v), conformance $(version @modelcontextprotocol/conformance), inspector $(version @modelcontextprotocol/inspector)"
