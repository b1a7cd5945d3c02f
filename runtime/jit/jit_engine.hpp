// The LLVM ORC JIT engine: compiles an ir::Program to native code behind the Evaluator interface.
// No LLVM type appears here; everything LLVM lives in jit_engine.cpp and compiler/codegen.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/evaluator.hpp"

namespace regelwerk {

// Compiles `program` (one LLVM module, O2 for the host CPU) into an Evaluator that owns the JIT
// session. Returns null and sets *error on failure. *compile_ms (if given) receives the wall time
// from IR to callable code. The Evaluator may be used from several threads at once. String outputs
// that come from string constants point into the Evaluator's memory: keep it alive while they are read.
std::unique_ptr<Evaluator> compileJit(const ir::Program& program, std::string* error, double* compile_ms = nullptr);

// Where the JIT's compile time goes, for bench/bench_compile_scaling: building the LLVM module from the IR
// (with the IR and LLVM verifiers), the O2 pipeline, and machine code (instruction selection, register
// allocation, linking).
struct JitTimings {
  double emit_ms = 0;
  double optimize_ms = 0;      // 0 when the machine code came from the cache
  double machine_code_ms = 0;  // 0 when the machine code came from the cache
  double load_ms = 0;          // linking the object code into the session
  bool from_cache = false;     // the compiled-code cache had it (runtime/jit/code_cache.hpp)
};

// compileJit, and the time of each phase in *timings.
std::unique_ptr<Evaluator> compileJitTimed(const ir::Program& program, std::string* error, JitTimings* timings);

// One function of the module the JIT builds, after optimisation, with its number of LLVM instructions.
struct GeneratedFunction {
  std::string name;
  size_t instructions = 0;
};

// The functions (not declarations) of the optimised module for `program`, in module order: `rules` and,
// for large programs, its decision chunks (compiler/codegen/chunk_plan.hpp). For tests of the module's
// shape; empty and *error on failure.
std::vector<GeneratedFunction> generatedFunctions(const ir::Program& program, std::string* error);

// The optimised LLVM IR the JIT would run, for --dump=llvm. "" and *error on failure.
std::string dumpLlvmIr(const ir::Program& program, std::string* error);

}  // namespace regelwerk
