#!/usr/bin/env bash
# `npm run bench [-- --quick]` from the repo root lands here.
set -euo pipefail
cd "$(dirname "$0")"
# `--report` only reads a results file: it must not reinstall bench/ (and its Bun binary) under
# a run still going.
case " $* " in
  *" --report "*)
    export NODE_OPTIONS="--conditions=@sluice/source ${NODE_OPTIONS:-}"
    exec node --import tsx src/run.ts "$@"
    ;;
esac
npm ci --no-audit --no-fund
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk (apt-get)"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
# 10k idle streams: one descriptor each in the server and in the client process.
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
node build.mjs
# Anything tsx runs resolves @sluice/* to the sources, in this process and the ones it starts.
export NODE_OPTIONS="--conditions=@sluice/source ${NODE_OPTIONS:-}"
exec node --import tsx src/run.ts "$@"
