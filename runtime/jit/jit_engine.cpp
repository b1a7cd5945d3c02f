// The ORC LLJIT session: one module per rule set, the builtins registered as absolute symbols, and
// an Evaluator that keeps the session alive and calls the generated `rules` function.
#include "runtime/jit/jit_engine.hpp"

#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>

#include <chrono>
#include <mutex>
#include <optional>

#include "compiler/codegen/codegen.hpp"
#include "runtime/builtins/builtins.hpp"
#include "runtime/builtins/string_arena.hpp"
#include "runtime/jit/code_cache.hpp"

namespace regelwerk {

namespace {

using RulesFunction = void (*)(const ColumnView*, const ParamSlot*, ColumnView*, RowError*, int64_t, StringArena*);

class JitEvaluator final : public Evaluator {
 public:
  JitEvaluator(std::unique_ptr<llvm::orc::LLJIT> jit, RulesFunction function)
      : jit_(std::move(jit)), function_(function) {}

  // The generated code keeps no state between calls, so concurrent calls need no lock; the strings
  // it concatenates go to the calling thread's arena.
  void evaluate(const ColumnView* inputs, const ParamSlot* params, ColumnView* outputs, RowError* errors,
                int64_t rows) const override {
    if (rows > 0) function_(inputs, params, outputs, errors, rows, &strings_.resetForThisThread());
  }

 private:
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  RulesFunction function_;
  mutable StringArenas strings_;
};

void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

template <typename T>
bool take(llvm::Expected<T>& value, std::string* error, const char* what) {
  if (value) return true;
  if (error)
    *error = std::string(what) + ": " + llvm::toString(value.takeError());
  else
    llvm::consumeError(value.takeError());
  return false;
}

bool take(llvm::Error failure, std::string* error, const char* what) {
  if (!failure) return true;
  if (error)
    *error = std::string(what) + ": " + llvm::toString(std::move(failure));
  else
    llvm::consumeError(std::move(failure));
  return false;
}

// The host, with the fast instruction selector and register allocator for large programs.
std::optional<llvm::orc::JITTargetMachineBuilder> targetFor(const ir::Program& program, std::string* error) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!take(builder, error, "cannot detect the host")) return std::nullopt;
  if (codegen::isLargeProgram(program)) builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::None);
  return std::move(*builder);
}

double millisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Emits and optimises the program's module for the host machine that `builder` describes. Large programs
// (codegen::isLargeProgram) get the short pipeline here and fast instruction selection (targetFor): the
// full O2 and the default selector and register allocator cost about 20 times more on 20,000 rules.
std::unique_ptr<llvm::Module> buildModule(const ir::Program& program, llvm::LLVMContext& context,
                                          llvm::orc::JITTargetMachineBuilder& builder, std::string* error,
                                          JitTimings* timings) {
  auto machine = builder.createTargetMachine();
  if (!take(machine, error, "cannot create the target machine")) return nullptr;
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<llvm::Module> module = codegen::emitModule(program, context, error);
  if (!module) return nullptr;
  timings->emit_ms = millisSince(start);
  start = std::chrono::steady_clock::now();
  bool large = codegen::isLargeProgram(program);
  codegen::optimizeModule(*module, **machine, large ? codegen::Pipeline::Short : codegen::Pipeline::Full);
  timings->optimize_ms = millisSince(start);
  return module;
}

// Maps every kernel of builtins.def to its address in this process, so the JIT never looks
// them up with dlsym.
llvm::Error defineBuiltins(llvm::orc::LLJIT& jit) {
  int count = 0;
  const BuiltinSymbol* symbols = builtinSymbols(&count);
  llvm::orc::SymbolMap map;
  for (int index = 0; index < count; ++index) {
    map[jit.mangleAndIntern(symbols[index].name)] =
        llvm::orc::ExecutorSymbolDef(llvm::orc::ExecutorAddr::fromPtr(symbols[index].address),
                                     llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  }
  return jit.getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(map)));
}

// A JIT session holding `object` (machine code for this host), its builtins defined, and the evaluator
// calling its `rules` function.
std::unique_ptr<Evaluator> loadObject(llvm::orc::JITTargetMachineBuilder& builder, std::string_view object,
                                      std::string* error) {
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(builder).create();
  if (!take(jit, error, "cannot create the JIT")) return nullptr;
  if (!take(defineBuiltins(**jit), error, "cannot define the builtins")) return nullptr;
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(object.data(), object.size()), "rules.o");
  if (!take((*jit)->addObjectFile(std::move(buffer)), error, "cannot add the object code")) return nullptr;
  auto address = (*jit)->lookup(codegen::kRulesFunction);
  if (!take(address, error, "cannot link the rules")) return nullptr;
  return std::make_unique<JitEvaluator>(std::move(*jit), address->toPtr<RulesFunction>());
}

