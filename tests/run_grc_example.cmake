# Compiles a .grc flowgraph with grcc (with this project's GRC blocks), then runs a
# Python script that imports the generated flowgraph; fails if either step fails.
# Arguments: GRC, BLOCKS_DIR, OUT_DIR, SCRIPT, PYTHON, PYTHONPATH_DIRS (;-separated).
file(REMOVE_RECURSE ${OUT_DIR})
file(MAKE_DIRECTORY ${OUT_DIR})
set(ENV{GRC_BLOCKS_PATH} ${BLOCKS_DIR})
set(ENV{GR_DONT_LOAD_PREFS} 1)
execute_process(COMMAND grcc -o ${OUT_DIR} ${GRC} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "grcc failed (${rc}) on ${GRC}")
endif()
string(REPLACE ";" ":" path "${OUT_DIR};${PYTHONPATH_DIRS}")
set(ENV{PYTHONPATH} ${path})
execute_process(COMMAND ${PYTHON} ${SCRIPT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SCRIPT} failed (${rc})")
endif()
