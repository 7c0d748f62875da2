#!/usr/bin/env bash
# tests/golden/run.sh - one golden test: daec on tests/golden/NAME.c must
# produce tests/golden/NAME.expected.c byte for byte.
#
# usage: run.sh [--daec PATH] [--check-format] [--update] NAME
#   --daec PATH      daec to run (default: $DAEC, else build/translator/daec)
#   --check-format   also require NAME.expected.c to pass
#                    clang-format-19 --dry-run -Werror (implied when the
#                    marker file NAME.check-format exists)
#   --update         write NAME.expected.c instead of comparing
#                    (what scripts/update-golden.sh does)
# Extra daec arguments, if any, are read from NAME.args (one per line), e.g.
# "--" and "-DFOO=1". daec runs inside tests/golden on the relative name
# NAME.c, so the output does not depend on where the repository lives.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
daec=${DAEC:-$root/build/translator/daec}
check_format=0
update=0
name=

usage() {
	sed -n '5,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
	case $1 in
	--daec)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		daec=$2
		shift
		;;
	--daec=*) daec=${1#--daec=} ;;
	--check-format) check_format=1 ;;
	--update) update=1 ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
	*)
		[ -z "$name" ] || { echo "run.sh: one NAME only" >&2; exit 2; }
		name=${1%.c}
		name=${name##*/}
		;;
	esac
	shift
done
[ -n "$name" ] || { usage >&2; exit 2; }

input=$here/$name.c
expected=$here/$name.expected.c
[ -f "$input" ] || { echo "golden $name: no input $input" >&2; exit 2; }
case $daec in /*) ;; *) daec=$PWD/$daec ;; esac
[ -x "$daec" ] || { echo "golden $name: daec not found at $daec (build it, or pass --daec)" >&2; exit 2; }
[ -f "$here/$name.check-format" ] && check_format=1

extra=()
if [ -f "$here/$name.args" ]; then
	mapfile -t extra < <(grep -v '^[[:space:]]*$' "$here/$name.args")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/$name.out.c
if ! (cd "$here" && "$daec" "$name.c" -o "$out" ${extra[@]+"${extra[@]}"}) 2>"$tmp/stderr"; then
	echo "golden $name: daec failed:" >&2
	cat "$tmp/stderr" >&2
	exit 1
fi
[ -f "$out" ] || { echo "golden $name: daec wrote no output" >&2; exit 1; }

if [ "$update" = 1 ]; then
	if [ -f "$expected" ] && cmp -s "$out" "$expected"; then
		echo "golden $name: unchanged"
	else
		state=created
		[ -f "$expected" ] && state=updated
		cp "$out" "$expected"
		echo "golden $name: $state $name.expected.c"
	fi
	exit 0
fi

if [ ! -f "$expected" ]; then
	echo "golden $name: no $name.expected.c (scripts/update-golden.sh $name writes it)" >&2
	exit 1
fi
# Whatever the bytes, the translation must compile against the runtime headers.
root=$(cd "$here/../.." && pwd)
if ! cc -std=c11 -fsyntax-only -I "$root/include" "$out" 2>"$tmp/cc"; then
	echo "golden $name: daec's output does not compile:" >&2
	head -n 20 "$tmp/cc" >&2
	exit 1
fi
# ... and in a timing-model build too, where DAE_LD takes its operand's address.
if ! cc -std=c11 -fsyntax-only -DDAE_TRACE -I "$root/include" "$out" 2>"$tmp/cc"; then
	echo "golden $name: daec's output does not compile with -DDAE_TRACE:" >&2
	head -n 20 "$tmp/cc" >&2
	exit 1
fi
if ! cmp -s "$expected" "$out"; then
	echo "golden $name: daec's output differs from $name.expected.c:" >&2
	diff -u --label "$name.expected.c" --label "daec $name.c" "$expected" "$out" | head -n 300 >&2 || true
	echo "golden $name: if the change is intended: scripts/update-golden.sh $name" >&2
	exit 1
fi
if [ "$check_format" = 1 ]; then
	if ! clang-format-19 --dry-run -Werror "$expected"; then
		echo "golden $name: $name.expected.c is not clang-formatted" >&2
		exit 1
	fi
fi
echo "golden $name: ok"
