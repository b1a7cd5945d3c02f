// IR -> LLVM IR: the only compiler code that links LLVM. Emits one `rules` function per program (and,
// for large programs, the chunk functions it calls: chunk_plan.hpp).
//
// The generated function has the C signature
//   void rules(const ColumnView* inputs, const ParamSlot* params, ColumnView* outputs, RowError* errors,
//              int64_t rows);
// and evaluates the program (ir.hpp) once per row in a loop: column base pointers and parameters are
// loaded once before the loop; every row writes its outputs (values, and validity bytes for optional
// outputs) and errors[row] = {0, 0, -1, -1}, or only errors[row] = {code, site, rule_a, rule_b} for the
// first error of the row. Only LLVM forward declarations appear here; the JIT includes the rest.
#pragma once

#include <memory>
#include <string>

#include "compiler/ir/ir.hpp"

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
}  // namespace llvm

namespace regelwerk::codegen {

// Name of the generated entry point in the module.
inline constexpr const char* kRulesFunction = "rules";

// Builds the unoptimised module for `program` in `context`. Returns null and sets *error when the
// program cannot be compiled (malformed IR that verify() would reject, or a limit exceeded).
std::unique_ptr<llvm::Module> emitModule(const ir::Program& program, llvm::LLVMContext& context, std::string* error);

// Full: the O2 pipeline, for the programs that stay in one function. Short: SROA, EarlyCSE, InstCombine
// and SimplifyCFG on each function, for large programs (chunk_plan.hpp), whose compile time must stay
// linear in the number of rules and which the JIT also gives to the fast instruction selector.
enum class Pipeline { Full, Short };

// True if `program` is large enough for out-of-line decision chunks, the Short pipeline and fast
// instruction selection (chunk_plan.hpp, docs/architecture.md).
bool isLargeProgram(const ir::Program& program);

// True if `program`'s `rules` function begins with the speculative pass: a branch-free loop over the
// batch that the vectoriser compiles to SIMD code, after which the scalar loop evaluates only the rows
// it marked (emit_speculative.cpp, docs/architecture.md).
bool usesSpeculativePass(const ir::Program& program);

// Runs `kind` tuned for `machine` (the host): sets the module's data layout and triple so the
// vectorizer and cost models see the real target.
void optimizeModule(llvm::Module& module, llvm::TargetMachine& machine, Pipeline kind = Pipeline::Full);

// Textual LLVM IR of `module`, for --dump=llvm.
std::string printModule(const llvm::Module& module);

}  // namespace regelwerk::codegen
