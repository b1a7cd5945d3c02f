// IR -> LLVM IR, program level: the `rules` function, its row loop, lets, defaults and output stores.
//
// Shape of the generated function (before optimisation):
//   entry:   allocas; load every column's base pointers and every parameter once; rows > 0 ?
//   speculative.row (programs that take the speculative pass, emit_speculative.cpp): one branch-free
//            block per row over the whole batch; errors[row] = {0 or kRetry, 0, -1, -1}
//   row.check (same programs): errors[row].code == 0 ? row.next : row
//   row:     row = phi; load the row's inputs; lets; decisions; defaults; store outputs
//   row_end: phis of (code, site, rule_a, rule_b) from the success edge and every error edge;
//            errors[row] = ...
//   row.next: ++row; loop or exit
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "compiler/codegen/codegen.hpp"
#include "compiler/codegen/function_emitter.hpp"

namespace regelwerk::codegen {

using llvm::BasicBlock;

FunctionEmitter::FunctionEmitter(const ir::Program& program, llvm::Module& module, const ChunkPlan& plan)
    : program_(program),
      module_(module),
      plan_(plan),
      context_(module.getContext()),
      builder_(module.getContext()) {
  // Mirrors of the C structs in runtime/columnar/batch.hpp.
  llvm::Type* ptr = builder_.getPtrTy();
  str_type_ = llvm::StructType::get(context_, {ptr, builder_.getInt64Ty()});
  column_view_type_ = llvm::StructType::get(context_, {ptr, ptr});
  param_slot_type_ = llvm::StructType::get(context_, {builder_.getInt64Ty(), str_type_});
  llvm::Type* i32_type = builder_.getInt32Ty();
  row_error_type_ = llvm::StructType::get(context_, {i32_type, i32_type, i32_type, i32_type});
}

// The kernels are pure apart from their pointer arguments; saying so lets LLVM keep column loads
// and loop-invariant values across the calls. Every function of the module (`rules` and its chunks)
// shares one declaration of each.
void FunctionEmitter::declareKernels() {
  if (llvm::Function* declared = module_.getFunction("rw_round_div")) {
    round_div_kernel_ = declared;
    str_eq_kernel_ = module_.getFunction("rw_str_eq");
    range_sum_kernel_ = module_.getFunction("rw_table_range_sum");
    table_find_kernel_ = module_.getFunction("rw_table_find");
    table_find_str_kernel_ = module_.getFunction("rw_table_find_str");
    str_concat_kernel_ = module_.getFunction("rw_str_concat");
    text_kernel_ = module_.getFunction("rw_text");
    return;
  }
  llvm::Type* i32_type = builder_.getInt32Ty();
  llvm::Type* i64_type = builder_.getInt64Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  auto declare = [&](const char* name, llvm::ArrayRef<llvm::Type*> params, llvm::ModRefInfo access) {
    auto* type = llvm::FunctionType::get(i32_type, params, false);
    auto* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module_);
    function->setDoesNotThrow();
    function->addFnAttr(llvm::Attribute::WillReturn);
    function->setMemoryEffects(llvm::MemoryEffects::argMemOnly(access));
    for (unsigned arg = 0; arg < params.size(); ++arg) {
      if (params[arg] == ptr) function->addParamAttr(arg, llvm::Attribute::NoCapture);
    }
    return function;
  };
  round_div_kernel_ =
      declare("rw_round_div", {i64_type, i64_type, i32_type, i32_type, i32_type, ptr}, llvm::ModRefInfo::ModRef);
  str_eq_kernel_ = declare("rw_str_eq", {ptr, i64_type, ptr, i64_type}, llvm::ModRefInfo::Ref);
  // Writes into the arena's blocks, which are not argument memory: no memory-effect attribute.
  auto* concat_type = llvm::FunctionType::get(i32_type, {ptr, ptr, i64_type, ptr, i64_type, ptr}, false);
  str_concat_kernel_ = llvm::Function::Create(concat_type, llvm::Function::ExternalLinkage, "rw_str_concat", module_);
  str_concat_kernel_->setDoesNotThrow();
  str_concat_kernel_->addFnAttr(llvm::Attribute::WillReturn);
  auto* text_type = llvm::FunctionType::get(i32_type, {ptr, i64_type, i32_type, i32_type, ptr}, false);
  text_kernel_ = llvm::Function::Create(text_type, llvm::Function::ExternalLinkage, "rw_text", module_);
  text_kernel_->setDoesNotThrow();
  text_kernel_->addFnAttr(llvm::Attribute::WillReturn);
  range_sum_kernel_ = declare("rw_table_range_sum", {ptr, ptr, i64_type, i64_type, i64_type, i64_type, i64_type, ptr},
                              llvm::ModRefInfo::ModRef);
  auto* find_type = llvm::FunctionType::get(i64_type, {ptr, i64_type, i64_type, i32_type}, false);
  table_find_kernel_ = llvm::Function::Create(find_type, llvm::Function::ExternalLinkage, "rw_table_find", module_);
  table_find_kernel_->setDoesNotThrow();
  table_find_kernel_->addFnAttr(llvm::Attribute::WillReturn);
  table_find_kernel_->setMemoryEffects(llvm::MemoryEffects::argMemOnly(llvm::ModRefInfo::Ref));
  auto* find_str_type = llvm::FunctionType::get(i64_type, {ptr, i64_type, ptr, i64_type}, false);
  table_find_str_kernel_ =
      llvm::Function::Create(find_str_type, llvm::Function::ExternalLinkage, "rw_table_find_str", module_);
  table_find_str_kernel_->setDoesNotThrow();
  table_find_str_kernel_->addFnAttr(llvm::Attribute::WillReturn);
  // Reads the key strings behind the array's pointers, so not argument memory only.
  table_find_str_kernel_->setMemoryEffects(llvm::MemoryEffects::readOnly());
}

