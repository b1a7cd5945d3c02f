// Sorting and rendering of diagnostics in the `file:line:col: error[Ecode]: message` form.
#include "diagnostics.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace regelwerk {

void DiagnosticSink::error(std::string code, Location loc, std::string message, std::string hint) {
  diags_.push_back(Diagnostic{Severity::Error, std::move(code), loc, std::move(message), std::move(hint)});
}

bool DiagnosticSink::hasErrors() const { return errorCount() > 0; }

size_t DiagnosticSink::errorCount() const {
  return std::count_if(diags_.begin(), diags_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
  std::vector<Diagnostic> out = diags_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.loc == b.loc) return a.code < b.code;
    return a.loc < b.loc;
  });
  auto same = [](const Diagnostic& a, const Diagnostic& b) { return a.loc == b.loc && a.code == b.code; };
  out.erase(std::unique(out.begin(), out.end(), same), out.end());
  return out;
}

static const char* severityName(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

// Byte offset in `line` of the 1-based code-point column `col`.
static size_t byteOffsetOfColumn(std::string_view line, uint32_t col) {
  size_t offset = 0;
  for (uint32_t seen = 1; seen < col && offset < line.size(); ++seen) {
    ++offset;
    while (offset < line.size() && (static_cast<unsigned char>(line[offset]) & 0xC0) == 0x80) ++offset;
  }
  return offset;
}

// A source line longer than this many bytes is shown as a window around the caret.
constexpr size_t kMaxShownLine = 160;

// Cuts a very long line (a 10,000-deep nesting, a minified file) to a window around the caret, so the
// diagnostic stays readable; `caret_bytes` is moved to stay under the same character.
static std::string_view windowAround(std::string_view line, size_t* caret_bytes, bool* cut_front, bool* cut_back) {
  *cut_front = *cut_back = false;
  if (line.size() <= kMaxShownLine) return line;
  size_t begin = *caret_bytes > kMaxShownLine / 2 ? *caret_bytes - kMaxShownLine / 2 : 0;
  while (begin > 0 && (static_cast<unsigned char>(line[begin]) & 0xC0) == 0x80) --begin;
  size_t end = std::min(line.size(), begin + kMaxShownLine);
  while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) ++end;
  *cut_front = begin > 0;
  *cut_back = end < line.size();
  *caret_bytes -= begin;
  return line.substr(begin, end - begin);
}

std::string renderDiagnostic(const SourceManager& sources, const Diagnostic& diag) {
  const char* severity = severityName(diag.severity);
  if (diag.loc.file == 0 || !diag.loc.valid()) {
    return fmt::format("{}[{}]: {}\n", severity, diag.code, diag.message);
  }
  const SourceFile& file = sources.file(diag.loc.file);
  std::string out = fmt::format("{}:{}:{}: {}[{}]: {}\n", file.path(), diag.loc.line, diag.loc.col, severity,
                                diag.code, diag.message);
  std::string_view full_line = file.lineText(diag.loc.line);
  size_t caret_bytes = byteOffsetOfColumn(full_line, diag.loc.col);
  bool cut_front = false, cut_back = false;
  std::string_view line = windowAround(full_line, &caret_bytes, &cut_front, &cut_back);
  std::string gutter = fmt::format("{:>5}", diag.loc.line);
  out += fmt::format("{} | {}{}{}\n", gutter, cut_front ? "..." : "", line, cut_back ? "..." : "");
  // Keep tabs in the caret line so the caret stays under the right character.
  std::string pad = cut_front ? "   " : "";
  for (size_t byte = 0; byte < caret_bytes; ++byte) {
    unsigned char ch = static_cast<unsigned char>(line[byte]);
    if ((ch & 0xC0) == 0x80) continue;
    pad += ch == '\t' ? '\t' : ' ';
  }
  out += fmt::format("{} | {}^{}\n", std::string(gutter.size(), ' '), pad, diag.hint.empty() ? "" : " " + diag.hint);
  return out;
}

std::string renderAll(const SourceManager& sources, const DiagnosticSink& sink) {
  std::string out;
  for (const Diagnostic& diag : sink.sorted()) out += renderDiagnostic(sources, diag);
  return out;
}

}  // namespace regelwerk
