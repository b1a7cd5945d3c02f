// The checker's shared state. Internal to compiler/sema: each pass is one file (check_decls.cpp,
// resolve_names.cpp, check_expr.cpp, check_arith.cpp, check_calls.cpp, check_decisions.cpp) that
// defines the Checker members it owns.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "time_functions.hpp"
#include "typed_ruleset.hpp"

namespace regelwerk::sema {

struct TimeFunction;  // time_functions.hpp

// A name in the value namespace: an input field, a param or a let.
struct Declared {
  SymbolKind kind = SymbolKind::None;
  uint32_t index = 0;
  Location loc;
};

class Checker {
 public:
  Checker(const ast::Ruleset& ruleset, const SourceManager& sources, DiagnosticSink& diags, TypedRuleset& out);
  void run();

  // check_decls.cpp
  void checkSettings();
  void checkInput();
  char checkSeparator(const ast::InputDecl& input);
  void checkFields(const ast::InputDecl& input);
  void checkParams();
  void checkLets();
  void checkLet(size_t index);
  void declareBlockValue(int block, const std::string& name, SymbolKind kind, uint32_t index, Location loc);
  void checkOutputs();
  void checkOutput(const ast::OutputDecl& output);
  ir::Type resolveType(const ast::TypeRef& ref);
  void checkFormat(const std::optional<std::string>& format, Location loc, const ir::Type& type,
                   std::string_view what);
  // Reports why `value` cannot be stored in `target` (a let, param or output of that type).
  bool checkAssignable(const ast::Expr& value, const ir::Type& target, std::string_view target_name);

  // resolve_names.cpp
  void declareValue(const std::string& name, SymbolKind kind, uint32_t index, Location loc);
  void collectEnumMembers();
  bool isBareMember(const ast::Expr& expr) const;
  ExprInfo checkName(const ast::Expr& expr, const ir::Type* hint);
  std::string didYouMean(std::string_view name, const ir::Type* hint) const;
  // The hint of an unknown function (E0208): the closest name, then the rule set's functions, the used
  // modules' functions, the tables and the built-ins, each list nearest first.
  std::string functionHint(std::string_view name, const std::vector<std::string>& builtins) const;

  // check_expr.cpp: `hint` is the type the context expects; it only decides which enum a bare
  // member name belongs to (`action = reminder`).
  const ExprInfo& check(const ast::Expr& expr, const ir::Type* hint = nullptr);
  ExprInfo checkKind(const ast::Expr& expr, const ir::Type* hint);
  ExprInfo checkLiteral(const ast::Expr& expr);
  ExprInfo checkUnary(const ast::Expr& expr);
  ExprInfo checkBinary(const ast::Expr& expr, const ir::Type* hint);
  ExprInfo checkLogic(const ast::Expr& expr);
  ExprInfo checkCompare(const ast::Expr& expr);
  ExprInfo checkInList(const ast::Expr& expr);
  ExprInfo checkInRange(const ast::Expr& expr);
  ExprInfo checkIsMissing(const ast::Expr& expr);
  ExprInfo checkCoalesce(const ast::Expr& expr, const ir::Type* hint);
  ExprInfo checkIf(const ast::Expr& expr, const ir::Type* hint);
  // check_convert.cpp: `missing`, `a ++ b`, `int(x, mode)`.
  ExprInfo checkMissing(const ast::Expr& expr, const ir::Type* hint);
  ExprInfo checkConcat(const ast::Expr& expr);
  ExprInfo checkIntConversion(const ast::Expr& expr);
  ExprInfo checkText(const ast::Expr& expr);
  bool checkModeArgument(const ast::Expr& mode);
  bool reportMissingStored(const ast::Expr& value, const ir::Type& target, std::string_view target_name);
  void checkOperandsAnchored(const std::vector<const ast::Expr*>& operands, const ir::Type* hint);
  bool plainValue(const ast::Expr& expr, bool allow_quotient = false, bool allow_optional = false);
  bool checkCondition(const ast::Expr& expr, std::string_view what);
  bool checkComparable(const ast::Expr& lhs, const ast::Expr& rhs, bool ordering, const char* code);
  void reportMismatch(const ast::Expr& lhs, const ast::Expr& rhs, const char* code, std::string_view op);
  void reportOptional(const ast::Expr& expr);
  void reportQuotient(const ast::Expr& expr);
  void reportNotNumber(const ast::Expr& expr, std::string_view op);

  // check_arith.cpp
  ExprInfo checkAdditive(const ast::Expr& expr);
  ExprInfo checkMultiply(const ast::Expr& expr);
  void warnBareFactor(const ast::Expr& money, const ast::Expr& factor);
  ExprInfo checkDivide(const ast::Expr& expr);
  bool checkScale(int scale, Location loc, std::string_view what);

