/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The core pipe API for Python with numpy: pipe(), open_pipe(), writers, readers.
 *
 * View rule (documented in the docstrings and tested): a blocking reader's
 * iter_chunks() yields read-only numpy views straight into the ring. Each view holds a
 * lease on its frames: the reader keeps leased frames from the writer (it never moves
 * its cursor past a frame a live view shows), so no view can show overwritten or freed
 * memory; the lease ends when the last view of the chunk is gone, and the frames are
 * released at the reader's next call. A lossy reader's chunks are copies, validated
 * after the copy, because a lossy reader cannot hold the writer back.
 */

#include "numpy_types.h"
#include <gnuradio/roundpipers/tag_values.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <roundpipers/attach.h>
#include <roundpipers/pipe.h>
#include <roundpipers/reader_core.h>
#include <roundpipers/registry.h>
#include <roundpipers/writer_core.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

namespace roundpipers {
namespace python {

namespace {

using namespace std::chrono_literals;

/*! Longest wait with the GIL released before checking for Ctrl-C. */
constexpr auto signal_check_interval = 100ms;

[[noreturn]] void raise_error(const std::string& message,
                              errc code,
                              std::uint64_t lost = 0,
                              std::uint64_t frames_written = 0)
{
    auto errors = py::module_::import("gnuradio.roundpipers.errors");
    py::object e = errors.attr("make_error")(message, errc_name(code), lost, frames_written);
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(e.ptr())), e.ptr());
    throw py::error_already_set();
}

/*!
 * Runs \p f with the GIL released and takes it back afterwards, never from a
 * destructor: while the interpreter finalizes, CPython ends a daemon thread that asks
 * for the GIL with pthread_exit, and that unwinding aborts the process ("terminate
 * called") when it crosses a noexcept frame such as a destructor. Here it unwinds
 * plainly (pybind11 lets it through), and a thread that comes back while the
 * interpreter is already finalizing waits for the process to exit instead, as one
 * blocked in tb.wait() does.
 */
template <class F>
auto without_gil(F&& f) -> decltype(f())
{
    PyThreadState* state = PyEval_SaveThread();
    std::optional<decltype(f())> result;
    std::exception_ptr failure;
    try {
        result.emplace(f());
    } catch (...) {
        failure = std::current_exception();
    }
    while (_Py_IsFinalizing())
        std::this_thread::sleep_for(std::chrono::hours(1));
    PyEval_RestoreThread(state); // outside every handler and destructor
    if (failure)
        std::rethrow_exception(failure);
    return std::move(*result);
}

/*! The time \p timeout_s seconds from now (None: no limit). */
std::optional<std::chrono::steady_clock::time_point>
end_after(const std::optional<double>& timeout_s)
{
    if (!timeout_s)
        return std::nullopt;
    return std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(
               std::chrono::duration<double>(std::max(0.0, *timeout_s)));
}

/*!
 * Runs op(deadline) with the GIL released, in slices of at most 100 ms so that a
 * pending signal (Ctrl-C) is raised within that; returns op's last result, or
 * read_status::timeout when \p timeout_s (None: no limit) ran out.
 */
template <class Op, class Check>
auto interruptible(Op&& op, const std::optional<double>& timeout_s, Check&& between_slices)
{
    const auto end = end_after(timeout_s);
    for (;;) {
        deadline until = deadline_after(signal_check_interval);
        if (end)
            until = std::min(until, *end);
        auto result = without_gil([&] { return op(until); });
        if (!result.timed_out())
            return result;
        if (PyErr_CheckSignals() != 0)
            throw py::error_already_set();
        between_slices(); // with the GIL: may raise (a reader closed by another thread)
        if (end && std::chrono::steady_clock::now() >= *end)
            return result;
    }
}

template <class Op>
auto interruptible(Op&& op, const std::optional<double>& timeout_s)
{
    return interruptible(std::forward<Op>(op), timeout_s, [] {});
}

/*! Metadata of Python pipes: any Python object, one per pipe, in this process. */
class metadata_table
{
public:
    void set(const std::shared_ptr<pipe_core>& pipe, py::object value)
    {
        for (auto it = d_values.begin(); it != d_values.end();)
            it = it->second.first.expired() ? d_values.erase(it) : std::next(it);
        d_values[pipe.get()] = { pipe, value };
    }
    py::object get(const std::shared_ptr<pipe_core>& pipe) const
    {
        auto it = d_values.find(pipe.get());
        if (it == d_values.end() || it->second.first.lock() != pipe)
            return py::none();
        return it->second.second;
    }

private:
    // guarded by the GIL; the weak pointer tells a live entry from a reused address
    std::map<const pipe_core*, std::pair<std::weak_ptr<pipe_core>, py::object>> d_values;
};

metadata_table& metadata()
{
    static auto* table = new metadata_table(); // never destroyed: outlives the interpreter
    return *table;
}

/*! A Python pipe: the typed pipe (registry identity) and its engine. */
struct py_pipe {
    std::shared_ptr<void> typed;
    std::shared_ptr<pipe_core> core; // null once this handle was closed
    dtype_code code;
    std::string name;

