# cmake -DDAEC=exe -DSRC=NAME.c -DOUT=NAME.dae.c -DREPORT=NAME.report.json
#       -DLOG=NAME.daec.log -DBROKEN=NAME.broken [-DOPTS=a|b] [-DDAEC_ARGS=a|b]
#       -DCC=compiler -DINCLUDE=dir [-DCOPTS=a|b] -P run_daec.cmake
#
# Build step of one corpus file: runs daec on SRC and never fails itself, so
# that one file daec cannot handle does not break the build of the others.
# OPTS are daec's own options (-O1, --marshal=data), DAEC_ARGS the compiler's.
#
#   - daec's exit status, standard output and remarks go to LOG;
#   - if daec fails (or leaves no output / no report), or if its output does
#     not compile (-fsyntax-only with the flags of the drivers), OUT becomes a
#     stand-in: a copy of SRC that also defines corpus_daec_broken(), so the
#     driver builds and fails at once with a clear message; the reason is
#     written to BROKEN, which the expectation test (check_expect.cmake)
#     reports as a failure.  A translation that does not compile is kept as
#     OUT.broken.c for inspection;
#   - REPORT always exists afterwards ({} when daec wrote none).
foreach(v DAEC SRC OUT REPORT LOG BROKEN CC INCLUDE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_daec.cmake: -D${v}=... is missing")
  endif()
endforeach()

file(REMOVE "${OUT}" "${REPORT}" "${LOG}" "${BROKEN}" "${OUT}.broken.c")
# Lists arrive joined with "|" (a ";" would not survive the custom command).
string(REPLACE "|" ";" DAEC_ARGS "${DAEC_ARGS}")
string(REPLACE "|" ";" COPTS "${COPTS}")

string(REPLACE "|" ";" OPTS "${OPTS}")
set(args ${OPTS} "${SRC}" -o "${OUT}" "--report=${REPORT}")
if(DAEC_ARGS)
  list(APPEND args -- ${DAEC_ARGS})
endif()
execute_process(
  COMMAND "${DAEC}" ${args}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 120)
string(REPLACE ";" " " shown "${args}")
file(WRITE "${LOG}" "daec ${shown}\nexit status: ${rc}\n--- standard output\n${out}--- standard error\n${err}")

set(broken "")
if(NOT rc STREQUAL "0")
  set(broken "daec failed (exit status ${rc})")
elseif(NOT EXISTS "${OUT}")
  set(broken "daec exited 0 but wrote no output file")
elseif(NOT EXISTS "${REPORT}")
  set(broken "daec exited 0 but wrote no report")
else()
  execute_process(
    COMMAND "${CC}" -std=gnu11 -fsyntax-only "-I${INCLUDE}" ${COPTS} "${OUT}"
    RESULT_VARIABLE crc
    OUTPUT_VARIABLE cout
    ERROR_VARIABLE cerr
    TIMEOUT 120)
  if(NOT crc STREQUAL "0")
    set(broken "daec's output does not compile")
    string(REPLACE ";" " " shown_copts "${COPTS}")
    file(APPEND "${LOG}" "--- ${CC} -std=gnu11 -fsyntax-only -I${INCLUDE} ${shown_copts} ${OUT}\n${cout}${cerr}")
    file(RENAME "${OUT}" "${OUT}.broken.c")
  endif()
endif()

if(broken)
  file(APPEND "${LOG}" "--- corpus: ${broken}; the translation was replaced by a stand-in\n")
  file(WRITE "${BROKEN}" "${broken} (see ${LOG})\n")
  file(REMOVE "${OUT}")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E copy "${SRC}" "${OUT}")
  file(APPEND "${OUT}"
       "\n/* corpus stand-in: ${broken}; this is a copy of the original. */\n"
       "const char *corpus_daec_broken(void);\n"
       "const char *corpus_daec_broken(void)\n{\n"
       "\treturn \"${broken}: see the .daec.log file next to the translation\";\n}\n")
  if(NOT EXISTS "${REPORT}")
    file(WRITE "${REPORT}" "{}\n")
  endif()
  message(STATUS "corpus: ${SRC}: ${broken}")
endif()