  // check_calls.cpp
  ExprInfo checkCall(const ast::Expr& expr);
  ExprInfo checkRound(const ast::Expr& expr);
  ExprInfo checkMinMax(const ast::Expr& expr);
  ExprInfo checkAbs(const ast::Expr& expr);

  // check_time.cpp
  ExprInfo checkTimeLiteral(const ast::Expr& expr);
  ExprInfo checkTimeArithmetic(const ast::Expr& expr);
  ExprInfo checkTimeCall(const ast::Expr& expr, const TimeFunction& function);
  bool checkTimeArgument(const ast::Expr& call, const TimeFunction& function, size_t index);
  bool checkZoneLiteral(const ast::Expr& zone);
  bool checkDateParts(const ast::Expr& call, const TimeFunction& function);

  // check_decisions.cpp
  void checkDecisions();
  void checkDecision(size_t block_index);
  void checkRule(size_t block_index, const ast::RuleDecl& rule, RuleInfo& info);
  void checkOverrides(size_t block_index);

  // check_tests.cpp
  // What a test section may name: the fields of an input, the params, or the outputs of a record.
  struct TestTarget {
    std::string word;    // "an input field of this rule set"
    std::string plural;  // "input fields"
    std::vector<std::pair<std::string, ir::Type>> names;
  };
  void checkTests();
  void checkTestBindings(const ast::TestDecl& decl);
  void checkTestSection(const std::vector<ast::TestBinding>& bindings, const TestTarget& target);
  bool checkTestValue(const ast::TestValue& value, const ir::Type& type, const std::string& target);
  bool checkLiteralFits(const ast::Expr& expr, const ir::Type& type);
  void resolveTest(const ast::TestDecl& decl, const std::map<std::string, const ast::TestDecl*>& examples);
  bool testChain(const ast::TestDecl& decl, const std::map<std::string, const ast::TestDecl*>& examples,
                 std::vector<const ast::TestDecl*>* chain);
  void resolveRecord(const std::vector<const ast::TestDecl*>& chain, TestInfo* test);
  void checkRequiredGiven(const ast::TestDecl& decl, const TestInfo& test);

  // check_group_tests.cpp
  void checkGroupTestBindings(const ast::TestDecl& decl);
  std::optional<uint32_t> testInput(const ast::TestRecordDecl& record, bool report);
  const ast::InputDecl& firstGivenInput() const;  // the first input a test gives records of (not a derived one)
  std::optional<int> testRecord(const ast::TestRecordDecl& row, bool report);
  TestTarget inputTarget(uint32_t input) const;
  TestTarget recordTarget(int block) const;
  void resolveGroupTest(const std::vector<const ast::TestDecl*>& chain, TestInfo* test);
  void checkGroupTestRecords(const ast::TestDecl& decl, const TestInfo& test);

  // check_tables.cpp
  void checkTables();
  void checkTable(const ast::TableDecl& decl);
  bool checkTableShape(const ast::TableDecl& decl, TableInfo& table);
  void inlineRows(const ast::TableDecl& decl, TableInfo& table, std::vector<Location>* row_locs);
  void csvRows(const ast::TableDecl& decl, TableInfo& table, std::vector<Location>* row_locs);
  void sortRows(const ast::TableDecl& decl, TableInfo& table, std::vector<Location>& row_locs);
  void checkValidTo(const ast::TableDecl& decl, TableInfo& table, const std::vector<int64_t>& last_days,
                    const std::vector<Location>& row_locs);
  ExprInfo checkTableLookup(const ast::Expr& expr, uint32_t table);
  ExprInfo checkAccrue(const ast::Expr& expr);
  const TableInfo* rangeTableArg(const ast::Expr& arg, uint32_t* index);
  void declareCallable(const std::string& name, Location loc);

  // check_groups.cpp (docs/groups.md)
  bool groupedInputs() const;
  void checkGroupedInputs();
  void checkGroupedInput(uint32_t index);
  void declareGroupedField(const ast::InputDecl& input, uint32_t index, const ast::Field& field, bool one);
  void checkKeyField(uint32_t index);
  void checkOrderBy(uint32_t index);
  void declareKeyWithoutOne();
  void checkGroupLayout();
  void reportOutsidePer();
  // A keyed or shared input (an input of the group), by name.
  std::optional<uint32_t> keyedInputNamed(const std::string& name) const;
  bool reportItemField(const ast::Expr& expr);
  bool isRecordCount(const ast::Expr& expr) const;
  ExprInfo checkAggregate(const ast::Expr& expr);
  bool checkAggregateShape(const ast::Expr& expr, ir::AggregateFn fn, const ast::Expr* value, const std::string& source);
  ExprInfo checkInItemScope(uint32_t input, const std::function<ExprInfo()>& body, bool group_values = false);
  ExprInfo checkStepAggregate(const ast::Expr& expr, ir::AggregateFn fn, uint32_t input, const ast::Expr* value,
                              const ast::Expr* filter);
  bool checkLateAggregate(AggregateInfo& aggregate);
  bool readsLate(const ast::Expr& expr) const;
  bool letReadsLate(size_t index) const;
  ExprInfo aggregateResult(ir::AggregateFn fn, const ast::Expr* value, const ast::Expr* filter);
  bool checkAggregateShare(const AggregateInfo& aggregate);

