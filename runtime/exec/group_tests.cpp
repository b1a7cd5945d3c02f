// A test of a grouped rule set is one group. Its records become CSV lines of their inputs (the values
// formatted as the writer formats cells, so the reader parses them back exactly) and go through the
// same GroupWorker as `regelwerk run`, once per engine. The output lines are split with the reader's
// CsvSplitter and compared cell by cell with the expected values, formatted the same way.
#include "group_tests.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "group_worker.hpp"
#include "grouped_run.hpp"
#include "compiler/support/civil_time.hpp"
#include "compiler/support/time_zone.hpp"
#include "runtime/columnar/cell_formats.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/io/csv_splitter.hpp"

namespace regelwerk {

namespace {

constexpr CsvDialect kDialect{',', '"'};

// The key every record of the test carries: the one a record gives, else 1 (or "1").
ir::TestValue testKey(const ir::TestCase& test) {
  if (test.key.present) return test.key;
  ir::TestValue key;
  key.i64 = 1;
  key.str = "1";
  return key;
}

const ir::TestValue* fieldValue(const ir::TestRecord& record, const std::string& name) {
  for (const auto& [field, value] : record.fields) {
    if (field == name) return &value;
  }
  return nullptr;
}

// An instant on the wall clock of the input format "local ZONE", as the data writes it: 2011-03-01T10:00:00Z
// in "local Europe/London" is `2011-03-01 10:00:00`, 2011-07-01T06:30:00Z is `2011-07-01 07:30:00`. An
// instant in the hour the clocks go back reads back as the earlier one, as a CSV cell of that time would.
std::string localCellText(const tz::Zone& zone, int64_t utc) {
  char text[32];
  size_t length = civil::formatTimestamp(utc + zone.offsetAt(utc), text);  // YYYY-MM-DDTHH:MM:SSZ
  text[10] = ' ';
  return std::string(text, length - 1);
}

// `value` as the writer writes a cell of `type` (unquoted): `2.50`, `reminder`, `2025-07-06`; "" for missing.
// A timestamp read with format "local ZONE" is written on that zone's clock, so the reader takes it back.
std::string cellText(const ir::Type& type, const std::string& format, const ir::TestValue& value) {
  if (!value.present) return "";
  if (type.isString()) return value.str;
  const std::string_view zone_name = localZoneNamed(format);
  const tz::Zone* zone = zone_name.empty() ? nullptr : tz::findZone(zone_name);
  if (type.kind == ir::TypeKind::Timestamp && zone) return localCellText(*zone, value.i64);
  std::string text;
  formatCell(type, format, CellValue{value.i64, value.str, false}, &text);
  return text;
}

// The test's records as CSV lines of their inputs (columns in the inputs' order), all in group 0.
GroupBatch testBatch(const ir::Program& program, const std::vector<RunInput>& inputs, const ir::TestCase& test) {
  GroupBatch batch;
  batch.inputs.resize(inputs.size());
  ir::TestValue key = testKey(test);
  bool text_key = program.grouping->key_type.isString();
  batch.int_keys.push_back(text_key ? 0 : key.i64);
  batch.text_keys.push_back(text_key ? key.str : std::to_string(key.i64));
  for (const ir::TestRecord& record : test.records) {
    auto input = std::find_if(inputs.begin(), inputs.end(), [&](const RunInput& run) { return run.name == record.input; });
    std::string line;
    for (const ir::InputColumn& column : input->columns) {
      if (&column != &input->columns.front()) line.push_back(kDialect.separator);
      bool key_column = !input->shared && column.name == program.grouping->key;
      const ir::TestValue* value = key_column ? &key : fieldValue(record, column.name);
      if (value) appendCsvField(cellText(column.type, column.format, *value), kDialect.separator, kDialect.quote, &line);
    }
    batch.inputs[static_cast<size_t>(input - inputs.begin())].add(0, line, record.line);
  }
  return batch;
}

// The lines of one output record split into cells with the data reader's splitter.
std::vector<std::vector<std::string>> splitLines(std::string_view text) {
  CsvSplitter splitter(kDialect);
  std::vector<std::vector<std::string>> rows;
  std::vector<CsvField> fields;
  for (const char* pos = text.data(); pos < text.data() + text.size();) {
    SplitResult split = splitter.split(pos, text.data() + text.size(), &fields);
    std::vector<std::string>& cells = rows.emplace_back();
    for (const CsvField& field : fields) {
      std::string& cell = cells.emplace_back();
      if (field.escaped) splitter.unescape(field, &cell);
      else cell.assign(field.view());
    }
    pos = split.end;
  }
  return rows;
}

std::string fate(const GroupBatchResult& result) {
  if (result.groups_out > 0) return "accepted";
  return "rejected: " + (result.rejects.empty() ? std::string("(no record)") : result.rejects.front().reject.reason);
}

// The engines must agree on the group's fate and on every byte of every record.
void compareEngines(const std::vector<RunRecord>& records, const GroupBatchResult& interp, const GroupBatchResult& jit,
                    std::vector<std::string>* problems) {
  if (fate(interp) != fate(jit)) {
    problems->push_back(fmt::format("the engines disagree: interpreter {}, JIT {}", fate(interp), fate(jit)));
    return;
  }
  for (size_t record = 0; record < records.size(); ++record) {
    if (interp.outputs[record].view() == jit.outputs[record].view()) continue;
    problems->push_back(fmt::format("the engines disagree on record {}: interpreter {:?}, JIT {:?}", records[record].name,
                                    std::string(interp.outputs[record].view()), std::string(jit.outputs[record].view())));
  }
}

std::string shown(const ir::Type& type, const std::string& cell) {
  if (type.isString()) return "\"" + cell + "\"";
  return cell.empty() ? "missing" : cell;
}

// One expected row against the row the record wrote: every output it names, by its cell text.
void compareRow(const RunRecord& record, const ir::TestRow& expected, const std::vector<std::string>& actual,
                const std::string& where, std::vector<std::string>* problems) {
  for (const auto& [name, value] : expected.outputs) {
    const std::vector<ir::Output>& columns = *record.columns;
    auto column = std::find_if(columns.begin(), columns.end(), [&](const ir::Output& output) { return output.name == name; });
    size_t index = static_cast<size_t>(column - columns.begin());
    std::string want = cellText(column->type, column->format, value);
    const std::string& got = actual[index];
    if (want == got) continue;  // a missing value is an empty cell
    problems->push_back(fmt::format("{}{}: expected {}, actual {}", where, name,
                                    value.present ? shown(column->type, want) : "missing", shown(column->type, got)));
  }
}

// The rows the test describes, record by record: an each record's row count must match when the test
// describes any of its rows.
void compareExpected(const std::vector<RunRecord>& records, const ir::TestCase& test, const GroupBatchResult& result,
                     std::vector<std::string>* problems) {
  if (test.expect_rejected) {
    if (result.groups_out > 0) {
      problems->push_back(fmt::format("expected rejected \"{}\", actual: accepted", test.rejected_reason));
    } else if (fate(result).find(test.rejected_reason) == std::string::npos) {
      problems->push_back(fmt::format("expected rejected \"{}\", actual: {}", test.rejected_reason, fate(result)));
    }
    return;
  }
  if (result.groups_out == 0) {
    problems->push_back("expected outputs, actual: " + fate(result));
    return;
  }
  for (size_t record = 0; record < records.size(); ++record) {
    std::vector<const ir::TestRow*> expected;
    for (const ir::TestRow& row : test.rows) {
      if (row.record == records[record].name) expected.push_back(&row);
    }
    if (expected.empty()) continue;
    std::vector<std::vector<std::string>> actual = splitLines(result.outputs[record].view());
    bool each = record > 0;
    if (actual.size() != expected.size()) {
      problems->push_back(fmt::format("{}: expected {} row{}, actual {}", records[record].name, expected.size(),
                                      expected.size() == 1 ? "" : "s", actual.size()));
    }
    for (size_t row = 0; row < std::min(actual.size(), expected.size()); ++row) {
      std::string where = records[record].name + (each ? fmt::format(" row {}", row + 1) : "") + ": ";
      compareRow(records[record], *expected[row], actual[row], where, problems);
    }
  }
}

GroupBatchResult evaluate(const GroupedContext& context, const Engine& engine, const GroupBatch& batch) {
  GroupedContext with_engine = context;
  with_engine.engine = &engine;
  GroupWorker worker(with_engine);
  GroupBatchResult result;
  worker.process(batch, &result);
  return result;
}

}  // namespace

void runGroupTest(const RuleSet& rules, const Engine& interp, const Engine& jit, size_t index, TestResult* result) {
  const ir::Program& program = rules.program();
  const ir::TestCase& test = program.tests[index];
  std::vector<ParamSlot> params;
  std::string problem = testParams(program, test, &params);
  if (!problem.empty()) return result->problems.push_back(problem);
  std::vector<RunInput> inputs = runInputs(program);
  std::vector<RunRecord> records = runRecords(program);
  GroupedContext context{&program, &interp, params.data(), {}, {}, {}, {}, {}, kDialect, {}};  // the test writes its records with kDialect
  std::string file = test.file.empty() ? rules.path() : test.file;
  for (const RunInput& input : inputs) {
    std::vector<std::string> header;
    for (const ir::InputColumn& column : input.columns) header.push_back(column.header);
    HeaderBinding binding;
    std::string error;
    bindHeader(input.columns, header, &binding, &error);
    context.input_names.push_back(input.name);
    context.input_paths.push_back(file);
    context.input_programs.push_back(input.program);
    context.bindings.push_back(std::move(binding));
  }
  std::vector<std::unique_ptr<CsvWriter>> writers;
  for (const RunRecord& record : records) {
    if (record.columns != nullptr) writers.push_back(std::make_unique<CsvWriter>(*record.columns, kDialect));
    context.writers.push_back(record.columns != nullptr ? writers.back().get() : nullptr);
  }
  GroupBatch batch = testBatch(program, inputs, test);
  GroupBatchResult by_interp = evaluate(context, interp, batch);
  GroupBatchResult by_jit = evaluate(context, jit, batch);
  if (!by_interp.fatal.empty()) {  // a run would stop here, so no expectation can describe it
    result->problems.push_back("a record of a shared input would stop every run: " + by_interp.fatal);
    return;
  }
  compareExpected(records, test, by_interp, &result->problems);
  compareEngines(records, by_interp, by_jit, &result->problems);
}

}  // namespace regelwerk
