"""A certificate for results that tests build by hand (cards, reports, pickling, runner):
a valid record whose one entry is 1 = 1, for the verdict the result states."""

import sympy as sp

from symconv.routes.verdicts import entry, record


def stub(verdict, statement: str = "s"):
    return record(statement, verdict, "a test fixture", [entry("equal", what="1 = 1", a=sp.Integer(1), b=sp.Integer(1))])
