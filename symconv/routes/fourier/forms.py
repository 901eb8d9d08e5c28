"""Canonical forms of function-valued terms: the data, and the constructors that keep it
canonical.

A *form* is a finite sum Σ coefficient · monomial (a dict). A monomial is one of two
dual kinds of node, and each kind keeps at its own level the operations that commute with
it, pushing the others down to its children:

* :class:`CNode` — a convolution product D^k τ_c (ch₁^{*μ₁} * ch₂^{*μ₂} * …): derivatives
  and shifts stay at the node (they commute with convolution); its Fourier image is the
  pointwise product (iω)^k e^{−iωc} Π F[chᵢ]^{μᵢ}. Its children are :class:`CLeaf` (an
  abstract function with what a Fourier image keeps pointwise: x^m e^{iνx} B(a x)) or
  :class:`PNode`. With no children it is δ⁽ᵏ⁾(x − c).
* :class:`PNode` — a pointwise product x^m e^{iνx} Π chᵢ^{μᵢ}: polynomial and exponential
  factors stay at the node; shifts, dilations and derivatives go to the children
  (Leibniz). Its children are :class:`PLeaf` (B⁽ⁿ⁾(a x + c)) or :class:`CNode`. With no
  children it is the function x^m e^{iνx}.

The Fourier transform maps one kind onto the other (convolution ↔ product, derivative ↔
multiplication by iω, shift ↔ modulation), so the forms are closed under it. B, the base of
a leaf, is an abstract function f, its conjugate, its transform f̂ or the transform of its
conjugate (:class:`Base`).

Canonical means: children sorted and merged (associativity, commutativity), δ absorbed by
convolution, a convolution nested in a convolution merged into it, a single leaf always
written as a one-child :class:`CNode`, and a one-child node of one kind inside a node of
the other kind pushed into its child. Every rewrite is an identity for Schwartz functions
(δ a tempered distribution); what the canonical form decides completely is said in
:mod:`symconv.routes.fourier`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import comb

import sympy as sp
from sympy.core.function import AppliedUndef

from symconv.language.terms import TermError

__all__ = ["Base", "CLeaf", "PLeaf", "CNode", "PNode", "Form", "FormTooLarge", "MAX_KEYS", "accumulate"]

#: The largest number of monomials a form may have before the procedure gives up.
MAX_KEYS = 20_000
#: The largest derivative order, power of x or multiplicity expanded term by term.
MAX_EXPANSION = 64

_I = sp.I
_ZERO = sp.S.Zero
_ONE = sp.S.One


class FormTooLarge(Exception):
    """The normal form outgrew :data:`MAX_KEYS`; the decision is left open."""


@lru_cache(maxsize=8192)  # a pure function of an immutable expression (it is called often)
def expanded(e) -> sp.Expr:
    """A parameter expression (a shift, a frequency, a dilation) in one canonical way."""
    if isinstance(e, int):
        return sp.Integer(e)
    if e.is_Number:
        return e
    return sp.expand(e)


def _sign_power(e):
    """(−1)^n with n a linear form in integer symbols, its coefficients taken mod 2."""
    expo = sp.expand(e.exp)
    out = _ZERO
    for term, cf in expo.as_coefficients_dict().items():
        if not cf.is_Integer or not (term == 1 or term.is_integer):
            return e
        out += (int(cf) % 2) * term
    return sp.Pow(-1, out)


def _sign_form(c):
    """|e| written e·sign(e) for real e (a dilation factor, never 0 there), and powers of
    sign(e) reduced mod 2, so that |a|/a² and 1/|a| are one expression."""
    if c.has(sp.Abs):
        c = c.replace(lambda e: isinstance(e, sp.Abs) and e.args[0].is_real, lambda e: e.args[0] * sp.sign(e.args[0]))
        c = sp.expand(c, power_exp=False)
    if c.has(sp.sign):
        signs = {e for e in c.atoms(sp.Pow) if isinstance(e.base, sp.sign) and e.exp.is_Integer}
        if signs:
            c = sp.expand(c.xreplace({e: e.base ** (int(e.exp) % 2) for e in signs}), power_exp=False)
    return c


def canonical(c) -> sp.Expr:
    """A coefficient in one canonical way: expanded, exponentials combined, powers of −1
    reduced mod 2 ((−1)^{3k} = (−1)^k for an integer k), |a| as a·sign(a)."""
    c = _sign_form(sp.expand(c, power_exp=False))
    for _ in range(3):
        signs = {e for e in c.atoms(sp.Pow) if e.base == -1 and not e.exp.is_Integer}
        if not signs:
            break
        c = sp.expand(c.xreplace({e: _sign_power(e) for e in signs}), power_exp=False)
    if c.has(sp.exp):
        c = sp.expand(sp.powsimp(c, combine="exp"), power_exp=False)
    return c


#: Functions of the parameters that :func:`is_zero` rewrites into exponentials.
_EXPONENTIAL = (sp.exp, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh)


def is_zero(c) -> bool:
    """Is a coefficient 0 for every value of the parameters? Complete for exponential
    polynomials in them (polynomials, and exp, sin, cos, … of them rewritten in
    exponentials: sin²a + cos²a − 1 is 0); False for anything else that does not reduce
    to 0 — see :func:`certainly_nonzero`."""
    c = canonical(c)
    if c == 0:
        return True
    if c.has(*_EXPONENTIAL):
        e = sp.expand(c.rewrite(sp.exp))
        return e == 0 or sp.cancel(e) == 0
    return False


def certainly_nonzero(c) -> bool:
    """Is a coefficient that :func:`is_zero` calls nonzero certainly not 0 for some value of
    the parameters? Yes for an exponential polynomial (where the test is complete); a
    coefficient with √a, |a|, log a, … is not decided."""
    e = c.rewrite(sp.exp) if c.has(*_EXPONENTIAL) else c
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Pow) and not node.exp.is_Integer and node.base.free_symbols:
            return False
        if isinstance(node, sp.Function) and not isinstance(node, (sp.exp, AppliedUndef)):
            return False
    return True


def _int(n, what: str) -> int:
    if not (isinstance(n, int) or getattr(n, "is_Integer", False)):
        raise TermError(f"{what} must be a number here, not the symbol {n}")
    n = int(n)
    if n > MAX_EXPANSION:
        raise TermError(f"{what} {n} is above {MAX_EXPANSION}, the most expanded term by term")
    return n


@lru_cache(maxsize=8192)  # printing is the cost of sorting children; expressions are immutable
def _key(e) -> tuple:
    """A sort key for a parameter expression: numbers without printing them."""
    if isinstance(e, int):
        return ("n", e, 1)
    if getattr(e, "is_Rational", False):
        return ("n", int(e.p), int(e.q))
    return ("s", sp.sstr(e), 0)


# --------------------------------------------------------------------------- leaves


class _Hashed:
    """Frozen data whose hash is computed once (forms hash their monomials often)."""

    __slots__ = ()

    def __hash__(self):
        try:
            return self.__dict__["_hash"]
        except KeyError:
            h = hash(tuple(getattr(self, f) for f in self.__dataclass_fields__))
            object.__setattr__(self, "_hash", h)
            return h


@dataclass(frozen=True, eq=True)
class Base(_Hashed):
    """f, conj(f), 𝓕f or 𝓕(conj f) — ``conj`` only for complex-valued f."""

    __hash__ = _Hashed.__hash__

    name: str
    hat: bool = False
    conj: bool = False
    complex: bool = False

    def key(self) -> tuple:
        cached = self.__dict__.get("_sort_key")
        if cached is None:
            cached = self._key_uncached()
            object.__setattr__(self, "_sort_key", cached)
        return cached

    def _key_uncached(self) -> tuple:
        return (self.name, self.hat, self.conj)

    def transformed(self) -> tuple["Base", bool]:
        """(the base of 𝓕B, whether 𝓕B = 2π · that base flipped): 𝓕f = f̂, 𝓕f̂ = 2π f⁻."""
        if self.hat:
            return Base(self.name, False, self.conj, self.complex), True
        return Base(self.name, True, self.conj, self.complex), False

    def conjugated(self) -> tuple["Base", bool]:
        """(the base of conj(B), whether conj(B)(u) = that base at −u): conj f̂ = (𝓕 conj f)⁻."""
        if not self.complex:
            return self, self.hat
        return Base(self.name, self.hat, not self.conj, True), self.hat

    def show(self) -> str:
        s = f"conj({self.name})" if self.conj else self.name
        return f"𝓕[{s}]" if self.hat else s


@dataclass(frozen=True, eq=True)
class CLeaf(_Hashed):
    """x^m e^{iνx} B(a x), a child of a convolution."""

    __hash__ = _Hashed.__hash__

    base: Base
    m: sp.Expr
    nu: sp.Expr
    a: sp.Expr

    def key(self) -> tuple:
        cached = self.__dict__.get("_sort_key")
        if cached is None:
            cached = self._key_uncached()
            object.__setattr__(self, "_sort_key", cached)
        return cached

    def _key_uncached(self) -> tuple:
        return (0, self.base.key(), _key(self.a), _key(self.m), _key(self.nu))

    def with_(self, **kw) -> "CLeaf":
        d = dict(base=self.base, m=self.m, nu=self.nu, a=self.a)
        d.update(kw)
        return CLeaf(d["base"], expanded(d["m"]), expanded(d["nu"]), expanded(d["a"]))


@dataclass(frozen=True, eq=True)
class PLeaf(_Hashed):
    """B⁽ⁿ⁾(a x + c), a factor of a pointwise product."""

    __hash__ = _Hashed.__hash__

    base: Base
    n: int
    a: sp.Expr
    c: sp.Expr

    def key(self) -> tuple:
        cached = self.__dict__.get("_sort_key")
        if cached is None:
            cached = self._key_uncached()
            object.__setattr__(self, "_sort_key", cached)
        return cached

    def _key_uncached(self) -> tuple:
        return (0, self.base.key(), _key(self.a), self.n, _key(self.c))

    def with_(self, **kw) -> "PLeaf":
        d = dict(base=self.base, n=self.n, a=self.a, c=self.c)
        d.update(kw)
        return PLeaf(d["base"], int(d["n"]), expanded(d["a"]), expanded(d["c"]))


# --------------------------------------------------------------------------- nodes


def _children_key(children) -> tuple:
    return tuple((ch.key(), _key(mu)) for ch, mu in children)


@dataclass(frozen=True, eq=True)
class CNode(_Hashed):
    """D^k τ_c (⊛ chᵢ^{*μᵢ}); δ⁽ᵏ⁾(x − c) when it has no children."""

    __hash__ = _Hashed.__hash__

    children: tuple  # ((child, multiplicity), …) sorted by key
    k: sp.Expr
    c: sp.Expr

    def key(self) -> tuple:
        cached = self.__dict__.get("_sort_key")
        if cached is None:
            cached = self._key_uncached()
            object.__setattr__(self, "_sort_key", cached)
        return cached

    def _key_uncached(self) -> tuple:
        return (1, _children_key(self.children), _key(self.k), _key(self.c))

    @property
    def size(self) -> sp.Expr:
        return sp.Add(*[mu for _, mu in self.children])


@dataclass(frozen=True, eq=True)
class PNode(_Hashed):
    """x^m e^{iνx} Π chᵢ^{μᵢ}; the function x^m e^{iνx} when it has no children."""

    __hash__ = _Hashed.__hash__

    children: tuple
    m: sp.Expr
    nu: sp.Expr

    def key(self) -> tuple:
        cached = self.__dict__.get("_sort_key")
        if cached is None:
            cached = self._key_uncached()
            object.__setattr__(self, "_sort_key", cached)
        return cached

    def _key_uncached(self) -> tuple:
        return (2, _children_key(self.children), _key(self.m), _key(self.nu))

    @property
    def size(self) -> sp.Expr:
        return sp.Add(*[mu for _, mu in self.children])


Form = dict  # monomial (CNode | PNode) -> coefficient


def add_into(acc: Form, mono, coef) -> None:
    acc[mono] = acc[mono] + coef if mono in acc else coef


def accumulate(acc: Form, form: Form) -> Form:
    """Add ``form`` into ``acc`` in place (and return ``acc``)."""
    for mono, coef in form.items():
        add_into(acc, mono, coef)
    return check_size(acc)


def form_sum(*forms: Form) -> Form:
    out: Form = {}
    for f in forms:
        accumulate(out, f)
    return out


def form_scale(form: Form, c) -> Form:
    return {mono: coef * c for mono, coef in form.items()}


def prune(form: Form) -> Form:
    return {mono: canonical(c) for mono, c in form.items() if not is_zero(c)}


def check_size(form: Form) -> Form:
    if len(form) > MAX_KEYS:
        raise FormTooLarge(f"the normal form has more than {MAX_KEYS} terms")
    return form


def merge(children) -> tuple:
    """Children in canonical order, equal ones merged (their multiplicities added)."""
    acc: dict = {}
    for ch, mu in children:
        acc[ch] = acc[ch] + mu if ch in acc else mu
    kept = ((ch, expanded(mu)) for ch, mu in acc.items() if mu != 0)
    return tuple(sorted(kept, key=lambda p: p[0].key()))


def leaf(name: str, complex_valued: bool = False) -> CNode:
    """The form of the abstract function ``name`` (one leaf, nothing applied)."""
    cl = CLeaf(Base(name, complex=complex_valued), _ZERO, _ZERO, _ONE)
    return CNode(((cl, _ONE),), _ZERO, _ZERO)


def delta(k=0, c=0) -> CNode:
    return CNode((), expanded(k), expanded(c))


# --------------------------------------------------------------------------- one leaf, two ways


def leaf_to_p(cleaf: CLeaf, k, c) -> list:
    """D^k τ_c [x^m e^{iνx} B(a x)] as Σ coef · x^j e^{iνx} PLeaf: [(coef, j, PLeaf)] (the
    factor e^{iνx} is the same in every term)."""
    nu, a, base = cleaf.nu, cleaf.a, cleaf.base
    if k == 0 and c == 0:  # nothing to move: x^m e^{iνx} B(a x), m possibly a symbol
        return [(_ONE, cleaf.m, PLeaf(base, 0, a, _ZERO))]
    m, k = _int(cleaf.m, "a power of x"), _int(k, "a derivative order")
    start = PLeaf(base, 0, a, expanded(-a * c))
    phase = sp.exp(-_I * nu * c) if c != 0 and nu != 0 else _ONE
    terms: dict = {}
    for j in range(m + 1):
        coef = comb(m, j) * (-c) ** (m - j) * phase
        if not is_zero(coef):
            terms[(j, start)] = terms.get((j, start), _ZERO) + coef
    for _ in range(k):
        nxt: dict = {}
        for (j, lf), coef in terms.items():
            if j:
                nxt[(j - 1, lf)] = nxt.get((j - 1, lf), _ZERO) + coef * j
            if nu != 0:
                nxt[(j, lf)] = nxt.get((j, lf), _ZERO) + coef * _I * nu
            up = lf.with_(n=lf.n + 1)
            nxt[(j, up)] = nxt.get((j, up), _ZERO) + coef * a
        terms = nxt
    return [(coef, j, lf) for (j, lf), coef in terms.items() if not is_zero(coef)]


def leaf_to_c(m, nu, pleaf: PLeaf) -> list:
    """x^m e^{iνx} B⁽ⁿ⁾(a x + c) as Σ coef · D^j τ_s [x^q e^{iνx} B(a x)]:
    [(coef, j, s, CLeaf)] with s = −c/a."""
    a, c, base = pleaf.a, pleaf.c, pleaf.base
    s = expanded(-c / a)
    if pleaf.n == 0 and c == 0 and not (isinstance(m, int) or m.is_Integer):
        return [(_ONE, _ZERO, _ZERO, CLeaf(base, m, nu, a))]
    m, n = _int(m, "a power of x"), pleaf.n
    # B⁽ⁿ⁾(a x + c) = τ_s a^{−n} Dⁿ [B(a x)]; move e^{iνx} to the right of τ_s and Dⁿ
    phase = sp.exp(_I * nu * s) if nu != 0 and s != 0 else _ONE
    terms: dict = {}  # (derivative order j, power of x inside q) -> coef
    for j in range(n + 1):
        coef = a ** (-n) * phase * comb(n, j) * (-_I * nu) ** (n - j)
        if not is_zero(coef):
            terms[(j, 0)] = terms.get((j, 0), _ZERO) + coef
    for _ in range(m):  # x τ_s Dʲ W = τ_s (Dʲ (x W) − j Dʲ⁻¹ W) + s τ_s Dʲ W
        nxt: dict = {}
        for (j, q), coef in terms.items():
            nxt[(j, q + 1)] = nxt.get((j, q + 1), _ZERO) + coef
            if j:
                nxt[(j - 1, q)] = nxt.get((j - 1, q), _ZERO) - j * coef
            if s != 0:
                nxt[(j, q)] = nxt.get((j, q), _ZERO) + s * coef
        terms = nxt
    return [
        (coef, sp.Integer(j), s, CLeaf(base, sp.Integer(q), nu, a))
        for (j, q), coef in terms.items()
        if not is_zero(coef)
    ]


# --------------------------------------------------------------------------- canonical nodes


def _copies(options, mu) -> list:
    """The expansion of μ copies of a child given the options for one copy."""
    n = _int(mu, "a multiplicity")
    out = [(_ONE, [], _ZERO, _ZERO)]
    for _ in range(n):
        out = [
            (c1 * c2, ch1 + ch2, d1 + d2, e1 + e2)
            for c1, ch1, d1, e1 in out
            for c2, ch2, d2, e2 in options
        ]
    return out


def _c_options(child, mu):
    """How one child of a convolution is written canonically: None when it already is,
    else [(coef, [(child, μ)…], dk, dc)] whose sum it equals (μ copies included)."""
    if isinstance(child, CLeaf):
        return None
    if isinstance(child, CNode):  # (D^k τ_c ⊛ ch)^{*μ} = D^{kμ} τ_{cμ} ⊛ ch^{*μ}
        kids = [(ch, m * mu) for ch, m in child.children]
        return [(_ONE, kids, child.k * mu, child.c * mu)]
    if not child.children:
        raise TermError(
            "a convolution with a polynomial or exponential function (x^m e^{iνx}) does not "
            "exist for every Schwartz function: it is outside the language"
        )
    if len(child.children) == 1 and child.children[0][1] == 1:
        (only, _), = child.children
        if isinstance(only, PLeaf):
            one = [(coef, [(cl, _ONE)], j, s) for coef, j, s, cl in leaf_to_c(child.m, child.nu, only)]
        else:
            pushed = cnode_times_power(_ONE, only, child.m, child.nu)
            one = []
            for mono, coef in pushed.items():
                if isinstance(mono, CNode):
                    one.append((coef, list(mono.children), mono.k, mono.c))
                else:
                    one.append((coef, [(mono, _ONE)], _ZERO, _ZERO))
        return one if mu == 1 else _copies(one, mu)
    pulled = _pull_shift(child)
    if pulled is None:
        return None
    s, terms = pulled  # child = τ_s Σ qⱼ Pⱼ, and a shift leaves a convolution
    one = [(q, [(p2, _ONE)], _ZERO, s) for q, p2 in terms]
    return one if mu == 1 else _copies(one, mu)


def _shape(child) -> tuple:
    """A child's key without its offset (a shift) or its modulation: what a gauge keeps."""
    if isinstance(child, PLeaf):
        return (0, child.base.key(), _key(child.a), child.n)
    if isinstance(child, CLeaf):
        return (0, child.base.key(), _key(child.a), _key(child.m))
    if isinstance(child, CNode):
        return (1, _children_key(child.children), _key(child.k))
    return (2, _children_key(child.children), _key(child.m))


