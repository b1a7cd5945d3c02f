// Parses `regelwerk check|run FILE [options]`, `test PATH...`, `fmt [--check] PATH...` and the help
// requests. Each option takes its value as `--opt value` or `--opt=value`.
#include "args.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "help_text.hpp"

namespace regelwerk::cli {

namespace {

// Splits "--name=value" or takes the next argument as the value.
bool takeValue(int argc, char** argv, int* index, const std::string& name, std::string* value, std::string* error) {
  std::string arg = argv[*index];
  if (arg.size() > name.size() && arg[name.size()] == '=') {
    *value = arg.substr(name.size() + 1);
    return true;
  }
  if (*index + 1 >= argc) {
    *error = "option " + name + " needs a value";
    return false;
  }
  *value = argv[++*index];
  return true;
}

bool parsePositive(const std::string& text, const std::string& name, long* out, std::string* error) {
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    *error = "option " + name + " needs a positive whole number, not `" + text + "`";
    return false;
  }
  *out = value;
  return true;
}

// `Claim=claims.csv` names the input it is for; a plain path (even one with `=` after a folder) does not.
bool isNamedInput(const std::string& value) {
  size_t equals = value.find('=');
  if (equals == std::string::npos || equals == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(value[0])) && value[0] != '_') return false;
  return std::all_of(value.begin(), value.begin() + static_cast<long>(equals),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool applyNamedInput(const std::string& value, Args* args) {
  size_t equals = value.find('=');
  args->run.named_inputs.emplace_back(value.substr(0, equals), value.substr(equals + 1));
  return true;
}

bool applyNamedOutput(const std::string& value, Args* args) {
  size_t equals = value.find('=');
  args->run.named_outputs.emplace_back(value.substr(0, equals), value.substr(equals + 1));
  return true;
}

// `--memory-limit 512M`: bytes, with an optional K, M or G (powers of 1024); at least 1 MiB.
bool parseMemoryLimit(const std::string& value, Args* args, std::string* error) {
  std::string digits = value;
  size_t unit = 1;
  if (!digits.empty() && std::string("KMG").find(static_cast<char>(std::toupper(digits.back()))) != std::string::npos) {
    char suffix = static_cast<char>(std::toupper(digits.back()));
    unit = suffix == 'K' ? size_t{1} << 10 : suffix == 'M' ? size_t{1} << 20 : size_t{1} << 30;
    digits.pop_back();
  }
  long number = 0;
  if (!parsePositive(digits, "--memory-limit", &number, error) || static_cast<size_t>(number) > (size_t{1} << 50) / unit ||
      static_cast<size_t>(number) * unit < (size_t{1} << 20)) {
    *error = "option --memory-limit takes a size from 1M, such as 512M or 2G, not `" + value + "`";
    return false;
  }
  args->run.memory_limit = static_cast<size_t>(number) * unit;
  return true;
}

// `--threads 99999`: a whole number from 1 to `max`, or a message that gives the range.
bool parseInRange(const std::string& text, const std::string& name, long max, long* out, std::string* error) {
  if (!parsePositive(text, name, out, error)) return false;
  if (*out <= max) return true;
  *error = "option " + name + " takes 1 to " + std::to_string(max) + ", not " + text;
  return false;
}

bool isOption(const std::string& arg, const char* name) {
  size_t length = std::strlen(name);
  return arg == name || (arg.size() > length && arg.compare(0, length, name) == 0 && arg[length] == '=');
}

// `diff --limit N`: 0 shows no changed record, only the counts.
bool parseLimit(const std::string& value, Args* args, std::string* error) {
  if (value == "0") return args->diff_limit = 0, true;
  return parseInRange(value, "--limit", 1000000, &args->diff_limit, error);
}

bool applyEngine(const std::string& value, Args* args, std::string* error) {
  if (value == "jit") args->engine = EngineKind::Jit;
  else if (value == "interp") args->engine = EngineKind::Interp;
  else {
    *error = "option --engine takes jit or interp, not `" + value + "`";
    return false;
  }
  return true;
}

bool applyParam(const std::string& value, Args* args, std::string* error) {
  size_t equals = value.find('=');
  if (equals == std::string::npos || equals == 0) {
    *error = "option --param takes name=value, not `" + value + "`";
    return false;
  }
  args->run.params.emplace_back(value.substr(0, equals), value.substr(equals + 1));
  return true;
}

bool applySeparator(const std::string& value, Args* args, std::string* error) {
  args->separator_given = true;
  if (value == "\\t" || value == "tab") {
    args->run.separator = '\t';
    return true;
  }
  if (value.size() != 1 || value[0] == '"' || value[0] == '\n' || value[0] == '\r') {
    *error = "option --separator takes one character (or tab), not `" + value + "`";
    return false;
  }
  args->run.separator = value[0];
  return true;
}

// Applies one option; `index` moves past its value.
bool applyOption(int argc, char** argv, int* index, Args* args, std::string* error) {
  std::string arg = argv[*index];
  std::string value;
  long number = 0;
  if (arg == "--quiet") return args->quiet = true;
  if (arg == "--no-cache") return args->no_cache = true;
  static const char* const kValued[] = {"--input", "--output", "--rejects", "--param", "--threads", "--engine",
                                        "--batch-size", "--separator", "--dump", "--explain", "--memory-limit",
                                        "--db", "--input-query", "--output-table", "--rejects-table", "--limit",
                                        "--budget"};
  for (const char* name : kValued) {
    if (!isOption(arg, name)) continue;
    if (!takeValue(argc, argv, index, name, &value, error)) return false;
    std::string option = name;
    if (option == "--input" && isNamedInput(value)) return applyNamedInput(value, args);
    if (option == "--output" && isNamedInput(value)) return applyNamedOutput(value, args);
    if (option == "--memory-limit") return parseMemoryLimit(value, args, error);
    if (option != "--param" && !args->given.insert(option).second) {
      *error = "option " + option + " is given twice: give it once";
      return false;
    }
    if (option == "--input") args->run.input_path = value;
    if (option == "--output") args->run.output_path = value;
    if (option == "--rejects") args->run.rejects_path = value;
    if (option == "--db") args->db.conninfo = value;
    if (option == "--input-query") args->db.input_query = value;
    if (option == "--output-table") args->db.output_table = value;
    if (option == "--rejects-table") args->db.rejects_table = value;
    if (option == "--param") return applyParam(value, args, error);
    if (option == "--engine") return applyEngine(value, args, error);
    if (option == "--separator") return applySeparator(value, args, error);
    if (option == "--threads") {
      if (!parseInRange(value, option, kMaxThreads, &number, error)) return false;
      args->run.threads = static_cast<int>(number);
    }
    if (option == "--explain") return parsePositive(value, option, &args->explain_line, error);
    if (option == "--limit") return parseLimit(value, args, error);
    if (option == "--budget") return parseInRange(value, option, kMaxCheckBudgetMillis, &args->check_budget_ms, error);
    if (option == "--batch-size") {
      if (!parseInRange(value, option, static_cast<long>(kMaxBatchSize), &number, error)) return false;
      args->run.batch_size = static_cast<size_t>(number);
    }
    if (option == "--dump") {
      if (value != "ast" && value != "ir" && value != "llvm") {
        *error = "option --dump takes ast, ir or llvm, not `" + value + "`";
        return false;
      }
      args->dump = value;
    }
    return true;
  }
  *error = "unknown option `" + arg + "`";
  return false;
}

// A file and a table (or a query) for the same thing is a mistake to point out, as is --db alone.
bool checkDatabaseOptions(const Args& args, std::string* error) {
  if (!args.run.input_path.empty() && !args.db.input_query.empty()) *error = "give --input or --input-query, not both";
  else if (!args.run.output_path.empty() && !args.db.output_table.empty()) *error = "give --output or --output-table, not both";
  else if (!args.run.rejects_path.empty() && !args.db.rejects_table.empty()) {
    *error = "give --rejects or --rejects-table, not both";
  } else if (args.given.count("--db") && !args.db.any()) {
    *error = "--db is for --input-query, --output-table or --rejects-table";
  } else if (args.db.any() && args.explain_line > 0) {
    *error = "--explain reads a file: use --input IN.csv with it";
  }
  return error->empty();
}

bool checkRunOptions(const Args& args, std::string* error) {
  if (args.command != "run" || !args.dump.empty()) return true;
  if (!checkDatabaseOptions(args, error)) return false;
  if (args.given.count("--limit")) return *error = "--limit is an option of `regelwerk diff`", false;
  if (args.run.input_path.empty() && args.run.named_inputs.empty() && args.db.input_query.empty()) {
    *error = "`regelwerk run` needs --input IN.csv";
  } else if (args.run.output_path.empty() && args.run.named_outputs.empty() && args.explain_line == 0 &&
             args.db.output_table.empty()) {
    *error = "`regelwerk run` needs --output OUT.csv";
  }
  else if (args.run.output_path == "-" && args.run.rejects_path == "-") {
    *error = "--output - and --rejects - would mix two CSV files on standard output: name a file for one";
  }
  return error->empty();
}

// `regelwerk diff OLD NEW --input IN.csv`: the options that make sense for comparing two versions.
bool checkDiffOptions(const Args& args, std::string* error) {
  if (args.new_rules_path.empty()) *error = "`regelwerk diff` needs two rule files: OLD.rules NEW.rules";
  else if (args.run.input_path.empty()) *error = "`regelwerk diff` needs --input IN.csv";
  for (const char* option : {"--rejects", "--explain", "--dump", "--db", "--input-query", "--output-table",
                             "--rejects-table"}) {
    if (error->empty() && args.given.count(option)) *error = std::string(option) + " is not an option of `regelwerk diff`";
  }
  if (error->empty() && (!args.run.named_inputs.empty() || !args.run.named_outputs.empty())) {
    *error = "`regelwerk diff` reads one input: --input IN.csv";
  }
  return error->empty();
}

// `regelwerk test PATH...` and `regelwerk fmt [--check] PATH...`: every other argument is a rule file or
// a folder searched recursively.
bool parsePathArgs(int argc, char** argv, Args* args, std::string* error) {
  for (int index = 2; index < argc; ++index) {
    std::string arg = argv[index];
    if (arg == "--quiet" && args->command == "test") {
      args->quiet = true;
      continue;
    }
    if (arg == "--coverage" && args->command == "test") {
      args->coverage = true;
      continue;
    }
    if (arg == "--no-cache" && args->command == "test") {
      args->no_cache = true;
      continue;
    }
    if (arg == "--junit" && args->command == "test") {
      if (index + 1 >= argc) {
        *error = "--junit needs a file name: --junit REPORT.xml";
        return false;
      }
      args->junit_path = argv[++index];
      continue;
    }
    if (arg == "--check" && args->command == "fmt") {
      args->fmt_check = true;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-' && arg[1] == '-') {
      *error = "unknown option `" + arg + "` for `regelwerk " + args->command + "`";
      return false;
    }
    args->paths.push_back(arg);
  }
  if (args->paths.empty()) *error = "`regelwerk " + args->command + "` needs a rule file or folder";
  return error->empty();
}

bool isHelpOption(const std::string& arg) { return arg == "--help" || arg == "-h"; }

// `regelwerk --help`, `regelwerk help run`, `regelwerk run --help` (anywhere after the command, as in
// `regelwerk run x.rules --input a.csv --help`): true when the arguments ask for help; `help_topic` is
// the command, or empty for the overview.
bool isHelpRequest(int argc, char** argv, Args* args, std::string* error) {
  std::string first = argv[1];
  if (isHelpOption(first) || first == "help") {
    args->command = "help";
    if (first != "help" || argc < 3) return true;
    args->help_topic = argv[2];
    if (commandHelp(args->help_topic) == nullptr) {
      *error = "there is no command `" + args->help_topic + "`; the commands are check, run, test, fmt, diff and lsp";
    }
    return true;
  }
  if (commandHelp(first) == nullptr) return false;
  for (int index = 2; index < argc; ++index) {
    if (!isHelpOption(argv[index])) continue;
    args->command = "help";
    args->help_topic = first;
    return true;
  }
  return false;
}

}  // namespace

bool parseArgs(int argc, char** argv, Args* args, std::string* error) {
  if (argc < 2) {
    *error = "missing command";
    return false;
  }
  if (isHelpRequest(argc, argv, args, error)) return error->empty();
  args->command = argv[1];
  if (args->command == "--version") return args->command = "version", true;
  if (args->command == "test" || args->command == "fmt") return parsePathArgs(argc, argv, args, error);
  if (args->command == "lsp") {
    if (argc > 2) *error = "`regelwerk lsp` takes no arguments: an editor starts it and speaks on its standard input and output";
    return error->empty();
  }
  if (args->command != "check" && args->command != "run" && args->command != "diff") {
    *error = "unknown command `" + args->command + "` (expected check, run, test, fmt, diff or lsp)";
    return false;
  }
  for (int index = 2; index < argc; ++index) {
    std::string arg = argv[index];
    if (arg.size() > 1 && arg[0] == '-' && arg[1] == '-') {
      if (!applyOption(argc, argv, &index, args, error)) return false;
    } else if (args->rules_path.empty()) {
      args->rules_path = arg;
    } else if (args->command == "diff" && args->new_rules_path.empty()) {
      args->new_rules_path = arg;
    } else {
      *error = "unexpected argument `" + arg + "`";
      return false;
    }
  }
  if (args->rules_path.empty()) {
    *error = "`regelwerk " + args->command + "` needs a rule file";
    return false;
  }
  if (args->command != "check" && args->given.count("--budget")) {
    *error = "--budget is an option of `regelwerk check`";
    return false;
  }
  if (args->command == "diff") return checkDiffOptions(*args, error);
  return checkRunOptions(*args, error);
}

}  // namespace regelwerk::cli
