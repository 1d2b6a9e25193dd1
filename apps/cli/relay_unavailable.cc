/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `roundpipers relay` in a build without the GNU Radio layer (no PMTs, no relay). */

#include "relay.h"
#include <cstdio>

namespace roundpipers_cli {

const char* const relay_usage_text =
    "       roundpipers relay ...   (needs a build with ROUNDPIPERS_ENABLE_GNURADIO=ON)\n";

int cmd_relay(int, char**)
{
    std::fputs("roundpipers: relay needs gr-zeromq's PMTs: this build has no GNU Radio layer "
               "(configure with -DROUNDPIPERS_ENABLE_GNURADIO=ON)\n",
               stderr);
    return 1;
}

} // namespace roundpipers_cli
