# Included by core/CMakeLists.txt (the custom command must live where akt_objs is defined).
# The wire contract: remote.proto, compiled by protoc-c at build time into the build tree
# (core/proto/remote.pb-c.{c,h} under the binary dir, included as "proto/remote.pb-c.h").
find_program(AKT_PROTOC_C protoc-c)
if(NOT AKT_PROTOC_C)
  message(FATAL_ERROR "protoc-c not found: install protobuf-c-compiler (remoting's wire "
                      "contract core/proto/remote.proto is compiled at build time)")
endif()
set(AKT_PROTO_OUT ${PROJECT_BINARY_DIR}/generated/proto)
file(MAKE_DIRECTORY ${AKT_PROTO_OUT})
add_custom_command(
  OUTPUT ${AKT_PROTO_OUT}/remote.pb-c.c ${AKT_PROTO_OUT}/remote.pb-c.h
  COMMAND ${AKT_PROTOC_C} --proto_path=${CMAKE_CURRENT_SOURCE_DIR}/proto
          --c_out=${AKT_PROTO_OUT} ${CMAKE_CURRENT_SOURCE_DIR}/proto/remote.proto
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/proto/remote.proto
  COMMENT "protoc-c remote.proto")
set(AKT_PROTO_SOURCES ${AKT_PROTO_OUT}/remote.pb-c.c)
set(AKT_PROTO_INCLUDE ${PROJECT_BINARY_DIR}/generated)
# Generated code: not ours to hold to -Wextra.
set_source_files_properties(${AKT_PROTO_OUT}/remote.pb-c.c PROPERTIES
  GENERATED TRUE COMPILE_OPTIONS "-Wno-unused-parameter;-Wno-missing-field-initializers")
