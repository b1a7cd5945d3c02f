// The language server as an editor drives it: initialize, didOpen of a file with an error (its
// diagnostics), hover, definition (in the file and into a used std module), completion, formatting,
// shutdown and exit; each answer checked. The messages go in as one framed stream, as an editor that
// does not wait would send them; the answers are read back frame by frame.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace {

using nlohmann::json;
using regelwerk::testing::readFile;
using regelwerk::testing::regelwerkCommand;
using regelwerk::testing::runIn;
using regelwerk::testing::scratchFolder;
using regelwerk::testing::writeFile;

std::string frame(const json& message) {
  const std::string body = message.dump();
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::vector<json> frames(const std::string& stream) {
  std::vector<json> messages;
  for (size_t at = stream.find("Content-Length: "); at != std::string::npos; at = stream.find("Content-Length: ", at)) {
    const size_t length = std::stoul(stream.substr(at + 16));
    const size_t body = stream.find("\r\n\r\n", at) + 4;
    messages.push_back(json::parse(stream.substr(body, length)));
    at = body + length;
  }
  return messages;
}

json request(int id, const std::string& method, const json& params) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
}

json notification(const std::string& method, const json& params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", params}};
}

json at(const std::string& uri, int line, int character) {
  return {{"textDocument", {{"uri", uri}}}, {"position", {{"line", line}, {"character", character}}}};
}

// Line 12 uses `opne` (E0202-style unknown name); `open` is a let, `level` a field, `std.interest`'s
// `accrue` a function of a module. An umlaut in a comment before the error checks UTF-16 columns.
const char* kDocument =
    "ruleset editing\n"                                  // 0
    "use std.interest\n"                                 // 1
    "input Invoice\n"                                    // 2
    "  amount:  money\n"                                 // 3
    "  level: enum(low, high)\n"                         // 4
    "let open = amount - 1.00 EUR\n"                     // 5
    "output fee: money = 0.00 EUR\n"                     // 6
    "decide first\n"                                     // 7
    "  rule big when level == high then fee = open\n"    // 8
    "end\n"                                              // 9
    "# Gebühr: ä\n"                                      // 10
    "output x: money = opne\n"                           // 11
    "let day = fid_by_calendar(true, 2025-01-01)\n";     // 12

