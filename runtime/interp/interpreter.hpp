// The reference interpreter: evaluates an ir::Program row by row by walking its expression trees.
// Its behaviour defines the meaning of the IR; the JIT must agree with it bit for bit.
#pragma once

#include <memory>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/evaluator.hpp"

namespace regelwerk {

// An Evaluator over `program`. The interpreter keeps a reference: `program` must outlive it.
// The program should pass ir::verify(); the interpreter asserts rather than re-checks.
std::unique_ptr<Evaluator> makeInterpreter(const ir::Program& program);

}  // namespace regelwerk
