// Tests of grouped rule sets (docs/language.md, "Tests of groups"): a test is one group. `given Claim:
// amount = 5.00 EUR` adds a record of input Claim (the one input's lines set its fields), `expect Payout:
// payout = 2.50 EUR` describes the next row of output record Payout.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "checker.hpp"
#include "literals.hpp"

namespace regelwerk::sema {

namespace {

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "`" : ", `") + name + "`";
  return out.empty() ? "none" : out;
}

}  // namespace

Checker::TestTarget Checker::inputTarget(uint32_t input) const {
  const std::string& name = ast_.inputs[input].name;
  TestTarget target{fmt::format("a field of input `{}`", name), fmt::format("fields of `{}`", name), {}};
  for (uint32_t field : out_.group.fields[input]) target.names.emplace_back(out_.fields[field].name, out_.fields[field].type);
  return target;
}

// The outputs of the group's record (block -1) or of an each block; a fold's states are no outputs.
Checker::TestTarget Checker::recordTarget(int block) const {
  const std::string& name = block < 0 ? out_.group.record : out_.group.blocks[static_cast<size_t>(block)].record;
  TestTarget target{fmt::format("an output of record `{}`", name), fmt::format("outputs of `{}`", name), {}};
  for (size_t output = 0; output < ast_.outputs.size(); ++output) {
    if (ast_.outputs[output].block != block || ast_.outputs[output].state) continue;
    target.names.emplace_back(out_.outputs[output].name, out_.outputs[output].type);
  }
  return target;
}

const ast::InputDecl& Checker::firstGivenInput() const {
  auto given = std::find_if(ast_.inputs.begin(), ast_.inputs.end(), [](const ast::InputDecl& input) { return !input.derived; });
  return given != ast_.inputs.end() ? *given : ast_.inputs.front();
}

std::optional<uint32_t> Checker::testInput(const ast::TestRecordDecl& record, bool report) {
  std::vector<std::string> names;
  for (uint32_t input = 0; input < ast_.inputs.size(); ++input) {
    if (ast_.inputs[input].derived) {
      if (ast_.inputs[input].name != record.target || !report) continue;
      error("E0610", record.loc, fmt::format("`{}` is derived: its records are the rows the group's blocks write `as {}`", record.target, record.target),
            "give the records they are written from; `expect " + record.target + ": ...` describes the rows");
      return std::nullopt;
    }
    if (ast_.inputs[input].name == record.target) return input;
    names.push_back(ast_.inputs[input].name);
  }
  if (report) {
    error("E0610", record.loc, fmt::format("`given {}:` names no input of this rule set", record.target),
          fmt::format("the inputs are {}", listed(names)));
  }
  return std::nullopt;
}

// -1 for the group's record, the each block's index for an each record.
std::optional<int> Checker::testRecord(const ast::TestRecordDecl& row, bool report) {
  std::vector<std::string> names{out_.group.record};
  if (row.target == out_.group.record) return -1;
  for (size_t block = 0; block < out_.group.blocks.size(); ++block) {
    const BlockInfo& info = out_.group.blocks[block];
    if (info.record.empty()) continue;  // a fold without `as R`
    if (info.record == row.target) return static_cast<int>(block);
    names.push_back(info.record);
  }
  if (report) {
    error("E0610", row.loc, fmt::format("`expect {}:` names no output record of this rule set", row.target),
          fmt::format("the records are {}", listed(names)));
  }
  return std::nullopt;
}

void Checker::checkGroupTestBindings(const ast::TestDecl& decl) {
  if (!decl.given.empty()) {
    error("E0609", decl.given[0].loc, "with keyed inputs, `given` says whose field it is",
          fmt::format("write `given {}: {} = ...` (a test is one group: one line per record)", firstGivenInput().name,
                      decl.given[0].name));
  }
  if (!decl.expect.empty()) {
    error("E0609", decl.expect[0].loc, "with keyed inputs, `expect` says which output record it describes",
          fmt::format("write `expect {}: {} = ...`", out_.group.record, decl.expect[0].name));
  }
  for (const ast::TestRecordDecl& record : decl.records) {
    if (auto input = testInput(record, true)) checkTestSection(record.bindings, inputTarget(*input));
  }
  TestTarget params{"a param of this rule set", "params", {}};
  for (const ParamInfo& param : out_.params) params.names.emplace_back(param.name, param.type);
  checkTestSection(decl.params, params);
  for (const ast::TestRecordDecl& row : decl.rows) {
    if (auto block = testRecord(row, true)) checkTestSection(row.bindings, recordTarget(*block));
  }
  if (decl.expect_rejected && !decl.rows.empty()) {
    error("E0606", decl.rejected_loc, fmt::format("{} expects both output rows and a rejection", testWords(decl)),
          "a rejected group has no output rows: keep one of them");
  }
}

