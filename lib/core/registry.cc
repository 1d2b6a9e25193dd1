/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "registry_hook.h"
#include <roundpipers/registry.h>
#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <typeindex>

namespace roundpipers {

namespace {

struct entry {
    std::weak_ptr<void> pipe;
    std::weak_ptr<pipe_core> core;
    const pipe_core* raw; // identifies the engine in registry_forget()
    std::weak_ptr<void> meta;
    std::type_index type;
    std::string type_desc;
    frame_shape shape;
    std::size_t capacity_frames;
};

struct table {
    std::mutex mutex;
    std::condition_variable created;  // a creation outside the lock has ended
    std::map<std::string, entry> entries;
    std::set<std::string> creating;    // names whose pipe is being made, outside the lock
};

table& the_table()
{
    // Never destroyed: engines that outlive main() still call registry_forget().
    static auto* t = new table();
    return *t;
}

void check_name(const std::string& name)
{
    if (name.empty())
        throw pipe_error(errc::invalid_argument, "registry: a pipe name must not be empty");
    if (name.find('\0') != std::string::npos)
        throw pipe_error(errc::invalid_argument,
                         "registry: pipe name contains a NUL byte at offset " +
                             std::to_string(name.find('\0')));
}

void check_type(const std::string& name,
                const entry& e,
                const std::type_info& type,
                const std::string& type_desc)
{
    if (e.type != std::type_index(type))
        throw pipe_error(errc::invalid_argument,
                         "registry: pipe '" + name + "' exists with element type " +
                             e.type_desc + " and frame shape " + to_string(e.shape) +
                             "; it cannot be opened as " + type_desc);
}

/*! An entry is live while its engine and its metadata store are (see live_pipe). */
bool expired(const entry& e) { return e.core.expired() || e.meta.expired(); }

/*!
 * The typed pipe of \p e. Readers and writers keep the engine and the metadata store,
 * not the pipe object: when only they are left, a new pipe object wraps the same
 * engine, so that the name keeps meaning the stream they are on. Null once the engine
 * is gone.
 */
template <class Rewrap>
std::shared_ptr<void> live_pipe(entry& e, const Rewrap& rewrap, std::shared_ptr<pipe_core>& core)
{
    if (auto live = e.pipe.lock())
        return live;
    // `core` belongs to the caller, declared before the registry lock: if it ends up the
    // last reference (the metadata store went first), ~pipe_core runs after the unlock.
    core = e.core.lock();
    auto meta = e.meta.lock();
    if (!core || !meta)
        return nullptr;
    auto live = rewrap(core, std::move(meta));
    e.pipe = live;
    return live;
}

} // namespace

std::shared_ptr<void> registry::open_erased(const std::string& name,
                                            const std::type_info& type,
                                            const std::string& type_desc,
                                            const frame_shape& shape,
                                            std::size_t capacity_frames,
                                            bool replace_closed,
                                            const creator& create,
                                            const rewrapper& rewrap)
{
    check_name(name);
    auto& t = the_table();
    // Declared before the lock: a last reference dropped here runs ~pipe_core, which
    // calls registry_forget(), which takes the lock.
    std::shared_ptr<pipe_core> core;
    std::shared_ptr<void> live;
    created_pipe made;
    std::unique_lock<std::mutex> lock(t.mutex);
    // One creator per name: a second opener of a name being made waits for it.
    t.created.wait(lock, [&] { return t.creating.count(name) == 0; });
    auto it = t.entries.find(name);
    if (it != t.entries.end()) {
        core = expired(it->second) ? nullptr : it->second.core.lock();
        if (core) // before a re-wrap, which casts to the registered type
            check_type(name, it->second, type, type_desc);
        live = core ? live_pipe(it->second, rewrap, core) : nullptr;
        if (live) {
            const entry& e = it->second;
            if (e.shape != shape)
                throw pipe_error(errc::invalid_argument,
                                 "registry: pipe '" + name + "' exists with frame shape " +
                                     to_string(e.shape) + "; it cannot be opened with shape " +
                                     to_string(shape));
            if (!(replace_closed && core->is_closed())) {
                if (capacity_frames > e.capacity_frames)
                    throw pipe_error(errc::invalid_argument,
                                     "registry: pipe '" + name + "' exists with capacity " +
                                         std::to_string(e.capacity_frames) +
                                         " frames, less than the " +
                                         std::to_string(capacity_frames) +
                                         " frames asked for");
                return live;
            }
        }
        t.entries.erase(it);
    }
    // The memfd is made and prefaulted outside the lock (a 1 GiB pipe takes seconds):
    // lookups of other names go on meanwhile.
    t.creating.insert(name);
    lock.unlock();
    try {
        made = create();
    } catch (...) {
        lock.lock();
        t.creating.erase(name);
        t.created.notify_all();
        throw;
    }
    lock.lock();
    t.creating.erase(name);
    t.created.notify_all();
    t.entries.emplace(name,
                      entry{ made.typed,
                             made.core,
                             made.core.get(),
                             made.meta,
                             std::type_index(type),
                             type_desc,
                             shape,
                             made.capacity_frames });
    made.core->d_registered = true; // only once its entry exists
    return made.typed;
}

std::shared_ptr<void> registry::find_erased(const std::string& name,
                                            const std::type_info& type,
                                            const std::string& type_desc,
                                            const rewrapper& rewrap)
{
    check_name(name);
    auto& t = the_table();
    std::shared_ptr<void> live; // released after the lock (see open_erased)
    std::shared_ptr<pipe_core> core;
    std::unique_lock<std::mutex> lock(t.mutex);
    t.created.wait(lock, [&] { return t.creating.count(name) == 0; });
    auto it = t.entries.find(name);
    if (it == t.entries.end())
        return nullptr;
    if (expired(it->second)) {
        t.entries.erase(it);
        return nullptr;
    }
    check_type(name, it->second, type, type_desc);
    live = live_pipe(it->second, rewrap, core);
    return live;
}

namespace detail {

void registry_forget(const pipe_core* core) noexcept
{
    auto& t = the_table();
    std::lock_guard<std::mutex> lock(t.mutex);
    auto it = t.entries.find(core->name());
    if (it != t.entries.end() && it->second.raw == core)
        t.entries.erase(it);
}

} // namespace detail

std::vector<std::string> registry::names()
{
    auto& t = the_table();
    std::lock_guard<std::mutex> lock(t.mutex);
    std::vector<std::string> out;
    for (auto it = t.entries.begin(); it != t.entries.end();) {
        if (expired(it->second)) {
            it = t.entries.erase(it);
        } else {
            out.push_back(it->first);
            ++it;
        }
    }
    return out;
}

} // namespace roundpipers
