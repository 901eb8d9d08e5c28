"""A small reader of LaTeX, to parse the LaTeX report back in the tests."""

import re


def check_latex(text):
    """Parse the LaTeX back far enough to trust it: balanced groups and environments,
    no unescaped special characters in text."""
    stack = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":  # a comment runs to the end of the line
            i = text.index("\n", i)
            continue
        if ch == "\\":
            m = re.match(r"\\(begin|end)\{(\w+\*?)\}", text[i:])
            if m:
                if m.group(1) == "begin":
                    stack.append(m.group(2))
                else:
                    assert stack and stack.pop() == m.group(2), f"unbalanced at {i}"
                i += m.end()
                continue
            i += 2  # an escaped character or the start of a command
            continue
        if ch == "{":
            stack.append("{")
        elif ch == "}":
            assert stack and stack.pop() == "{", f"unbalanced brace at {i}"
        assert ch not in "#&~" or text[i - 1] == "\\" or _in_alignment(text, i), (
            f"unescaped {ch!r} at {i}: {text[max(0, i - 30) : i + 30]!r}"
        )
        i += 1
    assert not stack, stack


def _in_alignment(text, i):
    """Inside an environment where & separates columns."""
    return any(
        text.rfind(rf"\begin{{{env}}}", 0, i) > text.rfind(rf"\end{{{env}}}", 0, i)
        for env in ("tabular", "align*", "aligned")
    )
