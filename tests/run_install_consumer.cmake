# Installs the build tree into a temporary prefix, then configures, builds and runs a
# tiny project that uses find_package(roundpipers) and links roundpipers::core; then
# uninstalls with the build's uninstall script and checks that no file is left.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component Unspecified)
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
message(STATUS "consumer built against ${prefix} and ran")
# The uninstall script with this install's own manifest (install_manifest.txt may list a
# real install of the same tree, which a test must not touch).
run(${CMAKE_COMMAND} -DMANIFEST=${BUILD_DIR}/install_manifest_Unspecified.txt
    -P ${BUILD_DIR}/cmake_uninstall.cmake)
file(GLOB_RECURSE left LIST_DIRECTORIES false ${prefix}/*)
if(left)
    message(FATAL_ERROR "uninstall left files behind: ${left}")
endif()
message(STATUS "uninstall removed every installed file")
