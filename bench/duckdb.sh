#!/usr/bin/env bash
# Shared by the bench/ scripts that compare with DuckDB: source it, then run a CommonJS
# script with `duckdb_node script.cjs args...`. The first call installs DuckDB's Node API
# (@duckdb/node-api, a prebuilt binary inside the npm package) into a cache folder outside
# the repository: $CXBENCH_CACHE, by default ~/.cache/cxmetrics-bench. Needs node and npm.

CXBENCH_CACHE="${CXBENCH_CACHE:-$HOME/.cache/cxmetrics-bench}"

duckdb_install() {
	if [ ! -d "$CXBENCH_CACHE/node_modules/@duckdb/node-api" ]; then
		mkdir -p "$CXBENCH_CACHE"
		echo "installing @duckdb/node-api into $CXBENCH_CACHE" >&2
		(cd "$CXBENCH_CACHE" && npm install --no-audit --no-fund --silent @duckdb/node-api >&2)
	fi
}

# duckdb_node runs node with @duckdb/node-api on its module path (require, not import).
duckdb_node() {
	duckdb_install
	NODE_PATH="$CXBENCH_CACHE/node_modules" node "$@"
}