def _translated_children(node: "PNode", s) -> tuple:
    """The children of node(x + s)."""
    kids = [
        (ch.with_(c=ch.c + ch.a * s) if isinstance(ch, PLeaf) else CNode(ch.children, ch.k, expanded(ch.c - s)), mu)
        for ch, mu in node.children
    ]
    return merge(kids)


def _pull_shift(node: "PNode"):
    """A pointwise product inside a convolution is written with a least child at offset 0:
    (s, [(qⱼ, Pⱼ)…]) with node = τ_s Σ qⱼ Pⱼ (one term unless the node has a power of x,
    whose translate is a binomial sum), or None when it already is."""
    shapes = [(_shape(ch), ch) for ch, _ in node.children if isinstance(ch, (PLeaf, CNode))]
    if not shapes:
        return None
    if node.m != 0 and not (isinstance(node.m, int) or node.m.is_Integer):
        return None
    least = min(sh for sh, _ in shapes)
    best = None
    for shape, pivot in shapes:
        if shape != least:
            continue
        s = expanded(-pivot.c / pivot.a) if isinstance(pivot, PLeaf) else pivot.c
        key = PNode(_translated_children(node, s), node.m, node.nu).key()
        if best is None or key < best[0]:
            best = (key, s)
    s = best[1]
    if s == 0:
        return None
    moved = pnode_shift(_ONE, node, -s)  # node(x + s)
    return s, [(q, p2) for p2, q in moved.items()]


