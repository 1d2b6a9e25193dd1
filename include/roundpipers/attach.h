/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_ATTACH_H
#define INCLUDED_ROUNDPIPERS_ATTACH_H

#include <roundpipers/core_api.h>
#include <roundpipers/pipe.h>
#include <string>
#include <vector>

namespace roundpipers {

/*!
 * \brief Maps the shared pipe \p name of this user: pipe<T, Meta>::attach().
 * \ingroup roundpipers_core
 *
 * \details
 * \code
 * // process 1
 * rp::pipe_options o; o.shared = true;
 * auto p = rp::pipe<float>::make("spectra", 64, {1024}, o);
 * // process 2, any start order
 * auto q = rp::attach<float>("spectra", rp::attach_options{std::chrono::seconds(5)});
 * for (auto chunk : q->get_reader().iter_chunks(8, 8)) { ... }
 * \endcode
 */
template <class T, class Meta = no_metadata>
typename pipe<T, Meta>::sptr attach(const std::string& name, const attach_options& options = {})
{
    return pipe<T, Meta>::attach(name, options);
}

/*!
 * \brief The names this user shares now (live endpoints in the per-user folder), sorted.
 * \throws pipe_error errc::invalid_argument when the folder is not private to the user
 */
ROUNDPIPERS_CORE_API std::vector<std::string> shared_pipes();

/*!
 * \brief The per-user folder that holds the endpoints of shared pipes:
 * `$ROUNDPIPERS_RUNTIME_DIR`, else `$XDG_RUNTIME_DIR/roundpipers`, else
 * `/tmp/roundpipers-<uid>` ("" when it does not exist yet).
 */
ROUNDPIPERS_CORE_API std::string shared_pipes_folder();

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_ATTACH_H */
