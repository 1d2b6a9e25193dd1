/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * A three-thread spectrum pipeline on the core API (no GNU Radio):
 *   tone thread  -- "audio" pipe, scalar float frames --> FFT thread
 *   FFT thread   -- read(N, N/2): 50 % overlapping windows --> "spectrum" pipe,
 *                   frames of shape {N/2} (power per bin)
 *   main thread  -- iter_chunks(4, 4) over the spectra: peak bin -> frequency
 * It prints the frequency found in each spectrum and exits non-zero unless every
 * spectrum peaks at the tone.
 */

#include <roundpipers/roundpipers.h>
#include <cmath>
#include <complex>
#include <cstdio>
#include <thread>
#include <vector>

namespace rp = roundpipers;

namespace {

constexpr double sample_rate_hz = 48000.0;
constexpr double tone_hz = 0.01 * sample_rate_hz; // 480 Hz, as in the seed's pipeline
constexpr std::size_t fft_size = 8192;
constexpr std::size_t total_samples = 2 * 48000;

/*! In-place iterative radix-2 FFT; x.size() must be a power of two. */
void fft(std::vector<std::complex<double>>& x)
{
    const std::size_t n = x.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j)
            std::swap(x[i], x[j]);
    }
    for (std::size_t len = 2; len <= n; len <<= 1) {
        const std::complex<double> step = std::polar(1.0, -2.0 * M_PI / double(len));
        for (std::size_t i = 0; i < n; i += len) {
            std::complex<double> w(1.0);
            for (std::size_t k = 0; k < len / 2; ++k, w *= step) {
                const auto u = x[i + k];
                const auto v = x[i + k + len / 2] * w;
                x[i + k] = u + v;
                x[i + k + len / 2] = u - v;
            }
        }
    }
}

} // namespace

int main()
{
    auto audio = rp::pipe<float>::make("audio", 1 << 16);
    auto spectrum = rp::pipe<float>::make("spectrum", 16, { fft_size / 2 });
    auto audio_reader = audio->get_reader();
    auto spectrum_reader = spectrum->get_reader();

    std::thread tone([writer = audio->get_writer()]() mutable {
        for (std::size_t done = 0; done < total_samples; done += 1024)
            writer.write(1024, [&](rp::array_view<float> block) {
                for (std::size_t i = 0; i < block.extent(0); ++i)
                    block(i) = float(std::sin(2 * M_PI * tone_hz * double(done + i) /
                                              sample_rate_hz));
            });
    }); // writer destroyed: end of the audio stream

    std::thread analyser([&, writer = spectrum->get_writer()]() mutable {
        std::vector<std::complex<double>> buf(fft_size);
        for (;;) {
            auto res = audio_reader.read(
                fft_size, fft_size / 2, [&](rp::const_array_view<float> window) {
                    for (std::size_t i = 0; i < fft_size; ++i)
                        buf[i] = window(i);
                    fft(buf);
                    writer.write(1, [&](rp::array_view<float> power) {
                        for (std::size_t b = 0; b < fft_size / 2; ++b)
                            power(0, b) = float(std::norm(buf[b]));
                    });
                });
            if (!res)
                break; // end of stream (a tail shorter than a window is dropped)
        }
    });

    const double bin_hz = sample_rate_hz / double(fft_size);
    std::size_t frames = 0;
    std::size_t at_tone = 0;
    for (auto chunk : spectrum_reader.iter_chunks(4, 4)) {
        const auto power = chunk.data();
        for (std::size_t f = 0; f < chunk.frames(); ++f) {
            std::size_t peak = 0;
            for (std::size_t b = 1; b < fft_size / 2; ++b)
                if (power(f, b) > power(f, peak))
                    peak = b;
            const double found_hz = double(peak) * bin_hz;
            at_tone += std::abs(found_hz - tone_hz) <= bin_hz;
            std::printf("spectrum %2zu: peak at bin %zu = %.1f Hz\n", frames, peak, found_hz);
            ++frames;
        }
    }
    tone.join();
    analyser.join();
    std::printf("%zu spectra of %zu points with 50%% overlap; %zu of them peak at the "
                "%.0f Hz tone\n",
                frames,
                fft_size,
                at_tone,
                tone_hz);
    return frames > 0 && at_tone == frames ? 0 : 1;
}