def _pull_modulation(node: "CNode"):
    """A convolution inside a pointwise product is written with a least child unmodulated:
    (ν₀, [(qⱼ, Cⱼ)…]) with node = e^{iν₀x} Σ qⱼ Cⱼ, since ⊛ (e^{iν₀x} chᵢ) = e^{iν₀x} ⊛ chᵢ
    and Dᵏ e^{iν₀x} = e^{iν₀x} (D + iν₀)ᵏ; None when it already is."""
    if not node.children or not (node.k == 0 or node.k.is_Integer):
        return None
    shapes = [(_shape(ch), ch) for ch, _ in node.children]
    least = min(sh for sh, _ in shapes)
    best = None
    for shape, pivot in shapes:
        if shape != least:
            continue
        nu0 = pivot.nu
        kids = [
            (ch.with_(nu=ch.nu - nu0) if isinstance(ch, CLeaf) else PNode(ch.children, ch.m, expanded(ch.nu - nu0)), mu)
            for ch, mu in node.children
        ]
        moved = CNode(merge(kids), node.k, node.c)
        if best is None or moved.key() < best[1].key():
            best = (nu0, moved)
    nu0, moved = best
    if nu0 == 0:
        return None
    phase = sp.exp(-_I * nu0 * node.c) if node.c != 0 else _ONE
    k = int(node.k)
    terms = [
        (phase * comb(k, j) * (_I * nu0) ** (k - j), CNode(moved.children, sp.Integer(j), moved.c))
        for j in range(k + 1)
    ]
    return nu0, terms


