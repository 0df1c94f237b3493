"""Parse SurveyJS `visibleIf` and XLSForm `relevant` expressions into a small condition tree.

Only the forms a repp condition can express are read: a question compared with a value, "is
answered", "includes", and those joined with and / or / not. Anything else (arithmetic, functions,
two questions compared) raises `ExpressionError` saying what, so the converter can drop the
condition with a warning instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

#: A constant in an expression; None is SurveyJS's `null` / `undefined`.
Constant: TypeAlias = str | int | float | bool | None

#: Nesting deeper than this is not a hand-written condition; refuse it rather than recurse.
MAX_DEPTH = 40


class ExpressionError(ValueError):
    """An expression repp cannot represent; the message says why, in words for the author."""


@dataclass(frozen=True)
class Compare:
    """A question compared with a value.

    `op` is one of eq, ne, lt, le, gt, ge, anyof, allof, noneof, contains, notcontains, selected,
    empty, notempty, truthy (the question alone, as in SurveyJS `{consent}`).
    """

    name: str
    op: str
    value: Constant | tuple[Constant, ...] = None


@dataclass(frozen=True)
class Junction:
    """All (`op="all"`) or any (`op="any"`) of two or more conditions."""

    op: str
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Negation:
    inner: Expr


Expr: TypeAlias = Compare | Junction | Negation


@dataclass(frozen=True)
class _Var:
    name: str


@dataclass(frozen=True)
class _Const:
    value: Constant


@dataclass(frozen=True)
class _List:
    values: tuple[Constant, ...]


_Operand: TypeAlias = _Var | _Const | _List
_Node: TypeAlias = Expr | _Operand


@dataclass(frozen=True)
class _Token:
    kind: str  # var, str, num, op, word, end
    text: str


_SWAPPED = {"eq": "eq", "ne": "ne", "lt": "gt", "gt": "lt", "le": "ge", "ge": "le"}


def _tokens(text: str, pattern: re.Pattern[str], dialect: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = pattern.match(text, pos)
        if match is None:
            if text[pos] in "'\"":
                raise ExpressionError("a quoted text is not closed")
            raise ExpressionError(f"unexpected {text[pos]!r} in the {dialect} expression")
        pos = match.end()
        kind = match.lastgroup
        if kind is None or kind == "space":
            continue
        out.append(_Token(kind, match.group(kind)))
    out.append(_Token("end", ""))
    return out


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


class _Parser:
    """Recursive descent over tokens; the two dialects differ in operators and functions."""

    dialect = ""
    bare_is = "truthy"

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.pos += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            found = "the end" if token.kind == "end" else repr(token.text)
            raise ExpressionError(f"expected {text!r}, found {found}")

    def word(self, token: _Token) -> str | None:
        return token.text.lower() if token.kind == "word" else None

    def parse(self) -> Expr:
        expr = self.condition(self.disjunction())
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.text!r}")
        return expr

    def is_or(self, token: _Token) -> bool:
        return self.word(token) == "or"

    def is_and(self, token: _Token) -> bool:
        return self.word(token) == "and"

    def disjunction(self) -> _Node:
        parts = [self.conjunction()]
        while self.is_or(self.peek()):
            self.take()
            parts.append(self.conjunction())
        if len(parts) == 1:
            return parts[0]
        return Junction("any", tuple(self.condition(p) for p in parts))

    def conjunction(self) -> _Node:
        parts = [self.comparison()]
        while self.is_and(self.peek()):
            self.take()
            parts.append(self.comparison())
        if len(parts) == 1:
            return parts[0]
        return Junction("all", tuple(self.condition(p) for p in parts))

    def comparison(self) -> _Node:
        left = self.factor()
        op = self.operator(self.peek())
        if op is None:
            token = self.peek()
            if token.kind == "op" and token.text not in (")", ","):
                raise ExpressionError(f"the operator {token.text!r} is not supported")
            return left
        self.take()
        right = self.factor()
        return self.compare(left, op, right)

    def operator(self, token: _Token) -> str | None:
        raise NotImplementedError

    def factor(self) -> _Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("the expression is nested too deeply")
        try:
            return self.factor_core()
        finally:
            self.depth -= 1

    def factor_core(self) -> _Node:
        raise NotImplementedError

    def group(self) -> _Node:
        inner = self.disjunction()
        self.expect(")")
        return inner

    def constant(self, token: _Token) -> _Const | None:
        if token.kind == "str":
            return _Const(_unquote(token.text))
        if token.kind == "num":
            return _Const(_number(token.text))
        if token.kind == "op" and token.text == "-" and self.peek().kind == "num":
            return _Const(-_number(self.take().text))
        return None

    def condition(self, node: _Node) -> Expr:
        """Read an operand where a condition is expected (a question alone, in SurveyJS)."""
        if isinstance(node, _Var):
            return Compare(node.name, self.bare_is)
        if isinstance(node, _Const | _List):
            raise ExpressionError("a constant on its own is not a condition")
        return node

    def compare(self, left: _Node, op: str, right: _Node) -> Expr:
        if isinstance(left, _Const) and isinstance(right, _Var) and op in _SWAPPED:
            left, right, op = right, left, _SWAPPED[op]
        if not isinstance(left, _Var):
            raise ExpressionError("only a question can be compared with a value")
        if isinstance(right, _Var):
            raise ExpressionError("repp conditions cannot compare two questions")
        if isinstance(right, _List):
            if op not in ("anyof", "allof", "noneof"):
                raise ExpressionError("a list is compared with a single value")
            return Compare(left.name, op, right.values)
        if isinstance(right, _Const):
            return Compare(left.name, op, right.value)
        raise ExpressionError("only a question can be compared with a value")


# -- SurveyJS ---------------------------------------------------------------------------------

_SURVEYJS_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<var>\{[^{}]*\})
    |(?P<str>'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")
    |(?P<num>\d+(?:\.\d+)?)
    |(?P<op>==|!=|<>|<=|>=|&&|\|\||\*=|[=<>!()\[\],&|+\-*/%^])
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)""",
    re.VERBOSE,
)

