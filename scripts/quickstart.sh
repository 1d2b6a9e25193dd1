#!/usr/bin/env bash
# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One command from a fresh Debian 12 machine to a result:
#   bash scripts/quickstart.sh demo   installs what is missing, builds, runs the demo
#   bash scripts/quickstart.sh test   installs what is missing, builds, runs every test
# Safe to run again: installed packages are skipped and builds are incremental.
set -euo pipefail

mode="${1:-demo}"
case "$mode" in
demo | test) ;;
*)
    echo "usage: bash scripts/quickstart.sh [demo|test]" >&2
    exit 2
    ;;
esac

cd "$(dirname "$0")/.."
jobs="$(nproc)"

# Debian packages the project builds and tests with (GNU Radio brings VOLK, pybind11,
# Boost, spdlog and fmt). libreaderwriterqueue-dev, strace and libzmq3-dev serve the
# benchmarks (a peer queue, B6's system call count, B8's ZeroMQ peer); libzmq3-dev and
# cppzmq-dev build `roundpipers relay`, python3-zmq tests it; doxygen builds the API
# reference.
packages=(cmake g++ make pkg-config libboost-test-dev gnuradio-dev libfftw3-dev libvolk2-dev
    python3-numpy python3-pygccxml castxml libreaderwriterqueue-dev strace doxygen
    libzmq3-dev cppzmq-dev python3-zmq)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if ((${#missing[@]})); then
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo_cmd=(sudo)
    fi
    echo "== installing: ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends \
        "${missing[@]}"
fi

echo "== building (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"

if [ "$mode" = demo ]; then
    echo "== demo 1: the audio FFT pipeline, three threads and two pipes on the core API"
    echo "   (apps/roundpipers_fft_pipeline.cc); spectra go to build/roundpipers_fft.out"
    ./build/apps/roundpipers_fft_pipeline --output build/roundpipers_fft.out
    echo "== demo 2: the same pipeline as a GNU Radio flowgraph: Pipe Sink -> numpy FFT"
    echo "   outside the flowgraph -> Pipe Source (examples/fft_pipeline.py)"
    PYTHONPATH="$PWD/build/test_modules" GR_DONT_LOAD_PREFS=1 \
        /usr/bin/python3 examples/fft_pipeline.py --output build/fft_pipeline.out
    exit 0
fi

echo "== tests (build/), with 10^6 sleep/wake cycles in the lost-wake-up hunt"
ROUNDPIPERS_WAKE_CYCLES=1000000 ctest --test-dir build --output-on-failure

# The C++ tests of the core and of the GNU Radio layer again under AddressSanitizer+UBSan
# and under ThreadSanitizer, each in its own folder. Python-based tests are left out
# there (Debian's Python is not instrumented), and so is the install test (its consumer
# is not instrumented). tests/tsan.supp names the one report from GNU Radio's own
# libraries (ControlPort's thrift); nothing of this project is suppressed.
for sanitizer in address,undefined thread; do
    dir="build-${sanitizer%%,*}"
    echo "== C++ tests under -fsanitize=$sanitizer ($dir/)"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROUNDPIPERS_ENABLE_GNURADIO=ON \
        -DROUNDPIPERS_ENABLE_APPS=OFF \
        -DROUNDPIPERS_SANITIZE="$sanitizer"
    cmake --build "$dir" -j"$jobs"
    # Instrumented code runs 5-15x slower: a 10-second long stress is enough there.
    ROUNDPIPERS_LONG_STRESS_SECONDS=10 GR_DONT_LOAD_PREFS=1 \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
        ctest --test-dir "$dir" --output-on-failure -R '^(core|gr)_'
done
echo "== all test runs passed"
