/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_CLI_OPTIONS_H
#define INCLUDED_ROUNDPIPERS_CLI_OPTIONS_H

#include <roundpipers/pipe_core.h>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace roundpipers_cli {

/*! Bad use of the command: exit status 2, with the usage text. */
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/*! Set by SIGINT and SIGTERM: every loop of the command ends at its next look. */
extern std::atomic<bool> g_stop;

/*! Options after the positional arguments: --key VALUE or --flag. */
struct options {
    std::vector<std::pair<std::string, std::string>> values;
    std::vector<std::string> flags;
};

/*! Parses argv[first...]; anything not in \p with_value or \p flags is a usage_error. */
options parse(int argc,
              char** argv,
              int first,
              const std::vector<std::string>& with_value,
              const std::vector<std::string>& flags);

/*! The value of \p key, or \p fallback. */
std::string value_of(const options& o, const std::string& key, const std::string& fallback);

/*! True when flag \p f was given. */
bool has_flag(const options& o, const std::string& f);

/*! \p v as a number in [lo, hi], or a usage_error naming \p opt. */
double number_arg(const std::string& opt, const std::string& v, double lo, double hi);

/*! \p v as a whole number in [lo, hi] (a count: "1.5" is refused), or a usage_error. */
std::uint64_t count_arg(const std::string& opt, const std::string& v, double lo, double hi);

/*!
 * Attaches to shared pipe \p name, waiting up to \p wait (null when Ctrl-C ends the
 * wait); a bad name is a usage_error.
 */
std::shared_ptr<roundpipers::pipe_core> attach(const std::string& name,
                                               std::chrono::milliseconds wait);

} // namespace roundpipers_cli

#endif /* INCLUDED_ROUNDPIPERS_CLI_OPTIONS_H */
