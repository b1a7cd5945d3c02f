// IR -> LLVM IR for programs whose decisions are emitted out of line (chunk_plan.hpp says when and why).
//
// Every chunk is an internal, never-inlined function
//   i32 chunk(const ColumnView* inputs, const ParamSlot* params, i64 row, Frame* frame, StringArena* strings)
// that evaluates some rules of one decision block for one row, exactly as the inline code would. What
// the row loop and the chunks share lives in the row frame, an alloca of `rules`:
//   { [4 x i32] error, i32 unique_winner, per output {value, valid, assigned, assigner}, per let {value, valid} }
// A chunk reloads its own inputs and params (the loads of columns it does not use are removed by the
// optimiser), reads the lets from the frame, and assigns outputs in the frame. On an error it writes
// (code, site, rule_a, rule_b) to frame.error and returns kChunkFailed; `rules` copies that to the row
// end, so a row fails with the same four numbers as in the inline code and the interpreter.
//
// `decide first` of 5,000 rules in chunks A, B, C: status = A(); 1 -> decided, 2 -> fail; then B, C.
// `decide unique`: every condition chunk (conflicts are found across chunks through frame.winner), then
// the assignment chunk whose rule range holds the winner. `decide exceptions` (at most 64 rules) and any
// block that fits one chunk: one WholeBlock chunk.
#include <fmt/format.h>
#include <llvm/IR/MDBuilder.h>

#include "compiler/codegen/codegen.hpp"
#include "compiler/codegen/function_emitter.hpp"