    /*! The pipe, or PipeError 'closed' for a closed handle. */
    pipe_core& live() const
    {
        if (!core)
            raise_error("pipe '" + name + "': this handle was closed", errc::closed);
        return *core;
    }

    py::tuple shape() const
    {
        const auto& extents = live().shape();
        py::tuple t(extents.size());
        for (std::size_t i = 0; i < extents.size(); ++i)
            t[i] = extents[i];
        return t;
    }
};

frame_shape to_shape(const py::object& shape)
{
    frame_shape out;
    if (py::isinstance<py::int_>(shape)) {
        const long long v = shape.cast<long long>();
        if (v <= 0)
            throw py::value_error("roundpipers: frame shape extents must be positive, got " +
                                  std::to_string(v));
        out.push_back(std::size_t(v));
        return out;
    }
    for (auto item : shape) {
        const long long v = item.cast<long long>();
        if (v <= 0)
            throw py::value_error("roundpipers: frame shape extents must be positive, got " +
                                  std::to_string(v));
        out.push_back(std::size_t(v));
    }
    return out;
}

py_pipe make_pipe(const std::string& name,
                  std::size_t capacity,
                  const py::object& shape_obj,
                  const py::object& dtype,
                  bool registered,
                  bool shared,
                  std::size_t tag_capacity)
{
    const dtype_code code = code_of(dtype);
    const frame_shape shape = to_shape(shape_obj);
    pipe_options options;
    options.shared = shared;
    options.tag_capacity = tag_capacity;
    return dispatch(code, [&](auto tag) {
        using T = typename decltype(tag)::type;
        auto p = registered ? registry::open<T>(name, capacity, shape, options)
                            : pipe<T>::make(name, capacity, shape, options);
        return py_pipe{ p, p->core(), code, name };
    });
}

/*!
 * attach() with the GIL released, in slices of 100 ms so that Ctrl-C is raised while
 * it waits for the name; \p timeout_s None waits until the name appears.
 */
py_pipe attach_pipe(const std::string& name, const std::optional<double>& timeout_s)
{
    const auto end = end_after(timeout_s);
    for (;;) {
        auto slice = std::chrono::milliseconds(signal_check_interval);
        if (end)
            slice = std::min(slice, std::max(std::chrono::milliseconds(0),
                                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 *end - std::chrono::steady_clock::now())));
        try {
            const auto core =
                without_gil([&] { return pipe_core::attach(name, attach_options{ slice }); });
            const dtype_code code = code_of_element(core->type(), name);
            return py_pipe{ core, core, code, name };
        } catch (const pipe_error& e) {
            if (e.code() != errc::not_found || (end && std::chrono::steady_clock::now() >= *end))
                throw;
        }
        if (PyErr_CheckSignals() != 0)
            throw py::error_already_set();
    }
}

py::object state_object(const pipe_state& s)
{
    auto ns = py::module_::import("gnuradio.roundpipers.pipe_state").attr("PipeState");
    return ns(py::arg("written") = s.written,
              py::arg("consumed") = s.consumed,
              py::arg("available") = s.available,
              py::arg("capacity") = s.capacity,
              py::arg("lost") = s.lost,
              py::arg("lost_tags") = s.lost_tags);
}

/*! A tag offered by Python: (frame index within the write, key, value bytes). */
using offered_tag = std::tuple<std::size_t, std::string, std::string>;

/*! Tags as Python sees them before roundpipers.Tag wraps them: (frame, key, bytes). */
py::list raw_tags(const tag_list& tags)
{
    py::list out;
    for (const auto& t : tags)
        out.append(py::make_tuple(t.frame, py::str(t.key), py::bytes(t.value)));
    return out;
}

/*! The ndarray shape of n frames of \p p. */
std::vector<py::ssize_t> frames_shape(const pipe_core& p, std::size_t n)
{
    std::vector<py::ssize_t> s{ py::ssize_t(n) };
    for (auto e : p.shape())
        s.push_back(py::ssize_t(e));
    return s;
}

/*! A status from the core as a Python exception (never returns for non-ok). */
void raise_status(read_status st, const pipe_state& s, const std::string& name)
{
    switch (st) {
    case read_status::ok:
        return;
    case read_status::end_of_stream:
        raise_error("pipe '" + name + "': end of stream", errc::end_of_stream);
    case read_status::insufficient_data:
        raise_error("pipe '" + name + "': not enough data: only " +
                        std::to_string(s.available) + " frames left",
                    errc::insufficient_data);
    case read_status::overrun:
        raise_error("pipe '" + name + "': overrun, " + std::to_string(s.lost) +
                        " frames lost so far",
                    errc::overrun,
                    s.lost);
    case read_status::timeout:
        raise_error("pipe '" + name + "': timed out", errc::timeout);
    }
}

// ---------------------------------------------------------------------------- writer