  // check_blocks.cpp (each, fold, distribute; docs/groups.md)
  void checkItemBlocks();
  void checkItemBlock(uint32_t index);
  void declareStates(uint32_t block);
  void checkRecordNames();
  // check_derived.cpp (`input D derived`)
  void checkDerivedInputs();
  void checkDerivedInput(uint32_t input);
  void checkDerivedColumns(uint32_t input, uint32_t block, int first_writer);
  std::vector<uint32_t> rowColumns(uint32_t block) const;
  void checkDerivedReads(uint32_t input, int last_fold);
  void checkFoldRecord(uint32_t index);
  void checkRangeFold(uint32_t index);
  void checkLedger(uint32_t index);
  void checkShareParts(const ast::DistributeDecl& decl, DistributeInfo& info);
  void checkLedgerDistributes(size_t lets_checked);
  void checkLedgerDistribute(uint32_t index);
  bool checkStepRestRead(const ast::Expr& expr, const Declared& declared);
  bool readsStepRest(const ast::Expr& expr) const;
  const ast::DistributeDecl* laterLedgerShare(const std::string& name) const;
  void checkLedgerInitial(const ast::OutputDecl& output, const ir::Type& type);
  bool checkLedgerRead(const ast::Expr& expr, const Declared& declared);
  void checkFoldRowFilters();
  bool earlierFoldState(const Declared& declared, int block) const;
  bool reportOutsideFold(const ast::Expr& expr);
  bool readsStepAggregate(const ast::Expr& expr) const;
  ExprInfo checkLedgerAggregate(const ast::Expr& expr, ir::AggregateFn fn, uint32_t input, Location source_loc, const ast::Expr* value,
                                const ast::Expr* filter);
  bool readsLedgerValue(const ast::Expr& expr) const;
  bool readsThrough(const ast::Expr& expr, const std::function<bool(const ast::Expr&)>& direct, const std::vector<bool>& lets) const;
  bool ledgerDistributionSymbol(const ast::Expr& expr, SymbolKind kind) const;
  std::map<std::string, Declared> fieldsDuringFolds(uint32_t input) const;
  ExprInfo checkOverRecords(uint32_t input, const std::function<bool(const Declared&)>& later, std::set<std::string>* withheld,
                            ir::AggregateFn fn, const ast::Expr* value, const ast::Expr* filter);
  ExprInfo checkPoolAggregate(const ast::Expr& expr, ir::AggregateFn fn, uint32_t input, const ast::Expr* value, const ast::Expr* filter);
  void checkRangeBound(const ast::Expr& bound, const ir::Type* expected);
  bool oneInputField(const Declared& declared) const;
  void checkDistributeItems();
  void checkDistributeItem(uint32_t index);
  void checkDistributePools();
  bool readsDistribution(const ast::Expr& expr, std::vector<int>& let_memo) const;
  std::map<std::string, Declared> scopeValues(int block) const;
  void inScope(int block, const std::function<void()>& body);

  // check_functions.cpp
  void checkFunctions();
  ExprInfo checkFunctionCall(const ast::Expr& expr, uint32_t function);
  ExprInfo checkLocalName(const ast::Expr& expr, const ir::Type* hint, bool* handled);
  std::optional<std::vector<int>> bindArguments(const ast::Expr& call, const std::vector<std::string>& params,
                                                size_t required);
  void checkRequirements();
  std::string requirementProblem(const ast::Requirement& requirement, const ir::Type& wanted);

  const ExprInfo& info(const ast::Expr& expr) const { return out_.exprs[expr.id]; }
  void error(const char* code, Location loc, std::string message, std::string hint = {});
  // A warning (W codes): the rule set still runs; `regelwerk check` prints it and exits 0.
  void warning(const char* code, Location loc, std::string message, std::string hint = {});
  // "line 12", or "lib/liability.rules:12" when `where` is in another file than `from` (modules).
  std::string placeOf(Location where, Location from) const;

