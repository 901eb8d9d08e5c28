"""Record certificates: what a claim outside the term language computed, redone.

Section 2 (maps ℝⁿ → ℝᵐ), the network layers and the claims on other groups certify with a
list of entries, each a ``computation`` (redone exactly here) or a ``numeric`` check
(re-evaluated here). An entry names its ``check``; the quantities it is about are rebuilt
from what it records (a map, a point and a path; a term and its sequences, by the sums of
:mod:`.sums`; a statement, by the readings of :mod:`.identity`), never taken from the entry,
and its inputs must be one of the record's ``subject`` — what the claim is about — so that
no entry can be about something else. How the entries make the verdict is the record's
``argument`` (its words are not checked; every fact it cites is).
"""

from __future__ import annotations

import sympy as sp

from symconv.language.fold import sort_of
from symconv.language.terms import FUNCTION, Statement
from symconv.trusted.checker import identity
from symconv.trusted.checker.common import Invalid, enclose, is_zero, need
from symconv.trusted.checker.sums import Exact, Floats, Intervals, Sums, signal
from symconv.trusted.checker.witness import Dist, declared_real, parameters
from symconv.trusted.codec import Decoder, group

__all__ = ["check", "CHECKS", "smooth_at"]

MAX_DIMENSION = 32
MAX_SIGNAL = 4096
_ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh, sp.atan)


# --------------------------------------------------------------------------- maps


class _Map:
    """A map from an entry: ``derivative`` [i, j] makes it ∂f_i/∂x_j of the formula."""

    def __init__(self, data, dec: Decoder, derivative=None):
        need(isinstance(data, dict) and set(data) == {"variables", "components", "overrides"},
             "a map is {variables, components, overrides}")
        self.variables = [dec(v) for v in data["variables"]]
        self.components = [dec(c) for c in data["components"]]
        if derivative is not None:
            need(isinstance(derivative, list) and len(derivative) == 2, "derivative is [component, axis]")
            i, j = derivative
            self.components = [sp.diff(self.components[i], self.variables[j])]
            data = {**data, "overrides": []}
        need(0 < len(self.variables) <= MAX_DIMENSION and 0 < len(self.components) <= MAX_DIMENSION,
             f"a map of 1…{MAX_DIMENSION} variables and components")
        need(all(isinstance(v, sp.Symbol) and v.is_real for v in self.variables), "variables are real symbols")
        need(all(c.free_symbols <= set(self.variables) for c in self.components), "components use the variables only")
        self.overrides = [(tuple(map(dec, p)), tuple(map(dec, v))) for p, v in data["overrides"]]

    def at(self, point):
        """f(point): the value given there, else the formula (defined)."""
        for p, v in self.overrides:
            if p == tuple(point):
                return v
        out = [c.xreplace(dict(zip(self.variables, point))) for c in self.components]
        need(not any(v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for v in out), f"the map is not defined at {point}")
        return out

    def along(self, point, disp):
        return [c.xreplace({v: p + d for v, p, d in zip(self.variables, point, disp)}) for c in self.components]


def _quantity(f: _Map, point, q, disp, dec):
    """The quantity an entry is about, at point + disp, rebuilt from the map."""
    need(isinstance(q, dict) and q.get("kind") in ("value", "quotient", "remainder", "partial"),
         "a quantity is value, quotient, remainder or partial")
    i = q.get("component")
    need(isinstance(i, int) and 0 <= i < len(f.components), "a component index")
    if q["kind"] == "value":
        return f.along(point, disp)[i]
    if q["kind"] == "remainder":
        need(isinstance(q.get("matrix"), list) and len(q["matrix"]) == len(f.components), "the matrix A")
        A = [[dec(v) for v in row] for row in q["matrix"]]
        linear = sum(a * d for a, d in zip(A[i], disp))
        return (f.along(point, disp)[i] - f.at(point)[i] - linear) / sp.sqrt(sp.expand(sum(d**2 for d in disp)))
    j = q.get("axis")
    need(isinstance(j, int) and 0 <= j < len(f.variables), "an axis index")
    if q["kind"] == "quotient":
        return (f.along(point, disp)[i] - f.at(point)[i]) / disp[j]
    derivative = sp.diff(f.components[i], f.variables[j])
    return derivative.xreplace({v: p + d for v, p, d in zip(f.variables, point, disp)})


