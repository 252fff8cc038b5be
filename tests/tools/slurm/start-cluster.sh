#!/bin/bash
# A one-node Slurm cluster on this machine, for trying `repro reproduce --executor slurm` and for the kit's Slurm test.
#
#   tests/tools/slurm/start-cluster.sh DIR     # then: export SLURM_CONF=DIR/slurm.conf
#   tests/tools/slurm/stop-cluster.sh DIR
#
# Everything lives in DIR: slurm.conf, its own munge key and socket, state, spool, logs and pid files, so the
# machine's own Slurm or munge (if any) is left alone. The daemons run as root without systemd: munged, slurmctld and
# slurmd are started directly. The ports are chosen free (REPRO_SLURM_PORT overrides the controller's; slurmd's is
# the next one). Debian's slurmctld, slurmd, slurm-client and munge are installed with apt-get when missing (needs
# root). Tested with Debian 12's Slurm 22.05.
#
# Exit codes: 0 the cluster is up (the last line printed is SLURM_CONF=...), 3 Slurm or munge is missing and cannot
# be installed here (not root, or no apt-get), 1 anything else (the logs in DIR say why).
set -euo pipefail

dir=${1:?usage: start-cluster.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

need() { for tool in munged mungekey slurmctld slurmd sbatch squeue scontrol sinfo; do command -v "$tool" >/dev/null 2>&1 || { echo "$tool"; return; }; done; }
if [ -n "$(need)" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "start-cluster: $(need) is missing and cannot be installed here (needs root and apt-get; Debian: apt-get install slurmctld slurmd slurm-client munge)" >&2
    exit 3
  fi
  echo "start-cluster: installing slurmctld slurmd slurm-client munge (apt-get)" >&2
  packages="slurmctld slurmd slurm-client munge"
  # the packages' own services are not started (no systemd here); this script starts what it needs
  export DEBIAN_FRONTEND=noninteractive RUNLEVEL=1
  apt-get install -y -q --no-install-recommends $packages >"$dir/apt.log" 2>&1 ||
    { apt-get update -q >>"$dir/apt.log" 2>&1 && apt-get install -y -q --no-install-recommends $packages >>"$dir/apt.log" 2>&1; } ||
    { echo "start-cluster: apt-get install $packages failed; see $dir/apt.log" >&2; exit 3; }
  if [ -n "$(need)" ]; then echo "start-cluster: $(need) still missing after apt-get install" >&2; exit 3; fi
fi
if [ "$(id -u)" != 0 ]; then
  echo "start-cluster: the daemons run as root here (SlurmUser=root); run this script as root" >&2
  exit 3
fi

free_port() {   # the first port from $1 on with it and the next one unused
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; do p=$((p + 2)); done
  echo "$p"
}
port=${REPRO_SLURM_PORT:-$(free_port $((20000 + $$ % 20000)))}

mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 700 "$dir/munge"
[ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null
chmod 600 "$dir/munge/munge.key"

node=$(hostname -s)
# slurmd -C describes this machine (CPUs, sockets, cores, memory) as a NodeName line
hardware=$(slurmd -C | grep '^NodeName=' | sed -e "s/^NodeName=[^ ]*/NodeName=$node/")

cat >"$dir/slurm.conf" <<EOF
# one-node cluster written by tests/tools/slurm/start-cluster.sh
ClusterName=repro
SlurmctldHost=$node
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
# cores are shared out; memory is not tracked (with it, a task without --mem would take the whole node)
SelectTypeParameters=CR_Core
ReturnToService=2
$hardware State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"

munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
slurmctld -i
slurmd

for _ in $(seq 60); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
  if [ "$state" = idle ]; then
    echo "start-cluster: one-node cluster up ($node, controller port $port)" >&2
    echo "SLURM_CONF=$dir/slurm.conf"
    exit 0
  fi
  sleep 1
done
echo "start-cluster: the node did not become idle within 60 s (sinfo: ${state:-no answer}); see $dir/log/" >&2
exit 1
