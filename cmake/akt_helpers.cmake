# Helpers every folder of the tree uses (nng's nng_sources/nng_test pattern):
#   akt_sources(file ...)          adds files of the calling folder to libakt
#   akt_test(NAME SOURCE [STATIC] [TIMEOUT s] [TOGETHER test ...])
#       a cmocka suite; every test in it becomes its own ctest entry <NAME>.<test>, run in
#       its own process, so one crash names one test. STATIC links the white-box archive.
#       TOGETHER names tests that check what the suite's other tests did in the same
#       process (test_badinput's coverage check): they run only in one more entry,
#       <NAME>.all, which runs the whole suite.
# A suite's tests are the names in the entries of its test table (`TU_TEST(test_x)`,
# `ACTOR_TEST(test_x)`, ...), read from the source at configure time; tu.c's constructor runs only the one named by
# AKT_TEST_FILTER. A filter that matches nothing fails (no test may pass by running nothing).

function(akt_sources)
  foreach(f IN LISTS ARGN)
    set_property(GLOBAL APPEND PROPERTY AKT_CORE_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${f})
  endforeach()
endfunction()

# Sanitizer runtimes: fail on the first report so ctest names the test.
set(AKT_TEST_ENV
  "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1"
  "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
  "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1")

function(akt_test name source)
  cmake_parse_arguments(T "STATIC" "TIMEOUT" "TOGETHER" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${name} ${source})
  if(T_STATIC)
    target_link_libraries(${name} PRIVATE akt_static_test_support)
    set_target_properties(${name} PROPERTIES ENABLE_EXPORTS ON) # named backtraces
  else()
    target_link_libraries(${name} PRIVATE akt_test_support)
  endif()
  # Every table entry, however many a line holds (clang-format packs short ones), and every
  # test function: a function missing from the list is an error, never a silent skip.
  file(READ ${source} text)
  string(REGEX MATCHALL "[A-Z_]+TEST\\(test_[a-z0-9_]+\\)" entries "${text}")
  string(REGEX MATCHALL "static void test_[a-z0-9_]+\\(void \\*\\*" defined "${text}")
  set(tests "")
  foreach(entry IN LISTS entries)
    string(REGEX REPLACE ".*\\((test_[a-z0-9_]+)\\)" "\\1" test "${entry}")
    list(APPEND tests ${test})
  endforeach()
  list(REMOVE_DUPLICATES tests)
  foreach(def IN LISTS defined)
    string(REGEX REPLACE "static void (test_[a-z0-9_]+).*" "\\1" test "${def}")
    if(NOT test IN_LIST tests)
      message(FATAL_ERROR "${source}: ${test} is not in the suite's test table")
    endif()
  endforeach()
  set(count 0)
  foreach(test IN LISTS tests)
    math(EXPR count "${count} + 1")
    if(test IN_LIST T_TOGETHER)
      continue()
    endif()
    add_test(NAME ${name}.${test} COMMAND ${name})
    set_tests_properties(${name}.${test} PROPERTIES
      TIMEOUT ${T_TIMEOUT}
      ENVIRONMENT "${AKT_TEST_ENV};AKT_TEST_FILTER=${test}"
      FAIL_REGULAR_EXPRESSION "\\] 0 test\\(s\\) run"
      LABELS core)
  endforeach()
  if(T_TOGETHER)
    add_test(NAME ${name}.all COMMAND ${name})
    set_tests_properties(${name}.all PROPERTIES
      TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${AKT_TEST_ENV}" LABELS core)
  endif()
  if(count EQUAL 0)
    message(FATAL_ERROR "${source}: no test table entries (`X_TEST(test_name)`) found")
  endif()
endfunction()