def _approach(data, dec):
    need(isinstance(data, dict) and set(data) == {"displacement", "parameter", "to"}, "an approach")
    param = dec(data["parameter"])
    need(isinstance(param, sp.Symbol) and data["to"] in ("0+", "oo"), "a parameter tending to 0+ or oo")
    need(param.is_positive and (data["to"] == "0+" or param.is_integer), "t > 0 (t → 0+) or an integer k → oo")
    disp = [dec(d) for d in data["displacement"]]
    need(all(d.free_symbols <= {param} for d in disp), "a displacement in its parameter only")
    return disp, param, data["to"]


def smooth_at(expr, variables, point) -> bool:
    """Is ``expr`` built from the variables by +, ×, integer powers and entire functions, and
    from log, real powers, tan, |·| whose arguments are positive / nonzero at the point (so
    C^∞ near it)? The checker's own whitelist."""
    at = dict(zip(variables, point))

    def positive(e):
        return e.xreplace(at).is_positive is True

    def nonzero(e):
        return e.xreplace(at).is_zero is False

    def ok(e) -> bool:
        if not e.free_symbols & set(variables):
            return e.is_extended_real is True and e.is_finite is True and not e.atoms(sp.core.function.AppliedUndef)
        if e.is_Symbol or isinstance(e, (sp.Add, sp.Mul)):
            return e.is_Symbol or all(ok(a) for a in e.args)
        if isinstance(e, sp.Pow):
            b, p = e.args
            if p.free_symbols & set(variables):
                return positive(b) and ok(b) and ok(p)
            if p.is_integer:
                return ok(b) and (p.is_nonnegative or nonzero(b))
            return p.is_real is True and positive(b) and ok(b)
        if isinstance(e, _ENTIRE):
            return ok(e.args[0])
        if isinstance(e, sp.log):
            return len(e.args) == 1 and positive(e.args[0]) and ok(e.args[0])
        if isinstance(e, sp.tan):
            return nonzero(sp.cos(e.args[0])) and ok(e.args[0])
        if isinstance(e, sp.Abs):
            return nonzero(e.args[0]) and ok(e.args[0])
        return False

    return ok(expr)


# --------------------------------------------------------------------------- checks


def _map_point(e, dec):
    return _Map(e["map"], dec, e.get("derivative")), [dec(p) for p in e["point"]]


def _smooth(e, dec):
    f, point = _map_point(e, dec)
    need(all(smooth_at(c, f.variables, point) for c in f.components), "the map is not smooth near the point")
    formula = [c.xreplace(dict(zip(f.variables, point))) for c in f.components]
    need(all(is_zero(a - b) for a, b in zip(f.at(point), formula)), "the value given at the point is not the formula's")


def _polynomial_remainder(e, dec):
    f, point = _Map(e["map"], dec), [dec(p) for p in e["point"]]
    need(not f.overrides or all(p != tuple(point) for p, _ in f.overrides), "a value given at the point")
    d = sp.symbols(f"d0:{len(f.variables)}", real=True)
    J = sp.Matrix(f.components).jacobian(f.variables).xreplace(dict(zip(f.variables, point)))
    for i, c in enumerate(f.components):
        need(c.is_polynomial(*f.variables), "not a polynomial map")
        r = sp.expand(f.along(point, d)[i] - f.at(point)[i] - sum(J[i, j] * d[j] for j in range(len(d))))
        need(r == 0 or min(sum(m) for m in sp.Poly(r, *d).monoms()) >= 2, "the remainder has terms of degree < 2")


def _value_at(e, dec):
    f, point = _map_point(e, dec)
    need(is_zero(f.at(point)[e["component"]] - dec(e["value"])), "not the value of the map at the point")


