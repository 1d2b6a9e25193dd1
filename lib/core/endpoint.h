/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_ENDPOINT_H
#define INCLUDED_ROUNDPIPERS_ENDPOINT_H

#include <roundpipers/deadline.h>
#include <cstdint>
#include <string>
#include <vector>

namespace roundpipers {
namespace detail {

/*
 * The endpoints of shared pipes: one Unix socket per name in a per-user folder, a lock
 * file beside it whose flock() says that a live process holds the name, and the
 * request/reply exchanged on a connection (the reply carries the memfds as SCM_RIGHTS).
 * docs/design.md, "Pipes across processes", describes the protocol.
 */

/*! What a client asks for. */
enum class request_kind : std::uint32_t {
    info = 1,   //!< the name and the maker's pid, no descriptors
    reader = 2, //!< control memfd read-write, ring memfd read-only
    writer = 3, //!< control memfd and ring memfd read-write
};

/*!
 * \brief The per-user endpoint folder: $ROUNDPIPERS_RUNTIME_DIR, else
 * $XDG_RUNTIME_DIR/roundpipers, else /tmp/roundpipers-<uid>.
 * \param create make it (mode 0700) when it does not exist
 * \return the path, or "" when it does not exist and \p create is false
 * \throws pipe_error errc::invalid_argument when it is not a folder owned by this user
 * with no access for others, or cannot be made
 */
std::string runtime_dir(bool create);

/*! \brief Throws errc::invalid_argument unless \p name is a valid shared name. */
void check_shared_name(const std::string& name);

/*! \brief File name (without folder) of the socket of \p name in \p dir. */
std::string socket_file(const std::string& dir, const std::string& name);

/*! The listening side of one name: lock file held, socket bound. Owns its fds. */
class name_endpoint
{
public:
    /*!
     * \brief Takes \p name for this process.
     * \throws pipe_error errc::name_in_use (naming the holder's pid) when a live process
     * holds it; a name left by a dead process is taken over.
     */
    explicit name_endpoint(const std::string& name);
    ~name_endpoint();
    name_endpoint(const name_endpoint&) = delete;
    name_endpoint& operator=(const name_endpoint&) = delete;

    /*! \brief The listening socket (non-blocking, close-on-exec). */
    int listen_fd() const { return d_listen_fd; }
    const std::string& name() const { return d_name; }

private:
    std::string d_name;
    std::string d_socket_path;
    std::string d_lock_path;
    int d_lock_fd = -1;
    int d_listen_fd = -1;
};

/*! What a pipe hands to one accepted connection. */
struct served_pipe {
    std::string name;
    int control_fd = -1;    // lent, not owned
    int ring_fd = -1;       // lent: the writable ring memfd
    int ring_ro_fd = -1;    // lent: a read-only descriptor of the same memfd
    bool writer_role_taken = false; // writable frames go only to a process holding it
};

/*!
 * \brief Answers one connection accepted on a name's socket: checks the peer's
 * credentials, reads its request (bounded wait), sends the reply and descriptors.
 * Closes \p conn. Never throws.
 */
void serve_connection(int conn, const served_pipe& pipe);

/*! What attach received. */
struct attach_reply {
    std::string name;
    std::uint32_t maker_pid = 0;
    int control_fd = -1; // owned by the caller
    int ring_fd = -1;    // owned by the caller
};

/*!
 * \brief Asks the process sharing \p name for its pipe, waiting until \p until for the
 * name to appear.
 * \throws pipe_error errc::not_found after \p until, errc::invalid_argument for a
 * refused credential or a bad folder, errc::corrupted for a malformed reply
 */
attach_reply request_pipe(const std::string& name, request_kind kind, deadline until);

/*! \brief Names with a live endpoint in this user's folder, sorted. */
std::vector<std::string> live_shared_names();

} // namespace detail
} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_ENDPOINT_H */
