# Package config of the GNU Radio layer: find_package(gnuradio-roundpipers) gives
# gnuradio::gnuradio-roundpipers (which links roundpipers::core).
include(CMakeFindDependencyMacro)
find_dependency(Gnuradio "3.10" COMPONENTS runtime)
find_dependency(roundpipers)
include("${CMAKE_CURRENT_LIST_DIR}/gnuradio-roundpipersTargets.cmake")
