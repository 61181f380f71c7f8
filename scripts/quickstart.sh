#!/usr/bin/env bash
# `npm start`: set up what is missing, then start OptiSchema on the embedded demo database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# exec: signals from the terminal or from npm reach OptiSchema itself, which stops its cluster cleanly.
exec node_modules/.bin/node bin/optischema.js start "$@"
