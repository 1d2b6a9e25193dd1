/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The audio FFT pipeline: three threads and two pipes on the core API.
 *
 *   tone thread       writes a 480 Hz sine (0.01 fs at 48 kHz) into "audio_samples",
 *                     float frames of shape [], 1024 samples per write
 *   FFT thread        read(65536, 32768) over the audio: 50 % overlapping windows;
 *                     a 65,536-point complex FFT (FFTW) written straight into the
 *                     reserved frame of "fft_results", complex<float> frames of shape [65536]
 *   magnitude thread  iter_chunks(4, 4) over the spectra: |X|^2 with VOLK into a
 *                     write_only_pipe_stream on the output file (float [65536] per frame)
 *
 * The main thread prints a progress line while the pipeline runs and a summary at the
 * end. The exit status is 0 only when every spectrum peaks at the tone's bin.
 */

#include <roundpipers/roundpipers.h>
#include <fftw3.h>
#include <volk/volk.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

namespace rp = roundpipers;
using complex_float = std::complex<float>;

namespace {

constexpr double sample_rate_hz = 48000.0;
constexpr double tone_hz = 0.01 * sample_rate_hz;
constexpr std::size_t fft_size = 65536;
constexpr std::size_t hop_frames = fft_size / 2;
constexpr std::size_t samples_per_write = 1024;
constexpr std::size_t spectra_per_chunk = 4;
// 480 Hz falls between bins 655 and 656 (655.36); the nearer one holds the peak.
constexpr std::size_t tone_bin = std::size_t(tone_hz * double(fft_size) / sample_rate_hz + 0.5);

struct options {
    double duration_s = 10.0;
    bool realtime = false;
    std::string output_path = "roundpipers_fft.out";
};

void usage(std::FILE* to)
{
    std::fprintf(to,
                 "usage: roundpipers_fft_pipeline [--duration-s S] [--realtime] "
                 "[--output PATH]\n"
                 "  --duration-s S  seconds of audio to generate (default 10; at least %.3f "
                 "for one FFT window)\n"
                 "  --realtime      pace the tone generator at 48 kHz (default: as fast as "
                 "possible)\n"
                 "  --output PATH   file for the |X|^2 frames, raw native-endian float32, "
                 "65536 per frame\n"
                 "                  (default roundpipers_fft.out)\n",
                 double(fft_size) / sample_rate_hz);
}

options parse(int argc, char** argv)
{
    options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--duration-s") {
            const std::string text = value();
            std::size_t used = 0;
            try {
                opt.duration_s = std::stod(text, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != text.size() || !std::isfinite(opt.duration_s))
                throw std::invalid_argument("--duration-s: '" + text +
                                            "' is not a number of seconds");
            if (opt.duration_s * sample_rate_hz < double(fft_size))
                throw std::invalid_argument(
                    "--duration-s: " + text + " s is shorter than one FFT window (" +
                    std::to_string(double(fft_size) / sample_rate_hz) + " s)");
        } else if (arg == "--realtime") {
            opt.realtime = true;
        } else if (arg == "--output") {
            opt.output_path = value();
            if (opt.output_path.empty())
                throw std::invalid_argument("--output: the path is empty");
        } else if (arg == "--help" || arg == "-h") {
            usage(stdout);
            std::exit(0);
        } else {
            throw std::invalid_argument("unknown option '" + arg + "'");
        }
    }
    return opt;
}

/*! \brief What the threads report to the progress line and the summary. */
struct pipeline_counters {
    // Relaxed: progress figures, read while they change; the summary reads them after
    // the joins, which order every store before it.
    std::atomic<std::uint64_t> samples{ 0 };
    std::atomic<std::uint64_t> spectra{ 0 };
    std::atomic<std::uint64_t> written{ 0 };
    std::atomic<std::uint64_t> at_tone{ 0 };
    std::atomic<std::size_t> last_peak_bin{ 0 };
    // Release on exit pairs with main()'s acquire: a stage's exception_ptr is written
    // before its count drops, so main() reads it only after every stage is gone.
    std::atomic<int> running_stages{ 0 };
};

/*!
 * \brief Runs \p body on a thread; an exception is kept for main() to report.
 * \details Each stage owns its pipe ends, so a failing stage detaches its reader or
 * closes its writer on the way out and the other stages run to their end.
 */