_SURVEYJS_OPERATORS = {
    "=": "eq",
    "==": "eq",
    "equal": "eq",
    "!=": "ne",
    "<>": "ne",
    "notequal": "ne",
    "<": "lt",
    "less": "lt",
    "<=": "le",
    "lessorequal": "le",
    ">": "gt",
    "greater": "gt",
    ">=": "ge",
    "greaterorequal": "ge",
    "*=": "contains",
    "contains": "contains",
    "contain": "contains",
    "notcontains": "notcontains",
    "notcontain": "notcontains",
    "anyof": "anyof",
    "allof": "allof",
    "noneof": "noneof",
}

_SURVEYJS_KEYWORDS = {
    *(w for w in _SURVEYJS_OPERATORS if w.isalpha()),
    "and",
    "or",
    "not",
    "negate",
    "empty",
    "notempty",
    "true",
    "false",
    "null",
    "undefined",
}


class _SurveyJSParser(_Parser):
    dialect = "SurveyJS"
    bare_is = "truthy"

    def is_or(self, token: _Token) -> bool:
        return token.text in ("||", "|") or super().is_or(token)

    def is_and(self, token: _Token) -> bool:
        return token.text in ("&&", "&") or super().is_and(token)

    def operator(self, token: _Token) -> str | None:
        if token.kind == "op":
            return _SURVEYJS_OPERATORS.get(token.text)
        word = self.word(token)
        return _SURVEYJS_OPERATORS.get(word) if word else None

    def factor_core(self) -> _Node:
        token = self.take()
        word = self.word(token)
        if token.text == "(":
            return self.group()
        if token.text == "!" or word in ("not", "negate"):
            return Negation(self.condition(self.factor()))
        if token.text == "[":
            return self.array()
        if token.kind == "var":
            name = token.text[1:-1].strip()
            if not name:
                raise ExpressionError("an empty {} names no question")
            after = self.word(self.peek())
            if after in ("empty", "notempty"):
                self.take()
                return Compare(name, after)
            return _Var(name)
        constant = self.constant(token)
        if constant is not None:
            return constant
        if word in ("true", "false"):
            return _Const(word == "true")
        if word in ("null", "undefined"):
            return _Const(None)
        if word is not None and self.peek().text == "(":
            raise ExpressionError(f"the function {token.text}() is not supported")
        if word is not None and word not in _SURVEYJS_KEYWORDS:
            return _Const(token.text)  # SurveyJS reads a bare word as text: {q} = yes
        found = "the end" if token.kind == "end" else repr(token.text)
        raise ExpressionError(f"unexpected {found}")

    def array(self) -> _List:
        values: list[Constant] = []
        while self.peek().text != "]":
            item = self.factor()
            if not isinstance(item, _Const):
                raise ExpressionError("a list may only hold constant values")
            values.append(item.value)
            if self.peek().text == ",":
                self.take()
            elif self.peek().text != "]":
                raise ExpressionError("expected ',' or ']' in a list")
        self.take()
        return _List(tuple(values))


