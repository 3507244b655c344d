#!/usr/bin/env bash
# A deployment gate for shell steps (Jenkins, GitLab, cron, Ansible's shell module): sends one
# deployment event to keptn-task-bridge over HTTP, waits for its verdict, and exits
#   0  when the phase passed (and, unless GATE_FAIL_ON_WARNING=true, when it ended with a warning)
#   1  when it failed
#   2  when no verdict came within GATE_WAIT (still pending)
#   3  when the bridge refused the event or could not be reached
# Needs curl and jq.
#
#   BRIDGE_URL=https://task-bridge.example BRIDGE_TOKEN=… \
#     examples/deploy-gate.sh post team-a shop 1.2.3 [workload workload-version]
#
# Environment: BRIDGE_URL (default http://localhost:8080), BRIDGE_TOKEN (bearer token; none in the
# sandbox), EVENT_SOURCE (default deploy-gate/$USER), EVENT_ID (default: a fresh one; use your build's
# id so that a retried step is a duplicate, not a second run), GATE_WAIT (default 10m),
# GATE_FAIL_ON_WARNING (default false).
set -uo pipefail

phase=${1:?usage: deploy-gate.sh pre|post namespace app version [workload workload-version]}
namespace=${2:?namespace}
app=${3:?app}
version=${4:?version}
workload=${5:-}
workload_version=${6:-}
url=${BRIDGE_URL:-http://localhost:8080}
source=${EVENT_SOURCE:-deploy-gate/${USER:-ci}}
id=${EVENT_ID:-$(date +%s)-$$-$RANDOM}
wait=${GATE_WAIT:-10m}

data=$(jq -cn --arg ns "$namespace" --arg app "$app" --arg v "$version" \
  --arg w "$workload" --arg wv "$workload_version" \
  '{namespace:$ns, appName:$app, appVersion:$v}
   + (if $w != "" then {workloadName:$w, workloadVersion:$wv} else {} end)')

auth=()
if [[ -n "${BRIDGE_TOKEN:-}" ]]; then
  auth=(-H "Authorization: Bearer ${BRIDGE_TOKEN}")
fi

body=$(mktemp)
trap 'rm -f "$body"' EXIT
status=$(curl -sS -o "$body" -w '%{http_code}' -X POST "${url}/events?wait=${wait}" \
  "${auth[@]}" \
  -H 'ce-specversion: 1.0' -H "ce-id: ${id}" -H "ce-source: ${source}" \
  -H "ce-type: dev.taskbridge.deployment.${phase}" -H 'content-type: application/json' \
  --max-time 900 -d "$data") || { echo "deploy-gate: the bridge at ${url} cannot be reached" >&2; exit 3; }

case "$status" in
  200) ;;
  202)
    echo "deploy-gate: no verdict within ${wait}: $(jq -r '.triggerId' "$body") is still pending" >&2
    exit 2 ;;
  *)
    echo "deploy-gate: the bridge answered ${status}: $(jq -r '.detail // .title // .' "$body" 2>/dev/null || cat "$body")" >&2
    exit 3 ;;
esac

result=$(jq -r '.result' "$body")
jq -r '.tasks[] | "  \(.taskDefinition): \(.status)\(if .reason != "" then " (" + .reason + ")" else "" end)"' "$body"
echo "deploy-gate: ${phase}-deployment of ${app} ${version} in ${namespace}: ${result}"
case "$result" in
  pass) exit 0 ;;
  warning) [[ "${GATE_FAIL_ON_WARNING:-false}" == "true" ]] && exit 1 || exit 0 ;;
  *) exit 1 ;;
esac
