# mrcae_add_test(NAME <name> SOURCES <files...> LIBS <targets...> LABELS <labels...> [TIMEOUT <s>] [XVFB])
#
# One Qt Test executable registered with CTest. Every test gets labels and a timeout, and the source and
# baseline folders as compile definitions, so that no test depends on the working directory.
# XVFB marks tests that need an X display (VTK is GLX-only on Debian); they run under xvfb-run when
# no DISPLAY is set.
function(mrcae_add_test)
  cmake_parse_arguments(T "XVFB" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
  target_compile_definitions(${T_NAME} PRIVATE
    TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/data"
    TEST_BASELINE_DIR="${CMAKE_SOURCE_DIR}/tests/baselines"
    TEST_OUTPUT_DIR="${CMAKE_BINARY_DIR}/Testing/Temporary")
  set_target_properties(${T_NAME} PROPERTIES AUTOMOC ON)
  if(T_XVFB)
    add_test(NAME ${T_NAME} COMMAND ${CMAKE_SOURCE_DIR}/cmake/with-display.sh $<TARGET_FILE:${T_NAME}>)
  else()
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1")
endfunction()

# mrcae_add_plain_test(NAME <name> SOURCES <files...> LIBS <targets...> LABELS <labels...> [TIMEOUT <s>]
#                      [SKIP_RETURN_CODE <code>])
#
# A test executable without Qt (plain C++ checks, tests/device/Check.h), registered with CTest in every
# configuration, so that it also runs where there is no Qt: the GPU machine builds with MRCAE_BUILD_GUI=OFF and
# has no Qt Test. SKIP_RETURN_CODE: the exit code that CTest shows as "skipped" (77 when no CUDA device).
function(mrcae_add_plain_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT;SKIP_RETURN_CODE" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS})
  target_compile_definitions(${T_NAME} PRIVATE
    TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/data"
    TEST_OUTPUT_DIR="${CMAKE_BINARY_DIR}/Testing/Temporary")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1")
  if(T_SKIP_RETURN_CODE)
    set_tests_properties(${T_NAME} PROPERTIES SKIP_RETURN_CODE ${T_SKIP_RETURN_CODE})
  endif()
endfunction()
