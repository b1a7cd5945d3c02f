// The LLVM ORC JIT engine: compiles an ir::Program to native code behind the Evaluator interface.
// No LLVM type appears here; everything LLVM lives in jit_engine.cpp and compiler/codegen.
#pragma once

#include <memory>
#include <string>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/evaluator.hpp"

namespace regelwerk {

// Compiles `program` (one LLVM module, O2 for the host CPU) into an Evaluator that owns the JIT
// session. Returns null and sets *error on failure. *compile_ms (if given) receives the wall time
// from IR to callable code. The Evaluator may be used from several threads at once. String outputs
// that come from string constants point into the Evaluator's memory: keep it alive while they are read.
std::unique_ptr<Evaluator> compileJit(const ir::Program& program, std::string* error, double* compile_ms = nullptr);

// The optimised LLVM IR the JIT would run, for --dump=llvm. "" and *error on failure.
std::string dumpLlvmIr(const ir::Program& program, std::string* error);

}  // namespace regelwerk
