// Which decision blocks the code generator emits out of line, and how their rules are cut into chunks.
//
// LLVM's optimiser and instruction selection are super-linear in the size of one function (a
// `decide first` of 20,000 rules in the single `rules` function took minutes). A program whose decision
// blocks hold more IR than kInlineNodes therefore gets every decision block emitted into helper
// functions of at most about kChunkNodes IR nodes each (a rule is never split), called from the row
// loop; each helper is optimised on its own, so the total work grows linearly with the number of rules.
// Small programs (the dunning workload and nearly every hand-written rule file) stay in one function,
// exactly as before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace regelwerk::codegen {

// Above this many IR nodes in all decision blocks together, decisions go out of line.
inline constexpr size_t kInlineNodes = 4000;
// A chunk takes rules until it holds at least this many IR nodes.
inline constexpr size_t kChunkNodes = 300;

// Rules [begin, end) of one decision block.
struct RuleChunk {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct ChunkPlan {
  bool out_of_line = false;                 // false: every block is emitted inline in `rules`
  std::vector<std::vector<RuleChunk>> blocks;  // out of line: the chunks of each decision block, in order
};

// Number of nodes of an expression tree (what one rule costs in generated code, up to a constant).
size_t exprNodes(const ir::Expr& expr);
// Nodes of a rule: its condition and its assignments, plus one.
size_t ruleNodes(const ir::Rule& rule);

ChunkPlan planChunks(const ir::Program& program);

// What the rules of one chunk read (inputs, params, lets) and assign (outputs), one flag per declaration.
struct ChunkUses {
  std::vector<bool> inputs, params, lets, outputs;
};

ChunkUses chunkUses(const ir::Program& program, const ir::Decision& decision, RuleChunk chunk);

}  // namespace regelwerk::codegen
