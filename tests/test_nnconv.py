"""“NN convolution is cross-correlation”: the layer claims, with and without PyTorch."""

import subprocess
import sys

import pytest

from symconv import Verdict, prove
from symconv.routes.discrete import layers as nnconv
from symconv.routes.discrete.layers import (
    TORCH_ABSENT,
    DiscreteAdjoint,
    LayerIsConv,
    LayerIsXcorr,
)


@pytest.fixture
def no_torch(monkeypatch):
    """Make ``import torch`` fail, as on a machine without the extra."""
    monkeypatch.setitem(sys.modules, "torch", None)


def test_layer_is_xcorr_checked_without_torch(no_torch):
    r = prove(LayerIsXcorr(trials_1d=10, trials_2d=5))
    assert r.verdict is Verdict.CHECKED
    assert r.details["instances"] == 15
    assert r.details["frameworks"]["torch"] == TORCH_ABSENT
    assert "not exercised" in r.details["family"]
    assert "PyTorch absent" in r.method
    # on random non-symmetric kernels the layer is not the convolution
    assert r.details["layer_differs_from_w*x"] > 0


def test_a_wrong_layer_is_an_alarm_not_a_refutation(no_torch, monkeypatch):
    """If the reference computed w * x instead, the check would say so — as an alarm about
    the implementation (unknown), never as a refutation of the claim."""

    original = nnconv._numpy_layer

    def convolving_layer(np, case, mode):
        if case.dim == 1:
            return np.convolve(case.x, case.w, mode).tolist()
        return original(np, case, mode)

    monkeypatch.setattr(nnconv, "_numpy_layer", convolving_layer)
    r = prove(LayerIsXcorr(trials_1d=10, trials_2d=0))
    assert r.verdict is Verdict.UNKNOWN and r.witness is None and r.certificate is None
    assert r.reason.startswith("alarm: numpy.correlate")
    assert "where the exact w ⋆ x gives" in r.details["alarm"]


def test_layer_is_conv_refuted_by_the_simplest_pair(no_torch):
    r = prove(LayerIsConv())
    assert r.verdict is Verdict.REFUTED
    wit = r.witness
    assert wit.functions == {"w[0:2]": "[0, 1]", "x[0:1]": "[1]"}
    assert (wit.at, wit.lhs, wit.rhs) == ("-1", "1", "0")
    assert (wit.lhs_numeric, wit.rhs_numeric) == ("1.0", "0.0")
    assert wit.extra["torch"] == TORCH_ABSENT


def test_discrete_adjoint_checked_without_torch(no_torch):
    r = prove(DiscreteAdjoint(trials_1d=4, trials_2d=2))
    assert r.verdict is Verdict.CHECKED
    assert r.details["instances"] == 6
    assert r.details["entries_compared"] > 6
    assert "autograd: torch not installed" in r.details["family"]


def test_importing_symconv_does_not_import_numpy_or_torch():
    code = (
        "import sys, symconv, theorems; theorems.all_obligations(); "
        "print('numpy' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_with_torch_the_framework_is_exercised():
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    r = prove(LayerIsXcorr(trials_1d=6, trials_2d=4))
    assert torch.get_num_threads() == threads  # the single-threaded run restores the setting
    assert r.verdict is Verdict.CHECKED
    assert r.details["frameworks"]["torch"] == torch.__version__
    assert "torch conv1d/conv2d" in r.details["family"]
    a = prove(DiscreteAdjoint(trials_1d=3, trials_2d=2))
    assert a.verdict is Verdict.CHECKED and "PyTorch autograd" in a.method
    c = prove(LayerIsConv())
    assert c.witness.extra["torch_value_at_index"] == 1.0
