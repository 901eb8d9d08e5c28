"""Derivations for people: numbered steps in the notes' notation, as text, Markdown, LaTeX.

:func:`derivation_data` turns a kernel-checked :class:`~symconv.trusted.kernel.Derivation` into
plain data (strings), which the engine attaches to a result; :func:`as_text`,
:func:`as_markdown` and :func:`as_latex` render that data. Nothing here prints.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from symconv.language.fold import Cases, refuse
from symconv.language.names import latex_name
from symconv.language.terms import At, Flip, Fn
from symconv.language.terms import latex as term_latex
from symconv.language.terms import unicode as term_unicode
from symconv.results.conditions import KERNEL_RULES, SideCondition
from symconv.trusted import kernel as K

__all__ = ["derivation_data", "not_found_data", "side_conditions", "as_text", "as_markdown", "as_latex", "render"]

_SUP = str.maketrans("0123456789+-()nkm", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿᵏᵐ")
_EVERYWHERE = "∫ without limits is over (-∞, +∞); every integral written is assumed to exist"
_EVERYWHERE_LATEX = r"every integral written is assumed to exist"


# ----------------------------------------------------------------------------- ordering


def _terms(add):
    """Terms of a sum, those with a plus sign first (x - b - y rather than -b - y + x)."""
    pos = [t for t in add.args if not t.could_extract_minus_sign()]
    return pos + [t for t in add.args if t.could_extract_minus_sign()]


def _factor_key(f):
    if isinstance(f, sp.conjugate) and isinstance(f.args[0], (AppliedUndef, At)):
        f = f.args[0]
    if isinstance(f, (AppliedUndef, At)):
        arg = f.args[0] if isinstance(f, AppliedUndef) else f.point
        head = f.func.__name__ if isinstance(f, AppliedUndef) else term_unicode(f.arg)
        return (1, 0 if isinstance(arg, sp.Dummy) else 1, head)
    order = {sp.Add: 2, sp.DiracDelta: 3, sp.exp: 4, sp.Derivative: 5, sp.Integral: 6}
    return (order.get(type(f), 0), 0, "")


def _display_names(derivation) -> dict:
    """A readable name per bound variable: its own name, primed when two would clash."""
    names, taken = {}, {}
    for step in derivation.steps:
        for v in sorted(step.line.atoms(sp.Dummy), key=lambda v: v.dummy_index):
            if v not in names:
                n = taken.get(v.name, 0)
                taken[v.name] = n + 1
                names[v] = v.name + "′" * n
    return names


# ----------------------------------------------------------------------------- printers


def _is_constant_factor(f) -> bool:
    """A factor written in front, as a fraction: numbers, parameters, the point x."""
    return not isinstance(f, sp.exp) and not f.has(
        AppliedUndef, At, sp.Integral, sp.Derivative, sp.DiracDelta, sp.conjugate, sp.Dummy
    )


class _Shared:
    """What the text and LaTeX printers of derivations have in common: a product is its
    constant factors, as one fraction, then the others in the notes' order."""

    space = " "

    def __init__(self, names, negative=None):
        super().__init__({"order": "none"})
        self.names, self.negative = names, negative or {}

    def _print_Mul(self, e):
        if not isinstance(e, sp.Mul):
            return self._print(e)
        factors = sp.Mul.make_args(e)
        constant = sp.Mul(*[f for f in factors if _is_constant_factor(f)])
        others = [f for f in factors if not _is_constant_factor(f)]
        if not others:
            return self._constant(constant)
        parts = [self._grouped(f) for f in sorted(others, key=_factor_key)]
        body = self.space.join(parts)
        n, d = sp.fraction(constant)
        if d != 1 and not any(f.has(sp.Integral) for f in others):  # -i x z/a, not -i x/a z
            lead = "" if n == 1 else "-" if n == -1 else self._product(n) + self.space
            return self._fraction(lead + body, self._product(d), isinstance(d, sp.Mul))
        if constant == 1:
            return body
        if constant == -1:
            return "-" + body
        return self._constant(constant) + " " + body

    def _product(self, m) -> str:
        c, rest = m.as_coeff_Mul()
        parts = [] if rest == 1 else [self._grouped(f) for f in sp.Mul.make_args(rest)]
        if not parts:
            return self._print(c)
        lead = "-" if c == -1 else "" if c == 1 else self._print(c) + self.space
        return lead + self.space.join(parts)

    def _constant(self, k) -> str:
        n, d = sp.fraction(k)
        if d == 1:
            return self._product(n)
        return self._fraction(self._product(n), self._product(d), isinstance(d, sp.Mul))

    def _print_Add(self, e, order=None):
        out = []
        for i, t in enumerate(_terms(e)):
            neg = t.could_extract_minus_sign()
            s = self._print(-t if neg else t)
            out.append(("-" if neg else "") + s if i == 0 else (" - " if neg else " + ") + s)
        return "".join(out)


