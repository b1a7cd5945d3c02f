// Parses `regelwerk check|run FILE [options]`. Each option takes its value as `--opt value` or `--opt=value`.
#include "args.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace regelwerk::cli {

const char* usageText() {
  return "usage:\n"
         "  regelwerk check FILE.rules [--dump=ast|ir|llvm]\n"
         "  regelwerk run FILE.rules --input IN.csv --output OUT.csv [--param name=value]...\n"
         "                [--rejects REJECTS.csv] [--threads N] [--engine jit|interp]\n"
         "                [--batch-size N] [--separator C] [--quiet] [--dump=ast|ir|llvm]\n"
         "  regelwerk run FILE.rules --input NAME=IN.csv... --output OUT.csv [--memory-limit 256M] ...\n"
         "                (keyed inputs: one --input per input of the rule set, one output row per key)\n"
         "  regelwerk run FILE.rules --input IN.csv --explain LINE   (which rules applied to that record)\n"
         "  regelwerk run FILE.rules --input-query SQL --output-table TABLE [--rejects-table TABLE] [--db CONNINFO] ...\n"
         "                (PostgreSQL, in one transaction; CONNINFO or the PG* variables, never a password)\n"
         "  regelwerk test PATH...   (rule files or folders; runs every test block through both engines)\n"
         "  regelwerk --help | --version\n"
         "check, run and test keep the JIT's machine code in $REGELWERK_CACHE, else $XDG_CACHE_HOME/regelwerk, else\n"
         "~/.cache/regelwerk; --no-cache (or REGELWERK_CACHE=off) compiles without it.\n"
         "IN.csv or OUT.csv may be - for standard input or output.\n"
         "Exit codes: 0 ok; 1 errors in the rule file; 2 usage or input errors, or a rejected row without --rejects.\n";
}

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
                                        "--db", "--input-query", "--output-table", "--rejects-table"};
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

// `regelwerk test PATH...`: every argument is a rule file or a folder searched recursively.
bool parseTestArgs(int argc, char** argv, Args* args, std::string* error) {
  for (int index = 2; index < argc; ++index) {
    std::string arg = argv[index];
    if (arg == "--quiet") {
      args->quiet = true;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-' && arg[1] == '-') {
      *error = "unknown option `" + arg + "` for `regelwerk test`";
      return false;
    }
    args->test_paths.push_back(arg);
  }
  if (args->test_paths.empty()) *error = "`regelwerk test` needs a rule file or folder";
  return error->empty();
}

}  // namespace

bool parseArgs(int argc, char** argv, Args* args, std::string* error) {
  if (argc < 2) {
    *error = "missing command";
    return false;
  }
  args->command = argv[1];
  if (args->command == "--help" || args->command == "-h" || args->command == "help") return args->command = "help", true;
  if (args->command == "--version") return args->command = "version", true;
  if (args->command == "test") return parseTestArgs(argc, argv, args, error);
  if (args->command != "check" && args->command != "run") {
    *error = "unknown command `" + args->command + "` (expected check, run or test)";
    return false;
  }
  for (int index = 2; index < argc; ++index) {
    std::string arg = argv[index];
    if (arg.size() > 1 && arg[0] == '-' && arg[1] == '-') {
      if (!applyOption(argc, argv, &index, args, error)) return false;
    } else if (args->rules_path.empty()) {
      args->rules_path = arg;
    } else {
      *error = "unexpected argument `" + arg + "`";
      return false;
    }
  }
  if (args->rules_path.empty()) {
    *error = "`regelwerk " + args->command + "` needs a rule file";
    return false;
  }
  return checkRunOptions(*args, error);
}

}  // namespace regelwerk::cli
