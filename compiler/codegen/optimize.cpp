// The optimisation pipeline for generated modules (O2 tuned for the host, or a short pipeline for large
// programs) and the --dump=llvm text.
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include "compiler/codegen/codegen.hpp"

namespace regelwerk::codegen {

// Registers instead of allocas, common subexpressions, folded instructions and a clean CFG: the passes
// that matter most for straight-line rule code. O2's value-range and jump-threading passes reason over
// every dominating `code != k` of a long rule chain, which makes them slow on large rule sets.
static llvm::ModulePassManager shortPipeline() {
  llvm::FunctionPassManager functions;
  functions.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
  functions.addPass(llvm::EarlyCSEPass());
  functions.addPass(llvm::InstCombinePass());
  functions.addPass(llvm::SimplifyCFGPass());
  llvm::ModulePassManager pipeline;
  pipeline.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(functions)));
  return pipeline;
}

// Without the host TargetMachine, PassBuilder's cost models assume a generic target and the
// vectorizer and instruction selection choices get worse (TOOLCHAIN.md, pitfall 5).
void optimizeModule(llvm::Module& module, llvm::TargetMachine& machine, Pipeline kind) {
  module.setDataLayout(machine.createDataLayout());
  module.setTargetTriple(machine.getTargetTriple().str());
  for (llvm::Function& function : module) {
    if (function.isDeclaration()) continue;
    function.addFnAttr("target-cpu", machine.getTargetCPU());
    function.addFnAttr("target-features", machine.getTargetFeatureString());
  }
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder passes(&machine);
  passes.registerModuleAnalyses(modules);
  passes.registerCGSCCAnalyses(cgscc);
  passes.registerFunctionAnalyses(functions);
  passes.registerLoopAnalyses(loops);
  passes.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::ModulePassManager pipeline = kind == Pipeline::Full
                                         ? passes.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2)
                                         : shortPipeline();
  pipeline.run(module, modules);
}

std::string printModule(const llvm::Module& module) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  module.print(stream, nullptr);
  return stream.str();
}

}  // namespace regelwerk::codegen
