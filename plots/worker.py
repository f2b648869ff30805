"""The drawing process: ``python -m plots.worker``, run by ``mathwiki.isolation.run_worker``.

One process draws a batch of figures, so matplotlib is imported once per batch, not once per figure. A figure
that cannot be drawn comes back as an error message for its fence; the others of the batch are unaffected.
"""

from __future__ import annotations

import base64
from typing import Any

from mathwiki.isolation import serve


def handle(payload: dict[str, Any]) -> dict[str, Any]:
    from plots.exprjson import UnsupportedExpression
    from plots.surface import DrawError, render

    results = []
    for job in payload["figures"]:
        try:
            drawn = render(job["figure"])
        except (DrawError, UnsupportedExpression) as exc:
            results.append({"key": job["key"], "error": str(exc), "at_point": getattr(exc, "at_point", False)})
            continue
        drawn["light"] = base64.b64encode(drawn["light"]).decode("ascii")
        drawn["dark"] = base64.b64encode(drawn["dark"]).decode("ascii")
        results.append({"key": job["key"], "drawn": drawn})
    return {"results": results}


if __name__ == "__main__":
    serve(handle)
