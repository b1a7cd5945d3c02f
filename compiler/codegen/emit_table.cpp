// IR -> LLVM IR for tables: the keys and value columns become constant arrays in the module, and the
// row is found by the same kernel the interpreter calls (rw_table_find), so both engines agree.
#include "compiler/codegen/function_emitter.hpp"

namespace regelwerk::codegen {

// A private constant i64 array; an empty table gets one zero so the address is always valid.
llvm::Constant* FunctionEmitter::tableArray(const std::vector<int64_t>& values, const std::string& name) {
  std::vector<uint64_t> data(values.begin(), values.end());
  if (data.empty()) data.push_back(0);
  llvm::Constant* init = llvm::ConstantDataArray::get(context_, data);
  return new llvm::GlobalVariable(module_, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init, name);
}

llvm::Constant* FunctionEmitter::tableKeys(uint32_t table) {
  const ir::Table& source = program_.tables[table];
  std::string name = source.name + ".keys";
  if (llvm::GlobalVariable* existing = module_.getNamedGlobal(name)) return existing;
  return tableArray(source.keys, name);
}

llvm::Constant* FunctionEmitter::tableColumn(uint32_t table, int64_t column) {
  const ir::TableColumn& source = program_.tables[table].columns[static_cast<size_t>(column)];
  std::string name = program_.tables[table].name + "." + source.name;
  if (llvm::GlobalVariable* existing = module_.getNamedGlobal(name)) return existing;
  return tableArray(source.values, name);
}

// String keys: an array of {ptr, size} constants pointing at the key strings in the module.
llvm::Constant* FunctionEmitter::tableStrKeys(uint32_t table) {
  const ir::Table& source = program_.tables[table];
  std::string name = source.name + ".str_keys";
  if (llvm::GlobalVariable* existing = module_.getNamedGlobal(name)) return existing;
  auto* str_struct = llvm::cast<llvm::StructType>(str_type_);
  std::vector<llvm::Constant*> keys;
  for (const std::string& key : source.str_keys) {
    llvm::GlobalVariable* bytes = builder_.CreateGlobalString(key, name + ".key", 0, &module_);
    keys.push_back(llvm::ConstantStruct::get(str_struct, {bytes, i64(static_cast<int64_t>(key.size()))}));
  }
  if (keys.empty()) keys.push_back(llvm::Constant::getNullValue(str_struct));
  auto* type = llvm::ArrayType::get(str_struct, keys.size());
  return new llvm::GlobalVariable(module_, type, true, llvm::GlobalValue::PrivateLinkage,
                                  llvm::ConstantArray::get(type, keys), name);
}

// The row for the key: rw_table_find or rw_table_find_str, the kernels the interpreter calls.
llvm::Value* FunctionEmitter::findRow(const ir::Expr& expr, Value key) {
  const ir::Table& table = program_.tables[expr.index];
  llvm::Value* count = i64(static_cast<int64_t>(table.keys.size()));
  if (table.key_type.isString()) {
    llvm::Value* args[] = {tableStrKeys(expr.index), count, builder_.CreateExtractValue(key.value, 0),
                           builder_.CreateExtractValue(key.value, 1)};
    return builder_.CreateCall(table_find_str_kernel_, args);
  }
  llvm::Value* args[] = {tableKeys(expr.index), count, key.value, i32(table.range ? 1 : 0)};
  return builder_.CreateCall(table_find_kernel_, args);
}

// row = the kernel's answer; the value is values[max(row, 0)], present iff row >= 0.
Value FunctionEmitter::emitTableLookup(const ir::Expr& expr) {
  llvm::Value* row = findRow(expr, emitExpr(*expr.args[0]));
  llvm::Value* found = builder_.CreateICmpSGE(row, i64(0));
  llvm::Value* safe_row = builder_.CreateSelect(found, row, i64(0));
  llvm::Value* address = builder_.CreateInBoundsGEP(builder_.getInt64Ty(), tableColumn(expr.index, expr.imm), safe_row);
  llvm::Value* value = builder_.CreateLoad(builder_.getInt64Ty(), address);
  if (expr.kind == ir::Kind::Bool) value = builder_.CreateICmpNE(value, i64(0));
  return Value{value, found};
}

Value FunctionEmitter::emitRangeSum(const ir::Expr& expr) {
  const ir::Table& table = program_.tables[expr.index];
  llvm::Value* from = emitExpr(*expr.args[0]).value;
  llvm::Value* until = emitExpr(*expr.args[1]).value;
  llvm::Value* plus = emitExpr(*expr.args[2]).value;
  llvm::Value* args[] = {tableKeys(expr.index), tableColumn(expr.index, expr.imm),
                         i64(static_cast<int64_t>(table.keys.size())), from, until, plus, i64(expr.imm2), range_sum_out_};
  llvm::Value* code = builder_.CreateCall(range_sum_kernel_, args);
  failIf(builder_.CreateICmpNE(code, i32(0)), code, expr.site);
  return Value{builder_.CreateLoad(builder_.getInt64Ty(), range_sum_out_), nullptr};
}

}  // namespace regelwerk::codegen
