// Internal to codegen: the state shared by the files that emit one program's `rules` function.
//
// from_ir.cpp builds the row loop, lets and outputs; emit_decision.cpp the hit policies;
// emit_chunks.cpp the out-of-line chunks of large decision blocks (chunk_plan.hpp); emit_expr.cpp and
// emit_round_div.cpp the expressions. Every value lives in SSA registers (Bool as i1, I64 as i64, Str as
// {ptr, i64}); outputs and "assigned" flags live in allocas that mem2reg promotes, or, when decisions are
// out of line, in the row frame that the chunks share. An error branches to the row end with its
// (code, site, rule_a, rule_b).
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/codegen/chunk_plan.hpp"
#include "compiler/ir/ir.hpp"

namespace regelwerk::codegen {

// A value in registers: `valid` is the presence bit of an optional value, null when always present.
struct Value {
  llvm::Value* value = nullptr;
  llvm::Value* valid = nullptr;
};

// The storage of one output during a row: allocas, or fields of the row frame.
struct OutputSlot {
  llvm::Value* value = nullptr;
  llvm::Value* valid = nullptr;
  llvm::Value* assigned = nullptr;
  llvm::Value* assigner = nullptr;  // exceptions blocks: rule index of the first winner that assigned it
};

// What one out-of-line chunk function does (emit_chunks.cpp). Each returns kChunkContinue, kChunkDecided
// (FirstRules only: a rule applied) or kChunkFailed (the row's error is in the frame).
enum class ChunkKind : uint8_t {
  WholeBlock,         // a whole decision block of any policy
  FirstRules,         // some rules of a `first` block
  UniqueConditions,   // the conditions of some rules of a `unique` block; the winner is in the frame
  UniqueAssignments,  // the assignments of the winner, if it is one of these rules
};
inline constexpr int32_t kChunkContinue = 0;
inline constexpr int32_t kChunkDecided = 1;
inline constexpr int32_t kChunkFailed = 2;

// Where a failing row goes: one incoming edge of the row-end block.
struct ErrorEdge {
  llvm::BasicBlock* from;
  llvm::Value* code;
  llvm::Value* site;
  llvm::Value* rule_a;
  llvm::Value* rule_b;
};

// The error code the speculative pass leaves on a row for the scalar loop to evaluate again; every such
// row is overwritten there, so the code never leaves `rules`.
inline constexpr int32_t kRetry = -100;

// True if RoundDiv `expr` takes the inline 64-bit path (emit_round_div.cpp), false if it calls the kernel.
bool roundDivInline(const ir::Expr& expr);

class FunctionEmitter {
 public:
  FunctionEmitter(const ir::Program& program, llvm::Module& module, const ChunkPlan& plan);
  // Emits the whole `rules` function, and the chunk functions it calls.
  void emitFunction();

 private:
  // from_ir.cpp: skeleton, row state, outputs.
  void declareKernels();
  void emitEntry();
  void allocateOutputs();
  void loadColumnPointers(bool with_outputs);
  void loadParams();
  void emitRowBody();
  void loadInputs();
  void emitDefaults();
  void storeOutputs();
  void finishRow(llvm::BasicBlock* next_row);
  void storeRowError(llvm::Value* row, std::initializer_list<llvm::Value*> fields);
  void createAliasScopes();
  void inColumn(llvm::Instruction* access, llvm::Value* base);
  Value loadColumnValue(llvm::Value* base, ir::Kind kind, llvm::Value* row);
  void storeColumnValue(llvm::Value* base, ir::Kind kind, llvm::Value* row, llvm::Value* value);
  void assignOutput(uint32_t output, Value value);

  // emit_speculative.cpp: the branch-free pass over the batch.
  void emitSpeculativeLoop(llvm::BasicBlock* from, llvm::BasicBlock* done);
  void emitSpeculativeFirst(const ir::Decision& decision);
  void emitSpeculativeUnique(const ir::Decision& decision);
  void assignOutputWhen(uint32_t output, Value value, llvm::Value* take);
  void markBad(llvm::Value* condition);
  Value emitWhere(llvm::Value* needed, const ir::Expr& expr);
  Value selectLogic(const ir::Expr& expr);
  Value selectIf(const ir::Expr& expr);
  Value selectCoalesce(const ir::Expr& expr);
  llvm::Value* wrappingBinary(llvm::Intrinsic::ID id, llvm::Value* lhs, llvm::Value* rhs);
  llvm::Value* productOverflows(llvm::Value* operand, int64_t constant);
  llvm::Value* isNegative(llvm::Value* value);

