# bench/model/common.sh - sourced by the timing model's benchmarks: builds
# daec and libdae.a in BUILD_DIR and one embag_driver per optimisation level
# given, each linking the original samples/embedding_bag_sum.c (-O2) with
# daec's translation at that level compiled with -DDAE_TRACE.
#
#   model_build BUILD_DIR OUT_DIR LEVEL...   -> OUT_DIR/embag_O<LEVEL>
#
# A level is 0, 1, 2 or 3 (daec -O<LEVEL>, rows by reference at -O2/-O3: the
# cpu target's default), 2d or 3d (daec -O2 / -O3 --marshal=data: rows sent
# by value), or "hand": OUT_DIR/embag_Ohand from the hand-written DAE code of
# bench/yardstick/hand_ops.c (its register-blocked execute loop) instead.
#
# daec's report of each translation goes to OUT_DIR/embag.O<LEVEL>.report.json
# (a level where daec declines the function links the original, untraced:
# model_decoupled tells).

# shellcheck shell=bash
model_build() {
	local build=$1 out=$2
	shift 2
	local root src daec libdae level cflags opts jansson
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	src=$root/samples/embedding_bag_sum.c
	[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" --target daec dae_static -j2 >/dev/null
	daec=$build/translator/daec
	libdae=$build/runtime/libdae.a
	mkdir -p "$out"
	# The flags of the differential tests and the main job, for both sides.
	cflags=(-O2 -ffp-contract=off -std=gnu11)
	read -r -a jansson <<<"$(pkg-config --libs jansson)"
	cc "${cflags[@]}" -c "$src" -Dembedding_bag_sum=orig_embedding_bag_sum -o "$out/orig.o"
	for level in "$@"; do
		if [ "$level" = hand ]; then
			cc "${cflags[@]}" -DDAE_TRACE -I "$root/include" -I "$root/bench/yardstick" \
				-c "$root/bench/yardstick/hand_ops.c" -o "$out/hand_ops.o"
			cc "${cflags[@]}" -I "$root/bench/yardstick" "$root/bench/model/embag_driver.c" \
				"$root/bench/model/hand_shim.c" "$out/orig.o" "$out/hand_ops.o" "$libdae" \
				"${jansson[@]}" -lpthread -lm -o "$out/embag_Ohand"
			continue
		fi
		case $level in
		[0-3]) opts=(-O"$level") ;;
		[23]d) opts=(-O"${level%d}" --marshal=data) ;;
		*)
			echo "model_build: unknown level $level (0 1 2 3 2d 3d hand)" >&2
			return 2
			;;
		esac
		"$daec" -q "${opts[@]}" "$src" -o "$out/embag.O$level.dae.c" \
			--report="$out/embag.O$level.report.json"
		cc "${cflags[@]}" -DDAE_TRACE -I "$root/include" -c "$out/embag.O$level.dae.c" \
			-Dembedding_bag_sum=dae_embedding_bag_sum -o "$out/embag.O$level.o"
		cc "${cflags[@]}" "$root/bench/model/embag_driver.c" "$out/orig.o" "$out/embag.O$level.o" \
			"$libdae" "${jansson[@]}" -lpthread -lm -o "$out/embag_O$level"
	done
}

# model_decoupled OUT_DIR LEVEL: whether daec decoupled the embedding bag at
# LEVEL (always true for "hand").
model_decoupled() {
	[ "$2" = hand ] && return 0
	jq -e '[.functions[] | select(.decoupled)] | length > 0' "$1/embag.O$2.report.json" >/dev/null
}
