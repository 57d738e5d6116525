"""Draw the R/R ALL text as a flowchart: whole, and with one patient's route.

    python examples/render_flowchart.py [OUTDIR]

Writes flowchart.svg (every decision, option group and regimen, with the
interpretation register's readings as footnotes) and patient-route.svg (the
same chart with one patient's route, offered and excluded options marked)
into OUTDIR (the current directory by default). Needs the `render` extra
(Graphviz through pygraphviz). rrall models one published text; it is not
medical advice.
"""

import sys
from pathlib import Path

from rrall import Patient, render, walk

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

whole = render()  # SVG bytes; format="png", "pdf", "dot" or "mermaid" for the others
(out / "flowchart.svg").write_bytes(whole)

patient = Patient(age=40, ph="negative", lineage="T")  # the rest unknown
result = walk(patient)
(out / "patient-route.svg").write_bytes(render(result))

print(f"wrote {out / 'flowchart.svg'} ({len(whole):,} bytes)")
print(
    f"wrote {out / 'patient-route.svg'}: {len(result.definite)} options settled, "
    f"{len(result.conditional)} depending on unknown facts, {len(result.excluded)} excluded"
)
