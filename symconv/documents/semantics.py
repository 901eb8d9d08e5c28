"""What each display and inline equation of a document says, and what symconv decides of it.

Walks the blocks in order, keeping the document's notation (which a definition may change):

* a display or inline equation is parsed, its letters are classified and its members built;
* a chain is one obligation per link, plus the claim between its ends where the links
  allow it; a justification ``|y = -z, dy = -dz|`` is checked by the kernel as the
  substitution of the step it stands in;
* a definition (``:=``, or a one-link display introduced as a definition) is checked against
  symconv's meaning of the operator it defines; a document's own meaning is used from there on;
* an inline equation in a sentence right after a derivation that states a conclusion
  ("So we have proved that …") is compared with what the derivation derived;
* an equation after "if" is a hypothesis, not a claim.

Deciding is a callback (``decide(Statement) -> Decision``), so caching and budgets live in
:mod:`symconv.documents.audit`. Everything not read is an item with its reason.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from symconv.documents.chains import (
    as_function,
    end_claim,
    fresh_point,
    links_of,
    point_of,
    statement,
)
from symconv.documents.elaborate import Builder, Kinds, Notation, infer_kinds
from symconv.documents.grammar import Node, find_label, parse_display
from symconv.documents.model import FAILS, HOLDS, Decision, Item, Step
from symconv.documents.source import Document, Math, line_at, line_starts
from symconv.documents.tokens import MathError
from symconv.language.terms import (
    Conv,
    Flip,
    Fn,
    Statement,
    TermError,
    Xcorr,
    function_names,
    unicode,
)
from symconv.trusted import kernel

__all__ = ["read_items", "CONCLUSION_CUES", "MAX_GUESSES"]

CONCLUSION_CUES = ("so we", "we have proved", "we proved", "we derived", "we have derived",
                   "we have shown", "we showed", "hence", "therefore", "thus", "this proves",
                   "which proves", "it follows")
_HYPOTHESIS = re.compile(r"(?:^|\W)(if|let|assume|suppose|whenever|provided)\W*$", re.I)
_DEFINITION_CUE = re.compile(r"defin", re.I)
#: at most this many combinations of guessed readings are tried in one display
MAX_GUESSES = 8
_RELATION_TEXT = re.compile(r"(?<![<>!])=|\\neq?\b|\\coloneqq|≠")


@dataclass
class Context:
    document: Document
    decide: Callable[[Statement], Decision]
    notation: Notation
    sections: dict
    starts: list = field(default_factory=list)
    functions: set = field(default_factory=set)
    lifts: dict = field(default_factory=dict)

    def line(self, offset: int) -> int:
        return line_at(self.starts, offset)


def read_items(document: Document, decide, notation: Notation, sections=None) -> list[Item]:
    """The audit items of ``document`` in order (decisions included)."""
    ctx = Context(document, decide, notation, sections or {}, line_starts(document.text))
    items: list[Item] = []
    section = ""
    last_display: Item | None = None
    previous = None
    for block in document.blocks:
        if block.kind == "heading":
            m = re.match(r"\s*(\d+(?:\.\d+)*)", block.text)
            section = m.group(1) if m else section
            last_display = None
        elif block.kind == "display":
            intro = previous.text if previous is not None and previous.kind == "paragraph" else ""
            item = _read(block.math[0], section, ctx, definition_cue=bool(_DEFINITION_CUE.search(intro)))
            items.append(item)
            last_display = item
        elif block.kind == "paragraph":
            unread_names: dict[str, Item] = {}  # names that an unread equation defines here
            for math, before in zip(block.math, block.before):
                item = _inline(math, before, last_display, section, ctx)
                if item is None:
                    continue
                _depends_on_unread(item, unread_names)
                items.append(item)
            last_display = None
        previous = block
    for item in items:
        if item.not_read and item.section in ctx.sections:
            item.mapped = list(ctx.sections[item.section])
    return items


_DEFINED_NAME = re.compile(r"^\s*([A-Za-z])\s*=")


def _depends_on_unread(item: Item, unread: dict) -> None:
    """``z = g(f(x))`` not read, then ``z' = g' · f'`` is not read either: it is about that z,
    not about an arbitrary function z (and would be misread as a false identity)."""
    for name, source in unread.items():
        if item.read and re.search(rf"(?<![A-Za-z\\]){name}(?![A-Za-z])", item.source):
            item.not_read = (
                f"{name} is defined by an equation that was not read (line {source.line}: "
                f"{source.source.strip()})"
            )
    m = _DEFINED_NAME.match(item.source)
    if not item.read and m:
        unread[m.group(1)] = item


def _is_equation(text: str) -> bool:
    return bool(_RELATION_TEXT.search(text))


def _inline(math: Math, before: str, last_display: Item | None, section: str, ctx) -> Item | None:
    if not _is_equation(math.content):
        return None
    words = before.lower()
    tail = words[-120:]
    if _HYPOTHESIS.search(before.rstrip()) and ":=" not in math.content:
        return _item(math, section, role="hypothesis",
                     not_read="a hypothesis of the sentence (“if …”), not a claim")
    conclusion = last_display is not None and any(cue in tail for cue in CONCLUSION_CUES)
    item = _read(math, section, ctx, role="conclusion" if conclusion else "claim")
    if conclusion and item.read:
        _compare_conclusion(item, last_display)
    return item


def _item(math: Math, section: str, role: str, not_read: str | None = None) -> Item:
    return Item("display" if math.display else "inline", math.line, math.end_line, math.content,
                offset=math.offset, length=len(math.content), label=math.label, section=section,
                role=role, not_read=not_read)


def _where(exc: MathError, math: Math, ctx) -> str:
    if exc.pos is None:
        return exc.message
    return f"{exc.message} (line {ctx.line(math.offset + exc.pos)})"


def _read(math: Math, section: str, ctx: Context, role: str = "equation",
          definition_cue: bool = False) -> Item:
    item = _item(math, section, role)
    try:
        display = parse_display(math.content)
    except MathError as exc:
        item.not_read = _where(exc, math, ctx)
        item.label = item.label or find_label(math.content)
        return item
    item.label = display.label or item.label
    chains = [c for c in display.chains if c.relations]
    if not chains:
        item.not_read = "no relation (=, :=, ≠): not an equation"
        return item
    nodes = [m.node for c in chains for m in c.members if m.node is not None]
    try:
        kinds = infer_kinds(nodes, ctx.functions)
    except MathError as exc:
        item.not_read = _where(exc, math, ctx)
        return item
    item.readings = kinds.as_dict()
    defining = any(":=" in c.relations for c in chains) or (
        definition_cue and len(chains) == 1 and len(chains[0].relations) == 1
    )
    for chain in chains:
        _read_chain(chain, kinds, math, item, ctx, defining)
    if item.role == "equation" and (len(item.steps) > 1 or any(s.justification for s in item.steps)):
        item.role = "derivation"
    if all(s.not_read for s in item.steps) and item.steps and not item.definition:
        item.not_read = item.steps[0].not_read
    else:
        ctx.functions |= kinds.functions
    return item


# ----------------------------------------------------------------------------- chains


@dataclass
class _Built:
    values: list
    errors: list
    builder: Builder
    point: object
    fresh: object


def _build(chain, kinds: Kinds, ctx: Context, choices: dict) -> _Built:
    builder = Builder(kinds, ctx.notation, choices, ctx.lifts)
    values, errors = [], []
    for m in chain.members:
        if m.node is None:
            values.append(None)
            errors.append(None)
            continue
        try:
            values.append(builder.build(m.node))
            errors.append(None)
        except MathError as exc:
            values.append(None)
            errors.append(exc)
    point = point_of(values, prefer=sorted(kinds.diff_vars))
    return _Built(values, errors, builder, point, fresh_point(values))


def _link_statement(built: _Built, link) -> tuple[Statement | None, list, MathError | None]:
    for k in (link.left, link.right):
        if built.errors[k] is not None:
            return None, [], built.errors[k]
    try:
        st, notes = statement(built.values[link.left], built.values[link.right], link.relation,
                              built.point, built.fresh)
        return st, notes, None
    except MathError as exc:
        return None, [], exc


def _member_sites(chain, builder: Builder, index: int, kind: str):
    m = chain.members[index]
    return [s for s in builder.sites.values() if s.kind == kind and m.start <= s.pos < m.end]


def _choose_guesses(chain, links, kinds, math, ctx, item) -> dict:
    """Readings for guessed notation: the first combination under which every link that
    touches a guessed member holds; otherwise the first reading. Reported as a warning."""
    first = _build(chain, kinds, ctx, {})
    guesses = [s for s in first.builder.sites.values() if s.kind == "guess"]
    if not guesses:
        return {}, first
    combos = itertools.islice(
        itertools.product(*[range(len(s.options)) for s in guesses]), MAX_GUESSES)
    chosen, consistent = {}, False
    for combo in combos:
        choices = {s.pos: c for s, c in zip(guesses, combo)}
        built = _build(chain, kinds, ctx, choices)
        touching = [ln for ln in links
                    if any(_member_sites(chain, built.builder, k, "guess") for k in (ln.left, ln.right))]
        ok = True
        for ln in touching:
            st, _, err = _link_statement(built, ln)
            if err is not None or ctx.decide(st).status != HOLDS:
                ok = False
                break
        if ok:
            chosen, consistent = choices, True
            break
    for s in guesses:
        reading = s.options[chosen.get(s.pos, 0)]
        why = ("the reading under which the neighbouring steps hold" if consistent
               else "no reading makes the neighbouring steps hold; the first one is kept")
        item.warnings.append(f"line {ctx.line(math.offset + s.pos)}: {reading} — {why}")
    return chosen, _build(chain, kinds, ctx, chosen)


def _read_chain(chain, kinds: Kinds, math: Math, item: Item, ctx: Context, defining: bool):
    try:
        links = links_of(chain)
    except MathError as exc:
        item.steps.append(Step("=", "", "", item.line, not_read=_where(exc, math, ctx)))
        return
    choices, built = _choose_guesses(chain, links, kinds, math, ctx, item)
    src = math.content
    steps = []
    for ln in links:
        left, right = chain.members[ln.left], chain.members[ln.right]
        step = Step(ln.relation, src[left.start:left.end].strip(), src[right.start:right.end].strip(),
                    ctx.line(math.offset + right.start))
        st, notes, err = _link_statement(built, ln)
        step.notes.extend(notes)
        if err is not None:
            step.not_read = _where(err, math, ctx)
        else:
            step.statement, step.latex = str(st), st.latex()
            step.decision = ctx.decide(st)
            if step.decision.status != HOLDS:
                step.alternatives = _alternatives(chain, ln, kinds, choices, ctx)
        if ln.justification is not None:
            step.justification = _justify(ln, chain, built, math, ctx)
        steps.append(step)
    if defining and len(links) == 1 and steps[0].decision is not None:
        _definition(steps[0], chain, built, links[0], item, ctx)
    item.steps.extend(steps)
    relation = end_claim([ln.relation for ln in links])
    first, last = 0, len(chain.members) - 1
    if relation and built.errors[first] is None and built.errors[last] is None:
        try:
            st, notes = statement(built.values[first], built.values[last], relation, built.point,
                                  built.fresh)
        except MathError as exc:
            item.notes.append(f"the claim between the ends is not read: {exc.message}")
            return
        src_first = src[chain.members[first].start:chain.members[first].end].strip()
        src_last = src[chain.members[last].start:chain.members[last].end].strip()
        claim = Step(relation, src_first, src_last, item.end_line, statement=str(st),
                     latex=st.latex(), notes=notes, kind="ends")
        claim.decision = ctx.decide(st)
        item.claim = claim
        item.derived = st
    elif relation is None and len(links) > 1:
        item.notes.append("the links do not give a claim between the ends (more than one ≠)")
    if item.derived is None and len(links) == 1 and steps[0].statement:
        item.derived = _statement_of(built, links[0])


def _statement_of(built, link):
    st, _, err = _link_statement(built, link)
    return st if err is None else None


def _as_written(built, link):
    """Two values as they are written (``(f * δ)(a) = f(a)``), when both are numbers."""
    left, right = built.values[link.left], built.values[link.right]
    try:
        st = Statement(left, right, link.relation == "≠")
    except TermError:
        return None
    return st if st.kind != "function" else None


def _alternatives(chain, link, kinds, choices, ctx) -> list[dict]:
    """Other readings of the same text (``f * δ(a)`` as (f * δ)(a)) that hold."""
    base = _build(chain, kinds, ctx, choices)
    out = []
    for k in (link.left, link.right):
        for site in _member_sites(chain, base.builder, k, "alternative"):
            for option in range(1, len(site.options)):
                alt = _build(chain, kinds, ctx, {**choices, site.pos: option})
                st, _, err = _link_statement(alt, link)
                if err is not None:
                    continue
                decision = ctx.decide(st)
                if decision.status == HOLDS:
                    shown = _as_written(alt, link) or st
                    out.append({"reading": site.options[option], "statement": str(shown),
                                "latex": st.latex(), "verdict": decision.verdict,
                                "method": decision.method})
    return out


# ----------------------------------------------------------------------------- justifications


def _justify(link, chain, built, math, ctx) -> dict:
    """Check ``|y = φ(z), dy = φ′(z) dz|`` as the substitution between the two integrals."""
    just = link.justification
    text = math.content[just.start:just.end]
    out = {"text": text.strip(), "status": "not checked", "reason": None}
    lines = {i["pos"]: i for i in built.builder.integrals}
    sides = []
    for k in (link.left, link.right):
        node = chain.members[k].node
        sides.append(lines.get(node.pos) if node is not None and node.kind == "integral" else None)
    if None in sides:
        out["reason"] = "a substitution is checked between two integrals; a side here is not one"
        return out
    (left, right) = sides
    subst, differential = None, None
    try:
        b = Builder(Kinds(), Notation())
        for lhs, rhs in link.justification.justification:
            if lhs.kind == "name":
                subst = (lhs.value, b.build(rhs))
            elif lhs.kind == "mul" and [c.kind for c in lhs.children] == ["name", "name"] \
                    and lhs.children[0].value == "d":
                differential = (lhs.children[1].value, b.build(rhs))
    except (MathError, TermError) as exc:
        out["reason"] = f"the substitution is not read: {exc}"
        return out
    if subst is None or subst[0] != left["var"].name:
        out["reason"] = f"no substitution for the variable {left['var']} of the left integral"
        return out
    new_var = right["var"]
    phi = subst[1]
    if differential is not None:
        d = sp.Symbol("d", real=True)
        written = sp.expand(differential[1] / (d * new_var))
        slope = sp.diff(phi, new_var)
        if differential[0] != subst[0] or sp.expand(written - slope) != 0:
            out["status"] = "refused"
            out["reason"] = f"d{subst[0]} = {unicode(differential[1])} but {subst[0]} = " \
                            f"{unicode(phi)} gives d{subst[0]} = {unicode(slope)}·d{new_var}"
            return out
    start = kernel.begin(Statement(left["line"], right["line"]))
    result = kernel.substitute(start, left["line"], right["line"], phi, new_var) \
        if isinstance(start, kernel.Derivation) else start
    if isinstance(result, kernel.Refusal):
        out["status"] = "refused"
        out["reason"] = f"the kernel refuses the substitution: {result.reason}"
    else:
        out["status"] = "checked"
        out["reason"] = (f"substituting {subst[0]} = {unicode(phi)} (d{subst[0]} = "
                         f"{unicode(sp.diff(phi, new_var))}·d{new_var}) turns the left integral "
                         "into the right one: checked by the kernel")
    return out


# ----------------------------------------------------------------------------- definitions


def _head_symbol(node: Node) -> str | None:
    while node.kind in ("apply", "group") and node.children:
        node = node.children[0]
    return node.value if node.kind == "binop" else ("flip" if node.kind == "flip" else None)


def _definition(step: Step, chain, built, link, item: Item, ctx: Context) -> None:
    """A definition: check it against symconv's meaning; adopt a different one from here on."""
    left_value, right_value = built.values[link.left], built.values[link.right]
    fl = left_value if _is_function(left_value) else as_function(left_value, built.point)
    fr = right_value if _is_function(right_value) else as_function(right_value, built.point)
    if fl is None or fr is None:
        return
    symbol = _head_symbol(chain.members[link.left].node)
    step.kind = "definition"
    item.role = "definition"
    agrees = step.decision.status == HOLDS
    if isinstance(fl, (Conv, Xcorr)) and isinstance(fl.left, Fn) and isinstance(fl.right, Fn) \
            and fl.left != fl.right and symbol not in (None, "flip"):
        name = "convolution (*)" if isinstance(fl, Conv) else "cross-correlation (⋆)"
        info = {"defines": f"\\{symbol}" if symbol != "*" else "*", "symconv": name,
                "agrees": agrees, "meaning": unicode(fr)}
        if agrees:
            info["text"] = f"agrees with symconv's {name}: both sides mean {unicode(fl)}"
        elif step.decision.status == FAILS:
            extra = set(function_names(fr)) - {fl.left.name, fl.right.name}
            if extra:
                info["text"] = (f"defines {info['defines']} differently from symconv's {name}, "
                                f"through other functions ({', '.join(sorted(extra))}): it cannot "
                                "be used for the rest of the document")
            else:
                a, b = fl.left, fl.right
                ctx.notation.binary[symbol] = lambda A, B, t=fr, a=a, b=b: t.xreplace({a: A, b: B})
                info["text"] = (f"defines {info['defines']} differently from symconv's {name}: "
                                f"{a} {info['defines']} {b} here means {unicode(fr)}; that meaning "
                                "is used for the rest of the document")
            item.warnings.append(info["text"])
        else:
            info["text"] = f"whether it agrees with symconv's {name} is undecided"
        item.definition = info
        return
    if isinstance(fl, Flip) and isinstance(fl.arg, Fn):
        info = {"defines": "⁻", "symconv": "the flip f⁻(x) = f(−x)", "agrees": agrees,
                "meaning": unicode(fr)}
        if agrees:
            info["text"] = "agrees with symconv's flip f⁻(x) = f(−x)"
        elif step.decision.status == FAILS and function_names(fr) == [fl.arg.name]:
            a = fl.arg
            ctx.notation.flip = lambda A, t=fr, a=a: t.xreplace({a: A})
            info["text"] = (f"defines ⁻ differently from symconv's flip: {unicode(fl)} here means "
                            f"{unicode(fr)}; that meaning is used for the rest of the document")
            item.warnings.append(info["text"])
        else:
            info["text"] = "whether it agrees with symconv's flip is undecided"
        item.definition = info
        return
    if isinstance(fl, Fn) and fl.name not in function_names(fr):
        ctx.notation.names[fl.name] = fr
        item.definition = {"defines": fl.name, "symconv": None, "agrees": True,
                           "meaning": unicode(fr),
                           "text": f"defines {fl.name} := {unicode(fr)} for the rest of the document"}
        step.decision = None
        step.notes.append("a definition of a new name: nothing to decide")
        return
    item.role = "equation"
    step.kind = "link"


def _is_function(value) -> bool:
    from symconv.language.terms import FUNCTION, kind_of

    return kind_of(value) == FUNCTION


# ----------------------------------------------------------------------------- conclusions


def _same(a: Statement, b: Statement) -> bool:
    if a is None or b is None or a.negated != b.negated:
        return False
    return (a.lhs == b.lhs and a.rhs == b.rhs) or (a.lhs == b.rhs and a.rhs == b.lhs)


def _compare_conclusion(item: Item, display: Item) -> None:
    concluded = None
    if len(item.steps) == 1 and item.steps[0].statement:
        concluded = item.derived
    derived = display.derived
    where = display.name
    if derived is None:
        item.conclusion = {"of": where, "derived": None, "concluded": item.steps[0].statement
                           if item.steps else None, "matches": False,
                           "text": f"{where} derives no single statement to compare with"}
        return
    matches = _same(concluded, derived)
    text = (f"is what {where} derives" if matches else
            f"is not what {where} derives: {where} derives {derived}, the sentence concludes "
            f"{concluded}")
    item.conclusion = {"of": where, "derived": str(derived), "derived_latex": derived.latex(),
                       "concluded": str(concluded) if concluded else None, "matches": matches,
                       "text": text}