void FunctionEmitter::emitFunction() {
  declareKernels();
  llvm::Type* ptr = builder_.getPtrTy();
  // rules(inputs, params, outputs, errors, rows, strings): `strings` is the caller's StringArena.
  auto* type = llvm::FunctionType::get(builder_.getVoidTy(), {ptr, ptr, ptr, ptr, builder_.getInt64Ty(), ptr}, false);
  function_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, kRulesFunction, module_);
  // The four arrays never overlap; inputs and params are only read.
  for (unsigned arg = 0; arg < 4; ++arg) {
    function_->addParamAttr(arg, llvm::Attribute::NoAlias);
    function_->addParamAttr(arg, llvm::Attribute::NoCapture);
  }
  function_->addParamAttr(0, llvm::Attribute::ReadOnly);
  function_->addParamAttr(1, llvm::Attribute::ReadOnly);
  function_->setDoesNotThrow();
  if (plan_.out_of_line) buildFrameType();
  emitEntry();
}

void FunctionEmitter::emitEntry() {
  BasicBlock* entry = newBlock("entry");
  builder_.SetInsertPoint(entry);
  if (plan_.out_of_line) {
    frame_ = builder_.CreateAlloca(frame_type_, nullptr, "frame");
    bindFrameOutputs();
  } else {
    allocateOutputs();
  }
  round_div_out_ = builder_.CreateAlloca(builder_.getInt64Ty(), nullptr, "round_div.out");
  range_sum_out_ = builder_.CreateAlloca(builder_.getInt64Ty(), nullptr, "range_sum.out");
  concat_out_ = builder_.CreateAlloca(str_type_, nullptr, "concat.out");
  strings_ = function_->getArg(5);
  locals_.resize(program_.local_count);
  loadColumnPointers(/*with_outputs=*/true);
  loadParams();

  const bool speculate = usesSpeculativePass(program_);
  if (speculate) createAliasScopes();

  llvm::Value* rows = function_->getArg(4);
  BasicBlock* start = newBlock("start");
  BasicBlock* check = speculate ? newBlock("row.check") : nullptr;
  BasicBlock* body = newBlock("row");
  row_end_ = newBlock("row_end");
  BasicBlock* next_row = newBlock("row.next");
  exit_ = newBlock("exit");
  builder_.CreateCondBr(builder_.CreateICmpSGT(rows, i64(0)), start, exit_);

  builder_.SetInsertPoint(start);
  BasicBlock* head = speculate ? check : body;
  if (speculate) {
    emitSpeculativeLoop(start, check);
  } else {
    builder_.CreateBr(body);
  }
  BasicBlock* before = builder_.GetInsertBlock();
  builder_.SetInsertPoint(head);
  row_phi_ = builder_.CreatePHI(builder_.getInt64Ty(), 2, "row");
  row_phi_->addIncoming(i64(0), before);
  row_ = row_phi_;
  if (speculate) {  // only the rows the speculative pass marked
    llvm::Value* code_at = builder_.CreateInBoundsGEP(row_error_type_, function_->getArg(3), {row_, i32(0)});
    llvm::LoadInst* code = builder_.CreateLoad(builder_.getInt32Ty(), code_at, "speculative.code");
    inColumn(code, function_->getArg(3));
    builder_.CreateCondBr(builder_.CreateICmpEQ(code, i32(0)), next_row, body);
    builder_.SetInsertPoint(body);
  }
  emitRowBody();
  finishRow(next_row);

  builder_.SetInsertPoint(next_row);
  llvm::Value* next = builder_.CreateAdd(row_, i64(1), "row.next", /*HasNUW=*/true, /*HasNSW=*/true);
  row_phi_->addIncoming(next, next_row);
  builder_.CreateCondBr(builder_.CreateICmpSLT(next, rows), head, exit_);
  builder_.SetInsertPoint(exit_);
  builder_.CreateRetVoid();
}

