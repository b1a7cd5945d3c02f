// IR -> LLVM IR: the speculative pass, a branch-free loop over the whole batch that LLVM's loop
// vectoriser turns into SIMD code (docs/architecture.md "The speculative pass").
//
// It evaluates every row as the scalar loop would, but with selects instead of branches: both sides of
// an if, and, or and ?? are computed, a rule's assignments are kept only where the rule wins, and every
// check that would reject the row (overflow, division by zero, a `reject`, a date out of range) only
// sets the row's `bad` bit — and only where the checked value is needed (`live_`), so an overflow in a
// branch the row does not take marks nothing. Arithmetic wraps instead of trapping and nothing is
// poison, so a wrong value on a bad row is harmless: the row's error code is kRetry, and the scalar
// loop that follows evaluates exactly those rows again, writing their outputs or their real error. A
// multiplication's overflow test may be conservative (a bad bit for a product that fits); the scalar
// loop then computes it exactly, so results never depend on it.
#include "compiler/codegen/codegen.hpp"
#include "compiler/codegen/function_emitter.hpp"

namespace regelwerk::codegen {

namespace {

// The ops the speculative pass can evaluate without calls: strings, tables and time zones need the
// kernels, and a RoundDiv outside the inline fast path calls rw_round_div.
bool speculates(const ir::Expr& expr) {
  std::vector<const ir::Expr*> pending = {&expr};
  while (!pending.empty()) {
    const ir::Expr* next = pending.back();
    pending.pop_back();
    if (next->kind == ir::Kind::Str) return false;
    switch (next->op) {
      case ir::Op::StrEq:
      case ir::Op::StrNe:
      case ir::Op::Concat:
      case ir::Op::Text:
      case ir::Op::TimeCall:
      case ir::Op::TableLookup:
      case ir::Op::RangeSum:
        return false;
      case ir::Op::RoundDiv:
        if (!roundDivInline(*next)) return false;
        break;
      default:
        break;
    }
    for (const ir::ExprPtr& arg : next->args) pending.push_back(arg.get());
  }
  return true;
}

}  // namespace

// Programs of Bool and I64 values whose decisions are `first` or `unique` (an `exceptions` block
// compares winners' values, which the scalar loop does better) and that stay in one function.
bool usesSpeculativePass(const ir::Program& program) {
  if (isLargeProgram(program)) return false;
  for (const ir::Output& output : program.outputs) {
    if (ir::physicalKind(output.type) == ir::Kind::Str || !speculates(*output.default_value)) return false;
  }
  for (const ir::Let& let : program.lets) {
    if (!speculates(*let.value)) return false;
  }
  for (const ir::Decision& decision : program.decisions) {
    if (decision.policy == ir::HitPolicy::Exceptions) return false;
    for (const ir::Rule& rule : decision.rules) {
      if (rule.condition && !speculates(*rule.condition)) return false;
      for (const ir::Assignment& assignment : rule.assignments) {
        if (!speculates(*assignment.value)) return false;
      }
    }
  }
  return true;
}

// The loop: one block per row, no branch inside; errors[row] = {bad ? kRetry : 0, 0, -1, -1}.
void FunctionEmitter::emitSpeculativeLoop(llvm::BasicBlock* from, llvm::BasicBlock* done) {
  llvm::BasicBlock* body = newBlock("speculative.row");
  builder_.CreateBr(body);
  builder_.SetInsertPoint(body);
  llvm::PHINode* row = builder_.CreatePHI(builder_.getInt64Ty(), 2, "speculative.row");
  row->addIncoming(i64(0), from);
  row_ = row;
  speculative_ = true;
  live_ = builder_.getTrue();
  bad_ = builder_.getFalse();
  loadInputs();
  for (const OutputSlot& slot : outputs_) builder_.CreateStore(builder_.getFalse(), slot.assigned);
  for (const ir::Let& let : program_.lets) lets_.push_back(emitExpr(*let.value));
  for (const ir::Decision& decision : program_.decisions) {
    if (decision.policy == ir::HitPolicy::First) {
      emitSpeculativeFirst(decision);
    } else {
      emitSpeculativeUnique(decision);
    }
  }
  for (uint32_t output = 0; output < program_.outputs.size(); ++output) {
    llvm::Value* unassigned = builder_.CreateNot(builder_.CreateLoad(builder_.getInt1Ty(), outputs_[output].assigned));
    live_ = unassigned;
    assignOutputWhen(output, emitExpr(*program_.outputs[output].default_value), unassigned);
  }
  storeOutputs();
  llvm::Value* code = builder_.CreateSelect(bad_, i32(kRetry), i32(0));
  storeRowError(row, {code, i32(0), i32(-1), i32(-1)});
  llvm::Value* next = builder_.CreateAdd(row, i64(1), "speculative.next", /*HasNUW=*/true, /*HasNSW=*/true);
  row->addIncoming(next, builder_.GetInsertBlock());
  builder_.CreateCondBr(builder_.CreateICmpSLT(next, function_->getArg(4)), body, done);
  // The scalar loop starts from scratch: its own row, inputs and lets.
  speculative_ = false;
  inputs_.clear();
  lets_.clear();
}

// `decide first`: rule r wins where it applies and no earlier rule did; its conditions are needed
// only there, its assignments only where it wins.
void FunctionEmitter::emitSpeculativeFirst(const ir::Decision& decision) {
  llvm::Value* outer = live_;  // true: decisions are at the top of a row
  llvm::Value* undecided = outer;
  for (const ir::Rule& rule : decision.rules) {
    live_ = undecided;
    llvm::Value* wins = builder_.CreateAnd(undecided, emitCondition(rule));
    live_ = wins;
    for (const ir::Assignment& assignment : rule.assignments) {
      assignOutputWhen(assignment.output, emitExpr(*assignment.value), wins);
    }
    undecided = builder_.CreateAnd(undecided, builder_.CreateNot(wins));
  }
  live_ = outer;
}

// `decide unique`: a second applicable rule marks the row (the scalar loop reports the conflict with
// its two rules); conditions after it are not needed. Otherwise the one applicable rule assigns.
void FunctionEmitter::emitSpeculativeUnique(const ir::Decision& decision) {
  llvm::Value* outer = live_;  // true: decisions are at the top of a row
  llvm::Value* applied = builder_.getFalse();
  llvm::Value* conflict = builder_.getFalse();
  std::vector<llvm::Value*> applies;
  for (const ir::Rule& rule : decision.rules) {
    live_ = builder_.CreateAnd(outer, builder_.CreateNot(conflict));
    llvm::Value* condition = builder_.CreateAnd(live_, emitCondition(rule));
    conflict = builder_.CreateOr(conflict, builder_.CreateAnd(applied, condition));
    applied = builder_.CreateOr(applied, condition);
    applies.push_back(condition);
  }
  bad_ = builder_.CreateOr(bad_, conflict);
  for (size_t rule = 0; rule < decision.rules.size(); ++rule) {
    live_ = builder_.CreateAnd(applies[rule], builder_.CreateNot(conflict));
    for (const ir::Assignment& assignment : decision.rules[rule].assignments) {
      assignOutputWhen(assignment.output, emitExpr(*assignment.value), live_);
    }
  }
  live_ = outer;
}

// The output takes `value` where `take` holds and keeps what it had elsewhere.
void FunctionEmitter::assignOutputWhen(uint32_t output, Value value, llvm::Value* take) {
  const OutputSlot& slot = outputs_[output];
  llvm::Type* type = value.value->getType();
  builder_.CreateStore(builder_.CreateSelect(take, value.value, builder_.CreateLoad(type, slot.value)), slot.value);
  llvm::Value* valid = builder_.CreateLoad(builder_.getInt1Ty(), slot.valid);
  builder_.CreateStore(builder_.CreateSelect(take, present(value), valid), slot.valid);
  llvm::Value* assigned = builder_.CreateLoad(builder_.getInt1Ty(), slot.assigned);
  builder_.CreateStore(builder_.CreateOr(assigned, take), slot.assigned);
}

// A check that would reject the row marks it instead, where its value is needed.
void FunctionEmitter::markBad(llvm::Value* condition) {
  bad_ = builder_.CreateOr(bad_, builder_.CreateAnd(live_, condition));
}

// Evaluates `expr` with `live_` narrowed to `needed` (one side of an if, and, or ??).
Value FunctionEmitter::emitWhere(llvm::Value* needed, const ir::Expr& expr) {
  llvm::Value* outer = live_;
  live_ = builder_.CreateAnd(outer, needed);
  Value value = emitExpr(expr);
  live_ = outer;
  return value;
}

Value FunctionEmitter::selectLogic(const ir::Expr& expr) {
  llvm::Value* lhs = emitExpr(*expr.args[0]).value;
  if (expr.op == ir::Op::And) return Value{builder_.CreateAnd(lhs, emitWhere(lhs, *expr.args[1]).value), nullptr};
  return Value{builder_.CreateOr(lhs, emitWhere(builder_.CreateNot(lhs), *expr.args[1]).value), nullptr};
}

Value FunctionEmitter::selectIf(const ir::Expr& expr) {
  llvm::Value* condition = emitExpr(*expr.args[0]).value;
  Value then_value = emitWhere(condition, *expr.args[1]);
  Value else_value = emitWhere(builder_.CreateNot(condition), *expr.args[2]);
  llvm::Value* value = builder_.CreateSelect(condition, then_value.value, else_value.value);
  if (!then_value.valid && !else_value.valid) return Value{value, nullptr};
  return Value{value, builder_.CreateSelect(condition, present(then_value), present(else_value))};
}

Value FunctionEmitter::selectCoalesce(const ir::Expr& expr) {
  Value first = emitExpr(*expr.args[0]);
  if (!first.valid) return first;
  Value second = emitWhere(builder_.CreateNot(first.valid), *expr.args[1]);
  llvm::Value* value = builder_.CreateSelect(first.valid, first.value, second.value);
  return Value{value, second.valid ? builder_.CreateSelect(first.valid, builder_.getTrue(), second.valid) : nullptr};
}

// Wrapping arithmetic and its overflow bit, without llvm.s*.with.overflow (the vectoriser leaves
// calls returning pairs alone). Add and Sub are exact: the signs of the operands and the result.
// Mul by a constant compares the other operand against the constant's bounds (exact); other products
// count leading zeros: |a| < 2^(64 - clz|a|), so clz|a| + clz|b| >= 65 means |a * b| < 2^63 — a
// product that fits with fewer zeros is marked too, and the scalar loop computes it.
llvm::Value* FunctionEmitter::wrappingBinary(llvm::Intrinsic::ID id, llvm::Value* lhs, llvm::Value* rhs) {
  if (id == llvm::Intrinsic::sadd_with_overflow) {
    llvm::Value* sum = builder_.CreateAdd(lhs, rhs);
    markBad(isNegative(builder_.CreateAnd(builder_.CreateXor(lhs, sum), builder_.CreateXor(rhs, sum))));
    return sum;
  }
  if (id == llvm::Intrinsic::ssub_with_overflow) {
    llvm::Value* difference = builder_.CreateSub(lhs, rhs);
    markBad(isNegative(builder_.CreateAnd(builder_.CreateXor(lhs, rhs), builder_.CreateXor(lhs, difference))));
    return difference;
  }
  if (llvm::isa<llvm::ConstantInt>(lhs)) std::swap(lhs, rhs);
  llvm::Value* product = builder_.CreateMul(lhs, rhs);
  if (auto* constant = llvm::dyn_cast<llvm::ConstantInt>(rhs)) {
    markBad(productOverflows(lhs, constant->getSExtValue()));
    return product;
  }
  auto zeros = [&](llvm::Value* operand) {
    llvm::Value* magnitude = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::abs, operand, builder_.getFalse());
    return builder_.CreateBinaryIntrinsic(llvm::Intrinsic::ctlz, magnitude, builder_.getFalse());
  };
  markBad(builder_.CreateICmpULT(builder_.CreateAdd(zeros(lhs), zeros(rhs)), i64(65)));
  return product;
}

// a * c overflows iff a is outside [lo, hi]; C++ division truncates, which is the bound's ceiling
// below zero and its floor above.
llvm::Value* FunctionEmitter::productOverflows(llvm::Value* operand, int64_t constant) {
  if (constant == 0 || constant == 1) return builder_.getFalse();
  if (constant == -1) return builder_.CreateICmpEQ(operand, i64(INT64_MIN));
  int64_t lo = constant > 0 ? INT64_MIN / constant : INT64_MAX / constant;
  int64_t hi = constant > 0 ? INT64_MAX / constant : INT64_MIN / constant;
  return builder_.CreateOr(builder_.CreateICmpSLT(operand, i64(lo)), builder_.CreateICmpSGT(operand, i64(hi)));
}

llvm::Value* FunctionEmitter::isNegative(llvm::Value* value) { return builder_.CreateICmpSLT(value, i64(0)); }

}  // namespace regelwerk::codegen
