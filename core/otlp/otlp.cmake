# Included at the end of core/CMakeLists.txt: the OTLP/HTTP exporter (core/otlp/), its
# protobuf-c types and libcurl.
# The opentelemetry-proto files it needs are vendored verbatim under proto/ (with their
# LICENSE). protoc-c 1.4 does not take proto3 `optional` (metrics.proto's histogram
# fields, which akt never sends), so the build compiles a copy with the keyword removed:
# the same wire format for every field akt writes.
pkg_check_modules(AKT_CURL REQUIRED IMPORTED_TARGET libcurl)
set(AKT_OTLP_PROTOS common/v1/common resource/v1/resource trace/v1/trace metrics/v1/metrics)
set(AKT_OTLP_SRC ${CMAKE_CURRENT_SOURCE_DIR}/otlp/proto)
set(AKT_OTLP_COPY ${PROJECT_BINARY_DIR}/generated/otlp-proto)
set(AKT_OTLP_OUT ${PROJECT_BINARY_DIR}/generated/otlp)
set(AKT_OTLP_GEN "")
set(AKT_OTLP_INPUTS "")
foreach(p IN LISTS AKT_OTLP_PROTOS)
  set(src ${AKT_OTLP_SRC}/opentelemetry/proto/${p}.proto)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  file(READ ${src} text)
  string(REGEX REPLACE "\n([ \t]*)optional " "\n\\1" text "${text}")
  file(WRITE ${AKT_OTLP_COPY}/opentelemetry/proto/${p}.proto.new "${text}")
  file(COPY_FILE ${AKT_OTLP_COPY}/opentelemetry/proto/${p}.proto.new
       ${AKT_OTLP_COPY}/opentelemetry/proto/${p}.proto ONLY_IF_DIFFERENT)
  list(APPEND AKT_OTLP_INPUTS ${AKT_OTLP_COPY}/opentelemetry/proto/${p}.proto)
  list(APPEND AKT_OTLP_GEN ${AKT_OTLP_OUT}/opentelemetry/proto/${p}.pb-c.c
       ${AKT_OTLP_OUT}/opentelemetry/proto/${p}.pb-c.h)
endforeach()
file(MAKE_DIRECTORY ${AKT_OTLP_OUT})
add_custom_command(
  OUTPUT ${AKT_OTLP_GEN}
  COMMAND ${AKT_PROTOC_C} --proto_path=${AKT_OTLP_COPY} --c_out=${AKT_OTLP_OUT}
          ${AKT_OTLP_INPUTS}
  DEPENDS ${AKT_OTLP_INPUTS}
  COMMENT "protoc-c opentelemetry-proto (common, resource, trace, metrics)")
set(AKT_OTLP_C ${AKT_OTLP_GEN})
list(FILTER AKT_OTLP_C INCLUDE REGEX "\\.c$")
set_source_files_properties(${AKT_OTLP_C} PROPERTIES
  GENERATED TRUE COMPILE_OPTIONS "-Wno-unused-parameter;-Wno-missing-field-initializers")

get_property(AKT_OTLP_BEFORE GLOBAL PROPERTY AKT_CORE_SOURCES)
add_subdirectory(otlp)
get_property(AKT_OTLP_SOURCES GLOBAL PROPERTY AKT_CORE_SOURCES)
list(REMOVE_ITEM AKT_OTLP_SOURCES ${AKT_OTLP_BEFORE})
target_sources(akt_objs PRIVATE ${AKT_OTLP_SOURCES} ${AKT_OTLP_C})
target_include_directories(akt_objs PRIVATE ${AKT_OTLP_OUT})
target_link_libraries(akt_objs PRIVATE PkgConfig::AKT_CURL)
target_link_libraries(akt PRIVATE PkgConfig::AKT_CURL)
target_link_libraries(akt_static PUBLIC PkgConfig::AKT_CURL)