  const ast::Ruleset& ast_;
  const SourceManager& sources_;
  DiagnosticSink& diags_;
  uint32_t table_row_ = 0;  // checking a decision table's row: its errors say `row N: …`
  TypedRuleset& out_;
  std::map<std::string, Declared> values_;                  // fields, params, lets by name
  std::map<std::string, uint32_t> outputs_;                 // outputs by name
  std::set<std::string> members_;                           // members of every declared enum type
  std::map<std::string, std::pair<size_t, Location>> assigned_in_;  // output -> (block, first assignment)
  std::vector<bool> let_failed_;  // a let whose value failed: its uses stay silent
  uint32_t visible_lets_ = 0;   // lets with a smaller index may be read
  uint32_t current_let_ = UINT32_MAX;  // the let being checked, if any
  bool literal_only_ = false;   // param defaults: names other than enum members are errors
  const char* literal_what_ = "a param default";  // what literal_only_ checks, for its message
  std::map<std::string, uint32_t> tables_;     // tables by name
  std::map<std::string, uint32_t> functions_;  // functions by name (only earlier ones are visible)
  std::map<std::string, Location> callables_;  // tables and functions, for name clashes
  const FunctionInfo* function_ = nullptr;     // the function whose body is being checked
  std::set<const ast::TestDecl*> failed_tests_;  // tests and examples whose values had errors
  bool fold_filter_ = false;  // checking a fold's `where`: the one input's fields are not readable there
  std::vector<std::map<std::string, Declared>> item_values_;  // grouped: per input, its fields by name
  int item_scope_ = -1;          // the input whose records an aggregate's value is checked over
  std::map<uint32_t, ir::Type> state_types_;  // fold states by output index, known before the lets
  bool in_fold_ = false;  // checking inside a fold: one record at a time
  int current_block_ = -1;  // the each/fold block whose names are in scope (inScope), else -1
  std::set<std::string> step_aggregate_lets_;  // checking a step aggregate: the fold lets it cannot read
  std::set<std::string> pool_aggregate_names_;  // checking an aggregate in a ledger's pool: the share and the lets after it
  std::set<std::string> ledger_aggregate_lets_;  // checking an aggregate in a ledger: the ledger lets and share it cannot read
  bool range_bound_ = false;  // checking the bounds of `fold v in low .. high`
  bool in_ledger_ = false;    // checking a `ledger X` block of a fold
  bool item_program_ = false;  // checking a value the item program computes (a ledger's initial state, a distribution's amount)
  bool step_pool_ = false;     // checking the pool of a distribution in a ledger (computed before the ledger)
  int pool_distribution_ = -1;  // checking that pool: its distribution (an aggregate over the ledger's input is a pool aggregate)
  int step_ledger_read_ = -1;  // checking a step aggregate: the ledger block whose states it reads, else -1
  // Checking a step's or a ledger's aggregate: the ledger blocks of earlier folds whose final states it reads.
  std::vector<uint32_t> earlier_ledger_reads_;
  bool reading_earlier_ledgers_ = false;  // checking a step's or a ledger's aggregate (they carry those states)
  bool distribution_amount_ = false;  // checking a group distribution's amount
  bool distribution_amount_name_ = false;  // … that is one name (a ledger state may be it)
  std::vector<bool> ledger_distribute_checked_;  // per distribution in a ledger: checked (checkLedgerDistributes)
  const std::map<std::string, Declared>* group_values_ = nullptr;  // inside an each block: the group's names
  std::vector<bool> let_late_;  // per let (checked so far): reads an aggregate of group values
  std::vector<std::map<std::string, Declared>> block_values_;   // per each/fold block: its lets (and states)
  std::vector<std::map<std::string, uint32_t>> block_outputs_;  // per each/fold block: its outputs (states)
  bool key_type_known_ = false;  // group key: the first valid key field fixed out_.group.key_type
};

// Helpers that put types and expressions into domain words (describe.cpp).
std::string kindWords(const ir::Type& type);                 // "money", "an int", "a date"
std::string subjectWords(const ast::Expr& expr);             // "`open`", "`5.00 EUR`", or ""
std::string literalText(const ast::Expr& expr);              // "5.00 EUR", "14 days"; "" if not a literal
std::string literalHint(const ast::Expr& blamed, const ir::Type& wanted);  // "write 5.00 EUR"
std::string testWords(const ast::TestDecl& decl);               // "test \"D3\"", "example `base`"
bool isLiteral(const ast::Expr& expr);
bool isLiteralShape(const ast::Expr& expr);  // a literal, `-literal` or a name (an enum member)
ExprInfo failedInfo();
bool isNumericKind(ir::TypeKind kind);
bool isOrderableKind(ir::TypeKind kind);  // numbers, dates, timestamps, times of day
std::string placesWords(const ir::Type& type);               // "2 places"; percent counts percent places
int languagePlaces(const ir::Type& type);                    // the places a user writes for round()

}  // namespace regelwerk::sema