// Scopes for every column pointer loaded so far and for `errors`; accesses name theirs (inColumn).
void FunctionEmitter::createAliasScopes() {
  llvm::MDBuilder metadata(context_);
  llvm::MDNode* domain = metadata.createAnonymousAliasScopeDomain("columns");
  auto add = [&](llvm::Value* base) {
    if (base) column_scopes_.push_back(ColumnScope{base, metadata.createAnonymousAliasScope(domain), nullptr});
  };
  for (llvm::Value* base : input_values_) add(base);
  for (llvm::Value* base : input_valid_) add(base);
  for (llvm::Value* base : output_values_) add(base);
  for (llvm::Value* base : output_valid_) add(base);
  add(function_->getArg(3));
  for (ColumnScope& column : column_scopes_) {
    std::vector<llvm::Metadata*> others;
    for (const ColumnScope& other : column_scopes_) {
      if (other.scope != column.scope) others.push_back(other.scope);
    }
    column.others = llvm::MDNode::get(context_, others);
  }
}

void FunctionEmitter::inColumn(llvm::Instruction* access, llvm::Value* base) {
  for (const ColumnScope& column : column_scopes_) {
    if (column.base != base) continue;
    access->setMetadata(llvm::LLVMContext::MD_alias_scope, llvm::MDNode::get(context_, {column.scope}));
    access->setMetadata(llvm::LLVMContext::MD_noalias, column.others);
    return;
  }
}

// Small programs keep each output in allocas of its own, which mem2reg turns into registers.
void FunctionEmitter::allocateOutputs() {
  for (const ir::Output& output : program_.outputs) {
    OutputSlot slot;
    slot.value = builder_.CreateAlloca(typeOf(ir::physicalKind(output.type)), nullptr, output.name);
    slot.valid = builder_.CreateAlloca(builder_.getInt1Ty(), nullptr, output.name + ".valid");
    slot.assigned = builder_.CreateAlloca(builder_.getInt1Ty(), nullptr, output.name + ".assigned");
    slot.assigner = builder_.CreateAlloca(builder_.getInt32Ty(), nullptr, output.name + ".assigner");
    outputs_.push_back(slot);
  }
}

void FunctionEmitter::loadColumnPointers(bool with_outputs) {
  llvm::Type* ptr = builder_.getPtrTy();
  auto field = [&](llvm::Value* views, size_t column, unsigned member) {
    llvm::Value* address = builder_.CreateInBoundsGEP(column_view_type_, views, {i64(column), i32(member)});
    return builder_.CreateLoad(ptr, address);
  };
  for (size_t column = 0; column < program_.inputs.size(); ++column) {
    if (uses_ && !uses_->inputs[column]) {
      input_values_.push_back(nullptr);
      input_valid_.push_back(nullptr);
      continue;
    }
    input_values_.push_back(field(function_->getArg(0), column, 0));
    input_valid_.push_back(program_.inputs[column].type.optional ? field(function_->getArg(0), column, 1) : nullptr);
  }
  for (size_t column = 0; column < program_.outputs.size() && with_outputs; ++column) {
    output_values_.push_back(field(function_->getArg(2), column, 0));
    output_valid_.push_back(program_.outputs[column].type.optional ? field(function_->getArg(2), column, 1) : nullptr);
  }
}

// Parameters are never optional; Bool and I64 kinds read ParamSlot::i64, strings ParamSlot::str.
void FunctionEmitter::loadParams() {
  for (size_t index = 0; index < program_.params.size(); ++index) {
    if (uses_ && !uses_->params[index]) {
      params_.push_back(Value{});
      continue;
    }
    ir::Kind kind = ir::physicalKind(program_.params[index].type);
    unsigned member = kind == ir::Kind::Str ? 1 : 0;
    llvm::Value* address =
        builder_.CreateInBoundsGEP(param_slot_type_, function_->getArg(1), {i64(index), i32(member)});
    llvm::Value* loaded = builder_.CreateLoad(kind == ir::Kind::Str ? str_type_ : builder_.getInt64Ty(), address,
                                              program_.params[index].name);
    if (kind == ir::Kind::Bool) loaded = builder_.CreateICmpNE(loaded, i64(0));
    params_.push_back(Value{loaded, nullptr});
  }
}