class _Text(_Shared, StrPrinter):
    printmethod = "_symconv_text"

    def _print_Dummy(self, e):
        return self.names.get(e, e.name)

    def _grouped(self, f):
        return f"({self._print(f)})" if isinstance(f, sp.Add) else self._print(f)

    def _fraction(self, num, den, compound):
        return f"{num}/({den})" if compound else f"{num}/{den}"

    def _print_AppliedUndef(self, e):
        return f"{e.func.__name__}({', '.join(self._print(a) for a in e.args)})"

    def _print_Pow(self, e, rational=False):
        if isinstance(e.base, AppliedUndef) and e.exp.is_Integer and e.exp > 0:
            return self._print(e.base) + str(e.exp).translate(_SUP)  # ⟨f, f⟩ = ∫ f(y)² dy
        if e.exp == sp.S.Half:
            base = self._print(e.base)
            return f"√{base}" if e.base.is_Atom else f"√({base})"
        if e.exp == -sp.S.Half:
            return "1/" + self._print(sp.sqrt(e.base))
        if e.exp.is_Rational and not e.exp.is_Integer and e.exp > 0:
            base = self._print(e.base)
            return f"{base if e.base.is_Atom else '(' + base + ')'}^({e.exp})"
        return super()._print_Pow(e, rational)

    def _print_DiracDelta(self, e):
        return f"δ({self._print(e.args[0])})"

    def _print_exp(self, e):
        arg = self._print(e.args[0])
        return f"e^{arg}" if e.args[0].is_Symbol else f"e^({arg})"

    def _print_ImaginaryUnit(self, e):
        return "i"

    def _print_Pi(self, e):
        return "π"

    def _print_Abs(self, e):
        return f"|{self._print(e.args[0])}|"

    def _print_conjugate(self, e):
        return f"conj({self._print(e.args[0])})"

    def _print_At(self, e):
        return f"{_head(e.arg, term_unicode)}({self._print(e.point)})"

    def _print_Inner(self, e):
        return term_unicode(e)

    def _print_Derivative(self, e):
        (x, k), body = e.variable_count[0], e.expr
        sup = "" if k == 1 else str(k).translate(_SUP)
        return f"d{sup}/d{self._print(x)}{sup} [{self._print(body)}]"

    def _print_Infinity(self, e):
        return "+∞"

    def _print_NegativeInfinity(self, e):
        return "-∞"

    def _print_Integral(self, e):
        body, neg = e.function, self.negative.get(e)
        if neg is not None:
            body = -body
        signs = "".join(
            "∫" if (lo, hi) == (-sp.oo, sp.oo) else f"∫_{{{self._print(lo)}}}^{{{self._print(hi)}}}"
            for _, lo, hi in reversed(e.limits)
        )
        ds = " ".join(
            f"(-d{self._print(v)})" if v == neg else f"d{self._print(v)}" for v, _, _ in e.limits
        )
        b = self._print(body)
        return f"{signs} {'(' + b + ')' if isinstance(body, sp.Add) else b} {ds}"


