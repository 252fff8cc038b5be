#!/bin/bash
# Stops the one-node cluster that start-cluster.sh started in DIR (its daemons by their pid files); DIR stays.
set -uo pipefail
dir=${1:?usage: stop-cluster.sh DIR}
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
done
exit 0
