/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "endpoint.h"
#include <roundpipers/attach.h>

namespace roundpipers {

std::vector<std::string> shared_pipes() { return detail::live_shared_names(); }

std::string shared_pipes_folder() { return detail::runtime_dir(false); }

} // namespace roundpipers