def _plain(child) -> bool:
    """A leaf, or a convolution of leaves: merged into a convolution as it is."""
    return isinstance(child, CLeaf) or (
        isinstance(child, CNode) and all(isinstance(g, CLeaf) for g, _ in child.children)
    )


def make_cnode(coef, children, k, c) -> Form:
    """The form of coef · D^k τ_c (⊛ children), canonical."""
    if all(_plain(ch) for ch, _ in children):  # the common case, without the options
        kids, kk, cc = [], k, c
        for ch, mu in children:
            if isinstance(ch, CLeaf):
                kids.append((ch, mu))
            else:
                kids += [(g, m * mu) for g, m in ch.children]
                kk, cc = kk + ch.k * mu, cc + ch.c * mu
        return {CNode(merge(kids), expanded(kk), expanded(cc)): coef}
    partial = [(coef, [], expanded(k), expanded(c))]
    for child, mu in children:
        options = _c_options(child, mu)
        if options is None:
            partial = [(p, kids + [(child, mu)], kk, cc) for p, kids, kk, cc in partial]
        else:
            partial = [
                (p * q, kids + more, kk + dk, cc + dc)
                for p, kids, kk, cc in partial
                for q, more, dk, dc in options
            ]
        check_size(partial)
    out: Form = {}
    for p, kids, kk, cc in partial:
        node = CNode(merge(kids), expanded(kk), expanded(cc))
        if len(node.children) == 1 and node.children[0][1] == 1 and isinstance(node.children[0][0], PNode):
            accumulate(out, pnode_translate(p, node.children[0][0], node.k, node.c))
        else:
            add_into(out, node, p)
    return check_size(out)


