// Engine: the interpreter or the JIT behind one interface.
#include "regelwerk/regelwerk.hpp"
#include "runtime/interp/interpreter.hpp"
#include "runtime/jit/jit_engine.hpp"

namespace regelwerk {

namespace {

class PreparedEngine final : public Engine {
 public:
  PreparedEngine(std::unique_ptr<Evaluator> evaluator, EngineKind kind, double compile_ms)
      : evaluator_(std::move(evaluator)), kind_(kind), compile_ms_(compile_ms) {}
  const Evaluator& evaluator() const override { return *evaluator_; }
  EngineKind kind() const override { return kind_; }
  double compileMillis() const override { return compile_ms_; }

 private:
  std::unique_ptr<Evaluator> evaluator_;
  EngineKind kind_;
  double compile_ms_;
};

}  // namespace

std::unique_ptr<Engine> Engine::create(const RuleSet& rules, EngineKind kind, std::string* error) {
  if (kind == EngineKind::Interp) {
    return std::make_unique<PreparedEngine>(makeInterpreter(rules.program()), kind, 0.0);
  }
  double compile_ms = 0;
  std::unique_ptr<Evaluator> native = compileJit(rules.program(), error, &compile_ms);
  if (!native) return nullptr;
  return std::make_unique<PreparedEngine>(std::move(native), kind, compile_ms);
}

std::string dumpLlvm(const RuleSet& rules, std::string* error) { return dumpLlvmIr(rules.program(), error); }

}  // namespace regelwerk
