// What `regelwerk diff` works from, read-only during the pass: the input columns both versions read
// (parsed once), each version's evaluator and params, and how each shared output is compared.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/columnar/evaluator.hpp"
#include "runtime/io/csv_dialect.hpp"
#include "runtime/io/header_binding.hpp"

namespace regelwerk {

inline constexpr size_t kOld = 0;
inline constexpr size_t kNew = 1;

// One version: its program, engine, bound params, header binding, and where its inputs are in the
// shared batch.
struct DiffVersion {
  const ir::Program* program = nullptr;
  const Evaluator* evaluator = nullptr;
  std::vector<ParamSlot> params;
  std::vector<std::string> param_storage;
  HeaderBinding binding;             // its own, for deciding one record alone
  std::vector<size_t> input_column;  // per input of the program: its column in DiffPlan::inputs
  std::vector<size_t> money_outputs;
};

// How the values of a shared output are compared: by value when both versions give it one type
// (its `format` aside), else by the text each version writes for it (`Text`).
enum class CompareMode : uint8_t { Int, Bool, Str, Text };

struct OutputPair {
  std::string name;
  size_t old_output = 0;
  size_t new_output = 0;
  CompareMode mode = CompareMode::Int;
  // Enum and bool outputs count each value pair: values 0..n-1, and n for missing; 0 when not counted.
  size_t old_values = 0;
  size_t new_values = 0;
  // Other outputs of one 64-bit type in both versions (int, money, dates, …) count their value pairs.
  bool value_pairs = false;
  std::shared_ptr<const CellFormatter> old_text;  // Text mode only: the plain written form
  std::shared_ptr<const CellFormatter> new_text;
};

struct DiffPlan {
  std::vector<ir::InputColumn> inputs;  // every column either version reads, once per header, type and format
  HeaderBinding binding;
  std::array<DiffVersion, 2> versions;
  std::vector<OutputPair> pairs;  // shared outputs, in the old version's order
  std::vector<std::string> only_old;
  std::vector<std::string> only_new;
  CsvDialect dialect;
  size_t batch_size = 2048;
  size_t sample_limit = 10;
};

// Fills plan->inputs, each version's input_column and money_outputs, pairs, only_old and only_new from
// the two programs (versions[…].program set).
void planColumns(DiffPlan* plan);

// The plain text of `value` as an output of `type` is written (no `format`): `5.00`, `reminder`, `missing`.
std::string valueText(const ir::Type& type, const CellValue& value);

// The name of value `index` of an enum or bool output in the transition counts: `reminder`, `true`,
// `missing` (the last index).
std::string countedValueName(const ir::Type& type, size_t index);

}  // namespace regelwerk