struct reserve_result {
    read_status status;
    std::uint8_t* at = nullptr;
    bool timed_out() const { return status == read_status::timeout; }
};

class py_writer
{
public:
    explicit py_writer(const py_pipe& p) : d_pipe(p), d_core(p.core) {}

    /*!
     * Copies \p data (shape (n, *frame_shape) or frame_shape) into the pipe, with
     * \p tags (sorted by frame index, each index < n) on its frames.
     */
    void write(const py::array& data,
               const std::optional<double>& timeout,
               std::vector<offered_tag> tags)
    {
        const auto& core = *d_pipe.core;
        const py::array arr = checked(data);
        const std::size_t frames = std::size_t(arr.nbytes()) / core.frame_bytes();
        std::stable_sort(tags.begin(), tags.end(), [](const offered_tag& a, const offered_tag& b) {
            return std::get<0>(a) < std::get<0>(b);
        });
        if (!tags.empty() && std::get<0>(tags.back()) >= frames)
            throw py::value_error("pipe '" + core.name() + "': a tag is on frame " +
                                  std::to_string(std::get<0>(tags.back())) + " of a write of " +
                                  std::to_string(frames) +
                                  " frames (tag frame indices start at 0 for the first frame "
                                  "written)");
        const std::uint64_t first_frame = d_core.written();
        std::size_t next_tag = 0;
        const auto* src = static_cast<const std::uint8_t*>(arr.data());
        std::size_t done = 0;
        // One deadline for the whole write: each piece waits only for what is left.
        const auto until = timeout ? deadline_after(std::chrono::duration<double>(
                                         std::max(0.0, *timeout)))
                                   : wait_forever;
        // Tags of frames this call did not write never stay behind (a timeout, Ctrl-C).
        try {
            while (done < frames) {
                // As many frames as fit now, at least one: a fixed large piece could wait for
                // room that a blocking reader frees only after more frames arrive.
                const std::size_t room = std::size_t(d_core.state().available);
                std::size_t n = std::min(frames - done, std::max<std::size_t>(room, 1));
                auto left = [&]() -> std::optional<double> {
                    if (!timeout)
                        return std::nullopt;
                    return std::max(
                        0.0,
                        std::chrono::duration<double>(until - std::chrono::steady_clock::now())
                            .count());
                };
                // The tags of this piece first (they wait in the writer for their frames);
                // a piece carries at most half the tag area's tags and bytes, so they fit.
                const std::size_t most = std::max<std::size_t>(1, core.tag_capacity() / 2);
                const std::size_t most_bytes = core.tag_byte_capacity() / 2;
                std::size_t piece_bytes = 0;
                for (std::size_t t = next_tag; t < tags.size(); ++t) {
                    const std::size_t frame = std::get<0>(tags[t]);
                    if (frame >= done + n)
                        break;
                    piece_bytes += std::get<1>(tags[t]).size() + std::get<2>(tags[t]).size();
                    if ((t - next_tag >= most || piece_bytes > most_bytes) && frame > done) {
                        n = frame - done; // this tag and later ones go with the next piece
                        break;
                    }
                }
                read_status st = read_status::ok;
                while (st == read_status::ok && next_tag < tags.size() &&
                       std::get<0>(tags[next_tag]) < done + n) {
                    const auto& t = tags[next_tag];
                    st = add_tag_once(first_frame + std::get<0>(t), std::get<1>(t), std::get<2>(t),
                                      left());
                    next_tag += st == read_status::ok;
                }
                auto r = st == read_status::ok ? reserve_once(n, left()) : reserve_result{ st };
                if (r.status == read_status::timeout) {
                    raise_error("pipe '" + core.name() + "': timed out after writing " +
                                    std::to_string(done) + " of " + std::to_string(frames) +
                                    " frames (Timeout.frames_written; write the rest to resume)",
                                errc::timeout,
                                0,
                                done);
                }
                if (r.status != read_status::ok)
                    raise_status(r.status, d_core.state(), core.name());
                std::memcpy(r.at, src + done * core.frame_bytes(), n * core.frame_bytes());
                d_core.publish(n);
                done += n;
            }
        } catch (...) {
            d_core.drop_pending_tags();
            throw;
        }
    }

    /*! Adds one tag, waiting for tag room; the status tells whether it came. */
    read_status add_tag_once(std::uint64_t frame,
                             const std::string& key,
                             const std::string& value,
                             const std::optional<double>& timeout)
    {
        return interruptible(
                   [&](deadline until) {
                       return reserve_result{ d_core.add_tag(frame, key, value, until) };
                   },
                   timeout)
            .status;
    }

    /*! Waits for room for \p n frames; the status tells whether it came. */
    reserve_result reserve_once(std::size_t n, const std::optional<double>& timeout)
    {
        return interruptible(
            [&](deadline until) {
                reserve_result out;
                out.status = d_core.reserve(n, until, &out.at);
                return out;
            },
            timeout);
    }

