# Writes OUT: an X-macro list AKT_API_FUNC(name) of every function the public header
# declares with AKT_API. test_badinput checks each of them is covered, so a function added
# to akt.h without a bad-input test makes that suite fail.
# Usage: cmake -DHEADER=akt.h -DOUT=akt_api_list.h -P gen_api_list.cmake
# HEADER may be a list (separated by ','): every public header, akt.h and its siblings.
string(REPLACE "," ";" headers "${HEADER}")
set(text "")
foreach(h IN LISTS headers)
  file(READ "${h}" one)
  string(APPEND text "\n${one}")
endforeach()
# Declarations may span lines; '(' ends the return type, so "#define AKT_API __attr__((..."
# never matches (no akt_ name directly before a '(').
string(REGEX MATCHALL "AKT_API[^;(#]*[ *](akt_[a-z0-9_]+)[ ]*\\(" decls "${text}")
set(body "/* Generated from ${HEADER} by gen_api_list.cmake; do not edit. */\n")
set(count 0)
foreach(d IN LISTS decls)
  string(REGEX REPLACE ".*[ *](akt_[a-z0-9_]+)[ ]*\\($" "\\1" name "${d}")
  string(APPEND body "AKT_API_FUNC(${name})\n")
  math(EXPR count "${count} + 1")
endforeach()
# Cross-check the regex: every line that starts with AKT_API is one declaration.
string(REGEX MATCHALL "\nAKT_API " lines "${text}")
list(LENGTH lines line_count)
string(APPEND body "#define AKT_API_FUNC_COUNT ${count}\n#define AKT_API_LINE_COUNT ${line_count}\n")
if(count LESS 10)
  message(FATAL_ERROR "gen_api_list: only ${count} AKT_API functions found in ${HEADER}")
endif()
# Rewrite only on change so dependants are not rebuilt needlessly.
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL body)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${body}")
