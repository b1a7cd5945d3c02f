// IR -> LLVM IR for expressions: a flat switch over ir::Op, one function per op family.
//
// Operands are emitted left to right. And/Or/If/Coalesce emit their later operands in their own
// blocks, so only what is needed runs (an overflow in an untaken branch never rejects the row).
// Checked ops branch to the row end with ErrorCode::Overflow and the node's site. In the speculative
// pass (emit_speculative.cpp) the same functions emit selects and mark the row instead.
#include "compiler/codegen/function_emitter.hpp"

namespace regelwerk::codegen {

using llvm::BasicBlock;

namespace {

// 0001-01-01 and 9999-12-31 as days since 1970-01-01.
constexpr int64_t kMinDate = -719162;
constexpr int64_t kMaxDate = 2932896;

}  // namespace

Value FunctionEmitter::emitExpr(const ir::Expr& expr) {
  switch (expr.op) {
    case ir::Op::Const:
      return emitConst(expr);
    case ir::Op::Input:
      return inputs_[expr.index];
    case ir::Op::Param:
      return params_[expr.index];
    case ir::Op::Let:
      return lets_[expr.index];
    case ir::Op::IsMissing:
      return emitIsMissing(expr);
    case ir::Op::Coalesce:
      return emitCoalesce(expr);
    case ir::Op::Add:
    case ir::Op::Sub:
    case ir::Op::Mul:
    case ir::Op::Rescale:
      return emitChecked(expr);
    case ir::Op::Neg:
      return emitNeg(expr);
    case ir::Op::Abs:
      return emitAbs(expr);
    case ir::Op::RoundDiv:
      return emitRoundDiv(expr);
    case ir::Op::Min:
    case ir::Op::Max:
      return emitMinMax(expr);
    case ir::Op::Eq:
    case ir::Op::Ne:
    case ir::Op::Lt:
    case ir::Op::Le:
    case ir::Op::Gt:
    case ir::Op::Ge:
      return emitCompare(expr);
    case ir::Op::StrEq:
    case ir::Op::StrNe:
      return emitStrCompare(expr);
    case ir::Op::Concat:
      return emitConcat(expr);
    case ir::Op::Missing:
      return emitMissing(expr);
    case ir::Op::Text:
      return emitText(expr);
    case ir::Op::And:
    case ir::Op::Or:
      return emitLogic(expr);
    case ir::Op::Not:
      return emitNot(expr);
    case ir::Op::Reject:
      return emitReject(expr);
    case ir::Op::If:
      return emitIf(expr);
    case ir::Op::CheckDate:
      return emitCheckDate(expr);
    case ir::Op::CheckTimestamp:
      return emitCheckTimestamp(expr);
    case ir::Op::TimeCall:
      return emitTimeCall(expr);
    case ir::Op::TableLookup:
      return emitTableLookup(expr);
    case ir::Op::RangeSum:
      return emitRangeSum(expr);
    case ir::Op::With:
      return emitWith(expr);
    case ir::Op::Local:
      return locals_[expr.index];
  }
  return Value{llvm::PoisonValue::get(typeOf(expr.kind)), nullptr};
}

// String constants live in the module: a StrRef taken from them (e.g. an output) stays valid as
// long as the compiled code does.
Value FunctionEmitter::emitConst(const ir::Expr& expr) {
  switch (expr.kind) {
    case ir::Kind::Bool:
      return Value{builder_.getInt1(expr.imm != 0), nullptr};
    case ir::Kind::I64:
      return Value{i64(expr.imm), nullptr};
    case ir::Kind::Str:
      break;
  }
  llvm::GlobalVariable* bytes = builder_.CreateGlobalString(expr.str, "str", 0, &module_);
  bytes->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  llvm::Constant* fields[] = {bytes, i64(static_cast<int64_t>(expr.str.size()))};
  return Value{llvm::ConstantStruct::get(llvm::cast<llvm::StructType>(str_type_), fields), nullptr};
}

Value FunctionEmitter::emitIsMissing(const ir::Expr& expr) {
  Value operand = emitExpr(*expr.args[0]);
  return Value{builder_.CreateNot(present(operand)), nullptr};
}

// x ?? y: y is evaluated only when x is missing; the result is optional iff y is.
Value FunctionEmitter::emitCoalesce(const ir::Expr& expr) {
  if (speculative_) return selectCoalesce(expr);
  Value first = emitExpr(*expr.args[0]);
  if (!first.valid) return first;
  BasicBlock* first_end = builder_.GetInsertBlock();
  BasicBlock* fallback = newBlock("coalesce.missing");
  BasicBlock* merge = newBlock("coalesce.merge");
  builder_.CreateCondBr(first.valid, merge, fallback);
  builder_.SetInsertPoint(fallback);
  Value second = emitExpr(*expr.args[1]);
  BasicBlock* second_end = builder_.GetInsertBlock();
  builder_.CreateBr(merge);
  builder_.SetInsertPoint(merge);
  Value merged = mergeValues(Value{first.value, nullptr}, first_end, second, second_end);
  if (!second.valid) merged.valid = nullptr;
  return merged;
}

// Add, Sub, Mul and Rescale (a Mul by the constant 10^k) via llvm.s*.with.overflow.
Value FunctionEmitter::emitChecked(const ir::Expr& expr) {
  llvm::Value* lhs = emitExpr(*expr.args[0]).value;
  if (expr.op == ir::Op::Rescale) {
    return Value{checkedBinary(llvm::Intrinsic::smul_with_overflow, lhs, i64(expr.imm), expr.site), nullptr};
  }
  llvm::Value* rhs = emitExpr(*expr.args[1]).value;
  llvm::Intrinsic::ID id = expr.op == ir::Op::Add   ? llvm::Intrinsic::sadd_with_overflow
                           : expr.op == ir::Op::Sub ? llvm::Intrinsic::ssub_with_overflow
                                                    : llvm::Intrinsic::smul_with_overflow;
  return Value{checkedBinary(id, lhs, rhs, expr.site), nullptr};
}

llvm::Value* FunctionEmitter::checkedBinary(llvm::Intrinsic::ID id, llvm::Value* lhs, llvm::Value* rhs, uint32_t site) {
  if (speculative_) return wrappingBinary(id, lhs, rhs);
  llvm::Function* intrinsic = llvm::Intrinsic::getDeclaration(&module_, id, {builder_.getInt64Ty()});
  llvm::Value* pair = builder_.CreateCall(intrinsic, {lhs, rhs});
  failIf(builder_.CreateExtractValue(pair, 1), ir::ErrorCode::Overflow, site);
  return builder_.CreateExtractValue(pair, 0);
}

// -x overflows only for INT64_MIN: 0 - x, checked.
Value FunctionEmitter::emitNeg(const ir::Expr& expr) {
  llvm::Value* operand = emitExpr(*expr.args[0]).value;
  return Value{checkedBinary(llvm::Intrinsic::ssub_with_overflow, i64(0), operand, expr.site), nullptr};
}

Value FunctionEmitter::emitAbs(const ir::Expr& expr) {
  llvm::Value* operand = emitExpr(*expr.args[0]).value;
  failIf(builder_.CreateICmpEQ(operand, i64(INT64_MIN)), ir::ErrorCode::Overflow, expr.site);
  // The speculative pass may get here with INT64_MIN (the row is marked): wrap, never poison.
  llvm::Value* negated = speculative_ ? builder_.CreateNeg(operand) : builder_.CreateNSWNeg(operand);
  return Value{builder_.CreateSelect(builder_.CreateICmpSLT(operand, i64(0)), negated, operand), nullptr};
}

Value FunctionEmitter::emitMinMax(const ir::Expr& expr) {
  llvm::Value* lhs = emitExpr(*expr.args[0]).value;
  llvm::Value* rhs = emitExpr(*expr.args[1]).value;
  llvm::Intrinsic::ID id = expr.op == ir::Op::Min ? llvm::Intrinsic::smin : llvm::Intrinsic::smax;
  return Value{builder_.CreateBinaryIntrinsic(id, lhs, rhs), nullptr};
}

// I64 operands compare signed. Bool operands compare as 0/1 (false < true), i.e. unsigned on i1.
Value FunctionEmitter::emitCompare(const ir::Expr& expr) {
  Value lhs = emitExpr(*expr.args[0]);
  Value rhs = emitExpr(*expr.args[1]);
  bool is_bool = expr.args[0]->kind == ir::Kind::Bool;
  using P = llvm::CmpInst::Predicate;
  P predicate = P::ICMP_EQ;
  switch (expr.op) {
    case ir::Op::Ne:
      predicate = P::ICMP_NE;
      break;
    case ir::Op::Lt:
      predicate = is_bool ? P::ICMP_ULT : P::ICMP_SLT;
      break;
    case ir::Op::Le:
      predicate = is_bool ? P::ICMP_ULE : P::ICMP_SLE;
      break;
    case ir::Op::Gt:
      predicate = is_bool ? P::ICMP_UGT : P::ICMP_SGT;
      break;
    case ir::Op::Ge:
      predicate = is_bool ? P::ICMP_UGE : P::ICMP_SGE;
      break;
    default:
      break;
  }
  return Value{builder_.CreateICmp(predicate, lhs.value, rhs.value), nullptr};
}

Value FunctionEmitter::emitStrCompare(const ir::Expr& expr) {
  llvm::Value* lhs = emitExpr(*expr.args[0]).value;
  llvm::Value* rhs = emitExpr(*expr.args[1]).value;
  llvm::Value* equal = strEqual(lhs, rhs);
  return Value{expr.op == ir::Op::StrEq ? equal : builder_.CreateNot(equal), nullptr};
}

// rw_str_eq, the kernel the interpreter calls, so both engines agree byte for byte.
llvm::Value* FunctionEmitter::strEqual(llvm::Value* lhs, llvm::Value* rhs) {
  llvm::Value* args[] = {builder_.CreateExtractValue(lhs, 0), builder_.CreateExtractValue(lhs, 1),
                         builder_.CreateExtractValue(rhs, 0), builder_.CreateExtractValue(rhs, 1)};
  return builder_.CreateICmpNE(builder_.CreateCall(str_eq_kernel_, args), i32(0));
}

// rw_str_concat, the kernel the interpreter calls, into the arena the caller passed as `strings`; a
// result over ir::kMaxStringBytes rejects the row with the kernel's code (StringTooLong).
Value FunctionEmitter::emitConcat(const ir::Expr& expr) {
  llvm::Value* lhs = emitExpr(*expr.args[0]).value;
  llvm::Value* rhs = emitExpr(*expr.args[1]).value;
  llvm::Value* args[] = {strings_,
                         builder_.CreateExtractValue(lhs, 0),
                         builder_.CreateExtractValue(lhs, 1),
                         builder_.CreateExtractValue(rhs, 0),
                         builder_.CreateExtractValue(rhs, 1),
                         concat_out_};
  llvm::Value* code = builder_.CreateCall(str_concat_kernel_, args);
  failIf(builder_.CreateICmpNE(code, i32(0)), code, expr.site);
  return Value{builder_.CreateLoad(str_type_, concat_out_), nullptr};
}

// text(x): rw_text, the kernel the interpreter calls, into the same arena as concatenations.
Value FunctionEmitter::emitText(const ir::Expr& expr) {
  llvm::Value* value = emitExpr(*expr.args[0]).value;
  llvm::Value* args[] = {strings_, value, i32(expr.imm), i32(expr.imm2), concat_out_};
  builder_.CreateCall(text_kernel_, args);
  return Value{builder_.CreateLoad(str_type_, concat_out_), nullptr};
}

// `missing`: a zero value whose presence bit is false.
Value FunctionEmitter::emitMissing(const ir::Expr& expr) {
  return Value{llvm::Constant::getNullValue(typeOf(expr.kind)), builder_.getFalse()};
}

// a and b: b runs only if a is true; a or b: only if a is false.
Value FunctionEmitter::emitLogic(const ir::Expr& expr) {
  if (speculative_) return selectLogic(expr);
  bool is_and = expr.op == ir::Op::And;
  llvm::Value* lhs = emitExpr(*expr.args[0]).value;
  BasicBlock* lhs_end = builder_.GetInsertBlock();
  BasicBlock* right = newBlock(is_and ? "and.rhs" : "or.rhs");
  BasicBlock* merge = newBlock(is_and ? "and.merge" : "or.merge");
  builder_.CreateCondBr(lhs, is_and ? right : merge, is_and ? merge : right);
  builder_.SetInsertPoint(right);
  llvm::Value* rhs = emitExpr(*expr.args[1]).value;
  BasicBlock* rhs_end = builder_.GetInsertBlock();
  builder_.CreateBr(merge);
  builder_.SetInsertPoint(merge);
  llvm::PHINode* result = builder_.CreatePHI(builder_.getInt1Ty(), 2);
  result->addIncoming(builder_.getInt1(!is_and), lhs_end);
  result->addIncoming(rhs, rhs_end);
  return Value{result, nullptr};
}

Value FunctionEmitter::emitNot(const ir::Expr& expr) {
  return Value{builder_.CreateNot(emitExpr(*expr.args[0]).value), nullptr};
}

// `reject "reason" when c`: fails with Rejected when c is present and true; its value is false.
Value FunctionEmitter::emitReject(const ir::Expr& expr) {
  Value condition = emitExpr(*expr.args[0]);
  failIf(builder_.CreateAnd(present(condition), condition.value), ir::ErrorCode::Rejected, expr.site);
  return Value{builder_.getFalse(), nullptr};
}

// Only the chosen branch is evaluated; the result is optional if either branch is.
Value FunctionEmitter::emitIf(const ir::Expr& expr) {
  if (speculative_) return selectIf(expr);
  llvm::Value* condition = emitExpr(*expr.args[0]).value;
  BasicBlock* then_block = newBlock("if.then");
  BasicBlock* else_block = newBlock("if.else");
  BasicBlock* merge = newBlock("if.merge");
  builder_.CreateCondBr(condition, then_block, else_block);
  builder_.SetInsertPoint(then_block);
  Value then_value = emitExpr(*expr.args[1]);
  BasicBlock* then_end = builder_.GetInsertBlock();
  builder_.CreateBr(merge);
  builder_.SetInsertPoint(else_block);
  Value else_value = emitExpr(*expr.args[2]);
  BasicBlock* else_end = builder_.GetInsertBlock();
  builder_.CreateBr(merge);
  builder_.SetInsertPoint(merge);
  return mergeValues(then_value, then_end, else_value, else_end);
}

// Phis joining two values at the current block; valid is null unless either side is optional.
Value FunctionEmitter::mergeValues(Value a, BasicBlock* a_end, Value b, BasicBlock* b_end) {
  llvm::PHINode* value = builder_.CreatePHI(a.value->getType(), 2);
  value->addIncoming(a.value, a_end);
  value->addIncoming(b.value, b_end);
  if (!a.valid && !b.valid) return Value{value, nullptr};
  llvm::PHINode* valid = builder_.CreatePHI(builder_.getInt1Ty(), 2);
  valid->addIncoming(present(a), a_end);
  valid->addIncoming(present(b), b_end);
  return Value{value, valid};
}

// One unsigned compare: (x - min) > (max - min) iff x is outside [min, max].
Value FunctionEmitter::emitCheckDate(const ir::Expr& expr) {
  llvm::Value* days = emitExpr(*expr.args[0]).value;
  llvm::Value* offset = builder_.CreateSub(days, i64(kMinDate));
  failIf(builder_.CreateICmpUGT(offset, i64(kMaxDate - kMinDate)), ir::ErrorCode::DateOutOfRange, expr.site);
  return Value{days, nullptr};
}

// The value is emitted once into SSA registers; every Local of the body reads those registers.
Value FunctionEmitter::emitWith(const ir::Expr& expr) {
  locals_[expr.index] = emitExpr(*expr.args[0]);
  return emitExpr(*expr.args[1]);
}

}  // namespace regelwerk::codegen