class _Latex(_Shared, LatexPrinter):
    printmethod = "_symconv_latex"

    def _print_Dummy(self, e):
        return self.names.get(e, e.name).replace("′", "'")

    space = r"\, "

    def _print_ImaginaryUnit(self, e):
        return "i"

    def _print_Pi(self, e):
        return r"\pi"

    def _grouped(self, f):
        return r"\left(%s\right)" % self._print(f) if isinstance(f, sp.Add) else self._print(f)

    def _fraction(self, num, den, compound):
        return r"\frac{%s}{%s}" % (num, den)

    def _print_Pow(self, e):
        if e.exp.is_Number and e.exp < 0:
            if _is_constant_factor(e):
                return self._constant(e)
            return r"\frac{1}{%s}" % self._print(1 / e)
        return super()._print_Pow(e)

    def _print_AppliedUndef(self, e, exp=None):
        # LaTeXPrinter passes ``exp`` for a power of a function: f(y)^{2}
        body = f"{_latex_function(e.func.__name__)}({', '.join(self._print(a) for a in e.args)})"
        return body if exp is None else "%s^{%s}" % (body, exp)

    def _print_DiracDelta(self, e, exp=None):
        body = r"\delta(%s)" % self._print(e.args[0])
        return body if exp is None else r"\left(%s\right)^{%s}" % (body, exp)

    def _print_At(self, e):
        return f"{_head(e.arg, term_latex)}({self._print(e.point)})"

    def _print_Inner(self, e):
        return term_latex(e)

    def _print_Derivative(self, e):
        (x, k), body = e.variable_count[0], e.expr
        sup = "" if k == 1 else "^{%s}" % self._print(k)
        return r"\frac{d%s}{d%s%s} \left[ %s \right]" % (
            sup,
            self._print(x),
            sup,
            self._print(body),
        )

    def _print_Integral(self, e):
        body, neg = e.function, self.negative.get(e)
        if neg is not None:
            body = -body
        signs = "".join(
            r"\int_{%s}^{%s}" % (_inf_latex(lo, self), _inf_latex(hi, self))
            for _, lo, hi in reversed(e.limits)
        )
        ds = r"\, ".join(
            f"(-d{self._print(v)})" if v == neg else f"d{self._print(v)}" for v, _, _ in e.limits
        )
        b = self._print(body)
        return r"%s %s \, %s" % (
            signs,
            r"\left(%s\right)" % b if isinstance(body, sp.Add) else b,
            ds,
        )


def _latex_function(name: str) -> str:
    """A function's name in LaTeX: Greek letters as commands LaTeX defines."""
    return latex_name(name)


def _function_name(f, latex: bool) -> str:
    return _latex_function(f.func.__name__) if latex else f.func.__name__


def _inf_latex(v, printer):
    return {sp.oo: r"+\infty", -sp.oo: r"-\infty"}.get(v) or printer._print(v)


def _head(term, show):
    """How a term is written before its argument: f⁻(z), τ(g, b)(x), (f * g)(x)."""
    if getattr(term, "atomic_head", False) or isinstance(term, Flip) and isinstance(term.arg, Fn):
        return show(term)
    return f"({show(term)})" if show is term_unicode else r"\left(%s\right)" % show(term)


# ----------------------------------------------------------------------------- steps

class _DefinitionName(Cases):
    """How a definition step names the operator it unfolds: (text, LaTeX)."""

    def conv(self, node):
        return "* (1)", "$*$ (1)"

    def xcorr(self, node):
        return "⋆ (9)", r"$\star$ (9)"

    def flip(self, node):
        return "the flip ⁻", "the flip $^-$"

    def shift(self, node):
        return "the shift τ", r"the shift $\tau$"

    def diff(self, node):
        return "dᵏ/dxᵏ", "$d^k/dx^k$"

    def inner(self, node):
        return "⟨·,·⟩", r"$\langle\cdot,\cdot\rangle$"

    def fourier(self, node):
        return "the Fourier transform 𝓕", r"the Fourier transform $\mathcal{F}$"

    def ifourier(self, node):
        return "the inverse Fourier transform 𝓕⁻¹", r"the inverse Fourier transform $\mathcal{F}^{-1}$"

    def mul(self, node):
        return "the product ·", r"the product $\cdot$"

    def scale(self, node):
        return "the dilation", "the dilation"

    def modulate(self, node):
        return "the modulation", "the modulation"

    def conj(self, node):
        return "the conjugate", "the conjugate"

    def convpow(self, node):
        return "the iterated convolution", "the iterated convolution"

    def integral(self, node):
        return "∫", r"$\int$"

    def downsample(self, node):
        return "the downsampling", "the downsampling"

    def upsample(self, node):
        return "the upsampling", "the upsampling"

    def zero(self, node):
        return "the zero function", "the zero function"

    def id(self, node):
        return "the identity x ↦ x", r"the identity $x \mapsto x$"

    fn = refuse("an abstract function has no definition to unfold")
    delta = refuse("δ is unfolded by sifting, not by a definition")
    at = refuse("a value at a point unfolds the definition of its term")


_OPERATOR = _DefinitionName()


def _bound(integral):
    return [lim[0] for lim in integral.limits]


def _fmt(expr, names, latex):
    return (_Latex if latex else _Text)(names).doprint(expr)


