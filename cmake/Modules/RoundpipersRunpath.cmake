# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later

# Installed programs, libraries and the Python module find this project's libraries
# where they were installed, in any prefix (cmake --install --prefix too), without
# LD_LIBRARY_PATH or an ldconfig entry: each gets a RUNPATH relative to its own place.

#! roundpipers_install_runpath(TARGET DESTINATION): DESTINATION is where TARGET installs,
#! relative to the prefix (e.g. ${CMAKE_INSTALL_BINDIR}).
function(roundpipers_install_runpath target destination)
    file(RELATIVE_PATH to_lib /prefix/${destination} /prefix/${CMAKE_INSTALL_LIBDIR})
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/${to_lib}")
endfunction()
