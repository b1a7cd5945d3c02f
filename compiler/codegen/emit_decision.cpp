// IR -> LLVM IR for decision blocks: the three hit policies of ir.hpp.
//
// Reading of ir.hpp used here (where it leaves the order open):
//   - unique and exceptions evaluate the conditions first (unique stops at the second applicable
//     rule) and only then the winners' assignments, so a conflict is reported even when a winner's
//     assignment would fail;
//   - exceptions compare each assignment as soon as it is evaluated, against the value of the first
//     earlier winner that assigned the output (rule_a); all earlier winners agree on it, or the row
//     would have been rejected already.
#include "compiler/codegen/function_emitter.hpp"

namespace regelwerk::codegen {

using llvm::BasicBlock;

void FunctionEmitter::emitDecision(const ir::Decision& decision) {
  switch (decision.policy) {
    case ir::HitPolicy::First:
      return emitFirst(decision);
    case ir::HitPolicy::Unique:
      return emitUnique(decision);
    case ir::HitPolicy::Exceptions:
      return emitExceptions(decision);
  }
}

// A rule without a condition always applies.
llvm::Value* FunctionEmitter::emitCondition(const ir::Rule& rule) {
  if (!rule.condition) return builder_.getTrue();
  return emitExpr(*rule.condition).value;
}

void FunctionEmitter::emitAssignments(const ir::Rule& rule) {
  for (const ir::Assignment& assignment : rule.assignments) {
    assignOutput(assignment.output, emitExpr(*assignment.value));
  }
}

// `decide first`: a chain of tests; the first applicable rule assigns and leaves the block, so the
// conditions after it are never evaluated.
void FunctionEmitter::emitFirst(const ir::Decision& decision) {
  BasicBlock* decided = newBlock("first.decided");
  emitFirstRules(decision, RuleChunk{0, static_cast<uint32_t>(decision.rules.size())}, decided);
  builder_.CreateBr(decided);
  builder_.SetInsertPoint(decided);
}

// The tests of rules [begin, end): an applicable rule assigns and branches to `decided`; the insert
// point is left on the path where none applied.
void FunctionEmitter::emitFirstRules(const ir::Decision& decision, RuleChunk chunk, BasicBlock* decided) {
  for (uint32_t rule = chunk.begin; rule < chunk.end; ++rule) {
    llvm::Value* applies = emitCondition(decision.rules[rule]);
    BasicBlock* hit = newBlock("first.hit");
    BasicBlock* next = newBlock("first.next");
    builder_.CreateCondBr(applies, hit, next);
    builder_.SetInsertPoint(hit);
    emitAssignments(decision.rules[rule]);
    builder_.CreateBr(decided);
    builder_.SetInsertPoint(next);
  }
}

// `decide unique`: conditions in order, remembering the first applicable rule; a second applicable
// rule rejects the row with (first, second). Then the winner's assignments, chosen by a switch.
void FunctionEmitter::emitUnique(const ir::Decision& decision) {
  llvm::AllocaInst* winner = entryAlloca(builder_.getInt32Ty(), "unique.winner");
  builder_.CreateStore(i32(-1), winner);
  RuleChunk all{0, static_cast<uint32_t>(decision.rules.size())};
  emitUniqueConditions(decision, all, winner);
  BasicBlock* decided = newBlock("unique.decided");
  emitUniqueAssignments(decision, all, winner, decided);
  builder_.SetInsertPoint(decided);
}

// The conditions of rules [begin, end); `winner` holds the rule index that applied so far, or -1.
void FunctionEmitter::emitUniqueConditions(const ir::Decision& decision, RuleChunk chunk, llvm::Value* winner) {
  for (uint32_t rule = chunk.begin; rule < chunk.end; ++rule) {
    llvm::Value* applies = emitCondition(decision.rules[rule]);
    BasicBlock* hit = newBlock("unique.hit");
    BasicBlock* next = newBlock("unique.next");
    builder_.CreateCondBr(applies, hit, next);
    builder_.SetInsertPoint(hit);
    llvm::Value* earlier = builder_.CreateLoad(builder_.getInt32Ty(), winner);
    failIf(builder_.CreateICmpNE(earlier, i32(-1)), ir::ErrorCode::UniqueConflict, decision.site, earlier, i32(rule));
    builder_.CreateStore(i32(rule), winner);
    builder_.CreateBr(next);
    builder_.SetInsertPoint(next);
  }
}

// A switch on the winner over rules [begin, end) that assign something; every path ends in `decided`
// (the insert point is left nowhere in particular: the caller moves it).
void FunctionEmitter::emitUniqueAssignments(const ir::Decision& decision, RuleChunk chunk, llvm::Value* winner,
                                            BasicBlock* decided) {
  llvm::SwitchInst* choose =
      builder_.CreateSwitch(builder_.CreateLoad(builder_.getInt32Ty(), winner), decided, chunk.end - chunk.begin);
  for (uint32_t rule = chunk.begin; rule < chunk.end; ++rule) {
    if (decision.rules[rule].assignments.empty()) continue;
    BasicBlock* assign = newBlock("unique.assign");
    choose->addCase(i32(rule), assign);
    builder_.SetInsertPoint(assign);
    emitAssignments(decision.rules[rule]);
    builder_.CreateBr(decided);
  }
}

// `decide exceptions`: every condition sets one bit of the applicable mask; rule r wins iff its bit
// is set and no bit of defeated_by[r] is. Winners assign in rule order; see valuesDiffer for equality.
void FunctionEmitter::emitExceptions(const ir::Decision& decision) {
  llvm::AllocaInst* mask = entryAlloca(builder_.getInt64Ty(), "exceptions.applicable");
  builder_.CreateStore(i64(0), mask);
  for (uint32_t rule = 0; rule < decision.rules.size(); ++rule) {
    llvm::Value* applies = emitCondition(decision.rules[rule]);
    llvm::Value* bit = builder_.CreateShl(builder_.CreateZExt(applies, builder_.getInt64Ty()), rule);
    builder_.CreateStore(builder_.CreateOr(builder_.CreateLoad(builder_.getInt64Ty(), mask), bit), mask);
  }
  llvm::Value* applicable = builder_.CreateLoad(builder_.getInt64Ty(), mask, "applicable");
  for (uint32_t rule = 0; rule < decision.rules.size(); ++rule) {
    const ir::Rule& current = decision.rules[rule];
    if (current.assignments.empty()) continue;
    llvm::Value* applies = builder_.CreateICmpNE(builder_.CreateAnd(applicable, i64(int64_t{1} << rule)), i64(0));
    llvm::Value* defeated =
        builder_.CreateICmpNE(builder_.CreateAnd(applicable, i64(static_cast<int64_t>(current.defeated_by))), i64(0));
    BasicBlock* wins = newBlock("exceptions.wins");
    BasicBlock* next = newBlock("exceptions.next");
    builder_.CreateCondBr(builder_.CreateAnd(applies, builder_.CreateNot(defeated)), wins, next);
    builder_.SetInsertPoint(wins);
    for (const ir::Assignment& assignment : current.assignments) emitExceptionAssignment(decision, rule, assignment);
    builder_.CreateBr(next);
    builder_.SetInsertPoint(next);
  }
}

// The first winner to assign an output stores it; a later winner must give an equal value.
void FunctionEmitter::emitExceptionAssignment(const ir::Decision& decision, uint32_t rule,
                                              const ir::Assignment& assignment) {
  Value value = emitExpr(*assignment.value);
  const OutputSlot& slot = outputs_[assignment.output];
  ir::Kind kind = ir::physicalKind(program_.outputs[assignment.output].type);
  BasicBlock* compare = newBlock("exceptions.compare");
  BasicBlock* store = newBlock("exceptions.store");
  BasicBlock* done = newBlock("exceptions.assigned");
  builder_.CreateCondBr(builder_.CreateLoad(builder_.getInt1Ty(), slot.assigned), compare, store);

  builder_.SetInsertPoint(compare);
  Value earlier{builder_.CreateLoad(typeOf(kind), slot.value), builder_.CreateLoad(builder_.getInt1Ty(), slot.valid)};
  llvm::Value* earlier_rule = builder_.CreateLoad(builder_.getInt32Ty(), slot.assigner);
  failIf(valuesDiffer(kind, earlier, value), ir::ErrorCode::ExceptionsConflict, decision.site, earlier_rule, i32(rule));
  builder_.CreateBr(done);

  builder_.SetInsertPoint(store);
  assignOutput(assignment.output, value);
  builder_.CreateStore(i32(rule), slot.assigner);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

// Two values differ if exactly one is missing, or both are present and differ (I64/Bool by value,
// Str by bytes). Two missing values are equal. Missing strings are replaced by "" before the
// kernel call so it never reads a string that is not there.
llvm::Value* FunctionEmitter::valuesDiffer(ir::Kind kind, Value a, Value b) {
  llvm::Value* a_valid = present(a);
  llvm::Value* b_valid = present(b);
  llvm::Value* both = builder_.CreateLogicalAnd(a_valid, b_valid);
  llvm::Value* unequal = nullptr;
  if (kind == ir::Kind::Str) {
    llvm::Constant* empty = llvm::Constant::getNullValue(str_type_);
    unequal = builder_.CreateNot(
        strEqual(builder_.CreateSelect(both, a.value, empty), builder_.CreateSelect(both, b.value, empty)));
  } else {
    unequal = builder_.CreateICmpNE(a.value, b.value);
  }
  return builder_.CreateLogicalOr(builder_.CreateXor(a_valid, b_valid), builder_.CreateLogicalAnd(both, unequal));
}

}  // namespace regelwerk::codegen
