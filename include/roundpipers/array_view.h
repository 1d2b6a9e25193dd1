/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_ARRAY_VIEW_H
#define INCLUDED_ROUNDPIPERS_ARRAY_VIEW_H

#include <roundpipers/pipe_error.h>
#include <cassert>
#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

namespace roundpipers {

/*!
 * \brief The extents of an array_view: an optional leading extent (the frame count)
 * followed by extents stored elsewhere (the pipe's frame shape).
 * \ingroup roundpipers_core
 *
 * \details
 * A view must not allocate, so it refers to the frame shape its pipe owns. An extents
 * object is valid as long as that pipe is alive.
 *
 * Thread safety: an immutable value.
 */
class extents
{
public:
    extents() = default;
    /*!
     * \param lead the leading extent, used when \p has_lead is true
     * \param has_lead whether the leading extent is present
     * \param rest the remaining extents (not owned)
     * \param rest_rank how many remaining extents there are
     */
    extents(std::size_t lead, bool has_lead, const std::size_t* rest, std::size_t rest_rank)
        : d_lead(lead), d_rest(rest), d_rest_rank(rest_rank), d_has_lead(has_lead)
    {
    }

    /*! \brief The rank (number of extents). */
    std::size_t size() const { return d_rest_rank + (d_has_lead ? 1 : 0); }
    /*! \brief Extent of dimension \p r (no bounds check). */
    std::size_t operator[](std::size_t r) const
    {
        if (d_has_lead)
            return r == 0 ? d_lead : d_rest[r - 1];
        return d_rest[r];
    }
    /*! \brief The extents as a vector. */
    std::vector<std::size_t> to_vector() const
    {
        std::vector<std::size_t> v(size());
        for (std::size_t r = 0; r < v.size(); ++r)
            v[r] = (*this)[r];
        return v;
    }
    operator std::vector<std::size_t>() const { return to_vector(); }

    /*! \brief The extents without the first one (the shape of one frame of a view). */
    extents drop_first() const
    {
        if (d_has_lead)
            return extents(0, false, d_rest, d_rest_rank);
        return extents(0, false, d_rest + 1, d_rest_rank - 1);
    }

    friend bool operator==(const extents& a, const std::vector<std::size_t>& b)
    {
        if (a.size() != b.size())
            return false;
        for (std::size_t r = 0; r < b.size(); ++r)
            if (a[r] != b[r])
                return false;
        return true;
    }
    friend bool operator==(const std::vector<std::size_t>& b, const extents& a)
    {
        return a == b;
    }
    friend bool operator!=(const extents& a, const std::vector<std::size_t>& b)
    {
        return !(a == b);
    }

private:
    std::size_t d_lead = 0;
    const std::size_t* d_rest = nullptr;
    std::size_t d_rest_rank = 0;
    bool d_has_lead = false;
};

/*!
 * \brief A non-owning C-order (row-major) view of frames in a pipe.
 * \ingroup roundpipers_core
 *
 * \details
 * The shape of a view over n frames is `{n, frame_shape...}`. Strides are counted in
 * elements (stride()), as mdspan does; stride_bytes() gives numpy's byte strides.
 * `array_view<const T>` (alias const_array_view<T>) is the read-only twin; an
 * array_view<T> converts to it.
 *
 * A view is valid while the operation that handed it out lasts (the callback, or the
 * chunk_guard or span that holds it) and while its pipe is alive.
 *
 * Thread safety: a view is a pointer; the pipe's rules say who may touch the memory.
 */
template <class T>
class array_view
{
public:
    using element_type = T;
    using value_type = std::remove_cv_t<T>;
    using iterator = T*;

    array_view() = default;
    /*!
     * \param data the first element
     * \param shape the extents of the view
     * \param size_elements product of the extents
     */
    array_view(T* data, extents shape, std::size_t size_elements)
        : d_data(data), d_shape(shape), d_size(size_elements)
    {
    }

    /*! \brief A mutable view converts to a read-only one. */
    template <class U,
              class = std::enable_if_t<std::is_same_v<const U, T> && !std::is_same_v<U, T>>>
    array_view(const array_view<U>& other)
        : d_data(other.data()), d_shape(other.shape()), d_size(other.size())
    {
    }