    reserve_result reserve_frames(std::size_t n, const std::optional<double>& timeout)
    {
        auto r = reserve_once(n, timeout);
        if (r.status != read_status::ok)
            raise_status(r.status, d_core.state(), d_pipe.core->name());
        return r;
    }

    /*! A writable view of n reserved frames (published by the context manager). */
    py::array reserve_view(std::size_t n, const std::optional<double>& timeout)
    {
        auto r = reserve_frames(n, timeout);
        const auto& core = *d_pipe.core;
        auto holder = py::capsule(new std::shared_ptr<pipe_core>(d_pipe.core), [](void* p) {
            delete static_cast<std::shared_ptr<pipe_core>*>(p);
        });
        return py::array(dtype_of(d_pipe.code), frames_shape(core, n), {}, r.at, holder);
    }

    void publish(std::size_t k) { d_core.publish(k); }
    void close() { d_core.close(); }
    bool closed() const { return d_core.is_closed(); }
    py::object state() const { return state_object(d_core.state()); }
    /*! A handle of its own (a copy): closing it leaves this object's pipe alone. */
    py_pipe pipe() const { return d_pipe; }

private:
    py::array checked(const py::array& data) const
    {
        const auto& core = *d_pipe.core;
        if (!data.dtype().is(dtype_of(d_pipe.code)) && !data.dtype().equal(dtype_of(d_pipe.code)))
            throw py::type_error("pipe '" + core.name() + "' carries " +
                                 py::str(py::handle(dtype_of(d_pipe.code))).cast<std::string>() +
                                 ", got an array of " + py::str(py::handle(data.dtype())).cast<std::string>());
        const auto& shape = core.shape();
        const std::size_t nd = std::size_t(data.ndim());
        bool ok = nd == shape.size() + 1 || nd == shape.size();
        const std::size_t skip = nd == shape.size() + 1 ? 1 : 0;
        for (std::size_t i = 0; ok && i < shape.size(); ++i)
            ok = std::size_t(data.shape(py::ssize_t(i + skip))) == shape[i];
        if (!ok || (skip && data.shape(0) == 0))
            throw py::value_error(
                "pipe '" + core.name() + "' has frames of shape " + to_string(shape) +
                "; write an array of shape (n, *shape) with n >= 1, or one frame of shape "
                "shape, got " + py::repr(data.attr("shape")).cast<std::string>());
        return py::array::ensure(data, py::array::c_style | py::array::forcecast);
    }

    py_pipe d_pipe;
    writer_core d_core;
};

// ---------------------------------------------------------------------------- reader

/*! Frames a live view shows: the reader does not release them while it lives. */
struct lease {
    std::uint64_t start;
    std::atomic<bool> ended{ false };
};

struct get_result {
    reader_core::span span;
    bool timed_out() const { return span.status == read_status::timeout; }
};

class py_reader
{
public:
    py_reader(const py_pipe& p, bool lossy)
        : d_pipe(p),
          d_core(std::make_shared<reader_core>(p.core, reader_options{ lossy })),
          d_logical(d_core->state().consumed)
    {
    }

    /*!
     * Lets go of the reader's slot. The chunk views still alive keep it (and their
     * frames) until the last one is gone; every later call raises PipeError 'closed'.
     */
    void close()
    {
        d_core.reset();
        d_leases.clear();
    }
    bool closed() const { return !d_core; }

    /*!
     * A copy of n_to_read frames; advances by n_to_consume (default: n_to_read). With
     * \p tags, (copy, raw tags of its frames).
     */
    py::object read(std::size_t n,
                    std::optional<std::size_t> k,
                    const std::optional<double>& timeout,
                    bool tags)
    {
        auto w = window(n, timeout);
        if (w.status != read_status::ok)
            raise_window_status(w);
        py::array out(dtype_of(d_pipe.code), frames_shape(*d_pipe.core, n));
        std::memcpy(out.mutable_data(), w.data, n * d_pipe.core->frame_bytes());
        if (finish(k.value_or(n)) == read_status::overrun) // torn while copied (lossy)
            raise_status(read_status::overrun, live().state(), d_pipe.core->name());
        if (tags)
            return py::make_tuple(out, raw_tags(w.tags));
        return std::move(out);
    }

