// SPDX-License-Identifier: GPL-3.0-or-later
// Uses the installed headers and library: writes 10 frames and reads them back.
#include <roundpipers/roundpipers.h>

int main()
{
    auto p = roundpipers::pipe<int>::make("consumer", 64);
    auto w = p->get_writer();
    auto r = p->get_reader();
    w.write(10, [](roundpipers::array_view<int> v) {
        for (std::size_t i = 0; i < v.size(); ++i)
            v(i) = int(i);
    });
    int sum = 0;
    r.read(10, 10, [&](roundpipers::const_array_view<int> v) {
        for (int x : v)
            sum += x;
    });
    return sum == 45 ? 0 : 1;
}