def _p_options(child, mu):
    """How one factor of a pointwise product is written canonically (see _c_options);
    the tuples are (coef, [(child, μ)…], dm, dν)."""
    if isinstance(child, PLeaf):
        return None
    if isinstance(child, PNode):
        kids = [(ch, m * mu) for ch, m in child.children]
        return [(_ONE, kids, child.m * mu, child.nu * mu)]
    if not child.children:
        return None  # δ: see make_pnode
    if len(child.children) == 1 and child.children[0][1] == 1:
        (only, _), = child.children
        if isinstance(only, CLeaf):
            one = [(coef, [(pl, _ONE)], sp.sympify(j, strict=True), only.nu) for coef, j, pl in leaf_to_p(only, child.k, child.c)]
        else:
            pushed = pnode_translate(_ONE, only, child.k, child.c)
            one = []
            for mono, coef in pushed.items():
                if isinstance(mono, PNode):
                    one.append((coef, list(mono.children), mono.m, mono.nu))
                else:
                    one.append((coef, [(mono, _ONE)], _ZERO, _ZERO))
        return one if mu == 1 else _copies(one, mu)
    pulled = _pull_modulation(child)
    if pulled is None:
        return None
    nu0, terms = pulled  # child = e^{iν₀x} Σ qⱼ Cⱼ
    one = [(q, [(c2, _ONE)], _ZERO, nu0) for q, c2 in terms]
    return one if mu == 1 else _copies(one, mu)


