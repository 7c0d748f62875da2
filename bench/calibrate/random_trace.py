#!/usr/bin/env python3
"""bench/calibrate/random_trace.py - the trace of embag_probe's variant R, for
the timing model (dae-model): N dependent 4-byte loads, each of a line drawn
at random (with replacement) over a table of MIB MiB, as the probe does.
The model's coupled cycles / N is its latency per load, to set beside the
probe's (the effective LLC size is read off that curve).

usage: random_trace.py MIB N OUT   (OUT: a trace file; seed fixed)"""
import random
import struct
import sys

MAGIC = b"DAETRACE\x01" + b"\0" * 7
LOAD, DEP = 1, 1


def main():
    mib, n, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    lines = mib * 1024 * 1024 // 64
    base = 1 << 32  # 2 MiB aligned, as the probe's table
    rnd = random.Random(1)
    with open(out, "wb") as f:
        f.write(MAGIC)
        buf = bytearray()
        for _ in range(n):
            buf += struct.pack("<QIBBH", base + rnd.randrange(lines) * 64, 4, LOAD, DEP, 0)
        f.write(buf)


if __name__ == "__main__":
    main()
