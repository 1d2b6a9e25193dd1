/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_REGISTRY_H
#define INCLUDED_ROUNDPIPERS_REGISTRY_H

#include <roundpipers/core_api.h>
#include <roundpipers/element_type.h>
#include <roundpipers/pipe.h>
#include <functional>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

namespace roundpipers {

/*!
 * \brief Process-wide map from a name to a live pipe, holding weak references.
 * \ingroup roundpipers_core
 *
 * \details
 * Blocks configured by name (GNU Radio, GRC) and code outside a flowgraph meet on the
 * same pipe through it. An entry lives as long as someone holds the pipe or one of its
 * readers or writers (`open(name, n)->get_writer()` keeps the name); when the last of
 * them goes, the name is free again. Opening an existing name with another
 * element type, metadata type or frame shape, or with a larger capacity than the live
 * pipe has, is an error (errc::invalid_argument) that names both sides.
 *
 * Thread safety: all members may be called from any thread.
 */
class ROUNDPIPERS_CORE_API registry
{
public:
    /*!
     * \brief The live pipe called \p name, or a new one registered under it.
     * \param name non-empty, no NUL byte
     * \param capacity_frames capacity when created; an existing pipe must have at least this
     * \param shape the frame shape (must match an existing pipe)
     * \param options used only when the pipe is created
     */
    template <class T, class Meta = no_metadata>
    static std::shared_ptr<pipe<T, Meta>> open(const std::string& name,
                                               std::size_t capacity_frames,
                                               const frame_shape& shape = {},
                                               const pipe_options& options = {})
    {
        return open_as<T, Meta>(name, capacity_frames, shape, options, false);
    }

    /*!
     * \brief Like open(), but a pipe whose stream was closed is replaced by a new one
     * registered under the name (its readers keep the old one and drain it).
     * \details For writers that start a new stream under a known name, such as a
     * flowgraph's sink on each start.
     */
    template <class T, class Meta = no_metadata>
    static std::shared_ptr<pipe<T, Meta>> open_for_writing(const std::string& name,
                                                           std::size_t capacity_frames,
                                                           const frame_shape& shape = {},
                                                           const pipe_options& options = {})
    {
        return open_as<T, Meta>(name, capacity_frames, shape, options, true);
    }

    /*!
     * \brief The live pipe called \p name, or null when there is none.
     * \throws pipe_error errc::invalid_argument when it exists with another type
     */
    template <class T, class Meta = no_metadata>
    static std::shared_ptr<pipe<T, Meta>> find(const std::string& name)
    {
        return std::static_pointer_cast<pipe<T, Meta>>(
            find_erased(name, typeid(pipe<T, Meta>), describe<T, Meta>(), rewrap_as<T, Meta>()));
    }

    /*! \brief Names of the live pipes, sorted. */
    static std::vector<std::string> names();

private:
    /*! What a creator returns: the typed pipe (erased), its capacity, its engine and its
     * metadata store (shared with its readers and writers). */
    struct created_pipe {
        std::shared_ptr<void> typed;
        std::size_t capacity_frames;
        std::shared_ptr<pipe_core> core;
        std::shared_ptr<void> meta;
    };
    using creator = std::function<created_pipe()>;
    /*! A new typed pipe object over a live engine and metadata store. */
    using rewrapper =
        std::function<std::shared_ptr<void>(std::shared_ptr<pipe_core>, std::shared_ptr<void>)>;

    template <class T, class Meta>
    static rewrapper rewrap_as()
    {
        return [](std::shared_ptr<pipe_core> core, std::shared_ptr<void> meta) {
            return std::shared_ptr<void>(new pipe<T, Meta>(
                std::move(core), std::static_pointer_cast<metadata_store<Meta>>(meta)));
        };
    }

    template <class T, class Meta>
    static std::shared_ptr<pipe<T, Meta>> open_as(const std::string& name,
                                                  std::size_t capacity_frames,
                                                  const frame_shape& shape,
                                                  const pipe_options& options,
                                                  bool replace_closed)
    {
        auto p = open_erased(name,
                             typeid(pipe<T, Meta>),
                             describe<T, Meta>(),
                             shape,
                             capacity_frames,
                             replace_closed,
                             [&] {
                                 auto made =
                                     pipe<T, Meta>::make(name, capacity_frames, shape, options);
                                 return created_pipe{
                                     made, made->capacity(), made->core(), made->d_meta
                                 };
                             },
                             rewrap_as<T, Meta>());
        return std::static_pointer_cast<pipe<T, Meta>>(p);
    }

    template <class T, class Meta>
    static std::string describe()
    {
        std::string d = element_type_name(element_type_of<T>());
        if (element_type_of<T>() == element_type::other)
            d += " (" + std::to_string(sizeof(T)) + "-byte " + typeid(T).name() + ")";
        if (!std::is_same_v<Meta, no_metadata>)
            d += std::string(" with metadata ") + typeid(Meta).name();
        return d;
    }

    static std::shared_ptr<void> open_erased(const std::string& name,
                                             const std::type_info& type,
                                             const std::string& type_desc,
                                             const frame_shape& shape,
                                             std::size_t capacity_frames,
                                             bool replace_closed,
                                             const creator& create,
                                             const rewrapper& rewrap);
    static std::shared_ptr<void> find_erased(const std::string& name,
                                             const std::type_info& type,
                                             const std::string& type_desc,
                                             const rewrapper& rewrap);
};

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_REGISTRY_H */