// The module optimised and compiled to an object file for the host.
std::optional<std::string> compileObject(llvm::Module& module, llvm::orc::JITTargetMachineBuilder& builder,
                                         bool large, std::string* error, JitTimings* timings) {
  auto machine = builder.createTargetMachine();
  if (!take(machine, error, "cannot create the target machine")) return std::nullopt;
  auto start = std::chrono::steady_clock::now();
  codegen::optimizeModule(module, **machine, large ? codegen::Pipeline::Short : codegen::Pipeline::Full);
  timings->optimize_ms = millisSince(start);
  start = std::chrono::steady_clock::now();
  auto object = llvm::orc::SimpleCompiler(**machine)(module);
  if (!take(object, error, "cannot compile the rules")) return std::nullopt;
  timings->machine_code_ms = millisSince(start);
  return std::string((*object)->getBuffer());
}

// The cache key of a module as emitted: everything that decides its machine code (code_cache.hpp).
std::string moduleKey(const llvm::Module& module, const llvm::orc::JITTargetMachineBuilder& builder, bool large) {
  return cacheKey({codegen::printModule(module), LLVM_VERSION_STRING, builder.getCPU(),
                   builder.getFeatures().getString(), large ? "short pipeline, fast isel" : "full pipeline",
                   engineBuildId()});
}

// Emits the module; loads its machine code from the cache when an entry is there, else optimises and
// compiles it and stores the object for the next run.
std::unique_ptr<Evaluator> compileWith(const ir::Program& program, std::string* error, JitTimings* timings) {
  auto builder = targetFor(program, error);
  if (!builder) return nullptr;
  llvm::LLVMContext context;
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<llvm::Module> module = codegen::emitModule(program, context, error);
  if (!module) return nullptr;
  timings->emit_ms = millisSince(start);
  const bool large = codegen::isLargeProgram(program);
  const std::optional<std::string> folder = engineBuildId().empty() ? std::nullopt : codeCacheFolder();
  const std::string key = folder ? moduleKey(*module, *builder, large) : "";
  if (folder) {
    if (std::optional<std::string> cached = loadCachedObject(*folder, key)) {
      start = std::chrono::steady_clock::now();
      std::string ignored;  // an entry that does not load is compiled again and replaced
      if (auto evaluator = loadObject(*builder, *cached, &ignored)) {
        timings->load_ms = millisSince(start);
        timings->from_cache = true;
        return evaluator;
      }
    }
  }
  std::optional<std::string> object = compileObject(*module, *builder, large, error, timings);
  if (!object) return nullptr;
  if (folder) storeCachedObject(*folder, key, *object);
  start = std::chrono::steady_clock::now();
  auto evaluator = loadObject(*builder, *object, error);
  timings->load_ms = millisSince(start);
  return evaluator;
}

}  // namespace

std::unique_ptr<Evaluator> compileJitTimed(const ir::Program& program, std::string* error, JitTimings* timings) {
  initializeTargets();
  return compileWith(program, error, timings);
}

std::unique_ptr<Evaluator> compileJit(const ir::Program& program, std::string* error, double* compile_ms) {
  initializeTargets();
  auto start = std::chrono::steady_clock::now();
  JitTimings timings;
  std::unique_ptr<Evaluator> evaluator = compileJitTimed(program, error, &timings);
  if (compile_ms) *compile_ms = millisSince(start);
  return evaluator;
}

std::string dumpLlvmIr(const ir::Program& program, std::string* error) {
  initializeTargets();
  auto builder = targetFor(program, error);
  if (!builder) return "";
  llvm::LLVMContext context;
  JitTimings timings;
  std::unique_ptr<llvm::Module> module = buildModule(program, context, *builder, error, &timings);
  return module ? codegen::printModule(*module) : "";
}

}  // namespace regelwerk

namespace regelwerk {

std::vector<GeneratedFunction> generatedFunctions(const ir::Program& program, std::string* error) {
  initializeTargets();
  auto builder = targetFor(program, error);
  if (!builder) return {};
  llvm::LLVMContext context;
  JitTimings timings;
  std::unique_ptr<llvm::Module> module = buildModule(program, context, *builder, error, &timings);
  std::vector<GeneratedFunction> functions;
  if (!module) return functions;
  for (const llvm::Function& function : *module) {
    if (function.isDeclaration()) continue;
    functions.push_back(GeneratedFunction{function.getName().str(), function.getInstructionCount()});
  }
  return functions;
}

}  // namespace regelwerk