// One row: ir.hpp's order (lets, decisions, defaults), then the stores of the success path.
void FunctionEmitter::emitRowBody() {
  loadInputs();
  for (const OutputSlot& slot : outputs_) builder_.CreateStore(builder_.getFalse(), slot.assigned);
  for (const ir::Let& let : program_.lets) lets_.push_back(emitExpr(*let.value));
  if (plan_.out_of_line) storeLetsInFrame();
  for (uint32_t block = 0; block < program_.decisions.size(); ++block) {
    if (plan_.out_of_line) {
      emitOutOfLine(block);
    } else {
      emitDecision(program_.decisions[block]);
    }
  }
  emitDefaults();
  storeOutputs();
  error_edges_.push_back(ErrorEdge{builder_.GetInsertBlock(), i32(0), i32(0), i32(-1), i32(-1)});
  builder_.CreateBr(row_end_);
}

// Every input column is loaded at the start of the row, so each Input node is a register read that
// dominates all its uses; loads of columns the row does not need are removed by the optimiser. A chunk
// loads only the columns its rules read (uses_).
void FunctionEmitter::loadInputs() {
  for (size_t column = 0; column < program_.inputs.size(); ++column) {
    if (!input_values_[column]) {
      inputs_.push_back(Value{});
      continue;
    }
    Value value = loadColumnValue(input_values_[column], ir::physicalKind(program_.inputs[column].type), row_);
    if (input_valid_[column]) {
      llvm::Value* address = builder_.CreateInBoundsGEP(builder_.getInt8Ty(), input_valid_[column], row_);
      llvm::LoadInst* valid = builder_.CreateLoad(builder_.getInt8Ty(), address);
      inColumn(valid, input_valid_[column]);
      value.valid = builder_.CreateICmpNE(valid, builder_.getInt8(0));
    }
    inputs_.push_back(value);
  }
}

// Defaults are lazy: an output's default runs only if no winning rule assigned it, so an
// overflowing default does not reject a row in which a rule sets the output.
void FunctionEmitter::emitDefaults() {
  for (uint32_t output = 0; output < program_.outputs.size(); ++output) {
    BasicBlock* evaluate = newBlock("default");
    BasicBlock* done = newBlock("defaulted");
    llvm::Value* assigned = builder_.CreateLoad(builder_.getInt1Ty(), outputs_[output].assigned);
    builder_.CreateCondBr(assigned, done, evaluate);
    builder_.SetInsertPoint(evaluate);
    assignOutput(output, emitExpr(*program_.outputs[output].default_value));
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
  }
}

// A missing value is stored as zero (false, 0, {null, 0}) with validity 0, as the interpreter
// does, so both engines write identical bytes.
void FunctionEmitter::storeOutputs() {
  for (size_t output = 0; output < program_.outputs.size(); ++output) {
    ir::Kind kind = ir::physicalKind(program_.outputs[output].type);
    llvm::Value* value = builder_.CreateLoad(typeOf(kind), outputs_[output].value);
    if (!output_valid_[output]) {
      storeColumnValue(output_values_[output], kind, row_, value);
      continue;
    }
    llvm::Value* valid = builder_.CreateLoad(builder_.getInt1Ty(), outputs_[output].valid);
    value = builder_.CreateSelect(valid, value, llvm::Constant::getNullValue(typeOf(kind)));
    storeColumnValue(output_values_[output], kind, row_, value);
    llvm::Value* address = builder_.CreateInBoundsGEP(builder_.getInt8Ty(), output_valid_[output], row_);
    inColumn(builder_.CreateStore(builder_.CreateZExt(valid, builder_.getInt8Ty()), address), output_valid_[output]);
  }
}

void FunctionEmitter::finishRow(BasicBlock* next_row) {
  builder_.SetInsertPoint(row_end_);
  auto phi = [&](auto member, const char* name) {
    llvm::PHINode* node = builder_.CreatePHI(builder_.getInt32Ty(), error_edges_.size(), name);
    for (const ErrorEdge& edge : error_edges_) node->addIncoming(edge.*member, edge.from);
    return node;
  };
  storeRowError(row_, {phi(&ErrorEdge::code, "code"), phi(&ErrorEdge::site, "site"), phi(&ErrorEdge::rule_a, "rule_a"),
                       phi(&ErrorEdge::rule_b, "rule_b")});
  builder_.CreateBr(next_row);
}