def _derivative_at(e, dec):
    f, point = _Map(e["map"], dec), [dec(p) for p in e["point"]]
    t = sp.Dummy("t", real=True)
    disp = [t if j == e["axis"] else 0 for j in range(len(f.variables))]
    d = sp.diff(f.along(point, disp)[e["component"]], t).xreplace({t: 0})
    need(is_zero(d - dec(e["value"])), "not the derivative of the restriction at 0")


def _jacobian_at(e, dec):
    f, point = _Map(e["map"], dec), [dec(p) for p in e["point"]]
    J = sp.Matrix(f.components).jacobian(f.variables).xreplace(dict(zip(f.variables, point)))
    A = e["matrix"]
    need(len(A) == J.rows and all(is_zero(J[i, j] - dec(A[i][j])) for i in range(J.rows) for j in range(J.cols)),
         "not the Jacobian of the formula at the point")


def _limit(e, dec):
    f, point = _Map(e["map"], dec), [dec(p) for p in e["point"]]
    disp, param, to = _approach(e["approach"], dec)
    expr = _quantity(f, point, e["quantity"], disp, dec)
    value = sp.limit(expr, param, sp.oo if to == "oo" else 0, "+" if to == "0+" else "-")
    claimed = dec(e["value"])
    same = value == claimed if sp.oo in (abs(value), abs(claimed)) else (value.is_finite and is_zero(value - claimed))
    need(same, f"the limit is {value}, not {claimed}")


def _samples(e, dec):
    f, point = _Map(e["map"], dec), [dec(p) for p in e["point"]]
    disp, param, _ = _approach(e["approach"], dec)
    expr = _quantity(f, point, e["quantity"], disp, dec)
    need(isinstance(e["samples"], list) and e["samples"], "samples are [[parameter, decimal], …]")
    for s, text in e["samples"]:
        v = sp.N(expr.xreplace({param: dec(s)}), 30)
        need(isinstance(text, str), "a sample's value is decimal text")
        recorded = sp.Float(text, 30)
        need(abs(v - recorded) <= sp.Float("1e-20") * (1 + abs(recorded)), f"at {param} = {dec(s)} the value is {v}")


def _numbers(e, dec):
    a, b = dec(e["a"]), dec(e["b"])
    need(not a.free_symbols and not b.free_symbols, "compares numbers")
    return a, b


def _equal(e, dec):
    a, b = _numbers(e, dec)
    need(a == b if sp.oo in (abs(a), abs(b)) else is_zero(a - b) or sp.simplify(a - b) == 0, f"{a} ≠ {b}")


def _differs(e, dec):
    a, b = _numbers(e, dec)
    if sp.oo in (abs(a), abs(b)):
        need(a != b, f"{a} = {b}")
    else:
        need(abs(sp.N(a - b, 50)) > sp.Float("1e-40"), f"{a} and {b} cannot be told apart")


def _abstract(name, n, m):
    xs = sp.symbols(f"{name}x0:{n}", real=True)
    return list(xs), [sp.Function(f"{name}{i}")(*xs) for i in range(m)]


def _chain_rule(e, dec):
    """J_{g∘f} = J_g(f)·J_f entry by entry, for concrete maps or arbitrary smooth ones."""
    if "dims" in e:
        n, m, p = e["dims"]
        need(all(isinstance(v, int) and 0 < v <= 4 for v in (n, m, p)), "dimensions 1…4")
        (xs, fs), (ys, gs) = _abstract("f", n, m), _abstract("g", m, p)
    else:
        f, g = _Map(e["f"], dec), _Map(e["g"], dec)
        need(not f.overrides and not g.overrides and len(g.variables) == len(f.components), "maps that compose")
        xs, fs, ys, gs = f.variables, f.components, g.variables, g.components
    h = sp.Matrix([c.xreplace(dict(zip(ys, fs))) for c in gs]).jacobian(xs)
    rhs = sp.Matrix(gs).jacobian(ys).xreplace(dict(zip(ys, fs))) * sp.Matrix(fs).jacobian(xs)
    need(all(is_zero((h[i] - rhs[i]).doit()) for i in range(len(h))), "J_(g∘f) − J_g(f)·J_f is not 0")


