/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_SYSTEM_ERROR_H
#define INCLUDED_ROUNDPIPERS_SYSTEM_ERROR_H

#include <string>

namespace roundpipers {
namespace detail {

/*!
 * \brief Throws pipe_error(errc::system_error) for the failed step, with errno.
 * \param who the object, e.g. "pipe 'audio'"
 * \param step the failing system call and what it was for, e.g. "ftruncate to 8192 bytes"
 * \param err the errno value
 */
[[noreturn]] void throw_system_error(const std::string& who, const std::string& step, int err);

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_SYSTEM_ERROR_H */