// Along the `like` chain: records of `many` inputs accumulate, the one input's fields and the group
// record's outputs override by name, and a link's rows of an each record replace the earlier links'.
void Checker::resolveGroupTest(const std::vector<const ast::TestDecl*>& chain, TestInfo* test) {
  std::optional<TestRecordInfo> one;
  std::vector<TestRecordInfo> many;
  std::map<uint32_t, const ast::TestValue*> group_row;
  std::map<int, std::vector<TestRowInfo>> each_rows;
  auto fieldIndex = [&](uint32_t input, const std::string& name) -> std::optional<size_t> {
    const std::vector<uint32_t>& fields = out_.group.fields[input];
    for (size_t index = 0; index < fields.size(); ++index) {
      if (out_.fields[fields[index]].name == name) return index;
    }
    return std::nullopt;
  };
  for (const ast::TestDecl* link : chain) {
    for (const ast::TestRecordDecl& record : link->records) {
      std::optional<uint32_t> input = testInput(record, false);
      if (!input) continue;
      bool is_one = static_cast<int>(*input) == out_.group.one_input;
      if (is_one && !one) one = TestRecordInfo{*input, record.loc, std::vector<const ast::TestValue*>(out_.group.fields[*input].size())};
      TestRecordInfo fresh{*input, record.loc, std::vector<const ast::TestValue*>(out_.group.fields[*input].size())};
      TestRecordInfo& target = is_one ? *one : fresh;
      for (const ast::TestBinding& binding : record.bindings) {
        if (auto index = fieldIndex(*input, binding.name)) target.values[*index] = &binding.value;
      }
      if (!is_one) many.push_back(std::move(fresh));
    }
    if (link->expect_rejected) {
      group_row.clear();
      each_rows.clear();
    }
    std::map<int, std::vector<TestRowInfo>> link_rows;
    for (const ast::TestRecordDecl& row : link->rows) {
      std::optional<int> block = testRecord(row, false);
      if (!block) continue;
      TestRowInfo info{*block, {}};
      for (const ast::TestBinding& binding : row.bindings) {
        for (size_t output = 0; output < out_.outputs.size(); ++output) {
          if (out_.outputs[output].name != binding.name || ast_.outputs[output].block != *block) continue;
          if (*block < 0) group_row[static_cast<uint32_t>(output)] = &binding.value;
          else info.expect.emplace_back(static_cast<uint32_t>(output), &binding.value);
        }
      }
      if (*block >= 0) link_rows[*block].push_back(std::move(info));
    }
    for (auto& [block, rows] : link_rows) each_rows[block] = std::move(rows);
    if (!link->rows.empty()) test->expect_rejected = false;
    if (link->expect_rejected) {
      test->expect_rejected = true;
      test->rejected_reason = *link->expect_rejected;
    }
  }
  if (one) test->records.push_back(std::move(*one));
  for (TestRecordInfo& record : many) test->records.push_back(std::move(record));
  if (!group_row.empty()) test->rows.push_back(TestRowInfo{-1, {group_row.begin(), group_row.end()}});
  for (auto& [block, rows] : each_rows) {
    for (TestRowInfo& row : rows) test->rows.push_back(std::move(row));
  }
}

// Every record complete (its key may be left out: the test fills it), at least one record, and one key.
void Checker::checkGroupTestRecords(const ast::TestDecl& decl, const TestInfo& test) {
  // A group exists only through a keyed record; shared records alone form none.
  const bool keyed = std::any_of(test.records.begin(), test.records.end(),
                                 [&](const TestRecordInfo& record) { return !ast_.inputs[record.input].keyless(); });
  if (!keyed) {
    auto first_keyed = std::find_if(ast_.inputs.begin(), ast_.inputs.end(), [](const ast::InputDecl& input) { return !input.keyless(); });
    error("E0604", decl.loc,
          fmt::format("{} gives no record{}", testWords(decl), test.records.empty() ? "" : " of a keyed input (shared records form no group)"),
          fmt::format("a test is one group: add `given {}: ...` lines", first_keyed->name));
    return;
  }
  std::string keys_seen;
  const ast::TestValue* key = nullptr;
  for (const TestRecordInfo& record : test.records) {
    const std::vector<uint32_t>& fields = out_.group.fields[record.input];
    uint32_t key_field = out_.group.key_field[record.input];
    std::string missing;
    size_t count = 0;
    for (size_t index = 0; index < fields.size(); ++index) {
      const ast::TestValue* value = record.values[index];
      if (index == key_field) {
        if (value && key && literalText(*value->expr) != literalText(*key->expr)) {
          error("E0611", value->loc,
                fmt::format("{} gives two keys, {} and {}: a test is one group", testWords(decl),
                            literalText(*key->expr), literalText(*value->expr)),
                fmt::format("give `{}` the same value in every record, or leave it out", out_.group.key));
        }
        if (value && !key) key = value;
        continue;
      }
      if (out_.fields[fields[index]].type.optional || (value && !value->missing)) continue;
      missing += (missing.empty() ? "`" : ", `") + out_.fields[fields[index]].name + "`";
      ++count;
    }
    if (count == 0) continue;
    error("E0604", record.loc,
          fmt::format("{} does not give the required field{} {} of `{}`", testWords(decl), count == 1 ? "" : "s",
                      missing, ast_.inputs[record.input].name),
          "add them to this line (or to the example the test is `like`), or declare them optional with `?`");
  }
}

}  // namespace regelwerk::sema
