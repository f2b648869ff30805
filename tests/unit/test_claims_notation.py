# ruff: noqa: E501  (LaTeX formulas read better on one line)
"""Notation as people write it: every claim form, right and wrong, through the real checker.

Each row is (definitions, the claim line, what it must get): "verified" (proved by SymPy), "numeric"
(agrees at points, not proved), "wrong", "unchecked", or "error: <text>" (the line cannot be read, and the
message says why). The first block holds one row for each way a wrong claim used to pass.
"""

from __future__ import annotations

import pytest

from mathwiki.claims.check import check_fences

V, W, N = "verified", "wrong", "numeric"

ROWS: list[tuple[str, str, str]] = [
    # -- the ways a wrong claim used to pass ------------------------------------------------------------
    (r"f(x) = log(x^2)", r"\frac{df}{dx} = 2log(x)", W),
    (r"f(x) = log(x^2)", r"\frac{df}{dx} = \frac{2}{x}", V),
    (r"f(x) = \log(x^2)", r"\frac{df}{dx} = 2log(x)", W),
    (r"f(x, y) = x^2 y" "\n" r"f_x(x, y) = 5x^2 y", "", W),
    (r"f(x, y) = x^2 y" "\n" r"f_x(x, y) = 2xy", "", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x + e^{-1000x^2}e^{-1000x^2}e^{-1000x^2}", W),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x + e^{-1000(x - 3)^2}", W),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x + 10^{-30}", W),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x + e^{-1000(x - 3)^4}", W),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x + e^{-10^{4}(x^2 - 4)^2}", W),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x + max(x)", "error: 'max(' is ambiguous"),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x + e^{-10^{6} x^2}", W),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x \cdot \sigma(x)", "error: unknown function '\\sigma'"),
    (r"g(x) = \sigma(x)", "", "error: unknown function '\\sigma'"),
    (r"g(x) = f(x) + 1", "", "error: unknown function 'f'"),
    (r"g(x) = \phi(x)^2", "", "error: unknown function '\\phi'"),
    # -- letter runs: a function name is the function, never a product of letters ------------------------
    (r"f(x) = ln(x^2)", r"\frac{df}{dx} = \frac{2}{x}", V),
    (r"f(x) = ln(x^2)", r"\frac{df}{dx} = \frac{1}{x}", W),
    (r"f(x) = sin(x^2)", r"\frac{df}{dx} = 2x cos(x^2)", V),
    (r"f(x) = sin(x^2)", r"\frac{df}{dx} = 2x sin(x^2)", W),
    (r"f(x) = exp\left(-x^2\right)", r"\frac{df}{dx} = -2x exp(-x^2)", V),
    (r"f(x) = exp\left(-x^2\right)", r"\frac{df}{dx} = 2x exp(-x^2)", W),
    (r"f(x) = tanh(x)", r"\frac{df}{dx} = 1 - tanh(x)^2", V),
    (r"f(x) = tanh(x)", r"\frac{df}{dx} = 1 + tanh(x)^2", W),
    (r"f(x) = cosh(x)", r"\frac{df}{dx} = sinh(x)", V),
    (r"f(x) = arctan(x)", r"\frac{df}{dx} = \frac{1}{1 + x^2}", V),
    (r"f(x) = arctan(x)", r"\frac{df}{dx} = \frac{1}{1 - x^2}", W),
    (r"f(x) = sqrt(x)", r"\frac{df}{dx} = \frac{1}{2 sqrt(x)}", V),
    (r"f(x) = sqrt(x)", r"\frac{df}{dx} = \frac{1}{sqrt(x)}", W),
    (r"f(x) = abs(x)", r"\frac{df}{dx} = sgn(x)", V),
    (r"f(t) = cost", "", "error: 'cost' is ambiguous"),
    (r"f(x) = sinx", "", "error: 'sinx' is ambiguous"),
    (r"f(x) = x logx", "", "error: 'logx' is ambiguous"),
    (r"f(x) = xsin(x)", "", "error: 'xsin' is ambiguous"),
    (r"f(x) = x \log x", r"\frac{df}{dx} = log(x) + 1", V),
    (r"f(x) = x \log x", r"\frac{df}{dx} = log(x)", W),
    (r"f(x) = e^{x} sec(x)", r"\frac{df}{dx} = e^x sec(x) + e^x sec(x) tan(x)", V),
    (r"softplus(x) = \ln(1 + e^x)", r"\frac{d\,softplus}{dx} = \frac{e^x}{1 + e^x}", V),
    (r"softplus(x) = \ln(1 + e^x)", r"\frac{d\,softplus}{dx} = \frac{1}{1 + e^x}", W),
    (
        r"\mathrm{softplus}(x) = \ln(1 + e^x)",
        r"\frac{\partial \mathrm{softplus}}{\partial x} = \frac{1}{1 + e^{-x}}",
        V,
    ),
    (r"relu(x) = x^2" "\n" r"g(x) = relu(x) + 1", r"\frac{dg}{dx} = 2x", V),
    # -- function names in \text, \mathrm, \operatorname, {\rm } ---------------------------------------
    (r"t(z) = \tanh(z)", r"\frac{dt}{dz} = \text{sech}^2(z)", V),
    (r"t(z) = \tanh(z)", r"\frac{dt}{dz} = \mathrm{sech}^2(z)", V),
    (r"t(z) = \tanh(z)", r"\frac{dt}{dz} = \operatorname{sech}^2 z", V),
    (r"t(z) = \tanh(z)", r"\frac{dt}{dz} = {\rm sech}^2(z)", V),
    (r"t(z) = \tanh(z)", r"\frac{dt}{dz} = \operatorname{sech}(z)", W),
    (r"t(z) = \tanh(z)", r"\frac{dt}{dz} = 2\,\text{sech}^2(z)", W),
    (r"f(x) = \operatorname{sech}(x)", r"\frac{df}{dx} = -\operatorname{sech}(x) \tanh(x)", V),
    (r"f(x) = \operatorname{sech}(x)", r"\frac{df}{dx} = \operatorname{sech}(x) \tanh(x)", W),
    (r"f(x) = \operatorname{csch}(x)", r"\frac{df}{dx} = -\operatorname{csch}(x)\coth(x)", V),
    (r"f(x) = \coth(x)", r"\frac{df}{dx} = -\operatorname{csch}^2(x)", V),
    (r"f(x) = \coth(x)", r"\frac{df}{dx} = \operatorname{csch}^2(x)", W),
    (r"f(x) = \mathrm{ln}(x^2 + 1)", r"\frac{df}{dx} = \frac{2x}{x^2 + 1}", V),
    (r"f(x) = \text{exp}(3x)", r"\frac{df}{dx} = 3\exp(3x)", V),
    (r"f(x) = \operatorname{erf}(x)", r"\frac{df}{dx} = \frac{2}{\sqrt{\pi}} e^{-x^2}", V),
    (r"f(x) = \operatorname{erf}(x)", r"\frac{df}{dx} = \frac{1}{\sqrt{\pi}} e^{-x^2}", W),
    (r"f(x) = \operatorname{erfc}(x)", r"\frac{df}{dx} = -\frac{2}{\sqrt{\pi}} e^{-x^2}", V),
    (r"f(x) = \operatorname{erfc}(x)", r"\frac{df}{dx} = \frac{2}{\sqrt{\pi}} e^{-x^2}", W),
    (r"f(x) = \operatorname{arcsinh}(x)", r"\frac{df}{dx} = \frac{1}{\sqrt{x^2 + 1}}", V),
    (r"f(x) = \operatorname{arctanh}(x)", r"\frac{df}{dx} = \frac{1}{1 - x^2}", V),
    (r"f(x) = \operatorname{arctanh}(x)", r"\frac{df}{dx} = \frac{1}{1 + x^2}", W),
    # -- ambiguous division ----------------------------------------------------------------------------
    (r"p(x) = e^{-x^2/2\sigma^2}", "", "error: is ambiguous: it can be read as"),
    (r"p(x) = 1/2x", "", "error: is ambiguous"),
    (r"p(x) = e^{-x^2/(2\sigma^2)}", r"\frac{dp}{dx} = -\frac{x}{\sigma^2} e^{-x^2/(2\sigma^2)}", V),
    (r"p(x) = e^{-x^2/(2\sigma^2)}", r"\frac{dp}{dx} = -\frac{x}{2\sigma^2} e^{-x^2/(2\sigma^2)}", W),
    (r"p(x) = x^2/2", r"\frac{dp}{dx} = x", V),
    (r"p(x) = x^2/2 + x", r"\frac{dp}{dx} = x + 1", V),
    (r"p(x) = x/2 \cdot x", r"\frac{dp}{dx} = x", V),
    # -- heads ------------------------------------------------------------------------------------------
    (r"f(x) = x^3", r"\dfrac{df}{dx} = 3x^2", V),
    (r"f(x) = x^3", r"\dfrac{df}{dx} = 3x", W),
    (r"f(x) = x^3", r"\tfrac{df}{dx} = 3x^2", V),
    (r"f(x) = x^3", r"\tfrac{df}{dx} = x^2", W),
    (r"f(x) = x^3", r"\frac{\mathrm{d}f}{\mathrm{d}x} = 3x^2", V),
    (r"f(x) = x^3", r"\frac{\mathrm{d}f}{\mathrm{d}x} = 3x^3", W),
    (r"f(x) = x^3", r"\frac{\mathrm{d}^2 f}{\mathrm{d}x^2} = 6x", V),
    (r"f(x) = x^3", r"{df \over dx} = 3x^2", V),
    (r"f(x) = x^3", r"{df \over dx} = 2x^2", W),
    (r"f(x) = x^3", r"{d \over dx} f(x) = 3x^2", V),
    (r"f(x) = x^3", r"{d \over dx} f(x) = 3x", W),
    (r"y = x^2 + 1", r"dy/dx = 2x", V),
    (r"y = x^2 + 1", r"dy/dx = 2x + 1", W),
    (r"y = x^3", r"d^2y/dx^2 = 6x", V),
    (r"y = x^3", r"d^2y/dx^2 = 3x", W),
    (r"f(x, y) = x^2 y", r"\partial f/\partial x = 2xy", V),
    (r"f(x, y) = x^2 y", r"\partial f/\partial y = 2xy", W),
    (r"f(x) = x^3", r"df/dx = 3x^2", V),
    (r"f(x) = x^3", r"df/dx = 3x^3", W),
    (r"f(x) = x^3", r"\frac{d}{dx} f(x) = 3x^2", V),
    (r"f(x) = x^3", r"\frac{d}{dx} f(x) = 3x^3", W),
    (r"f(x) = x^3", r"\frac{d}{dx} f(2x) = 24x^2", V),
    (r"f(x) = x^3", r"\frac{d}{dx} f(2x) = 12x^2", W),
    (r"f(x, y) = x^2 y", r"\frac{\partial}{\partial x} f(x, y) = 2xy", V),
    (r"f(x, y) = x^2 y", r"\frac{\partial}{\partial x} f(x, y) = x^2", W),
    (r"f(x, y) = x^2 y", r"\frac{\partial^2}{\partial x \partial y} f(x, y) = 2x", V),
    (r"f(x, y) = x^2 y", r"\frac{\partial^2}{\partial x^2} f(x, y) = 2x", W),
    ("", r"\frac{d}{dx} \left( x^2 \sin x \right) = 2x \sin x + x^2 \cos x", V),
    ("", r"\frac{d}{dx} \left( x^2 \sin x \right) = 2x \sin x - x^2 \cos x", W),
    ("", r"\frac{d}{dx} (x^3) = 3x^2", V),
    ("", r"\frac{d}{dx} (x^3) = 3x", W),
    ("", r"\frac{d}{dx} e^{2x} = 2e^{2x}", V),
    ("", r"\frac{d}{dx} e^{2x} = e^{2x}", W),
    ("", r"\frac{d}{dx} \ln x = \frac{1}{x}", V),
    ("", r"\frac{d}{dx} \ln x = \ln x", W),
    ("", r"\frac{d}{dx}\sin(x) = \cos(x)", V),
    ("", r"\frac{d}{dx}\sin(x) = -\cos(x)", W),
    ("", r"\frac{\partial}{\partial y} (x^2 y^3) = 3x^2 y^2", V),
    ("", r"\frac{\partial}{\partial y} (x^2 y^3) = 2x y^3", W),
    ("", r"\frac{d^2}{dx^2} x^4 = 12x^2", V),
    ("", r"\frac{d^2}{dx^2} x^4 = 4x^3", W),
    ("", r"d/dx (x^2) = 2x", V),
    ("", r"d/dx (x^2) = x", W),
    ("", r"\frac{d}{dt} (a t^2) = 2at", V),
    ("", r"\frac{d}{dt} (a t^2) = 2a", W),
    (r"f(x) = x^3", r"\frac{df(x)}{dx} = 3x^2", V),
    (r"f(x) = x^3", r"\frac{df(x)}{dx} = 3x", W),
    (r"f(x) = x^3", r"\frac{df}{dx}(x) = 3x^2", V),
    (r"f(x) = x^3", r"\frac{df}{dx}(x) = 3x", W),
    (r"f(x) = x^3", r"\frac{df}{dx}(2) = 12", V),
    (r"f(x) = x^3", r"\frac{df}{dx}(2) = 8", W),
    (r"f(x, y) = x^2 y", r"\frac{\partial f(x, y)}{\partial x} = 2xy", V),
    (r"f(x, y) = x^2 y", r"\frac{\partial f(x, y)}{\partial x} = 2x", W),
    (r"f(x) = x^3", r"\frac{dg}{dx} = 3x^2", "unchecked"),
    (r"f(x) = x^3", r"\frac{df}{dy} = 0", "unchecked"),
    # -- primes -----------------------------------------------------------------------------------------
    (r"f(x) = x^3", r"f'(x) = 3x^2", V),
    (r"f(x) = x^3", r"f'(x) = 3x", W),
    (r"f(x) = x^3", r"f''(x) = 6x", V),
    (r"f(x) = x^3", r"f''(x) = 6", W),
    (r"f(x) = x^3", r"f'''(x) = 6", V),
    (r"f(x) = x^3", r"f'''(x) = 0", W),
    (r"f(x) = x^3", r"f^{\prime}(x) = 3x^2", V),
    (r"f(x) = x^3", r"f^{\prime}(x) = x^2", W),
    (r"f(x) = x^3", r"f^{\prime\prime}(x) = 6x", V),
    (r"f(x) = x^3", r"f^\prime(x) = 3x^2", V),
    (r"f(x) = x^3", r"f' = 3x^2", V),
    (r"f(x) = x^3", r"f'(t) = 3t^2", V),
    (r"f(x) = x^3", r"f'(t) = 3x^2", W),
    (r"f(x) = x^3", r"f'(1) = 3", V),
    (r"f(x) = x^3", r"f'(1) = 1", W),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(z)(1 - \sigma(z))", V),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(z)(1 + \sigma(z))", W),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(1 - \sigma)", V),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(1 + \sigma)", W),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\frac{d\sigma}{dz} = \sigma(1 - \sigma)", V),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\frac{d\sigma}{dz} = \sigma (1 - \sigma)", V),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\frac{d\sigma}{dz} = \sigma - \sigma^2", V),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\frac{d\sigma}{dz} = \sigma^2", W),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\frac{d^2\sigma}{dz^2} = \sigma(1 - \sigma)(1 - 2\sigma)", V),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\frac{d^2\sigma}{dz^2} = \sigma(1 - \sigma)(1 + 2\sigma)", W),
    (r"y = x^2", r"y' = 2x", V),
    (r"y = x^2", r"y' = x", W),
    (r"y = x^2", r"y'' = 2", V),
    (r"f(x, y) = x^2 y", r"f'(x) = 2xy", "error: is ambiguous"),
    (r"f(x) = x^2", r"g'(x) = 2x", "error: unknown function 'g'"),
    # -- partial shorthands -----------------------------------------------------------------------------
    (r"f(x, y) = x^2 y", r"f_x = 2xy", V),
    (r"f(x, y) = x^2 y", r"f_x = 2x", W),
    (r"f(x, y) = x^2 y", r"f_y = x^2", V),
    (r"f(x, y) = x^2 y", r"f_y = 2xy", W),
    (r"f(x, y) = x^2 y", r"f_{xy} = 2x", V),
    (r"f(x, y) = x^2 y", r"f_{xy} = 2y", W),
    (r"f(x, y) = x^2 y", r"f_{xx} = 2y", V),
    (r"f(x, y) = x^2 y", r"f_{xx} = 2x", W),
    (r"f(x, y) = x^2 y", r"f_{yy} = 0", V),
    (r"f(x, y) = x^2 y", r"f_x(x, y) = 2xy", V),
    (r"f(x, y) = x^2 y", r"f_x(a, b) = 2ab", "error: is ambiguous"),
    (r"L(w, b) = (wx + b - y)^2", r"L_w = 2x(wx + b - y)", V),
    (r"L(w, b) = (wx + b - y)^2", r"L_w = 2(wx + b - y)", W),
    (r"L(w, b) = (wx + b - y)^2", r"L_b = 2(wx + b - y)", V),
    (r"L(w, b) = (wx + b - y)^2", r"L_b = 2x(wx + b - y)", W),
    (r"f(x, y) = x^2 y", r"\partial_x f = 2xy", V),
    (r"f(x, y) = x^2 y", r"\partial_x f = x^2", W),
    (r"f(x, y) = x^2 y", r"\partial_{x} f(x, y) = 2xy", V),
    (r"f(x, y) = x^2 y", r"\partial_{y} f(x, y) = 2xy", W),
    (r"f(x, y) = x^2 y", r"\partial_x \partial_y f = 2x", V),
    (r"f(x, y) = x^2 y", r"\partial_x \partial_y f = 2y", W),
    (r"f(x, y) = x^2 y", r"\partial_{xy} f = 2x", V),
    (r"f(w_1, w_2) = w_1^2 w_2", r"\partial_{w_1} f = 2 w_1 w_2", V),
    (r"f(w_1, w_2) = w_1^2 w_2", r"\partial_{w_1} f = w_1^2", W),
    ("", r"\partial_x (x^2 y) = 2xy", V),
    ("", r"\partial_x (x^2 y) = x^2", W),
    (r"f(x, y) = x^2 y", r"f_1(x) = x" "\n" r"\frac{df_1}{dx} = 1", V),
    (r"\ell(\mu, \sigma) = \mu^2 \sigma" "\n" r"\ell_b(\theta) = \theta^2", r"\frac{d\ell_b}{d\theta} = 2\theta", V),
    # -- definitions without an argument list -------------------------------------------------------------
    (r"y = 3x^2 + 2x", r"\frac{dy}{dx} = 6x + 2", V),
    (r"y = 3x^2 + 2x", r"\frac{dy}{dx} = 6x", W),
    (r"z = wx + b", r"\frac{\partial z}{\partial w} = x", V),
    (r"z = wx + b", r"\frac{\partial z}{\partial w} = w", W),
    (r"z = wx + b", r"\frac{\partial z}{\partial b} = 1", V),
    (r"u = x^2" "\n" r"v = u^3", r"\frac{dv}{dx} = 6x^5", V),
    (r"u = x^2" "\n" r"v = u^3", r"\frac{dv}{dx} = 3x^4", W),
    (r"y = 5", r"\frac{dy}{dx} = 0", V),
    (r"f(x) = x^2" "\n" r"f(x) = x^3", "", "error: is already defined on line"),
    (r"y = x" "\n" r"y = x^2", "", "error: is already defined on line"),
    # -- vectors and matrices ---------------------------------------------------------------------------
    (r"f(x, y) = x^2 y", r"\nabla f = (2xy, x^2)", V),
    (r"f(x, y) = x^2 y", r"\nabla f = (2xy, x)", W),
    (r"f(x, y) = x^2 y", r"\nabla f = \begin{bmatrix} 2xy \\ x^2 \end{bmatrix}", V),
    (r"f(x, y) = x^2 y", r"\nabla f = \begin{bmatrix} 2xy \\ 2x \end{bmatrix}", W),
    (r"f(x, y) = x^2 y", r"\nabla f = \begin{pmatrix} 2xy & x^2 \end{pmatrix}", V),
    (r"f(x, y) = x^2 y", r"\nabla f = \begin{pmatrix} 2y & x^2 \end{pmatrix}", W),
    (r"f(x, y) = x^2 y", r"\nabla f(x, y) = \left(2xy, x^2\right)", V),
    (r"f(x, y) = x^2 y", r"\nabla f = (2xy)", "error: has 2 entries"),
    (r"f(x, y) = x^3 + xy^2", r"\nabla^2 f = \begin{bmatrix} 6x & 2y \\ 2y & 2x \end{bmatrix}", V),
    (r"f(x, y) = x^3 + xy^2", r"\nabla^2 f = \begin{bmatrix} 6x & 2y \\ 2x & 2x \end{bmatrix}", W),
    (r"f(x, y) = x^3 + xy^2", r"\nabla^2 f = \begin{bmatrix} 6x & 2y \\ 2y \end{bmatrix}", "error: 2×2 entries"),
    (r"L(w_1, w_2) = w_1^2 + 3w_1 w_2", r"\nabla L = \begin{bmatrix} 2w_1 + 3w_2 \\ 3w_1 \end{bmatrix}", V),
    (r"L(w_1, w_2) = w_1^2 + 3w_1 w_2", r"\nabla L = \begin{bmatrix} 2w_1 + 3w_2 \\ 3w_2 \end{bmatrix}", W),
    (r"f(x) = x^2", r"\nabla g = (2x)", "error: unknown function 'g'"),
    # -- derivations: chains and continued lines ---------------------------------------------------------
    (r"f(x) = (x + 1)^2", r"\frac{df}{dx} = 2(x + 1) = 2x + 2", V),
    (r"f(x) = (x + 1)^2", r"\frac{df}{dx} = 2(x + 1) = 2x + 1", W),
    (r"f(x) = (x + 1)^2", r"\frac{df}{dx} = 2(x + 2) = 2x + 2", W),
    (r"f(x) = (x + 1)^2", r"\frac{df}{dx} &= 2(x + 1) \\", V),
    (r"f(x) = (x + 1)^2", r"\frac{df}{dx} &= 2(x + 1) \\" "\n" r"&= 2x + 2", V),
    (r"f(x) = (x + 1)^2", r"\frac{df}{dx} &= 2(x + 1) \\" "\n" r"&= 2x + 3", W),
    (
        r"f(x) = (x + 1)^2",
        r"\begin{aligned}" "\n" r"\frac{df}{dx} &= 2(x + 1) \\" "\n" r"&= 2x + 2" "\n" r"\end{aligned}",
        V,
    ),
    (r"f(x) = (x + 1)^2", r"= 2x + 2", "error: no claim comes before it"),
    (
        r"\sigma(z) = \frac{1}{1 + e^{-z}}",
        r"\frac{d\sigma}{dz} = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)(1 - \sigma(z))",
        V,
    ),
    (
        r"\sigma(z) = \frac{1}{1 + e^{-z}}",
        r"\frac{d\sigma}{dz} = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)(1 + \sigma(z))",
        W,
    ),
    (r"f(x) = x^2 \sin x", r"f'(x) = 2x \sin x + x^2 \cos x = x(2 \sin x + x \cos x)", V),
    (r"f(x) = x^2 \sin x", r"f'(x) = 2x \sin x + x^2 \cos x = x(2 \sin x - x \cos x)", W),
    # -- functions --------------------------------------------------------------------------------------
    (r"f(x) = |x|", r"\frac{df}{dx} = \frac{x}{|x|}", V),
    (r"f(x) = |x|", r"\frac{df}{dx} = 1", W),
    (r"f(x) = \left| x \right|", r"\frac{df}{dx} = \operatorname{sgn}(x)", V),
    (r"f(x) = \left| x \right|", r"\frac{df}{dx} = -\operatorname{sgn}(x)", W),
    (r"f(x) = \lvert x - 2 \rvert", r"\frac{df}{dx} = \frac{x - 2}{|x - 2|}", V),
    (r"f(x) = x |x|", r"\frac{df}{dx} = 2|x|", V),
    (r"f(x) = x |x|", r"\frac{df}{dx} = 2x", W),
    (r"f(x) = \ln |x|", r"\frac{df}{dx} = \frac{1}{x}", V),
    (r"f(x) = \ln |x|", r"\frac{df}{dx} = \frac{1}{|x|}", W),
    (r"f(x) = \log_2 x", r"\frac{df}{dx} = \frac{1}{x \ln 2}", V),
    (r"f(x) = \log_2 x", r"\frac{df}{dx} = \frac{1}{x}", W),
    (r"f(x) = \log_{10}(x)", r"\frac{df}{dx} = \frac{1}{x \ln 10}", V),
    (r"f(x) = \log_b x", r"\frac{df}{dx} = \frac{1}{x \ln b}", V),
    (r"f(x) = \log_b x", r"\frac{df}{dx} = \frac{1}{x \ln 2}", W),
    (r"f(x) = \sqrt[3]{x}", r"\frac{df}{dx} = \frac{1}{3 x^{2/3}}", V),
    (r"f(x) = \sqrt[3]{x}", r"\frac{df}{dx} = \frac{1}{3 x^{1/3}}", W),
    (r"f(x) = \sqrt[4]{x}", r"\frac{df}{dx} = \frac{1}{4} x^{-3/4}", V),
    (r"f(x) = \sin^{-1} x", "", "error: write \\arcsin"),
    (r"f(x) = \tan^{-1}(x)", "", "error: write \\arctan"),
    (r"f(x) = \arcsin x", r"\frac{df}{dx} = \frac{1}{\sqrt{1 - x^2}}", V),
    (r"f(x) = \arcsin x", r"\frac{df}{dx} = \frac{1}{\sqrt{1 + x^2}}", W),
    (r"f(x) = \arccos x", r"\frac{df}{dx} = -\frac{1}{\sqrt{1 - x^2}}", V),
    (r"f(x) = \sec x", r"\frac{df}{dx} = \sec x \tan x", V),
    (r"f(x) = \csc x", r"\frac{df}{dx} = -\csc x \cot x", V),
    (r"f(x) = \cot x", r"\frac{df}{dx} = -\csc^2 x", V),
    (r"f(x) = \cot x", r"\frac{df}{dx} = \csc^2 x", W),
    (r"f(x) = \sum_{i=1}^{3} x^i", r"f'(x) = 1 + 2x + 3x^2", V),
    (r"f(x) = \sum_{i=1}^{3} x^i", r"f'(x) = 1 + 2x + 3x^3", W),
    (r"L(w_1, w_2) = \sum_{i=1}^{2} (w_i x_i - y_i)^2", r"\frac{\partial L}{\partial w_2} = 2x_2(w_2 x_2 - y_2)", V),
    (r"L(w_1, w_2) = \sum_{i=1}^{2} (w_i x_i - y_i)^2", r"\frac{\partial L}{\partial w_2} = 2x_1(w_1 x_1 - y_1)", W),
    (r"f(x) = \sum_{i=1}^{n} x^i", "", "error: sums need numeric bounds"),
    (r"f(x) = x^2 \text{ for all } x", "", "error: text inside a formula"),
    ("", r"\frac{d}{dx}\sin(x)=\cos(x), \quad \frac{d}{dx}\cos(x)=-\sin(x)", V),
    ("", r"\frac{d}{dx}\sin(x)=\cos(x), \quad \frac{d}{dx}\cos(x)=\sin(x)", W),
    ("", r"\frac{d}{dx} e^x = e^x, \qquad \frac{d}{dx} \ln x = \frac{1}{x}", V),
    ("", r"(\sin x)' = \cos x", V),
    ("", r"(\sin x)' = -\cos x", W),
    ("", r"\left(x^3\right)'' = 6x", V),
    ("", r"\left(x^3\right)'' = 3x^2", W),
    ("", r"(x^n)' = n x^{n - 1}", "error: is ambiguous"),
    ("", r"\dfrac{d}{dx}\left(\dfrac{1}{x}\right) = -\dfrac{1}{x^2}", V),
    ("", r"\frac{d}{dx} a^x = a^x \ln a", V),
    ("", r"\frac{d}{dx} a^x = x a^{x - 1}", W),
    ("", r"\frac{d}{dx} |x| = \frac{x}{|x|}", V),
    ("", r"\frac{\mathrm{d}}{\mathrm{d}x} x^2 = 2x", V),
    ("", r"\frac{\mathrm d}{\mathrm dx} \sin x = \cos x", V),
    ("", r"\frac{\mathrm d}{\mathrm dx} \sin x = -\cos x", W),
    ("", r"\frac{d}{dx} e^{\sin x} = \cos x \, e^{\sin x}", V),
    ("", r"\frac{d}{dx} e^{\sin x} = \cos x e^{\sin x}", V),
    ("", r"\frac{d}{dx} e^{\sin x} = \sin x \, e^{\sin x}", W),
    ("", r"\nabla (x^2 + y^2) = (2x, 2y)", V),
    ("", r"\nabla (x^2 + y^2) = (2x, 2x)", W),
    ("", r"\nabla (x^2 + y^2) = (2x)", "error: has 2 entries"),
    (r"f(x) = \|x\|", "", "error: norms"),
    # -- presentation that changes nothing --------------------------------------------------------------
    (r"f(x) = \displaystyle x^2", r"\frac{df}{dx} = \displaystyle 2x", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2\hspace{1em}x", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = \color{red}{2x}", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = \color{red}{3x}", W),
    (r"f(x) = x^2", r"\frac{df}{dx} = {\bf 2} x", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = \boldsymbol{2x}", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = \boldsymbol{x}", W),
    (r"f(x) = x^2", r"\frac{df}{dx} = \left. 2x \right.", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = \big( 2x \big)", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = \Big[ 2x \Big]", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x.", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x,", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = x.", W),
    (r"f(x) = x^2", r"\frac{df}{dx} &= 2x", V),
    (r"f(x) &= x^2", r"\frac{df}{dx} &= 2x", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2\,x\;\!", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2 \cdot x \quad", V),
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x \label{eq:1}", V),
    # -- derivatives on the right side are not guessed --------------------------------------------------
    (r"f(x) = x^2", r"\frac{df}{dx} = \frac{d}{dx} x^2", "error: a derivative inside an expression"),
    (r"f(x) = x^2", r"\frac{df}{dx} = \frac{dy}{dx}", "error: a derivative inside an expression"),
    (r"f(x) = x^2", r"\frac{df}{dx} = f'(x)", "error: a prime"),
    # -- proof and evidence are different verdicts ------------------------------------------------------
    (r"f(x) = x^2", r"\frac{df}{dx} = 2x", V),
    (r"f(x) = \sqrt{x^2 + 2x + 1}", r"\frac{df}{dx} = \frac{x + 1}{|x + 1|}", N),
    (r"f(x) = \sqrt{x^2 + 2x + 1}", r"\frac{df}{dx} = \frac{x + 1}{|x - 1|}", W),
]

# Rows made from a table of functions and their derivatives: each in four notations, right and wrong.
TABLE = [
    (r"x^4", r"4x^3", r"4x^2"),
    (r"\sin(3x)", r"3\cos(3x)", r"\cos(3x)"),
    (r"\cos(x^2)", r"-2x\sin(x^2)", r"2x\sin(x^2)"),
    (r"e^{-x}", r"-e^{-x}", r"e^{-x}"),
    (r"\ln(1 + x^2)", r"\frac{2x}{1 + x^2}", r"\frac{x}{1 + x^2}"),
    (r"\tanh(2x)", r"2(1 - \tanh^2(2x))", r"1 - \tanh^2(2x)"),
    (r"\sqrt{1 + x^2}", r"\frac{x}{\sqrt{1 + x^2}}", r"\frac{1}{\sqrt{1 + x^2}}"),
    (r"x e^x", r"(x + 1)e^x", r"x e^x"),
    (r"\frac{1}{1 + e^{-x}}", r"\frac{e^{-x}}{(1 + e^{-x})^2}", r"\frac{e^{x}}{(1 + e^{-x})^2}"),
    (r"\arctan(x^2)", r"\frac{2x}{1 + x^4}", r"\frac{2x}{1 + x^2}"),
    (r"x^2 \ln x", r"2x \ln x + x", r"2x \ln x"),
    (r"\sinh(x)\cosh(x)", r"\cosh^2(x) + \sinh^2(x)", r"\cosh^2(x) - \sinh^2(x)"),
    (r"\operatorname{sech}(x)", r"-\operatorname{sech}(x)\tanh(x)", r"\operatorname{sech}(x)\tanh(x)"),
    (r"\operatorname{erf}(2x)", r"\frac{4}{\sqrt{\pi}} e^{-4x^2}", r"\frac{2}{\sqrt{\pi}} e^{-4x^2}"),
]
for body, right, wrong in TABLE:
    for head in (r"\frac{df}{dx} = ", r"f'(x) = ", r"df/dx = ", r"\frac{d}{dx} f(x) = "):
        ROWS.append((f"f(x) = {body}", head + right, V))
        ROWS.append((f"f(x) = {body}", head + wrong, W))
    ROWS.append(("", rf"\frac{{d}}{{dx}} \left({body}\right) = {right}", V))
    ROWS.append(("", rf"\frac{{d}}{{dx}} \left({body}\right) = {wrong}", W))


def _check(definitions: str, claim: str) -> list:
    body = "\n".join(part for part in (definitions, claim) if part)
    [fence] = check_fences([body], 10.0)
    return list(fence.lines)


@pytest.mark.parametrize(("definitions", "claim", "expected"), ROWS, ids=[f"{i}" for i in range(len(ROWS))])
def test_notation(definitions: str, claim: str, expected: str) -> None:
    lines = _check(definitions, claim)
    errors = [line.error for line in lines if line.kind == "error"]
    if expected.startswith("error:"):
        wanted = expected.removeprefix("error:").strip()
        assert errors, [line.result.message for line in lines if line.result]
        assert any(wanted in e for e in errors), errors
        return
    assert not errors, errors
    results = [line.result for line in lines if line.result is not None]
    assert results, "no claim was read"
    last = results[-1] if expected != W else min(results, key=lambda r: r.verdict != "wrong")
    assert last.verdict == expected, last.message


def test_the_table_has_at_least_300_rows() -> None:
    assert len(ROWS) >= 300


def test_numeric_agreement_is_not_called_proved_and_shows_its_points() -> None:
    from mathwiki.claims.runner import problems_of

    body = "f(x) = \\sqrt{x^2 + 2x + 1}\n\\frac{df}{dx} = \\frac{x + 1}{|x + 1|}"
    [fence] = check_fences([body], 10.0)
    [result] = fence.claims()
    assert result.verdict == "numeric" and result.method == "numeric"
    assert "not proved" in result.message
    shown = [dict(point) for point in result.points]
    assert {"x": "0.0"} in shown and {"x": "0.001"} in shown  # structured points, not only random ones
    assert problems_of("docs/p.md", [fence]) == []  # default: shown honestly, not a build failure
    [problem] = problems_of("docs/p.md", [fence], numeric_fails=True)
    assert problem.severity == "error" and "not proved" in problem.message


def test_a_wrong_claim_names_a_point_with_digits_that_differ_on_screen() -> None:
    body = "f(x) = x^2\n\\frac{df}{dx} = 2x + 10^{-12} x^3"
    [fence] = check_fences([body], 10.0)
    [result] = fence.claims()
    assert result.verdict == "wrong"
    claimed, computed = result.message.split("(claimed ")[1].rstrip(")").split(", SymPy ")
    assert claimed != computed
    assert result.claimed_latex and result.computed_latex  # both sides simplified and typeset on the page


def test_definition_lines_are_file_lines() -> None:
    [fence] = check_fences(["f(x) = x^2\ng(x) = f"], 10.0, [41])
    [error] = [line.error for line in fence.lines if line.kind == "error"]
    assert "defined on line 41" in error
