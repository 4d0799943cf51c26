# Source-tree checks, as ctests. Included at the end of the top-level CMakeLists.txt.
#   format           every C file matches .clang-format (scripts/check_format.sh)    label style
#   layers           core/ includes point down its level table (scripts/check_layers.py)
#   layers_fixtures  check_layers.py itself, against the fake trees in scripts/tests/layers
#   versions         akt.h's AKT_VERSION = CMake's = pip's = npm's = Maven's (check_versions.py)
# They read sources, not build output, so they run in the plain build only (as the abi
# tests): a sanitizer build would only repeat them.
if(AKT_BUILD_TESTS AND NOT AKT_SANITIZE)
  find_program(AKT_PYTHON3 python3 REQUIRED)
  add_test(NAME format
    COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/check_format.sh ${PROJECT_SOURCE_DIR})
  set_tests_properties(format PROPERTIES LABELS style TIMEOUT 300)
  add_test(NAME layers
    COMMAND ${AKT_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/check_layers.py ${PROJECT_SOURCE_DIR}/core)
  add_test(NAME layers_fixtures
    COMMAND ${AKT_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/tests/test_check_layers.py)
  set_tests_properties(layers layers_fixtures PROPERTIES LABELS layers TIMEOUT 60)
  add_test(NAME versions
    COMMAND ${AKT_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/check_versions.py ${PROJECT_SOURCE_DIR})
  set_tests_properties(versions PROPERTIES LABELS style TIMEOUT 60)
endif()
