"""The plausible range of every number a person enters: one set for every face.

These are limits of input, not medical values: a case file, a log entry, an
import and a cohort table refuse the same out-of-range numbers with the same
bounds. Medical numbers live in the knowledge base.
"""

from __future__ import annotations

import datetime as dt

MAX_AGE_YEARS = 130
MAX_GRAMS = 10_000
MAX_COUNT = 100  # portions, tablets or scoops in one entry
MAX_ELEMENTAL_MG = 100_000  # also compound mg
MAX_PLAN_MG_PER_DAY = 10_000  # elemental mg a day of a dose plan (a slip of a digit or two)
MAX_LITERS = 20
MAX_MG_PER_LITER = 2_000
MAX_SHEDDING = 5_000  # hairs a day
MAX_WEEKS_AGO = 520  # a trigger of shedding
MAX_DURATION_WEEKS = 5_200  # hair loss so far

#: The most characters of a value (or a key) that an error line echoes; more are cut, with "…".
SHOWN_CHARS = 60

#: The days a log may hold (weeks before and after them are still dates).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
MAX_MG_PER_100G = 5_000  # magnesium per 100 g on a food label (well above any food)
MAX_KCAL_PER_100G = 900  # energy per 100 g (pure fat is about 900)
