"""Tampered certificates: each mutant changes one thing a certificate rests on.

Five kinds of change, as the checker must reject each (one mutant of each kind that the
certificate has, deterministically):

* ``coefficient`` — one integer or rational of an expression tree, plus one (not the
  witness's point or a parameter's value: those are points);
* ``function`` — one function: a name in the claim, a transform atom, a witness function
  (on ℤⁿ and ℤ/n one of its values, on ℝⁿ one of its products) or a map component scaled
  by 2, one value of a sequence;
* ``point`` — one point: a δ's point or a shift, the witness's point or a parameter value
  (moved by 7/13, not by a round number: moving the point of an even witness to its mirror
  image leaves a true counterexample, which the checker rightly accepts), the point of a
  record's entry, an index;
* ``rule`` — one rule: a derivation step's rule (replaced by one that cannot make that
  step — sifting where the step has no δ, Fubini where it has no integral —, since some
  steps are made alike by two rules: folding the definition of dᵏA/dxᵏ at a point and the
  chain rule with an inner map y ↦ y, so that swapping those leaves a valid derivation),
  an operation (* for ⋆), a record entry's check;
* ``side condition`` — one side condition dropped, changed or added (a certificate kind
  without side conditions gets the field, which its schema does not have).
"""

from __future__ import annotations

import copy
import json

__all__ = ["mutants", "KINDS"]

KINDS = ("coefficient", "function", "point", "rule", "side condition")
_RULES = ("unfold", "fold", "substitute", "reverse_limits", "linearity", "fubini", "leibniz", "chain_rule", "sift")


def _paths(tree, where=()):
    """(path, node) for every list node of a JSON tree (and its dicts' values)."""
    if isinstance(tree, list):
        yield where, tree
        for i, v in enumerate(tree):
            yield from _paths(v, where + (i,))
    elif isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, where + (k,))


def _get(data, path):
    for p in path:
        data = data[p]
    return data