def _backprop(e, dec):
    """Reverse mode (a product of Jacobians from the left) is the gradient of the composition."""
    layers = [_Map(m, dec) for m in e["layers"]]
    need(layers and len(layers[-1].components) == 1, "layers ending in a scalar")
    states = [list(layers[0].variables)]
    for layer in layers:
        need(len(layer.variables) == len(states[-1]), "layers that compose")
        states.append([c.xreplace(dict(zip(layer.variables, states[-1]))) for c in layer.components])
    v = sp.Matrix([[1]])
    for layer, state in zip(reversed(layers), reversed(states[:-1])):
        v = v * sp.Matrix(layer.components).jacobian(layer.variables).xreplace(dict(zip(layer.variables, state)))
    direct = sp.Matrix(states[-1]).jacobian(states[0])
    need(all(is_zero(v[j] - direct[j]) or sp.simplify(v[j] - direct[j]) == 0 for j in range(len(direct))),
         "reverse mode differs from the gradient of the composition")


# --------------------------------------------------------------------------- ℤⁿ, ℤ/n, ℝ²


def _identity(e, dec):
    """A statement of the term language is an identity, by the readings of :mod:`.identity`."""
    st = Decoder(frequency=identity.OMEGA).statement(e["claim"])
    need(not st.negated, "an identity is an equality")
    identity.holds(st)


def _sums(e, dec, dom, term):
    """A term of an entry on its concrete functions (``group`` ℤⁿ or ℤ/n), folded by the
    finite sums of :mod:`.sums` in ``dom``; (the sums, the value)."""
    g = group(e["group"])
    need(g.discrete, "a term on ℤⁿ or ℤ/n")
    st = Statement(term, term, group=g)  # the language's own check that it has a meaning on g
    functions = {k: signal(v, dec, g.dim) for k, v in e["functions"].items()}
    need(set(functions) == set(st.function_names()), "the entry gives exactly the term's functions")
    for k, f in functions.items():
        need(k not in declared_real(st) or all(v.is_real for v in f.values()), f"{k} is real but its values are not")
    params = parameters(e["parameters"], dec, term.free_symbols, g.dim)
    n = None if g.kind == "Z" else g.modulus
    need(n is None or (n.is_Integer and n <= MAX_SIGNAL), "a modulus that is a number")
    need(n is None or all(0 <= i[0] < n for f in functions.values() for i in f), f"a function that is not on {g}")
    sums = Sums(functions, params, g, dom, None if n is None else int(n))
    return sums, sums.fold(term)


def _compared(e, dec):
    """(the term's values, the implementation's) at the entry's points, in double precision."""
    term = dec(e["term"])
    need(sort_of(term) == FUNCTION, "a function-valued term")
    sums, f = _sums(e, dec, Floats(), term)
    points, values = e["points"], e["values"]
    need(isinstance(points, list) and isinstance(values, list) and 0 < len(points) == len(values) <= MAX_SIGNAL
         and all(isinstance(v, str) and len(v) <= 64 for v in values), "points and as many values as text")
    out = [(sums.value(f, tuple(p)), complex(v)) for p, v in zip(points, values)]
    need(all(abs(b) < float("inf") for _, b in out), "a recorded value that is not a finite number")
    return out


def _term_values(e, dec):
    bad = [(a, b) for a, b in _compared(e, dec) if abs(a - b) > 1e-9 * (1 + abs(a))]
    need(not bad, f"the term is {bad[0][0] if bad else ''}, {e.get('implementation')} gave {bad[0][1] if bad else ''}")


def _term_differs(e, dec):
    need(any(abs(a - b) > 1e-6 * (1 + abs(a)) for a, b in _compared(e, dec)),
         f"{e.get('implementation')} gave the term's values")


