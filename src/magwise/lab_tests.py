"""The names of the lab tests a case may carry and the comparators a result may have.

Plain constants, apart from the knowledge base's models: cohort mode builds its
checks from them before Pydantic is imported (``magwise.cohort._early``).
"""

from __future__ import annotations

#: The lab tests a case may carry; the magnesium ones take the serum units.
MAGNESIUM_TESTS = ("serum_magnesium", "rbc_magnesium")
#: The other results the hair screen recommends, kept as labs (hair_labs.toml).
HAIR_LAB_TESTS = ("ferritin", "tsh", "vitamin_d", "zinc")
LAB_TESTS = (*MAGNESIUM_TESTS, "egfr", "creatinine", *HAIR_LAB_TESTS)

#: The comparators a lab value may carry (as FHIR's valueQuantity.comparator): the
#: values of ``magwise.case.Comparator``.
COMPARATORS: tuple[str, ...] = ("<", "<=", ">", ">=")
