// Decision blocks: hit policies, rule names, conditions, assignments to outputs, and the `overrides`
// graph of `decide exceptions` (no cycles; defeated_by is its transitive closure).
#include <algorithm>
#include <fmt/format.h>

#include "checker.hpp"

namespace regelwerk::sema {

void Checker::checkDecisions() {
  for (size_t block = 0; block < ast_.decisions.size(); ++block) {
    inScope(ast_.decisions[block].block, [&] { checkDecision(block); });
  }
}

static std::optional<ir::HitPolicy> policyNamed(std::string_view name) {
  if (name == "first") return ir::HitPolicy::First;
  if (name == "unique") return ir::HitPolicy::Unique;
  if (name == "exceptions") return ir::HitPolicy::Exceptions;
  return std::nullopt;
}

void Checker::checkDecision(size_t block_index) {
  const ast::DecideBlock& block = ast_.decisions[block_index];
  DecisionInfo& decision = out_.decisions[block_index];
  auto policy = policyNamed(block.policy);
  if (!policy) {
    error("E0401", block.policy_loc,
          fmt::format("unknown hit policy `{}`; the policies are first, unique and exceptions", block.policy));
  }
  decision.policy = policy.value_or(ir::HitPolicy::First);
  if (decision.policy == ir::HitPolicy::Exceptions && block.rules.size() > ir::kMaxRulesPerExceptionsBlock) {
    error("E0406", block.rules[ir::kMaxRulesPerExceptionsBlock].loc,
          fmt::format("an `exceptions` block holds at most {} rules; this block has {}",
                      ir::kMaxRulesPerExceptionsBlock, block.rules.size()),
          "split it into several blocks");
  }
  decision.rules.resize(block.rules.size());
  for (size_t rule = 0; rule < block.rules.size(); ++rule) {
    checkRule(block_index, block.rules[rule], decision.rules[rule]);
  }
  checkOverrides(block_index);
}

static std::string declaredAs(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Field: return "an input field";
    case SymbolKind::Param: return "a param";
    case SymbolKind::State: return "a fold's state";
    case SymbolKind::Step: return "the step of a fold over a range";
    case SymbolKind::Share: return "a distribution's share";
    case SymbolKind::Rest: return "a distribution's rest";
    case SymbolKind::Ledger: return "a ledger's state";
    default: return "a let";
  }
}

// Resolves `then fee = ...`: the target must be an output, assigned once per rule and by one block
// only (which block sets an output must not depend on the record).
static int resolveTarget(Checker& checker, size_t block_index, const ast::Assignment& assignment,
                         std::set<std::string>& in_rule) {
  auto found = checker.outputs_.find(assignment.target);
  if (found == checker.outputs_.end()) {
    auto value = checker.values_.find(assignment.target);
    if (value != checker.values_.end()) {
      checker.error("E0209", assignment.loc,
                    fmt::format("`{}` is {}, not an output; only outputs can be assigned", assignment.target,
                                declaredAs(value->second.kind)));
      return -1;
    }
    std::string suggestion;
    for (const auto& [name, index] : checker.outputs_) {
      if (name.substr(0, 2) == assignment.target.substr(0, 2)) suggestion = fmt::format("did you mean `{}`?", name);
    }
    checker.error("E0209", assignment.loc, fmt::format("unknown output `{}`", assignment.target), suggestion);
    return -1;
  }
  if (!in_rule.insert(assignment.target).second) {
    checker.error("E0403", assignment.loc, fmt::format("`{}` is already assigned in this rule", assignment.target),
                  "keep one assignment");
    return -1;
  }
  auto [first, inserted] = checker.assigned_in_.emplace(std::to_string(found->second), std::make_pair(block_index, assignment.loc));
  if (!inserted && first->second.first != block_index) {
    checker.error("E0402", assignment.loc,
                  fmt::format("`{}` is already assigned by the decision block at line {}; an output is assigned in "
                              "one block only",
                              assignment.target, checker.ast_.decisions[first->second.first].loc.line));
    return -1;
  }
  return static_cast<int>(found->second);
}

void Checker::checkRule(size_t block_index, const ast::RuleDecl& rule, RuleInfo& info) {
  table_row_ = rule.table_row;
  if (rule.condition) {
    check(*rule.condition);
    checkCondition(*rule.condition, "`when`");
  }
  std::set<std::string> in_rule;
  for (const ast::Assignment& assignment : rule.assignments) {
    int output = resolveTarget(*this, block_index, assignment, in_rule);
    info.outputs.push_back(output);
    if (output < 0) continue;
    const OutputInfo& target = out_.outputs[output];
    check(*assignment.value, &target.type);
    checkAssignable(*assignment.value, target.type, "`" + target.name + "`");
  }
  table_row_ = 0;
}

