// Engine: the interpreter or the JIT behind one interface.
#include "runtime/exec/api.hpp"
#include "runtime/interp/interpreter.hpp"
#include "runtime/jit/jit_engine.hpp"

namespace regelwerk {

namespace {

class PreparedEngine final : public Engine {
 public:
  PreparedEngine(std::unique_ptr<Evaluator> evaluator, std::vector<std::unique_ptr<Evaluator>> stages, EngineKind kind,
                 double compile_ms)
      : evaluator_(std::move(evaluator)), stages_(std::move(stages)), kind_(kind), compile_ms_(compile_ms) {}
  const Evaluator& evaluator() const override { return *evaluator_; }
  const Evaluator* stageEvaluator(size_t stage) const override {
    return stage < stages_.size() ? stages_[stage].get() : nullptr;
  }
  EngineKind kind() const override { return kind_; }
  double compileMillis() const override { return compile_ms_; }

 private:
  std::unique_ptr<Evaluator> evaluator_;
  std::vector<std::unique_ptr<Evaluator>> stages_;
  EngineKind kind_;
  double compile_ms_;
};

// One evaluator per program: the rule set's, and for a grouped one each stage's (docs/groups.md).
std::unique_ptr<Evaluator> prepare(const ir::Program& program, EngineKind kind, std::string* error, double* compile_ms) {
  if (kind == EngineKind::Interp) return makeInterpreter(program);
  double millis = 0;
  std::unique_ptr<Evaluator> native = compileJit(program, error, &millis);
  *compile_ms += millis;
  return native;
}

}  // namespace

std::unique_ptr<Engine> Engine::create(const RuleSet& rules, EngineKind kind, std::string* error) {
  double compile_ms = 0;
  std::unique_ptr<Evaluator> main = prepare(rules.program(), kind, error, &compile_ms);
  if (!main) return nullptr;
  std::vector<std::unique_ptr<Evaluator>> stages;
  if (const ir::Grouping* grouping = rules.program().grouping.get()) {
    for (const ir::Program* stage : grouping->stagePrograms()) {
      stages.push_back(prepare(*stage, kind, error, &compile_ms));
      if (!stages.back()) return nullptr;
    }
  }
  return std::make_unique<PreparedEngine>(std::move(main), std::move(stages), kind, compile_ms);
}

std::string dumpLlvm(const RuleSet& rules, std::string* error) { return dumpLlvmIr(rules.program(), error); }

}  // namespace regelwerk