def _title(step, names, latex=False) -> str:
    info, r = step.info, step.rule
    if r in ("unfold", "fold"):
        op = _OPERATOR.case(info["term"])[1 if latex else 0]
        return f"definition of {op}" + ("" if r == "unfold" else ", read backwards")
    if r == "substitute":
        z = _fmt(info["new_var"], names, latex)
        dphi = info["dphi"]
        dy = (
            f"d{z}" if dphi == 1 else f"-d{z}" if dphi == -1 else f"{_fmt(dphi, names, latex)} d{z}"
        )
        old = step.old if info["new_var"] in step.new.atoms(sp.Dummy) else step.new
        y = [v for v in _bound(old) if v not in _bound(step.new if old is step.old else step.old)]
        yy = _fmt(y[0], names, latex) if y else "y"
        m = (lambda t: f"${t}$") if latex else (lambda t: t)
        lemma = ""
        if not dphi.is_Rational:  # a dilation factor: over ℝ, with |φ′|
            dy = _fmt(sp.Abs(dphi) * sp.Symbol(f"d{z}"), names, latex)
            lemma = _lemma("MeasureTheory.Measure.integral_comp_mul_left", latex)
        phi = _fmt(info["phi"], names, latex)
        return f"substitute {m(f'{yy} = ' + phi)}, {m(f'd{yy} = {dy}')}{lemma}"
    return {
        "reverse_limits": (
            "swap the limits: ∫_b^a F = ∫_a^b (-F)"
            if not latex
            else r"swap the limits: $\int_b^a F = \int_a^b (-F)$"
        ),
        "linearity": (
            "linearity of the derivative"
            if step.old.has(sp.Derivative)
            and not step.old.has(sp.Integral)
            or isinstance(step.old, sp.Derivative)
            else "linearity of the integral"
        ),
        "fubini": "Fubini: change the order of integration",
        "leibniz": "differentiate under the integral sign",
        "chain_rule": "chain rule",
        "sift": "sifting property of δ" if not latex else r"sifting property of $\delta$",
        "rearrange": "rename the integration variables",
        "differentiate": "differentiate",
        "product_rule": "product rule",
        "by_parts": "integrate by parts",
        "conjugate": "the conjugate of an integral is the integral of the conjugate"
        + _lemma("integral_conj", latex),
        "inversion": "Fourier inversion",
    }.get(r, r)


def _lemma(name: str, latex: bool) -> str:
    """The Mathlib lemma a side condition comes from, in parentheses."""
    return " (\\texttt{%s})" % name.replace("_", "\\_") if latex else f" ({name})"


def _modulus_free(e):
    """``e`` without its factors e^{iθ}, θ real, which do not change |e| (only outside
    integrals: |∫ F e^{iθ}| is not |∫ F|): how an absolute integrability condition is
    written."""
    keep = [
        f
        for f in sp.Mul.make_args(e)
        if not (isinstance(f, sp.exp) and sp.expand(f.args[0] / sp.I).is_extended_real)
    ]
    return sp.Mul(*keep)


def _order_text(k, latex):
    if latex:
        return "C^{%s}" % sp.latex(k)
    return "C" + str(k).translate(_SUP)


