# Installs the build tree into a temporary prefix, then configures, builds and runs a
# tiny project that uses find_package(roundpipers) and links roundpipers::core (with
# GNU Radio also the blocks, the command, the Python package and a GRC C++ flowgraph);
# then uninstalls with the build's uninstall script and checks that nothing is left.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
# Every step is bounded: a consumer or flowgraph that hangs fails the test in minutes.
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
        TIMEOUT 300)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component Unspecified)
set(with_gr OFF)
if(PYTHON)
    set(with_gr ON)
endif()
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix}
    -DWITH_GNURADIO=${with_gr})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
message(STATUS "consumer built against ${prefix} and ran")
foreach(example quick_start.cc fft_live.grc attach_spectra.py)
    if(NOT EXISTS ${prefix}/share/gr-roundpipers/examples/${example})
        message(FATAL_ERROR "example ${example} not installed in share/gr-roundpipers/examples")
    endif()
endforeach()
if(PYTHON)
    # find_package(gnuradio-roundpipers 0.1) with its version file; the installed
    # libraries find each other through their RUNPATH: no LD_LIBRARY_PATH anywhere.
    run(${CMAKE_COMMAND} -E env GR_DONT_LOAD_PREFS=1 ${WORK_DIR}/build/consumer_gr)
    message(STATUS "consumer_gr (gnuradio-roundpipers) built against ${prefix} and ran")
    run(${CMAKE_COMMAND} -E env ROUNDPIPERS_RUNTIME_DIR=${WORK_DIR}/names
        ${prefix}/bin/roundpipers list)
    message(STATUS "the installed roundpipers command runs without LD_LIBRARY_PATH")
endif()
if(GRCC)
    # A GRC flowgraph with C++ output, from the installed blocks: generated, configured
    # and built against the prefix (find_package(gnuradio-roundpipers) from the blocks'
    # `packages`), then run to its end.
    run(${CMAKE_COMMAND} -E env GRC_BLOCKS_PATH=${prefix}/share/gnuradio/grc/blocks
        ${GRCC} -o ${WORK_DIR}/grc ${GRC_CPP_FLOWGRAPH})
    get_filename_component(fg ${GRC_CPP_FLOWGRAPH} NAME_WE)
    # Names as they are (no translation rewrote True_rx[0]), a variable by its value.
    file(READ ${WORK_DIR}/grc/${fg}/${fg}.cpp code)
    foreach(expected [[make("True_rx[0]", std::vector<std::size_t>{256}, 64, false)]]
                     [[make("grc_cpp_frames", std::vector<std::size_t>{256}, 64, true)]])
        string(FIND "${code}" "${expected}" at)
        if(at EQUAL -1)
            message(FATAL_ERROR "GRC's C++ output lacks ${expected}:\n${code}")
        endif()
    endforeach()
    run(${CMAKE_COMMAND} -S ${WORK_DIR}/grc/${fg} -B ${WORK_DIR}/grc/${fg}/build
        -DCMAKE_PREFIX_PATH=${prefix})
    run(${CMAKE_COMMAND} --build ${WORK_DIR}/grc/${fg}/build)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env GR_DONT_LOAD_PREFS=1
            ROUNDPIPERS_RUNTIME_DIR=${WORK_DIR}/names ${WORK_DIR}/grc/${fg}/build/${fg}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "the C++ flowgraph from GRC failed (${rc}):\n${out}\n${err}")
    endif()
    message(STATUS "GRC's C++ output of ${fg}.grc built against ${prefix} and ran")
endif()
if(PYTHON)
    # From GNU Radio's Python directory of the prefix only (the build tree is not on the
    # path), as an install to /usr/local is found by /usr/bin/python3; the extension
    # finds the libraries through its RUNPATH.
    execute_process(
        COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${prefix}/${PYTHON_DIR}
            GR_DONT_LOAD_PREFS=1
            ${PYTHON} -c "import numpy
from gnuradio import roundpipers
assert roundpipers.__file__.startswith('${prefix}/${PYTHON_DIR}/'), roundpipers.__file__
p = roundpipers.pipe('installed', 16, (2,), numpy.float32)
r = p.get_reader()
w = p.get_writer()
w.write(numpy.array([[1, 2]], numpy.float32))
assert (r.read(1) == numpy.array([[1, 2]], numpy.float32)).all()
print('installed python package imported from', roundpipers.__file__)"
        WORKING_DIRECTORY ${WORK_DIR} TIMEOUT 120
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "the installed Python package does not import from "
                            "${prefix}/${PYTHON_DIR}:\n${out}\n${err}")
    endif()
    message(STATUS "${out}")
endif()
# The uninstall script with this install's own manifest (install_manifest.txt may list a
# real install of the same tree, which a test must not touch).
run(${CMAKE_COMMAND} -DMANIFEST=${BUILD_DIR}/install_manifest_Unspecified.txt
    -P ${BUILD_DIR}/cmake_uninstall.cmake)
file(GLOB_RECURSE left LIST_DIRECTORIES false ${prefix}/*)
if(left)
    message(FATAL_ERROR "uninstall left files behind: ${left}")
endif()
file(GLOB_RECURSE folders LIST_DIRECTORIES true ${prefix}/*)
list(FILTER folders INCLUDE REGEX "roundpipers[^/]*$")
if(folders)
    message(FATAL_ERROR "uninstall left the project's folders behind: ${folders}")
endif()
message(STATUS "uninstall removed every installed file")
