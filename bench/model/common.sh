# bench/model/common.sh - sourced by the timing model's benchmarks: builds
# daec and libdae.a in BUILD_DIR and one embag_driver per optimisation level
# given, each linking the original samples/embedding_bag_sum.c (-O2) with
# daec's translation at that level compiled with -DDAE_TRACE.
#
#   model_build BUILD_DIR OUT_DIR LEVEL...   -> OUT_DIR/embag_O<LEVEL>
#
# A level "hand" builds OUT_DIR/embag_Ohand from the hand-written DAE code of
# bench/yardstick/hand_ops.c (its register-blocked execute loop) instead.

model_build() {
	local build=$1 out=$2
	shift 2
	local root src daec libdae level cflags
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	src=$root/samples/embedding_bag_sum.c
	[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" --target daec dae_static -j2 >/dev/null
	daec=$build/translator/daec
	libdae=$build/runtime/libdae.a
	mkdir -p "$out"
	# The flags of the differential tests and the main job, for both sides.
	cflags=(-O2 -ffp-contract=off -std=gnu11)
	cc "${cflags[@]}" -c "$src" -Dembedding_bag_sum=orig_embedding_bag_sum -o "$out/orig.o"
	for level in "$@"; do
		if [ "$level" = hand ]; then
			cc "${cflags[@]}" -DDAE_TRACE -I "$root/include" -I "$root/bench/yardstick" \
				-c "$root/bench/yardstick/hand_ops.c" -o "$out/hand_ops.o"
			cc "${cflags[@]}" -I "$root/bench/yardstick" "$root/bench/model/embag_driver.c" \
				"$root/bench/model/hand_shim.c" "$out/orig.o" "$out/hand_ops.o" "$libdae" \
				$(pkg-config --libs jansson) -lpthread -lm -o "$out/embag_Ohand"
			continue
		fi
		"$daec" -q -O"$level" "$src" -o "$out/embag.O$level.dae.c"
		cc "${cflags[@]}" -DDAE_TRACE -I "$root/include" -c "$out/embag.O$level.dae.c" \
			-Dembedding_bag_sum=dae_embedding_bag_sum -o "$out/embag.O$level.o"
		cc "${cflags[@]}" "$root/bench/model/embag_driver.c" "$out/orig.o" "$out/embag.O$level.o" \
			"$libdae" $(pkg-config --libs jansson) -lpthread -lm -o "$out/embag_O$level"
	done
}
