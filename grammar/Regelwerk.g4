// The regelwerk rule language (docs/language.md). compiler/syntax turns the parse tree into the AST.
//
// Expression levels are loops, not left recursion, so a long `a + b + c ...` gives a flat parse
// tree; only parentheses, `if`, `not` and unary `-` recurse, and compiler/syntax limits those
// before ANTLR runs.
grammar Regelwerk;

@lexer::header {
#include "compiler/syntax/name_chars.hpp"
}

@lexer::members {
  // The last two tokens the parser sees, for K_SHARED and K_DERIVED.
  size_t before_last_type_ = 0;
  size_t last_type_ = 0;
  size_t last_line_ = 0;

  bool inputModeAllowed() { return before_last_type_ == K_INPUT && last_type_ == NAME && last_line_ == getLine(); }

  std::unique_ptr<antlr4::Token> nextToken() override {
    std::unique_ptr<antlr4::Token> token = antlr4::Lexer::nextToken();
    if (token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
      before_last_type_ = last_type_;
      last_type_ = token->getType();
      last_line_ = token->getLine();
    }
    return token;
  }

  // True when the next character would continue a name: `5 EURO` is not money and `3 daysx` is
  // not a number of days, so those fall back to a number followed by a name.
  bool continuesName() {
    size_t next = _input->LA(1);
    return next == '_' || (next >= '0' && next <= '9') || (next >= 'a' && next <= 'z') ||
           (next >= 'A' && next <= 'Z') || (next > 127 && next != static_cast<size_t>(-1));
  }
}

// ---- Declarations --------------------------------------------------------------------------------

// A rule set, a module (`module std.interest`) or a companion test file (`tests for "X.rules"`).
rulesetFile : fileHeader SEMI? declaration* EOF ;

fileHeader
  : K_RULESET name=NAME
  | K_MODULE moduleName=dottedName
  | K_TESTS K_FOR target=STRING_LIT
  ;

dottedName : NAME (DOT NAME)* ;

declaration
  : setting SEMI?
  | useDecl SEMI?
  | inputDecl
  | paramDecl SEMI?
  | letDecl SEMI?
  | rejectDecl SEMI?
  | outputDecl SEMI?
  | decideBlock SEMI?
  | tableDecl SEMI?
  | functionDecl SEMI?
  | testDecl SEMI?
  | perBlock SEMI?
  ;

// `use std.interest` (the standard library) or `use "./local.rules"` (beside this file).
useDecl : K_USE (moduleName=dottedName | path=STRING_LIT) ;

setting : key=(K_CURRENCY | K_ROUNDING) value=NAME ;

// The field list ends at the next declaration keyword: fields start with a name, declarations with
// a keyword.
// `input Claim key estate_id many order by claim_id`: a keyed input is one of several joined by the key
// (docs/groups.md); `many` allows any number of records per key, `order by` orders them (`order` is
// not reserved). `input Campaign shared order by priority`: every group reads all its records
// (`shared` is a keyword only there: K_SHARED). `input Candidate derived order by due`: the records are
// the rows the group's folds and ledgers write `as Candidate` (K_DERIVED, likewise).
inputDecl : K_INPUT name=NAME inputKey? (K_SEPARATOR separator=STRING_LIT)? SEMI? field* ;

inputKey
  : (K_KEY key=NAME many=K_MANY? | shared=K_SHARED | derived=K_DERIVED)
    (orderWord=NAME K_BY orderFields+=NAME (COMMA orderFields+=NAME)*)?
  ;

// `per estate_id as Totals ... end`: the lets, outputs and decisions of one group (all records of one
// key); `as` names the group's output record for `--output Totals=FILE`.
perBlock : K_PER key=NAME (K_AS record=NAME)? SEMI? perMember* K_END ;

perMember
  : letDecl SEMI?
  | rejectDecl SEMI?
  | outputDecl SEMI?
  | decideBlock SEMI?
  | eachBlock SEMI?
  | foldBlock SEMI?
  | distributeDecl SEMI?
  ;

