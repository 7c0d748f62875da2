#!/usr/bin/env bash
# scripts/test.sh - THE test command of daec (CI runs exactly this).
#
#   1. scripts/deps.sh: installs the Debian packages that are missing;
#   2. build/:      normal build, the whole ctest suite;
#   3. build-asan/: AddressSanitizer + UndefinedBehaviorSanitizer build
#                   (translator, runtime, tests), the whole suite again;
#   4. build-tsan/: ThreadSanitizer build of the runtime alone
#                   (DAEC_BUILD_TRANSLATOR=OFF), ctest -L runtime.
#
# A build keeps going past a failed target and its tests still run (those
# whose programs are missing fail). Ends with one line "N passed, M failed"
# summing the tests of all runs, where a failed deps, configure or build step
# counts as one more failure, and exits non-zero if anything failed.
# DAEC_JOBS overrides the parallelism (2).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1
jobs=${DAEC_JOBS:-2}
passed=0
failed=0
summary=()

finish() {
	echo
	echo "== summary"
	printf '%s\n' "${summary[@]}"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

# suite NAME BUILD_DIR [cmake configure args...] -- [ctest args...]
suite() {
	local name=$1 dir=$2
	shift 2
	local cfg=() ct=() log line start
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		cfg+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	ct=("$@")
	start=$SECONDS

	echo
	echo "== $name: configure and build ($dir)"
	if ! cmake -S "$root" -B "$dir" "${cfg[@]}"; then
		failed=$((failed + 1))
		summary+=("$name: configure FAILED")
		return
	fi
	# Keep going past a failed target, so that everything else is still
	# built and tested; tests whose programs are missing fail in ctest.
	local keep_going=()
	case $(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$dir/CMakeCache.txt") in
	*Makefiles*) keep_going=(-- -k) ;;
	Ninja*) keep_going=(-- -k 0) ;;
	esac
	if ! cmake --build "$dir" -j "$jobs" ${keep_going[@]+"${keep_going[@]}"}; then
		failed=$((failed + 1))
		summary+=("$name: build FAILED (see above); running the tests that were built")
	fi

	echo
	echo "== $name: ctest ${ct[*]}"
	log=$dir/ctest.log
	ctest --test-dir "$dir" --output-on-failure -j "$jobs" --no-tests=error --timeout 900 \
		${ct[@]+"${ct[@]}"} 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
	if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
		local f=${BASH_REMATCH[1]} t=${BASH_REMATCH[2]}
		passed=$((passed + t - f))
		failed=$((failed + f))
		summary+=("$name: $((t - f)) of $t passed ($((SECONDS - start)) s)")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			failed=$((failed + 1))
			summary+=("$name: ctest exited $rc")
		fi
	else
		failed=$((failed + 1))
		summary+=("$name: ctest ran no test or crashed (exit $rc)")
	fi
}

echo "== deps"
if ! "$root/scripts/deps.sh"; then
	failed=$((failed + 1))
	summary+=("deps: FAILED")
	finish
fi

suite "build" "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo --

san="-fsanitize=address,undefined -fno-omit-frame-pointer"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
suite "asan+ubsan" "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	"-DCMAKE_C_FLAGS=$san" "-DCMAKE_EXE_LINKER_FLAGS=$san" "-DCMAKE_SHARED_LINKER_FLAGS=$san" --
unset ASAN_OPTIONS UBSAN_OPTIONS

tsan="-fsanitize=thread"
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
suite "tsan" "$root/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDAEC_BUILD_TRANSLATOR=OFF \
	"-DCMAKE_C_FLAGS=$tsan" "-DCMAKE_EXE_LINKER_FLAGS=$tsan" "-DCMAKE_SHARED_LINKER_FLAGS=$tsan" \
	-- -L runtime
unset TSAN_OPTIONS

finish