namespace {

// The overrides graph of one block: edges[r] lists the rules r overrides, with the position of the
// name, for cycle messages.
struct OverrideGraph {
  std::vector<std::vector<std::pair<size_t, Location>>> edges;
  std::vector<int> state;  // 0 unvisited, 1 on the stack, 2 done
  std::vector<size_t> stack;
  bool cyclic = false;
};

}  // namespace

// Depth-first search that reports each back edge: `r1 overrides r2` while r2 (transitively)
// overrides r1.
static void findCycles(Checker& checker, const ast::DecideBlock& block, OverrideGraph& graph, size_t rule) {
  graph.state[rule] = 1;
  graph.stack.push_back(rule);
  for (const auto& [target, loc] : graph.edges[rule]) {
    if (graph.state[target] == 1) {
      std::string path;
      auto start = std::find(graph.stack.begin(), graph.stack.end(), target);
      for (auto it = start; it != graph.stack.end(); ++it) path += block.rules[*it].name + " -> ";
      checker.error("E0405", loc, fmt::format("these overrides form a cycle: {}{}", path, block.rules[target].name),
                    "a rule cannot win over a rule that wins over it");
      graph.cyclic = true;
    } else if (graph.state[target] == 0) {
      findCycles(checker, block, graph, target);
    }
  }
  graph.stack.pop_back();
  graph.state[rule] = 2;
}

// defeated_by of `rule`: every rule that overrides it, and whatever defeats those. Memoized; the
// graph has no cycles here.
static uint64_t defeatersOf(const OverrideGraph& graph, std::vector<std::optional<uint64_t>>& memo, size_t rule) {
  if (memo[rule]) return *memo[rule];
  uint64_t bits = 0;
  for (size_t other = 0; other < graph.edges.size(); ++other) {
    for (const auto& edge : graph.edges[other]) {
      if (edge.first == rule) bits |= (uint64_t{1} << other) | defeatersOf(graph, memo, other);
    }
  }
  memo[rule] = bits;
  return bits;
}

static std::string otherBlockOf(const ast::Ruleset& ruleset, size_t block_index, const std::string& name) {
  for (size_t block = 0; block < ruleset.decisions.size(); ++block) {
    if (block == block_index) continue;
    for (const ast::RuleDecl& rule : ruleset.decisions[block].rules) {
      if (rule.name == name) return fmt::format("rule `{}` is in the decision block at line {}", name,
                                                ruleset.decisions[block].loc.line);
    }
  }
  return "";
}

void Checker::checkOverrides(size_t block_index) {
  const ast::DecideBlock& block = ast_.decisions[block_index];
  DecisionInfo& decision = out_.decisions[block_index];
  std::map<std::string, size_t> by_name;
  for (size_t rule = 0; rule < block.rules.size(); ++rule) {
    const ast::RuleDecl& decl = block.rules[rule];
    auto [first, inserted] = by_name.emplace(decl.name, rule);
    if (!inserted) {
      error("E0212", decl.loc, fmt::format("rule `{}` is already declared at line {}", decl.name,
                                           block.rules[first->second].loc.line));
    }
  }
  OverrideGraph graph;
  graph.edges.resize(block.rules.size());
  for (size_t rule = 0; rule < block.rules.size(); ++rule) {
    const ast::RuleDecl& decl = block.rules[rule];
    if (!decl.overrides.empty() && decision.policy != ir::HitPolicy::Exceptions) {
      error("E0404", decl.override_locs.empty() ? decl.loc : decl.override_locs[0],
            fmt::format("`overrides` only works in a `decide exceptions` block; this block is `{}`", block.policy));
      continue;
    }
    for (size_t index = 0; index < decl.overrides.size(); ++index) {
      const std::string& name = decl.overrides[index];
      Location loc = index < decl.override_locs.size() ? decl.override_locs[index] : decl.loc;
      auto target = by_name.find(name);
      if (target == by_name.end()) {
        error("E0210", loc, fmt::format("unknown rule `{}` in this block", name), otherBlockOf(ast_, block_index, name));
        continue;
      }
      graph.edges[rule].emplace_back(target->second, loc);
    }
  }
  graph.state.assign(block.rules.size(), 0);
  for (size_t rule = 0; rule < block.rules.size(); ++rule) {
    if (graph.state[rule] == 0) findCycles(*this, block, graph, rule);
  }
  if (graph.cyclic || block.rules.size() > ir::kMaxRulesPerExceptionsBlock) return;
  std::vector<std::optional<uint64_t>> memo(block.rules.size());
  for (size_t rule = 0; rule < block.rules.size(); ++rule) decision.rules[rule].defeated_by = defeatersOf(graph, memo, rule);
}

}  // namespace regelwerk::sema
