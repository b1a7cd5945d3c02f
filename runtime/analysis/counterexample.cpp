// Model -> record -> interpreter trace and CSV text.
#include "counterexample.hpp"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/io/bound_csv_reader.hpp"

namespace regelwerk::analysis {

// A string field's id that no constant of the program has: a text no rule mentions, made unique by
// the id ("other 7"), so that two fields with the same id get the same text.
static std::string textOf(const Encoder& encoder, int64_t id) {
  if (const std::string* text = encoder.stringOf(id)) return *text;
  return fmt::format("other {}", id);
}

static CellSlot slotFromModel(const z3::model& model, const Encoder& encoder, const z3::expr& value,
                              const z3::expr& present, const ir::Type& type) {
  CellSlot slot;
  slot.present = model.eval(present, true).is_true();
  z3::expr got = model.eval(value, true);
  if (type.isBool()) {
    slot.i64 = got.is_true() ? 1 : 0;
    return slot;
  }
  int64_t number = 0;
  if (got.is_numeral() && got.is_numeral_i64(number)) slot.i64 = number;
  if (type.isString()) slot.str = textOf(encoder, slot.i64);
  return slot;
}

Record recordFromModel(const z3::model& model, const Encoder& encoder, const ir::Program& program) {
  Record record;
  for (size_t column = 0; column < program.inputs.size(); ++column) {
    record.inputs.push_back(slotFromModel(model, encoder, encoder.inputValue(column), encoder.inputPresent(column),
                                          program.inputs[column].type));
  }
  z3::expr always = model.ctx().bool_val(true);
  for (size_t param = 0; param < program.params.size(); ++param) {
    record.params.push_back(slotFromModel(model, encoder, encoder.paramValue(param), always,
                                          program.params[param].type));
  }
  return record;
}

z3::expr excluding(z3::context& context, const Encoder& encoder, const ir::Program& program, const Record& record) {
  z3::expr differs = context.bool_val(false);
  for (size_t column = 0; column < program.inputs.size(); ++column) {
    const CellSlot& slot = record.inputs[column];
    const z3::expr& value = encoder.inputValue(column);
    z3::expr same_value = program.inputs[column].type.isBool() ? value == context.bool_val(slot.i64 != 0)
                                                               : value == context.int_val(slot.i64);
    differs = differs || !same_value || encoder.inputPresent(column) != context.bool_val(slot.present);
  }
  return differs;
}

// One row of columns over the record's storage, handed to the interpreter's tracer.
RowTrace traceRecord(const ir::Program& program, const Record& record) {
  size_t count = program.inputs.size();
  std::vector<int64_t> numbers(count);
  std::vector<uint8_t> flags(count);
  std::vector<StrRef> texts(count);
  std::vector<uint8_t> valid(count);
  std::vector<ColumnView> views(count);
  for (size_t column = 0; column < count; ++column) {
    const CellSlot& slot = record.inputs[column];
    const ir::Type& type = program.inputs[column].type;
    numbers[column] = slot.i64;
    flags[column] = static_cast<uint8_t>(slot.i64 != 0);
    texts[column] = StrRef{slot.str.data(), static_cast<int64_t>(slot.str.size())};
    valid[column] = slot.present ? 1 : 0;
    void* values = type.isBool() ? static_cast<void*>(&flags[column])
                   : type.isString() ? static_cast<void*>(&texts[column])
                                     : static_cast<void*>(&numbers[column]);
    views[column] = ColumnView{values, type.optional ? &valid[column] : nullptr};
  }
  std::vector<ParamSlot> params;
  for (const CellSlot& slot : record.params) {
    params.push_back(ParamSlot{slot.i64, StrRef{slot.str.data(), static_cast<int64_t>(slot.str.size())}});
  }
  return traceRow(program, views.data(), params.data(), 0);
}

static CellValue cellOf(const CellSlot& slot) {
  CellValue cell;
  cell.i64 = slot.i64;
  cell.str = slot.str;
  cell.missing = !slot.present;
  return cell;
}

std::vector<std::string> csvLines(const ir::Program& program, const Record& record) {
  char separator = program.input_separator != 0 ? program.input_separator : ',';
  std::string header;
  std::string row;
  for (size_t column = 0; column < program.inputs.size(); ++column) {
    const ir::InputColumn& input = program.inputs[column];
    if (column > 0) header += separator, row += separator;
    appendCsvField(input.header, separator, '"', &header);
    formatCell(input.type, input.format, cellOf(record.inputs[column]), &row, separator);
  }
  // A lone empty cell would be a blank line, which the reader skips: write it quoted.
  if (row.empty()) row = "\"\"";
  return {header, row};
}

// The two lines through the run's own reader (BoundCsvReader), from memory: exactly one record, read
// back as the same values.
bool readsBack(const ir::Program& program, const Record& record) {
  const std::vector<std::string> lines = csvLines(program, record);
  const std::string text = lines[0] + "\n" + lines[1] + "\n";
  const int fd = memfd_create("counterexample", MFD_CLOEXEC);
  if (fd < 0) return false;
  bool same = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::lseek(fd, 0, SEEK_SET) == 0;
  const CsvDialect dialect{program.input_separator != 0 ? program.input_separator : ',', '"'};
  BoundCsvReader reader(fd, program.inputs, dialect, 2);
  std::string error;
  std::vector<Reject> rejects;
  same = same && reader.start(&error) && reader.next(&rejects, &error) == 1 && rejects.empty();
  ::close(fd);
  if (!same) return false;
  Batch& batch = reader.batch();
  std::vector<ColumnView> views = batch.views();
  for (size_t column = 0; column < program.inputs.size(); ++column) {
    const ir::Type& type = program.inputs[column].type;
    const CellValue read = cellAt(views[column], ir::physicalKind(type), 0);
    const CellSlot& slot = record.inputs[column];
    if (read.missing != !slot.present) return false;
    if (!slot.present) continue;
    if (type.isString() ? read.str != slot.str : read.i64 != slot.i64) return false;
  }
  return true;
}

// `'it'\''s'`: a value the shell passes on unchanged.
static std::string shellQuoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

static bool isDefault(const ir::Param& param, const CellSlot& slot) {
  if (!param.has_default) return false;
  if (param.type.isString()) return slot.str == param.default_str;
  return slot.i64 == param.default_i64;
}

std::string paramArguments(const ir::Program& program, const Record& record) {
  std::string out;
  for (size_t index = 0; index < program.params.size(); ++index) {
    const ir::Param& param = program.params[index];
    if (isDefault(param, record.params[index])) continue;
    std::string value;
    if (param.type.isString()) value = record.params[index].str;  // `--param` takes the text itself
    else formatCell(param.type.required(), "", cellOf(record.params[index]), &value, '\n');
    out += fmt::format(" --param {}", shellQuoted(param.name + "=" + value));
  }
  return out;
}

}  // namespace regelwerk::analysis
