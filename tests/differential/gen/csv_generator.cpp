// Input CSV generation and the record-level CSV helpers the shrinker uses.
#include "csv_generator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cell_values.hpp"
#include "rng.hpp"

namespace regelwerk::difftest {

static std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

static bool needsQuotes(const std::string& text, char separator) {
  return text.find_first_of(std::string(",\"\r\n") + separator) != std::string::npos;
}

// An ISO date cell rewritten in a field's format, with or without leading zeros:
// 2013-01-02 -> 1/2/2013 or 01/02/2013 (M/D/YYYY), 2.1.2013 or 02.01.2013 (D.M.YYYY).
static std::string formattedDate(Rng& rng, const std::string& iso, const std::string& format) {
  if (iso.size() != 10 || iso[4] != '-') return iso;
  std::string year = iso.substr(0, 4), month = iso.substr(5, 2), day = iso.substr(8, 2);
  if (rng.chance(70)) {
    if (month[0] == '0') month.erase(0, 1);
    if (day[0] == '0') day.erase(0, 1);
  }
  return format == "M/D/YYYY" ? month + "/" + day + "/" + year : day + "." + month + "." + year;
}

// A cell text for a field with a format: dates, `Yes/No`-style bools and `whole.0` numbers.
static std::string formatted(Rng& rng, const GField& field, const std::string& text) {
  const std::string& format = field.format;
  if (format.empty() || text.empty()) return text;
  if (field.type.kind == Kind::Date) return formattedDate(rng, text, format);
  if (field.type.kind == Kind::Bool) {
    size_t slash = format.find('/');
    return text == "true" ? format.substr(0, slash) : format.substr(slash + 1);
  }
  if (format == "whole.0" && rng.chance(50)) return text + (rng.chance(70) ? ".0" : ".00");
  return text;
}

// A cell a field's format rejects: impossible days, the wrong order or case, a fraction.
static std::string badFormatted(Rng& rng, const GField& field) {
  using Pool = std::vector<std::string>;
  const std::string& format = field.format;
  if (format == "M/D/YYYY") return rng.pick(Pool{"2/29/2013", "13/1/2013", "2013-01-02", "1/32/2013", "1/2/13"});
  if (format == "D.M.YYYY") return rng.pick(Pool{"29.2.2013", "1.13.2013", "2013-01-02", "32.1.2013", "1/2/2013"});
  if (format == "whole.0") return rng.pick(Pool{"17850.5", "1.0.0", "12.01", ".0", "x.0"});
  if (field.type.kind == Kind::Bool) {
    size_t slash = format.find('/');
    return rng.pick(Pool{"true", "yes", "1", format.substr(0, slash) + " "});
  }
  return "";
}

namespace {

struct Column {
  std::string header;
  const GField* field = nullptr;  // null: an extra column the program does not read
  bool all_missing = false;
};

}  // namespace

// One cell: missing (empty), an empty string (`""`), a boundary, a bad or an ordinary value.
static std::string cellFor(Rng& rng, const GProgram& program, const Column& column, bool bad) {
  if (!column.field) return rng.chance(50) ? "junk" : "";
  const GField& field = *column.field;
  char separator = separatorOf(program);
  if (bad) {
    std::string text = !field.format.empty() && rng.chance(70) ? badFormatted(rng, field)
                                                               : badCell(rng, field.type, field.cents);
    if (!text.empty()) return needsQuotes(text, separator) ? quoted(text) : text;
  }
  if (field.type.optional && (column.all_missing || rng.chance(12))) return "";
  int roll = static_cast<int>(rng.below(100));
  std::string text = roll < 12 ? boundaryCell(rng, program, field.type, field.cents)
                               : ordinaryCell(rng, program, field.type, field.cents);
  text = formatted(rng, field, text);
  if (text.empty() || needsQuotes(text, separator) || rng.chance(2)) return quoted(text);
  return text;
}

static std::vector<Column> columnsFor(Rng& rng, const GProgram& program) {
  std::vector<Column> columns;
  for (const GField& field : program.fields) {
    Column column{field.header, &field, field.type.optional && rng.chance(10)};
    columns.push_back(column);
  }
  if (rng.chance(20)) columns.push_back(Column{"extra", nullptr, false});
  if (rng.chance(30)) rng.shuffle(columns);
  return columns;
}

std::string generateCsv(const GProgram& program, uint64_t seed, int rows) {
  Rng rng(seed ^ 0x5DEECE66Dull);
  std::vector<Column> columns = columnsFor(rng, program);
  std::string line_end = rng.chance(10) ? "\r\n" : "\n";
  std::string separator(1, separatorOf(program));
  std::string out;
  for (size_t column = 0; column < columns.size(); ++column) {
    const std::string& header = columns[column].header;
    out += (column ? separator : "") + (needsQuotes(header, separator[0]) ? quoted(header) : header);
  }
  out += line_end;
  for (int row = 0; row < rows; ++row) {
    bool bad = rng.chance(2);
    size_t bad_column = rng.below(columns.size());
    size_t cells = rng.below(1000) < 3 ? columns.size() - 1 : columns.size();  // a short row now and then
    for (size_t column = 0; column < cells; ++column) {
      out += column ? separator : "";
      const GField* field = columns[column].field;
      bool key = field && field->name == "id";
      out += key ? formatted(rng, *field, std::to_string(row + 1))
                 : cellFor(rng, program, columns[column], bad && column == bad_column);
    }
    if (row + 1 < rows || rng.chance(80)) out += line_end;
  }
  return out;
}

// Splits one record into raw fields (quotes kept), so columns can be dropped without re-quoting.
static std::vector<std::string> rawFields(const std::string& record, char separator) {
  std::vector<std::string> fields(1);
  bool in_quotes = false;
  for (char ch : record) {
    if (ch == '"') in_quotes = !in_quotes;
    if (ch == separator && !in_quotes) {
      fields.emplace_back();
      continue;
    }
    fields.back() += ch;
  }
  return fields;
}

CsvRecords splitRecords(const std::string& csv) {
  CsvRecords out;
  std::string current;
  bool in_quotes = false, header_done = false;
  auto finish = [&]() {
    if (!current.empty() && current.back() == '\r') current.pop_back();
    if (!header_done) {
      out.header = current;
      header_done = true;
    } else {
      out.records.push_back(current);
    }
    current.clear();
  };
  for (char ch : csv) {
    if (ch == '"') in_quotes = !in_quotes;
    if (ch == '\n' && !in_quotes) {
      finish();
      continue;
    }
    current += ch;
  }
  if (!current.empty()) finish();
  return out;
}

std::string joinRecords(const std::string& header, const std::vector<std::string>& records) {
  std::string out = header + "\n";
  for (const std::string& record : records) out += record + "\n";
  return out;
}

std::string keepColumns(const std::string& csv, const std::vector<std::string>& keep, char separator) {
  CsvRecords split = splitRecords(csv);
  std::vector<std::string> headers = rawFields(split.header, separator);
  std::vector<size_t> kept;
  for (size_t column = 0; column < headers.size(); ++column) {
    std::string name = headers[column];
    if (name.size() >= 2 && name.front() == '"') name = name.substr(1, name.size() - 2);
    if (std::find(keep.begin(), keep.end(), name) != keep.end()) kept.push_back(column);
  }
  auto project = [&](const std::string& record) {
    std::vector<std::string> fields = rawFields(record, separator);
    std::vector<std::string> out;
    for (size_t column : kept) {
      if (column < fields.size()) out.push_back(fields[column]);
    }
    return fmt::format("{}", fmt::join(out, std::string(1, separator)));
  };
  std::vector<std::string> records;
  for (const std::string& record : split.records) records.push_back(project(record));
  return joinRecords(project(split.header), records);
}

}  // namespace regelwerk::difftest
