#!/usr/bin/env bash
# Runs every command the README shows, as written, in the README's order
# (test/readme.test.ts fails when a README command is missing here).
set -euo pipefail
# Job control: each background command gets its own process group and normal signal handling,
# so `kill -INT -- -PID` below is what Ctrl-C in a terminal does.
set -m
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
unset DATABASE_URL
logs=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done; wait || true; }
trap cleanup EXIT

# Stops a background command as a terminal would (a signal to its whole process group) and checks
# that OptiSchema shut down in order. npm/npx themselves exit 128+signal, as in a terminal.
stop_group() {
  local pid=$1 signal=$2 log=$3
  kill "-$signal" -- "-$pid"
  wait "$pid" || [ $? -ge 128 ]
  grep -q 'Stopping OptiSchema' "$log" || { echo "no clean stop:"; cat "$log"; return 1; }
}

# Waits until a background command's log shows that OptiSchema serves its page.
wait_running() {
  local log=$1 seconds=$2
  for _ in $(seq "$seconds"); do
    grep -q 'OptiSchema is running at' "$log" && return 0
    sleep 1
  done
  echo "not running after ${seconds}s:"; cat "$log"; return 1
}

echo "-- Quick start: npm start"
npm start > "$logs/quickstart.log" 2>&1 &
pids+=($!)
quickstart=$!
wait_running "$logs/quickstart.log" 600
status=$(curl -fsS http://localhost:3000/api/status)
echo "$status" | grep -q '"loaded":true' || { echo "demo not loaded: $status"; exit 1; }
echo "$status" | grep -q '"ready":true' || { echo "not ready: $status"; exit 1; }
curl -fsS http://localhost:3000/ | grep -q '<div id="root">'

echo "-- Use it on your own database (the running embedded cluster stands in for it)"
DATABASE_URL=$(npx optischema db url)
export DATABASE_URL
npx optischema doctor --db "$DATABASE_URL"
npx optischema doctor --target --db "$DATABASE_URL"
npx optischema start --db "$DATABASE_URL" --port 3001 > "$logs/own.log" 2>&1 &
pids+=($!)
own=$!
wait_running "$logs/own.log" 60
curl -fsS http://localhost:3001/api/status | grep -q '"ready":true'
stop_group "$own" TERM "$logs/own.log"
unset DATABASE_URL

echo "-- Ctrl-C stops npm start and the cluster it started"
stop_group "$quickstart" INT "$logs/quickstart.log"
npx optischema db status | grep -q 'state:     stopped'

echo "-- Command line"
npx optischema db start
npx optischema db status
npx optischema db url
npx optischema migrate
npx optischema demo load --scale 0.05
npx optischema demo workload --seconds 10
npx optischema snapshot
npx optischema advise --query "select * from demo.orders where customer_id = 42 and status = 'pending'"
npx optischema advise --workload --since 1h
npx optischema explain-ai --query "select c.id from demo.customers c where c.id not in (select customer_id from demo.orders)"
npx optischema recommendations --state proposed
npx optischema health --memory 4GB | tee "$logs/health.log"
grep -q '^index_hygiene: ' "$logs/health.log"
npx optischema doctor

echo "-- Teams: sign-in"
npx optischema tenant add --name "Data team" --slug data
echo "a long passphrase" | npx optischema user add --email lead@example.com --tenant data --role admin --password-stdin
npx optischema start --auth --port 3002 > "$logs/team.log" 2>&1 &
pids+=($!)
team=$!
wait_running "$logs/team.log" 60
[ "$(curl -s -o /dev/null -w '%{http_code}' http://localhost:3002/api/status)" = 401 ]
token=$(curl -fsS -H 'content-type: application/json' -d '{"email":"lead@example.com","password":"a long passphrase"}' \
  http://localhost:3002/auth/login | node -e 'process.stdin.on("data", d => console.log(JSON.parse(d).accessToken))')
curl -fsS -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"query":"{ allTenants { nodes { slug } } }"}' http://localhost:3002/graphql | grep -q '"slug":"data"'
stop_group "$team" TERM "$logs/team.log"
npx optischema db stop
pids=()
echo "README commands: all passed"
