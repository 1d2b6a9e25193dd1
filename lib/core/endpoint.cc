/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "endpoint.h"
#include "fd_guard.h"
#include "system_error.h"
#include <roundpipers/pipe_error.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <utility>

namespace roundpipers {
namespace detail {

namespace {

constexpr std::uint64_t protocol_magic = 0x4843415454415052ULL; // "RPATTACH" little-endian
constexpr std::uint32_t protocol_version = 1;
constexpr std::size_t max_name_bytes = 100;
constexpr auto exchange_timeout = std::chrono::milliseconds(2000);
constexpr auto appear_poll_interval = std::chrono::milliseconds(20);

enum class reply_status : std::uint32_t {
    ok = 0,
    refused_credentials = 1,
    bad_request = 2,
    other_name = 3,
    no_writer_role = 4,
};

struct request_message {
    std::uint64_t magic;
    std::uint32_t version;
    std::uint32_t kind;
    std::uint32_t name_bytes;
    char name[max_name_bytes];
};

struct reply_message {
    std::uint64_t magic;
    std::uint32_t version;
    std::uint32_t status;
    std::uint32_t maker_pid;
    std::uint32_t name_bytes;
    char name[max_name_bytes];
};

std::string who(const std::string& name) { return "shared pipe '" + name + "'"; }

std::string folder_fix(const std::string& dir)
{
    return "; fix: `chmod 700 '" + dir +
           "'`, or point ROUNDPIPERS_RUNTIME_DIR at a folder of yours that only you can "
           "open";
}

std::uint64_t fnv1a(const std::string& s)
{
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

sockaddr_un socket_address(const std::string& path)
{
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
    return a;
}

void set_timeouts(int fd, std::chrono::milliseconds t)
{
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(t.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

bool peer_uid(int fd, uid_t* uid)
{
    ucred cred{};
    socklen_t len = sizeof(cred);
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return false;
    *uid = cred.uid;
    return true;
}

/*! The pid written in a lock file by its holder, or 0. */
long holder_pid(int lock_fd)
{
    char buf[32] = {};
    const ssize_t n = ::pread(lock_fd, buf, sizeof(buf) - 1, 0);
    return n > 0 ? std::strtol(buf, nullptr, 10) : 0;
}

std::string join(const std::string& dir, const std::string& file) { return dir + "/" + file; }

std::string base_name(const std::string& dir, const std::string& name)
{
    // sun_path holds 107 bytes and a NUL: "<dir>/<name>.sock" must fit, else the name
    // is replaced by its hash ('~' never starts a valid name, so the two never meet).
    if (dir.size() + 1 + name.size() + 5 < sizeof(sockaddr_un::sun_path))
        return name;
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(fnv1a(name)));
    return std::string("~") + hex;
}

void check_path_fits(const std::string& name, const std::string& path)
{
    if (path.size() >= sizeof(sockaddr_un::sun_path))
        throw pipe_error(errc::invalid_argument,
                         who(name) + ": the endpoint folder path is too long for a Unix "
                                     "socket (" + path + "); set ROUNDPIPERS_RUNTIME_DIR to a "
                                     "shorter private folder");
}

} // namespace

namespace {

/*! The folder's path by the rules of runtime_dir(), unchecked. */
std::string runtime_dir_path()
{
    std::string dir;
    struct stat st {};
    const char* mine = std::getenv("ROUNDPIPERS_RUNTIME_DIR");
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    if (mine && *mine)
        dir = mine;
    else if (xdg && *xdg && ::stat(xdg, &st) == 0 && S_ISDIR(st.st_mode))
        dir = std::string(xdg) + "/roundpipers"; // a stale XDG_RUNTIME_DIR (no such
                                                 // folder, as after su) is skipped
    else
        dir = "/tmp/roundpipers-" + std::to_string(::geteuid());
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

} // namespace

std::string runtime_dir(bool create)
{
    const std::string dir = runtime_dir_path();
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
        if (errno != ENOENT)
            throw pipe_error(errc::invalid_argument,
                             "shared pipes: cannot read the endpoint folder '" + dir +
                                 "': " + std::strerror(errno) + folder_fix(dir),
                             errno);
        if (!create)
            return {};
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
            throw pipe_error(errc::invalid_argument,
                             "shared pipes: cannot make the endpoint folder '" + dir +
                                 "': " + std::strerror(errno) +
                                 "; set ROUNDPIPERS_RUNTIME_DIR to a folder you may write",
                             errno);
        if (::lstat(dir.c_str(), &st) != 0)
            detail::throw_system_error("shared pipes", "lstat of '" + dir + "'", errno);
    }
    if (!S_ISDIR(st.st_mode))
        throw pipe_error(errc::invalid_argument,
                         "shared pipes: the endpoint folder '" + dir +
                             "' is not a folder (a symbolic link or a file)" + folder_fix(dir));
    if (st.st_uid != ::geteuid())
        throw pipe_error(errc::invalid_argument,
                         "shared pipes: the endpoint folder '" + dir + "' belongs to uid " +
                             std::to_string(st.st_uid) + ", not to you (uid " +
                             std::to_string(::geteuid()) + ")" + folder_fix(dir));
    if (st.st_mode & 077) {
        char mode[8];
        std::snprintf(mode, sizeof(mode), "%04o", unsigned(st.st_mode & 07777));
        throw pipe_error(errc::invalid_argument,
                         "shared pipes: the endpoint folder '" + dir + "' is open to others (mode " +
                             mode + ")" + folder_fix(dir));
    }
    return dir;
}

void check_shared_name(const std::string& name)
{
    auto bad = [&](const std::string& why) {
        throw pipe_error(errc::invalid_argument,
                         "shared pipe name '" + name + "' " + why +
                             ": a shared name is 1-100 characters of A-Z a-z 0-9 . _ - and "
                             "does not start with a dot");
    };
    if (name.empty())
        bad("is empty");
    if (name.size() > max_name_bytes)
        bad("has " + std::to_string(name.size()) + " characters");
    if (name[0] == '.')
        bad("starts with a dot");
    for (std::size_t i = 0; i < name.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (!(std::isalnum(c) && c < 128) && c != '.' && c != '_' && c != '-') {
            char code[8];
            std::snprintf(code, sizeof(code), "0x%02x", c);
            bad(std::string("has the character ") + code + " at offset " + std::to_string(i));
        }
    }
}

std::string socket_file(const std::string& dir, const std::string& name)
{
    return base_name(dir, name) + ".sock";
}

name_endpoint::name_endpoint(const std::string& name) : d_name(name)
{
    check_shared_name(name);
    const std::string dir = runtime_dir(true);
    const std::string base = base_name(dir, name);
    d_socket_path = join(dir, base + ".sock");
    d_lock_path = join(dir, base + ".lock");
    check_path_fits(name, d_socket_path);

    fd_guard lock;
    for (int attempt = 0;; ++attempt) {
        lock.reset(::open(d_lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (lock.get() < 0)
            detail::throw_system_error(who(name), "open of the lock file " + d_lock_path, errno);
        if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK)
                detail::throw_system_error(who(name), "flock of " + d_lock_path, errno);
            const long pid = holder_pid(lock.get());
            throw pipe_error(errc::name_in_use,
                             who(name) + ": the name is shared by another live pipe (process " +
                                 (pid > 0 ? std::to_string(pid) : std::string("unknown")) +
                                 (pid == ::getpid() ? ", this process" : "") +
                                 "); pick another name, or stop that pipe first");
        }
        // The file locked must still be the one at the path: a holder that lets go
        // unlinks it while it holds the lock, and a late opener may hold the old one.
        struct stat held {}, at_path {};
        if (::fstat(lock.get(), &held) == 0 && ::stat(d_lock_path.c_str(), &at_path) == 0 &&
            held.st_ino == at_path.st_ino && held.st_dev == at_path.st_dev)
            break;
        if (attempt == 100)
            throw pipe_error(errc::name_in_use,
                             who(name) + ": the lock file " + d_lock_path +
                                 " keeps changing; another process is taking the name");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(lock.get(), 0) != 0 ||
        ::pwrite(lock.get(), pid.data(), pid.size(), 0) != ssize_t(pid.size()))
        detail::throw_system_error(who(name), "write of the lock file " + d_lock_path, errno);

    // A socket left by a dead holder: the lock proves nobody serves it any more.
    if (::unlink(d_socket_path.c_str()) != 0 && errno != ENOENT)
        detail::throw_system_error(who(name), "unlink of the stale socket " + d_socket_path,
                                   errno);
    fd_guard sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (sock.get() < 0)
        detail::throw_system_error(who(name), "socket(AF_UNIX)", errno);
    const sockaddr_un addr = socket_address(d_socket_path);
    if (::bind(sock.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0)
        detail::throw_system_error(who(name), "bind to " + d_socket_path, errno);
    if (::listen(sock.get(), 64) != 0) {
        const int err = errno;
        ::unlink(d_socket_path.c_str());
        detail::throw_system_error(who(name), "listen on " + d_socket_path, err);
    }
    d_lock_fd = lock.release();
    d_listen_fd = sock.release();
}

name_endpoint::~name_endpoint()
{
    // Socket first, then the lock file while still locked: a process taking the name
    // over after us never has its fresh socket unlinked by us.
    ::unlink(d_socket_path.c_str());
    ::close(d_listen_fd);
    ::unlink(d_lock_path.c_str());
    ::close(d_lock_fd);
}

void serve_connection(int conn_fd, const served_pipe& pipe)
{
    fd_guard conn(conn_fd);
    set_timeouts(conn.get(), std::chrono::milliseconds(500));
    reply_message reply{};
    reply.magic = protocol_magic;
    reply.version = protocol_version;
    reply.maker_pid = static_cast<std::uint32_t>(::getpid());
    reply.name_bytes = static_cast<std::uint32_t>(std::min(pipe.name.size(), max_name_bytes));
    std::memcpy(reply.name, pipe.name.data(), reply.name_bytes);

    uid_t uid = 0;
    request_message req{};
    int fds[2] = { -1, -1 };
    std::size_t n_fds = 0;
    if (!peer_uid(conn.get(), &uid) || uid != ::geteuid()) {
        reply.status = std::uint32_t(reply_status::refused_credentials);
    } else if (::recv(conn.get(), &req, sizeof(req), MSG_WAITALL) != ssize_t(sizeof(req)) ||
               req.magic != protocol_magic || req.version != protocol_version ||
               req.name_bytes > max_name_bytes) {
        reply.status = std::uint32_t(reply_status::bad_request);
    } else if (!(req.kind == std::uint32_t(request_kind::info) && req.name_bytes == 0) &&
               std::string(req.name, req.name_bytes) != pipe.name) {
        // An empty name asks "who are you" (listing hashed endpoints); any other
        // request must name this pipe, so a hash collision is never served.
        reply.status = std::uint32_t(reply_status::other_name);
    } else if (req.kind == std::uint32_t(request_kind::info)) {
        reply.status = std::uint32_t(reply_status::ok);
    } else if (req.kind == std::uint32_t(request_kind::writer) && !pipe.writer_role_taken) {
        // The attacher takes the role in shared memory first; without it, no writable
        // frames (a reader cannot get them by asking).
        reply.status = std::uint32_t(reply_status::no_writer_role);
    } else if (req.kind == std::uint32_t(request_kind::reader) ||
               req.kind == std::uint32_t(request_kind::writer)) {
        reply.status = std::uint32_t(reply_status::ok);
        fds[0] = pipe.control_fd;
        fds[1] = req.kind == std::uint32_t(request_kind::writer) ? pipe.ring_fd : pipe.ring_ro_fd;
        n_fds = 2;
    } else {
        reply.status = std::uint32_t(reply_status::bad_request);
    }

    iovec iov{ &reply, sizeof(reply) };
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(fds))] = {};
    if (n_fds) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(fds));
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(fds));
        std::memcpy(CMSG_DATA(c), fds, sizeof(fds));
    }
    ::sendmsg(conn.get(), &msg, MSG_NOSIGNAL);
}

