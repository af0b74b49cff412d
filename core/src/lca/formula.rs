//! A safe evaluator for the parameter formulas of LCA databases, and the resolution of
//! named, scoped parameters into slots evaluated in dependency order.
//!
//! Exchange amounts in Brightway are Python expressions (`a * b ** 2`, `x if c else y`);
//! in openLCA they are spreadsheet-like (`a * b ^ 2`, `if(x > 1; 2; 3)`, `ln`, `sqr`). Both
//! are accepted by one pure arithmetic language (the one difference: `log(x)` is the natural
//! logarithm in Python and the base-10 one in openLCA, so in case-insensitive, openLCA mode
//! it is read as `log10`): a formula is parsed once into a tree,
//! bound once (names replaced by slot numbers, constant parts folded, the tree compiled to
//! a flat postfix program), then evaluated in every Monte Carlo iteration without
//! recursion, allocation or string lookups. Nothing is ever executed: there are no
//! assignments, attributes, loops or user functions.
//!
//! Semantics are those of Python floats (`1/2` is 0.5, `-2**2` is -4, `%` takes the sign
//! of the divisor, `1 < x < 3` is a chain), except that every error is reported instead of
//! producing infinities or NaN: division by zero, the logarithm of a non-positive number,
//! the square root of a negative number or any non-finite result is a
//! `FORMULA_EVALUATION` error. Booleans are 1.0 and 0.0 and any non-zero value is true.
//! Transcendental functions come from the `libm` crate, so results are bit-identical on
//! every target (x86_64, aarch64, wasm32).
//!
//! ```
//! use tanso::lca::formula::{Formula, ParameterDef, ParameterTable, ParseOptions, Scope};
//!
//! let f = Formula::parse("a * b ** 2", &ParseOptions::default())?;
//! assert_eq!(f.variables(), vec!["a", "b"]);
//! let bound = f.bind(&|name| match name { "a" => Some(0), "b" => Some(1), _ => None })?;
//! assert_eq!(bound.eval(&[3.0, 2.0])?, 12.0);
//!
//! // A global parameter, and a process parameter computed from it.
//! let defs = vec![
//!     ParameterDef::value("efficiency", Scope::Global, 0.8),
//!     ParameterDef::formula("fuel", Scope::Process("p1".into()), "if(efficiency > 0.5; 10 / efficiency; 0)"),
//! ];
//! let table = ParameterTable::new(&defs, &ParseOptions { case_insensitive: true })?;
//! let exchange = table.compile("2 * FUEL", &Scope::Process("p1".into()))?;
//! let mut values = table.base_values();
//! values[0] = 0.625; // a sampled efficiency
//! table.evaluate(&mut values)?;
//! assert_eq!(exchange.eval(&values)?, 32.0);
//! # Ok::<(), tanso::lca::formula::FormulaError>(())
//! ```

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

/// Longest accepted formula, in characters.
pub const MAX_FORMULA_LEN: usize = 10_000;

/// Deepest accepted expression tree, and deepest nesting of parentheses and calls (a chain
/// `1 + 1 + … + 1` may hold at most this many terms). Parsing and evaluation do not
/// recurse; binding and printing recurse at most this deep (about 64 KiB of stack in a
/// release build, 512 KiB in a debug build).
pub const MAX_DEPTH: usize = 256;

/// The functions a formula may call, sorted by name.
pub const FUNCTIONS: &[&str] = &[
    "abs", "ceil", "cos", "exp", "floor", "if", "ln", "log", "log10", "max", "min", "pow", "round",
    "sin", "sqr", "sqrt", "tan",
];

/// Errors of formulas and parameters. Every variant has a stable code ([`FormulaError::code`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FormulaError {
    /// `FORMULA_SYNTAX`: the text is not a formula of the language.
    #[error("formula '{formula}': syntax error at position {position}: expected {expected}, found {found}")]
    Syntax {
        /// The formula (only the part around the position when it is long).
        formula: String,
        /// 0-based character position of the problem.
        position: usize,
        /// What would have been valid there.
        expected: String,
        /// What was there.
        found: String,
    },
    /// `UNKNOWN_PARAMETER`: a formula reads a name that is neither a parameter nor a constant.
    #[error("formula '{formula}': unknown parameter '{name}'{}{}", in_scope(.scope), did_you_mean(.similar))]
    UnknownParameter {
        /// The unknown name.
        name: String,
        /// The formula.
        formula: String,
        /// Where it was looked up (`global`, `process 'p1'`), empty for [`Formula::bind`].
        scope: String,
        /// Up to three similar known names, comma separated (may be empty).
        similar: String,
    },
    /// `PARAMETER_CYCLE`: parameter formulas that depend on each other in a circle.
    #[error("parameters depend on each other in a cycle: {cycle}; give one of them a value")]
    ParameterCycle {
        /// The names in the cycle, in order, the first repeated at the end: `a -> b -> a`.
        cycle: String,
    },
    /// `DUPLICATE_PARAMETER`: one name defined twice in one scope.
    #[error("parameter '{name}' is defined twice in {scope}; names must be unique within a scope")]
    DuplicateParameter {
        /// The name.
        name: String,
        /// The scope (`global`, `process 'p1'`).
        scope: String,
    },
    /// `MISSING_VALUE`: a parameter with neither a value nor a formula, with both, or with
    /// a value that is not finite.
    #[error(
        "parameter '{name}' in {scope}: {problem}; give exactly one of a finite value or a formula"
    )]
    MissingValue {
        /// The name.
        name: String,
        /// The scope (`global`, `process 'p1'`).
        scope: String,
        /// What is wrong: `neither value nor formula`, `both value and formula`, `value NaN`.
        problem: String,
    },
    /// `FORMULA_EVALUATION`: a formula could not be evaluated with the given values.
    #[error("formula '{formula}': {operation}")]
    Evaluation {
        /// The formula.
        formula: String,
        /// The failing operation, e.g. `division by zero in 1 / 0`, `logarithm of a
        /// non-positive number in ln(-1)`, `non-finite result in exp(1000)`.
        operation: String,
    },
    /// `VALUE_COUNT`: fewer values than the slots a formula or table reads.
    #[error("values: expected at least {expected} values (one per parameter slot), got {found}")]
    ValueCount {
        /// The number of values needed.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// An error in the formula of one parameter; its code is that of `source`.
    #[error("parameter '{name}' in {scope}: {source}")]
    InParameter {
        /// The parameter name.
        name: String,
        /// Its scope (`global`, `process 'p1'`).
        scope: String,
        /// What went wrong.
        source: Box<FormulaError>,
    },
}

impl FormulaError {
    /// The stable error code, e.g. `FORMULA_SYNTAX`; for `InParameter` the code of the
    /// wrapped error.
    pub fn code(&self) -> &'static str {
        match self {
            FormulaError::Syntax { .. } => "FORMULA_SYNTAX",
            FormulaError::UnknownParameter { .. } => "UNKNOWN_PARAMETER",
            FormulaError::ParameterCycle { .. } => "PARAMETER_CYCLE",
            FormulaError::DuplicateParameter { .. } => "DUPLICATE_PARAMETER",
            FormulaError::MissingValue { .. } => "MISSING_VALUE",
            FormulaError::Evaluation { .. } => "FORMULA_EVALUATION",
            FormulaError::ValueCount { .. } => "VALUE_COUNT",
            FormulaError::InParameter { source, .. } => source.code(),
        }
    }
}

fn in_scope(scope: &str) -> String {
    if scope.is_empty() {
        String::new()
    } else {
        format!(" in {scope}")
    }
}

fn did_you_mean(similar: &str) -> String {
    if similar.is_empty() {
        String::new()
    } else {
        format!("; similar known names: {similar}")
    }
}

/// Settings of the parser.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseOptions {
    /// Lower-case every name, function name and keyword (openLCA: `IF(A>1;2;3)` reads as
    /// `if(a>1;2;3)`). Off by default: Brightway (Python) names are case-sensitive.
    #[serde(default)]
    pub case_insensitive: bool,
}

/// A parsed formula: its source text and its expression tree with names unresolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    source: String,
    /// Every name read (including `pi`/`e`), sorted, deduplicated; `Node::Var(i)` is `names[i]`.
    names: Vec<String>,
    root: Node,
}

impl Formula {
    /// Parses `src` (at most [`MAX_FORMULA_LEN`] characters, trees at most [`MAX_DEPTH`]
    /// deep). Errors are `FORMULA_SYNTAX` with the 0-based character position and what was
    /// expected; an unknown function name is a syntax error listing [`FUNCTIONS`].
    pub fn parse(src: &str, opts: &ParseOptions) -> Result<Formula, FormulaError> {
        let chars: Vec<char> = src.chars().take(MAX_FORMULA_LEN + 1).collect();
        if chars.len() > MAX_FORMULA_LEN {
            return Err(syntax_error(
                &chars,
                MAX_FORMULA_LEN,
                format!("at most {MAX_FORMULA_LEN} characters"),
                format!("{} characters", src.chars().count()),
            ));
        }
        let toks = lex(&chars, opts)?;
        let mut p = Parser {
            chars: &chars,
            toks,
            i: 0,
            names: Vec::new(),
            index: HashMap::new(),
        };
        let mut root = p.parse()?;
        // sort the names and renumber the variables accordingly
        let mut sorted = p.names.clone();
        sorted.sort();
        let map: Vec<usize> = p
            .names
            .iter()
            .map(|n| sorted.binary_search(n).unwrap_or(0))
            .collect();
        renumber(&mut root, &map);
        Ok(Formula {
            source: src.to_string(),
            names: sorted,
            root,
        })
    }

    /// The parameter names the formula reads, sorted and deduplicated. The constants `pi`
    /// and `e` are not listed (they are read as parameters only when [`Formula::bind`]
    /// resolves them to a slot).
    pub fn variables(&self) -> Vec<String> {
        self.names
            .iter()
            .filter(|n| constant(n).is_none())
            .cloned()
            .collect()
    }

    /// The source text as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The formula printed back in canonical form: every operation in parentheses, `**`
    /// for powers, `and`/`or`/`not`, `if(c, a, b)` for both conditionals. Parsing it with
    /// the same options gives the same tree.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        print_node(&self.root, &self.names, &mut out);
        out
    }

    /// Resolves every name to a slot with `slot_of` (names that it does not know and that
    /// are `pi` or `e` become those constants), folds constant sub-expressions, and compiles
    /// the formula for [`BoundFormula::eval`], which reads `values[slot]`.
    /// An unresolved name is `UNKNOWN_PARAMETER` (with an empty scope and no suggestions).
    pub fn bind(
        &self,
        slot_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Result<BoundFormula, FormulaError> {
        let mut map = Vec::with_capacity(self.names.len());
        let mut slots = Vec::new();
        for name in &self.names {
            match slot_of(name) {
                Some(slot) => {
                    map.push(Node::Var(slot));
                    slots.push((slot, name.clone()));
                }
                None => match constant(name) {
                    Some(c) => map.push(Node::Num(c)),
                    None => {
                        return Err(FormulaError::UnknownParameter {
                            name: name.clone(),
                            formula: clip(&self.source),
                            scope: String::new(),
                            similar: String::new(),
                        })
                    }
                },
            }
        }
        let mut root = self.root.clone();
        bind_node(&mut root, &map);
        let mut code = Vec::new();
        let stack = compile(&root, &mut code);
        let needed = slots
            .iter()
            .map(|(s, _)| s.saturating_add(1))
            .max()
            .unwrap_or(0);
        slots.sort();
        Ok(BoundFormula {
            source: self.source.clone(),
            code,
            stack,
            needed,
            slots,
        })
    }
}

impl fmt::Display for Formula {
    /// Writes the source text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// A formula whose names are resolved to slots, compiled to a flat postfix program that
/// is evaluated without recursion or allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundFormula {
    source: String,
    code: Vec<Ins>,
    /// Values the evaluation stack holds at most.
    stack: usize,
    /// One more than the largest slot read (0 when none).
    needed: usize,
    /// (slot, name) of every parameter read, sorted by slot.
    slots: Vec<(usize, String)>,
}

impl BoundFormula {
    /// Evaluates the formula with `values[slot]` for every parameter. No allocation unless
    /// it fails. Errors: `VALUE_COUNT` when `values` is shorter than the slots read;
    /// `FORMULA_EVALUATION` on division (or `%`) by zero, zero to a negative power, a
    /// negative number to a fractional power, the square root of a negative number, the
    /// logarithm of a non-positive number or to base 1, a non-finite result of any
    /// operation, or a parameter value that is NaN or infinite.
    pub fn eval(&self, values: &[f64]) -> Result<f64, FormulaError> {
        if values.len() < self.needed {
            return Err(FormulaError::ValueCount {
                expected: self.needed,
                found: values.len(),
            });
        }
        let r = if self.stack <= 8 {
            run::<8>(&self.code, values)
        } else if self.stack <= 32 {
            run::<32>(&self.code, values)
        } else {
            run::<STACK_MAX>(&self.code, values)
        };
        r.map_err(|fault| self.fault_error(&fault))
    }

    /// The source text of the formula.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The slots the formula reads, ascending.
    pub fn slots(&self) -> Vec<usize> {
        let mut s: Vec<usize> = self.slots.iter().map(|(slot, _)| *slot).collect();
        s.dedup();
        s
    }

    /// The value when the whole formula folded to a constant (it reads no parameter and
    /// evaluates without error), so callers can skip re-evaluating it.
    pub fn constant(&self) -> Option<f64> {
        match self.code.as_slice() {
            [Ins::Num(x)] => Some(*x),
            _ => None,
        }
    }

