"""Pages people look at: a patient's report, the flowchart with their route, the explorer.

Plain HTML, CSS and JavaScript built from a `WalkResult` and the guideline;
the page code holds no guideline logic and loads nothing from the network.
`report_html` writes one self-contained page (its styles and script inline);
`explorer_html` is the page the server shows at ``/``, which asks the server's
JSON endpoint for every answer.
"""

from ._explorer import explorer_html
from ._report import report_html
from ._svg import flowchart_svg

__all__ = ["explorer_html", "flowchart_svg", "report_html"]
