// The help texts of `regelwerk`: one overview and one page per command that names and explains every
// option the command takes (args.cpp parses them; a new option goes into both files).
#include "help_text.hpp"

namespace regelwerk::cli {

const char* usageText() {
  return "usage:\n"
         "  regelwerk check FILE.rules [--budget MS] [--dump=ast|ir|llvm]\n"
         "  regelwerk run FILE.rules --input IN.csv --output OUT.csv [--param name=value]...\n"
         "                [--rejects REJECTS.csv] [--threads N] [--engine jit|interp]\n"
         "                [--batch-size N] [--separator C] [--quiet] [--dump=ast|ir|llvm]\n"
         "  regelwerk run FILE.rules --input NAME=IN.csv... --output OUT.csv [--memory-limit 256M] ...\n"
         "                (keyed inputs: one --input per input of the rule set, one output row per key)\n"
         "  regelwerk run FILE.rules --input IN.csv --explain LINE   (which rules applied to that record)\n"
         "  regelwerk run FILE.rules --input-query SQL --output-table TABLE [--rejects-table TABLE] [--db CONNINFO] ...\n"
         "                (PostgreSQL, in one transaction; CONNINFO or the PG* variables, never a password)\n"
         "  regelwerk diff OLD.rules NEW.rules --input IN.csv [--param name=value]... [--limit N]\n"
         "                [--output REPORT.txt]   (which records two versions decide differently)\n"
         "  regelwerk test PATH...   (rule files or folders; runs every test block through both engines)\n"
         "  regelwerk fmt [--check] FILE|FOLDER...   (rewrites .rules files in the canonical layout)\n"
         "  regelwerk lsp   (a language server for editors, on standard input and output)\n"
         "  regelwerk --help | --version\n"
         "  regelwerk COMMAND --help, regelwerk help COMMAND   (every option of that command explained)\n"
         "IN.csv or OUT.csv may be - for standard input or output.\n"
         "run and test keep the JIT's machine code in $REGELWERK_CACHE, else $XDG_CACHE_HOME/regelwerk, else\n"
         "~/.cache/regelwerk; --no-cache (or REGELWERK_CACHE=off) compiles without it.\n"
         "Exit codes: 0 ok; 1 errors in the rule file; 2 usage or input errors, or a rejected row without --rejects.\n";
}

namespace {

const char* checkHelp() {
  return "usage: regelwerk check FILE.rules [--budget MS] [--dump=ast|ir|llvm]\n"
         "\n"
         "Reads the rule file with the modules (`use`) and table files it names, checks names, types and\n"
         "scales, and prints every error and warning as FILE:LINE:COL: error[CODE]: message, with the\n"
         "source line and a caret (the codes are listed in docs/diagnostics.md). Nothing is run.\n"
         "\n"
         "Then the whole-rule-set checks (docs/checks.md): rules or table rows that can never apply (W0401),\n"
         "are shadowed under `first` (W0402), overlap under `unique` (W0403), or disagree as exceptions\n"
         "(W0404), and, in a block marked `# check: complete`, records no rule covers (W0405) - each with a\n"
         "counterexample record to replay with `run --explain 2`.\n"
         "\n"
         "options:\n"
         "  --budget MS          the solver's time for the whole rule set, in milliseconds (default 2000, at\n"
         "                       most 600000); what it leaves undecided is a note (W0406), never a finding\n"
         "  --dump ast|ir|llvm   after a clean check, print the syntax tree (ast), the intermediate\n"
         "                       representation both engines run (ir), or the LLVM IR the JIT compiles (llvm)\n"
         "  --help, -h           print this help\n"
         "\n"
         "Exit codes: 0 no errors (warnings may have been printed); 1 errors in the rule file;\n"
         "2 usage error or a file that cannot be read.\n";
}

const char* runHelp() {
  return "usage: regelwerk run FILE.rules --input IN.csv --output OUT.csv [options]\n"
         "       regelwerk run FILE.rules --input NAME=IN.csv... --output [RECORD=]OUT.csv... [options]\n"
         "       regelwerk run FILE.rules --input IN.csv --explain LINE [--param name=value]...\n"
         "\n"
         "Checks the rule file, then decides every record of the input (every group of records sharing a\n"
         "key, for keyed inputs) and writes one output row for each, in input order. At the end it prints\n"
         "rows in = rows out + rows rejected, the count of each enum and bool outcome and the sum of each\n"
         "money output. Outputs are written to temporary files and replace the named files only when the\n"
         "run succeeds.\n"
         "\n"
         "options:\n"
         "  --input IN.csv         the CSV file to read; - reads standard input. A rule set with keyed\n"
         "                         inputs takes one --input NAME=FILE per input it declares\n"
         "  --output OUT.csv       the CSV file to write; - writes standard output. A rule set with\n"
         "                         several output records takes one --output RECORD=FILE per record\n"
         "  --rejects REJECTS.csv  write each row that cannot be decided (a cell that does not parse, an\n"
         "                         overflow, a division by zero, a rule conflict, a `reject`) there with\n"
         "                         its line, column and reason, and go on; without it the first such row\n"
         "                         stops the run (exit 2)\n"
         "  --param NAME=VALUE     set a `param` of the rule set, as a literal of its type (2026-11-21,\n"
         "                         8.5%, 5.00); repeat it for several params; a param without a default\n"
         "                         must be set\n"
         "  --threads N            worker threads, 1 to 1024 (default: one per core)\n"
         "  --engine jit|interp    the LLVM JIT (default) or the reference interpreter; both write the same bytes\n"
         "  --batch-size N         records per batch, 1 to 1048576 (default 2048)\n"
         "  --separator C          the input's field separator, one character or tab (default: the rule\n"
         "                         file's `separator`, else a comma)\n"
         "  --memory-limit SIZE    keyed inputs that are not sorted by their key are sorted in memory up to\n"
         "                         SIZE, then on disk: 512M, 2G (K, M, G; at least 1M; default 256M)\n"
         "  --explain LINE         instead of running, print which rules applied to the record on line LINE\n"
         "                         of the input file and what each output became; needs no --output\n"
         "  --input-query SQL      read the input from a PostgreSQL query instead of a file (COPY; the\n"
         "                         columns are matched to the fields by CSV column name; docs/database.md)\n"
         "  --output-table TABLE   write the outputs into a PostgreSQL table (created when missing)\n"
         "  --rejects-table TABLE  write the rejected rows into a PostgreSQL table, as --rejects does\n"
         "  --db CONNINFO          the libpq connection string (default: the PG* environment variables);\n"
         "                         a password is refused here: use PGPASSWORD or ~/.pgpass. With any of the\n"
         "                         four, the run is one transaction: a failed run writes nothing\n"
         "  --no-cache             compile the rules without the compiled-code cache (REGELWERK_CACHE=off)\n"
         "  --quiet                do not print the count line and the sums\n"
         "  --dump ast|ir|llvm     print the syntax tree, the IR or the LLVM IR instead of running\n"
         "  --help, -h             print this help\n"
         "Each option takes its value as --option value or --option=value.\n"
         "\n"
         "Exit codes: 0 ok; 1 errors in the rule file (nothing is run); 2 usage or input errors, or a\n"
         "row that cannot be decided without --rejects; 128+N when stopped by signal N.\n";
}

const char* diffHelp() {
  return "usage: regelwerk diff OLD.rules NEW.rules --input IN.csv [options]\n"
         "\n"
         "Runs two versions of a rule set over the same input (read once, both evaluated on every batch)\n"
         "and reports what the change does: records = unchanged + changed + accepted → rejected +\n"
         "rejected → accepted + rejected by both; per output the records whose value changed and each\n"
         "value pair (`none → reminder  1,234 records`; at most 20 pairs, except for enum and bool\n"
         "outputs); each money output's exact sum in both versions and the difference; the rejections\n"
         "only one version makes, by reason; and the first changed records with both outcomes and the\n"
         "rules that decided them (as `run --explain`). Outputs are compared by name; those only one\n"
         "version has are listed. Rule sets with keyed inputs are refused. docs/diff.md describes the\n"
         "report.\n"
         "\n"
         "options:\n"
         "  --input IN.csv         the CSV file both versions read; - reads standard input\n"
         "  --param NAME=VALUE     set a `param` in each version that declares it; repeat for several\n"
         "  --limit N              show the first N changed records with their rules (default 10; 0 shows\n"
         "                         none; at most 1000000)\n"
         "  --output REPORT.txt    write the report there instead of standard output (replaced only when\n"
         "                         the diff completes)\n"
         "  --threads N            worker threads, 1 to 1024 (default: one per core)\n"
         "  --engine jit|interp    the LLVM JIT (default) or the reference interpreter (the shown records\n"
         "                         are always explained by the interpreter)\n"
         "  --batch-size N         records per batch, 1 to 1048576 (default 2048)\n"
         "  --separator C          the input's field separator (default: the rule files' `separator`)\n"
         "  --no-cache             compile the rules without the compiled-code cache\n"
         "  --help, -h             print this help\n"
         "\n"
         "Exit codes: 0 no record changes; 1 some records change (as diff(1)); 2 usage errors, errors in\n"
         "a rule file, or an input that cannot be read.\n";
}

const char* testHelp() {
  return "usage: regelwerk test PATH... [--quiet] [--coverage] [--junit REPORT.xml]\n"
         "\n"
         "Runs the `test` blocks of each rule file (and of the X.test.rules beside X.rules) through the\n"
         "interpreter and the JIT. A PATH is a rule file or a folder searched for .rules files. Each test\n"
         "prints `ok` or `FAIL` with every output that differs and the rules that applied; the last line\n"
         "is N passed, N failed.\n"
         "\n"
         "options:\n"
         "  --quiet      print only the failing tests and the last line\n"
         "  --coverage   also print which rules of the decision blocks no test exercised (won in no\n"
         "               test), per file and in total\n"
         "  --junit FILE write the results as JUnit XML to FILE (a test suite per rule file), for CI\n"
         "  --no-cache   compile the rules without the compiled-code cache\n"
         "  --help, -h   print this help\n"
         "\n"
         "Exit codes: 0 every test passed; 1 a test failed; 2 a rule file has errors or a PATH does not exist.\n";
}

const char* fmtHelp() {
  return "usage: regelwerk fmt [--check] FILE|FOLDER...\n"
         "\n"
         "Rewrites each .rules file (the files named, and those found in the folders) in the one\n"
         "canonical layout, keeping its comments; formatting a formatted file changes nothing.\n"
         "\n"
         "options:\n"
         "  --check      change nothing; list the files that would change and exit 1 if there are any\n"
         "               (for CI)\n"
         "  --help, -h   print this help\n"
         "\n"
         "Exit codes: 0 ok (with --check: no file would change); 1 with --check, a file would change,\n"
         "or a file has syntax errors (it is left as it is); 2 usage error or a file that cannot be\n"
         "read or written. The layout: docs/language.md, \"Layout and `regelwerk fmt`\".\n";
}

const char* lspHelp() {
  return "usage: regelwerk lsp\n"
         "\n"
         "A Language Server Protocol server on standard input and output, for editors: diagnostics as\n"
         "you type (the codes and positions of `check`), hover (a name's kind and type), go to definition\n"
         "(also into `use`d modules), completion of names, an input's fields and enum members, and\n"
         "formatting (`regelwerk fmt`). An editor starts it; docs/editors.md says how.\n"
         "\n"
         "options:\n"
         "  --help, -h   print this help\n"
         "\n"
         "Exit codes: 0 after the editor's shutdown and exit; 1 when the input ends without them.\n";
}

}  // namespace

const char* commandHelp(std::string_view command) {
  if (command == "check") return checkHelp();
  if (command == "run") return runHelp();
  if (command == "test") return testHelp();
  if (command == "diff") return diffHelp();
  if (command == "fmt") return fmtHelp();
  if (command == "lsp") return lspHelp();
  return nullptr;
}

}  // namespace regelwerk::cli
