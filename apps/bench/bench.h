/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_BENCH_H
#define INCLUDED_ROUNDPIPERS_BENCH_H

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

/*!
 * \brief The harness of roundpipers_bench: repetitions, statistics, tables, targets.
 *
 * \details
 * Every benchmark registers itself (one file each) and prints one table. Each row
 * measures roundpipers and its peers alternately, repetition by repetition, so that a
 * noisy neighbour hits all of them alike; cells show the median and [min, max]; ratios
 * are ours / peer of the medians. A missed target is printed as MISSED, never hidden.
 */
namespace roundpipers_bench {

/*! \brief How hard to run. */
struct context {
    bool quick = false; //!< small counts, one repetition: a correctness run
    int reps = 5;       //!< repetitions per measurement (at least 5 for figures)
    /*! \brief \p full normally, \p small with --quick. */
    std::uint64_t count(std::uint64_t full, std::uint64_t small) const
    {
        return quick ? small : full;
    }
};

/*! \brief Minimum, median and maximum over the repetitions. */
struct stats {
    double min = 0;
    double median = 0;
    double max = 0;
};

/*! \brief Thrown by a measurement whose result is wrong (a correctness failure). */
struct check_failed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/*! \brief Throws check_failed with \p what unless \p ok. */
void check(bool ok, const std::string& what);

/*! \brief stats of \p samples (not empty). */
stats summarise(std::vector<double> samples);

/*!
 * \brief Runs every function once per repetition, in turn, and summarises each.
 * \param series measurements, ours first; each returns one figure
 */
std::vector<stats> interleave(const context& ctx,
                              const std::vector<std::function<double()>>& series);

/*! \brief One printed table: a title, the names of the series and rows of stats. */
class table
{
public:
    /*!
     * \param title what is measured, with its conditions
     * \param unit the unit of every cell (e.g. "Mframes/s")
     * \param series names of the columns, ours first; ratio columns follow for the peers
     */
    table(std::string title, std::string unit, std::vector<std::string> series);

    /*! \brief Adds a row; \p cells in the order of the series (a missing peer: empty). */
    void row(const std::string& label, const std::vector<stats>& cells);

    /*! \brief Prints the table to stdout. */
    void print() const;

    /*! \brief Median of series \p s in row \p label. */
    double median(const std::string& label, std::size_t s) const;

private:
    std::string d_title;
    std::string d_unit;
    std::vector<std::string> d_series;
    std::vector<std::pair<std::string, std::vector<stats>>> d_rows;
};

/*!
 * \brief Prints "target <text>: <value> ... MET/MISSED".
 * \param at_least true: value >= bound meets the target; false: value <= bound does
 * \returns whether the target was met
 */
bool report_target(const std::string& text, double value, double bound, bool at_least);

/*! \brief Prints how many targets were met and names the missed ones. */
void print_target_summary();

/*! \brief Pins the calling thread to \p cpu (ignored when the machine has fewer CPUs). */
void pin_to_cpu(int cpu);

/*! \brief CPU time of the whole process, in seconds. */
double process_cpu_s();

/*! \brief Seconds on a monotonic clock. */
double now_s();

/*! \brief A benchmark: an id (B1...), a one-line title, and its body. */
struct benchmark {
    std::string id;
    std::string title;
    std::function<void(const context&)> run;
};

/*! \brief Adds \p b to the suite (call from a static initialiser). */
int register_benchmark(benchmark b);

/*! \brief Every registered benchmark, by id. */
const std::map<std::string, benchmark>& benchmarks();

/*!
 * \brief A peer measurement that another file provides (e.g. the GNU Radio flowgraphs,
 * only built with GNU Radio). Looked up by name; returns a figure in the unit its
 * user documents.
 */
using peer_fn = std::function<double(const context&, std::uint64_t item_bytes)>;

/*! \brief Makes \p fn available as \p name. */
int register_peer(const std::string& name, peer_fn fn);

/*! \brief The peer called \p name, or an empty function when it was not built. */
peer_fn find_peer(const std::string& name);

/*!
 * \brief B6's worker mode (roundpipers_bench --b6-worker N, run under strace): N
 * publishes with two busy readers. \returns the exit status (0: every frame read)
 */
int b6_worker(std::uint64_t publishes);

/*! \brief The reader process of B8 (`roundpipers_bench --b8-child ROLE ...`). */
int b8_child(int argc, char** argv);

} // namespace roundpipers_bench

#endif /* INCLUDED_ROUNDPIPERS_BENCH_H */
