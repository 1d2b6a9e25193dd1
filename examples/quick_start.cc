// SPDX-License-Identifier: GPL-3.0-or-later
// The C++ quick start of README.md (a test checks that both stay identical).
#include <roundpipers/roundpipers.h>
#include <iostream>
#include <thread>

namespace rp = roundpipers;

int main()
{
    // 1024 frames of shape {4}: each frame holds 4 floats.
    auto pipe = rp::pipe<float>::make("quick_start", 1024, { 4 });
    auto reader = pipe->get_reader(); // a blocking reader: nothing is lost

    std::thread producer([writer = pipe->get_writer()]() mutable {
        for (int block = 0; block < 10; ++block)
            writer.write(100, [&](rp::array_view<float> frames) {
                for (std::size_t f = 0; f < frames.extent(0); ++f)
                    for (std::size_t i = 0; i < 4; ++i)
                        frames(f, i) = float(block * 100 + f);
            });
    }); // the writer is destroyed here: end of stream

    // Windows of 64 frames that advance by 32 (50 % overlap); at the end of the
    // stream the last, shorter window comes once.
    std::size_t windows = 0;
    std::size_t last_frames = 0;
    bool in_order = true;
    for (auto chunk : reader.iter_chunks(64, 32)) {
        in_order &= chunk.data()(0, 0) == float(32 * windows); // frame index of the start
        ++windows;
        last_frames = chunk.frames();
    }
    producer.join();
    std::cout << windows << " windows, the last one " << last_frames << " frames\n";
    return in_order && windows == 31 && last_frames == 40 ? 0 : 1;
}