def make_pnode(coef, children, m, nu) -> Form:
    """The form of coef · x^m e^{iνx} Π children, canonical."""
    partial = [(coef, [], expanded(m), expanded(nu))]
    for child, mu in children:
        options = _p_options(child, mu)
        if options is None:
            partial = [(p, kids + [(child, mu)], mm, vv) for p, kids, mm, vv in partial]
        else:
            partial = [
                (p * q, kids + more, mm + dm, vv + dv)
                for p, kids, mm, vv in partial
                for q, more, dm, dv in options
            ]
        check_size(partial)
    out: Form = {}
    for p, kids, mm, vv in partial:
        node = PNode(merge(kids), expanded(mm), expanded(vv))
        accumulate(out, _finish_pnode(p, node))
    return check_size(out)


def _finish_pnode(coef, node: PNode) -> Form:
    deltas = [ch for ch, _ in node.children if isinstance(ch, CNode) and not ch.children]
    if deltas:
        if len(node.children) != 1 or node.children[0][1] != 1:
            raise TermError(
                "the product of δ with a function is δ times a value of the function, which "
                "is not linear: it is outside the language"
            )
        return _delta_times_power(coef, deltas[0], node.m, node.nu)
    if len(node.children) == 1 and node.children[0][1] == 1:
        only = node.children[0][0]
        if isinstance(only, PLeaf):
            out: Form = {}
            for p, j, s, cl in leaf_to_c(node.m, node.nu, only):
                accumulate(out, make_cnode(coef * p, [(cl, _ONE)], j, s))
            return out
        return cnode_times_power(coef, only, node.m, node.nu)
    return {node: coef}