TEST_CASE("regelwerk lsp answers an editor's session", "[lsp]") {
  const auto folder = scratchFolder("lsp", "session");
  const std::string path = (folder / "editing.rules").string();
  const std::string uri = "file://" + path;
  std::string input;
  input += frame(request(1, "initialize", {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", json::object()}}));
  input += frame(notification("initialized", json::object()));
  input += frame(notification("textDocument/didOpen",
                              {{"textDocument", {{"uri", uri}, {"languageId", "regelwerk"}, {"version", 1}, {"text", kDocument}}}}));
  input += frame(request(2, "textDocument/hover", at(uri, 8, 42)));        // `open` in `fee = open`
  input += frame(request(3, "textDocument/hover", at(uri, 8, 17)));        // `level`
  input += frame(request(4, "textDocument/definition", at(uri, 8, 43)));   // `open` -> line 5
  input += frame(request(5, "textDocument/completion", at(uri, 8, 20)));
  input += frame(request(9, "textDocument/definition", at(uri, 12, 12)));  // `fid_by_calendar` in std.interest
  input += frame(request(6, "textDocument/formatting", {{"textDocument", {{"uri", uri}}}, {"options", {{"tabSize", 2}, {"insertSpaces", true}}}}));
  input += frame(request(7, "textDocument/nosuchthing", json::object()));
  input += "Content-Length: 7\r\n\r\n{oops!}";
  input += frame(request(8, "shutdown", nullptr));
  input += frame(notification("exit", nullptr));
  writeFile(folder / "in.lsp", input);
  const auto result = runIn(folder, regelwerkCommand() + " lsp < in.lsp > out.lsp");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  const std::vector<json> messages = frames(readFile(folder / "out.lsp"));
  std::map<int, json> replies;
  std::vector<json> published;
  json parse_error;
  for (const json& message : messages) {
    if (message.contains("method") && message["method"] == "textDocument/publishDiagnostics") published.push_back(message);
    else if (message.contains("id") && message["id"].is_number()) replies[message["id"].get<int>()] = message;
    else if (message.contains("error")) parse_error = message;
  }
  // initialize: the capabilities used below.
  const json& capabilities = replies[1]["result"]["capabilities"];
  CHECK(capabilities["hoverProvider"] == true);
  CHECK(capabilities["definitionProvider"] == true);
  CHECK(capabilities["documentFormattingProvider"] == true);
  CHECK(capabilities["textDocumentSync"] == 1);
  // publishDiagnostics: the unknown name at line 12, column 19 of `check` (0-based 11, 18).
  REQUIRE(published.size() == 1);
  CHECK(published[0]["params"]["uri"] == uri);
  const json& diagnostics = published[0]["params"]["diagnostics"];
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0]["severity"] == 1);
  CHECK(diagnostics[0]["code"].get<std::string>().rfind("E0", 0) == 0);
  CHECK(diagnostics[0]["range"]["start"] == json({{"line", 11}, {"character", 18}}));
  CHECK(diagnostics[0]["range"]["end"] == json({{"line", 11}, {"character", 22}}));
  CHECK(diagnostics[0]["message"].get<std::string>().find("opne") != std::string::npos);
  // hover: a let's kind (its type is known only when the file checks; this one does not) and a
  // field's declared type and input.
  CHECK(replies[2]["result"]["contents"]["value"].get<std::string>().rfind("**open**: let", 0) == 0);
  CHECK(replies[3]["result"]["contents"]["value"] == "**level**: field `enum(low, high)` of Invoice");
  // definition: the let `open` at line 6 (0-based 5), column 5.
  CHECK(replies[4]["result"]["uri"] == uri);
  CHECK(replies[4]["result"]["range"]["start"] == json({{"line", 5}, {"character", 4}}));
  // completion: names of the file, enum members and the used module's names.
  std::vector<std::string> labels;
  for (const json& item : replies[5]["result"]) labels.push_back(item["label"]);
  for (const char* expected : {"open", "amount", "level", "fee", "high", "low"}) {
    INFO(expected);
    CHECK(std::find(labels.begin(), labels.end(), expected) != labels.end());
  }
  // formatting: a file that parses formats even when it does not check; `amount:  money` is re-spaced.
  REQUIRE(replies[6]["result"].size() == 1);
  CHECK(replies[6]["result"][0]["newText"].get<std::string>().find("  amount: money\n  level:") != std::string::npos);
  CHECK(replies[6]["result"][0]["range"]["start"] == json({{"line", 0}, {"character", 0}}));
  // errors: an unknown method, then a body that is not JSON.
  CHECK(replies[7]["error"]["code"] == -32601);
  CHECK(parse_error["error"]["code"] == -32700);
  CHECK(replies[8]["result"].is_null());
  // definition into the used module: std.interest's `function fid_by_calendar` (line 35, column 10).
  CHECK(replies[9]["result"]["uri"] == "file://" RW_SOURCE_DIR "/stdlib-rules/std/interest.rules");
  CHECK(replies[9]["result"]["range"]["start"] == json({{"line", 34}, {"character", 9}}));
}

TEST_CASE("regelwerk lsp: a file that checks: the whole-rule-set checks, inferred types, formatting, the module's names", "[lsp]") {
  const auto folder = scratchFolder("lsp", "module");
  const std::string path = (folder / "fine.rules").string();
  const std::string uri = "file://" + path;
  const std::string text =
      "ruleset fine\nuse std.interest\ninput Row\n  amount:   money\nlet twice = amount * 2\n"
      "output o: money = twice\n"
      "output band: int = 0\ndecide first\n  rule positive when amount >= 0.00 EUR then band = 1\n"
      "  rule zero when amount == 0.00 EUR then band = 2\nend\n";
  std::string input;
  input += frame(request(1, "initialize", {{"capabilities", json::object()}}));
  input += frame(notification("textDocument/didOpen", {{"textDocument", {{"uri", uri}, {"languageId", "regelwerk"}, {"version", 1}, {"text", text}}}}));
  input += frame(request(2, "textDocument/formatting", {{"textDocument", {{"uri", uri}}}, {"options", json::object()}}));
  input += frame(request(3, "textDocument/hover", at(uri, 4, 5)));
  input += frame(request(4, "textDocument/completion", at(uri, 4, 12)));
  input += frame(request(5, "textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}}));
  input += frame(request(8, "shutdown", nullptr));
  input += frame(notification("exit", nullptr));
  writeFile(folder / "in.lsp", input);
  const auto result = runIn(folder, regelwerkCommand() + " lsp < in.lsp > out.lsp");
  CHECK(result.exit_code == 0);
  std::map<int, json> replies;
  std::vector<json> published;
  for (const json& message : frames(readFile(folder / "out.lsp"))) {
    if (message.contains("id") && message["id"].is_number()) replies[message["id"].get<int>()] = message;
    if (message.contains("method")) published.push_back(message);
  }
  INFO(json(published).dump(2));
  REQUIRE(published.size() == 1);
  // No error; the whole-rule-set checks of `check`: `zero` is shadowed, with its counterexample.
  const json& diagnostics = published[0]["params"]["diagnostics"];
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0]["code"] == "W0402");
  CHECK(diagnostics[0]["severity"] == 2);
  CHECK(diagnostics[0]["range"]["start"] == json({{"line", 9}, {"character", 7}}));
  CHECK(diagnostics[0]["message"].get<std::string>().find("counterexample: amount / 0.00") != std::string::npos);
  // formatting: `amount:   money` becomes `amount: money`, the rest stays.
  REQUIRE(replies[2]["result"].size() == 1);
  const std::string formatted = replies[2]["result"][0]["newText"];
  CHECK(formatted.find("  amount: money\n") != std::string::npos);
  CHECK(formatted.find("let twice = amount * 2\n") != std::string::npos);
  // hover on a checked file shows the let's inferred type.
  CHECK(replies[3]["result"]["contents"]["value"] == "**twice**: let `money`");
  std::vector<std::string> labels;
  for (const json& item : replies[4]["result"]) labels.push_back(item["label"]);
  for (const char* expected : {"amount", "twice", "o", "Row", "accrued_interest"}) {
    INFO(expected);
    CHECK(std::find(labels.begin(), labels.end(), expected) != labels.end());
  }
  // documentSymbol: the file's own declarations in the order written, not the module's.
  std::vector<std::string> outline;
  for (const json& item : replies[5]["result"]) outline.push_back(item["name"].get<std::string>() + "@" + std::to_string(item["kind"].get<int>()));
  CHECK(outline == std::vector<std::string>{"Row@5", "amount@8", "twice@13", "o@13", "band@13"});
  CHECK(replies[5]["result"][1]["containerName"] == "Row");
  CHECK(replies[5]["result"][1]["location"]["range"]["start"] == json({{"line", 3}, {"character", 2}}));
}

TEST_CASE("regelwerk lsp: an error inside a used module is shown at the `use` that reads it, with the module's place",
          "[lsp]") {
  const auto folder = scratchFolder("lsp", "module_error");
  // The document uses outer.rules, which uses inner.rules, whose line 3 names no declaration.
  writeFile(folder / "inner.rules", "module inner\n\nlet broken = nosuch + 1\n");
  writeFile(folder / "outer.rules", "module outer\nuse \"./inner.rules\"\nlet fine = 1\n");
  const std::string path = (folder / "doc.rules").string();
  const std::string uri = "file://" + path;
  const std::string text = "ruleset doc\n\n  use \"./outer.rules\"\ninput Row\n  a: int\noutput b: int = a\n";
  std::string input;
  input += frame(request(1, "initialize", {{"capabilities", json::object()}}));
  input += frame(notification("textDocument/didOpen", {{"textDocument", {{"uri", uri}, {"languageId", "regelwerk"}, {"version", 1}, {"text", text}}}}));
  input += frame(request(8, "shutdown", nullptr));
  input += frame(notification("exit", nullptr));
  writeFile(folder / "in.lsp", input);
  const auto result = runIn(folder, regelwerkCommand() + " lsp < in.lsp > out.lsp");
  CHECK(result.exit_code == 0);
  std::vector<json> published;
  for (const json& message : frames(readFile(folder / "out.lsp"))) {
    if (message.contains("method")) published.push_back(message);
  }
  INFO(json(published).dump(2));
  REQUIRE(published.size() == 1);
  const json& diagnostics = published[0]["params"]["diagnostics"];
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0]["severity"] == 1);
  // At the document's `use` (line 3, column 3: 0-based 2, 2), named by the module's file and line.
  CHECK(diagnostics[0]["range"]["start"] == json({{"line", 2}, {"character", 2}}));
  const std::string message = diagnostics[0]["message"];
  CHECK(message.rfind((folder / "inner.rules").string() + ":3: ", 0) == 0);
  CHECK(message.find("nosuch") != std::string::npos);
  // The module's own place, for the editor to open: inner.rules, line 3 (0-based 2).
  const json& related = diagnostics[0]["relatedInformation"];
  REQUIRE(related.size() == 1);
  CHECK(related[0]["location"]["uri"] == "file://" + (folder / "inner.rules").string());
  CHECK(related[0]["location"]["range"]["start"]["line"] == 2);
}

}  // namespace