    /*!
     * The next chunk of iter_chunks: a leased view (blocking) or a checked copy (lossy);
     * with \p tags, (chunk, raw tags of its frames). None at the end.
     */
    py::object next_chunk(std::size_t n, std::size_t k, bool tags)
    {
        auto with_tags = [&](py::array chunk, const tag_list& t) -> py::object {
            if (tags)
                return py::make_tuple(chunk, raw_tags(t));
            return std::move(chunk);
        };
        for (;;) {
            auto w = window(n, std::nullopt);
            std::size_t frames = n;
            if (w.status == read_status::overrun)
                continue; // lossy: resumed at the oldest valid frame (state.lost tells)
            if (w.status == read_status::end_of_stream)
                return py::none();
            if (w.status == read_status::insufficient_data) {
                frames = w.left; // the final partial chunk, consuming what is left
                k = w.left;
                w = window(frames, std::nullopt);
                if (w.status != read_status::ok)
                    return py::none();
            }
            const auto shape = frames_shape(*d_pipe.core, frames);
            if (live().lossy()) {
                py::array out(dtype_of(d_pipe.code), shape);
                std::memcpy(out.mutable_data(), w.data, frames * d_pipe.core->frame_bytes());
                if (finish(k) == read_status::overrun)
                    continue; // torn while copied: counted in state.lost
                return with_tags(out, w.tags);
            }
            auto l = std::make_shared<lease>();
            l->start = d_logical;
            d_leases.push_back(l);
            // The view keeps its frames' mapping and the reader's slot (a closed or
            // deleted reader's too), so its frames are never overwritten under it.
            using holder_t = std::tuple<std::shared_ptr<lease>, std::shared_ptr<pipe_core>,
                                        std::shared_ptr<reader_core>>;
            auto holder = py::capsule(new holder_t(l, d_pipe.core, d_core), [](void* p) {
                auto* h = static_cast<holder_t*>(p);
                std::get<0>(*h)->ended = true; // released at the reader's next call
                delete h;
            });
            py::array view(dtype_of(d_pipe.code), shape, {}, w.data, holder);
            view.attr("setflags")(py::arg("write") = false);
            finish(k);
            return with_tags(view, w.tags);
        }
    }

    py::object state()
    {
        pipe_state s = live().state();
        s.consumed = d_logical;
        s.available = s.written > d_logical ? s.written - d_logical : 0;
        return state_object(s);
    }
    bool lossy() { return live().lossy(); }
    /*! A handle of its own (a copy): closing it leaves this object's pipe alone. */
    py_pipe pipe() const { return d_pipe; }

private:
    struct window_result {
        read_status status = read_status::timeout;
        const std::uint8_t* data = nullptr;
        std::uint64_t left = 0; // frames left at end of stream (insufficient_data)
        pipe_state state;
        tag_list tags; // of the window's frames (ok only)
    };

    /*!
     * Waits for frames [logical, logical + n). A blocking reader's cursor stays at its
     * oldest leased frame, so the core is asked for the span from there; its span is
     * released at once (the leases keep the frames). A lossy reader has no leases and
     * keeps its span outstanding until finish() checks it.
     */
    window_result window(std::size_t n, const std::optional<double>& timeout)
    {
        release_ended();
        const auto& core = *d_pipe.core;
        if (n == 0)
            throw py::value_error("pipe '" + core.name() + "': n_to_read must be at least 1");
        if (n > core.capacity())
            raise_error("Buffer capacity exceeded on pipe '" + core.name() + "': trying to read " +
                            std::to_string(n) + " frames from buffer capable of holding " +
                            std::to_string(core.capacity()),
                        errc::read_capacity_exceeded);
        const std::uint64_t pos = live().state().consumed;
        const std::uint64_t behind = d_logical > pos ? d_logical - pos : 0;
        // A blocking reader can hold what the writer lets it (a Pipe Sink's pipe: less
        // than its capacity); asking for more would wait for ever.
        const std::size_t limit = live().lossy() ? core.capacity() : core.window_limit();
        if (n > limit)
            raise_error("Buffer capacity exceeded on pipe '" + core.name() + "': trying to read " +
                            std::to_string(n) + " frames, but a blocking reader can hold at "
                            "most " + std::to_string(limit) + " of its " +
                            std::to_string(core.capacity()) +
                            " frames at once (its writer is a GNU Radio block, which keeps "
                            "part of its buffer free): read fewer frames",
                        errc::read_capacity_exceeded);
        if (behind + n > limit)
            raise_error("pipe '" + core.name() + "': " + std::to_string(behind) +
                            " frames are still shown by live chunk views and " +
                            std::to_string(n) + " more would pass the " + std::to_string(limit) +
                            " frames a blocking reader can hold; drop them (copy what you keep "
                            "with numpy.array(view)) before reading on, or read with "
                            "n_to_read + n_to_consume <= " + std::to_string(limit),
                        errc::chunk_outstanding);
        // The wait works on a reference of its own, taken with the GIL: close() from
        // another thread cannot free the core under it, and ends the wait at the next
        // slice (PipeError 'closed').
        const std::shared_ptr<reader_core> waiting = d_core;
        auto r = interruptible(
            [&](deadline until) { return get_result{ waiting->get(std::size_t(behind + n), until) }; },
            timeout, [&] { live(); });
        window_result out;
        out.status = r.span.status;
        out.state = r.span.state;
        switch (r.span.status) {
        case read_status::ok:
            out.data = r.span.data + behind * core.frame_bytes();
            // The span starts at the oldest leased frame: keep the window's own tags.
            for (const auto& t : *r.span.tags)
                if (t.frame >= d_logical)
                    out.tags.push_back(t);
            if (!live().lossy())
                live().consume(0);
            break;
        case read_status::overrun:
            d_logical = live().state().consumed; // resumed at the oldest valid frame
            break;
        case read_status::insufficient_data:
        case read_status::end_of_stream:
            out.left = r.span.state.available > behind ? r.span.state.available - behind : 0;
            out.status = out.left ? read_status::insufficient_data : read_status::end_of_stream;
            break;
        case read_status::timeout:
            break;
        }
        return out;
    }

