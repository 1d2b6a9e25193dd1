// SPDX-License-Identifier: GPL-3.0-or-later
// Uses the installed GNU Radio layer (find_package(gnuradio-roundpipers 0.1)): a
// flowgraph writes 100 items into a Pipe Sink, a reader of its pipe sums them.
#include <gnuradio/blocks/vector_source.h>
#include <gnuradio/roundpipers/pipe_sink.h>
#include <gnuradio/top_block.h>
#include <numeric>
#include <vector>

int main()
{
    std::vector<float> items(100);
    std::iota(items.begin(), items.end(), 0.0f);
    auto sink = gr::roundpipers::pipe_sink_f::make("consumer_gr", {}, 1024, false);
    auto reader = sink->pipe()->get_reader();
    auto tb = gr::make_top_block("consumer_gr");
    tb->connect(gr::blocks::vector_source_f::make(items), 0, sink, 0);
    tb->run();
    float sum = 0;
    reader.read(100, 100, [&](roundpipers::const_array_view<float> v) {
        for (float x : v)
            sum += x;
    });
    return sum == 4950.0f ? 0 : 1;
}
