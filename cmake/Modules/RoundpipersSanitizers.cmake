# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later

# ROUNDPIPERS_SANITIZE=address,undefined or thread instruments every target of the
# project. Each setting needs its own build folder.
if(ROUNDPIPERS_SANITIZE)
    if(NOT ROUNDPIPERS_SANITIZE MATCHES "^(address,undefined|address|undefined|thread)$")
        message(FATAL_ERROR
            "ROUNDPIPERS_SANITIZE='${ROUNDPIPERS_SANITIZE}': use 'address,undefined' or 'thread'")
    endif()
    add_compile_options(-fsanitize=${ROUNDPIPERS_SANITIZE} -fno-omit-frame-pointer)
    add_link_options(-fsanitize=${ROUNDPIPERS_SANITIZE})
    if(ROUNDPIPERS_SANITIZE MATCHES "undefined")
        # vptr is left out: Boost.Test's lazy_ostream objects, made in the test files
        # and checked against the uninstrumented libboost_unit_test_framework, trip it
        # at random points of the test framework (never in project code, whose only
        # polymorphic type is pipe_error).
        add_compile_options(-fno-sanitize-recover=undefined -fno-sanitize=vptr)
        add_link_options(-fno-sanitize=vptr)
    endif()
    message(STATUS "Sanitizers: ${ROUNDPIPERS_SANITIZE}")
endif()