def _assumption(a: K.Assumption, names, latex=False) -> str:
    m = (lambda s: f"${s}$") if latex else (lambda s: s)
    if a.rule == "fubini":
        body, variables = a.subject
        body = _modulus_free(body)
        ints = r"\int" * len(variables) if latex else "∫" * len(variables)
        ds = (r"\, " if latex else " ").join("d" + _fmt(v, names, latex) for v in variables)
        bar = r"\left|%s\right|" if latex else "|%s|"
        return m(
            f"{ints} {bar % _fmt(body, names, latex)} {ds} < " + (r"\infty" if latex else "∞")
        ) + _lemma("MeasureTheory.integral_integral_swap", latex)
    if a.rule == "leibniz":
        integral, ((x, k),) = a.subject
        apps = [f for f in sp.Mul.make_args(integral.function) if isinstance(f, AppliedUndef)]
        moving = [_function_name(f, latex) for f in apps if x in f.free_symbols]
        fixed = [_function_name(f, latex) for f in apps if x not in f.free_symbols]
        if (
            len(moving) == 1
            and len(fixed) == 1
            and len(apps) == len(sp.Mul.make_args(integral.function))
        ):
            return (
                f"{m(moving[0])} is {m(_order_text(k, latex))} with compact support and {m(fixed[0])} "
                "is locally integrable"
                + _lemma("HasCompactSupport.hasFDerivAt_convolution_right", latex)
            )
        return (
            "the x-derivatives of the integrand up to the order taken are bounded by an integrable "
            "function, locally uniformly in x"
            + _lemma("hasFDerivAt_integral_of_dominated_of_fderiv_le", latex)
        )
    if a.rule == "product_rule":
        factors, ((x, _),) = a.subject
        moving = [_fmt(f, names, latex) for f in factors if x in f.free_symbols]
        return (
            ", ".join(m(t) for t in moving)
            + f" {'is' if len(moving) == 1 else 'are'} differentiable in {m(_fmt(x, names, latex))}"
            + _lemma("deriv_mul", latex)
        )
    if a.rule == "by_parts":
        u, v, t = a.subject
        uu, vv, tt = (_fmt(e, names, latex) for e in (u, v, t))
        prime = "'" if latex else "′"
        dot = r" \cdot " if latex else "·"
        products = ", ".join(m(p) for p in (f"U{dot}V", f"U{prime}{dot}V", f"U{dot}V{prime}"))
        return (
            f"{m('U = ' + uu)} and {m('V = ' + vv)} are differentiable in {m(tt)} and "
            f"{products} are integrable, so that the boundary terms vanish"
            + _lemma("MeasureTheory.integral_mul_deriv_eq_deriv_mul_of_integrable", latex)
        )
    if a.rule == "inversion":
        h, s, s0 = a.subject
        sv = _fmt(s, names, latex)
        arrow = r"\mapsto" if latex else "↦"
        return (
            f"{m(f'{sv} {arrow} ' + _fmt(h, names, latex))} and its Fourier transform are "
            f"integrable, and it is continuous at {m(sv + ' = ' + _fmt(s0, names, latex))}"
            + _lemma("MeasureTheory.Integrable.fourier_inversion", latex)
        )
    if a.rule == "sift":
        h, y, y0 = a.subject
        if isinstance(h, (AppliedUndef, At)):
            head = (
                _function_name(h, latex)
                if isinstance(h, AppliedUndef)
                else _head(h.arg, term_latex if latex else term_unicode)
            )
            point = (h.args[0] if isinstance(h, AppliedUndef) else h.point).xreplace({y: y0})
            return f"{m(head)} is continuous at {m(_fmt(point, names, latex))}" + _lemma(
                "MeasureTheory.integral_dirac", latex
            )
        yv = _fmt(y, names, latex)
        arrow = r"\mapsto" if latex else "↦"
        return (
            f"{m(f'{yv} {arrow} ' + _fmt(h, names, latex))} is continuous at "
            f"{m(yv + ' = ' + _fmt(y0, names, latex))}"
            + _lemma("MeasureTheory.integral_dirac", latex)
        )
    return a.rule


def _condition(step, names, latex=False) -> str | None:
    if step.assumption is not None:
        return _assumption(step.assumption, names, latex)
    if step.rule == "chain_rule":
        deriv = step.old if isinstance(step.old, sp.Derivative) else step.new
        ((x, k),) = deriv.variable_count
        e = deriv.expr
        head = (
            _function_name(e, latex)
            if isinstance(e, AppliedUndef)
            else _head(e.arg, term_latex if latex else term_unicode)
        )
        head = f"${head}$" if latex else head
        times = _fmt(k, names, latex)
        return f"{head} is differentiable" + (
            "" if k == 1 else f" {'$' + times + '$' if latex else times} times"
        )
    return None


def _negative_measures(step) -> dict:
    """The integral a decreasing substitution made, to write its integrand with (-dz)."""
    if step.rule != "substitute" or not step.info["dphi"].is_negative:
        return {}
    z = step.info["new_var"]
    return {
        n: z
        for n in sp.preorder_traversal(step.line)
        if isinstance(n, sp.Integral) and z in _bound(n)
    }


def derivation_data(derivation: K.Derivation, seconds: float | None = None) -> dict:
    """The derivation as plain data: its lines (text and LaTeX), rules and side conditions."""
    names = _display_names(derivation)
    first = derivation.steps[0].line
    steps, assumptions = [], []
    for n, step in enumerate(derivation.steps[1:], start=1):
        neg = _negative_measures(step)
        cond = _condition(step, names)
        steps.append(
            {
                "n": n,
                "rule": step.rule,
                "title": _title(step, names),
                "title_latex": _title(step, names, latex=True),
                "text": _Text(names, neg).doprint(step.line),
                "latex": _Latex(names, neg).doprint(step.line),
                "condition": cond,
                "condition_latex": _condition(step, names, latex=True),
            }
        )
        if step.assumption is not None and cond not in assumptions:
            assumptions.append(cond)
    return {
        "found": True,
        "statement": str(derivation.statement),
        "start": {"text": _Text(names).doprint(first), "latex": _Latex(names).doprint(first)},
        "steps": steps,
        "assumptions": assumptions,
        "complete": derivation.complete,
        "seconds": None if seconds is None else round(seconds, 6),
    }