def _values_differ(e, dec):
    """Two terms' exact values at a point (by exact sums) are the recorded ones, and differ."""
    terms, values = [dec(t) for t in e["terms"]], [dec(v) for v in e["values"]]
    need(len(terms) == len(values) == 2 and all(sort_of(t) == FUNCTION for t in terms), "two terms, two values")
    mine = [s.value(f, tuple(e["point"])) for s, f in (_sums(e, dec, Exact(), t) for t in terms)]
    need(all(is_zero(a - b) for a, b in zip(mine, values)), f"the terms' values are {mine}")
    need(not is_zero(mine[0] - mine[1]), "the two values are equal")


def _outputs_differ(e, dec):
    out = e["outputs"]
    need(isinstance(out, dict) and len(out) == 2 and all(isinstance(v, str) and len(v) <= 64 for v in out.values()),
         "two implementations' outputs as text")
    a, b = (complex(v) for v in out.values())
    need(abs(a - b) > 1e-9 * (1 + abs(a) + abs(b)), "the two outputs agree")


def _delta_conv(a, b, x, v):
    """(a * b)(v) on one axis when a or b is c·δ(x − p): c times the other at v − p."""
    for u, w in ((a, b), (b, a)):
        d = Dist.read(u, x)
        if all(piece == 0 for _, _, piece in d.pieces) and len(d.deltas) == 1:
            ((p, k), c), = d.deltas.items()
            if k == 0:
                return c * w.xreplace({x: v - sp.Rational(p.numerator, p.denominator)})
    raise Invalid("on ℝ² a separable kernel's factors are convolved where one of them is a δ")


def _separable(e, dec):
    """K = row * column: exactly (``at`` null), or K(at) ≠ (row * column)(at), the recorded
    values — by exact sums on ℤ², on ℝ² axis by axis with a δ on each (δ_p * a = a(· − p))."""
    g = group(e["group"])
    need(g.dim == 2 and g.kind in ("Z", "R"), "a kernel on ℤ² or ℝ²")
    if g.kind == "Z":
        k, row, col = (signal(e[n], dec, 2) for n in ("k", "row", "column"))
        product = Sums({}, {}, g, Exact())._correlate(row, col, -1)
        at = lambda f, p: f.get(tuple(p), 0)  # noqa: E731
        need(e["at"] is not None or all(is_zero(at(k, p) - at(product, p)) for p in set(k) | set(product)),
             "K is not row * column")
    else:
        x, axes = sp.Symbol("x", real=True), sp.symbols("x0:2", real=True)
        k, row, col = ([(dec(c), [dec(f) for f in fs]) for c, fs in e[n]] for n in ("k", "row", "column"))
        need(all(len(fs) == 2 for f in (k, row, col) for _, fs in f), "a function on ℝ² has a factor per axis")
        k = sp.Add(*[c * sp.Mul(*[f.xreplace({x: v}) for f, v in zip(fs, axes)]) for c, fs in k])
        product = sp.Add(*[c1 * c2 * sp.Mul(*[_delta_conv(f1, f2, x, v) for f1, f2, v in zip(fs1, fs2, axes)])
                           for c1, fs1 in row for c2, fs2 in col])
        at = lambda f, p: f.xreplace(dict(zip(axes, p)))  # noqa: E731
        need(e["at"] is not None or is_zero(k - product), "K is not row * column")
    need((e["at"] is None) == (e["values"] is None), "a point and values, or neither")
    if e["at"] is not None:
        p, values = [dec(c) for c in e["at"]], [dec(v) for v in e["values"]]
        need(len(p) == 2 and all(c.is_Rational for c in p) and len(values) == 2, "a point and two exact values")
        mine = [sp.sympify(at(k, p)), sp.sympify(at(product, p))]
        need(all(is_zero(a - b) for a, b in zip(mine, values)), "the recorded values are not K and row * column there")
        ctx = Intervals(40).ctx
        re, im = (a - b for a, b in zip(enclose(mine[0], ctx), enclose(mine[1], ctx)))
        need(not (re.a <= 0 <= re.b and im.a <= 0 <= im.b), "K and row * column do not differ there")


