// IR -> LLVM IR for time: the timestamp range check, and TimeCall through the kernels of
// runtime/builtins/time_kernels.hpp (the same functions the interpreter calls, by the same name).
#include "compiler/codegen/function_emitter.hpp"
#include "compiler/support/civil_time.hpp"

namespace regelwerk::codegen {

// One unsigned compare, as for dates: (t - min) > (max - min) iff t is outside the range.
Value FunctionEmitter::emitCheckTimestamp(const ir::Expr& expr) {
  llvm::Value* seconds = emitExpr(*expr.args[0]).value;
  llvm::Value* offset = builder_.CreateSub(seconds, i64(civil::kMinTimestamp));
  failIf(builder_.CreateICmpUGT(offset, i64(civil::kMaxTimestamp - civil::kMinTimestamp)),
         ir::ErrorCode::TimestampOutOfRange, expr.site);
  return Value{seconds, nullptr};
}

// The kernel named `name`, declared once per module. It reads the zone name and writes `out` (its
// argument memory) and keeps the zone cache (memory the program cannot see).
llvm::Function* FunctionEmitter::timeKernel(const char* name) {
  if (llvm::Function* known = module_.getFunction(name)) return known;
  llvm::Type* i64_type = builder_.getInt64Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  auto* type = llvm::FunctionType::get(builder_.getInt32Ty(), {i64_type, i64_type, i64_type, ptr, i64_type, ptr}, false);
  auto* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module_);
  function->setDoesNotThrow();
  function->addFnAttr(llvm::Attribute::WillReturn);
  function->setMemoryEffects(llvm::MemoryEffects::inaccessibleOrArgMemOnly());
  function->addParamAttr(3, llvm::Attribute::NoCapture);
  function->addParamAttr(5, llvm::Attribute::NoCapture);
  return function;
}

// `local_time(at, tz)` -> rw_local_time(at, 0, 0, tz.data, tz.size, &out); a non-zero code rejects the row.
Value FunctionEmitter::emitTimeCall(const ir::Expr& expr) {
  const ir::TimeFnInfo& fn = ir::timeFnInfo(static_cast<ir::TimeFn>(expr.imm));
  llvm::Value* args[] = {i64(0), i64(0), i64(0), llvm::ConstantPointerNull::get(builder_.getPtrTy()), i64(0), nullptr};
  for (size_t arg = 0; arg < expr.args.size(); ++arg) {
    llvm::Value* value = emitExpr(*expr.args[arg]).value;
    if (arg < static_cast<size_t>(fn.int_args)) {
      args[arg] = value;
      continue;
    }
    args[3] = builder_.CreateExtractValue(value, 0);
    args[4] = builder_.CreateExtractValue(value, 1);
  }
  if (!time_out_) time_out_ = entryAlloca(builder_.getInt64Ty(), "time.out");
  args[5] = time_out_;
  llvm::Value* code = builder_.CreateCall(timeKernel(fn.kernel), args);
  failIf(builder_.CreateICmpNE(code, i32(0)), code, expr.site);
  return Value{builder_.CreateLoad(builder_.getInt64Ty(), time_out_), nullptr};
}

}  // namespace regelwerk::codegen
