// IR -> LLVM IR for RoundDiv: an inline 64-bit fast path, and the exact 128-bit kernel otherwise.
//
// Why the fast path gives the kernel's result bit for bit: when N = num * 10^imm and
// D = den * 10^imm2 both fit in int64 (and neither is INT64_MIN, D != 0), the kernel's 128-bit
// N / D and N % D are exactly LLVM's sdiv/srem of the 64-bit values, and the rounding step below
// is the kernel's roundsAway() decision written without the 2*|r| product (|r| >= |D| - |r| instead
// of 2|r| >= |D|, so nothing can overflow). The adjusted quotient fits: |D| >= 2 when r != 0.
// Every other case (including den == 0 and any overflow) calls rw_round_div, which reports the
// error code. With a constant divisor (dunning: 365 days * 10^4) the division becomes a multiply.
#include <llvm/IR/MDBuilder.h>

#include "compiler/codegen/function_emitter.hpp"

namespace regelwerk::codegen {

using llvm::BasicBlock;

namespace {

constexpr int64_t kMaxFastPower = 18;  // 10^18 < 2^63

int64_t powerOfTen(int64_t exponent) {
  int64_t result = 1;
  for (int64_t step = 0; step < exponent; ++step) result *= 10;
  return result;
}

}  // namespace

bool roundDivInline(const ir::Expr& expr) {
  return expr.imm >= 0 && expr.imm <= kMaxFastPower && expr.imm2 >= 0 && expr.imm2 <= kMaxFastPower;
}

Value FunctionEmitter::emitRoundDiv(const ir::Expr& expr) {
  llvm::Value* num = emitExpr(*expr.args[0]).value;
  llvm::Value* den = emitExpr(*expr.args[1]).value;
  if (!roundDivInline(expr)) return Value{roundDivKernel(expr, num, den), nullptr};
  if (speculative_) return Value{roundDivSpeculative(expr, num, den), nullptr};
  return Value{roundDivFast(expr, num, den), nullptr};
}

llvm::Value* FunctionEmitter::roundDivFast(const ir::Expr& expr, llvm::Value* num, llvm::Value* den) {
  llvm::Function* multiply =
      llvm::Intrinsic::getDeclaration(&module_, llvm::Intrinsic::smul_with_overflow, {builder_.getInt64Ty()});
  llvm::Value* scaled_num = builder_.CreateCall(multiply, {num, i64(powerOfTen(expr.imm))});
  llvm::Value* scaled_den = builder_.CreateCall(multiply, {den, i64(powerOfTen(expr.imm2))});
  llvm::Value* numerator = builder_.CreateExtractValue(scaled_num, 0);
  llvm::Value* divisor = builder_.CreateExtractValue(scaled_den, 0);
  llvm::Value* slow =
      builder_.CreateOr({builder_.CreateExtractValue(scaled_num, 1), builder_.CreateExtractValue(scaled_den, 1),
                         builder_.CreateICmpEQ(divisor, i64(0)), builder_.CreateICmpEQ(numerator, i64(INT64_MIN)),
                         builder_.CreateICmpEQ(divisor, i64(INT64_MIN))});
  BasicBlock* fast_block = newBlock("rounddiv.fast");
  BasicBlock* slow_block = newBlock("rounddiv.kernel");
  BasicBlock* merge = newBlock("rounddiv.merge");
  builder_.CreateCondBr(slow, slow_block, fast_block, llvm::MDBuilder(context_).createUnlikelyBranchWeights());

  builder_.SetInsertPoint(fast_block);
  llvm::Value* fast_result = roundedQuotient(expr.mode, numerator, divisor);
  builder_.CreateBr(merge);

  builder_.SetInsertPoint(slow_block);
  llvm::Value* slow_result = roundDivKernel(expr, num, den);
  BasicBlock* slow_end = builder_.GetInsertBlock();
  builder_.CreateBr(merge);

  builder_.SetInsertPoint(merge);
  llvm::PHINode* result = builder_.CreatePHI(builder_.getInt64Ty(), 2, "rounddiv");
  result->addIncoming(fast_result, fast_block);
  result->addIncoming(slow_result, slow_end);
  return result;
}

// The speculative pass: the same scaling and quotient, without a branch. A row the scalar loop would
// give to the kernel is marked instead, and its division gets operands that cannot trap (a constant
// divisor stays a constant, so the division remains a multiplication).
llvm::Value* FunctionEmitter::roundDivSpeculative(const ir::Expr& expr, llvm::Value* num, llvm::Value* den) {
  llvm::Value* numerator = wrappingBinary(llvm::Intrinsic::smul_with_overflow, num, i64(powerOfTen(expr.imm)));
  llvm::Value* divisor = wrappingBinary(llvm::Intrinsic::smul_with_overflow, den, i64(powerOfTen(expr.imm2)));
  llvm::Value* unsafe = builder_.CreateOr({builder_.CreateICmpEQ(divisor, i64(0)), builder_.CreateICmpEQ(numerator, i64(INT64_MIN)),
                                           builder_.CreateICmpEQ(divisor, i64(INT64_MIN))});
  markBad(unsafe);
  numerator = builder_.CreateSelect(unsafe, i64(0), numerator);
  auto* constant = llvm::dyn_cast<llvm::ConstantInt>(divisor);
  if (!constant || constant->isZero() || constant->isMinValue(/*IsSigned=*/true)) {
    divisor = builder_.CreateSelect(unsafe, i64(1), divisor);
  }
  return roundedQuotient(expr.mode, numerator, divisor);
}

// N / D rounded by `mode`, for N and D that cannot trap (D != 0, neither INT64_MIN). The final step
// cannot overflow (|D| >= 2 when the remainder is not 0), but the speculative pass may see any values,
// so the addition wraps there instead of promising no signed overflow.
llvm::Value* FunctionEmitter::roundedQuotient(ir::RoundMode mode, llvm::Value* numerator, llvm::Value* divisor) {
  llvm::Value* quotient = builder_.CreateSDiv(numerator, divisor);
  llvm::Value* remainder = builder_.CreateSRem(numerator, divisor);
  llvm::Value* negative =
      builder_.CreateXor(builder_.CreateICmpSLT(numerator, i64(0)), builder_.CreateICmpSLT(divisor, i64(0)));
  llvm::Value* away = roundsAway(mode, quotient, remainder, divisor, negative);
  llvm::Value* step = builder_.CreateSelect(away, builder_.CreateSelect(negative, i64(-1), i64(1)), i64(0));
  return builder_.CreateAdd(quotient, step, "", /*HasNUW=*/false, /*HasNSW=*/!speculative_);
}

// The kernel returns 0 or the ErrorCode of the row; the quotient comes back through memory.
llvm::Value* FunctionEmitter::roundDivKernel(const ir::Expr& expr, llvm::Value* num, llvm::Value* den) {
  llvm::Value* args[] = {num, den, i32(expr.imm), i32(expr.imm2), i32(static_cast<int32_t>(expr.mode)), round_div_out_};
  llvm::Value* code = builder_.CreateCall(round_div_kernel_, args);
  failIf(builder_.CreateICmpNE(code, i32(0)), code, expr.site);
  return builder_.CreateLoad(builder_.getInt64Ty(), round_div_out_);
}

// The kernel's rule: with r != 0, move one step away from zero when the mode says so.
llvm::Value* FunctionEmitter::roundsAway(ir::RoundMode mode, llvm::Value* quotient, llvm::Value* remainder,
                                         llvm::Value* divisor, llvm::Value* negative) {
  llvm::Value* inexact = builder_.CreateICmpNE(remainder, i64(0));
  llvm::Value* abs_rem = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::abs, remainder, builder_.getFalse());
  llvm::Value* abs_div = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::abs, divisor, builder_.getFalse());
  llvm::Value* rest = builder_.CreateSub(abs_div, abs_rem);  // |D| - |r| > 0
  llvm::Value* decision = builder_.getFalse();
  switch (mode) {
    case ir::RoundMode::HalfUp:
      decision = builder_.CreateICmpUGE(abs_rem, rest);
      break;
    case ir::RoundMode::HalfEven: {
      llvm::Value* odd = builder_.CreateTrunc(quotient, builder_.getInt1Ty());
      llvm::Value* tie = builder_.CreateAnd(builder_.CreateICmpEQ(abs_rem, rest), odd);
      decision = builder_.CreateOr(builder_.CreateICmpUGT(abs_rem, rest), tie);
      break;
    }
    case ir::RoundMode::Down:
      decision = builder_.getFalse();
      break;
    case ir::RoundMode::Up:
      decision = builder_.getTrue();
      break;
    case ir::RoundMode::Floor:
      decision = negative;
      break;
    case ir::RoundMode::Ceiling:
      decision = builder_.CreateNot(negative);
      break;
  }
  return builder_.CreateAnd(inexact, decision);
}

}  // namespace regelwerk::codegen