#: What an entry is about; these fields must match one item of the record's subject.
INPUTS = ("map", "point", "f", "g", "layers", "dims", "claim", "term", "terms", "functions", "k", "row", "column")
_TERM = {"group", "term", "functions", "parameters", "points", "values", "implementation"}
#: Fields an entry may have beyond its check's own.
_OPTIONAL = {"smooth": {"derivative"}, "value_at": {"derivative"}}

#: Each check by name: (the role it may have, the fields it needs, the function).
CHECKS = {
    "smooth": ("computation", {"map", "point"}, _smooth),
    "polynomial_remainder": ("computation", {"map", "point"}, _polynomial_remainder),
    "value_at": ("computation", {"map", "point", "component", "value"}, _value_at),
    "derivative_at": ("computation", {"map", "point", "component", "axis", "value"}, _derivative_at),
    "jacobian_at": ("computation", {"map", "point", "matrix"}, _jacobian_at),
    "limit": ("computation", {"map", "point", "quantity", "approach", "value"}, _limit),
    "samples": ("numeric", {"map", "point", "quantity", "approach", "samples"}, _samples),
    "equal": ("computation", {"a", "b"}, _equal),
    "differs": ("computation", {"a", "b"}, _differs),
    "chain_rule": ("computation", {"f", "g"}, _chain_rule),
    "chain_rule_abstract": ("computation", {"dims"}, _chain_rule),
    "backprop": ("computation", {"layers"}, _backprop),
    "identity": ("computation", {"claim"}, _identity),
    "separable": ("computation", {"group", "k", "row", "column", "at", "values"}, _separable),
    "term_values": ("numeric", _TERM, _term_values),
    "term_differs": ("numeric", _TERM, _term_differs),
    "values_differ": ("computation", {"group", "terms", "functions", "parameters", "point", "values"}, _values_differ),
    "outputs_differ": ("numeric", {"outputs"}, _outputs_differ),
}


def check(cert: dict) -> list[str]:
    entries, subject = cert["entries"], cert["subject"]
    need(isinstance(cert["argument"], str) and cert["argument"], "a record states its argument")
    need(isinstance(entries, list) and entries, "a record has entries")
    need(isinstance(subject, list) and all(isinstance(s, dict) for s in subject), "a subject is a list of items")
    counts = {"computation": 0, "numeric": 0}
    for n, e in enumerate(entries, start=1):
        need(isinstance(e, dict) and e.get("check") in CHECKS, f"entry {n}: unknown check {e.get('check') if isinstance(e, dict) else e!r}")
        role, keys, fn = CHECKS[e["check"]]
        need(e.get("role") == role, f"entry {n} ({e['check']}) is a {role}")
        extra = set(e) - keys - {"check", "role", "what"}
        need(keys <= set(e) and extra <= _OPTIONAL.get(e["check"], set()),
             f"entry {n} ({e['check']}) has exactly {sorted(keys)}")
        inputs = {k: e[k] for k in INPUTS if k in e}
        need(not inputs or any(all(item.get(k) == v for k, v in inputs.items()) for item in subject),
             f"entry {n} ({e['check']}) is about something that is not the record's subject")
        try:
            fn(e, Decoder())
        except Invalid as exc:
            raise Invalid(f"entry {n} ({e['check']}: {e.get('what', '')}): {exc}") from None
        counts[role] += 1
    differs = any(e["check"] in _DIFFERENCES or e["check"] == "separable" and e["at"] is not None for e in entries)
    need((cert["verdict"] == "refuted") == differs, "a record supports 'refuted' exactly when an entry shows a difference")
    need(cert["verdict"] != "proved" or not counts["numeric"] and "chain_rule_abstract" not in {e["check"] for e in entries},
         "numeric checks (or the chain rule in a few dimensions) support 'checked' at most")
    return [f"{counts['computation']} computation(s) redone exactly, {counts['numeric']} numeric check(s) re-evaluated"]


_DIFFERENCES = {"differs", "values_differ", "outputs_differ", "term_differs"}  # the only support of 'refuted'
