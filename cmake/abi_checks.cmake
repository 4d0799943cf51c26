# ABI checks of libakt.so, as ctests (labels: abi). Included at the end of the top-level
# CMakeLists.txt, after core/ defined the `akt` target.
#   abi_exports   only akt_* symbols, exactly the header's AKT_API functions, right SONAME
#   abi_baseline  abidiff against abi/baseline/ (public types only); see abi/check_baseline.sh
# They check the shipped artifact, so they run in the plain build only: sanitizer builds
# instrument the same sources and would only repeat them.
#
# abidiff reads the ABI (types, struct layouts) from DWARF, so libakt.so carries debug info
# in every build type, Release and MinSizeRel included, not only RelWithDebInfo and Debug:
# the test then judges the very library that ships. With GCC, -g never changes the code it
# generates (a difference is a compiler bug; -fcompare-debug tests it), only adds .debug_*
# sections, which `strip` or `cmake --install --strip` removes.
target_compile_options(akt_objs PRIVATE -g)
if(AKT_BUILD_TESTS AND NOT AKT_SANITIZE)
  add_test(NAME abi_exports
    COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER}
            bash ${PROJECT_SOURCE_DIR}/abi/check_exports.sh $<TARGET_FILE:akt>)
  add_test(NAME abi_baseline
    COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER}
            bash ${PROJECT_SOURCE_DIR}/abi/check_baseline.sh $<TARGET_FILE:akt>)
  set_tests_properties(abi_exports abi_baseline PROPERTIES LABELS abi TIMEOUT 120)
endif()
