// planChunks: cuts large decision blocks into bounded chunks of rules (see chunk_plan.hpp for why).
#include "compiler/codegen/chunk_plan.hpp"

#include "compiler/codegen/codegen.hpp"

namespace regelwerk::codegen {

// Iterative, so a deeply nested expression cannot exhaust the stack here.
size_t exprNodes(const ir::Expr& expr) {
  size_t nodes = 0;
  std::vector<const ir::Expr*> pending = {&expr};
  while (!pending.empty()) {
    const ir::Expr* next = pending.back();
    pending.pop_back();
    ++nodes;
    for (const ir::ExprPtr& arg : next->args) pending.push_back(arg.get());
  }
  return nodes;
}

size_t ruleNodes(const ir::Rule& rule) {
  size_t nodes = 1 + (rule.condition ? exprNodes(*rule.condition) : 0);
  for (const ir::Assignment& assignment : rule.assignments) nodes += exprNodes(*assignment.value);
  return nodes;
}

// Greedy: a chunk takes rules until it reaches kChunkNodes. An `exceptions` block (at most 64 rules)
// is always one chunk: its rules share the applicable mask.
static std::vector<RuleChunk> chunkBlock(const ir::Decision& decision) {
  auto rules = static_cast<uint32_t>(decision.rules.size());
  if (decision.policy == ir::HitPolicy::Exceptions) return {RuleChunk{0, rules}};
  std::vector<RuleChunk> chunks;
  RuleChunk current;
  size_t nodes = 0;
  for (uint32_t rule = 0; rule < rules; ++rule) {
    nodes += ruleNodes(decision.rules[rule]);
    current.end = rule + 1;
    if (nodes < kChunkNodes) continue;
    chunks.push_back(current);
    current = RuleChunk{rule + 1, rule + 1};
    nodes = 0;
  }
  if (current.end > current.begin || chunks.empty()) chunks.push_back(current);
  return chunks;
}

bool isLargeProgram(const ir::Program& program) {
  size_t nodes = 0;
  for (const ir::Decision& decision : program.decisions) {
    for (const ir::Rule& rule : decision.rules) nodes += ruleNodes(rule);
  }
  return nodes > kInlineNodes;
}

ChunkPlan planChunks(const ir::Program& program) {
  ChunkPlan plan;
  if (!isLargeProgram(program)) return plan;
  plan.out_of_line = true;
  for (const ir::Decision& decision : program.decisions) plan.blocks.push_back(chunkBlock(decision));
  return plan;
}

static void markUses(const ir::Expr& expr, ChunkUses& uses) {
  std::vector<const ir::Expr*> pending = {&expr};
  while (!pending.empty()) {
    const ir::Expr* next = pending.back();
    pending.pop_back();
    if (next->op == ir::Op::Input) uses.inputs[next->index] = true;
    if (next->op == ir::Op::Param) uses.params[next->index] = true;
    if (next->op == ir::Op::Let) uses.lets[next->index] = true;
    for (const ir::ExprPtr& arg : next->args) pending.push_back(arg.get());
  }
}

ChunkUses chunkUses(const ir::Program& program, const ir::Decision& decision, RuleChunk chunk) {
  ChunkUses uses{std::vector<bool>(program.inputs.size()), std::vector<bool>(program.params.size()),
                 std::vector<bool>(program.lets.size()), std::vector<bool>(program.outputs.size())};
  for (uint32_t rule = chunk.begin; rule < chunk.end; ++rule) {
    if (decision.rules[rule].condition) markUses(*decision.rules[rule].condition, uses);
    for (const ir::Assignment& assignment : decision.rules[rule].assignments) {
      markUses(*assignment.value, uses);
      uses.outputs[assignment.output] = true;
    }
  }
  return uses;
}

}  // namespace regelwerk::codegen
