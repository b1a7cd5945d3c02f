// `regelwerk run --explain LINE`: finds the record that starts at LINE of the input, evaluates it with
// the interpreter's trace and says which rules applied, won or were overridden, and what came out.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "runtime/exec/api.hpp"
#include "row_error.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/io/bound_csv_reader.hpp"

namespace regelwerk {

namespace {

// `fee = 5.00, action = reminder`: every output of the row, as it would be written.
std::string outputsOf(const ir::Program& program, const Evaluator& engine, Batch& inputs, size_t row,
                      const ParamSlot* params, std::string* error_text) {
  std::vector<ir::Type> types;
  for (const ir::Output& output : program.outputs) types.push_back(output.type);
  Batch outputs(types, inputs.rows());
  std::vector<RowError> errors(inputs.rows());
  std::vector<ColumnView> in = inputs.views();
  std::vector<ColumnView> out = outputs.views();
  engine.evaluate(in.data(), params, out.data(), errors.data(), static_cast<int64_t>(inputs.rows()));
  if (errors[row].code != 0) {
    *error_text = "rejected: " + describeRowError(program, errors[row]);
    return "";
  }
  std::string text;
  for (size_t output = 0; output < program.outputs.size(); ++output) {
    CellValue value = cellAt(out[output], outputs.column(output).kind(), row);
    std::string cell;
    if (!value.missing) formatCell(program.outputs[output].type, "", value, &cell);
    text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", program.outputs[output].name,
                        value.missing ? "missing" : cell);
  }
  return text;
}

}  // namespace

bool explainRecord(const RuleSet& rules, const RunOptions& options, int64_t line, std::string* text,
                   std::string* error) {
  const ir::Program& program = rules.program();
  std::vector<ParamSlot> params;
  std::vector<std::string> storage;
  if (!bindParams(program, options.params, &params, &storage, error)) return false;
  int fd = options.input_path == "-" ? 0 : ::open(options.input_path.c_str(), O_RDONLY);
  if (fd < 0) return *error = "cannot read input `" + options.input_path + "`", false;
  BoundCsvReader reader(fd, program.inputs, CsvDialect{options.separator, '"'}, 2048);
  if (!reader.start(error)) {
    if (fd > 0) ::close(fd);
    return false;  // an empty input or a header that does not fit: the parser needs a bound header
  }
  Batch& batch = reader.batch();
  bool found = false;
  std::vector<Reject> rejects;
  for (size_t rows = 1; !found && rows > 0;) {
    rejects.clear();
    rows = reader.next(&rejects, error);
    for (const Reject& reject : rejects) {
      if (reject.line != line) continue;
      *text = fmt::format("line {}: rejected while reading: {}{}\n", line, reject.column.empty() ? "" : reject.column + ": ",
                          reject.reason);
      found = true;
    }
    for (size_t row = 0; row < rows && !found; ++row) {
      if (batch.lineNumbers()[row] != line) continue;
      std::vector<ColumnView> views = batch.views();
      std::string rejected;
      auto interp = Engine::create(rules, EngineKind::Interp, error);
      std::string outputs = outputsOf(program, interp->evaluator(), batch, row, params.data(), &rejected);
      *text = fmt::format("line {}: {}\n", line, rejected.empty() ? outputs : rejected) +
              explainRow(rules, views.data(), params.data(), static_cast<int64_t>(row));
      found = true;
    }
  }
  if (fd > 0) ::close(fd);
  if (!found && error->empty()) *error = fmt::format("no record starts at line {} of `{}`", line, options.input_path);
  return found;
}

}  // namespace regelwerk
