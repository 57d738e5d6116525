"""Walk one patient through the R/R ALL text and read the result.

    python examples/walk_a_patient.py

rrall models one published text; it is not medical advice.
"""

from rrall import Patient, walk

patient = Patient(age=34, ph="negative", lineage="B", status="relapsed", relapses=1, cd20="positive")
result = walk(patient)

print("Unknown facts:", ", ".join(patient.unknown))
print("\nOffered, settled by the known facts:")
for option in result.definite:
    print(f"  {option.name}  [{option.id}]")
print("\nOffered only if:")
for option in result.conditional:
    print(f"  {option.name}: " + " and ".join(requirement.text for requirement in option.conditions))
print("\nNot offered:")
for exclusion in result.excluded:
    print(f"  {exclusion.name}: {exclusion.reason}")
print("\nFacts that would change the options:", ", ".join(result.missing) or "none")
mopad = result.option("mopad-rituximab")
if mopad is not None:
    print("\nWhy MOpAD + rituximab? The text says:", mopad.quote)
