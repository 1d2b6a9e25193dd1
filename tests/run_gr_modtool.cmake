# Copyright 2026 gr-roundpipers authors.
#
# This file is part of gr-roundpipers
#
# SPDX-License-Identifier: GPL-3.0-or-later

# In a scratch copy of the source tree: `gr_modtool add` a sync block with a C++ QA,
# `gr_modtool bind` it, configure and build the module and the block's QA, run the QA,
# then import the new block from the build tree, run it in a flowgraph and check its
# docstring came from its header.
# Arguments: SOURCE_DIR, WORK_DIR, GR_MODTOOL, PYTHON.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(tree ${WORK_DIR}/gr-roundpipers)
file(COPY ${SOURCE_DIR}/ DESTINATION ${tree}
    PATTERN ".git" EXCLUDE PATTERN "build" EXCLUDE PATTERN "build-*" EXCLUDE)
function(run)
    execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${tree} INPUT_FILE ${WORK_DIR}/answers
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 600)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
endfunction()
# gr_modtool asks whether to add Python QA code even with --yes: no.
file(WRITE ${WORK_DIR}/answers "n\n")
run(${GR_MODTOOL} add -t sync -l cpp --argument-list "float k" --add-cpp-qa
    --copyright "gr-roundpipers authors" --yes scaler)
run(${GR_MODTOOL} bind scaler)
message(STATUS "gr_modtool add and bind wrote the block into the copy")
run(${CMAKE_COMMAND} -S ${tree} -B ${tree}/build -DROUNDPIPERS_ENABLE_APPS=OFF
    -DROUNDPIPERS_ENABLE_TESTS=ON)
# The module, its Python extension and the block's generated C++ QA (not every suite).
run(${CMAKE_COMMAND} --build ${tree}/build -j2 --target roundpipers_python qa_scaler)
run(${CMAKE_COMMAND} -E env GR_DONT_LOAD_PREFS=1 ${tree}/build/lib/qa_scaler)
message(STATUS "the module with the new block builds, and the block's C++ QA passes")
run(${CMAKE_COMMAND} -E env PYTHONPATH=${tree}/build/test_modules GR_DONT_LOAD_PREFS=1
    ${PYTHON} -c "from gnuradio import blocks, gr, roundpipers
block = roundpipers.scaler(2.0)
assert 'description of block' in block.__doc__, block.__doc__
tb = gr.top_block()
sink = blocks.vector_sink_f()
tb.connect(blocks.vector_source_f([1.0, 2.0, 3.0]), block, sink)
tb.run()
assert len(sink.data()) == 3, sink.data()
assert roundpipers.pipe_sink_f.__doc__.startswith('Hands a flowgraph')
print('the gr_modtool block runs in a flowgraph')")
message(STATUS "the new block imports, runs, and has its header's docstring")
