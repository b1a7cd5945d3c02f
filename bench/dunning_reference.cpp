// Reference CSV parsing, formatting and checksums for the dunning workload: plain and unhurried,
// one std::string_view split at a time.
#include "bench/dunning_reference.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace regelwerk::dunning {

namespace {

// Splits a CSV line at every comma; the workload has no quoted cells.
std::vector<std::string_view> splitCells(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      cells.push_back(line.substr(start));
      return cells;
    }
    cells.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

bool parseInt(std::string_view text, int64_t* value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parseBool(std::string_view text, bool* value) {
  if (text != "true" && text != "false") return false;
  *value = text == "true";
  return true;
}

bool parseCustomerType(std::string_view text, bool* business) {
  if (text != "consumer" && text != "business") return false;
  *business = text == "business";
  return true;
}

bool parseAction(std::string_view text, Action* action) {
  for (int index = 0; index < kActionCount; ++index) {
    if (kActionNames[index] == text) {
      *action = static_cast<Action>(index);
      return true;
    }
  }
  return false;
}

bool fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

// Calls `on_line(line_number, line)` for every line after the header, which must equal `header`.
// Line numbers are 1-based file lines; a trailing '\r' is dropped.
template <typename OnLine>
bool forEachDataLine(const std::string& path, std::string_view header, std::string* error, OnLine on_line) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(error, "cannot read `" + path + "`");
  std::string line;
  int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_number == 1) {
      if (line != header)
        return fail(error, path + ":1: header is `" + line + "`, expected `" + std::string(header) + "`");
      continue;
    }
    std::string why;
    if (!on_line(line, &why)) return fail(error, path + ":" + std::to_string(line_number) + ": " + why);
  }
  if (line_number == 0) return fail(error, path + ": empty file, expected a header");
  return true;
}

}  // namespace

void Checksum::merge(const Checksum& other) {
  rows += other.rows;
  for (size_t action = 0; action < actions.size(); ++action) actions[action] += other.actions[action];
  fee_sum += other.fee_sum;
  interest_sum += other.interest_sum;
  level_sum += other.level_sum;
}

std::string Checksum::line() const {
  std::ostringstream out;
  out << "CHECKSUM rows=" << rows;
  for (int action = 0; action < kActionCount; ++action) out << ' ' << kActionNames[action] << '=' << actions[action];
  out << " fee_sum=" << fee_sum << " interest_sum=" << interest_sum << " level_sum=" << level_sum;
  return out.str();
}

std::string_view documentedChecksum(int64_t rows) {
  switch (rows) {
    case 100000:
      return "CHECKSUM rows=100000 none=35265 reminder=17354 notice=31579 collection=15249 write_off=553 "
             "fee_sum=29707000 interest_sum=1119470030 level_sum=263949";
    case 1000000:
      return "CHECKSUM rows=1000000 none=353100 reminder=171954 notice=316664 collection=152631 write_off=5651 "
             "fee_sum=300859500 interest_sum=11136728900 level_sum=2639749";
    case 10000000:
      return "CHECKSUM rows=10000000 none=3534842 reminder=1712739 notice=3168688 collection=1527791 write_off=55940 "
             "fee_sum=3010757500 interest_sum=111318003689 level_sum=26410376";
    default:
      return "";
  }
}

bool parseDate(std::string_view text, int64_t* days) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int64_t year = 0, month = 0, day = 0;
  if (!parseInt(text.substr(0, 4), &year) || !parseInt(text.substr(5, 2), &month) || !parseInt(text.substr(8, 2), &day))
    return false;
  std::chrono::year_month_day date{std::chrono::year{static_cast<int>(year)},
                                   std::chrono::month{static_cast<unsigned>(month)},
                                   std::chrono::day{static_cast<unsigned>(day)}};
  if (year < 1 || !date.ok()) return false;
  *days = std::chrono::sys_days{date}.time_since_epoch().count();
  return true;
}

bool parseInvoice(std::string_view line, Invoice* invoice, std::string* error) {
  std::vector<std::string_view> cells = splitCells(line);
  if (cells.size() != 8) return fail(error, "expected 8 cells, found " + std::to_string(cells.size()));
  if (!parseInt(cells[0], &invoice->id)) return fail(error, "bad id");
  if (!parseCustomerType(cells[1], &invoice->business)) return fail(error, "bad customer_type");
  if (!parseInt(cells[2], &invoice->amount_cents)) return fail(error, "bad amount_cents");
  if (!parseInt(cells[3], &invoice->paid_cents)) return fail(error, "bad paid_cents");
  if (!parseDate(cells[4], &invoice->due_date)) return fail(error, "bad due_date");
  invoice->has_last_notice = !cells[5].empty();
  invoice->last_notice_date = 0;
  if (invoice->has_last_notice && !parseDate(cells[5], &invoice->last_notice_date))
    return fail(error, "bad last_notice_date");
  if (!parseInt(cells[6], &invoice->dunning_level)) return fail(error, "bad dunning_level");
  if (!parseBool(cells[7], &invoice->disputed)) return fail(error, "bad disputed");
  return true;
}

bool parseOutputRow(std::string_view line, OutputRow* row, std::string* error) {
  std::vector<std::string_view> cells = splitCells(line);
  if (cells.size() != 5) return fail(error, "expected 5 cells, found " + std::to_string(cells.size()));
  if (!parseInt(cells[0], &row->id)) return fail(error, "bad id");
  if (!parseAction(cells[1], &row->decision.action)) return fail(error, "bad action");
  if (!parseInt(cells[2], &row->decision.new_level)) return fail(error, "bad new_level");
  if (!parseInt(cells[3], &row->decision.fee_cents)) return fail(error, "bad fee");
  if (!parseInt(cells[4], &row->decision.interest_cents)) return fail(error, "bad interest");
  return true;
}

std::string formatOutputRow(int64_t id, const Decision& decision) {
  std::ostringstream out;
  out << id << ',' << kActionNames[static_cast<size_t>(decision.action)] << ',' << decision.new_level << ','
      << decision.fee_cents << ',' << decision.interest_cents;
  return out.str();
}

bool readInvoices(const std::string& path, std::vector<Invoice>* invoices, std::string* error) {
  invoices->clear();
  return forEachDataLine(path, kInputHeader, error, [&](std::string_view line, std::string* why) {
    Invoice invoice;
    if (!parseInvoice(line, &invoice, why)) return false;
    invoices->push_back(invoice);
    return true;
  });
}

bool readOutputRows(const std::string& path, std::vector<OutputRow>* rows, std::string* error) {
  rows->clear();
  return forEachDataLine(path, kOutputHeader, error, [&](std::string_view line, std::string* why) {
    OutputRow row;
    if (!parseOutputRow(line, &row, why)) return false;
    rows->push_back(row);
    return true;
  });
}

}  // namespace regelwerk::dunning
