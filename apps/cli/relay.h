/* -*- c++ -*- */
/*
 * Copyright 2026 gr-roundpipers authors.
 *
 * This file is part of gr-roundpipers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_ROUNDPIPERS_RELAY_H
#define INCLUDED_ROUNDPIPERS_RELAY_H

namespace roundpipers_cli {

/*! The usage lines of `roundpipers relay`. */
extern const char* const relay_usage_text;

/*!
 * `roundpipers relay send|recv ...`: a shared pipe to or from a ZeroMQ socket, in
 * gr-zeromq's wire format (design section 10). Returns the exit status.
 */
int cmd_relay(int argc, char** argv);

} // namespace roundpipers_cli

#endif /* INCLUDED_ROUNDPIPERS_RELAY_H */