def parse_surveyjs(text: str) -> Expr:
    """Parse a SurveyJS condition such as `{q1} = 'yes' and {q2} notempty`."""
    return _SurveyJSParser(_tokens(text, _SURVEYJS_TOKEN, "SurveyJS")).parse()


# -- XLSForm ----------------------------------------------------------------------------------

_XLSFORM_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<var>\$\{[^{}]*\})
    |(?P<str>'[^']*'|"[^"]*")
    |(?P<num>\d+(?:\.\d+)?)
    |(?P<op>!=|<=|>=|[=<>(),+\-*|.])
    |(?P<word>[A-Za-z_][A-Za-z0-9_:.-]*)""",
    re.VERBOSE,
)

_XLSFORM_OPERATORS = {"=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


class _XLSFormParser(_Parser):
    dialect = "XLSForm"
    bare_is = "notempty"  # in XPath a field on its own is true when it holds any answer

    def operator(self, token: _Token) -> str | None:
        return _XLSFORM_OPERATORS.get(token.text) if token.kind == "op" else None

    def factor_core(self) -> _Node:
        token = self.take()
        word = self.word(token)
        if token.text == "(":
            return self.group()
        if token.kind == "var":
            name = token.text[2:-1].strip()
            if not name:
                raise ExpressionError("an empty ${} names no question")
            return _Var(name)
        constant = self.constant(token)
        if constant is not None:
            return constant
        if word is not None and self.peek().text == "(":
            self.take()
            return self.function(word, token.text)
        if token.text == ".":
            raise ExpressionError("'.' (the current question) is not supported here")
        found = "the end" if token.kind == "end" else repr(token.text)
        raise ExpressionError(f"unexpected {found}")

    def function(self, word: str, text: str) -> _Node:
        if word == "not":
            inner = self.condition(self.disjunction())
            self.expect(")")
            return Negation(inner)
        if word == "selected":
            field = self.factor()
            self.expect(",")
            value = self.factor()
            self.expect(")")
            if not isinstance(field, _Var) or not isinstance(value, _Const):
                raise ExpressionError("selected() takes a question and a value")
            return Compare(field.name, "selected", value.value)
        if word in ("true", "false"):
            self.expect(")")
            return _Const(word == "true")
        raise ExpressionError(f"the function {text}() is not supported")


def parse_xlsform(text: str) -> Expr:
    """Parse an XLSForm `relevant` such as `${q1} = 'yes' and selected(${q2}, 'b')`."""
    return _XLSFormParser(_tokens(text, _XLSFORM_TOKEN, "XLSForm")).parse()
