# cmake -DSOURCE=NAME.c -DREPORT=NAME.report.json -DOUTPUT=NAME.dae.c
#       -DBROKEN=NAME.broken [-DLOG=NAME.daec.log] -P check_expect.cmake
#
# The ctest corpus.expect.FAMILY.NAME: checks daec's report (and output) for
# one corpus file against its "// daec-expect:" lines (see expect_lib.cmake
# and README.md). Prints one PASS/FAIL line per expectation and fails if any
# expectation fails, if daec failed on the file or its output does not
# compile, if the report lists a function with loops that has no expectation,
# or if a file whose functions are all expected to be declined was not left
# byte for byte.
cmake_minimum_required(VERSION 3.20)
foreach(v SOURCE REPORT OUTPUT BROKEN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "usage: cmake -DSOURCE=... -DREPORT=... -DOUTPUT=... -DBROKEN=... -P check_expect.cmake")
  endif()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/expect_lib.cmake")

corpus_check("${SOURCE}" "${REPORT}" "${OUTPUT}" "${BROKEN}" results nfail nexp)
foreach(item IN LISTS results)
  string(REPLACE "\t" ";" f "${item}")
  list(GET f 0 verdict)
  list(GET f 1 fn)
  list(GET f 2 expected)
  list(LENGTH f n)
  set(actual "")
  if(n GREATER 3)
    list(GET f 3 actual)
  endif()
  message("${verdict}  ${fn}: expected ${expected}; daec: ${actual}")
endforeach()
if(nfail GREATER 0)
  if(DEFINED LOG AND EXISTS "${LOG}")
    file(READ "${LOG}" log)
    message("--- ${LOG}\n${log}")
  endif()
  message(FATAL_ERROR "${SOURCE}: ${nfail} expectation check(s) failed")
endif()
message("${SOURCE}: all ${nexp} expectation(s) hold")