// errors[row] = {code, site, rule_a, rule_b}.
void FunctionEmitter::storeRowError(llvm::Value* row, std::initializer_list<llvm::Value*> fields) {
  llvm::Value* record = builder_.CreateInBoundsGEP(row_error_type_, function_->getArg(3), row);
  unsigned member = 0;
  for (llvm::Value* field : fields) {
    inColumn(builder_.CreateStore(field, builder_.CreateStructGEP(row_error_type_, record, member++)), function_->getArg(3));
  }
}

Value FunctionEmitter::loadColumnValue(llvm::Value* base, ir::Kind kind, llvm::Value* row) {
  llvm::Type* stored = kind == ir::Kind::Bool ? builder_.getInt8Ty() : typeOf(kind);
  llvm::LoadInst* loaded = builder_.CreateLoad(stored, builder_.CreateInBoundsGEP(stored, base, row));
  inColumn(loaded, base);
  llvm::Value* value = loaded;
  if (kind == ir::Kind::Bool) value = builder_.CreateICmpNE(loaded, builder_.getInt8(0));
  return Value{value, nullptr};
}

void FunctionEmitter::storeColumnValue(llvm::Value* base, ir::Kind kind, llvm::Value* row, llvm::Value* value) {
  llvm::Type* stored = kind == ir::Kind::Bool ? builder_.getInt8Ty() : typeOf(kind);
  if (kind == ir::Kind::Bool) value = builder_.CreateZExt(value, stored);
  inColumn(builder_.CreateStore(value, builder_.CreateInBoundsGEP(stored, base, row)), base);
}

void FunctionEmitter::assignOutput(uint32_t output, Value value) {
  builder_.CreateStore(value.value, outputs_[output].value);
  builder_.CreateStore(present(value), outputs_[output].valid);
  builder_.CreateStore(builder_.getTrue(), outputs_[output].assigned);
}

void FunctionEmitter::failIf(llvm::Value* condition, llvm::Value* code, uint32_t site, llvm::Value* rule_a,
                             llvm::Value* rule_b) {
  if (speculative_) return markBad(condition);
  BasicBlock* ok = newBlock("ok");
  llvm::MDNode* weights = llvm::MDBuilder(context_).createUnlikelyBranchWeights();
  builder_.CreateCondBr(condition, row_end_, ok, weights);
  error_edges_.push_back(
      ErrorEdge{builder_.GetInsertBlock(), code, i32(site), rule_a ? rule_a : i32(-1), rule_b ? rule_b : i32(-1)});
  builder_.SetInsertPoint(ok);
}

void FunctionEmitter::failIf(llvm::Value* condition, ir::ErrorCode code, uint32_t site, llvm::Value* rule_a,
                             llvm::Value* rule_b) {
  failIf(condition, i32(static_cast<int32_t>(code)), site, rule_a, rule_b);
}

// Blocks are appended before the exit block, which stays last (a chunk has none: they go at the end).
BasicBlock* FunctionEmitter::newBlock(const char* name) {
  return BasicBlock::Create(context_, name, function_, exit_);
}

// Allocas go first in the entry block, where mem2reg promotes them.
llvm::AllocaInst* FunctionEmitter::entryAlloca(llvm::Type* type, const char* name) {
  BasicBlock& entry = function_->getEntryBlock();
  llvm::IRBuilder<> at_start(&entry, entry.begin());
  return at_start.CreateAlloca(type, nullptr, name);
}

llvm::Type* FunctionEmitter::typeOf(ir::Kind kind) {
  switch (kind) {
    case ir::Kind::Bool:
      return builder_.getInt1Ty();
    case ir::Kind::I64:
      return builder_.getInt64Ty();
    case ir::Kind::Str:
      return str_type_;
  }
  return builder_.getInt64Ty();
}

std::unique_ptr<llvm::Module> emitModule(const ir::Program& program, llvm::LLVMContext& context, std::string* error) {
  // The emitter relies on the IR's invariants; malformed IR is an error message, never an LLVM assertion.
  std::vector<std::string> problems = ir::verify(program);
  if (!problems.empty()) {
    if (error) *error = "malformed IR: " + problems.front();
    return nullptr;
  }
  auto module = std::make_unique<llvm::Module>(program.name.empty() ? "rules" : program.name, context);
  ChunkPlan plan = planChunks(program);
  FunctionEmitter(program, *module, plan).emitFunction();
  std::string message;
  llvm::raw_string_ostream stream(message);
  if (llvm::verifyModule(*module, &stream)) {
    if (error) *error = "internal error: invalid LLVM IR: " + stream.str();
    return nullptr;
  }
  return module;
}

}  // namespace regelwerk::codegen
