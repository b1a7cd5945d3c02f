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
      const RowError& error = errors[row];
      if (error.code == static_cast<int32_t>(ir::ErrorCode::Rejected) && error.site > 0 &&
          static_cast<size_t>(error.site) < program_->sites.size()) {
        owner_->noteReject(&program_->sites[static_cast<size_t>(error.site)]);
      }
      if (error.code != 0) continue;
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

void CoverageEngine::noteReject(const ir::Site* site) const {
  std::lock_guard<std::mutex> lock(mutex_);
  rejected_.insert(site);
}

std::vector<RuleCoverage> CoverageEngine::coverage(const RuleSet& rules) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ruleCoverage(rules, won_, rejected_);
}

std::vector<RuleCoverage> ruleCoverage(const RuleSet& rules, const std::set<const ir::Rule*>& won,
                                       const std::set<const ir::Site*>& rejected) {
  const ir::Program& main = rules.program();
  std::vector<const ir::Program*> programs{&main};
  if (main.grouping) {
    const std::vector<const ir::Program*> stages = main.grouping->stagePrograms();
    programs.insert(programs.end(), stages.begin(), stages.end());
  }
  const std::vector<std::string> files = rules.files();
  auto fileOf = [&](const Location& loc) { return loc.file >= 1 && loc.file <= files.size() ? files[loc.file - 1] : rules.path(); };
  std::vector<RuleCoverage> out;
  for (const ir::Program* program : programs) {
    for (const ir::Decision& decision : program->decisions)
      for (const ir::Rule& rule : decision.rules) {
        out.push_back(RuleCoverage{fileOf(rule.loc), rule.loc.line, rule.name, decision.loc.line, won.count(&rule) > 0,
                                   rule.table_row, ""});
      }
    // A `reject` line is the one kind of site with a reason; a stage program that evaluates the same
    // line again (a group let in an each program) has a site of its own, merged by file and line.
    for (const ir::Site& site : program->sites) {
      if (site.reason.empty()) continue;
      out.push_back(RuleCoverage{fileOf(site.loc), site.loc.line, "", 0, rejected.count(&site) > 0, 0, site.reason});
    }
  }
  std::sort(out.begin(), out.end(), [](const RuleCoverage& a, const RuleCoverage& b) {
    return std::tie(a.file, a.line, a.rule) < std::tie(b.file, b.line, b.rule);
  });
  return out;
}

}  // namespace regelwerk