    [[noreturn]] void raise_window_status(const window_result& w)
    {
        pipe_state s = w.state;
        s.available = w.left;
        raise_status(w.status, s, d_pipe.core->name());
        throw std::logic_error("unreachable");
    }

    /*! Advances the hand-out position by k; a lossy reader checks its copy first. */
    read_status finish(std::size_t k)
    {
        if (live().lossy()) {
            const read_status st = live().consume(k); // overrun: the copy was torn
            d_logical = live().state().consumed;
            return st;
        }
        d_logical += k;
        release_ended();
        return read_status::ok;
    }

    /*! Moves the cursor up to the oldest live lease (or the hand-out position). */
    void release_ended()
    {
        if (live().lossy())
            return;
        while (!d_leases.empty() && d_leases.front()->ended)
            d_leases.pop_front();
        const std::uint64_t target = d_leases.empty() ? d_logical : d_leases.front()->start;
        const std::uint64_t pos = live().state().consumed;
        if (target > pos)
            live().consume(std::size_t(target - pos));
    }

    reader_core& live()
    {
        if (!d_core)
            raise_error("pipe '" + d_pipe.name + "': this reader was closed", errc::closed);
        return *d_core;
    }

    py_pipe d_pipe;
    std::shared_ptr<reader_core> d_core; // null once closed
    std::uint64_t d_logical; // next frame to hand out
    std::deque<std::shared_ptr<lease>> d_leases;
};

} // namespace
} // namespace python
} // namespace roundpipers

namespace {

using namespace ::roundpipers;
using namespace ::roundpipers::python;

std::string repr_of(const py_pipe& p)
{
    if (!p.core)
        return "<roundpipers.Pipe '" + p.name + "' (closed handle)>";
    const auto s = p.core->state();
    return "<roundpipers.Pipe '" + p.name + "' " +
           py::str(py::handle(dtype_of(p.code))).cast<std::string>() + " frames of shape " +
           py::repr(p.shape()).cast<std::string>() + ", capacity " +
           std::to_string(p.core->capacity()) + ": " + std::to_string(s.written) +
           " written, " + std::to_string(p.core->reader_count()) + " readers" +
           (p.core->is_closed() ? ", closed" : "") + (p.core->is_shared() ? ", shared" : "") +
           (p.core->is_attached() ? ", attached" : "") + ">";
}

/*! A count argument: a clear ValueError instead of pybind11's "incompatible arguments". */
std::size_t positive_count(const py::object& v, const char* what)
{
    if (!py::isinstance<py::int_>(v) || v.cast<long long>() < 1)
        raise_error(std::string("roundpipers: ") + what +
                        " must be a whole number of frames of at least 1, got " +
                        py::repr(v).cast<std::string>(),
                    errc::invalid_argument);
    return v.cast<std::size_t>();
}

py_pipe make_checked(const std::string& name,
                     const py::object& capacity,
                     const py::object& shape,
                     const py::object& dtype,
                     bool registered,
                     bool shared,
                     std::size_t tag_capacity)
{
    return make_pipe(name, positive_count(capacity, "capacity"), shape, dtype, registered,
                     shared, tag_capacity);
}

} // namespace