// `each Claim as Payout ... end`: lets, outputs and decisions per record of a `many` input, one
// output row per record (docs/groups.md).
eachBlock : K_EACH input=NAME (K_AS record=NAME)? SEMI? eachMember* K_END ;

eachMember : letDecl SEMI? | rejectDecl SEMI? | outputDecl SEMI? | decideBlock SEMI? ;

// `fold Event where at <= now  state consent: enum(...) = none  decide first ... end  end`: running
// state over the records of a `many` input in its declared order (`state` is not reserved). With
// `as R` its outputs form record R, one row per folded record (`fold Year as Schedule ... end`).
// `fold year in first .. last as Schedule ... end`: one step per int (or date) of the range, in order.
// `as R when c`: a row of R only for the steps where c holds (the states change at every step).
foldBlock
  : K_FOLD (variable=NAME K_IN low=coalesce DOTDOT high=coalesce | input=NAME)
    (K_AS record=NAME (K_WHEN rows=expr)?)? (K_WHERE filter=expr)? SEMI? foldMember* K_END
  ;

foldMember : stateDecl SEMI? | letDecl SEMI? | rejectDecl SEMI? | outputDecl SEMI? | decideBlock SEMI? | ledgerBlock SEMI? ;

// `ledger Claim  state open: money = principal  let ...  decide first ... end  end` inside a fold:
// states kept per record of another `many` input across the fold's steps (`ledger` is not reserved).
ledgerBlock : ledgerWord=NAME input=NAME (K_AS record=NAME (K_WHEN rows=expr)?)? SEMI? ledgerMember* K_END ;

ledgerMember : stateDecl SEMI? | letDecl SEMI? | decideBlock SEMI? | distributeDecl SEMI? | outputDecl SEMI? ;

stateDecl : stateWord=NAME name=NAME COLON typeRef ASSIGN expr ;

// `distribute pool_cents over Claim amount amount_cents by tier ties creditor_id, claim_id into payout
// rest surplus`: tiers (ranked by one or more keys), then largest remainder (docs/groups.md). `amount`, `ties` and `rest` are not
// reserved.
distributeDecl
  : K_DISTRIBUTE pool=expr K_OVER input=NAME amountWord=NAME amount=expr
    (K_BY tiers+=expr (COMMA tiers+=expr)*)?
    (tiesWord=NAME ties+=expr (COMMA ties+=expr)*)?
    K_INTO share=NAME (restWord=NAME rest=NAME)?
  ;

field : name=NAME COLON typeRef (K_FROM column=STRING_LIT)? (K_FORMAT format=STRING_LIT)? SEMI? ;

paramDecl : K_PARAM name=NAME COLON typeRef (ASSIGN expr)? ;

letDecl : K_LET name=NAME (COLON typeRef)? ASSIGN expr ;

// `reject "loans are numbered 1 to 6" when loan_no > 6`: the record (in a grouped rule set, the group)
// is rejected with that reason when the condition holds.
rejectDecl : K_REJECT reason=STRING_LIT K_WHEN condition=expr ;

// The default is optional here only so the AST builder can say what is missing in domain words.
outputDecl : K_OUTPUT name=NAME COLON typeRef (ASSIGN expr)? (K_FORMAT format=STRING_LIT)? ;

decideBlock
  : K_DECIDE policy=NAME ruleDecl* K_END
  | K_DECIDE policy=NAME K_TABLE decisionHeader decisionRow* K_END
  ;

// A decision table (docs/language.md, "Decision tables"): the conditions' names left of `||`, the
// outputs right of it; each row is one rule. A condition cell is `-` (any), `>= x` and the other
// comparisons, `a..b`, `in (a, b)`, `not in (a, b)` or a value (equality); a result cell an expression,
// or `-` (the row leaves that output alone). Cells are `coalesce` expressions, which cannot contain `|`
// or `||` (those are `or` only to hint at it, E0116).
decisionHeader : PIPE conditions+=NAME (PIPE conditions+=NAME)* OROR results+=NAME (PIPE results+=NAME)* PIPE ;

decisionRow : PIPE conditionCell (PIPE conditionCell)* OROR resultCell (PIPE resultCell)* PIPE ;

