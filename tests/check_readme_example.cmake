# Fails unless README.md contains examples/quick_start.cc verbatim (so the README's
# C++ quick start is the code the test suite compiles and runs).
file(READ ${README} readme)
file(READ ${EXAMPLE} example)
string(FIND "${readme}" "${example}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "README.md does not contain ${EXAMPLE} verbatim")
endif()
message(STATUS "README.md contains ${EXAMPLE}")
