#!/usr/bin/env bash
# scripts/update-golden.sh - regenerates tests/golden/NAME.expected.c from the
# current daec, for every tests/golden/NAME.c input (or the NAMEs given).
# Review the result with `git diff tests/golden` before committing it.
#
# usage: scripts/update-golden.sh [--daec PATH] [NAME...]
#   daec defaults to $DAEC, else build/translator/daec (build it first,
#   e.g. with scripts/test.sh or cmake --build build).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
golden=$root/tests/golden
daec=${DAEC:-$root/build/translator/daec}

names=()
while [ $# -gt 0 ]; do
	case $1 in
	--daec)
		[ $# -ge 2 ] || { echo "update-golden: --daec needs a path" >&2; exit 2; }
		daec=$2
		shift
		;;
	--daec=*) daec=${1#--daec=} ;;
	-h | --help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "update-golden: unknown option $1" >&2; exit 2 ;;
	*) names+=("$1") ;;
	esac
	shift
done
case $daec in /*) ;; *) daec=$PWD/$daec ;; esac
if [ ! -x "$daec" ]; then
	echo "update-golden: no daec at $daec (build it first, or pass --daec PATH)" >&2
	exit 1
fi

if [ ${#names[@]} -eq 0 ]; then
	for f in "$golden"/*.c; do
		[ -e "$f" ] || continue
		case $f in *.expected.c) continue ;; esac
		n=${f##*/}
		names+=("${n%.c}")
	done
fi
[ ${#names[@]} -gt 0 ] || { echo "update-golden: no inputs in $golden" >&2; exit 1; }

rc=0
for n in "${names[@]}"; do
	bash "$golden/run.sh" --daec "$daec" --update "$n" || rc=1
done
exit $rc