def _pick(items):
    """One item, from the middle (deterministic)."""
    return items[len(items) // 2] if items else None


def _bump(node):
    """A number node plus one."""
    if node[0] == "int":
        node[1] = str(int(node[1]) + 1)
    else:
        node[1] = str(int(node[1]) + int(node[2]))


def _numbers(data, *fields):
    return [p for f in fields if f in data for p, n in _paths(data[f], (f,))
            if n and n[0] in ("int", "rat") and len(n) in (2, 3)]


def _coefficient(d):
    fields = [k for k in d if k not in ("format", "version", "kind", "verdict", "statement")]
    # the witness's point and parameters are points (see ``_point``): moved, they may well give
    # another true counterexample (a stride of 3 breaks a wrong adjoint as a stride of 2 does,
    # and 𝓕(f·g) for f = g = δ is the same at every k)
    path = _pick([p for p in _numbers(d, *fields) if p[:2] not in (("witness", "parameters"), ("witness", "at"))])
    if path is None:
        return None
    _bump(_get(d, path))
    return d


def _function(d):
    kind = d["kind"]
    if kind == "fourier":
        names = [p for p, n in _paths(d["claim"], ("claim",)) if n[:2] == ["op", "fn"]]
        if names:
            node = _get(d, _pick(names))
            node[2] = node[2] + "2"
            return d
        deltas = [p for p, n in _paths(d["claim"], ("claim",)) if n[:2] == ["op", "delta"]]
        if not deltas:
            return None
        node = _get(d, _pick(deltas))  # a δ made a function: δ(a) ↦ f
        node[:] = ["op", "fn", "f"]
        return d
    if kind in ("counterexample", "definition"):
        functions = d["witness"]["functions"] if kind == "counterexample" else d["functions"]
        if not functions:  # δs only: the test function is the only function
            phi = d["witness"]["test_function"]
            if phi is None:
                return None
            d["witness"]["test_function"] = ["mul", ["int", "2"], phi]
            return d
        name = sorted(functions)[len(functions) // 2]
        f = functions[name]
        if f and isinstance(f[0], list) and isinstance(f[0][0], list) and all(isinstance(i, int) for i in f[0][0]):
            # [[index, value], …] on ℤⁿ, ℤ/n
            entry = _pick(f)
            entry[1] = ["mul", ["int", "2"], entry[1]]
        elif f and isinstance(f[0], list) and isinstance(f[0][0], list):  # [[c, [factor per axis]], …] on ℝⁿ
            entry = _pick(f)
            entry[0] = ["mul", ["int", "2"], entry[0]]
        else:
            functions[name] = ["mul", ["int", "2"], f]
        return d
    for e in d["entries"]:  # a record: a map component, or a sequence value
        for key in ("map", "f", "g"):
            if isinstance(e.get(key), dict) and "components" in e[key]:
                e[key]["components"][0] = ["add", e[key]["components"][0], ["int", "1"]]
                return d
        if "layers" in e:
            e["layers"][0]["components"][0] = ["mul", ["int", "2"], e["layers"][0]["components"][0]]
            return d
        if e.get("functions"):  # a term's sequences: one value doubled
            f = e["functions"][sorted(e["functions"])[0]]
            f[0][1] = ["mul", ["int", "2"], f[0][1]]
            return d
        if "dims" in e:
            e["dims"][0] += 5
            return d
        if e["check"] == "equal":
            e["a"] = ["add", e["a"], ["int", "1"]]
            return d
    return None


def _point(d):
    kind = d["kind"]
    if kind == "fourier":
        paths = [p for p, n in _paths(d["claim"], ("claim",)) if n[:2] in (["op", "delta"], ["op", "shift"], ["op", "at"])]
        if not paths:
            return None
        node = _get(d, _pick(paths))
        node[-1] = ["add", node[-1], ["int", "1"]]
        return d
    if kind == "counterexample":
        w = d["witness"]
        if w["at"] is not None:
            w["at"] = ["add", w["at"], ["rat", "7", "13"]]
        elif w["parameters"]:
            w["parameters"][0][1] = ["add", w["parameters"][0][1], ["rat", "7", "13"]]
        elif w["test_function"] is not None:
            w["test_function"] = ["mul", ["int", "2"], w["test_function"]]
        else:
            return None
        return d
    if kind == "definition":
        return None
    for e in d["entries"]:
        if "point" in e and e["point"] and isinstance(e["point"][0], int):  # an index
            e["point"][0] += 1
            return d
        if "point" in e and e["point"]:
            e["point"][0] = ["add", e["point"][0], ["int", "1"]]
            return d
    return None


def _impossible_rule(step) -> str:
    """A rule that cannot make this step: sifting needs a δ, Fubini an integral, on a side."""
    text = json.dumps(step)
    if '["delta"' not in text and step["rule"] != "sift":
        return "sift"
    if '["integral"' not in text and step["rule"] != "fubini":
        return "fubini"
    return next(r for r in _RULES if r != step["rule"])


def _rule(d):
    kind = d["kind"]
    if kind == "fourier":
        if d["derivation"] is None or not d["derivation"]["steps"]:
            d["convention"] = "F[A](ω) = ∫ A(x) exp(+iωx) dx"
            return d
        step = _pick(d["derivation"]["steps"])
        step["rule"] = _impossible_rule(step)
        return d
    if kind == "definition":
        d["operation"] = "xcorr" if d["operation"] == "conv" else "conv"
        return d
    if kind == "counterexample":
        ops = [p for p, n in _paths(d["claim"], ("claim",)) if n[:2] in (["op", "conv"], ["op", "xcorr"])]
        if not ops:
            ops = [p for p, n in _paths(d["claim"], ("claim",)) if n[:2] in (["op", "flip"], ["op", "diff"])]
            if not ops:
                return None
            node = _get(d, _pick(ops))
            node[1] = "diff" if node[1] == "flip" else "flip"
            if node[1] == "flip":
                del node[3:]
            return d
        node = _get(d, _pick(ops))
        node[1] = "xcorr" if node[1] == "conv" else "conv"
        return d
    e = _pick(d["entries"])
    e["check"] = "equal" if e["check"] != "equal" else "differs"
    return d


def _side_condition(d):
    if d["kind"] != "fourier":
        d["side_conditions"] = [{"rule": "fubini", "subject": ["tuple"]}]
        return d
    sides = d["side_conditions"]
    if sides:
        sides.pop()
    else:
        sides.append({"rule": "fubini", "subject": ["tuple", ["int", "0"], ["tuple"]]})
    return d


_MUTATORS = dict(zip(KINDS, (_coefficient, _function, _point, _rule, _side_condition)))


def mutants(certificate: dict):
    """(kind, mutant) for each kind of change this certificate has something to change for."""
    for kind, mutate in _MUTATORS.items():
        mutant = mutate(copy.deepcopy(certificate))
        if mutant is not None and mutant != certificate:
            yield kind, mutant