def _delta_times_power(coef, d: CNode, m, nu) -> Form:
    """x^m e^{iνx} δ⁽ᵏ⁾(x − c) as a sum of δs: x δ⁽ʲ⁾(x−c) = c δ⁽ʲ⁾ − j δ⁽ʲ⁻¹⁾ and
    e^{iνx} δ⁽ᵏ⁾(x−c) = Σⱼ C(k, j) (−iν)^{k−j} e^{iνc} δ⁽ʲ⁾(x−c)."""
    form: Form = {d: coef}
    if nu != 0:
        form = cnode_modulate_form(form, nu)
    for _ in range(_int(m, "a power of x")):
        form = form_sum(*[cnode_times_x(cf, mono) for mono, cf in form.items()])
    return form


# --------------------------------------------------------------------------- pushing down


def cnode_times_x(coef, node: CNode) -> Form:
    """x · D^k τ_c W = D^k τ_c (x W) + c D^k τ_c W − k D^{k−1} τ_c W, with
    x · (⊛ chᵢ^{*μᵢ}) = Σᵢ μᵢ (x chᵢ) * (⊛ the rest)."""
    out: Form = {}
    kids = list(node.children)
    for i, (ch, mu) in enumerate(kids):
        moved = ch.with_(m=ch.m + 1) if isinstance(ch, CLeaf) else PNode(ch.children, ch.m + 1, ch.nu)
        rest = kids[:i] + ([(ch, mu - 1)] if mu != 1 else []) + kids[i + 1 :]
        accumulate(out, make_cnode(coef * mu, rest + [(moved, _ONE)], node.k, node.c))
    if node.c != 0:
        add_into(out, node, coef * node.c)
    if node.k != 0:
        accumulate(out, make_cnode(-coef * node.k, kids, node.k - 1, node.c))
    return out


