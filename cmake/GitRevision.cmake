# cmake -DSRC=<source dir> -DOUT=<header> -P GitRevision.cmake
# Writes the source tree's git revision as ESCALATE_GIT_REVISION into OUT,
# only when it changed, so that a build recompiles the one file including it
# only when the revision moved. Outside a git checkout it is "unknown".
execute_process(
  COMMAND git -C "${SRC}" describe --always --dirty --abbrev=12
  OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR rev STREQUAL "")
  set(rev "unknown")
endif()
set(text "#define ESCALATE_GIT_REVISION \"${rev}\"\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
