# Makes the generated lexer's and parser's one-time set-up lazy. ANTLR 4.7.2 writes it as a static
# object (`X::Initializer X::_init;`) that deserializes the grammar's ATN at program start, in every
# process that links the parser: a few milliseconds of `regelwerk --help` that never parses anything.
# Here the object moves into the constructor as a function-local static, built on the first parse
# (thread-safe by C++ rules). Run as `cmake -DFILE=RegelwerkParser.cpp -DCLASS=RegelwerkParser -P …`.
file(READ "${FILE}" text)
set(eager "${CLASS}::Initializer ${CLASS}::_init;")
string(FIND "${text}" "${eager}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FILE}: `${eager}` not found; the ANTLR tool's output changed, see ${CMAKE_CURRENT_LIST_FILE}")
endif()
string(REPLACE "${eager}" "// ${CLASS}::_init: built on first use in the constructor (cmake/antlr_lazy_init.cmake)." text "${text}")
string(REGEX MATCH "${CLASS}::${CLASS}\\([A-Za-z]+ \\*input\\) : [A-Za-z]+\\(input\\) {" ctor "${text}")
if(ctor STREQUAL "")
  message(FATAL_ERROR "${FILE}: the constructor of ${CLASS} not found; see ${CMAKE_CURRENT_LIST_FILE}")
endif()
string(REPLACE "${ctor}" "${ctor}\n  static Initializer lazy_init;\n  (void)lazy_init;" text "${text}")
file(WRITE "${FILE}" "${text}")
