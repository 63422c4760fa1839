#!/usr/bin/env bash
# `make cluster-check`: the sweep recipes for clusters, run for real on this machine.
#   1. A serial run (--jobs 1) of a quick sweep: the reference.
#   2. `mpirun --allow-run-as-root --oversubscribe -np 2` of the same sweep (each rank runs the shard its
#      Open MPI rank names), then --merge; the merged logs and report must equal the reference.
#   3. A single-node Slurm cluster on localhost (munge + slurmctld + slurmd, its own configuration and
#      ports under WORK), the sweep submitted as `sbatch --array=0-1`, waited for (at most SLURM_TIMEOUT
#      seconds), then --merge and the same comparison; the daemons it started are stopped by pid.
# Comparisons ignore the wall-clock columns only (scripts/normalise-run.py).
# Needs: mpirun, slurmctld/slurmd/sbatch/squeue, munged (`make deps-cluster`); the Slurm part needs root.
#   EXPERIMENT=pointcloud  WORK=.build/cluster-check  BINARY=path  SLURM_TIMEOUT=600  SKIP_SLURM=1
set -euo pipefail
cd "$(dirname "$0")/.."
experiment=${EXPERIMENT:-pointcloud}
work=$(mkdir -p "${WORK:-.build/cluster-check}" && cd "${WORK:-.build/cluster-check}" && pwd)
timeout=${SLURM_TIMEOUT:-600}
if [ -z "${BINARY:-}" ]; then
  swift build -c release --product reproduce-section-5 >/dev/null
  BINARY=$(swift build -c release --show-bin-path)/reproduce-section-5
fi
BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
args=(--profile quick --experiment "$experiment")
rm -rf "${work:?}"/*
failures=0
compare() { # label folder
  python3 scripts/normalise-run.py "$2/section-5/$experiment" >"$work/$1.txt"
  if cmp -s "$work/serial.txt" "$work/$1.txt"; then
    echo "cluster-check: $1: merged report and logs equal the serial run ($(grep -c . "$work/$1.txt") lines compared)"
  else
    failures=$((failures + 1)); echo "cluster-check: $1: merged results differ from the serial run:" >&2
    diff "$work/serial.txt" "$work/$1.txt" | head -10 >&2 || true
  fi
}

start=$(date +%s)
"$BINARY" "${args[@]}" --jobs 1 --output "$work/serial" >"$work/serial.log" 2>&1
python3 scripts/normalise-run.py "$work/serial/section-5/$experiment" >"$work/serial.txt"
echo "cluster-check: serial run of --experiment $experiment (quick): $(( $(date +%s) - start )) s"

# --- mpirun: two ranks, each its shard ---------------------------------------------------------------
command -v mpirun >/dev/null || { echo "cluster-check: mpirun not found (make deps-cluster)" >&2; exit 1; }
start=$(date +%s)
mpirun --allow-run-as-root --oversubscribe -np 2 "$BINARY" "${args[@]}" --output "$work/mpi" >"$work/mpi.log" 2>&1 \
  || { echo "cluster-check: mpirun failed:" >&2; tail -5 "$work/mpi.log" >&2; exit 1; }
for rank in 0 1; do
  grep -q "shard $rank/2 (Open MPI)" "$work/mpi.log" || { echo "cluster-check: rank $rank did not run shard $rank/2" >&2; failures=$((failures + 1)); }
done
"$BINARY" "${args[@]}" --merge --output "$work/mpi" >"$work/mpi-merge.log" 2>&1
echo "cluster-check: mpirun -np 2 and merge: $(( $(date +%s) - start )) s"
compare mpirun "$work/mpi"

# --- Slurm: a one-node cluster on localhost ----------------------------------------------------------
if [ -n "${SKIP_SLURM:-}" ]; then echo "cluster-check: Slurm part skipped (SKIP_SLURM)"; [ "$failures" -eq 0 ]; exit; fi
for tool in slurmctld slurmd sbatch squeue munged; do
  command -v "$tool" >/dev/null || { echo "cluster-check: $tool not found (make deps-cluster)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "cluster-check: the Slurm part starts daemons and needs root (SKIP_SLURM=1 skips it)" >&2; exit 1; }
start=$(date +%s)
pids=()
stop_daemons() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_daemons EXIT
# munge: the system's key and daemon (Slurm's auth/munge talks to its default socket); a munged that is
# already running is used as it is and left running.
if ! pgrep -x munged >/dev/null; then
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
    chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/lib/munge /var/log/munge; chown munge:munge /run/munge /var/lib/munge /var/log/munge
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  pids+=("$(cat /run/munge/munged.pid)")
fi
slurm=$work/slurm
mkdir -p "$slurm/state" "$slurm/spool"
export SLURM_CONF=$slurm/slurm.conf
# Ports of their own, so a cluster that may already run here is not disturbed.
cat >"$SLURM_CONF" <<CONF
ClusterName=hbnode-check
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=$slurm/state
SlurmdSpoolDir=$slurm/spool
SlurmctldPidFile=$slurm/slurmctld.pid
SlurmdPidFile=$slurm/slurmd.pid
SlurmctldLogFile=$slurm/slurmctld.log
SlurmdLogFile=$slurm/slurmd.log
NodeName=localhost NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=check Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -f "$SLURM_CONF" >"$slurm/slurmctld.out" 2>&1 & pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$slurm/slurmd.out" 2>&1 & pids+=($!)
for _ in $(seq 60); do sinfo -h -o %T 2>/dev/null | grep -qE '^idle' && break; sleep 1; done
sinfo -h -o %T | grep -qE '^idle' || { echo "cluster-check: the Slurm node did not come up:" >&2; tail -5 "$slurm"/*.log >&2; exit 1; }
echo "cluster-check: Slurm cluster on localhost up after $(( $(date +%s) - start )) s"
job=$(sbatch --parsable --array=0-1 --chdir="$PWD" --cpus-per-task=1 --output="$slurm/task-%a.out" \
  --wrap "$BINARY ${args[*]} --output $work/slurm-run")
waited=0
while squeue -h -j "$job" 2>/dev/null | grep -q .; do
  sleep 2; waited=$((waited + 2))
  if [ "$waited" -ge "$timeout" ]; then scancel "$job"; echo "cluster-check: array job $job still running after $timeout s" >&2; exit 1; fi
done
for task in 0 1; do
  grep -q "shard $task/2 (Slurm job array)" "$slurm/task-$task.out" && grep -q "shard $task/2 finished" "$slurm/task-$task.out" \
    || { echo "cluster-check: array task $task did not finish its shard:" >&2; tail -5 "$slurm/task-$task.out" >&2; failures=$((failures + 1)); }
done
"$BINARY" "${args[@]}" --merge --output "$work/slurm-run" >"$work/slurm-merge.log" 2>&1 \
  || { echo "cluster-check: merge of the array's shards failed:" >&2; tail -3 "$work/slurm-merge.log" >&2; exit 1; }
echo "cluster-check: sbatch --array=0-1 and merge: $(( $(date +%s) - start )) s"
compare slurm "$work/slurm-run"
stop_daemons; trap - EXIT
[ "$failures" -eq 0 ]