  // emit_decision.cpp: hit policies.
  void emitDecision(const ir::Decision& decision);
  void emitFirst(const ir::Decision& decision);
  void emitFirstRules(const ir::Decision& decision, RuleChunk chunk, llvm::BasicBlock* decided);
  void emitUnique(const ir::Decision& decision);
  void emitUniqueConditions(const ir::Decision& decision, RuleChunk chunk, llvm::Value* winner);
  void emitUniqueAssignments(const ir::Decision& decision, RuleChunk chunk, llvm::Value* winner,
                             llvm::BasicBlock* decided);
  void emitExceptions(const ir::Decision& decision);
  llvm::Value* emitCondition(const ir::Rule& rule);
  void emitAssignments(const ir::Rule& rule);
  void emitExceptionAssignment(const ir::Decision& decision, uint32_t rule, const ir::Assignment& assignment);
  llvm::Value* valuesDiffer(ir::Kind kind, Value a, Value b);

  // emit_chunks.cpp: the row frame and the out-of-line chunks of decision blocks.
  void buildFrameType();
  llvm::Value* frameField(unsigned field);
  void bindFrameOutputs();
  void storeLetsInFrame();
  void loadLetsFromFrame();
  void emitOutOfLine(uint32_t block);
  void emitFirstChunks(uint32_t block);
  void emitUniqueChunks(uint32_t block);
  llvm::Function* emitChunk(ChunkKind kind, uint32_t block, RuleChunk chunk);
  void emitChunkFunction(ChunkKind kind, const ir::Decision& decision, RuleChunk chunk, llvm::Function* function);
  void emitChunkBody(ChunkKind kind, const ir::Decision& decision, RuleChunk chunk);
  void finishChunk();
  llvm::Value* callChunk(llvm::Function* chunk);
  void failOnChunkError(llvm::Value* status);
  llvm::BasicBlock* chunkFailed();

  // emit_expr.cpp: one function per op family.
  Value emitExpr(const ir::Expr& expr);
  Value emitConst(const ir::Expr& expr);
  Value emitIsMissing(const ir::Expr& expr);
  Value emitCoalesce(const ir::Expr& expr);
  Value emitChecked(const ir::Expr& expr);
  Value emitNeg(const ir::Expr& expr);
  Value emitAbs(const ir::Expr& expr);
  Value emitMinMax(const ir::Expr& expr);
  Value emitCompare(const ir::Expr& expr);
  Value emitStrCompare(const ir::Expr& expr);
  Value emitConcat(const ir::Expr& expr);
  Value emitText(const ir::Expr& expr);
  Value emitMissing(const ir::Expr& expr);
  Value emitLogic(const ir::Expr& expr);
  Value emitNot(const ir::Expr& expr);
  Value emitIf(const ir::Expr& expr);
  Value emitCheckDate(const ir::Expr& expr);
  Value emitReject(const ir::Expr& expr);
  Value emitWith(const ir::Expr& expr);

  // emit_table.cpp: lookups and range sums through the shared kernels.
  Value emitTableLookup(const ir::Expr& expr);
  Value emitRangeSum(const ir::Expr& expr);
  llvm::Constant* tableArray(const std::vector<int64_t>& values, const std::string& name);
  llvm::Constant* tableKeys(uint32_t table);
  llvm::Constant* tableStrKeys(uint32_t table);
  llvm::Value* findRow(const ir::Expr& expr, Value key);
  llvm::Constant* tableColumn(uint32_t table, int64_t column);
  llvm::Value* checkedBinary(llvm::Intrinsic::ID id, llvm::Value* lhs, llvm::Value* rhs, uint32_t site);
  llvm::Value* strEqual(llvm::Value* lhs, llvm::Value* rhs);
  Value mergeValues(Value a, llvm::BasicBlock* a_end, Value b, llvm::BasicBlock* b_end);

  // emit_time.cpp: timestamps and the time kernels.
  Value emitCheckTimestamp(const ir::Expr& expr);
  Value emitTimeCall(const ir::Expr& expr);
  llvm::Function* timeKernel(const char* name);

  // emit_round_div.cpp.
  Value emitRoundDiv(const ir::Expr& expr);
  llvm::Value* roundDivFast(const ir::Expr& expr, llvm::Value* num, llvm::Value* den);
  llvm::Value* roundDivKernel(const ir::Expr& expr, llvm::Value* num, llvm::Value* den);
  llvm::Value* roundDivSpeculative(const ir::Expr& expr, llvm::Value* num, llvm::Value* den);
  llvm::Value* roundedQuotient(ir::RoundMode mode, llvm::Value* numerator, llvm::Value* divisor);
  llvm::Value* roundsAway(ir::RoundMode mode, llvm::Value* quotient, llvm::Value* remainder, llvm::Value* divisor,
                          llvm::Value* negative);

