// Runtime error messages, built outside both engines so JIT and interpreter report identical text.
#include "row_error.hpp"

#include <fmt/format.h>

namespace regelwerk {

// The site's own file (a `use`d module's, say), else the rule file: `std/interest.rules:82:9 rule …`.
static std::string where(const ir::Program& program, const ir::Site& site) {
  const uint32_t file = site.loc.file;
  std::string out = file >= 1 && file <= program.source_files.size() ? program.source_files[file - 1]
                                                                      : program.source_path;
  if (site.loc.valid()) out += fmt::format(":{}:{}", site.loc.line, site.loc.col);
  if (!site.rule.empty()) out += " rule " + site.rule;
  if (!site.context.empty()) out += " (" + site.context + ")";
  return out;
}

static std::string ruleName(const ir::Decision& decision, int32_t index) {
  if (index < 0 || static_cast<size_t>(index) >= decision.rules.size()) return "?";
  const ir::Rule& rule = decision.rules[static_cast<size_t>(index)];
  std::string name = "`" + rule.name + "`";
  if (!rule.label.empty()) name += " \"" + rule.label + "\"";
  return fmt::format("{} (line {})", name, rule.loc.line);
}

// The decision table row a rule stands for (1-based), or 0.
static uint32_t tableRow(const ir::Decision& decision, int32_t index) {
  if (index < 0 || static_cast<size_t>(index) >= decision.rules.size()) return 0;
  return decision.rules[static_cast<size_t>(index)].table_row;
}

// Conflicts name both rules (a decision table's rows by number); the block is found by its site.
static std::string conflict(const ir::Program& program, const RowError& error, const char* what) {
  for (const ir::Decision& decision : program.decisions) {
    if (decision.site != static_cast<uint32_t>(error.site)) continue;
    const uint32_t row_a = tableRow(decision, error.rule_a);
    const uint32_t row_b = tableRow(decision, error.rule_b);
    if (row_a != 0 && row_b != 0) {
      return fmt::format("{}: rows {} (line {}) and {} (line {}) of the decision table both apply", what, row_a,
                         decision.rules[static_cast<size_t>(error.rule_a)].loc.line, row_b,
                         decision.rules[static_cast<size_t>(error.rule_b)].loc.line);
    }
    return fmt::format("{}: rules {} and {} both apply", what, ruleName(decision, error.rule_a),
                       ruleName(decision, error.rule_b));
  }
  return what;
}

static std::string reason(const ir::Program& program, const RowError& error) {
  size_t site = static_cast<size_t>(error.site);
  switch (static_cast<ir::ErrorCode>(error.code)) {
    case ir::ErrorCode::Rejected: return site < program.sites.size() ? program.sites[site].reason : "rejected";
    case ir::ErrorCode::None: return "no error";
    case ir::ErrorCode::Overflow: return "the exact result does not fit in 64 bits (overflow)";
    case ir::ErrorCode::DivisionByZero: return "division by zero";
    case ir::ErrorCode::UniqueConflict: return conflict(program, error, "conflict in a `decide unique` block");
    case ir::ErrorCode::ExceptionsConflict:
      return conflict(program, error, "conflict in a `decide exceptions` block: they assign different values, "
                                      "and neither overrides the other");
    case ir::ErrorCode::DateOutOfRange: return "the date falls outside 0001-01-01 .. 9999-12-31";
    case ir::ErrorCode::NoTableRow: return "a day of the range lies before the first row of the table";
    case ir::ErrorCode::StringTooLong: return "the joined string would be longer than 65536 bytes";
    case ir::ErrorCode::TimestampOutOfRange:
      return "the timestamp falls outside 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z";
    case ir::ErrorCode::InvalidDate:
      return "the year, month and day are not a day of the calendar (date_clamped moves a day past the "
             "month's end to its last day)";
    case ir::ErrorCode::UnknownTimeZone:
      return "unknown time zone: the name is not an IANA zone of the system's tzdata (/usr/share/zoneinfo), "
             "e.g. Europe/Berlin";
    case ir::ErrorCode::NegativeClaim: return "distribute: the amount or a claim is negative (both must be >= 0)";
    case ir::ErrorCode::UnresolvedTie:
      return "distribute: two items with the same remainder and the same tie keys compete for the last extra "
             "unit; add a unique tie key (e.g. the item's id)";
    case ir::ErrorCode::ConservationBroken:
      return "internal error: distribute's shares failed the conservation check (please report this)";
  }
  return fmt::format("unknown error code {}", error.code);
}

std::string describeRowError(const ir::Program& program, const RowError& error) {
  size_t site_index = static_cast<size_t>(error.site);
  ir::Site site = site_index < program.sites.size() ? program.sites[site_index] : ir::Site{};
  return fmt::format("{}: {}", where(program, site), reason(program, error));
}

}  // namespace regelwerk
