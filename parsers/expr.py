"""A small, safe evaluator for the arithmetic printed in reports: `（181.07/181.19）×100%`,
`[（17-22.50）/22.50]×100%`. Numbers, + - × ÷ (and ASCII forms), brackets of every printed
kind, and `%` (divides by 100, so `×100%` keeps a rate as a fraction). Never ``eval``."""
from __future__ import annotations

import regex

_TOKEN = regex.compile(r"\s*(?:(?P<num>\d[\d,]*(?:\.\d+)?)|(?P<op>[-+*/%()]))")
# Printed symbols -> ASCII.
_SYMBOLS = str.maketrans({"×": "*", "x": "*", "X": "*", "·": "*", "÷": "/", "−": "-", "—": "-", "－": "-",
                          "＋": "+", "（": "(", "）": ")", "[": "(", "]": ")", "【": "(", "】": ")",
                          "{": "(", "}": ")", "％": "%", "／": "/", "＊": "*"})


class ExprError(ValueError):
    """The text is not arithmetic this evaluator reads."""


def normalize(text: str) -> str:
    """ASCII form of a printed expression (`（17-22.50）/22.50]×100%` -> `(17-22.50)/22.50)*100%`)."""
    return "".join(text.translate(_SYMBOLS).split())


DOUBLED_MINUS = "--"   # `(17--22.50)`: a dash printed twice or a minus of a minus; not to be guessed


def tokenize(text: str) -> list[str]:
    text, tokens, pos = normalize(text), [], 0
    if DOUBLED_MINUS in text:
        raise ExprError(f"a doubled minus in {text!r} reads two ways")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ExprError(f"unexpected {text[pos]!r} in {text!r}")
        tokens.append(m["num"].replace(",", "") if m["num"] else m["op"])
        pos = m.end()
    return tokens


def evaluate(text: str) -> float:
    """Value of a printed expression; juxtaposed factors multiply (`]100%`)."""
    parser = _Parser(tokenize(text))
    value = parser.expression()
    if parser.peek() is not None:
        raise ExprError(f"unexpected {parser.peek()!r} in {text!r}")
    return value


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens, self.pos = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise ExprError("expression ends too early")
        self.pos += 1
        return token

    def expression(self) -> float:
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self) -> float:
        value = self.factor()
        while self.peek() in ("*", "/") or self._starts_factor():
            op = self.take() if self.peek() in ("*", "/") else "*"
            right = self.factor()
            if op == "/" and right == 0:
                raise ExprError("division by zero")
            value = value * right if op == "*" else value / right
        return value

    def _starts_factor(self) -> bool:
        token = self.peek()
        return token is not None and (token == "(" or token[0].isdigit())

    def factor(self) -> float:
        if self.peek() in ("-", "+"):
            return -self.factor() if self.take() == "-" else self.factor()
        value = self.primary()
        while self.peek() == "%":
            self.take()
            value /= 100
        return value

    def primary(self) -> float:
        token = self.take()
        if token == "(":
            value = self.expression()
            if self.take() != ")":
                raise ExprError("unbalanced brackets")
            return value
        if token[0].isdigit():
            return float(token)
        raise ExprError(f"unexpected {token!r}")
