/**
 * The message catalogue: every diagnostic Weft can print, with a stable code.
 * Codes are banded by phase (1xxx syntax, 2xxx names, 3xxx types and values,
 * 4xxx structure of statements, 5xxx options, variants and the command line)
 * so that tests and tools match on the code, never on the wording.
 * `{0}`, `{1}`... are filled in by `diag()` in diagnostic.ts.
 */
export const messages = {
  // ---- 1xxx syntax ----
  W1001: 'syntax error: expected {0}',
  W1002: 'syntax error: unterminated comment',
  W1003: 'syntax error: unterminated string',
  W1004: 'number {0} is too large',
  W1005: 'the text holds a NUL character',
  W1006: 'the file is too large: {0} characters (limit {1})',
  W1007: 'nesting too deep (limit {0} levels)',
  W1008: 'the model is too large: more than {0} tokens',

  // ---- 2xxx names ----
  W2001: "unknown name '{0}'",
  W2002: "'{0}' is declared twice",
  W2003: "unknown type '{0}'",
  W2004: "unknown function '{0}'",
  W2005: "'{0}' has no field '{1}'",
  W2006: "unknown property '{0}'",
  W2007: "unknown variant '{0}'",
  W2008: "'self' is only defined inside an actor array (actor NAME[N])",
  W2009: "unknown option '{0}'",
  W2010: "label '{0}' is used twice in '{1}'",
  W2011: "enum member '{0}' is declared twice",
  W2012: "'{0}' is not a value here ({1})",

  // ---- 3xxx types and values ----
  W3001: 'type mismatch: expected {0}, found {1}',
  W3002: "operator '{0}' cannot be applied to {1}",
  W3003: 'empty range {0}..{1}: the lower bound is above the upper bound',
  W3004: 'value {0} is outside {1}',
  W3005: 'expected a constant expression: {0}',
  W3006: 'array size must be at least 1, found {0}',
  W3007: '{0} is not a lock: {1}',
  W3008: "'{0}' needs a {1}, but '{2}' is a {3}",
  W3009: 'cannot assign to {0}',
  W3010: 'cannot index {0}',
  W3011: '{0} has no fields',
  W3012: "wrong number of arguments to '{0}': expected {1}, found {2}",
  W3013: "field '{0}' is given twice",
  W3014: 'a value of {0} cannot be compared or copied as a whole; name its fields',
  W3015: 'division by zero',
  W3016: 'array literal has {0} elements, the type has {1}',
  W3017: 'the state is too large: {0}',
  W3018: 'arithmetic overflow in a constant expression: {0} is beyond ±(2^53-1)',
  W3019: "argument {0} to '{1}' is outside the type of its parameter '{2}'",
  W3020: 'the Promela export cannot represent {0}: {1}',
  W3023: '{0} is too large: {1} values (limit {2})',
  W3024: 'too many actor instances: {0} (limit {1})',
  W3025: 'pick over {0} values (limit {1}): each one is a successor state',
  W3026: 'quantifier over {0} values (limit {1})',
  W3030: "'{0}' is not an actor",
  W3031: "actor '{0}' has no {1} '{2}'",
  W3032: 'wrong instance: {0}',
  W3033: "'{0}' reads an actor instance, which only properties (invariants, reachable targets, liveness) may do: {1}",
  W3034: "'{0}' is a local of actor '{1}': name it {2}",
  W3040: "'~>' (leads to) is only allowed as the whole of a liveness property",
  W3041: "unknown fairness '{0}': say none, weak or strong",
  W3044: "fairness '{0}' is {1} in this variant, not none, weak or strong",

  // ---- 4xxx structure ----
  W4001: "'break' outside a loop",
  W4002: "this statement can block inside an atomic block: only the first statement of 'atomic {}' may wait ({0})",
  W4003: "recursive call: {0}",
  W4004: "{0} is not allowed inside 'atomic {}': an atomic block is one step, it cannot loop or break out",
  W4005: "declare locals at the top of an actor body: a 'var' sets part of the initial state",
  W4006: "an argument to '{0}' reads shared state ({1}); a call takes no step of its own, so copy it into a local first",
  W4007: "'{0}' is not allowed in a property: {1}",
  W4008: "expect names variant '{0}', which is not declared",
  W4009: "'{0}' expects {1}, but '{2}' is {3}",
  W4010: 'the model declares no actor',
  W4011: "variant '{0}' sets option '{1}' twice",
  W4012: "an argument to '{0}' is passed by reference and must be a place, not {1}",
  W4013: "calls nest too deep at this call to '{0}' (limit {1} levels)",
  W4014: 'more than {1} statements once calls are inlined, {0}',
  W4015: 'this atomic block has more than {0} paths (its choose branches and pick values multiply)',

  // ---- 5xxx options, variants, command line ----
  W5001: "unknown option '{0}' (declared options: {1})",
  W5002: "bad value for option '{0}': {1}",
  W5003: "unknown variant '{0}' (declared variants: {1})",
  W5004: '{0}',
  W5005: 'cannot read {0}: {1}',
  W5006: 'cannot write {0}: {1}',
  W5007: "option '{0}' is set twice with -D ({1}, then {2}): set it once",
  W5008: 'an empty variant name: --variant takes one of {0}',
  W5009: "-D takes option=value, found '{0}'",
  W5010: 'cannot remove {0}: {1}',
} as const;

export type Code = keyof typeof messages;