template <class Fn>
std::thread start_stage(pipeline_counters& counters, std::exception_ptr& failure, Fn body)
{
    counters.running_stages.fetch_add(1, std::memory_order_relaxed);
    return std::thread([&counters, &failure, body = std::move(body)]() mutable {
        std::optional<Fn> stage(std::move(body));
        try {
            (*stage)();
        } catch (...) {
            failure = std::current_exception();
        }
        stage.reset(); // its pipe ends go before the stage counts as finished
        counters.running_stages.fetch_sub(1, std::memory_order_release);
    });
}

/*! \brief A forward complex FFT of fft_size points, planned once. */
class fft_plan
{
public:
    fft_plan()
        : d_in(fftwf_alloc_complex(fft_size)), d_out(fftwf_alloc_complex(fft_size))
    {
        if (!d_in || !d_out)
            throw std::runtime_error("FFT: cannot allocate the FFTW buffers");
        d_plan = fftwf_plan_dft_1d(int(fft_size), d_in, d_out, FFTW_FORWARD, FFTW_ESTIMATE);
        if (!d_plan)
            throw std::runtime_error("FFT: FFTW could not plan a " +
                                     std::to_string(fft_size) + "-point transform");
    }
    ~fft_plan()
    {
        if (d_plan)
            fftwf_destroy_plan(d_plan);
        fftwf_free(d_in);
        fftwf_free(d_out);
    }
    fft_plan(const fft_plan&) = delete;
    fft_plan& operator=(const fft_plan&) = delete;

    /*! \brief Transforms real \p samples into \p bins (fft_size each). */
    void run(const float* samples, complex_float* bins)
    {
        for (std::size_t i = 0; i < fft_size; ++i) {
            d_in[i][0] = samples[i];
            d_in[i][1] = 0.0f;
        }
        // The pipe's frames are page aligned, as aligned as the planning buffers, so
        // FFTW's new-array interface may write the spectrum in place in the ring.
        fftwf_execute_dft(d_plan, d_in, reinterpret_cast<fftwf_complex*>(bins));
    }

private:
    fftwf_complex* d_in;
    fftwf_complex* d_out;
    fftwf_plan d_plan = nullptr;
};

std::size_t peak_bin(const float* power)
{
    std::size_t peak = 0;
    for (std::size_t b = 1; b < fft_size / 2; ++b)
        if (power[b] > power[peak])
            peak = b;
    return peak;
}

void print_progress(const pipeline_counters& c, double elapsed_s, bool final_line)
{
    const bool tty = isatty(STDERR_FILENO);
    std::fprintf(stderr,
                 "%saudio %6.1f s | spectra %5llu | written %5llu | %6.1f s elapsed%s",
                 tty ? "\r" : "",
                 double(c.samples.load(std::memory_order_relaxed)) / sample_rate_hz,
                 static_cast<unsigned long long>(c.spectra.load(std::memory_order_relaxed)),
                 static_cast<unsigned long long>(c.written.load(std::memory_order_relaxed)),
                 elapsed_s,
                 (!tty || final_line) ? "\n" : "");
}

} // namespace