void bind_pipe(pybind11::module& m)
{
    // Every class first, so that each signature below names the Python types.
    py::class_<py_pipe> pipe_class(
        m, "Pipe",
        "A circular pipe of ndarray frames: one writer, any number of readers (made by "
        "roundpipers.pipe, open_pipe or attach). A context manager: `with ... as p:` "
        "closes this handle at the end.");
    py::class_<py_writer> writer_class(
        m, "PipeWriter",
        "The writer of a pipe (Pipe.get_writer()): write(), reserve(), close(). A context "
        "manager: `with p.get_writer() as w:` closes the stream at the end.");
    py::class_<py_reader> reader_class(
        m, "PipeReader",
        "A reader of a pipe (Pipe.get_reader()): read(), iter_chunks(). A context manager: "
        "`with p.get_reader() as r:` closes the reader at the end.");

    pipe_class
        .def_property_readonly("name", [](const py_pipe& p) { return p.live().name(); },
                               "The pipe's name (str).")
        .def_property_readonly("capacity", [](const py_pipe& p) { return p.live().capacity(); },
                               "Frames the pipe holds (int).")
        .def_property_readonly("shape", &py_pipe::shape, "The shape of one frame (tuple).")
        .def_property_readonly("dtype",
                               [](const py_pipe& p) {
                                   p.live();
                                   return dtype_of(p.code);
                               },
                               "The numpy dtype of the frames' values.")
        .def_property_readonly("closed", [](const py_pipe& p) { return p.live().is_closed(); },
                               "True once the stream ended (its writer closed or vanished).")
        .def_property_readonly("window_limit", [](const py_pipe& p) { return p.live().window_limit(); },
                               "The most frames a blocking reader can hold at once: the "
                               "capacity, or less for a Pipe Sink's pipe (GNU Radio keeps part "
                               "of its buffer free).")
        .def_property_readonly("reader_count", [](const py_pipe& p) { return p.live().reader_count(); },
                               "Readers registered now (in every process).")
        .def_property_readonly("shared", [](const py_pipe& p) { return p.live().is_shared(); },
                               "True for a pipe made with shared=True (reachable by name from "
                               "other processes with roundpipers.attach).")
        .def_property_readonly("attached", [](const py_pipe& p) { return p.live().is_attached(); },
                               "True for a pipe mapped with roundpipers.attach().")
        .def_property_readonly("writer_lost", [](const py_pipe& p) { return p.live().writer_lost(); },
                               "True once the writer's process died without closing the stream "
                               "(readers drain what was published, then see the end).")
        .def_property_readonly("state",
                               [](const py_pipe& p) { return state_object(p.live().state()); },
                               "A PipeState: frames written, the slowest blocking reader's "
                               "position, frames writable now, the capacity.")
        .def("get_writer",
             [](const py_pipe& p) {
                 p.live();
                 return std::make_unique<py_writer>(p);
             },
             "The single writer of the pipe (a PipeWriter).\n\n"
             "Raises:\n    PipeError: code 'writer_exists' while another writer lives.")
        .def("get_reader",
             [](const py_pipe& p, bool lossy) {
                 p.live();
                 return std::make_unique<py_reader>(p, lossy);
             },
             py::arg("lossy") = false,
             "A PipeReader at the current write position.\n\n"
             "Args:\n    lossy: never hold the writer back; frames it laps are lost "
             "(state.lost counts them).\n\n"
             "Raises:\n    PipeError: code 'too_many_readers' when every slot is taken.")
        .def("get_metadata",
             [](const py_pipe& p) { return metadata().get(p.core); },
             "The object set_metadata() stored for this pipe in this process (None if none).")
        .def("set_metadata",
             [](const py_pipe& p, py::object v) {
                 p.live();
                 metadata().set(p.core, v);
             },
             py::arg("value"),
             "Stores any Python object with the pipe, in this process (not shared).")
        .def("close",
             [](py_pipe& p) {
                 p.typed.reset();
                 p.core.reset();
             },
             "Lets go of this handle. Readers and writers made from it go on; the pipe, its "
             "memory and its shared name go when the last handle, reader and writer are gone.")
        .def("__enter__", [](py_pipe& p) -> py_pipe& { return p; },
             py::return_value_policy::reference, "Returns the pipe itself.")
        .def("__exit__",
             [](py_pipe& p, py::args) {
                 p.typed.reset();
                 p.core.reset();
             },
             "close() (exceptions go on).")
        .def("__repr__", &repr_of);

    writer_class
        .def("_write_frames", &py_writer::write, py::arg("data"), py::arg("timeout") = py::none(),
             py::arg("tags") = std::vector<offered_tag>())
        .def("_reserve_view", &py_writer::reserve_view, py::arg("n"),
             py::arg("timeout") = py::none())
        .def("_publish", &py_writer::publish)
        .def("close", &py_writer::close,
             "Ends the stream for good: readers read what was written, then get "
             "EndOfStream. Further writes raise PipeError 'closed'.")
        .def_property_readonly("closed", &py_writer::closed, "True after close().")
        .def_property_readonly("state", &py_writer::state,
                               "A PipeState: frames written, the slowest blocking reader's "
                               "position, frames writable without waiting.")
        .def_property_readonly("pipe", &py_writer::pipe, "The Pipe this writer writes.")
        .def("set_metadata",
             [](py_writer& w, py::object v) { metadata().set(w.pipe().core, v); },
             py::arg("value"), "Pipe.set_metadata of the writer's pipe.")
        .def("get_metadata", [](py_writer& w) { return metadata().get(w.pipe().core); },
             "Pipe.get_metadata of the writer's pipe.")
        .def("__enter__", [](py_writer& w) -> py_writer& { return w; },
             py::return_value_policy::reference, "Returns the writer itself.")
        .def("__exit__", [](py_writer& w, py::args) { w.close(); },
             "close(): the stream ends (exceptions go on).")
        .def("__repr__", [](py_writer& w) {
            const auto s = w.pipe().core->state();
            return "<roundpipers.PipeWriter of '" + w.pipe().name + "': " +
                   std::to_string(s.written) + " written" + (w.closed() ? ", closed" : "") + ">";
        });

    reader_class
        .def("_read_frames", &py_reader::read, py::arg("n_to_read"), py::arg("n_to_consume") = py::none(),
             py::arg("timeout") = py::none(), py::arg("tags") = false)
        .def("_next_chunk", &py_reader::next_chunk)
        .def_property_readonly("state", &py_reader::state,
                               "A PipeState: frames written, this reader's position, frames "
                               "readable now, frames lost (lossy).")
        .def_property_readonly("lossy", &py_reader::lossy, "True for a lossy reader.")
        .def_property_readonly("pipe", &py_reader::pipe, "The Pipe this reader reads.")
        .def_property_readonly("closed", &py_reader::closed, "True after close().")
        .def("close", &py_reader::close,
             "Lets go of the reader's slot (it no longer holds the writer back). Chunk views "
             "still alive keep their frames until they are gone. Further reads raise "
             "PipeError 'closed'.")
        .def("get_metadata", [](py_reader& r) { return metadata().get(r.pipe().core); },
             "Pipe.get_metadata of the reader's pipe.")
        .def("__enter__", [](py_reader& r) -> py_reader& { return r; },
             py::return_value_policy::reference, "Returns the reader itself.")
        .def("__exit__", [](py_reader& r, py::args) { r.close(); },
             "close(): the reader lets go of its slot (exceptions go on).")
        .def("__repr__", [](py_reader& r) {
            if (r.closed())
                return "<roundpipers.PipeReader of '" + r.pipe().name + "' (closed)>";
            const py::object s = r.state();
            return "<roundpipers.PipeReader of '" + r.pipe().name + "'" +
                   (r.lossy() ? " (lossy)" : "") + ": at frame " +
                   py::str(s.attr("consumed")).cast<std::string>() + ", " +
                   py::str(s.attr("available")).cast<std::string>() + " available, " +
                   py::str(s.attr("lost")).cast<std::string>() + " lost>";
        });

    m.def("pipe",
          [](const std::string& name, py::object capacity, py::object shape, py::object dtype,
             bool shared, std::size_t tag_capacity) {
              return make_checked(name, capacity, shape, dtype, false, shared, tag_capacity);
          },
          py::arg("name"), py::arg("capacity"), py::arg("shape") = py::tuple(),
          py::arg("dtype") = py::module_::import("numpy").attr("float32"),
          py::arg("shared") = false, py::arg("tag_capacity") = 0,
          "A new Pipe, registered nowhere in this process (the name is a label).\n\n"
          "Args:\n"
          "    name: the pipe's name; with shared=True 1-100 of [A-Za-z0-9._-]\n"
          "    capacity: frames the ring holds (rounded up to whole pages)\n"
          "    shape: the shape of one frame (() for one value per frame)\n"
          "    dtype: the values' numpy dtype (int8...uint64, float32/64, complex64/128)\n"
          "    shared: other processes of this user reach it with roundpipers.attach(name) "
          "while it lives\n"
          "    tag_capacity: tags held at once (0: the capacity, at least 1024, at most 65536)\n\n"
          "Raises:\n    ValueError: a bad capacity or shape. TypeError: an unsupported dtype. "
          "NameInUse: a live shared pipe has the name.");
    m.def("open_pipe",
          [](const std::string& name, py::object capacity, py::object shape, py::object dtype,
             bool shared, std::size_t tag_capacity) {
              return make_checked(name, capacity, shape, dtype, true, shared, tag_capacity);
          },
          py::arg("name"), py::arg("capacity"), py::arg("shape") = py::tuple(),
          py::arg("dtype") = py::module_::import("numpy").attr("float32"),
          py::arg("shared") = false, py::arg("tag_capacity") = 0,
          "The live Pipe of that name in this process's registry, or a new registered one: "
          "the pipe that pipe_sink / pipe_source blocks of the same name use. Arguments as "
          "for pipe() (shared applies when it is created).\n\n"
          "Raises:\n    PipeError: a live pipe of the name has another dtype or shape.");
    m.def("attach", &attach_pipe, py::arg("name"), py::arg("timeout") = py::none(),
          "Maps the shared pipe `name` of another process (or of this one).\n\n"
          "Args:\n    name: the shared pipe's name\n    timeout: seconds to wait for the "
          "name to appear (None: until it does; Ctrl-C interrupts)\n\n"
          "Returns:\n    a Pipe whose dtype, shape and capacity come from the pipe; its "
          "readers' views are read-only; get_writer() works while no other writer lives.\n\n"
          "Raises:\n    NotFound: no such pipe within timeout. Corrupted: the pipe's "
          "shared memory does not check out.");
    m.def("_is_serialized_pmt",
          [](const py::bytes& b) { return gr::roundpipers::is_serialized_pmt(std::string(b)); },
          "True when the bytes are exactly one serialised PMT (checked without building it).");
    m.def("shared_pipes", &shared_pipes,
          "The names of the pipes this user shares now (sorted).");

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const pipe_error& e) {
            auto errors = py::module_::import("gnuradio.roundpipers.errors");
            py::object err = errors.attr("make_error")(e.what(), errc_name(e.code()));
            PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(err.ptr())), err.ptr());
        }
    });
}

