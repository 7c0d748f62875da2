# shellcheck shell=bash
# bench/calibrate/quiet.sh - sourced by the probe scripts. The probes time
# single cores, so another process's load would be measured with them.
#
# wait_quiet TAG MAX: returns once the 1-minute load average is below MAX,
# polling every 30 s and saying so on stderr, prefixed "TAG: ".
wait_quiet() {
	while awk -v m="$2" '{ exit !($1 >= m) }' /proc/loadavg; do
		echo "$1: load average $(cut -d' ' -f1 /proc/loadavg) >= $2, waiting" >&2
		sleep 30
	done
}
