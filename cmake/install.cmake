# Installation of akt: the public header, libakt.so (SONAME libakt.so.<major>), the CMake
# package (find_package(akt) -> akt::akt) and the pkg-config file akt.pc.
# Included at the end of the top-level CMakeLists.txt, after core/ defined the `akt` target.
# Only the shared library is installed: akt_static keeps every internal symbol for white-box
# tests and is not part of the product.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(AKT_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/akt)

install(TARGETS akt EXPORT aktTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
# (The include directory reaches akt::akt through core's $<INSTALL_INTERFACE:include>.)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/abi/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  FILES_MATCHING PATTERN "*.h")

install(EXPORT aktTargets NAMESPACE akt:: FILE aktTargets.cmake
  DESTINATION ${AKT_CMAKE_INSTALL_DIR} COMPONENT dev)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/aktConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/aktConfig.cmake
  INSTALL_DESTINATION ${AKT_CMAKE_INSTALL_DIR})
# 0.x releases share SOVERSION 0, so "same major" is also what the loader enforces.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/aktConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/aktConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/aktConfigVersion.cmake
  DESTINATION ${AKT_CMAKE_INSTALL_DIR} COMPONENT dev)

# akt.pc. Paths are relative to the .pc file (${pcfiledir}) so the same file works after
# DESTDIR staging or `cmake --install --prefix`, which the install_consumer test uses.
set(_akt_pcdir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(AKT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(AKT_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(AKT_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH _akt_up /x/${_akt_pcdir} /x)
  string(REGEX REPLACE "/$" "" _akt_up "${_akt_up}")
  set(AKT_PC_PREFIX "\${pcfiledir}/${_akt_up}")
  set(AKT_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(AKT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()

# No Requires.private: only the shared library is installed, which links its own
# dependencies, so a consumer (and `apt install libakt-dev`) needs none of their -dev files.
configure_file(${PROJECT_SOURCE_DIR}/abi/akt.pc.in ${CMAKE_CURRENT_BINARY_DIR}/akt.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/akt.pc DESTINATION ${_akt_pcdir} COMPONENT dev)

# The installed package, used from outside, as a test. It installs the whole build tree
# into a temporary prefix, so it is registered only for the plain (unsanitized) build:
# an ASan/TSan libakt cannot be loaded by an uninstrumented consumer.
if(AKT_BUILD_TESTS AND NOT AKT_SANITIZE)
  add_test(NAME install_consumer
    COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER} CMAKE_GENERATOR=${CMAKE_GENERATOR}
            bash ${PROJECT_SOURCE_DIR}/abi/check_install.sh ${CMAKE_BINARY_DIR} ${PROJECT_VERSION})
  set_tests_properties(install_consumer PROPERTIES LABELS "abi;install" TIMEOUT 300)
endif()
