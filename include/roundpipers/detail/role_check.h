/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_ROLE_CHECK_H
#define INCLUDED_ROUNDPIPERS_ROLE_CHECK_H

#include <roundpipers/pipe_error.h>
#include <atomic>
#include <string>
#include <thread>

/*
 * ROUNDPIPERS_CHECK_ROLES turns on the check that a reader or writer is used by one
 * thread at a time. It defaults to on in debug builds (NDEBUG not defined).
 */
#ifndef ROUNDPIPERS_CHECK_ROLES
#ifdef NDEBUG
#define ROUNDPIPERS_CHECK_ROLES 0
#else
#define ROUNDPIPERS_CHECK_ROLES 1
#endif
#endif

namespace roundpipers {
namespace detail {

/*!
 * \brief Debug check of the one-thread-per-role rule (design 3.2 item 10).
 * \details When enabled, an operation entered by a second thread while a first is
 * inside throws pipe_error(errc::invalid_argument). Nested use by the same thread (a
 * callback calling state()) is allowed. When disabled it costs no atomic operation.
 * The members are the same either way: readers and writers have one layout in every
 * translation unit, whatever each one's NDEBUG (no ODR layout mismatch between a
 * debug program and a release library).
 */
class role_check
{
public:
    role_check() = default;
    role_check(role_check&&) noexcept {}
    role_check& operator=(role_check&&) noexcept { return *this; }

    /*! \brief Marks the role busy for the lifetime of the scope. */
    class scope
    {
    public:
        scope(const role_check& check, const char* role) : d_check(&check)
        {
#if ROUNDPIPERS_CHECK_ROLES
            std::thread::id expected{};
            const auto self = std::this_thread::get_id();
            // acquire: the previous user's effects on the role are visible to this one.
            if (check.d_owner.compare_exchange_strong(expected, self,
                                                      std::memory_order_acquire)) {
                d_taken = true;
                return;
            }
            if (expected == self)
                return; // nested use by the same thread
            throw pipe_error(errc::invalid_argument,
                             std::string(role) +
                                 " used by two threads at once: one thread at a time per "
                                 "reader or writer");
#else
            (void)role;
#endif
        }
        ~scope()
        {
            // release: hands this thread's effects to the next user of the role.
            if (d_taken)
                d_check->d_owner.store(std::thread::id{}, std::memory_order_release);
        }
        scope(const scope&) = delete;
        scope& operator=(const scope&) = delete;

    private:
        const role_check* d_check;
        bool d_taken = false;
    };

private:
    mutable std::atomic<std::thread::id> d_owner{};
};

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_ROLE_CHECK_H */