int main(int argc, char** argv)
{
    options opt;
    try {
        opt = parse(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "roundpipers_fft_pipeline: %s\n", e.what());
        usage(stderr);
        return 2;
    }
    std::ofstream output(opt.output_path, std::ios::binary | std::ios::trunc);
    if (!output) {
        std::fprintf(stderr,
                     "roundpipers_fft_pipeline: cannot open '%s' for writing: %s\n",
                     opt.output_path.c_str(),
                     std::strerror(errno));
        return 1;
    }

    const auto total_samples = std::uint64_t(opt.duration_s * sample_rate_hz);
    auto audio = rp::pipe<float>::make("audio_samples", 1 << 18);
    auto spectra = rp::pipe<complex_float>::make("fft_results", 16, { fft_size });
    // Readers exist before the writers start, so they see the stream from its first frame.
    auto audio_reader = audio->get_reader();
    auto spectra_reader = spectra->get_reader();
    pipeline_counters counters;
    std::exception_ptr tone_failure, fft_failure, magnitude_failure;
    const auto start = std::chrono::steady_clock::now();

    auto tone = start_stage(counters, tone_failure, [&, writer = audio->get_writer()]() mutable {
        const double step = 2.0 * M_PI * tone_hz / sample_rate_hz;
        for (std::uint64_t done = 0; done < total_samples;) {
            const std::size_t n =
                std::size_t(std::min<std::uint64_t>(samples_per_write, total_samples - done));
            writer.write(n, [&](rp::array_view<float> block) {
                for (std::size_t i = 0; i < n; ++i)
                    block(i) = float(std::sin(step * double(done + i)));
            });
            done += n;
            counters.samples.store(done, std::memory_order_relaxed);
            if (opt.realtime)
                std::this_thread::sleep_until(
                    start + std::chrono::duration<double>(double(done) / sample_rate_hz));
        }
    }); // the writer is destroyed here: end of the audio stream

    auto fft = start_stage(counters,
                           fft_failure,
                           [&,
                            reader = std::move(audio_reader),
                            writer = spectra->get_writer()]() mutable {
        fft_plan plan;
        // A tail shorter than one window is never transformed: read() then reports end
        // of stream.
        while (reader.read(fft_size, hop_frames, [&](rp::const_array_view<float> window) {
            writer.write(1, [&](rp::array_view<complex_float> frame) {
                plan.run(window.data(), frame.data());
            });
            counters.spectra.fetch_add(1, std::memory_order_relaxed);
        }))
            ;
    });

    auto magnitude = start_stage(
        counters, magnitude_failure, [&, reader = std::move(spectra_reader)]() mutable {
        rp::write_only_pipe_stream<float, std::string> file(output, spectra_per_chunk, { fft_size });
        file.set_metadata("FFT magnitude squared, float32 [65536] per frame");
        for (auto chunk : reader.iter_chunks(spectra_per_chunk, spectra_per_chunk)) {
            const std::size_t frames = chunk.frames();
            const auto bins = chunk.data();
            file.write(frames, [&](rp::array_view<float> power) {
                volk_32fc_magnitude_squared_32f(power.data(),
                                                bins.data(),
                                                unsigned(frames * fft_size));
                for (std::size_t f = 0; f < frames; ++f) {
                    const std::size_t peak = peak_bin(power.data() + f * fft_size);
                    counters.last_peak_bin.store(peak, std::memory_order_relaxed);
                    if (peak == tone_bin)
                        counters.at_tone.fetch_add(1, std::memory_order_relaxed);
                }
            });
            counters.written.fetch_add(frames, std::memory_order_relaxed);
        }
    });

    auto last_progress = start;
    while (counters.running_stages.load(std::memory_order_acquire) > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const auto now = std::chrono::steady_clock::now();
        if (now - last_progress >= std::chrono::milliseconds(500)) {
            print_progress(counters, std::chrono::duration<double>(now - start).count(), false);
            last_progress = now;
        }
    }
    tone.join();
    fft.join();
    magnitude.join();
    const double elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    print_progress(counters, elapsed_s, true);

    for (const auto& failure : { tone_failure, fft_failure, magnitude_failure })
        if (failure) {
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "roundpipers_fft_pipeline: %s\n", e.what());
            }
            return 1;
        }

    const std::uint64_t frames = counters.written.load();
    const std::size_t peak = counters.last_peak_bin.load();
    const double bin_hz = sample_rate_hz / double(fft_size);
    std::printf("frames:      %llu spectra of %zu points (50 %% overlap) from %.1f s of audio\n",
                static_cast<unsigned long long>(frames),
                fft_size,
                double(total_samples) / sample_rate_hz);
    std::printf("time:        %.3f s (%.1fx real time%s)\n",
                elapsed_s,
                double(total_samples) / sample_rate_hz / elapsed_s,
                opt.realtime ? ", paced" : "");
    std::printf("peak:        bin %zu = %.2f Hz (tone %.0f Hz); %llu of %llu spectra peak there\n",
                peak,
                double(peak) * bin_hz,
                tone_hz,
                static_cast<unsigned long long>(counters.at_tone.load()),
                static_cast<unsigned long long>(frames));
    std::printf("output:      %s, %llu bytes\n",
                opt.output_path.c_str(),
                static_cast<unsigned long long>(frames * fft_size * sizeof(float)));
    return frames > 0 && counters.at_tone.load() == frames ? 0 : 1;
}