conditionCell
  : MINUS                                          # anyCell
  | compareOp coalesce                             # compareCell
  | coalesce DOTDOT coalesce                       # rangeCell
  | K_NOT? K_IN LPAREN expr (COMMA expr)* RPAREN   # listCell
  | coalesce                                       # equalCell
  ;

resultCell
  : MINUS   # keepCell
  | expr    # valueCell
  ;

ruleDecl
  : K_RULE name=NAME label=STRING_LIT?
    (K_OVERRIDES overridden+=NAME (COMMA overridden+=NAME)*)?
    (K_WHEN condition=expr)?
    (K_THEN assignment (COMMA assignment)*)?
    SEMI?
  ;

assignment : target=NAME ASSIGN expr ;

// `table fees key level: int value fee: money rows 1 | 5.00 EUR, 2 | 10.00 EUR end`, or
// `table base_rate from "rates.csv" key valid_from: date range value rate: percent`;
// `range until valid_to` names a CSV column of last days that must meet the next row's key.
tableDecl
  : K_TABLE name=NAME (K_FROM path=STRING_LIT)?
    K_KEY key=tableColumn (range=K_RANGE (untilWord=NAME validTo=NAME)?)?
    K_VALUE tableColumn (COMMA tableColumn)*
    (K_ROWS (tableRow (COMMA tableRow)*)? K_END)?
  ;

tableColumn : name=NAME COLON typeRef ;

tableRow : testValue (PIPE testValue)* ;

// `function late_fee(open: money, level: int): money = ...`
functionDecl : K_FUNCTION name=NAME LPAREN (functionParam (COMMA functionParam)*)? RPAREN COLON typeRef ASSIGN expr ;

functionParam : name=NAME COLON typeRef ;

// `test "D3" like base given due_date = 2025-06-25 params as_of = 2025-07-06 expect interest = 6.77 EUR end`;
// `example base given ... end` holds shared values for `like`. `expect rejected "division by zero"`
// expects the row to be rejected with that text in its reason (`rejected` is not reserved). In a
// grouped rule set a test is one group: `given Claim: amount = 5.00 EUR` adds a record of input Claim,
// `expect Payout: payout = 2.50 EUR` describes the next row of output record Payout.
testDecl : (K_TEST title=STRING_LIT | K_EXAMPLE name=NAME) (K_LIKE base=NAME)? testSection* K_END ;

testSection
  : K_GIVEN (target=NAME COLON)? testBinding (COMMA testBinding)*   # givenSection
  | K_PARAMS testBinding (COMMA testBinding)*                        # paramsSection
  | K_EXPECT rejected=NAME reason=STRING_LIT                         # expectRejectedSection
  | K_EXPECT (target=NAME COLON)? testBinding (COMMA testBinding)*  # expectSection
  ;

testBinding : name=NAME ASSIGN testValue ;

// A literal of the field's type, a negative number, an enum member, or `missing`.
testValue : MINUS? literal | member=NAME | K_MISSING ;

// ---- Types -----------------------------------------------------------------------------------------

typeRef : baseType optional=QUESTION? ;

baseType
  : T_BOOL
  | T_INT
  | T_DECIMAL (LPAREN scale=INT_LIT RPAREN)?
  | T_MONEY
  | T_PERCENT
  | T_DATE
  | T_DAYS
  | T_TIMESTAMP
  | T_DURATION
  | T_TIME
  | T_STRING
  | T_ENUM LPAREN members+=NAME (COMMA members+=NAME)* RPAREN
  ;

// ---- Expressions, lowest precedence first ----------------------------------------------------------

expr
  : K_IF cond=expr K_THEN thenBranch=expr K_ELSE elseBranch=expr
  | orExpr
  ;

// `||`, `&&` and `!` parse as `or`, `and` and `not` only so that compiler/syntax can say "write `and`"
// (E0116) without a cascade of errors after them; a file that uses them is never run.
orExpr : andExpr (ops+=(K_OR | OROR) andExpr)* ;

andExpr : notExpr (ops+=(K_AND | ANDAND) notExpr)* ;

notExpr
  : op=(K_NOT | BANG) notExpr
  | comparison
  ;