def side_conditions(derivation: K.Derivation) -> tuple[SideCondition, ...]:
    """The assumptions the derivation's steps rest on (what its certificate lists), as side
    conditions: the kernel rule, the Mathlib lemma, the condition on these functions, and
    the steps that use it."""
    names = _display_names(derivation)
    found: dict = {}
    for n, step in enumerate(derivation.steps[1:], start=1):
        if step.assumption is not None:
            found.setdefault(step.assumption, []).append(n)
    out = []
    for a, steps in found.items():
        rule = KERNEL_RULES[a.rule]
        text = _assumption(a, names)
        condition, lemma = text, rule.lemma
        if text.endswith(")") and " (" in text:
            condition, lemma = text[:-1].rsplit(" (", 1)
        where = tuple(f"step {n} of the derivation" for n in steps)
        out.append(SideCondition(a.rule, rule.identity, lemma, condition, where))
    return tuple(out)


def not_found_data(statement, reason: str, seconds: float | None = None) -> dict:
    return {
        "found": False,
        "statement": str(statement),
        "reason": reason,
        "seconds": None if seconds is None else round(seconds, 6),
    }


# ----------------------------------------------------------------------------- documents


def as_text(data: dict, indent: str = "  ") -> str:
    """Numbered lines ``[n] = …`` with the rule (and side condition) of each step."""
    if not data.get("found"):
        return f"{indent}no time-domain derivation found: {data.get('reason', '')}"
    width = max([len(s["text"]) for s in data["steps"]] + [len(data["start"]["text"])])
    label = len(f"[{len(data['steps'])}] ")
    lines = [f"{indent}{' ' * (label + 2)}{data['start']['text']}"]
    for s in data["steps"]:
        rule = s["title"] + (f" — needs: {s['condition']}" if s["condition"] else "")
        lines.append(f"{indent}{('[%d]' % s['n']).ljust(label)}= {s['text'].ljust(width)}   {rule}")
    lines.append(f"{indent}({_EVERYWHERE})")
    return "\n".join(lines)


def _aligned(data: dict) -> str:
    rows = []
    for i, s in enumerate(data["steps"]):
        left = data["start"]["latex"] if i == 0 else ""
        rows.append(rf"{left} &= {s['latex']} && \text{{[{s['n']}]}}")
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def as_markdown(data: dict) -> str:
    """A display equation like the notes' (2), (3), (10), then the justification of each step."""
    if not data.get("found"):
        return f"*No time-domain derivation found* ({data.get('reason', '')})."
    out = ["$$", _aligned(data), "$$", ""]
    for s in data["steps"]:
        cond = f" — needs {s['condition_latex']}" if s["condition_latex"] else ""
        out.append(f"{s['n']}. {s['title_latex']}{cond}")
    out.append("")
    out.append(f"*{_EVERYWHERE_LATEX}*")
    return "\n".join(out)


def as_latex(data: dict) -> str:
    """An ``align*`` environment and an ``enumerate`` of the rules, for a LaTeX document."""
    if not data.get("found"):
        return r"\emph{No time-domain derivation found.}"
    body = (
        _aligned(data)
        .replace("\\begin{aligned}", "\\begin{align*}")
        .replace("\\end{aligned}", "\\end{align*}")
    )
    items = []
    for s in data["steps"]:
        cond = f" --- needs {s['condition_latex']}" if s["condition_latex"] else ""
        items.append(f"  \\item {s['title_latex']}{cond}")
    return (
        body
        + "\n\\begin{enumerate}\n"
        + "\n".join(items)
        + "\n\\end{enumerate}\n"
        + f"({_EVERYWHERE_LATEX})"
    )


def render(data: dict, style: str = "text") -> str:
    """``style`` is ``"text"``, ``"markdown"`` or ``"latex"``."""
    return {"text": as_text, "markdown": as_markdown, "latex": as_latex}[style](data)