namespace {

enum class exchange_outcome { done, absent, retry };

/*! One connection and exchange; fills \p out on done. */
exchange_outcome exchange_once(const std::string& name,
                               const std::string& path,
                               request_kind kind,
                               std::chrono::milliseconds io_timeout,
                               attach_reply* out)
{
    fd_guard sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (sock.get() < 0)
        detail::throw_system_error(who(name), "socket(AF_UNIX)", errno);
    // Before connect: a Unix connect to a full backlog waits up to the send timeout.
    set_timeouts(sock.get(), io_timeout);
    const sockaddr_un addr = socket_address(path);
    if (::connect(sock.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
        if (errno == ENOENT || errno == ECONNREFUSED || errno == ENOTDIR)
            return exchange_outcome::absent; // not there yet, or left by a dead process
        if (errno == EAGAIN || errno == EINTR)
            return exchange_outcome::retry; // backlog full: the server is busy
        detail::throw_system_error(who(name), "connect to " + path, errno);
    }
    uid_t uid = 0;
    if (!peer_uid(sock.get(), &uid) || uid != ::geteuid())
        throw pipe_error(errc::invalid_argument,
                         who(name) + ": the endpoint " + path + " is served by uid " +
                             std::to_string(uid) + ", not by you (uid " +
                             std::to_string(::geteuid()) +
                             "); only pipes of your own user can be attached");
    request_message req{};
    req.magic = protocol_magic;
    req.version = protocol_version;
    req.kind = std::uint32_t(kind);
    req.name_bytes = static_cast<std::uint32_t>(name.size());
    std::memcpy(req.name, name.data(), name.size());
    if (::send(sock.get(), &req, sizeof(req), MSG_NOSIGNAL) != ssize_t(sizeof(req)))
        return exchange_outcome::retry; // the server went away mid-exchange

    reply_message reply{};
    iovec iov{ &reply, sizeof(reply) };
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(4 * sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    const ssize_t got = ::recvmsg(sock.get(), &msg, MSG_WAITALL | MSG_CMSG_CLOEXEC);

    // Every descriptor that arrived is owned here until handed to the caller.
    std::vector<int> fds;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        const std::size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < n; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            fds.push_back(fd);
        }
    }
    auto close_all = [&] {
        for (int fd : fds)
            ::close(fd);
    };
    if (got == 0 || (got < 0 && (errno == ECONNRESET || errno == EPIPE))) {
        close_all();
        return exchange_outcome::retry; // the server let go of the name meanwhile
    }
    if (got < 0) {
        const int err = errno;
        close_all();
        if (err == EAGAIN || err == EWOULDBLOCK)
            throw pipe_error(errc::timeout,
                             who(name) + ": the process serving " + path +
                                 " did not answer within " + std::to_string(io_timeout.count()) +
                                 " ms",
                             err);
        detail::throw_system_error(who(name), "recvmsg from " + path, err);
    }
    const std::size_t want_fds = kind == request_kind::info ? 0 : 2;
    auto malformed = [&](const std::string& why) {
        close_all();
        throw pipe_error(errc::corrupted,
                         who(name) + ": malformed reply from the process serving " + path +
                             " (" + why + ")");
    };
    if (got != ssize_t(sizeof(reply)) || reply.magic != protocol_magic)
        malformed("not a roundpipers endpoint");
    if (reply.version != protocol_version) {
        close_all();
        throw pipe_error(errc::invalid_argument,
                         who(name) + ": the process serving it speaks attach protocol " +
                             std::to_string(reply.version) + ", this library speaks " +
                             std::to_string(protocol_version) +
                             "; use the same gr-roundpipers version on both sides");
    }
    if (reply.status == std::uint32_t(reply_status::refused_credentials)) {
        close_all();
        throw pipe_error(errc::invalid_argument,
                         who(name) + ": the serving process refused this process's credentials "
                                     "(only the same user may attach)");
    }
    if (reply.status == std::uint32_t(reply_status::no_writer_role)) {
        close_all();
        throw pipe_error(errc::writer_exists,
                         who(name) + ": its maker hands writable frames only to the process "
                                     "that holds the writer role, and this one does not");
    }
    if (reply.status == std::uint32_t(reply_status::other_name)) {
        close_all();
        throw pipe_error(errc::name_in_use,
                         who(name) + ": its endpoint file is held by another name with the same "
                                     "hash; pick another name");
    }
    if (reply.status != std::uint32_t(reply_status::ok))
        malformed("status " + std::to_string(reply.status));
    if (reply.name_bytes > max_name_bytes || (msg.msg_flags & MSG_CTRUNC) ||
        fds.size() != want_fds)
        malformed(std::to_string(fds.size()) + " descriptors");
    out->name.assign(reply.name, reply.name_bytes);
    out->maker_pid = reply.maker_pid;
    if (want_fds) {
        out->control_fd = fds[0];
        out->ring_fd = fds[1];
    }
    return exchange_outcome::done;
}

} // namespace