// Comparisons do not chain: `a < b < c` is a syntax error.
comparison : coalesce comparisonTail? ;

comparisonTail
  : compareOp coalesce                                    # compareTail
  | K_NOT? K_IN LPAREN expr (COMMA expr)* RPAREN          # inListTail
  | K_NOT? K_IN coalesce DOTDOT coalesce                  # inRangeTail
  | K_IS K_NOT? K_MISSING                                 # isMissingTail
  ;

compareOp : EQ | NE | LT | LE | GT | GE ;

// `??` is right-associative; the AST builder folds the loop from the right.
coalesce : concatenation (QQ concatenation)* ;

// `"A-" ++ code ++ "/" ++ region`: string concatenation, looser than `+` so `"n" ++ a + b` is not a
// sum of strings.
concatenation : additive (CONCAT additive)* ;

additive : multiplicative (ops+=(PLUS | MINUS) multiplicative)* ;

multiplicative : unary (ops+=(STAR | SLASH) unary)* ;

unary
  : MINUS unary
  | primary
  ;

primary
  : aggregate
  | literal
  | callee=(NAME | T_DATE) LPAREN (argument (COMMA argument)*)? RPAREN (DOT member=NAME)?
  | callee=T_INT LPAREN (argument (COMMA argument)*)? RPAREN
  | NAME
  | K_MISSING
  | LPAREN expr RPAREN
  ;

// `sum(amount over Claim where tier == unsecured)`, `count(Claim where paid)`: over the records of a
// keyed input in the current group. (`count(Claim)` without `where` parses as a call; sema knows it.)
aggregate
  : fn=NAME LPAREN value=expr K_OVER source=NAME (K_WHERE filter=expr)? RPAREN
  | fn=NAME LPAREN source=NAME K_WHERE filter=expr RPAREN
  ;

// `from:` is allowed as an argument name although `from` is a keyword: accrue(p, from: d1, until: d2, ...).
argument : (argName=(NAME | K_FROM) COLON)? expr ;

literal
  : INT_LIT | DECIMAL_LIT | MONEY_LIT | PERCENT_LIT | DATE_LIT | DAYS_LIT | STRING_LIT
  | TIMESTAMP_LIT | DURATION_LIT | TIME_LIT
  | K_TRUE | K_FALSE
  ;

// ---- Lexer -----------------------------------------------------------------------------------------

K_RULESET : 'ruleset' ;
K_CURRENCY : 'currency' ;
K_ROUNDING : 'rounding' ;
K_INPUT : 'input' ;
K_FROM : 'from' ;
K_FORMAT : 'format' ;
K_PARAM : 'param' ;
K_LET : 'let' ;
K_OUTPUT : 'output' ;
K_DECIDE : 'decide' ;
K_RULE : 'rule' ;
K_WHEN : 'when' ;
K_THEN : 'then' ;
K_OVERRIDES : 'overrides' ;
K_END : 'end' ;
K_USE : 'use' ;
K_MODULE : 'module' ;
K_TESTS : 'tests' ;
K_FOR : 'for' ;
K_SEPARATOR : 'separator' ;
K_TABLE : 'table' ;
K_KEY : 'key' ;
K_RANGE : 'range' ;
K_VALUE : 'value' ;
K_ROWS : 'rows' ;
K_FUNCTION : 'function' ;
K_TEST : 'test' ;
K_EXAMPLE : 'example' ;
K_LIKE : 'like' ;
K_GIVEN : 'given' ;
K_PARAMS : 'params' ;
K_EXPECT : 'expect' ;
K_IF : 'if' ;
K_ELSE : 'else' ;
K_AND : 'and' ;
K_OR : 'or' ;
K_NOT : 'not' ;
K_IN : 'in' ;
K_IS : 'is' ;
K_MISSING : 'missing' ;
K_PER : 'per' ;
K_OVER : 'over' ;
K_WHERE : 'where' ;
K_MANY : 'many' ;
K_BY : 'by' ;
K_AS : 'as' ;
K_EACH : 'each' ;
K_FOLD : 'fold' ;
K_DISTRIBUTE : 'distribute' ;
K_REJECT : 'reject' ;
K_INTO : 'into' ;
K_TRUE : 'true' ;
K_FALSE : 'false' ;