  // Error edges and small helpers.
  void failIf(llvm::Value* condition, llvm::Value* code, uint32_t site, llvm::Value* rule_a = nullptr,
              llvm::Value* rule_b = nullptr);
  void failIf(llvm::Value* condition, ir::ErrorCode code, uint32_t site, llvm::Value* rule_a = nullptr,
              llvm::Value* rule_b = nullptr);
  llvm::BasicBlock* newBlock(const char* name);
  llvm::AllocaInst* entryAlloca(llvm::Type* type, const char* name);
  llvm::Type* typeOf(ir::Kind kind);
  llvm::ConstantInt* i32(int64_t value) { return builder_.getInt32(static_cast<uint32_t>(value)); }
  llvm::ConstantInt* i64(int64_t value) { return builder_.getInt64(static_cast<uint64_t>(value)); }
  llvm::Value* present(Value value) { return value.valid ? value.valid : builder_.getTrue(); }

  const ir::Program& program_;
  llvm::Module& module_;
  const ChunkPlan& plan_;
  llvm::LLVMContext& context_;
  llvm::IRBuilder<> builder_;
  llvm::Type* str_type_;
  llvm::StructType* column_view_type_;
  llvm::StructType* param_slot_type_;
  llvm::StructType* row_error_type_;
  llvm::Function* function_ = nullptr;
  llvm::Function* round_div_kernel_ = nullptr;
  llvm::Function* str_eq_kernel_ = nullptr;
  llvm::Function* str_concat_kernel_ = nullptr;
  llvm::Function* text_kernel_ = nullptr;
  llvm::Function* table_find_kernel_ = nullptr;
  llvm::Function* table_find_str_kernel_ = nullptr;
  llvm::Function* range_sum_kernel_ = nullptr;

  llvm::BasicBlock* row_end_ = nullptr;  // stores errors[row], advances the row
  llvm::BasicBlock* exit_ = nullptr;     // stays the last block; new blocks go before it
  llvm::PHINode* row_phi_ = nullptr;  // the `rules` loop's row counter
  llvm::Value* row_ = nullptr;        // the row being evaluated (row_phi_, or a chunk's argument)
  llvm::StructType* frame_type_ = nullptr;  // decisions out of line: the row frame (emit_chunks.cpp)
  llvm::Value* frame_ = nullptr;
  llvm::BasicBlock* chunk_failed_ = nullptr;
  const ChunkUses* uses_ = nullptr;  // in a chunk: what its rules read and assign; null in `rules`  // `rules`: copies a failed chunk's error to the row end
  llvm::AllocaInst* round_div_out_ = nullptr;  // out-parameter of rw_round_div
  std::vector<ErrorEdge> error_edges_;
  std::vector<llvm::Value*> input_values_;  // base pointers, loaded once per call
  std::vector<llvm::Value*> input_valid_;
  std::vector<llvm::Value*> output_values_;
  std::vector<llvm::Value*> output_valid_;
  std::vector<Value> params_;  // loaded once per call
  std::vector<Value> inputs_;  // loaded at the start of each row
  std::vector<Value> lets_;    // SSA values: every let dominates the rest of the row
  std::vector<OutputSlot> outputs_;
  std::vector<Value> locals_;  // With slots: the SSA value bound while its body is emitted
  llvm::AllocaInst* range_sum_out_ = nullptr;  // out-parameter of rw_table_range_sum
  llvm::AllocaInst* concat_out_ = nullptr;     // out-parameter of rw_str_concat
  llvm::Value* strings_ = nullptr;             // the calling thread's StringArena: `rules`' sixth argument, a chunk's fifth
  llvm::AllocaInst* time_out_ = nullptr;       // out-parameter of the time kernels, made on first use
  // The speculative pass (emit_speculative.cpp): while emitting it, checks mark `bad_` where `live_`.
  bool speculative_ = false;
  llvm::Value* live_ = nullptr;  // i1: the value being emitted is needed by the row
  llvm::Value* bad_ = nullptr;   // i1: the row must be evaluated again by the scalar loop
  // One alias scope per column pointer (values, validity bytes) and one for `errors`: the callers
  // pass columns that never overlap, and saying so lets the vectoriser skip run-time checks.
  struct ColumnScope {
    llvm::Value* base;
    llvm::MDNode* scope;   // this column's
    llvm::MDNode* others;  // every other column's
  };
  std::vector<ColumnScope> column_scopes_;
};

}  // namespace regelwerk::codegen
