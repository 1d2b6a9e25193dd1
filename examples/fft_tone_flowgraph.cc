/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * A GNU Radio flowgraph built in C++ feeds power spectra into a pipe; a plain C++
 * thread outside the flowgraph reads them and prints the tone it finds:
 *
 *   sig_source_c (3 kHz tone at 48 kHz) -> head -> stream_to_vector(1024)
 *     -> fft_vcc(1024) -> complex_to_mag_squared(1024) -> pipe_sink_f("spectra", {1024})
 *                                                              |
 *   reader thread: registry::open<float>("spectra", ...)->get_reader(), iter_chunks(8, 8)
 *
 * The spectra are written by complex_to_mag_squared straight into the pipe's ring (no
 * copy) and the reader sees them in place. Exit status 0 when every spectrum peaks at
 * the tone.
 */

#include <gnuradio/analog/sig_source.h>
#include <gnuradio/blocks/complex_to_mag_squared.h>
#include <gnuradio/blocks/head.h>
#include <gnuradio/blocks/stream_to_vector.h>
#include <gnuradio/fft/fft_v.h>
#include <gnuradio/fft/window.h>
#include <gnuradio/roundpipers/pipe_sink.h>
#include <gnuradio/top_block.h>
#include <roundpipers/registry.h>
#include <cmath>
#include <cstdio>
#include <thread>

namespace rp = roundpipers;

int main()
{
    constexpr double sample_rate_hz = 48000;
    constexpr double tone_hz = 3000;
    constexpr int fft_size = 1024;
    constexpr int spectra = 200;

    auto tb = gr::make_top_block("fft_tone");
    auto tone = gr::analog::sig_source_c::make(
        sample_rate_hz, gr::analog::GR_COS_WAVE, tone_hz, 1.0);
    auto head = gr::blocks::head::make(sizeof(gr_complex), std::uint64_t(spectra) * fft_size);
    auto to_vector = gr::blocks::stream_to_vector::make(sizeof(gr_complex), fft_size);
    auto fft = gr::fft::fft_v<gr_complex, true>::make(
        fft_size, gr::fft::window::blackmanharris(fft_size), false);
    auto power = gr::blocks::complex_to_mag_squared::make(fft_size);
    auto sink = gr::roundpipers::pipe_sink_f::make("spectra", { fft_size }, 64);
    tb->connect(tone, 0, head, 0);
    tb->connect(head, 0, to_vector, 0);
    tb->connect(to_vector, 0, fft, 0);
    tb->connect(fft, 0, power, 0);
    tb->connect(power, 0, sink, 0);

    // Register the reader before the flowgraph starts, so it sees every spectrum.
    auto reader = rp::registry::open<float>("spectra", 64, { fft_size })->get_reader();
    int found = 0;
    int at_tone = 0;
    std::thread outside([&] {
        const double bin_hz = sample_rate_hz / fft_size;
        for (auto chunk : reader.iter_chunks(8, 8)) {
            for (std::size_t f = 0; f < chunk.frames(); ++f) {
                const auto spectrum = chunk.data().frame(f);
                std::size_t peak = 0;
                for (std::size_t b = 1; b < fft_size; ++b)
                    if (spectrum(b) > spectrum(peak))
                        peak = b;
                const double hz = double(peak) * bin_hz;
                at_tone += std::abs(hz - tone_hz) <= bin_hz;
                if (found % 50 == 0)
                    std::printf("spectrum %3d: peak at %.1f Hz\n", found, hz);
                ++found;
            }
        }
    });
    tb->run(); // the pipe reaches end of stream when the flowgraph finishes
    outside.join();
    std::printf("%d spectra read outside the flowgraph, %d peak at the %.0f Hz tone "
                "(zero copy: %s)\n",
                found,
                at_tone,
                tone_hz,
                sink->zero_copy() ? "yes" : "no");
    return found == spectra && at_tone == found ? 0 : 1;
}