T_BOOL : 'bool' ;
T_INT : 'int' ;
T_DECIMAL : 'decimal' ;
T_MONEY : 'money' ;
T_PERCENT : 'percent' ;
T_DATE : 'date' ;
T_DAYS : 'days' ;
T_TIMESTAMP : 'timestamp' ;
T_DURATION : 'duration' ;
T_TIME : 'time' ;
T_STRING : 'string' ;
T_ENUM : 'enum' ;

// `shared` and `derived` right after an input's name, on its line (`input Campaign shared`); names
// everywhere else (a share may be called `shared`). After T_ENUM: not among the reserved words.
K_SHARED : 'shared' {inputModeAllowed()}? ;
K_DERIVED : 'derived' {inputModeAllowed()}? ;

// Literals are single tokens so `12.50 EUR` and `14 days` carry their unit; `1..2` is INT '..' INT.
// `2025-03-04T10:00:00Z`, `2025-03-04T12:00:00+02:00`; a fraction of a second lexes so the checker can
// refuse it by name (E0901). Longer than DATE_LIT, so it wins over a date followed by a name.
TIMESTAMP_LIT
  : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT 'T' DIGIT DIGIT ':' DIGIT DIGIT ':' DIGIT DIGIT
    ('.' DIGIT+)? ('Z' | ('+' | '-') DIGIT DIGIT ':' DIGIT DIGIT)
  ;
// A time of day: `21:00`, `08:00:30`.
TIME_LIT : DIGIT DIGIT ':' DIGIT DIGIT (':' DIGIT DIGIT)? ;
// `24 h`, `30 min`, `45 s`: a duration in exact seconds.
DURATION_LIT : DIGIT+ [ \t]+ ('h' | 'min' | 's') {!continuesName()}? ;
DATE_LIT : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
MONEY_LIT : NUMBER [ \t]+ [A-Z] [A-Z] [A-Z] {!continuesName()}? ;
DAYS_LIT : DIGIT+ [ \t]+ ('days' | 'day') {!continuesName()}? ;
PERCENT_LIT : NUMBER '%' ;
DECIMAL_LIT : DIGIT+ '.' DIGIT+ ;
INT_LIT : DIGIT+ ;
// Any backslash escape lexes; the AST builder accepts only \" and \\ and names the bad one.
STRING_LIT : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;

// A letter or `_`, then letters, digits and `_` (Unicode's \p{L} and \p{Nd}); outside ASCII through a table
// (compiler/syntax/name_chars.hpp) because the runtime would rebuild those classes at every start.
NAME : NAME_START NAME_PART* ;

LPAREN : '(' ;
RPAREN : ')' ;
COMMA : ',' ;
COLON : ':' ;
SEMI : ';' ;
DOTDOT : '..' ;
DOT : '.' ;
PIPE : '|' ;
QQ : '??' ;
CONCAT : '++' ;
QUESTION : '?' ;
EQ : '==' ;
NE : '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;
ASSIGN : '=' ;
ANDAND : '&&' ;
OROR : '||' ;
BANG : '!' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;

COMMENT : '#' ~[\r\n]* -> skip ;
WS : [ \t\r\n\f\uFEFF]+ -> skip ;

// A string missing its closing quote still reaches the parser as a string, so the rest of the line
// parses and only compiler/syntax's token check reports it (E0107), without a cascade.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '\\'? -> type(STRING_LIT) ;
// Any other character: hidden from the parser, reported by the token check (E0106).
STRAY : . -> channel(HIDDEN) ;

fragment DIGIT : [0-9] ;
// The predicates see the character just matched as LA(-1).
fragment NAME_START : [a-zA-Z_] | [\u0080-\u{10FFFF}] {regelwerk::syntax::isNameStart(_input->LA(-1))}? ;
fragment NAME_PART : [a-zA-Z0-9_] | [\u0080-\u{10FFFF}] {regelwerk::syntax::isNamePart(_input->LA(-1))}? ;
fragment NUMBER : DIGIT+ ('.' DIGIT+)? ;
