#!/usr/bin/env bash
# scripts/install-bench-deps.sh - installs what the benchmarks need beyond the
# build (scripts/deps.sh, run first): Debian 12's libtorch-dev (1.13, for the
# PyTorch rows of bench/sidebyside) and binutils (objdump, for the vector
# gather counts). Runs apt-get as root, or through sudo; does nothing when
# all is installed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"

wanted=(libtorch-dev binutils)
read -r -a absent < <(
	for p in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || printf '%s ' "$p"
	done
	echo
)
if [ ${#absent[@]} -eq 0 ]; then
	echo "install-bench-deps: ${wanted[*]} already installed"
	exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "install-bench-deps: need root or sudo to install ${absent[*]}" >&2
		exit 1
	}
	sudo_cmd=(sudo)
fi
echo "install-bench-deps: apt-get install ${absent[*]}"
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${absent[@]}"