namespace regelwerk::codegen {

using llvm::BasicBlock;

namespace {

constexpr unsigned kErrorField = 0;
constexpr unsigned kWinnerField = 1;
constexpr unsigned kFirstOutputField = 2;
constexpr unsigned kFieldsPerOutput = 4;  // value, valid, assigned, assigner
constexpr unsigned kFieldsPerLet = 2;     // value, valid

unsigned outputField(uint32_t output, unsigned member) {
  return kFirstOutputField + output * kFieldsPerOutput + member;
}

unsigned letField(size_t outputs, uint32_t let, unsigned member) {
  return kFirstOutputField + static_cast<unsigned>(outputs) * kFieldsPerOutput + let * kFieldsPerLet + member;
}

}  // namespace

// Built by the `rules` emitter and handed to each chunk's emitter.
void FunctionEmitter::buildFrameType() {
  std::vector<llvm::Type*> fields = {llvm::ArrayType::get(builder_.getInt32Ty(), 4), builder_.getInt32Ty()};
  for (const ir::Output& output : program_.outputs) {
    fields.insert(fields.end(), {typeOf(ir::physicalKind(output.type)), builder_.getInt1Ty(), builder_.getInt1Ty(),
                                 builder_.getInt32Ty()});
  }
  for (const ir::Let& let : program_.lets) {
    fields.insert(fields.end(), {typeOf(ir::physicalKind(let.type)), builder_.getInt1Ty()});
  }
  frame_type_ = llvm::StructType::get(context_, fields);
}

llvm::Value* FunctionEmitter::frameField(unsigned field) {
  return builder_.CreateStructGEP(frame_type_, frame_, field);
}

// A chunk binds only the outputs its rules assign and loads only the lets they read: binding every one
// in every chunk would cost chunks x outputs, quadratic when each block has outputs of its own.
void FunctionEmitter::bindFrameOutputs() {
  for (uint32_t output = 0; output < program_.outputs.size(); ++output) {
    if (uses_ && !uses_->outputs[output]) {
      outputs_.push_back(OutputSlot{});
      continue;
    }
    outputs_.push_back(OutputSlot{frameField(outputField(output, 0)), frameField(outputField(output, 1)),
                                  frameField(outputField(output, 2)), frameField(outputField(output, 3))});
  }
}

void FunctionEmitter::storeLetsInFrame() {
  for (uint32_t let = 0; let < lets_.size(); ++let) {
    builder_.CreateStore(lets_[let].value, frameField(letField(program_.outputs.size(), let, 0)));
    builder_.CreateStore(present(lets_[let]), frameField(letField(program_.outputs.size(), let, 1)));
  }
}

// A let that is not optional is always present: its Value has no validity bit, as in `rules`.
void FunctionEmitter::loadLetsFromFrame() {
  for (uint32_t let = 0; let < program_.lets.size(); ++let) {
    const ir::Let& declared = program_.lets[let];
    Value value;
    if (!uses_->lets[let]) {
      lets_.push_back(value);
      continue;
    }
    value.value = builder_.CreateLoad(typeOf(ir::physicalKind(declared.type)),
                                      frameField(letField(program_.outputs.size(), let, 0)), declared.name);
    if (declared.type.optional) {
      value.valid = builder_.CreateLoad(builder_.getInt1Ty(), frameField(letField(program_.outputs.size(), let, 1)));
    }
    lets_.push_back(value);
  }
}

void FunctionEmitter::emitOutOfLine(uint32_t block) {
  const std::vector<RuleChunk>& chunks = plan_.blocks[block];
  if (chunks.size() == 1) return failOnChunkError(callChunk(emitChunk(ChunkKind::WholeBlock, block, chunks[0])));
  // The planner keeps an `exceptions` block in one chunk.
  if (program_.decisions[block].policy == ir::HitPolicy::First) return emitFirstChunks(block);
  emitUniqueChunks(block);
}

// A chunk that decided skips the chunks after it, as a decided rule skips the rules after it.
void FunctionEmitter::emitFirstChunks(uint32_t block) {
  BasicBlock* decided = newBlock("first.decided");
  for (RuleChunk chunk : plan_.blocks[block]) {
    llvm::Value* status = callChunk(emitChunk(ChunkKind::FirstRules, block, chunk));
    BasicBlock* next = newBlock("first.next");
    llvm::SwitchInst* outcome = builder_.CreateSwitch(status, chunkFailed(), 2);
    outcome->addCase(i32(kChunkContinue), next);
    outcome->addCase(i32(kChunkDecided), decided);
    builder_.SetInsertPoint(next);
  }
  builder_.CreateBr(decided);
  builder_.SetInsertPoint(decided);
}

// All conditions first (a conflict may be between rules of two chunks), then the one assignment chunk
// whose rules hold the winner: (winner - begin) < size as unsigned is false for winner -1.
void FunctionEmitter::emitUniqueChunks(uint32_t block) {
  llvm::Value* winner = frameField(kWinnerField);
  builder_.CreateStore(i32(-1), winner);
  for (RuleChunk chunk : plan_.blocks[block]) {
    failOnChunkError(callChunk(emitChunk(ChunkKind::UniqueConditions, block, chunk)));
  }
  llvm::Value* chosen = builder_.CreateLoad(builder_.getInt32Ty(), winner, "unique.winner");
  BasicBlock* decided = newBlock("unique.decided");
  for (RuleChunk chunk : plan_.blocks[block]) {
    BasicBlock* assign = newBlock("unique.assign");
    BasicBlock* next = newBlock("unique.next");
    llvm::Value* offset = builder_.CreateSub(chosen, i32(chunk.begin));
    builder_.CreateCondBr(builder_.CreateICmpULT(offset, i32(chunk.end - chunk.begin)), assign, next);
    builder_.SetInsertPoint(assign);
    failOnChunkError(callChunk(emitChunk(ChunkKind::UniqueAssignments, block, chunk)));
    builder_.CreateBr(decided);
    builder_.SetInsertPoint(next);
  }
  builder_.CreateBr(decided);
  builder_.SetInsertPoint(decided);
}

// Creates the chunk function and fills it with an emitter of its own (its own blocks, error edges and
// registers); only the module, the kernels and the frame layout are shared.
llvm::Function* FunctionEmitter::emitChunk(ChunkKind kind, uint32_t block, RuleChunk chunk) {
  llvm::Type* ptr = builder_.getPtrTy();
  auto* type = llvm::FunctionType::get(builder_.getInt32Ty(), {ptr, ptr, builder_.getInt64Ty(), ptr, ptr}, false);
  std::string name = fmt::format("{}.block{}.rules{}_{}", kRulesFunction, block, chunk.begin, chunk.end);
  auto* function = llvm::Function::Create(type, llvm::Function::InternalLinkage, name, module_);
  // Inlined back, the chunks would rebuild the one huge function this file exists to avoid.
  function->addFnAttr(llvm::Attribute::NoInline);
  function->setDoesNotThrow();
  for (unsigned arg : {0u, 1u, 3u}) {
    function->addParamAttr(arg, llvm::Attribute::NoAlias);
    function->addParamAttr(arg, llvm::Attribute::NoCapture);
  }
  function->addParamAttr(0, llvm::Attribute::ReadOnly);
  function->addParamAttr(1, llvm::Attribute::ReadOnly);
  FunctionEmitter chunk_emitter(program_, module_, plan_);
  chunk_emitter.frame_type_ = frame_type_;  // built once: its size grows with the outputs and lets
  chunk_emitter.emitChunkFunction(kind, program_.decisions[block], chunk, function);
  return function;
}

// The chunk's entry loads what `rules` has in registers (inputs, params, lets), then the rules.
void FunctionEmitter::emitChunkFunction(ChunkKind kind, const ir::Decision& decision, RuleChunk chunk,
                                        llvm::Function* function) {
  declareKernels();
  function_ = function;
  builder_.SetInsertPoint(newBlock("entry"));
  round_div_out_ = builder_.CreateAlloca(builder_.getInt64Ty(), nullptr, "round_div.out");
  range_sum_out_ = builder_.CreateAlloca(builder_.getInt64Ty(), nullptr, "range_sum.out");
  concat_out_ = builder_.CreateAlloca(str_type_, nullptr, "concat.out");
  strings_ = function->getArg(4);
  locals_.resize(program_.local_count);
  ChunkUses uses = chunkUses(program_, decision, chunk);
  uses_ = &uses;
  frame_ = function->getArg(3);
  row_ = function->getArg(2);
  bindFrameOutputs();
  loadColumnPointers(/*with_outputs=*/false);
  loadParams();
  loadInputs();
  loadLetsFromFrame();
  row_end_ = newBlock("chunk.failed");
  emitChunkBody(kind, decision, chunk);
  finishChunk();
  uses_ = nullptr;
}

void FunctionEmitter::emitChunkBody(ChunkKind kind, const ir::Decision& decision, RuleChunk chunk) {
  switch (kind) {
    case ChunkKind::WholeBlock:
      emitDecision(decision);
      break;
    case ChunkKind::FirstRules: {
      BasicBlock* decided = newBlock("chunk.decided");
      emitFirstRules(decision, chunk, decided);
      builder_.CreateRet(i32(kChunkContinue));
      builder_.SetInsertPoint(decided);
      builder_.CreateRet(i32(kChunkDecided));
      return;
    }
    case ChunkKind::UniqueConditions:
      emitUniqueConditions(decision, chunk, frameField(kWinnerField));
      break;
    case ChunkKind::UniqueAssignments: {
      BasicBlock* decided = newBlock("chunk.decided");
      emitUniqueAssignments(decision, chunk, frameField(kWinnerField), decided);
      builder_.SetInsertPoint(decided);
      break;
    }
  }
  builder_.CreateRet(i32(kChunkContinue));
}

// The chunk's row end: the failing edge's (code, site, rule_a, rule_b) go to frame.error.
void FunctionEmitter::finishChunk() {
  builder_.SetInsertPoint(row_end_);
  auto phi = [&](auto member) {
    llvm::PHINode* node = builder_.CreatePHI(builder_.getInt32Ty(), error_edges_.size());
    for (const ErrorEdge& edge : error_edges_) node->addIncoming(edge.*member, edge.from);
    return node;
  };
  llvm::Value* fields[] = {phi(&ErrorEdge::code), phi(&ErrorEdge::site), phi(&ErrorEdge::rule_a),
                           phi(&ErrorEdge::rule_b)};
  llvm::Value* error = frameField(kErrorField);
  llvm::Type* error_type = llvm::ArrayType::get(builder_.getInt32Ty(), 4);
  for (unsigned member = 0; member < 4; ++member) {
    builder_.CreateStore(fields[member], builder_.CreateConstInBoundsGEP2_32(error_type, error, 0, member));
  }
  builder_.CreateRet(i32(kChunkFailed));
}

llvm::Value* FunctionEmitter::callChunk(llvm::Function* chunk) {
  return builder_.CreateCall(chunk, {function_->getArg(0), function_->getArg(1), row_, frame_, strings_});
}

void FunctionEmitter::failOnChunkError(llvm::Value* status) {
  BasicBlock* ok = newBlock("chunk.ok");
  llvm::MDNode* weights = llvm::MDBuilder(context_).createUnlikelyBranchWeights();
  builder_.CreateCondBr(builder_.CreateICmpEQ(status, i32(kChunkFailed)), chunkFailed(), ok, weights);
  builder_.SetInsertPoint(ok);
}

// One block of `rules` reads frame.error after any failed chunk and is one edge into the row end.
BasicBlock* FunctionEmitter::chunkFailed() {
  if (chunk_failed_) return chunk_failed_;
  llvm::IRBuilderBase::InsertPointGuard keep(builder_);
  chunk_failed_ = newBlock("chunk.failed");
  builder_.SetInsertPoint(chunk_failed_);
  llvm::Type* error_type = llvm::ArrayType::get(builder_.getInt32Ty(), 4);
  llvm::Value* error = frameField(kErrorField);
  llvm::Value* fields[4];
  for (unsigned member = 0; member < 4; ++member) {
    fields[member] =
        builder_.CreateLoad(builder_.getInt32Ty(), builder_.CreateConstInBoundsGEP2_32(error_type, error, 0, member));
  }
  error_edges_.push_back(ErrorEdge{chunk_failed_, fields[0], fields[1], fields[2], fields[3]});
  builder_.CreateBr(row_end_);
  return chunk_failed_;
}

}  // namespace regelwerk::codegen
