#!/usr/bin/env bash
# scripts/deps.sh - installs the Debian 12 packages daec needs to build and
# test, if any is missing. Runs apt-get as root, or through sudo otherwise;
# does nothing (and needs no network) when everything is installed.
set -euo pipefail

packages=(
	build-essential cmake pkg-config
	libclang-19-dev clang-19 clang-tools-19 clang-format-19
	libjansson-dev libcmocka-dev
	jq patch git
	gnuplot-nox
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#packages[@]} packages installed"
	exit 0
fi

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	as_root=()
elif command -v sudo >/dev/null 2>&1; then
	as_root=(sudo)
else
	echo "deps: missing ${missing[*]}, and not root and no sudo: install them by hand" >&2
	exit 1
fi
as_root+=(env DEBIAN_FRONTEND=noninteractive)
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q "${missing[@]}"