    /*! \brief The first element. */
    T* data() const { return d_data; }
    /*! \brief The extents; the first one is the number of frames. */
    extents shape() const { return d_shape; }
    /*! \brief The number of dimensions. */
    std::size_t ndim() const { return d_shape.size(); }
    /*! \brief The number of elements (product of the extents). */
    std::size_t size() const { return d_size; }
    /*! \brief True when the view has no element. */
    bool empty() const { return d_size == 0; }
    /*! \brief Extent of dimension \p r. */
    std::size_t extent(std::size_t r) const { return d_shape[r]; }
    /*! \brief Distance in elements between neighbours along dimension \p r. */
    std::size_t stride(std::size_t r) const
    {
        std::size_t s = 1;
        for (std::size_t q = r + 1; q < d_shape.size(); ++q)
            s *= d_shape[q];
        return s;
    }
    /*! \brief Distance in bytes between neighbours along dimension \p r (numpy's unit). */
    std::size_t stride_bytes(std::size_t r) const { return stride(r) * sizeof(T); }

    T* begin() const { return d_data; }
    T* end() const { return d_data + d_size; }

    /*!
     * \brief Element at a full multi-index (one index per dimension), no bounds check.
     * \details Debug builds assert that the number of indices equals ndim().
     */
    template <class... I>
    T& operator()(I... idx) const
    {
        static_assert(sizeof...(I) > 0, "array_view::operator() needs at least one index");
        assert(sizeof...(I) == d_shape.size() && "one index per dimension");
        return d_data[offset_of({ static_cast<std::size_t>(idx)... })];
    }

    /*!
     * \brief Element at a full multi-index, bounds checked.
     * \throws pipe_error (errc::invalid_argument) for a wrong index count or an index
     * out of range.
     */
    template <class... I>
    T& at(I... idx) const
    {
        const std::size_t n = sizeof...(I);
        const std::size_t index[] = { static_cast<std::size_t>(idx)... };
        if (n != d_shape.size())
            throw pipe_error(errc::invalid_argument,
                             "array_view::at: " + std::to_string(n) +
                                 " indices for a view of rank " +
                                 std::to_string(d_shape.size()));
        for (std::size_t r = 0; r < n; ++r)
            if (index[r] >= d_shape[r])
                throw pipe_error(errc::invalid_argument,
                                 "array_view::at: index " + std::to_string(index[r]) +
                                     " out of range for extent " +
                                     std::to_string(d_shape[r]) + " of dimension " +
                                     std::to_string(r));
        return d_data[offset_of_array(index, n)];
    }

    /*!
     * \brief View of frame \p k (the shape without the first extent).
     * \throws pipe_error (errc::invalid_argument) when k is out of range.
     */
    array_view frame(std::size_t k) const
    {
        if (d_shape.size() == 0 || k >= d_shape[0])
            throw pipe_error(errc::invalid_argument,
                             "array_view::frame: frame " + std::to_string(k) +
                                 " out of range for a view of " +
                                 std::to_string(d_shape.size() ? d_shape[0] : 0) +
                                 " frames");
        const std::size_t per_frame = d_shape[0] ? d_size / d_shape[0] : 0;
        return array_view(d_data + k * per_frame, d_shape.drop_first(), per_frame);
    }

private:
    std::size_t offset_of(std::initializer_list<std::size_t> index) const
    {
        return offset_of_array(index.begin(), index.size());
    }
    std::size_t offset_of_array(const std::size_t* index, std::size_t n) const
    {
        // Horner's scheme over the C-order extents: ((i0 * e1 + i1) * e2 + i2) ...
        std::size_t off = 0;
        for (std::size_t r = 0; r < n; ++r)
            off = off * d_shape[r] + index[r];
        return off;
    }

    T* d_data = nullptr;
    extents d_shape;
    std::size_t d_size = 0;
};

/*! \brief A read-only view of frames (see array_view). */
template <class T>
using const_array_view = array_view<const T>;

} // namespace roundpipers

#endif /* INCLUDED_ROUNDPIPERS_ARRAY_VIEW_H */
