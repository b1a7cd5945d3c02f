// The language server: open documents in memory, each analysed on open and change (diagnostics as
// `check` reports them), hover, definition, completion and formatting from that analysis.
#include "lsp_server.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "analysis_loader.hpp"
#include "compiler/format/format.hpp"
#include "compiler/syntax/parser.hpp"
#include "runtime/exec/rule_loader.hpp"
#include "runtime/exec/document_analysis.hpp"

namespace regelwerk::cli {
namespace {

using nlohmann::json;

// The whole-rule-set checks of `check` (docs/checks.md) as the editor shows them: the counterexample
// record goes into the hint, as its CSV header and row.
// Without the checks' module the editor shows the other diagnostics; the reason goes to the client's
// log (standard error), once.
std::vector<Diagnostic> wholeSetChecks(const ir::Program& program, const SourceManager& sources) {
  std::vector<Diagnostic> diagnostics;
  std::string error;
  const analysis::AnalysisModule* checks = loadAnalysisModule(&error);
  if (!checks) {
    static bool logged = false;
    if (!std::exchange(logged, true)) std::fprintf(stderr, "regelwerk lsp: %s\n", error.c_str());
    return diagnostics;
  }
  for (analysis::Finding& finding : checks->check_rule_set(program, sources, analysis::CheckOptions{})) {
    Diagnostic diagnostic = std::move(finding.diagnostic);
    if (finding.has_example) {
      if (!diagnostic.hint.empty()) diagnostic.hint += "; ";
      diagnostic.hint += "counterexample: " + finding.example.csv_lines.at(0) + " / " + finding.example.csv_lines.at(1);
    }
    diagnostics.push_back(std::move(diagnostic));
  }
  return diagnostics;
}

// JSON-RPC error codes of the protocol.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;

// ---- framing ------------------------------------------------------------------------------------

// One message body, or nullopt at the end of the input. Headers end with an empty line; only
// Content-Length matters.
std::optional<std::string> readMessage(std::FILE* in) {
  size_t length = 0;
  bool have_length = false;
  std::string line;
  for (int c = std::fgetc(in);; c = std::fgetc(in)) {
    if (c == EOF) return std::nullopt;
    if (c != '\n') {
      line.push_back(static_cast<char>(c));
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (have_length) break;
      continue;
    }
    constexpr std::string_view kLength = "Content-Length:";
    if (line.compare(0, kLength.size(), kLength) == 0) {
      length = std::strtoull(line.c_str() + kLength.size(), nullptr, 10);
      have_length = true;
    }
    line.clear();
  }
  std::string body(length, '\0');
  if (length > 0 && std::fread(body.data(), 1, length, in) != length) return std::nullopt;
  return body;
}

void writeMessage(std::FILE* out, const json& message) {
  const std::string body = message.dump();
  std::fprintf(out, "Content-Length: %zu\r\n\r\n", body.size());
  std::fwrite(body.data(), 1, body.size(), out);
  std::fflush(out);
}

// ---- positions: ours are 1-based lines and code-point columns, LSP's 0-based lines and UTF-16 units ----

std::string_view lineOf(const std::string& text, uint32_t line) {
  size_t start = 0;
  for (uint32_t current = 0; current < line && start != std::string::npos; ++current) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos || start > text.size()) return {};
  const size_t end = text.find('\n', start);
  return std::string_view(text).substr(start, (end == std::string::npos ? text.size() : end) - start);
}

// Bytes of a UTF-8 sequence starting with `lead`.
size_t sequenceLength(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

// UTF-16 units before code point `column` (1-based) of the line.
uint32_t utf16Column(std::string_view line, uint32_t column) {
  uint32_t units = 0;
  size_t byte = 0;
  for (uint32_t point = 1; point < column && byte < line.size(); ++point) {
    const size_t length = sequenceLength(static_cast<unsigned char>(line[byte]));
    units += length == 4 ? 2 : 1;
    byte += length;
  }
  return units;
}

// The byte offset in the line of UTF-16 unit `units`.
size_t byteAtUtf16(std::string_view line, uint32_t units) {
  size_t byte = 0;
  for (uint32_t seen = 0; seen < units && byte < line.size();) {
    const size_t length = sequenceLength(static_cast<unsigned char>(line[byte]));
    seen += length == 4 ? 2 : 1;
    byte += length;
  }
  return std::min(byte, line.size());
}

json position(const std::string& text, uint32_t line, uint32_t col) {
  const uint32_t zero_line = line == 0 ? 0 : line - 1;
  return {{"line", zero_line}, {"character", utf16Column(lineOf(text, zero_line), col == 0 ? 1 : col)}};
}

// ---- URIs ------------------------------------------------------------------------------------------

std::string pathOfUri(const std::string& uri) {
  std::string path = uri.rfind("file://", 0) == 0 ? uri.substr(7) : uri;
  std::string decoded;
  for (size_t at = 0; at < path.size(); ++at) {
    if (path[at] == '%' && at + 2 < path.size()) {
      decoded.push_back(static_cast<char>(std::strtol(path.substr(at + 1, 2).c_str(), nullptr, 16)));
      at += 2;
    } else {
      decoded.push_back(path[at]);
    }
  }
  return decoded;
}

std::string uriOfPath(const std::string& path) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string uri = "file://";
  for (unsigned char c : std::filesystem::absolute(path).lexically_normal().string()) {
    const bool plain = std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == '~';
    if (plain) {
      uri.push_back(static_cast<char>(c));
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri;
}

bool samePath(const std::string& a, const std::string& b) {
  return std::filesystem::absolute(a).lexically_normal() == std::filesystem::absolute(b).lexically_normal();
}

// ---- the server ------------------------------------------------------------------------------------

struct Document {
  std::string path;
  std::string text;
  DocumentAnalysis analysis;
};

// LSP CompletionItemKind and SymbolKind numbers for our kinds of names.
int completionKind(const std::string& kind) {
  if (kind == "field") return 5;        // Field
  if (kind == "enum member") return 20;  // EnumMember
  if (kind == "function") return 3;      // Function
  if (kind == "input" || kind == "table") return 7;  // Class
  if (kind == "param") return 21;        // Constant
  return 6;                              // Variable: let, output, state
}

// LSP SymbolKind numbers for the outline (textDocument/documentSymbol).
int symbolKind(const std::string& kind) {
  if (kind == "input") return 5;        // Class
  if (kind == "field") return 8;        // Field
  if (kind == "param") return 14;       // Constant
  if (kind == "function") return 12;    // Function
  if (kind == "table") return 23;       // Struct
  if (kind == "enum member") return 22; // EnumMember
  return 13;                            // Variable: let, output, state, step
}

bool nameCharacter(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80) != 0; }

class Server {
 public:
  explicit Server(std::FILE* out) : out_(out) {}

  // False once `exit` came; *code is the process's exit status then.
  bool handle(const std::string& body, int* code) {
    json message;
    try {
      message = json::parse(body);
    } catch (const json::parse_error& error) {
      writeMessage(out_, {{"jsonrpc", "2.0"}, {"id", nullptr},
                          {"error", {{"code", kParseError}, {"message", std::string("not JSON: ") + error.what()}}}});
      return true;
    }
    if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
      if (message.is_object() && message.contains("id")) reply(message["id"], nullptr, kInvalidRequest, "no method");
      return true;
    }
    const std::string method = message["method"];
    const json params = message.value("params", json::object());
    const bool request = message.contains("id");
    if (method == "exit") {
      *code = shutdown_ ? 0 : 1;
      return false;
    }
    try {
      dispatch(method, params, request ? message["id"] : json(), request);
    } catch (const json::exception& error) {
      if (request) reply(message["id"], nullptr, kInvalidRequest, std::string("bad parameters: ") + error.what());
    }
    return true;
  }

 private:
  void dispatch(const std::string& method, const json& params, const json& id, bool request) {
    if (method == "initialize") return reply(id, initializeResult());
    if (method == "shutdown") {
      shutdown_ = true;
      return reply(id, nullptr);
    }
    if (method == "textDocument/didOpen") return open(params["textDocument"]["uri"], params["textDocument"]["text"]);
    if (method == "textDocument/didChange") {
      const json& changes = params["contentChanges"];
      if (!changes.empty()) open(params["textDocument"]["uri"], changes.back()["text"]);
      return;
    }
    if (method == "textDocument/didClose") return close(params["textDocument"]["uri"]);
    if (method == "textDocument/hover") return reply(id, hover(params));
    if (method == "textDocument/definition") return reply(id, definition(params));
    if (method == "textDocument/completion") return reply(id, completion(params));
    if (method == "textDocument/formatting") return reply(id, formatting(params));
    if (method == "textDocument/documentSymbol") return reply(id, outline(params));
    if (request) reply(id, nullptr, kMethodNotFound, "regelwerk lsp does not serve `" + method + "`");
  }

  static json initializeResult() {
    return {{"capabilities",
             {{"textDocumentSync", 1},  // the whole text on every change
              {"hoverProvider", true},
              {"definitionProvider", true},
              {"completionProvider", {{"triggerCharacters", {"."}}}},
              {"documentFormattingProvider", true},
              {"documentSymbolProvider", true}}},
            {"serverInfo", {{"name", "regelwerk"}}}};
  }

  void reply(const json& id, const json& result, int error_code = 0, const std::string& error = "") {
    json message = {{"jsonrpc", "2.0"}, {"id", id}};
    if (error_code != 0) {
      message["error"] = {{"code", error_code}, {"message", error}};
    } else {
      message["result"] = result;
    }
    writeMessage(out_, message);
  }

  void open(const std::string& uri, const std::string& text) {
    Document& document = documents_[uri];
    document.path = pathOfUri(uri);
    document.text = text;
    document.analysis = analyzeDocument(document.path, text, wholeSetChecks);
    publish(uri, document);
  }

  void close(const std::string& uri) {
    documents_.erase(uri);
    writeMessage(out_, {{"jsonrpc", "2.0"},
                        {"method", "textDocument/publishDiagnostics"},
                        {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
  }

  // Diagnostics in the document at their place; those in a module it uses at the `use` that reads the
  // module (else the first line), named, with the module's place as related information.
  void publish(const std::string& uri, const Document& document) {
    json diagnostics = json::array();
    for (const DocumentDiagnostic& diagnostic : document.analysis.diagnostics) {
      const bool here = samePath(diagnostic.file, document.path);
      const uint32_t line = here ? diagnostic.line : diagnostic.read_at_line;
      const uint32_t col = here ? diagnostic.col : diagnostic.read_at_col;
      json start = line > 0 ? position(document.text, line, col) : json{{"line", 0}, {"character", 0}};
      json end = start;
      if (line > 0) end["character"] = start["character"].get<uint32_t>() + wordLength(document.text, start);
      std::string message = diagnostic.message + (diagnostic.hint.empty() ? "" : " (" + diagnostic.hint + ")");
      if (!here) message = diagnostic.file + ":" + std::to_string(diagnostic.line) + ": " + message;
      json shown = {{"range", {{"start", start}, {"end", end}}},
                    {"severity", diagnostic.error ? 1 : 2},
                    {"code", diagnostic.code},
                    {"source", "regelwerk"},
                    {"message", message}};
      if (!here && diagnostic.line > 0) {
        // The column counts in code points of a file the server may not hold: the line is what matters.
        json there = {{"line", diagnostic.line - 1}, {"character", diagnostic.col > 0 ? diagnostic.col - 1 : 0}};
        shown["relatedInformation"] = json::array(
            {{{"location", {{"uri", uriOfPath(diagnostic.file)}, {"range", {{"start", there}, {"end", there}}}}},
              {"message", diagnostic.message}}});
      }
      diagnostics.push_back(std::move(shown));
    }
    writeMessage(out_, {{"jsonrpc", "2.0"},
                        {"method", "textDocument/publishDiagnostics"},
                        {"params", {{"uri", uri}, {"diagnostics", diagnostics}}}});
  }

  // UTF-16 length of the name at `start` (at least 1), so a diagnostic underlines a word.
  static uint32_t wordLength(const std::string& text, const json& start) {
    const std::string_view line = lineOf(text, start["line"].get<uint32_t>());
    size_t byte = byteAtUtf16(line, start["character"].get<uint32_t>());
    size_t end = byte;
    while (end < line.size() && nameCharacter(line[end])) ++end;
    return std::max<uint32_t>(1, utf16Column(line.substr(byte, end - byte), 1 + static_cast<uint32_t>(end - byte)));
  }

  const Document* document(const json& params) const {
    auto found = documents_.find(params["textDocument"]["uri"].get<std::string>());
    return found == documents_.end() ? nullptr : &found->second;
  }

  // The name under the cursor, and the name before a `.` just left of it (`Claim.amount`).
  static std::string wordAt(const Document& document, const json& at, std::string* qualifier = nullptr) {
    const std::string_view line = lineOf(document.text, at["line"].get<uint32_t>());
    size_t byte = byteAtUtf16(line, at["character"].get<uint32_t>());
    size_t start = byte;
    while (start > 0 && nameCharacter(line[start - 1])) --start;
    size_t end = byte;
    while (end < line.size() && nameCharacter(line[end])) ++end;
    if (qualifier != nullptr && start > 0 && line[start - 1] == '.') {
      size_t before = start - 1;
      while (before > 0 && nameCharacter(line[before - 1])) --before;
      *qualifier = std::string(line.substr(before, start - 1 - before));
    }
    return std::string(line.substr(start, end - start));
  }

  // The declaration of `name`: the document's own first, then a module's; an input before its
  // fields' enum members of the same name.
  static const DocumentSymbol* lookUp(const Document& document, const std::string& name) {
    const DocumentSymbol* found = nullptr;
    for (const DocumentSymbol& symbol : document.analysis.symbols) {
      if (symbol.name != name) continue;
      if (found == nullptr || (samePath(symbol.file, document.path) && !samePath(found->file, document.path))) found = &symbol;
    }
    return found;
  }

  json hover(const json& params) const {
    const Document* current = document(params);
    if (current == nullptr) return nullptr;
    const DocumentSymbol* symbol = lookUp(*current, wordAt(*current, params["position"]));
    if (symbol == nullptr) return nullptr;
    std::string text = "**" + symbol->name + "**: " + symbol->kind;
    if (!symbol->detail.empty()) text += " `" + symbol->detail + "`";
    if (!symbol->container.empty()) text += " of " + symbol->container;
    if (symbol->detail.empty() && symbol->kind == "let") text += " (its type is known once the file checks)";
    return {{"contents", {{"kind", "markdown"}, {"value", text}}}};
  }

  json definition(const json& params) const {
    const Document* current = document(params);
    if (current == nullptr) return nullptr;
    const DocumentSymbol* symbol = lookUp(*current, wordAt(*current, params["position"]));
    if (symbol == nullptr || symbol->file.empty()) return nullptr;
    std::string text = current->text;
    std::string why;
    if (!samePath(symbol->file, current->path) && !readSourceFile(symbol->file, syntax::kMaxFileBytes, &text, &why)) {
      text.clear();  // a module unreadable now: its line still holds, the column counts without its text
    }
    json start = position(text, symbol->line, symbol->col);
    json end = start;
    end["character"] = start["character"].get<uint32_t>() + static_cast<uint32_t>(symbol->name.size());
    return {{"uri", uriOfPath(symbol->file)}, {"range", {{"start", start}, {"end", end}}}};
  }

  // After `Input.`: that input's fields; else every name the file can use, and enum members.
  json completion(const json& params) const {
    json items = json::array();
    const Document* current = document(params);
    if (current == nullptr) return items;
    std::string qualifier;
    wordAt(*current, params["position"], &qualifier);
    std::map<std::string, const DocumentSymbol*> unique;
    for (const DocumentSymbol& symbol : current->analysis.symbols) {
      if (!qualifier.empty() && !(symbol.kind == "field" && symbol.container == qualifier)) continue;
      unique.emplace(symbol.name, &symbol);
    }
    for (const auto& [name, symbol] : unique) {
      std::string detail = symbol->kind + (symbol->detail.empty() ? "" : " " + symbol->detail);
      items.push_back({{"label", name}, {"kind", completionKind(symbol->kind)}, {"detail", detail}});
    }
    return items;
  }

  // The file's own declarations in the order written (inputs, fields, params, lets, outputs, states,
  // tables, functions; not enum members nor a used module's), as SymbolInformation: an editor's outline.
  json outline(const json& params) const {
    json symbols = json::array();
    const Document* current = document(params);
    if (current == nullptr) return symbols;
    const std::string uri = params["textDocument"]["uri"];
    std::vector<const DocumentSymbol*> own;
    for (const DocumentSymbol& symbol : current->analysis.symbols) {
      if (symbol.kind != "enum member" && samePath(symbol.file, current->path) && symbol.line > 0) own.push_back(&symbol);
    }
    std::stable_sort(own.begin(), own.end(), [](const DocumentSymbol* a, const DocumentSymbol* b) {
      return a->line != b->line ? a->line < b->line : a->col < b->col;
    });
    for (const DocumentSymbol* symbol : own) {
      json start = position(current->text, symbol->line, symbol->col);
      json end = start;
      end["character"] = start["character"].get<uint32_t>() + static_cast<uint32_t>(symbol->name.size());
      json item = {{"name", symbol->name}, {"kind", symbolKind(symbol->kind)},
                   {"location", {{"uri", uri}, {"range", {{"start", start}, {"end", end}}}}}};
      if (!symbol->container.empty()) item["containerName"] = symbol->container;
      symbols.push_back(std::move(item));
    }
    return symbols;
  }

  // One edit replacing the whole text when `regelwerk fmt` would change it; none for a file with
  // syntax errors (the diagnostics say why).
  json formatting(const json& params) const {
    json edits = json::array();
    const Document* current = document(params);
    if (current == nullptr) return edits;
    format::FormatResult result = format::formatSource(current->text, current->path);
    if (!result.ok || result.text == current->text) return edits;
    uint32_t lines = 0;
    for (char c : current->text) lines += c == '\n' ? 1 : 0;
    edits.push_back({{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", lines + 1}, {"character", 0}}}}},
                     {"newText", result.text}});
    return edits;
  }

  std::FILE* out_;
  std::map<std::string, Document> documents_;
  bool shutdown_ = false;
};

}  // namespace

int runLspServer(std::FILE* in, std::FILE* out) {
  Server server(out);
  int code = 1;
  for (std::optional<std::string> body = readMessage(in); body; body = readMessage(in))
    if (!server.handle(*body, &code)) return code;
  return 1;
}

}  // namespace regelwerk::cli
