// Rule coverage of a rule set's tests: which rules of its decision blocks won in some test, and which
// `reject` lines rejected a record in some test. The interpreter's engine is wrapped so that every row
// it evaluates for a test is traced (traceRow) and the rules that won on an accepted row are noted, as
// is the reject line of a rejected one; grouped tests go through the same wrapper, stage by stage, so
// coverage means the same for both kinds of rule set (docs/language.md, "Tests").
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "runtime/exec/api.hpp"

namespace regelwerk {

class CoverageEngine : public Engine {
 public:
  CoverageEngine(const ir::Program& program, const Engine& inner);
  ~CoverageEngine() override;

  const Evaluator& evaluator() const override;
  const Evaluator* stageEvaluator(size_t stage) const override;
  EngineKind kind() const override { return inner_->kind(); }
  double compileMillis() const override { return inner_->compileMillis(); }

  // Every rule of every decision block of the rule set (its stage programs too) and every `reject`
  // line, in file and line order, with whether it won (rejected) in a traced row.
  std::vector<RuleCoverage> coverage(const RuleSet& rules) const;

 private:
  class Tracing;
  void note(const ir::Rule* rule) const;
  void noteReject(const ir::Site* site) const;

  const Engine* inner_;
  std::unique_ptr<Tracing> main_;
  std::vector<std::unique_ptr<Tracing>> stages_;
  mutable std::mutex mutex_;
  mutable std::set<const ir::Rule*> won_;
  mutable std::set<const ir::Site*> rejected_;
};

// Every rule of every decision block of `rules` (its stage programs too), exercised when it is in
// `won`, and every `reject` line, exercised when its site is in `rejected`; in file and line order.
std::vector<RuleCoverage> ruleCoverage(const RuleSet& rules, const std::set<const ir::Rule*>& won,
                                       const std::set<const ir::Site*>& rejected);

}  // namespace regelwerk
