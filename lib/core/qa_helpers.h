/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_QA_HELPERS_H
#define INCLUDED_ROUNDPIPERS_QA_HELPERS_H

#include <roundpipers/pipe_error.h>
#include <dirent.h>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace roundpipers {
namespace qa {

/*! \brief Open file descriptors of this process (entries of /proc/self/fd). */
inline int count_open_fds()
{
    int n = 0;
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir)
        return -1;
    while (::readdir(dir))
        ++n;
    ::closedir(dir);
    return n;
}

/*! \brief Lines of /proc/self/maps (one per mapping). */
inline int count_mappings()
{
    std::ifstream maps("/proc/self/maps");
    int n = 0;
    for (std::string line; std::getline(maps, line);)
        ++n;
    return n;
}

/*! \brief Mappings whose line mentions \p needle (e.g. "memfd:roundpipers"). */
inline int count_mappings_named(const std::string& needle)
{
    std::ifstream maps("/proc/self/maps");
    int n = 0;
    for (std::string line; std::getline(maps, line);)
        n += line.find(needle) != std::string::npos;
    return n;
}

/*! \brief A predicate for BOOST_CHECK_EXCEPTION: the code matches and what() has every part. */
inline auto error_with(errc code, std::initializer_list<std::string> parts)
{
    return [code, parts = std::vector<std::string>(parts)](const pipe_error& e) {
        if (e.code() != code)
            return false;
        const std::string what = e.what();
        for (const auto& p : parts)
            if (what.find(p) == std::string::npos)
                return false;
        return true;
    };
}

/*! \brief True when built with AddressSanitizer or ThreadSanitizer. */
constexpr bool under_sanitizer()
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return true;
#else
    return false;
#endif
}

/*! \brief An unsigned from the environment, or \p fallback. */
inline unsigned long long env_or(const char* name, unsigned long long fallback)
{
    const char* v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

} // namespace qa
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_QA_HELPERS_H */
