# Debian packages of akt with CPack: `cpack -G DEB` in a build dir (or `make packages`) gives
#   libakt0     the shared library (component runtime), its dependencies found by
#               dpkg-shlibdeps, so `apt install ./libakt0_*.deb` pulls libuv1 and the rest;
#   libakt-dev  the headers, the CMake package and akt.pc (component dev), depending on the
#               libakt0 of the same version.
# Included after cmake/install.cmake, which puts every installed file in one of the two.
set(CPACK_PACKAGE_NAME akt)
set(CPACK_PACKAGE_VENDOR "akt")
set(CPACK_PACKAGE_CONTACT "akt maintainers <akt@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "actor runtime with a stable C ABI")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/akt-runtime/akt")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libakt${PROJECT_VERSION_MAJOR})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "akt actor runtime: the shared library\n Actors, supervision, timers, routers, streams and remoting over one C ABI.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libakt-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libakt${PROJECT_VERSION_MAJOR} (= ${PROJECT_VERSION})")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "akt actor runtime: headers, CMake package and pkg-config file")

include(CPack)
