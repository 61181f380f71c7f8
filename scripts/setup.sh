#!/usr/bin/env bash
# Sets up what this machine lacks to run and test OptiSchema, and nothing it already has:
#   1. PostgreSQL server binaries with hypopg and pg_qualstats (apt-get, when root on Debian/Ubuntu),
#      and Debian's Chromium for the browser tests;
#   2. the npm dependencies, Node.js 22 among them (npm ci, when package-lock.json changed);
#   3. the web app build (when its sources changed).
# Safe to run again: each step checks first. Non-root users get the exact command to run instead.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# Newest installed PostgreSQL major that OptiSchema supports, in Debian's layout (empty if none).
installed_pg_major() {
  local v
  for v in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$v/bin/postgres" ]; then echo "$v"; return; fi
  done
}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    say "missing: $*; install with: sudo apt-get install -y $*"
    return 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

system_packages() {
  if ! command -v apt-get >/dev/null; then
    say "not a Debian/Ubuntu machine: install PostgreSQL 15-17 with hypopg (and pg_qualstats) yourself, or set PG_BINDIR"
    return 0
  fi
  local major wanted=() pkg
  major=$(installed_pg_major)
  if [ -z "$major" ]; then
    say "installing PostgreSQL (the distribution's default version)"
    apt_install postgresql postgresql-contrib || return 1
    major=$(installed_pg_major)
  fi
  for pkg in "postgresql-$major-hypopg" "postgresql-$major-pg-qualstats" chromium; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || wanted+=("$pkg")
  done
  if [ ${#wanted[@]} -gt 0 ]; then
    say "installing ${wanted[*]}"
    apt_install "${wanted[@]}"
  fi
}

npm_dependencies() {
  # npm writes node_modules/.package-lock.json on every install: older than the lock file means stale.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies (with Node.js 22)"
    npm ci --no-audit --no-fund
  fi
  if ! node_modules/.bin/node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
    say "node_modules/.bin/node is not Node.js 22+: its install script did not run; run: rm -rf node_modules && npm ci"
    exit 1
  fi
}

web_app() {
  if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html ui/vite.config.ts -newer ui/dist/index.html -print -quit)" ]; then
    say "building the web app"
    PATH="$PWD/node_modules/.bin:$PATH" npm run --silent build >/dev/null
  fi
}

system_packages
npm_dependencies
web_app
