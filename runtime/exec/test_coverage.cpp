// CoverageEngine: the interpreter's evaluation, then one trace per accepted row.
#include "test_coverage.hpp"

#include <algorithm>

#include "runtime/interp/interpreter.hpp"

namespace regelwerk {

// Evaluates as the wrapped evaluator does, then traces each accepted row and notes the rules that won.
class CoverageEngine::Tracing : public Evaluator {
 public:
  Tracing(const CoverageEngine& owner, const ir::Program& program, const Evaluator& inner)
      : owner_(&owner), program_(&program), inner_(&inner) {}

  void evaluate(const ColumnView* inputs, const ParamSlot* params, ColumnView* outputs, RowError* errors,
                int64_t rows) const override {
    inner_->evaluate(inputs, params, outputs, errors, rows);
    for (int64_t row = 0; row < rows; ++row) {
      if (errors[row].code != 0) continue;
      const RowTrace trace = traceRow(*program_, inputs, params, row);
      for (size_t block = 0; block < trace.decisions.size(); ++block)
        for (size_t rule = 0; rule < trace.decisions[block].size(); ++rule)
          if (trace.decisions[block][rule].outcome == RuleOutcome::Won)
            owner_->note(&program_->decisions[block].rules[rule]);
    }
  }

 private:
  const CoverageEngine* owner_;
  const ir::Program* program_;
  const Evaluator* inner_;
};

CoverageEngine::CoverageEngine(const ir::Program& program, const Engine& inner) : inner_(&inner) {
  main_ = std::make_unique<Tracing>(*this, program, inner.evaluator());
  if (!program.grouping) return;
  const std::vector<const ir::Program*> stages = program.grouping->stagePrograms();
  for (size_t stage = 0; stage < stages.size(); ++stage)
    stages_.push_back(std::make_unique<Tracing>(*this, *stages[stage], *inner.stageEvaluator(stage)));
}

CoverageEngine::~CoverageEngine() = default;

const Evaluator& CoverageEngine::evaluator() const { return *main_; }

const Evaluator* CoverageEngine::stageEvaluator(size_t stage) const {
  return stage < stages_.size() ? stages_[stage].get() : nullptr;
}

void CoverageEngine::note(const ir::Rule* rule) const {
  std::lock_guard<std::mutex> lock(mutex_);
  won_.insert(rule);
}

std::vector<RuleCoverage> CoverageEngine::coverage(const RuleSet& rules) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ruleCoverage(rules, won_);
}

std::vector<RuleCoverage> ruleCoverage(const RuleSet& rules, const std::set<const ir::Rule*>& won) {
  const ir::Program& main = rules.program();
  std::vector<const ir::Program*> programs{&main};
  if (main.grouping) {
    const std::vector<const ir::Program*> stages = main.grouping->stagePrograms();
    programs.insert(programs.end(), stages.begin(), stages.end());
  }
  const std::vector<std::string> files = rules.files();
  std::vector<RuleCoverage> out;
  for (const ir::Program* program : programs)
    for (const ir::Decision& decision : program->decisions)
      for (const ir::Rule& rule : decision.rules) {
        const uint32_t file = rule.loc.file;
        out.push_back(RuleCoverage{file >= 1 && file <= files.size() ? files[file - 1] : rules.path(), rule.loc.line,
                                   rule.name, decision.loc.line, won.count(&rule) > 0, rule.table_row});
      }
  std::sort(out.begin(), out.end(), [](const RuleCoverage& a, const RuleCoverage& b) {
    return std::tie(a.file, a.line, a.rule) < std::tie(b.file, b.line, b.rule);
  });
  return out;
}

}  // namespace regelwerk