    fn fault_error(&self, fault: &Fault) -> FormulaError {
        let operation = match *fault {
            Fault::Op { problem, op, x, y } => {
                let x = num(x);
                let shown = match (op.starts_with(|c: char| c.is_ascii_alphabetic()), y) {
                    (true, Some(y)) => format!("{op}({x}, {})", num(y)),
                    (true, None) => format!("{op}({x})"),
                    (false, Some(y)) => format!("{x} {op} {}", num(y)),
                    (false, None) => format!("{op}{x}"),
                };
                format!("{} in {shown}", problem.text())
            }
            Fault::Input { slot, value } => {
                let name = self
                    .slots
                    .iter()
                    .find(|(s, _)| *s == slot)
                    .map(|(_, n)| n.as_str())
                    .unwrap_or("?");
                format!("parameter '{name}' (slot {slot}) has the non-finite value {value}")
            }
            Fault::Stack => "internal error: evaluation stack exhausted".to_string(),
        };
        FormulaError::Evaluation {
            formula: clip(&self.source),
            operation,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Expression tree and evaluation

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Bin {
    /// The operator between spaces, for printing.
    fn spaced(self) -> &'static str {
        match self {
            Bin::Add => " + ",
            Bin::Sub => " - ",
            Bin::Mul => " * ",
            Bin::Div => " / ",
            Bin::Mod => " % ",
            Bin::Pow => " ** ",
            Bin::Lt => " < ",
            Bin::Le => " <= ",
            Bin::Gt => " > ",
            Bin::Ge => " >= ",
            Bin::Eq => " == ",
            Bin::Ne => " != ",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum F1 {
    Abs,
    Sqrt,
    Sqr,
    Exp,
    Ln,
    Log10,
    Round,
    Floor,
    Ceil,
    Sin,
    Cos,
    Tan,
}

impl F1 {
    /// The name with the opening parenthesis.
    fn call(self) -> &'static str {
        match self {
            F1::Abs => "abs(",
            F1::Sqrt => "sqrt(",
            F1::Sqr => "sqr(",
            F1::Exp => "exp(",
            F1::Ln => "ln(",
            F1::Log10 => "log10(",
            F1::Round => "round(",
            F1::Floor => "floor(",
            F1::Ceil => "ceil(",
            F1::Sin => "sin(",
            F1::Cos => "cos(",
            F1::Tan => "tan(",
        }
    }

    fn name(self) -> &'static str {
        match self {
            F1::Abs => "abs",
            F1::Sqrt => "sqrt",
            F1::Sqr => "sqr",
            F1::Exp => "exp",
            F1::Ln => "ln",
            F1::Log10 => "log10",
            F1::Round => "round",
            F1::Floor => "floor",
            F1::Ceil => "ceil",
            F1::Sin => "sin",
            F1::Cos => "cos",
            F1::Tan => "tan",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum F2 {
    Log,
    Pow,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Num(f64),
    /// An index into `Formula::names` before binding, a slot after.
    Var(usize),
    Neg(Box<Node>),
    Not(Box<Node>),
    Bin(Bin, Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// condition, then, else
    If(Box<Node>, Box<Node>, Box<Node>),
    F1(F1, Box<Node>),
    F2(F2, Box<Node>, Box<Node>),
    /// true for max; at least one argument
    MinMax(bool, Vec<Node>),
}

/// Why an operation failed.
#[derive(Debug, Clone, Copy)]
enum Problem {
    DivZero,
    ModZero,
    ZeroNegPow,
    NegFracPow,
    SqrtNeg,
    LogNonPos,
    LogBase,
    NonFinite,
}

impl Problem {
    fn text(self) -> &'static str {
        match self {
            Problem::DivZero => "division by zero",
            Problem::ModZero => "modulo by zero",
            Problem::ZeroNegPow => "zero raised to a negative power",
            Problem::NegFracPow => "negative number raised to a fractional power",
            Problem::SqrtNeg => "square root of a negative number",
            Problem::LogNonPos => "logarithm of a non-positive number",
            Problem::LogBase => "logarithm to base 1",
            Problem::NonFinite => "non-finite result",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    Op {
        problem: Problem,
        op: &'static str,
        x: f64,
        y: Option<f64>,
    },
    Input {
        slot: usize,
        value: f64,
    },
    /// Never happens: the stack is sized by `compile`.
    Stack,
}

fn fault1(problem: Problem, op: &'static str, x: f64) -> Box<Fault> {
    Box::new(Fault::Op {
        problem,
        op,
        x,
        y: None,
    })
}

fn fault2(problem: Problem, op: &'static str, x: f64, y: f64) -> Box<Fault> {
    Box::new(Fault::Op {
        problem,
        op,
        x,
        y: Some(y),
    })
}

#[cold]
fn stack_fault() -> Box<Fault> {
    Box::new(Fault::Stack)
}

fn truth(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

fn finite1(r: f64, op: &'static str, x: f64) -> Result<f64, Box<Fault>> {
    if r.is_finite() {
        Ok(r)
    } else {
        Err(fault1(Problem::NonFinite, op, x))
    }
}

fn finite2(r: f64, op: &'static str, x: f64, y: f64) -> Result<f64, Box<Fault>> {
    if r.is_finite() {
        Ok(r)
    } else {
        Err(fault2(Problem::NonFinite, op, x, y))
    }
}

/// `x ** y` as Python floats: errors for 0 to a negative power and a negative base with a
/// fractional exponent.
fn power(x: f64, y: f64, op: &'static str) -> Result<f64, Box<Fault>> {
    let r = libm::pow(x, y);
    if r.is_finite() {
        Ok(r)
    } else if x == 0.0 && y < 0.0 {
        Err(fault2(Problem::ZeroNegPow, op, x, y))
    } else if r.is_nan() {
        Err(fault2(Problem::NegFracPow, op, x, y))
    } else {
        Err(fault2(Problem::NonFinite, op, x, y))
    }
}

/// Python's float `%` (CPython `float_rem`): the result has the sign of the divisor.
fn py_mod(x: f64, y: f64) -> f64 {
    let m = libm::fmod(x, y);
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m + y
        } else {
            m
        }
    } else {
        libm::copysign(0.0, y)
    }
}

fn bin(op: Bin, x: f64, y: f64) -> Result<f64, Box<Fault>> {
    match op {
        Bin::Add => finite2(x + y, "+", x, y),
        Bin::Sub => finite2(x - y, "-", x, y),
        Bin::Mul => finite2(x * y, "*", x, y),
        Bin::Div => {
            if y == 0.0 {
                Err(fault2(Problem::DivZero, "/", x, y))
            } else {
                finite2(x / y, "/", x, y)
            }
        }
        Bin::Mod => {
            if y == 0.0 {
                Err(fault2(Problem::ModZero, "%", x, y))
            } else {
                finite2(py_mod(x, y), "%", x, y)
            }
        }
        Bin::Pow => power(x, y, "**"),
        Bin::Lt => Ok(truth(x < y)),
        Bin::Le => Ok(truth(x <= y)),
        Bin::Gt => Ok(truth(x > y)),
        Bin::Ge => Ok(truth(x >= y)),
        Bin::Eq => Ok(truth(x == y)),
        Bin::Ne => Ok(truth(x != y)),
    }
}

fn f1(f: F1, x: f64) -> Result<f64, Box<Fault>> {
    let name = f.name();
    match f {
        F1::Abs => Ok(x.abs()),
        F1::Sqrt => {
            if x < 0.0 {
                Err(fault1(Problem::SqrtNeg, name, x))
            } else {
                Ok(libm::sqrt(x))
            }
        }
        F1::Sqr => finite1(x * x, name, x),
        F1::Exp => finite1(libm::exp(x), name, x),
        F1::Ln => {
            if x <= 0.0 {
                Err(fault1(Problem::LogNonPos, name, x))
            } else {
                Ok(libm::log(x))
            }
        }
        F1::Log10 => {
            if x <= 0.0 {
                Err(fault1(Problem::LogNonPos, name, x))
            } else {
                Ok(libm::log10(x))
            }
        }
        F1::Round => Ok(libm::round(x)),
        F1::Floor => Ok(libm::floor(x)),
        F1::Ceil => Ok(libm::ceil(x)),
        F1::Sin => finite1(libm::sin(x), name, x),
        F1::Cos => finite1(libm::cos(x), name, x),
        F1::Tan => finite1(libm::tan(x), name, x),
    }
}

fn f2(f: F2, x: f64, y: f64) -> Result<f64, Box<Fault>> {
    match f {
        F2::Pow => power(x, y, "pow"),
        F2::Log => {
            if x <= 0.0 || y <= 0.0 {
                return Err(fault2(Problem::LogNonPos, "log", x, y));
            }
            let lb = libm::log(y);
            if lb == 0.0 {
                return Err(fault2(Problem::LogBase, "log", x, y));
            }
            finite2(libm::log(x) / lb, "log", x, y)
        }
    }
}

/// One instruction of a compiled formula. The machine keeps the top of the stack in a
/// register; jumps skip the given number of instructions forward.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ins {
    Num(f64),
    Var(usize),
    Neg,
    Not,
    /// 1.0 if the top is non-zero, else 0.0.
    Truth,
    Bin(Bin),
    /// `Bin` whose right operand is a parameter or a number (saves one dispatch).
    BinVar(Bin, usize),
    BinNum(Bin, f64),
    F1(F1),
    F2(F2),
    Min,
    Max,
    /// Pops the condition; skips if it is zero.
    JumpIfZero(usize),
    Jump(usize),
    /// If the top is zero: leaves 0.0 and skips; else pops it.
    AndJump(usize),
    /// If the top is non-zero: leaves 1.0 and skips; else pops it.
    OrJump(usize),
}

/// Size of the evaluation stack for the deepest trees (a tree of depth d needs at most
/// d + 1 values).
const STACK_MAX: usize = MAX_DEPTH + 2;

/// Appends the postfix code of `n` and returns how many values it holds at most on the
/// stack. Recursion depth is bounded by `MAX_DEPTH`.
fn compile(n: &Node, code: &mut Vec<Ins>) -> usize {
    match n {
        Node::Num(x) => {
            code.push(Ins::Num(*x));
            1
        }
        Node::Var(s) => {
            code.push(Ins::Var(*s));
            1
        }
        Node::Neg(a) => unary(a, Ins::Neg, code),
        Node::Not(a) => unary(a, Ins::Not, code),
        Node::F1(f, a) => unary(a, Ins::F1(*f), code),
        Node::Bin(op, a, b) => match **b {
            Node::Var(s) => unary(a, Ins::BinVar(*op, s), code),
            Node::Num(x) => unary(a, Ins::BinNum(*op, x), code),
            _ => binary(a, b, Ins::Bin(*op), code),
        },
        Node::F2(f, a, b) => binary(a, b, Ins::F2(*f), code),
        Node::And(a, b) => short_circuit(a, b, Ins::AndJump, code),
        Node::Or(a, b) => short_circuit(a, b, Ins::OrJump, code),
        Node::If(c, a, b) => {
            let nc = compile(c, code);
            let at_cond = code.len();
            code.push(Ins::JumpIfZero(0));
            let na = compile(a, code);
            let at_then = code.len();
            code.push(Ins::Jump(0));
            let nb = compile(b, code);
            let end = code.len();
            if let Some(j) = code.get_mut(at_cond) {
                *j = Ins::JumpIfZero(at_then - at_cond);
            }
            if let Some(j) = code.get_mut(at_then) {
                *j = Ins::Jump(end - at_then - 1);
            }
            nc.max(na).max(nb)
        }
        Node::MinMax(is_max, args) => {
            let mut need = 0;
            for (k, a) in args.iter().enumerate() {
                let extra = usize::from(k > 0);
                need = need.max(compile(a, code) + extra);
                if k > 0 {
                    code.push(if *is_max { Ins::Max } else { Ins::Min });
                }
            }
            need
        }
    }
}

fn unary(a: &Node, ins: Ins, code: &mut Vec<Ins>) -> usize {
    let n = compile(a, code);
    code.push(ins);
    n
}

fn binary(a: &Node, b: &Node, ins: Ins, code: &mut Vec<Ins>) -> usize {
    let na = compile(a, code);
    let nb = compile(b, code);
    code.push(ins);
    na.max(nb + 1)
}

fn short_circuit(a: &Node, b: &Node, jump: fn(usize) -> Ins, code: &mut Vec<Ins>) -> usize {
    let na = compile(a, code);
    let at = code.len();
    code.push(jump(0));
    let nb = compile(b, code);
    code.push(Ins::Truth);
    let skip = code.len() - at - 1;
    if let Some(j) = code.get_mut(at) {
        *j = jump(skip);
    }
    na.max(nb)
}

/// Runs compiled code with a stack of `N` values (the caller picks `N` ≥ the need
/// computed by `compile`).
fn run<const N: usize>(code: &[Ins], v: &[f64]) -> Result<f64, Box<Fault>> {
    let mut stack = [0.0f64; N];
    let mut sp = 0usize;
    let mut top = 0.0f64;
    let mut pc = 0usize;
    while let Some(ins) = code.get(pc) {
        pc += 1;
        match *ins {
            Ins::Num(x) => {
                *stack.get_mut(sp).ok_or_else(stack_fault)? = top;
                sp += 1;
                top = x;
            }
            Ins::Var(slot) => {
                let x = v.get(slot).copied().unwrap_or(f64::NAN);
                if !x.is_finite() {
                    return Err(Box::new(Fault::Input { slot, value: x }));
                }
                *stack.get_mut(sp).ok_or_else(stack_fault)? = top;
                sp += 1;
                top = x;
            }
            Ins::Neg => top = -top,
            Ins::Not => top = truth(top == 0.0),
            Ins::Truth => top = truth(top != 0.0),
            Ins::F1(f) => top = f1(f, top)?,
            Ins::Bin(op) => {
                sp = sp.checked_sub(1).ok_or_else(stack_fault)?;
                let x = *stack.get(sp).ok_or_else(stack_fault)?;
                top = bin(op, x, top)?;
            }
            Ins::BinVar(op, slot) => {
                let y = v.get(slot).copied().unwrap_or(f64::NAN);
                if !y.is_finite() {
                    return Err(Box::new(Fault::Input { slot, value: y }));
                }
                top = bin(op, top, y)?;
            }
            Ins::BinNum(op, y) => top = bin(op, top, y)?,
            Ins::F2(f) => {
                sp = sp.checked_sub(1).ok_or_else(stack_fault)?;
                let x = *stack.get(sp).ok_or_else(stack_fault)?;
                top = f2(f, x, top)?;
            }
            Ins::Min | Ins::Max => {
                sp = sp.checked_sub(1).ok_or_else(stack_fault)?;
                let x = *stack.get(sp).ok_or_else(stack_fault)?;
                top = if matches!(ins, Ins::Max) {
                    x.max(top)
                } else {
                    x.min(top)
                };
            }
            Ins::JumpIfZero(skip) => {
                let cond = top;
                sp = sp.checked_sub(1).ok_or_else(stack_fault)?;
                top = *stack.get(sp).ok_or_else(stack_fault)?;
                if cond == 0.0 {
                    pc += skip;
                }
            }
            Ins::Jump(skip) => pc += skip,
            Ins::AndJump(skip) | Ins::OrJump(skip) => {
                let is_and = matches!(ins, Ins::AndJump(_));
                if (top == 0.0) == is_and {
                    top = truth(!is_and);
                    pc += skip;
                } else {
                    sp = sp.checked_sub(1).ok_or_else(stack_fault)?;
                    top = *stack.get(sp).ok_or_else(stack_fault)?;
                }
            }
        }
    }
    Ok(top)
}

fn renumber(n: &mut Node, map: &[usize]) {
    match n {
        Node::Num(_) => {}
        Node::Var(i) => *i = map.get(*i).copied().unwrap_or(0),
        Node::Neg(a) | Node::Not(a) | Node::F1(_, a) => renumber(a, map),
        Node::Bin(_, a, b) | Node::And(a, b) | Node::Or(a, b) | Node::F2(_, a, b) => {
            renumber(a, map);
            renumber(b, map);
        }
        Node::If(c, a, b) => {
            renumber(c, map);
            renumber(a, map);
            renumber(b, map);
        }
        Node::MinMax(_, args) => args.iter_mut().for_each(|a| renumber(a, map)),
    }
}

fn is_num(n: &Node) -> bool {
    matches!(n, Node::Num(_))
}

/// Replaces every `Var(i)` by `map[i]` and folds every operation whose operands are all
/// numbers (recursion depth at most `MAX_DEPTH`).
fn bind_node(n: &mut Node, map: &[Node]) {
    match n {
        Node::Num(_) => return,
        Node::Var(i) => {
            *n = map.get(*i).cloned().unwrap_or(Node::Num(f64::NAN));
            return;
        }
        Node::Neg(a) | Node::Not(a) | Node::F1(_, a) => bind_node(a, map),
        Node::Bin(_, a, b) | Node::And(a, b) | Node::Or(a, b) | Node::F2(_, a, b) => {
            bind_node(a, map);
            bind_node(b, map);
        }
        Node::If(c, a, b) => {
            bind_node(c, map);
            bind_node(a, map);
            bind_node(b, map);
        }
        Node::MinMax(_, args) => args.iter_mut().for_each(|a| bind_node(a, map)),
    }
    if let Some(x) = fold(n) {
        *n = Node::Num(x);
    }
}

/// The value of a node whose operands are all numbers, unless evaluating it fails (then
/// the error surfaces at evaluation, with the values).
fn fold(n: &Node) -> Option<f64> {
    let constant = match n {
        Node::Neg(a) | Node::Not(a) | Node::F1(_, a) => is_num(a),
        Node::Bin(_, x, y) | Node::And(x, y) | Node::Or(x, y) | Node::F2(_, x, y) => {
            is_num(x) && is_num(y)
        }
        Node::If(c, x, y) => is_num(c) && is_num(x) && is_num(y),
        Node::MinMax(_, args) => args.iter().all(is_num),
        Node::Num(_) | Node::Var(_) => false,
    };
    if !constant {
        return None;
    }
    let mut code = Vec::new();
    if compile(n, &mut code) > 8 {
        return None;
    }
    run::<8>(&code, &[]).ok()
}

/// Prints a tree in canonical form (recursion depth at most `MAX_DEPTH`).
fn print_node(n: &Node, names: &[String], out: &mut String) {
    let (head, sep, kids): (&str, &str, [Option<&Node>; 3]) = match n {
        Node::Num(x) => return print_number(*x, out),
        Node::Var(i) => {
            out.push_str(names.get(*i).map(|s| s.as_str()).unwrap_or("?"));
            return;
        }
        Node::MinMax(is_max, xs) => {
            out.push_str(if *is_max { "max(" } else { "min(" });
            for (k, x) in xs.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                print_node(x, names, out);
            }
            out.push(')');
            return;
        }
        Node::Neg(a) => ("(-", "", [Some(a), None, None]),
        Node::Not(a) => ("(not ", "", [Some(a), None, None]),
        Node::Bin(op, a, b) => ("(", op.spaced(), [Some(a), Some(b), None]),
        Node::And(a, b) => ("(", " and ", [Some(a), Some(b), None]),
        Node::Or(a, b) => ("(", " or ", [Some(a), Some(b), None]),
        Node::If(c, a, b) => ("if(", ", ", [Some(c), Some(a), Some(b)]),
        Node::F1(f, a) => (f.call(), "", [Some(a), None, None]),
        Node::F2(F2::Log, a, b) => ("log(", ", ", [Some(a), Some(b), None]),
        Node::F2(F2::Pow, a, b) => ("pow(", ", ", [Some(a), Some(b), None]),
    };
    out.push_str(head);
    for (k, kid) in kids.iter().flatten().enumerate() {
        if k > 0 {
            out.push_str(sep);
        }
        print_node(kid, names, out);
    }
    out.push(')');
}

fn print_number(x: f64, out: &mut String) {
    if x < 0.0 {
        out.push_str(&format!("(-{:?})", -x));
    } else {
        out.push_str(&format!("{x:?}"));
    }
}

/// A number for a message: plain digits between 1e-5 and 1e16, else with an exponent.
fn num(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 || (1e-5..1e16).contains(&a) {
        format!("{x}")
    } else {
        format!("{x:?}")
    }
}

fn constant(name: &str) -> Option<f64> {
    match name {
        "pi" => Some(std::f64::consts::PI),
        "e" => Some(std::f64::consts::E),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Lexer and parser

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    Op(Op),
    LParen,
    RParen,
    Sep,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    Not,
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    tok: Tok,
    /// 0-based character position.
    pos: usize,
    /// Length in characters.
    len: usize,
}

static END_TOKEN: Token = Token {
    tok: Tok::End,
    pos: 0,
    len: 0,
};

/// Formats a syntax error, showing at most ~100 characters of the formula around `pos`.
fn syntax_error(chars: &[char], pos: usize, expected: String, found: String) -> FormulaError {
    let formula = if chars.len() <= 120 {
        chars.iter().collect()
    } else {
        let from = pos.saturating_sub(50).min(chars.len());
        let to = pos.saturating_add(50).min(chars.len());
        let mut s = String::new();
        if from > 0 {
            s.push_str("...");
        }
        s.extend(chars.get(from..to).unwrap_or(&[]).iter());
        if to < chars.len() {
            s.push_str("...");
        }
        s
    };
    FormulaError::Syntax {
        formula,
        position: pos,
        expected,
        found,
    }
}

/// The formula for an error message: cut after 100 characters.
fn clip(src: &str) -> String {
    let mut it = src.char_indices();
    match it.nth(100) {
        Some((i, _)) => format!("{}...", &src[..i]),
        None => src.to_string(),
    }
}

fn lex(chars: &[char], opts: &ParseOptions) -> Result<Vec<Token>, FormulaError> {
    let mut toks = Vec::new();
    let mut i = 0;
    let at = |k: usize| chars.get(k).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = at(i);
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok = if c.is_ascii_digit() || (c == '.' && at(i + 1).is_ascii_digit()) {
            while at(i).is_ascii_digit() {
                i += 1;
            }
            if at(i) == '.' {
                i += 1;
                while at(i).is_ascii_digit() {
                    i += 1;
                }
            }
            if at(i) == 'e' || at(i) == 'E' {
                i += 1;
                if at(i) == '+' || at(i) == '-' {
                    i += 1;
                }
                if !at(i).is_ascii_digit() {
                    let found = describe_char(chars, i);
                    return Err(syntax_error(
                        chars,
                        i,
                        "the digits of an exponent".into(),
                        found,
                    ));
                }
                while at(i).is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = chars.get(start..i).unwrap_or(&[]).iter().collect();
            match text.parse::<f64>() {
                Ok(x) if x.is_finite() => Tok::Num(x),
                _ => {
                    return Err(syntax_error(
                        chars,
                        start,
                        "a finite number (at most about 1.8e308)".into(),
                        format!("'{text}'"),
                    ))
                }
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            while at(i).is_ascii_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            let mut name: String = chars.get(start..i).unwrap_or(&[]).iter().collect();
            if opts.case_insensitive {
                name = name.to_lowercase();
                // openLCA's `log(x)` is the base-10 logarithm (olca-modules
                // `org.openlca.expressions.functions.Log`: `Math.log10`); `ln` is the natural one.
                let mut j = i;
                while at(j).is_whitespace() {
                    j += 1;
                }
                if name == "log" && at(j) == '(' {
                    name = "log10".into();
                }
            }
            match name.as_str() {
                "and" => Tok::Op(Op::And),
                "or" => Tok::Op(Op::Or),
                "not" => Tok::Op(Op::Not),
                _ => Tok::Name(name),
            }
        } else {
            let next = at(i + 1);
            let (tok, len) = match (c, next) {
                ('*', '*') => (Tok::Op(Op::Pow), 2),
                ('<', '=') => (Tok::Op(Op::Le), 2),
                ('>', '=') => (Tok::Op(Op::Ge), 2),
                ('=', '=') => (Tok::Op(Op::Eq), 2),
                ('!', '=') => (Tok::Op(Op::Ne), 2),
                ('<', '>') => (Tok::Op(Op::Ne), 2),
                ('&', '&') => (Tok::Op(Op::And), 2),
                ('|', '|') => (Tok::Op(Op::Or), 2),
                ('+', _) => (Tok::Op(Op::Add), 1),
                ('-', _) => (Tok::Op(Op::Sub), 1),
                ('*', _) => (Tok::Op(Op::Mul), 1),
                ('/', _) => (Tok::Op(Op::Div), 1),
                ('%', _) => (Tok::Op(Op::Mod), 1),
                ('^', _) => (Tok::Op(Op::Pow), 1),
                ('<', _) => (Tok::Op(Op::Lt), 1),
                ('>', _) => (Tok::Op(Op::Gt), 1),
                ('=', _) => (Tok::Op(Op::Eq), 1),
                ('!', _) => (Tok::Op(Op::Not), 1),
                ('(', _) => (Tok::LParen, 1),
                (')', _) => (Tok::RParen, 1),
                (',', _) | (';', _) => (Tok::Sep, 1),
                _ => {
                    return Err(syntax_error(
                        chars,
                        i,
                        "a number, a name, an operator or a parenthesis".into(),
                        describe_char(chars, i),
                    ))
                }
            };
            i += len;
            tok
        };
        toks.push(Token {
            tok,
            pos: start,
            len: i - start,
        });
    }
    toks.push(Token {
        tok: Tok::End,
        pos: chars.len(),
        len: 0,
    });
    Ok(toks)
}

fn describe_char(chars: &[char], i: usize) -> String {
    match chars.get(i) {
        Some(c) => format!("'{c}'"),
        None => "the end of the formula".into(),
    }
}

/// What may follow a complete operand, given the innermost open marker.
fn after_operand(ops: &[(Pending, usize)]) -> &'static str {
    let inner = ops.iter().rev().find(|(p, _)| p.prec().is_none());
    match inner {
        Some((Pending::Call(..), _)) => "an operator, ',', ';' or ')'",
        Some((Pending::Paren, _)) => "an operator or ')'",
        Some((Pending::If, _)) => "an operator or 'else'",
        _ => "an operator or the end of the formula",
    }
}

/// An operand of the parser: a sub-tree, its depth and, when it is an unparenthesized
/// comparison, its right operand (so that a following comparison chains as in Python).
struct Operand {
    node: Node,
    depth: usize,
    chain: Option<Box<Node>>,
    chain_depth: usize,
}

/// An infix operator of the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Infix {
    Or,
    And,
    Arith(Bin),
}

impl Infix {
    /// Binding strength: or 1, and 2, (not 3), comparisons 4, + - 5, * / % 6,
    /// (unary 7), power 8.
    fn prec(self) -> u8 {
        match self {
            Infix::Or => 1,
            Infix::And => 2,
            Infix::Arith(op) => match op {
                Bin::Lt | Bin::Le | Bin::Gt | Bin::Ge | Bin::Eq | Bin::Ne => 4,
                Bin::Add | Bin::Sub => 5,
                Bin::Mul | Bin::Div | Bin::Mod => 6,
                Bin::Pow => 8,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Neg,
    Plus,
    Not,
}

impl Prefix {
    fn prec(self) -> u8 {
        match self {
            Prefix::Not => 3,
            Prefix::Neg | Prefix::Plus => 7,
        }
    }
}

/// An entry of the parser's operator stack.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Prefix(Prefix),
    Infix(Infix),
    /// `a if c else` waiting for its else-branch (lowest precedence, right-associative).
    Else,
    /// Markers: an open parenthesis, an open call (name, arguments so far), and a Python
    /// conditional waiting for `else`.
    Paren,
    Call(String, usize),
    If,
}

impl Pending {
    /// Precedence of an operator; None for markers.
    fn prec(&self) -> Option<u8> {
        match self {
            Pending::Prefix(p) => Some(p.prec()),
            Pending::Infix(i) => Some(i.prec()),
            Pending::Else => Some(0),
            Pending::Paren | Pending::Call(..) | Pending::If => None,
        }
    }
}

/// The parser: operator precedence with explicit stacks (no recursion, so no input can
/// exhaust the thread's stack); every tree it builds is at most `MAX_DEPTH` deep.
struct Parser<'a> {
    chars: &'a [char],
    toks: Vec<Token>,
    i: usize,
    /// Names in order of first appearance, and their indices.
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Parser<'_> {
    fn tok(&self) -> &Token {
        self.toks.get(self.i).unwrap_or(&END_TOKEN)
    }

    fn peek_is_paren(&self) -> bool {
        matches!(self.toks.get(self.i + 1).map(|t| &t.tok), Some(Tok::LParen))
    }

    fn error_at(&self, t: &Token, expected: &str) -> FormulaError {
        let found = match &t.tok {
            Tok::End => "the end of the formula".to_string(),
            _ => {
                let text: String = self
                    .chars
                    .get(t.pos..t.pos + t.len)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                format!("'{text}'")
            }
        };
        syntax_error(self.chars, t.pos, expected.to_string(), found)
    }

    fn error(&self, expected: &str) -> FormulaError {
        self.error_at(self.tok(), expected)
    }

    fn intern(&mut self, name: String) -> usize {
        if let Some(k) = self.index.get(&name) {
            return *k;
        }
        let k = self.names.len();
        self.index.insert(name.clone(), k);
        self.names.push(name);
        k
    }

    /// Wraps a new node, failing when it is deeper than `MAX_DEPTH`.
    fn operand(&self, node: Node, child_depth: usize, pos: usize) -> Result<Operand, FormulaError> {
        let depth = child_depth + 1;
        if depth > MAX_DEPTH {
            return Err(syntax_error(
                self.chars,
                pos,
                format!("at most {MAX_DEPTH} levels of nesting"),
                "deeper nesting".into(),
            ));
        }
        Ok(Operand {
            node,
            depth,
            chain: None,
            chain_depth: 0,
        })
    }

    fn parse(&mut self) -> Result<Node, FormulaError> {
        let mut ops: Vec<(Pending, usize)> = Vec::new();
        let mut out: Vec<Operand> = Vec::new();
        let mut want_operand = true;
        let mut markers = 0usize;
        loop {
            let t = self.tok().clone();
            if markers > MAX_DEPTH {
                return Err(syntax_error(
                    self.chars,
                    t.pos,
                    format!("at most {MAX_DEPTH} levels of nesting"),
                    "deeper nesting".into(),
                ));
            }
            if want_operand {
                match t.tok {
                    Tok::Num(x) => {
                        out.push(self.operand(Node::Num(x), 0, t.pos)?);
                        want_operand = false;
                    }
                    Tok::Name(name) if self.peek_is_paren() => {
                        if !FUNCTIONS.contains(&name.as_str()) {
                            return Err(
                                self.error(&format!("a known function ({})", FUNCTIONS.join(", ")))
                            );
                        }
                        self.i += 1; // the name; the '(' is skipped below
                        if matches!(self.toks.get(self.i + 1).map(|t| &t.tok), Some(Tok::RParen)) {
                            self.i += 1;
                            self.finish_call(&mut out, &name, 0, t.pos)?;
                            want_operand = false;
                        } else {
                            ops.push((Pending::Call(name, 0), t.pos));
                            markers += 1;
                        }
                    }
                    Tok::Name(name) if name != "if" && name != "else" => {
                        let k = self.intern(name);
                        out.push(self.operand(Node::Var(k), 0, t.pos)?);
                        want_operand = false;
                    }
                    Tok::LParen => {
                        ops.push((Pending::Paren, t.pos));
                        markers += 1;
                    }
                    Tok::Op(op @ (Op::Sub | Op::Add | Op::Not)) => {
                        let p = match op {
                            Op::Sub => Prefix::Neg,
                            Op::Add => Prefix::Plus,
                            _ => Prefix::Not,
                        };
                        // as in Python: `not` only where a whole comparison may stand,
                        // a sign after an operator weaker than it or after a power
                        let allowed = match ops.last() {
                            Some((Pending::Infix(i), _)) => {
                                p.prec() > i.prec()
                                    || (*i == Infix::Arith(Bin::Pow) && p != Prefix::Not)
                            }
                            Some((Pending::Prefix(q), _)) => p.prec() >= q.prec(),
                            _ => true,
                        };
                        if !allowed {
                            return Err(self.error("a number, a name or '('"));
                        }
                        ops.push((Pending::Prefix(p), t.pos));
                    }
                    _ => return Err(self.error("a number, a name, '(', '-' or 'not'")),
                }
                self.i += 1;
                continue;
            }
            match t.tok {
                Tok::Op(op) if op != Op::Not => {
                    let infix = match op {
                        Op::Or => Infix::Or,
                        Op::And => Infix::And,
                        Op::Add => Infix::Arith(Bin::Add),
                        Op::Sub => Infix::Arith(Bin::Sub),
                        Op::Mul => Infix::Arith(Bin::Mul),
                        Op::Div => Infix::Arith(Bin::Div),
                        Op::Mod => Infix::Arith(Bin::Mod),
                        Op::Pow => Infix::Arith(Bin::Pow),
                        Op::Lt => Infix::Arith(Bin::Lt),
                        Op::Le => Infix::Arith(Bin::Le),
                        Op::Gt => Infix::Arith(Bin::Gt),
                        Op::Ge => Infix::Arith(Bin::Ge),
                        Op::Eq => Infix::Arith(Bin::Eq),
                        // (`not` is excluded by the guard above)
                        Op::Ne | Op::Not => Infix::Arith(Bin::Ne),
                    };
                    let p = infix.prec();
                    let right_assoc = infix == Infix::Arith(Bin::Pow);
                    self.reduce(&mut ops, &mut out, |q| q > p || (q == p && !right_assoc))?;
                    ops.push((Pending::Infix(infix), t.pos));
                    want_operand = true;
                }
                Tok::Name(name) if name == "if" => {
                    self.reduce(&mut ops, &mut out, |q| q > 0)?;
                    if matches!(ops.last(), Some((Pending::If, _))) {
                        return Err(self.error("'else' (a condition cannot hold another 'if')"));
                    }
                    ops.push((Pending::If, t.pos));
                    markers += 1;
                    want_operand = true;
                }
                Tok::Name(name) if name == "else" => {
                    self.reduce(&mut ops, &mut out, |_| true)?;
                    match ops.last_mut() {
                        Some((m @ Pending::If, pos)) => {
                            *m = Pending::Else;
                            *pos = t.pos;
                            markers -= 1;
                        }
                        _ => return Err(self.error(after_operand(&ops))),
                    }
                    want_operand = true;
                }
                Tok::RParen | Tok::Sep | Tok::End => {
                    self.reduce(&mut ops, &mut out, |_| true)?;
                    match (ops.pop(), &t.tok) {
                        (Some((Pending::Paren, _)), Tok::RParen) => {
                            markers -= 1;
                            if let Some(top) = out.last_mut() {
                                top.chain = None;
                            }
                        }
                        (Some((Pending::Call(name, n), pos)), Tok::RParen) => {
                            markers -= 1;
                            self.finish_call(&mut out, &name, n + 1, pos)?;
                        }
                        (Some((Pending::Call(name, n), pos)), Tok::Sep) => {
                            ops.push((Pending::Call(name, n + 1), pos));
                            want_operand = true;
                        }
                        (Some((Pending::If, _)), _) => {
                            return Err(
                                self.error("'else' (Python conditional 'a if condition else b')")
                            )
                        }
                        (Some((Pending::Paren | Pending::Call(..), _)), _) => {
                            return Err(self.error("')'"))
                        }
                        (None, Tok::End) => break,
                        (None, _) => return Err(self.error(after_operand(&ops))),
                        // reduce() leaves only markers on top
                        (Some(_), _) => return Err(self.error("an operator")),
                    }
                }
                _ => return Err(self.error(after_operand(&ops))),
            }
            self.i += 1;
        }
        match (out.pop(), out.is_empty()) {
            (Some(root), true) => Ok(root.node),
            _ => Err(self.error("a complete expression")),
        }
    }

    /// Applies the operators on top of `ops` while `pops(precedence)` holds, stopping at a
    /// marker.
    fn reduce(
        &self,
        ops: &mut Vec<(Pending, usize)>,
        out: &mut Vec<Operand>,
        pops: impl Fn(u8) -> bool,
    ) -> Result<(), FormulaError> {
        while let Some((top, pos)) = ops.last() {
            match top.prec() {
                Some(q) if pops(q) => {}
                _ => break,
            }
            let (top, pos) = (top.clone(), *pos);
            ops.pop();
            self.apply(top, pos, out)?;
        }
        Ok(())
    }

    fn pop_operand(&self, out: &mut Vec<Operand>, pos: usize) -> Result<Operand, FormulaError> {
        out.pop()
            .ok_or_else(|| syntax_error(self.chars, pos, "an operand".into(), "none".into()))
    }

    fn apply(&self, op: Pending, pos: usize, out: &mut Vec<Operand>) -> Result<(), FormulaError> {
        let r = self.pop_operand(out, pos)?;
        let node = match op {
            Pending::Prefix(Prefix::Plus) => Operand { chain: None, ..r },
            Pending::Prefix(Prefix::Neg) => {
                self.operand(Node::Neg(Box::new(r.node)), r.depth, pos)?
            }
            Pending::Prefix(Prefix::Not) => {
                self.operand(Node::Not(Box::new(r.node)), r.depth, pos)?
            }
            Pending::Infix(infix) => {
                let l = self.pop_operand(out, pos)?;
                let depth = l.depth.max(r.depth);
                match infix {
                    Infix::Or => {
                        self.operand(Node::Or(Box::new(l.node), Box::new(r.node)), depth, pos)?
                    }
                    Infix::And => {
                        self.operand(Node::And(Box::new(l.node), Box::new(r.node)), depth, pos)?
                    }
                    Infix::Arith(op) if infix.prec() == 4 => {
                        let right = Box::new(r.node.clone());
                        let mut cmp = match l.chain {
                            // a < b < c  is  (a < b) and (b < c)
                            Some(prev) => {
                                let d = l.chain_depth.max(r.depth);
                                let second =
                                    self.operand(Node::Bin(op, prev, Box::new(r.node)), d, pos)?;
                                let d = l.depth.max(second.depth);
                                self.operand(
                                    Node::And(Box::new(l.node), Box::new(second.node)),
                                    d,
                                    pos,
                                )?
                            }
                            None => self.operand(
                                Node::Bin(op, Box::new(l.node), Box::new(r.node)),
                                depth,
                                pos,
                            )?,
                        };
                        cmp.chain = Some(right);
                        cmp.chain_depth = r.depth;
                        cmp
                    }
                    Infix::Arith(op) => self.operand(
                        Node::Bin(op, Box::new(l.node), Box::new(r.node)),
                        depth,
                        pos,
                    )?,
                }
            }
            Pending::Else => {
                let c = self.pop_operand(out, pos)?;
                let a = self.pop_operand(out, pos)?;
                let depth = a.depth.max(c.depth).max(r.depth);
                self.operand(
                    Node::If(Box::new(c.node), Box::new(a.node), Box::new(r.node)),
                    depth,
                    pos,
                )?
            }
            Pending::Paren | Pending::Call(..) | Pending::If => {
                return Err(syntax_error(
                    self.chars,
                    pos,
                    "an operator".into(),
                    "a marker".into(),
                ))
            }
        };
        out.push(node);
        Ok(())
    }

    /// Builds the call of `name` with the last `n` operands as arguments.
    fn finish_call(
        &self,
        out: &mut Vec<Operand>,
        name: &str,
        n: usize,
        pos: usize,
    ) -> Result<(), FormulaError> {
        let (min, max) = match name {
            "if" => (3, 3),
            "log" => (1, 2),
            "pow" => (2, 2),
            "min" | "max" => (1, usize::MAX),
            _ => (1, 1),
        };
        if n < min || n > max {
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            let wanted = match (min, max) {
                (1, usize::MAX) => "at least 1 argument".to_string(),
                (a, b) if a == b => format!("{a} argument{}", plural(a)),
                (a, b) => format!("{a} to {b} arguments"),
            };
            return Err(syntax_error(
                self.chars,
                pos,
                format!("{wanted} for '{name}'"),
                format!("{n} argument{}", plural(n)),
            ));
        }
        let first = out
            .len()
            .checked_sub(n)
            .ok_or_else(|| syntax_error(self.chars, pos, "arguments".into(), "none".into()))?;
        let args = out.split_off(first);
        let depth = args.iter().map(|a| a.depth).max().unwrap_or(0);
        let mut it = args.into_iter().map(|a| a.node);
        if name == "min" || name == "max" {
            let node = Node::MinMax(name == "max", it.collect());
            out.push(self.operand(node, depth, pos)?);
            return Ok(());
        }
        let mut next = || Box::new(it.next().unwrap_or(Node::Num(f64::NAN)));
        let node = match name {
            "if" => Node::If(next(), next(), next()),
            "pow" => Node::F2(F2::Pow, next(), next()),
            "log" if n == 2 => Node::F2(F2::Log, next(), next()),
            "log" | "ln" => Node::F1(F1::Ln, next()),
            "abs" => Node::F1(F1::Abs, next()),
            "sqrt" => Node::F1(F1::Sqrt, next()),
            "sqr" => Node::F1(F1::Sqr, next()),
            "exp" => Node::F1(F1::Exp, next()),
            "log10" => Node::F1(F1::Log10, next()),
            "round" => Node::F1(F1::Round, next()),
            "floor" => Node::F1(F1::Floor, next()),
            "ceil" => Node::F1(F1::Ceil, next()),
            "sin" => Node::F1(F1::Sin, next()),
            "cos" => Node::F1(F1::Cos, next()),
            _ => Node::F1(F1::Tan, next()),
        };
        out.push(self.operand(node, depth, pos)?);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Parameters

/// Where a parameter is visible: everywhere, or in the formulas of one process, where it
/// shadows a global parameter of the same name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Visible to every formula.
    #[default]
    Global,
    /// Visible to the formulas of the process with this id.
    Process(String),
}

impl fmt::Display for Scope {
    /// `global` or `process 'id'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Global => f.write_str("global"),
            Scope::Process(id) => write!(f, "process '{id}'"),
        }
    }
}

/// A named parameter as found in a database: a value, or a formula of other parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterDef {
    /// The name formulas use.
    pub name: String,
    /// Where it is visible.
    #[serde(default)]
    pub scope: Scope,
    /// Its value (an independent parameter, may be sampled or overridden).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Its formula (a dependent parameter, computed by [`ParameterTable::evaluate`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

impl ParameterDef {
    /// An independent parameter with a value.
    pub fn value(name: &str, scope: Scope, value: f64) -> ParameterDef {
        ParameterDef {
            name: name.to_string(),
            scope,
            value: Some(value),
            formula: None,
        }
    }

    /// A dependent parameter defined by a formula.
    pub fn formula(name: &str, scope: Scope, formula: &str) -> ParameterDef {
        ParameterDef {
            name: name.to_string(),
            scope,
            value: None,
            formula: Some(formula.to_string()),
        }
    }
}

/// Parameters compiled into slots: slot `k` is the `k`-th definition given to
/// [`ParameterTable::new`]. Formula parameters are bound and kept in dependency order.
#[derive(Debug, Clone)]
pub struct ParameterTable {
    opts: ParseOptions,
    /// (name, scope) of each slot.
    params: Vec<(String, Scope)>,
    /// Given value of each slot, NaN for formula parameters.
    given: Vec<f64>,
    independent: Vec<usize>,
    global: HashMap<String, usize>,
    scoped: HashMap<String, HashMap<String, usize>>,
    /// Formula parameters in evaluation order (dependencies first).
    order: Vec<(usize, BoundFormula)>,
}

impl ParameterTable {
    /// Compiles `defs`: one slot per definition, in the given order; each formula parsed
    /// with `opts` and resolved in its own scope (process first, then global).
    /// Errors: `DUPLICATE_PARAMETER`, `MISSING_VALUE` (neither or both of value and
    /// formula, or a non-finite value), `FORMULA_SYNTAX` and `UNKNOWN_PARAMETER` (wrapped
    /// with the parameter's name), `PARAMETER_CYCLE`.
    pub fn new(defs: &[ParameterDef], opts: &ParseOptions) -> Result<ParameterTable, FormulaError> {
        let mut table = ParameterTable {
            opts: *opts,
            params: Vec::with_capacity(defs.len()),
            given: Vec::with_capacity(defs.len()),
            independent: Vec::new(),
            global: HashMap::new(),
            scoped: HashMap::new(),
            order: Vec::new(),
        };
        for (slot, def) in defs.iter().enumerate() {
            let name = table.normalize(&def.name);
            let problem = match (def.value, &def.formula) {
                (None, None) => Some("neither value nor formula".to_string()),
                (Some(_), Some(_)) => Some("both value and formula".to_string()),
                (Some(v), None) if !v.is_finite() => Some(format!("value {v}")),
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(FormulaError::MissingValue {
                    name,
                    scope: def.scope.to_string(),
                    problem,
                });
            }
            let map = match &def.scope {
                Scope::Global => &mut table.global,
                Scope::Process(id) => table.scoped.entry(id.clone()).or_default(),
            };
            if map.insert(name.clone(), slot).is_some() {
                return Err(FormulaError::DuplicateParameter {
                    name,
                    scope: def.scope.to_string(),
                });
            }
            match def.value {
                Some(v) => {
                    table.given.push(v);
                    table.independent.push(slot);
                }
                None => table.given.push(f64::NAN),
            }
            table.params.push((name, def.scope.clone()));
        }
        // parse and resolve the formulas
        let mut bound: Vec<Option<BoundFormula>> = vec![None; defs.len()];
        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
        for (slot, def) in defs.iter().enumerate() {
            let Some(src) = &def.formula else { continue };
            let wrap = |e: FormulaError| FormulaError::InParameter {
                name: table.normalize(&def.name),
                scope: def.scope.to_string(),
                source: Box::new(e),
            };
            let f = table.compile(src, &def.scope).map_err(wrap)?;
            // only formula parameters order the evaluation
            deps[slot] = f
                .slots()
                .into_iter()
                .filter(|s| defs.get(*s).is_some_and(|d| d.formula.is_some()))
                .collect();
            bound[slot] = Some(f);
        }
        let formulas: Vec<usize> = (0..defs.len())
            .filter(|s| bound.get(*s).is_some_and(Option::is_some))
            .collect();
        let order = table.topological_order(&formulas, &deps)?;
        table.order = order
            .into_iter()
            .filter_map(|slot| {
                bound
                    .get_mut(slot)
                    .and_then(Option::take)
                    .map(|f| (slot, f))
            })
            .collect();
        Ok(table)
    }

    fn normalize(&self, name: &str) -> String {
        if self.opts.case_insensitive {
            name.to_lowercase()
        } else {
            name.to_string()
        }
    }

    fn label(&self, slot: usize) -> String {
        match self.params.get(slot) {
            Some((name, Scope::Global)) => name.clone(),
            Some((name, scope)) => format!("{name} ({scope})"),
            None => format!("slot {slot}"),
        }
    }

    /// Depth-first post-order from each of `starts` along `deps` (iterative, so long chains
    /// do not recurse): every slot comes after the slots it depends on. A dependency that
    /// is still being visited closes a cycle.
    fn topological_order(
        &self,
        starts: &[usize],
        deps: &[Vec<usize>],
    ) -> Result<Vec<usize>, FormulaError> {
        const WHITE: u8 = 0;
        const GRAY: u8 = 1;
        const BLACK: u8 = 2;
        let mut state = vec![WHITE; deps.len()];
        let mut order = Vec::new();
        for &start in starts {
            if state.get(start) != Some(&WHITE) {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = GRAY;
            while let Some(top) = stack.last_mut() {
                let (node, k) = *top;
                match deps.get(node).and_then(|d| d.get(k)) {
                    Some(&dep) => {
                        top.1 += 1;
                        match state.get(dep) {
                            Some(&WHITE) => {
                                state[dep] = GRAY;
                                stack.push((dep, 0));
                            }
                            Some(&GRAY) => {
                                let from = stack.iter().position(|(n, _)| *n == dep).unwrap_or(0);
                                let mut names: Vec<String> =
                                    stack[from..].iter().map(|(n, _)| self.label(*n)).collect();
                                names.push(self.label(dep));
                                return Err(FormulaError::ParameterCycle {
                                    cycle: names.join(" -> "),
                                });
                            }
                            _ => {}
                        }
                    }
                    None => {
                        state[node] = BLACK;
                        order.push(node);
                        stack.pop();
                    }
                }
            }
        }
        Ok(order)
    }

    /// The slot of `name` as seen from `scope`: the process's own parameter if it has one,
    /// else the global one. Names are lower-cased first in case-insensitive mode.
    pub fn slot(&self, name: &str, scope: &Scope) -> Option<usize> {
        let lowered;
        let name = if self.opts.case_insensitive {
            lowered = name.to_lowercase();
            lowered.as_str()
        } else {
            name
        };
        if let Scope::Process(id) = scope {
            if let Some(slot) = self.scoped.get(id).and_then(|m| m.get(name)) {
                return Some(*slot);
            }
        }
        self.global.get(name).copied()
    }

    /// The number of slots (parameters).
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// True when there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// One value per slot: the given values, NaN for formula parameters (filled by
    /// [`ParameterTable::evaluate`]).
    pub fn base_values(&self) -> Vec<f64> {
        self.given.clone()
    }

    /// [`ParameterTable::base_values`] with every formula parameter evaluated.
    pub fn evaluated_values(&self) -> Result<Vec<f64>, FormulaError> {
        let mut values = self.base_values();
        self.evaluate(&mut values)?;
        Ok(values)
    }

    /// Evaluates every formula parameter in dependency order and writes it into its slot;
    /// the other slots of `values` (independent values, possibly sampled or set by a
    /// scenario) are read as they are. No allocation unless it fails. Errors:
    /// `VALUE_COUNT` when `values` has fewer than [`ParameterTable::len`] entries, and
    /// `FORMULA_EVALUATION` wrapped with the parameter's name.
    pub fn evaluate(&self, values: &mut [f64]) -> Result<(), FormulaError> {
        if values.len() < self.params.len() {
            return Err(FormulaError::ValueCount {
                expected: self.params.len(),
                found: values.len(),
            });
        }
        for (slot, f) in &self.order {
            match f.eval(values) {
                Ok(v) => {
                    if let Some(x) = values.get_mut(*slot) {
                        *x = v;
                    }
                }
                Err(e) => {
                    let (name, scope) = self
                        .params
                        .get(*slot)
                        .map(|(n, s)| (n.clone(), s.to_string()))
                        .unwrap_or_default();
                    return Err(FormulaError::InParameter {
                        name,
                        scope,
                        source: Box::new(e),
                    });
                }
            }
        }
        Ok(())
    }

    /// Parses an exchange formula with the table's options and binds it in `scope`
    /// (process parameters first, then global ones). Errors: `FORMULA_SYNTAX`,
    /// `UNKNOWN_PARAMETER` with the scope and up to three similar visible names.
    pub fn compile(&self, src: &str, scope: &Scope) -> Result<BoundFormula, FormulaError> {
        let f = Formula::parse(src, &self.opts)?;
        f.bind(&|name| self.slot(name, scope)).map_err(|e| match e {
            FormulaError::UnknownParameter { name, formula, .. } => {
                let mut visible: Vec<&str> = self.global.keys().map(|s| s.as_str()).collect();
                if let Scope::Process(id) = scope {
                    if let Some(m) = self.scoped.get(id) {
                        visible.extend(m.keys().map(|s| s.as_str()));
                    }
                }
                FormulaError::UnknownParameter {
                    similar: similar_names(&name, &visible),
                    name,
                    formula,
                    scope: scope.to_string(),
                }
            }
            other => other,
        })
    }

    /// The slots of the parameters that have a value (not a formula), ascending.
    pub fn independent_slots(&self) -> &[usize] {
        &self.independent
    }

    /// The slots of the formula parameters in the order [`ParameterTable::evaluate`]
    /// computes them (every parameter after those it reads).
    pub fn evaluation_order(&self) -> Vec<usize> {
        self.order.iter().map(|(slot, _)| *slot).collect()
    }

    /// The (normalized) name and the scope of a slot.
    pub fn name_of(&self, slot: usize) -> Option<(&str, &Scope)> {
        self.params.get(slot).map(|(n, s)| (n.as_str(), s))
    }
}

/// Up to three of `candidates` closest to `name` (Levenshtein distance on lower-cased
/// names, at most a third of the length and at least 2), comma separated.
fn similar_names(name: &str, candidates: &[&str]) -> String {
    let w = name.to_lowercase();
    let limit = (w.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (crate::error::levenshtein(&w, &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .iter()
        .take(3)
        .map(|(_, c)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PY: ParseOptions = ParseOptions {
        case_insensitive: false,
    };
    const OLCA: ParseOptions = ParseOptions {
        case_insensitive: true,
    };

    /// Evaluates `src` with a = 0.75, b = -2.5, c = 4 (slots 0, 1, 2).
    fn run_with(src: &str, opts: &ParseOptions) -> Result<f64, FormulaError> {
        let f = Formula::parse(src, opts)?;
        let b = f.bind(&|n| match n {
            "a" => Some(0),
            "b" => Some(1),
            "c" => Some(2),
            "x" => Some(3),
            _ => None,
        })?;
        b.eval(&[0.75, -2.5, 4.0, 0.0])
    }

    fn run(src: &str) -> f64 {
        match run_with(src, &PY) {
            Ok(v) => v,
            Err(e) => panic!("{src}: {e}"),
        }
    }

    fn err(src: &str) -> FormulaError {
        match run_with(src, &PY) {
            Ok(v) => panic!("{src}: expected an error, got {v}"),
            Err(e) => e,
        }
    }

    /// Equal within 4 units in the last place (libm vs the C library of CPython).
    fn close(got: f64, want: f64) -> bool {
        got == want || (got - want).abs() <= 4.0 * f64::EPSILON * want.abs().max(1.0)
    }

    #[test]
    #[allow(clippy::approx_constant)] // the digits CPython printed
    fn python_reference_values() {
        // Expected values: CPython 3.11.7, `from math import *; float(eval(src))`.
        let cases: &[(&str, f64)] = &[
            ("2**3**2", 512.0),
            ("-2**2", -4.0),
            ("2**-1", 0.5),
            ("10 - 2 - 3", 5.0),
            ("7 % 3", 1.0),
            ("-7 % 3", 2.0),
            ("7.5 % -2", -0.5),
            ("-7.5 % 2", 0.5),
            ("1 + 2 * 3 ** 2 / 4", 5.5),
            ("(1 + 2) * 3", 9.0),
            ("2 * -3", -6.0),
            ("- -3", 3.0),
            ("2**-3**2", 0.001953125),
            ("-2**-2", -0.25),
            ("1/2", 0.5),
            ("7 - 3 % 2 * 4", 3.0),
            ("abs(-3.5)", 3.5),
            ("sqrt(2)", 1.4142135623730951),
            ("exp(1.5)", 4.4816890703380645),
            ("log(10)", 2.302585092994046),
            ("log(8, 2)", 3.0),
            ("log(100, 10)", 2.0),
            ("log10(2)", 0.3010299956639812),
            ("sin(1)", 0.8414709848078965),
            ("cos(1)", 0.5403023058681398),
            ("tan(1)", 1.5574077246549023),
            ("pow(2, 0.5)", 1.4142135623730951),
            ("min(3, 1, 2)", 1.0),
            ("max(3, 1, 2)", 3.0),
            ("floor(-2.5)", -3.0),
            ("ceil(-2.5)", -2.0),
            ("pi * 2", 6.283185307179586),
            ("e ** 2", 7.3890560989306495),
            ("1 < 2 < 3", 1.0),
            ("3 > 2 > 2", 0.0),
            ("1 < 3 > 2", 1.0),
            ("2 == 2.0", 1.0),
            ("1 if 2 > 3 else 4", 4.0),
            ("5 if 1 else 6", 5.0),
            ("1 if 0 else 2 if 0 else 3", 3.0),
            ("not 0", 1.0),
            ("not 2 + 3", 0.0),
            ("1 + 2 < 4 and 3 > 2", 1.0),
            ("0 or 0", 0.0),
            ("3 * 2 if 1 < 2 else 0", 6.0),
            ("1e-3 * 2.5E+4", 25.0),
            (".5 + 1.", 1.5),
            ("2**0.5**2", 1.189207115002721),
            ("(-8) ** 2", 64.0),
            ("10 / 4 * 2", 5.0),
            ("2 ** 10 % 1000", 24.0),
            ("exp(-1) * 1e3 / 7", 52.55420588163462),
        ];
        for (src, want) in cases {
            let got = run(src);
            assert!(close(got, *want), "{src}: got {got}, Python gives {want}");
        }
    }

    #[test]
    #[allow(clippy::approx_constant)] // the digits CPython printed
    fn python_random_corpus() {
        // 60 random formulas and their values from CPython 3.11.7 with a = 0.75, b = -2.5,
        // c = 4.0 (generator: random.seed(20240611), depth-4 grammar of + - * / % **,
        // unary minus, conditionals, chained comparisons, abs exp sqrt log log10 sin cos
        // tan min max); None where Python raises ZeroDivisionError/ValueError.
        let corpus: &[(&str, Option<f64>)] = &[
        ("(max(1.5, b % 2, b) + 10 - 0.5 + -b if a - 2e-1 > c else abs(1))", Some(1.0)),
        ("2", Some(2.0)),
        ("10", Some(10.0)),
        ("b", Some(-2.5)),
        ("(b + 10 >= 2e-1 ** c > max(b, .25, 10)) + 1 ** c - 3", Some(-2.0)),
        ("1 ** -1", Some(1.0)),
        ("-abs(b) * -c * (c + .25)", Some(42.5)),
        ("(-10 / 10 + c) * -(.25 * c < .25 + 1 < (a if .25 < b else .25))", Some(0.0)),
        ("a", Some(0.75)),
        ("1.5", Some(1.5)),
        ("(-a ** c + tan(c))", Some(0.8414150323495775)),
        ("(b - 1.5 >= -b > a % a) % b - 10 % 2e-1 - c * 0.5", Some(-2.1999999999999993)),
        ("c", Some(4.0)),
        ("(.25 / a ** 0.5 == sin(.25) - 10 * 1 + .25 > min(c, min(a, 1, b), c - 3) + -2)", Some(0.0)),
        ("(2e-1 ** -1 > b < -c)", Some(0.0)),
        ("log(10 + a * c)", Some(2.5649493574615367)),
        ("1.5 % (a + b) * (3) - a", Some(-1.5)),
        ("(.25 if c % 2e-1 == .25 ** 0.5 else 10 + 2e-1) + 3 * c", Some(22.2)),
        ("b + (c if 10 ** 0.5 != 1 else 1 ** a)", Some(1.5)),
        ("-(3) * min(10, c, 10) - 0.5 - ((1))", Some(-13.5)),
        ("(max(--2e-1, (0.5 - 1), 10))", Some(10.0)),
        ("1.5 % 10", Some(1.5)),
        ("cos(min(a * b, b + c, max(.25, 10, c)) - max(tan(2e-1), (3 >= a < c), .25 / 2e-1))", Some(-0.9998623450816866)),
        ("a / a % min(b, 2e-1, .25) % ((c ** 0.5) if 1.5 ** c < 10 else c)", Some(0.5)),
        ("min((1 + c < 10 ** c < (3)) * c ** 2, b ** -1, b)", Some(-2.5)),
        ("log(0.5)", Some(-0.6931471805599453)),
        ("log(min((c if c < .25 else c), 0.5 / 1, 1)) - b ** 3 * .25", Some(3.2131028194400546)),
        ("((1.5))", Some(1.5)),
        ("3 ** c - ((2 if c != 3 else 2e-1) * 10 % 2 == (log(c)) < 10 * b + 2e-1 - a)", Some(81.0)),
        ("log10(-1.5 % (-a if 10 * 0.5 > 1 else c ** a))", None),
        ("(b < (a) < 2) / (c if 1.5 >= a else .25) + tan(a) / 10 ** c * max(0.5, a, 3)", Some(0.25027947893798325)),
        ("-(c ** c + 2e-1 <= log(max(c, a, 2e-1)) < (b) + (3))", Some(0.0)),
        ("sin((2e-1 if 2 ** a % c * b != log10(2) else (2)))", Some(0.19866933079506122)),
        ("(1 ** 2)", Some(1.0)),
        ("(-c) + 3 - 1 * b / 2e-1", Some(11.5)),
        ("-max(2, (a if .25 <= 10 else 2e-1), c * 3) / b", Some(4.8)),
        ("(((0.5 / 2e-1)) < b < 2e-1 * 2 % 10 * 3)", Some(0.0)),
        ("1", Some(1.0)),
        ("max((a % a >= min(1, 1.5, b) > c - b), sin(10 - b), (c == 2e-1 < c) / 1.5) - -c", Some(4.0)),
        ("((a ** c if 1.5 >= (.25) - 1.5 - a else 2))", Some(0.31640625)),
        ("(a < 2 ** a < 1.5 - 10)", Some(0.0)),
        ("2 + .25 ** a - 1.5 + a % min((log10(1)), a, (b + b))", Some(-3.396446609406726)),
        ("cos(min(.25 - 10, -c, (.25 > .25 < b)) % 2 + b / a ** 0.5)", Some(-0.8752512399496893)),
        ("a ** 3", Some(0.421875)),
        ("(max(10, 2e-1, c) + 2e-1 + a > (-.25) > 2) * c - 2 * 0.5 * a + 0.5 * a ** c", Some(-0.591796875)),
        ("(b - a % b > (b >= 1 < 0.5) / 1 > 1 % 1 * b ** c) * 0.5", Some(0.0)),
        ("1.5 ** 3", Some(3.375)),
        ("(2 < 2 < (c) % 0.5) * (3 == b > c) * (2) - min((a < c < 2), (.25), b)", Some(2.5)),
        ("10 ** c", Some(10000.0)),
        ("((b / b % cos(2)) > 1 < 2e-1 + b / a ** 3)", Some(0.0)),
        ("0.5", Some(0.5)),
        ("abs(min(a / 3, 0.5, (1 != b > b)) + 3 * 3 * 2e-1)", Some(1.8)),
        ("cos(a - 10 - ((c) <= (2) < 1 - 0.5))", Some(-0.9847651734673236)),
        ("a ** 0.5", Some(0.8660254037844386)),
        ("-(2e-1 % a * b)", Some(0.5)),
        ("((c if 10 == 10 else b) + -c) + 0.5", Some(0.5)),
        ("(-c % 2e-1 - b * b)", Some(-6.25)),
        ("2e-1", Some(0.2)),
        ("3 % -10 - 1 / .25 + b", Some(-13.5)),
        ("1.5 - abs(a)", Some(0.75)),
        ];
        for (src, want) in corpus {
            match (run_with(src, &PY), want) {
                (Ok(got), Some(w)) => assert!(close(got, *w), "{src}: got {got}, Python {w}"),
                (Err(e), None) => assert_eq!(e.code(), "FORMULA_EVALUATION", "{src}: {e}"),
                (got, want) => panic!("{src}: got {got:?}, Python {want:?}"),
            }
        }
    }

    #[test]
    fn python_grammar_details() {
        // CPython 3.11.7 `float(eval(src))`
        let cases: &[(&str, f64)] = &[
            ("not 3 == 4", 1.0),
            ("not not 1", 1.0),
            ("(1 < 3) < 2", 1.0),
            ("1 < 3 < 2", 0.0),
            ("+-+-1", 1.0),
            ("2 if(1) else 3", 2.0),
            ("-3 ** -2", -0.1111111111111111),
            ("1 + 2 if 0 else 3 * 4", 12.0),
            ("not 1 or 1", 1.0),
            ("not (1 or 1)", 0.0),
            ("1 and 0 or 1", 1.0),
            ("0 or 1 and 0", 0.0),
            ("1 < 2 == 2 > 1", 1.0),
            ("10 - -2 ** 2 * 3", 22.0),
            ("-(1) - -(2)", 1.0),
        ];
        for (src, want) in cases {
            assert_eq!(run(src), *want, "{src}");
        }
        // CPython 3.11.7 raises SyntaxError for these; so do we
        for src in [
            "1 == not 0",
            "- not 1",
            "2 ** not 1",
            "1 if 1 if 1 else 0 else 0",
            "1 + not 2",
        ] {
            assert_eq!(
                Formula::parse(src, &PY).map_err(|e| e.code()).err(),
                Some("FORMULA_SYNTAX"),
                "{src}"
            );
        }
    }

    #[test]
    fn openlca_syntax() {
        // Hand-computed; openLCA formula syntax (^, ;, =, <>, &&, ||, !, sqr, ln).
        assert_eq!(run_with("if(c > 1; 2; 3)", &OLCA).ok(), Some(2.0));
        assert_eq!(run_with("if(c > 5, 2, 3)", &OLCA).ok(), Some(3.0));
        assert_eq!(run_with("a * c ^ 2", &OLCA).ok(), Some(12.0));
        assert_eq!(run_with("2 ^ 3 ^ 2", &OLCA).ok(), Some(512.0));
        assert_eq!(run_with("-2 ^ 2", &OLCA).ok(), Some(-4.0));
        assert_eq!(run_with("2^-1", &OLCA).ok(), Some(0.5));
        assert_eq!(run_with("sqr(3)", &OLCA).ok(), Some(9.0));
        assert_eq!(run_with("ln(e)", &OLCA).ok(), Some(1.0));
        assert_eq!(run_with("c = 4", &OLCA).ok(), Some(1.0));
        assert_eq!(run_with("c <> 4", &OLCA).ok(), Some(0.0));
        assert_eq!(run_with("c != 4", &OLCA).ok(), Some(0.0));
        assert_eq!(run_with("c >= 4 && b < 0", &OLCA).ok(), Some(1.0));
        assert_eq!(run_with("c > 4 || b > 0", &OLCA).ok(), Some(0.0));
        assert_eq!(run_with("!(c > 4)", &OLCA).ok(), Some(1.0));
        assert_eq!(run_with("max(a; b; c)", &OLCA).ok(), Some(4.0));
        assert_eq!(run_with("pow(c; 0.5)", &OLCA).ok(), Some(2.0));
        // openLCA's log is base 10 (org.openlca.expressions.functions.Log), one argument
        assert_eq!(run_with("log(1000)", &OLCA).ok(), Some(3.0));
        assert_eq!(run_with("LOG (100)", &OLCA).ok(), Some(2.0));
        assert!(run_with("log(8; 2)", &OLCA).is_err());
        // Python's math.log: natural, or to a base
        assert_eq!(run_with("log(8, 2)", &PY).ok(), Some(3.0));
        assert_eq!(run_with("log(e)", &PY).ok(), Some(1.0));
        // case-insensitive: names, functions and keywords
        assert_eq!(run_with("IF(C > 1; SQR(A) * 16; 0)", &OLCA).ok(), Some(9.0));
        assert_eq!(run_with("C > 1 AND NOT B > 0", &OLCA).ok(), Some(1.0));
        assert_eq!(run_with("PI", &OLCA).ok(), Some(std::f64::consts::PI));
    }

    #[test]
    fn case_sensitive_by_default() {
        let f = Formula::parse("A + a + a_1 + _b", &PY).unwrap();
        assert_eq!(f.variables(), vec!["A", "_b", "a", "a_1"]);
        let f = Formula::parse("A + a", &OLCA).unwrap();
        assert_eq!(f.variables(), vec!["a"]);
        let e = Formula::parse("IF(a; 1; 2)", &PY).unwrap_err();
        assert_eq!(e.code(), "FORMULA_SYNTAX");
    }

    #[test]
    fn rounding_and_functions() {
        // round half away from zero (openLCA/Excel ROUND, C round()), not Python's
        // banker's rounding; hand-computed.
        assert_eq!(run("round(2.5)"), 3.0);
        assert_eq!(run("round(-2.5)"), -3.0);
        assert_eq!(run("round(0.49999999999999994)"), 0.0);
        assert_eq!(run("round(1.4)"), 1.0);
        assert_eq!(run("abs(b)"), 2.5);
        assert_eq!(run("sqr(b)"), 6.25);
        assert_eq!(run("min(c)"), 4.0);
        assert_eq!(run("max(a, b, c, -10)"), 4.0);
        assert_eq!(run("log(c, 2)"), 2.0);
        assert_eq!(run("log10(1000)"), 3.0);
        assert_eq!(run("sqrt(c)"), 2.0);
        assert_eq!(run("exp(0)"), 1.0);
        assert_eq!(run("floor(b)"), -3.0);
        assert_eq!(run("ceil(b)"), -2.0);
    }

    #[test]
    fn branches_are_lazy() {
        // x = 0: the untaken branch would divide by zero (hand-computed).
        assert_eq!(run("if(x > 0, 1 / x, 7)"), 7.0);
        assert_eq!(run("1 / x if x else 7"), 7.0);
        assert_eq!(run("x != 0 and 1 / x > 2"), 0.0);
        assert_eq!(run("x == 0 or 1 / x > 2"), 1.0);
        // and/or give 1.0 and 0.0 (Python would give the operand)
        assert_eq!(run("2 and 3"), 1.0);
        assert_eq!(run("0 or 5"), 1.0);
        assert_eq!(err("x != 0 or 1 / x > 2").code(), "FORMULA_EVALUATION");
    }

    #[test]
    fn evaluation_errors() {
        let cases = [
            ("1 / x", "division by zero in 1 / 0"),
            ("c % x", "modulo by zero in 4 % 0"),
            ("log(-1)", "logarithm of a non-positive number in ln(-1)"),
            ("ln(x)", "logarithm of a non-positive number in ln(0)"),
            (
                "log10(b)",
                "logarithm of a non-positive number in log10(-2.5)",
            ),
            ("log(c, 1)", "logarithm to base 1 in log(4, 1)"),
            ("sqrt(b)", "square root of a negative number in sqrt(-2.5)"),
            ("exp(1000)", "non-finite result in exp(1000)"),
            ("x ** -1", "zero raised to a negative power in 0 ** -1"),
            (
                "b ** 0.5",
                "negative number raised to a fractional power in -2.5 ** 0.5",
            ),
            ("1e308 * 10", "non-finite result in 1e308 * 10"),
            ("10 ** 400", "non-finite result in 10 ** 400"),
        ];
        for (src, op) in cases {
            let e = err(src);
            assert_eq!(e.code(), "FORMULA_EVALUATION", "{src}");
            assert_eq!(
                e,
                FormulaError::Evaluation {
                    formula: src.to_string(),
                    operation: op.to_string()
                }
            );
        }
        assert_eq!(
            err("1 / x").to_string(),
            "formula '1 / x': division by zero in 1 / 0"
        );
    }

    #[test]
    fn bad_values() {
        let f = Formula::parse("a + b", &PY).unwrap();
        let b = f
            .bind(&|n| if n == "a" { Some(0) } else { Some(2) })
            .unwrap();
        let e = b.eval(&[1.0, 2.0]).unwrap_err();
        assert_eq!(e.code(), "VALUE_COUNT");
        assert_eq!(
            e.to_string(),
            "values: expected at least 3 values (one per parameter slot), got 2"
        );
        let e = b.eval(&[1.0, 2.0, f64::NAN]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "formula 'a + b': parameter 'b' (slot 2) has the non-finite value NaN"
        );
        assert_eq!(b.eval(&[1.0, 9.0, 2.0]).unwrap(), 3.0);
        assert_eq!(b.slots(), vec![0, 2]);
    }

    fn syntax(src: &str, opts: &ParseOptions) -> (usize, String, String) {
        match Formula::parse(src, opts) {
            Err(FormulaError::Syntax {
                position,
                expected,
                found,
                ..
            }) => (position, expected, found),
            other => panic!("{src}: expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors() {
        let s = |src| syntax(src, &PY);
        assert_eq!(s("1 +").0, 3);
        assert_eq!(s("1 +").2, "the end of the formula");
        assert_eq!(s("").0, 0);
        assert_eq!(
            s("2 * (3 + 4"),
            (10, "')'".into(), "the end of the formula".into())
        );
        assert_eq!(s("a b").0, 2);
        assert_eq!(s("a b").1, "an operator or the end of the formula");
        assert_eq!(
            s("1 $ 2"),
            (
                2,
                "a number, a name, an operator or a parenthesis".into(),
                "'$'".into()
            )
        );
        assert_eq!(s("1e+ 2").1, "the digits of an exponent");
        assert_eq!(s("1e999").2, "'1e999'");
        assert_eq!(
            s("a if b").1,
            "'else' (Python conditional 'a if condition else b')"
        );
        assert_eq!(s("if + 1").2, "'if'");
        assert_eq!(s("1 + not 2").0, 4);
        assert_eq!(s("min()").1, "at least 1 argument for 'min'");
        assert_eq!(
            s("sqrt(1, 2)"),
            (0, "1 argument for 'sqrt'".into(), "2 arguments".into())
        );
        assert_eq!(s("if(1, 2)").1, "3 arguments for 'if'");
        assert_eq!(s("log(1, 2, 3)").1, "1 to 2 arguments for 'log'");
        assert_eq!(s("max(1 2)").1, "an operator, ',', ';' or ')'");
        assert_eq!(s("(1 2)").1, "an operator or ')'");
        assert_eq!(s("1 if 2 3").1, "an operator or 'else'");
        assert_eq!(s("1)").1, "an operator or the end of the formula");
        assert_eq!(s("(1, 2)").1, "')'");
        assert_eq!(s("a & b").0, 2);
        assert_eq!(s("ä").0, 0);
        let (pos, expected, found) = s("2 * foo(1)");
        assert_eq!(pos, 4);
        assert_eq!(found, "'foo'");
        assert_eq!(expected, "a known function (abs, ceil, cos, exp, floor, if, ln, log, log10, max, min, pow, round, sin, sqr, sqrt, tan)");
        // positions count characters, not bytes (U+00A0 is whitespace, two bytes in UTF-8)
        assert_eq!(s("a\u{a0}+\u{a0}$").0, 4);
        assert_eq!(s("\t1 +\n").0, 5);
        let e = Formula::parse("1 +* 2", &PY).unwrap_err();
        assert_eq!(e.code(), "FORMULA_SYNTAX");
        assert_eq!(
            e.to_string(),
            "formula '1 +* 2': syntax error at position 3: expected a number, a name, '(', '-' or 'not', found '*'"
        );
    }

    #[test]
    fn length_and_depth_limits() {
        let ok = format!("1{}", " ".repeat(MAX_FORMULA_LEN - 1));
        assert!(Formula::parse(&ok, &PY).is_ok());
        let long = format!("1{}", " ".repeat(MAX_FORMULA_LEN));
        let (pos, expected, found) = syntax(&long, &PY);
        assert_eq!(
            (pos, expected.as_str(), found.as_str()),
            (10_000, "at most 10000 characters", "10001 characters")
        );

        let parens = |n: usize| format!("{}1{}", "(".repeat(n), ")".repeat(n));
        assert!(Formula::parse(&parens(200), &PY).is_ok());
        assert_eq!(syntax(&parens(300), &PY).1, "at most 256 levels of nesting");
        assert!(Formula::parse(&format!("{}1", "-".repeat(200)), &PY).is_ok());
        assert_eq!(
            syntax(&format!("{}1", "-".repeat(3000)), &PY).1,
            "at most 256 levels of nesting"
        );
        assert_eq!(
            syntax(&format!("{}1", "not ".repeat(2000)), &PY).1,
            "at most 256 levels of nesting"
        );
        assert_eq!(
            syntax(&"2**".repeat(3000).to_string().add_one(), &PY).1,
            "at most 256 levels of nesting"
        );
        // a left-associative chain builds a deep tree without any parentheses
        let chain = |n: usize| vec!["a"; n].join("+");
        let f = Formula::parse(&chain(200), &PY).unwrap();
        assert_eq!(f.bind(&|_| Some(0)).unwrap().eval(&[1.5]).unwrap(), 300.0);
        assert_eq!(syntax(&chain(3000), &PY).1, "at most 256 levels of nesting");
        assert!(Formula::parse(&vec!["a"; 3000].join(" < "), &PY).is_err());
        // wide is fine
        let wide = format!("max({})", vec!["a"; 3000].join(","));
        assert!(Formula::parse(&wide, &PY).is_ok());
    }

    trait AddOne {
        fn add_one(self) -> String;
    }
    impl AddOne for String {
        fn add_one(self) -> String {
            self + "1"
        }
    }

    #[test]
    fn deepest_formulas_fit_a_small_stack() {
        // the deepest accepted formulas parse, bind, evaluate, print and drop in 1 MiB of
        // stack even in a debug build (about 64 KiB in release)
        let handle = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(|| {
                let deep = [
                    format!("{}a{}", "(".repeat(255), ")".repeat(255)),
                    format!("{}a", "-".repeat(254)),
                    format!("{}a", "sqrt(".repeat(254)) + &")".repeat(254),
                    vec!["a"; 256].join("+"),
                    format!("{}a{}", "(a+".repeat(120), ")".repeat(120)),
                ];
                for src in &deep {
                    let f = Formula::parse(src, &PY).unwrap();
                    let c = f.canonical();
                    assert_eq!(Formula::parse(&c, &PY).map(|g| g.root), Ok(f.root.clone()));
                    let b = f.bind(&|_| Some(0)).unwrap();
                    assert!(b.eval(&[1.0]).unwrap().is_finite());
                }
            })
            .unwrap();
        handle.join().unwrap();
    }

    #[test]
    fn deep_right_nesting_uses_larger_stacks() {
        // 1 + (2 + (3 + ... + (n + a * a))) = n (n + 1) / 2 + a², hand-computed; needs a
        // stack of about n values (the 8-, 32- and largest-stack paths)
        for n in [5u32, 20, 100, 250] {
            let mut src = "a * a".to_string();
            for k in (1..=n).rev() {
                src = format!("{k} + ({src})");
            }
            let f = Formula::parse(&src, &PY).unwrap();
            let b = f.bind(&|_| Some(0)).unwrap();
            let want = f64::from(n * (n + 1) / 2) + 9.0;
            assert_eq!(b.eval(&[3.0]).unwrap(), want, "n = {n}");
        }
    }

    #[test]
    fn variables_and_constants() {
        let f = Formula::parse("b * a + pi * e + sqrt(b) + c_1", &PY).unwrap();
        assert_eq!(f.variables(), vec!["a", "b", "c_1"]);
        assert_eq!(f.source(), "b * a + pi * e + sqrt(b) + c_1");
        assert_eq!(f.to_string(), f.source());
        // a parameter named `e` shadows the constant
        let b = f.bind(&|n| match n {
            "a" => Some(0),
            "b" => Some(1),
            "c_1" => Some(2),
            "e" => Some(3),
            _ => None,
        });
        let v = b.unwrap().eval(&[1.0, 4.0, 0.0, 1.0]).unwrap();
        assert_eq!(v, 4.0 + std::f64::consts::PI + 2.0);
        // unknown names
        let e = f
            .bind(&|n| if n == "a" { Some(0) } else { None })
            .unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_PARAMETER");
        assert_eq!(
            e.to_string(),
            "formula 'b * a + pi * e + sqrt(b) + c_1': unknown parameter 'b'"
        );
    }

    #[test]
    fn constant_folding() {
        let f = Formula::parse("2 * 3 + sqrt(16) * a", &PY).unwrap();
        let b = f.bind(&|_| Some(0)).unwrap();
        assert_eq!(b.constant(), None);
        assert_eq!(
            b.code,
            vec![
                Ins::Num(6.0),
                Ins::Num(4.0),
                Ins::BinVar(Bin::Mul, 0),
                Ins::Bin(Bin::Add)
            ]
        );
        let b = Formula::parse("-2 ** 2 + pi", &PY)
            .unwrap()
            .bind(&|_| None)
            .unwrap();
        assert_eq!(b.constant(), Some(-4.0 + std::f64::consts::PI));
        // failing constants are kept and fail at evaluation
        let b = Formula::parse("1 / 0", &PY)
            .unwrap()
            .bind(&|_| None)
            .unwrap();
        assert_eq!(b.constant(), None);
        assert_eq!(b.eval(&[]).unwrap_err().code(), "FORMULA_EVALUATION");
    }

    #[test]
    fn canonical_round_trip() {
        for src in [
            "-2**2 + a * (b - c) / 4 % 3",
            "a if b > 1 else c if b < 0 else 0",
            "if(a < b <= c; max(a, 1, 2); min(b))",
            "not a and b or !c",
            "log(a) + log(a, 2) + pow(a, 2) + sqr(-1.5e-7) + e",
            "1e300 * 2.5 - .5",
        ] {
            let f = Formula::parse(src, &PY).unwrap();
            let c = f.canonical();
            let g = Formula::parse(&c, &PY).unwrap();
            assert_eq!(g.root, f.root, "{src} -> {c}");
            assert_eq!(g.canonical(), c);
        }
        assert_eq!(
            Formula::parse("-2^2 + x if a else b", &PY)
                .unwrap()
                .canonical(),
            "if(a, ((-(2.0 ** 2.0)) + x), b)"
        );
        assert_eq!(
            Formula::parse("1 < a <= 3", &PY).unwrap().canonical(),
            "((1.0 < a) and (a <= 3.0))"
        );
    }

    // ----- parameters

    fn g(name: &str, v: f64) -> ParameterDef {
        ParameterDef::value(name, Scope::Global, v)
    }
    fn gf(name: &str, f: &str) -> ParameterDef {
        ParameterDef::formula(name, Scope::Global, f)
    }
    fn p(id: &str) -> Scope {
        Scope::Process(id.to_string())
    }

    #[test]
    fn topological_order_with_chains() {
        // defined in reverse dependency order: d = c + 1, c = b * 2, b = a ** 2, a = 3
        let defs = [
            gf("d", "c + 1"),
            gf("c", "b * 2"),
            gf("b", "a ** 2"),
            g("a", 3.0),
            gf("z", "a + d"),
        ];
        let t = ParameterTable::new(&defs, &PY).unwrap();
        assert_eq!(t.len(), 5);
        assert!(!t.is_empty());
        assert_eq!(t.independent_slots(), &[3]);
        assert_eq!(t.evaluation_order(), vec![2, 1, 0, 4]);
        let base = t.base_values();
        assert_eq!(base[3], 3.0);
        assert!(base[0].is_nan());
        // hand-computed: b = 9, c = 18, d = 19, z = 22
        assert_eq!(
            t.evaluated_values().unwrap(),
            vec![19.0, 18.0, 9.0, 3.0, 22.0]
        );
        // a scenario overrides the independent value
        let mut v = t.base_values();
        v[3] = 0.5;
        t.evaluate(&mut v).unwrap();
        assert_eq!(v, vec![1.5, 0.5, 0.25, 0.5, 2.0]);
        assert_eq!(t.name_of(3), Some(("a", &Scope::Global)));
        assert_eq!(t.name_of(9), None);
        assert_eq!(t.slot("d", &Scope::Global), Some(0));
        assert_eq!(t.slot("D", &Scope::Global), None);
    }

    #[test]
    fn long_chain_does_not_recurse() {
        let mut defs = vec![g("p0", 1.0)];
        for k in 1..20_000 {
            defs.push(gf(&format!("p{k}"), &format!("p{} + 1", k - 1)));
        }
        defs.reverse();
        let t = ParameterTable::new(&defs, &PY).unwrap();
        let v = t.evaluated_values().unwrap();
        assert_eq!(v[0], 20_000.0);
    }

    #[test]
    fn scoped_shadowing() {
        let defs = [
            g("yield_", 0.5),
            g("loss", 0.1),
            ParameterDef::value("yield_", p("p1"), 0.8),
            ParameterDef::formula("net", p("p1"), "yield_ * (1 - loss)"),
            gf("net_global", "yield_ * 2"),
        ];
        let t = ParameterTable::new(&defs, &PY).unwrap();
        assert_eq!(t.slot("yield_", &Scope::Global), Some(0));
        assert_eq!(t.slot("yield_", &p("p1")), Some(2));
        assert_eq!(t.slot("yield_", &p("p2")), Some(0));
        assert_eq!(t.slot("net", &Scope::Global), None);
        let v = t.evaluated_values().unwrap();
        // hand-computed: net = 0.8 * 0.9 (process yield shadows the global one)
        assert!(close(v[3], 0.72));
        assert_eq!(v[4], 1.0);
        let mut values = v.clone();
        let in_p1 = t.compile("yield_ * 10", &p("p1")).unwrap();
        let in_p2 = t.compile("yield_ * 10", &p("p2")).unwrap();
        assert_eq!(in_p1.eval(&values).unwrap(), 8.0);
        assert_eq!(in_p2.eval(&values).unwrap(), 5.0);
        values[2] = 0.6;
        assert_eq!(in_p1.eval(&values).unwrap(), 6.0);
        // a global formula cannot see process parameters
        let e = ParameterTable::new(&[ParameterDef::value("x", p("p1"), 1.0), gf("y", "x")], &PY)
            .unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_PARAMETER");
    }

    #[test]
    fn case_insensitive_table() {
        let defs = [g("Yield", 0.5), gf("NET", "YIELD * 2")];
        let t = ParameterTable::new(&defs, &OLCA).unwrap();
        assert_eq!(t.slot("yield", &Scope::Global), Some(0));
        assert_eq!(t.slot("YiElD", &Scope::Global), Some(0));
        assert_eq!(t.name_of(1), Some(("net", &Scope::Global)));
        assert_eq!(t.evaluated_values().unwrap(), vec![0.5, 1.0]);
        let e = ParameterTable::new(&[g("A", 1.0), g("a", 2.0)], &OLCA).unwrap_err();
        assert_eq!(e.code(), "DUPLICATE_PARAMETER");
        assert!(ParameterTable::new(&[g("A", 1.0), g("a", 2.0)], &PY).is_ok());
    }

    #[test]
    fn parameter_errors() {
        // PARAMETER_CYCLE, names in order
        let e = ParameterTable::new(
            &[
                g("x", 1.0),
                gf("a", "b + x"),
                gf("b", "c * 2"),
                gf("c", "a"),
            ],
            &PY,
        )
        .unwrap_err();
        assert_eq!(e.code(), "PARAMETER_CYCLE");
        assert_eq!(
            e.to_string(),
            "parameters depend on each other in a cycle: a -> b -> c -> a; give one of them a value"
        );
        let e = ParameterTable::new(
            &[ParameterDef::formula("a", p("p1"), "a * 2"), g("a", 1.0)],
            &PY,
        )
        .unwrap_err();
        assert_eq!(
            e,
            FormulaError::ParameterCycle {
                cycle: "a (process 'p1') -> a (process 'p1')".into()
            }
        );
        // DUPLICATE_PARAMETER
        let e = ParameterTable::new(
            &[
                g("a", 1.0),
                ParameterDef::value("a", p("p"), 2.0),
                ParameterDef::value("a", p("p"), 3.0),
            ],
            &PY,
        )
        .unwrap_err();
        assert_eq!(e.code(), "DUPLICATE_PARAMETER");
        assert_eq!(
            e.to_string(),
            "parameter 'a' is defined twice in process 'p'; names must be unique within a scope"
        );
        // MISSING_VALUE
        let none = ParameterDef {
            name: "a".into(),
            scope: Scope::Global,
            value: None,
            formula: None,
        };
        let e = ParameterTable::new(&[none], &PY).unwrap_err();
        assert_eq!(e.code(), "MISSING_VALUE");
        assert_eq!(e.to_string(), "parameter 'a' in global: neither value nor formula; give exactly one of a finite value or a formula");
        let both = ParameterDef {
            name: "a".into(),
            scope: Scope::Global,
            value: Some(1.0),
            formula: Some("2".into()),
        };
        assert_eq!(ParameterTable::new(&[both], &PY).unwrap_err().to_string(), "parameter 'a' in global: both value and formula; give exactly one of a finite value or a formula");
        let e = ParameterTable::new(&[g("a", f64::INFINITY)], &PY).unwrap_err();
        assert_eq!(e.code(), "MISSING_VALUE");
        assert!(e.to_string().contains("value inf"));
        // UNKNOWN_PARAMETER with similar names, wrapped with the parameter
        let defs = [
            g("electricity_kwh", 1.0),
            g("electricity_mj", 3.6),
            g("steel", 2.0),
            gf("total", "electricity_kWh * 2"),
        ];
        let e = ParameterTable::new(&defs, &PY).unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_PARAMETER");
        assert_eq!(
            e.to_string(),
            "parameter 'total' in global: formula 'electricity_kWh * 2': unknown parameter 'electricity_kWh' in global; similar known names: electricity_kwh, electricity_mj"
        );
        let t = ParameterTable::new(&defs[..3], &PY).unwrap();
        let e = t.compile("steell + 1", &p("p9")).unwrap_err();
        assert_eq!(
            e,
            FormulaError::UnknownParameter {
                name: "steell".into(),
                formula: "steell + 1".into(),
                scope: "process 'p9'".into(),
                similar: "steel".into()
            }
        );
        // FORMULA_SYNTAX in a parameter
        let e = ParameterTable::new(&[gf("a", "1 +")], &PY).unwrap_err();
        assert_eq!(e.code(), "FORMULA_SYNTAX");
        assert!(e
            .to_string()
            .starts_with("parameter 'a' in global: formula '1 +': syntax error at position 3"));
        // FORMULA_EVALUATION in a parameter
        let t = ParameterTable::new(&[g("a", 0.0), gf("b", "1 / a")], &PY).unwrap();
        let e = t.evaluated_values().unwrap_err();
        assert_eq!(e.code(), "FORMULA_EVALUATION");
        assert_eq!(
            e.to_string(),
            "parameter 'b' in global: formula '1 / a': division by zero in 1 / 0"
        );
        // VALUE_COUNT
        let mut short = vec![0.0];
        assert_eq!(t.evaluate(&mut short).unwrap_err().code(), "VALUE_COUNT");
    }

    #[test]
    fn error_codes() {
        let codes = [
            (
                FormulaError::Syntax {
                    formula: String::new(),
                    position: 0,
                    expected: String::new(),
                    found: String::new(),
                },
                "FORMULA_SYNTAX",
            ),
            (
                FormulaError::UnknownParameter {
                    name: String::new(),
                    formula: String::new(),
                    scope: String::new(),
                    similar: String::new(),
                },
                "UNKNOWN_PARAMETER",
            ),
            (
                FormulaError::ParameterCycle {
                    cycle: String::new(),
                },
                "PARAMETER_CYCLE",
            ),
            (
                FormulaError::DuplicateParameter {
                    name: String::new(),
                    scope: String::new(),
                },
                "DUPLICATE_PARAMETER",
            ),
            (
                FormulaError::MissingValue {
                    name: String::new(),
                    scope: String::new(),
                    problem: String::new(),
                },
                "MISSING_VALUE",
            ),
            (
                FormulaError::Evaluation {
                    formula: String::new(),
                    operation: String::new(),
                },
                "FORMULA_EVALUATION",
            ),
            (
                FormulaError::ValueCount {
                    expected: 1,
                    found: 0,
                },
                "VALUE_COUNT",
            ),
        ];
        for (e, code) in codes {
            assert_eq!(e.code(), code);
        }
    }

    #[test]
    fn long_formulas_are_clipped_in_messages() {
        let src = format!("{} + 1 / x", vec!["a"; 200].join(" * "));
        let e = err(&src);
        let FormulaError::Evaluation { formula, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(formula.chars().count(), 103);
        let src = format!("{} + $", vec!["a"; 200].join(" * "));
        let FormulaError::Syntax {
            formula, position, ..
        } = Formula::parse(&src, &PY).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(position, src.len() - 1);
        assert!(
            formula.starts_with("...") && formula.ends_with("+ $"),
            "{formula}"
        );
    }

    #[test]
    fn serde_round_trip() {
        let defs = vec![g("a", 1.5), ParameterDef::formula("b", p("p1"), "a * 2")];
        let json = serde_json::to_string(&defs).unwrap();
        assert_eq!(
            json,
            r#"[{"name":"a","scope":"global","value":1.5},{"name":"b","scope":{"process":"p1"},"formula":"a * 2"}]"#
        );
        let back: Vec<ParameterDef> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, defs);
        let minimal: ParameterDef = serde_json::from_str(r#"{"name":"c","value":2}"#).unwrap();
        assert_eq!(minimal, g("c", 2.0));
        let opts: ParseOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(opts, ParseOptions::default());
    }

    // ----- property tests

    #[derive(Debug, Clone)]
    enum T {
        Lit(i64),
        Add(Box<T>, Box<T>),
        Sub(Box<T>, Box<T>),
        Mul(Box<T>, Box<T>),
        Neg(Box<T>),
    }

    fn tree() -> impl Strategy<Value = T> {
        let leaf = (-30i64..30).prop_map(T::Lit);
        leaf.prop_recursive(6, 64, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| T::Add(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| T::Sub(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| T::Mul(Box::new(a), Box::new(b))),
                inner.prop_map(|a| T::Neg(Box::new(a))),
            ]
        })
    }

    /// Independent exact evaluation in i128; None beyond 2^50 (where f64 stops being exact).
    fn exact(t: &T) -> Option<i128> {
        let r = match t {
            T::Lit(x) => i128::from(*x),
            T::Add(a, b) => exact(a)?.checked_add(exact(b)?)?,
            T::Sub(a, b) => exact(a)?.checked_sub(exact(b)?)?,
            T::Mul(a, b) => exact(a)?.checked_mul(exact(b)?)?,
            T::Neg(a) => -exact(a)?,
        };
        (r.abs() < 1 << 50).then_some(r)
    }

    /// Prints with the fewest parentheses the precedence rules allow (1: + -, 2: *, 3: unary).
    fn show(t: &T, sp: &str) -> (String, u8) {
        let bin = |a: &T, b: &T, op: &str, prec: u8| {
            let (sa, pa) = show(a, sp);
            let (sb, pb) = show(b, sp);
            let sa = if pa < prec { format!("({sa})") } else { sa };
            let sb = if pb <= prec { format!("({sb})") } else { sb };
            (format!("{sa}{sp}{op}{sp}{sb}"), prec)
        };
        match t {
            T::Lit(x) => (x.to_string(), if *x < 0 { 3 } else { 4 }),
            T::Add(a, b) => bin(a, b, "+", 1),
            T::Sub(a, b) => bin(a, b, "-", 1),
            T::Mul(a, b) => bin(a, b, "*", 2),
            T::Neg(a) => {
                let (s, pa) = show(a, sp);
                if pa < 3 {
                    (format!("-({s})"), 3)
                } else {
                    (format!("- {s}"), 3)
                }
            }
        }
    }

    /// Random formula text from the whole grammar (may be invalid; then it must not panic).
    fn text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("a".to_string()),
            Just("b".to_string()),
            Just("c".to_string()),
            Just("pi".to_string()),
            Just("e".to_string()),
            Just("2".to_string()),
            Just("0.5".to_string()),
            Just(".25".to_string()),
            Just("1e-2".to_string()),
            Just("3.5E+1".to_string()),
        ];
        leaf.prop_recursive(5, 48, 3, |inner| {
            let ops = prop::sample::select(vec![
                "+", "-", "*", "/", "%", "**", "^", "<", "<=", ">", ">=", "==", "=", "!=", "<>",
                "and", "or", "&&", "||",
            ]);
            let fns = prop::sample::select(vec![
                "abs", "sqrt", "sqr", "exp", "ln", "log", "log10", "round", "floor", "ceil", "sin",
                "cos", "tan",
            ]);
            prop_oneof![
                (inner.clone(), ops, inner.clone()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
                inner.clone().prop_map(|a| format!("({a})")),
                inner.clone().prop_map(|a| format!("-{a}")),
                inner.clone().prop_map(|a| format!("(not {a})")),
                (fns, inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(a, b, c)| format!("if({a}; {b}; {c})")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(a, b, c)| format!("({a} if {b} else {c})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("max({a}, {b}, 1)")),
                (inner.clone(), inner).prop_map(|(a, b)| format!("log({a}, {b})")),
            ]
        })
    }

    /// Test-only reference semantics: a direct recursive evaluation of the parsed tree
    /// (None where the machine must report an error).
    fn reference(n: &Node, names: &[String], vals: &HashMap<&str, f64>) -> Option<f64> {
        let r = |x: &Node| reference(x, names, vals);
        let ok = |x: f64| x.is_finite().then_some(x);
        let t = |b: bool| if b { 1.0 } else { 0.0 };
        match n {
            Node::Num(x) => Some(*x),
            Node::Var(i) => {
                let name = names[*i].as_str();
                vals.get(name).copied().or(constant(name))
            }
            Node::Neg(a) => Some(-r(a)?),
            Node::Not(a) => Some(t(r(a)? == 0.0)),
            Node::And(a, b) => Some(if r(a)? == 0.0 { 0.0 } else { t(r(b)? != 0.0) }),
            Node::Or(a, b) => Some(if r(a)? != 0.0 { 1.0 } else { t(r(b)? != 0.0) }),
            Node::If(c, a, b) => {
                if r(c)? != 0.0 {
                    r(a)
                } else {
                    r(b)
                }
            }
            Node::MinMax(is_max, xs) => {
                let v: Option<Vec<f64>> = xs.iter().map(r).collect();
                let v = v?;
                Some(if *is_max {
                    v.iter().cloned().fold(f64::MIN, f64::max)
                } else {
                    v.iter().cloned().fold(f64::MAX, f64::min)
                })
            }
            Node::F1(f, a) => {
                let x = r(a)?;
                match f {
                    F1::Sqrt if x < 0.0 => None,
                    F1::Ln | F1::Log10 if x <= 0.0 => None,
                    F1::Abs => Some(x.abs()),
                    F1::Sqrt => Some(libm::sqrt(x)),
                    F1::Sqr => ok(x * x),
                    F1::Exp => ok(libm::exp(x)),
                    F1::Ln => Some(libm::log(x)),
                    F1::Log10 => Some(libm::log10(x)),
                    F1::Round => Some(libm::round(x)),
                    F1::Floor => Some(libm::floor(x)),
                    F1::Ceil => Some(libm::ceil(x)),
                    F1::Sin => Some(libm::sin(x)),
                    F1::Cos => Some(libm::cos(x)),
                    F1::Tan => Some(libm::tan(x)),
                }
            }
            Node::F2(F2::Log, a, b) => {
                let (x, y) = (r(a)?, r(b)?);
                if x <= 0.0 || y <= 0.0 || y == 1.0 {
                    None
                } else {
                    ok(libm::log(x) / libm::log(y))
                }
            }
            Node::F2(F2::Pow, a, b) | Node::Bin(Bin::Pow, a, b) => ok(libm::pow(r(a)?, r(b)?)),
            Node::Bin(op, a, b) => {
                let (x, y) = (r(a)?, r(b)?);
                match op {
                    Bin::Add => ok(x + y),
                    Bin::Sub => ok(x - y),
                    Bin::Mul => ok(x * y),
                    Bin::Div if y == 0.0 => None,
                    Bin::Div => ok(x / y),
                    Bin::Mod if y == 0.0 => None,
                    Bin::Mod => ok(py_mod(x, y)), // CPython float_rem, checked against Python above
                    Bin::Lt => Some(t(x < y)),
                    Bin::Le => Some(t(x <= y)),
                    Bin::Gt => Some(t(x > y)),
                    Bin::Ge => Some(t(x >= y)),
                    Bin::Eq => Some(t(x == y)),
                    Bin::Ne => Some(t(x != y)),
                    Bin::Pow => None,
                }
            }
        }
    }

    proptest! {
        #[test]
        fn integer_expressions_match_exact_arithmetic(t in tree(), spaced in any::<bool>()) {
            let Some(want) = exact(&t) else { return Ok(()) };
            let (src, _) = show(&t, if spaced { " " } else { "" });
            let f = Formula::parse(&src, &PY).unwrap();
            let got = f.bind(&|_| None).unwrap().eval(&[]).unwrap();
            prop_assert_eq!(got, want as f64, "{}", src);
        }

        #[test]
        fn canonical_reparses_to_the_same_tree(src in text()) {
            if let Ok(f) = Formula::parse(&src, &PY) {
                let c = f.canonical();
                let g = Formula::parse(&c, &PY).unwrap();
                prop_assert_eq!(&g.root, &f.root, "{} -> {}", src, c);
                prop_assert_eq!(g.variables(), f.variables());
                let slot = |n: &str| match n { "a" => Some(0), "b" => Some(1), "c" => Some(2), _ => None };
                let v = [0.75, -2.5, 4.0];
                let r1 = f.bind(&slot).unwrap().eval(&v);
                let r2 = g.bind(&slot).unwrap().eval(&v);
                prop_assert_eq!(r1.clone().map_err(|e| e.code()), r2.map_err(|e| e.code()));
                // the compiled program agrees with a direct evaluation of the tree
                let vals = HashMap::from([("a", 0.75), ("b", -2.5), ("c", 4.0)]);
                let want = reference(&f.root, &f.names, &vals);
                prop_assert_eq!(r1.ok(), want, "{}", src);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(src in "[a-z0-9 ()+*/%^<>=!&|;,.eE_-]{0,60}") {
            if let Ok(f) = Formula::parse(&src, &OLCA) {
                let b = f.bind(&|_| Some(0));
                if let Ok(b) = b {
                    let r = b.eval(&[0.5]);
                    if let Ok(x) = r { prop_assert!(x.is_finite()); }
                }
            }
        }
    }
}