attach_reply request_pipe(const std::string& name, request_kind kind, deadline until)
{
    check_shared_name(name);
    for (;;) {
        const std::string dir = runtime_dir(false);
        if (!dir.empty()) {
            const std::string path = join(dir, socket_file(dir, name));
            check_path_fits(name, path);
            attach_reply reply;
            // Each exchange is bounded: a server that accepts and never answers cannot
            // hold the caller past its deadline by more than the 200 ms floor.
            std::chrono::milliseconds io = exchange_timeout;
            const auto now = std::chrono::steady_clock::now();
            if (until != wait_forever)
                io = until > now ? std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  until - now),
                                              std::chrono::milliseconds(200),
                                              exchange_timeout)
                                 : std::chrono::milliseconds(200);
            if (exchange_once(name, path, kind, io, &reply) == exchange_outcome::done)
                return reply;
        }
        const auto now = std::chrono::steady_clock::now();
        if (until != wait_forever && now >= until)
            throw pipe_error(errc::not_found,
                             who(name) + ": no process shares a pipe of that name" +
                                 (dir.empty() ? " (the folder " + runtime_dir_path() + " does not exist)"
                                              : " in " + dir) +
                                 "; start its maker (the flowgraph with the Pipe Sink or Pipe "
                                 "Source, or a pipe made with shared = true), or check the name "
                                 "with `roundpipers list`");
        // Waiting for a name to appear: a folder poll, not a frame wait.
        std::this_thread::sleep_until(
            until == wait_forever ? now + appear_poll_interval
                                  : std::min<deadline>(until, now + appear_poll_interval));
    }
}

std::vector<std::string> live_shared_names()
{
    std::vector<std::string> names;
    const std::string dir = runtime_dir(false);
    if (dir.empty())
        return names;
    DIR* d = ::opendir(dir.c_str());
    if (!d)
        detail::throw_system_error("shared pipes", "opendir of '" + dir + "'", errno);
    std::vector<std::string> files;
    while (const dirent* e = ::readdir(d)) {
        const std::string f = e->d_name;
        if (f.size() > 5 && f.compare(f.size() - 5, 5, ".sock") == 0)
            files.push_back(f);
    }
    ::closedir(d);
    for (const auto& f : files) {
        std::string guess = f.substr(0, f.size() - 5);
        if (guess[0] == '~')
            guess.clear(); // hashed: its real name comes only from its server
        attach_reply reply;
        try {
            if (exchange_once(guess, join(dir, f), request_kind::info,
                              std::chrono::milliseconds(500), &reply) == exchange_outcome::done)
                names.push_back(reply.name);
        } catch (const pipe_error&) {
            // a dying or foreign endpoint is not listed
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace detail
} // namespace roundpipers