def cnode_modulate_form(form: Form, nu) -> Form:
    return form_sum(*[cnode_modulate(coef, mono, nu) for mono, coef in form.items()])


def cnode_modulate(coef, node: CNode, nu) -> Form:
    """e^{iνx} D^k τ_c W = Σⱼ C(k, j) (−iν)^{k−j} e^{iνc} Dʲ τ_c (e^{iνx} W), and
    e^{iνx} (⊛ chᵢ) = ⊛ (e^{iνx} chᵢ)."""
    if nu == 0:
        return {node: coef}
    k = _int(node.k, "a derivative order")
    phase = sp.exp(_I * nu * node.c) if node.c != 0 else _ONE
    kids = [
        (ch.with_(nu=ch.nu + nu) if isinstance(ch, CLeaf) else PNode(ch.children, ch.m, expanded(ch.nu + nu)), mu)
        for ch, mu in node.children
    ]
    out: Form = {}
    for j in range(k + 1):
        c = coef * phase * comb(k, j) * (-_I * nu) ** (k - j)
        if not is_zero(c):
            accumulate(out, make_cnode(c, kids, j, node.c))
    return out


def cnode_times_power(coef, node: CNode, m, nu) -> Form:
    """x^m e^{iνx} · node, pushed into the convolution."""
    form: Form = cnode_modulate(coef, node, nu)
    for _ in range(_int(m, "a power of x")):
        form = form_sum(*[cnode_times_x(cf, mono) if isinstance(mono, CNode) else _times_x_p(cf, mono) for mono, cf in form.items()])
    return form


def _times_x_p(coef, node: PNode) -> Form:
    return make_pnode(coef, list(node.children), node.m + 1, node.nu)


def pnode_derivative(coef, node: PNode) -> Form:
    """D(x^m e^{iνx} Π chᵢ^{μᵢ}) by the product rule (Leibniz)."""
    out: Form = {}
    kids = list(node.children)
    if node.m != 0:
        accumulate(out, make_pnode(coef * node.m, kids, node.m - 1, node.nu))
    if node.nu != 0:
        accumulate(out, make_pnode(coef * _I * node.nu, kids, node.m, node.nu))
    for i, (ch, mu) in enumerate(kids):
        if isinstance(ch, PLeaf):
            moved, factor = ch.with_(n=ch.n + 1), ch.a
        else:
            moved, factor = CNode(ch.children, expanded(ch.k + 1), ch.c), _ONE
        rest = kids[:i] + ([(ch, mu - 1)] if mu != 1 else []) + kids[i + 1 :]
        accumulate(out, make_pnode(coef * mu * factor, rest + [(moved, _ONE)], node.m, node.nu))
    return out


def pnode_shift(coef, node: PNode, b) -> Form:
    """τ_b (x^m e^{iνx} Π chᵢ) = (x − b)^m e^{iν(x−b)} Π τ_b chᵢ."""
    b = expanded(b)
    if b == 0:
        return {node: coef}
    kids = [
        (ch.with_(c=ch.c - ch.a * b) if isinstance(ch, PLeaf) else CNode(ch.children, ch.k, expanded(ch.c + b)), mu)
        for ch, mu in node.children
    ]
    phase = sp.exp(-_I * node.nu * b) if node.nu != 0 else _ONE
    if node.m == 0:
        return make_pnode(coef * phase, kids, _ZERO, node.nu)
    m = _int(node.m, "a power of x")
    out: Form = {}
    for j in range(m + 1):
        accumulate(out, make_pnode(coef * phase * comb(m, j) * (-b) ** (m - j), kids, j, node.nu))
    return out


def pnode_translate(coef, node: PNode, k, c) -> Form:
    """D^k τ_c applied to a pointwise product."""
    form = pnode_shift(coef, node, c)
    for _ in range(_int(k, "a derivative order")):
        nxt: Form = {}
        for mono, cf in form.items():
            accumulate(nxt, pnode_derivative(cf, mono) if isinstance(mono, PNode) else make_cnode(cf, list(mono.children), mono.k + 1, mono.c))
        form = nxt
    return form
