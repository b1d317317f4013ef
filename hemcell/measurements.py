"""Measured data: CSV files with the unit in every header, and instrument files.

A measurement is a table of time [s], current, voltage [V] and (optionally) capacity,
read into SI with :mod:`hemcell.units` and checked row by row, so a fit never starts
from data it would misread. Every problem is an :class:`~hemcell.errors.InputError`
naming the file, the column and the row.

CSV
    One header row ``quantity [unit]`` per column (or ``Quantity (unit)``,
    ``quantity/unit`` as cyclers write them), e.g.::

        # synthetic: simulated with ... (comment lines start with '#')
        time [s],current [mA],voltage [V],capacity [mAh/g]
        0,1.528,2.31,0

    Quantities: ``time``, ``current``, ``voltage``, ``capacity``, ``c_rate`` (``[1/h]``,
    for a table of rate capability), ``current_density``, ``areal_capacity`` and
    ``overpotential`` (a table of Li nucleation on Cu), ``retention`` and
    ``coulombic_efficiency`` (``[1]`` or ``[%]``), ``time_to_failure``, a cycle's
    ``charge_capacity`` and ``discharge_capacity``, an impedance spectrum's ``frequency``
    [Hz], ``z_real`` and ``z_imag`` [ohm] (``z_imag`` is Im Z: negative on a capacitive
    arc; or ``z_modulus`` [ohm] and ``z_phase`` [deg or rad], φ = arg Z, read into
    ``z_real`` and ``z_imag``; the names EIS software writes, ``Freq``, ``Z'``, ``-Z''``,
    ``Zreal``, ``|Z|``, ``Phase``, ..., are :data:`COLUMN_NAMES`) and ``temperature``
    (``[K]``, or ``[degC]`` converted with its offset), and ``cycle``/``step`` counters
    in ``[1]``.
    Units as cyclers and papers write them are read (``mAh g-1``, ``mAh g⁻¹``, ``Ohm``:
    :func:`_pint_unit`). Two rows at one time where the step changes are a step's two
    ends (:func:`separate_step_rows`). A minus
    sign before the quantity marks a negated column (``-z_imag [ohm]``: −Z''). The
    current may be absolute (``A``, ``mA``) or per mass of active material (``A/g``,
    ``mA/g``); the capacity likewise (``mAh``, ``mAh/g``).
    **Sign**: a positive current discharges the cell, i.e. lithiates a half-cell's
    anode (the hemcell/PyBaMM convention of protocols).

hemcell's own files
    ``timeseries.csv`` as ``hemcell cell run --out`` writes it (headers ``time_s``,
    ``voltage_V``, ``specific_current_A_per_g``, ``capacity_mAh_per_g``, ``cycle``: a
    name with its unit as suffix, :func:`hemcell.units.unit_from_name_suffix`) is read
    as a measurement through :data:`HEMCELL_NAMES`; its model outputs that are not
    measured quantities (a mechanism's capacity, a strain) are left out, and of its two
    currents the one per gram is read. So are ``cycle_life.csv`` (``hemcell cell
    cycle-life``) and ``cycling_<anode>.csv`` (``hemcell limetal cycle``): per-cycle
    ``charge_capacity`` and ``discharge_capacity``, ``coulombic_efficiency``; and
    ``impedance.csv`` (``hemcell eis``): ``temperature``, ``frequency``, ``z_real``,
    ``z_imag`` and the text column ``case`` (:attr:`Measurement.labels`).

Instrument files
    Read through a maintained reader, never a hand-written binary parser: BioLogic
    EC-Lab ``.mpr`` (binary) and ``.mpt`` (text export) with ``galvani``: time series
    (GCPL) and impedance spectra (PEIS: ``freq/Hz``, ``Re(Z)/Ohm``, ``-Im(Z)/Ohm``, the
    last negated to Im Z). EC-Lab counts
    oxidation of the working electrode as positive current, so its ``I/mA`` is negated
    (a HEM anode lithiated against Li is a reduction: negative in EC-Lab, a positive
    "discharge" here). Neware ``.nda`` and ``.ndax`` (BTS raw files) with ``NewareNDA``:
    time series; Neware counts a charge positive (its ``CC_DChg`` rows have a negative
    ``Current(mA)``), so current and capacity are negated as EC-Lab's are
    (:func:`read_neware_table`). One column map per instrument (:data:`_ECLAB`,
    :data:`_NEWARE`) read by :func:`_instrument_measurement`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from hemcell.errors import InputError
from hemcell.units import parse_unit, unit_from_name_suffix, unit_registry

#: Quantities a measurement may hold: SI unit(s) allowed (absolute, per mass).
QUANTITIES: dict[str, tuple[str, ...]] = {
    "time": ("s",),
    "current": ("A", "A/kg"),
    "voltage": ("V",),
    "capacity": ("A*s", "A*s/kg"),
    "charge_capacity": ("A*s", "A*s/kg"),
    "discharge_capacity": ("A*s", "A*s/kg"),
    "c_rate": ("1/s",),
    "current_density": ("A/m**2",),
    "areal_capacity": ("A*s/m**2",),
    "overpotential": ("V",),
    "retention": ("dimensionless",),
    "coulombic_efficiency": ("dimensionless",),
    "time_to_failure": ("s",),
    "frequency": ("1/s",),
    "z_real": ("ohm",),
    "z_imag": ("ohm",),
    "z_modulus": ("ohm",),
    "z_phase": ("radian",),
    "cycle": ("dimensionless",),
    "step": ("dimensionless",),
    "temperature": ("K",),
}
_EXAMPLE_HEADER = "time [s],current [mA],voltage [V]"
#: The quantity of each of hemcell's own column names without its unit suffix
#: (hemcell.runinfo's naming, the unit as suffix): a file whose headers are all such
#: names is read as a measurement. ``cell run``'s ``timeseries.csv`` (``time_s``,
#: ``voltage_V``, ``current_A``, ``specific_current_A_per_g``, ``capacity_mAh_per_g``,
#: ``cycle``, ``step``), ``cell cycle-life``'s ``cycle_life.csv`` and ``limetal cycle``'s
#: ``cycling_<anode>.csv`` (``charge_capacity_mAh_per_g``, ``discharge_capacity_...``,
#: ``coulombic_efficiency``, the Li‖LFP cell's ``cell_coulombic_efficiency``), ``eis``'s
#: ``impedance.csv`` (``temperature_K``, ``frequency_Hz``, ``z_real_ohm``, ``z_imag_ohm``
#: and the text column :data:`LABEL_NAMES`).
HEMCELL_NAMES = {"time": "time", "voltage": "voltage", "current": "current",
                 "specific_current": "current", "capacity": "capacity", "cycle": "cycle",
                 "step": "step", "charge_capacity": "charge_capacity",
                 "discharge_capacity": "discharge_capacity",
                 "coulombic_efficiency": "coulombic_efficiency",
                 "cell_coulombic_efficiency": "coulombic_efficiency",
                 "temperature": "temperature", "frequency": "frequency", "z_real": "z_real",
                 "z_imag": "z_imag"}
#: Text columns of hemcell's own files, read as labels (:attr:`Measurement.labels`):
#: ``impedance.csv``'s ``case`` (``bare``, ``coated``, the anode's parameter set), which
#: with ``temperature_K`` tells its spectra apart.
LABEL_NAMES = ("case",)
#: A header hemcell writes: a bare name (``time_s``), no bracketed unit.
_BARE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: Column names as cyclers, EIS software and papers write them, after the lower-casing
#: of :func:`_split_header` (spaces as underscores, a leading minus apart): the quantity
#: each is. Impedance: Gamry ``Freq``, ``Zreal``, ``Zmod``, ``Zphz``; Autolab/ZView
#: ``Z'``, ``-Z''``; EC-Lab's text ``Re(Z)``, ``-Im(Z)``, ``|Z|``, ``Phase(Z)``. Curves:
#: ``Specific capacity (mAh/g)``, ``Potential (V)``, Arbin's ``Test Time`` and Neware's
#: ``Total Time`` (a step's own time, ``Step Time``, is no quantity: refused); the
#: counters Arbin's ``Cycle_Index``, ``Step_Index`` and EC-Lab's ``cycle number``. Tables:
#: ``Nucleation overpotential (mV)`` (a Li‖Cu table's compared value), ``CE (%)``,
#: ``Capacity retention (%)``.
COLUMN_NAMES = {"freq": "frequency", "z'": "z_real", "zreal": "z_real",
                "re(z)": "z_real", "z''": "z_imag", "zimag": "z_imag", "im(z)": "z_imag",
                "|z|": "z_modulus", "zmod": "z_modulus", "phase": "z_phase",
                "zphz": "z_phase", "phase(z)": "z_phase",
                "specific_capacity": "capacity", "specific_current": "current",
                "potential": "voltage", "test_time": "time", "total_time": "time",
                "cycle_index": "cycle", "cycle_number": "cycle", "step_index": "step",
                "nucleation_overpotential": "overpotential", "ce": "coulombic_efficiency",
                "capacity_retention": "retention"}
#: Counters: a header without a unit is read in ``[1]``.
COUNTERS = ("cycle", "step")
#: Suffixes read by galvani (BioLogic EC-Lab).
ECLAB_SUFFIXES = (".mpr", ".mpt")
#: Suffixes read by NewareNDA (Neware BTS raw files).
NEWARE_SUFFIXES = (".nda", ".ndax")
#: Suffixes read as instrument files (:func:`read_instrument`), not as CSV text.
INSTRUMENT_SUFFIXES = ECLAB_SUFFIXES + NEWARE_SUFFIXES


@dataclass
class Column:
    """One measured column in SI.

    Attributes
    ----------
    header
        The header as written (``current [mA/g]``).
    unit
        The unit as written.
    si_unit
        The SI unit of ``values`` (``A`` or ``A/kg`` for a current).
    values
        The column in ``si_unit``.
    """

    header: str
    unit: str
    si_unit: str
    values: np.ndarray

    @property
    def per_mass(self) -> bool:
        """True for a quantity given per mass of active material (``A/g``, ``mAh/g``)."""
        return self.si_unit.endswith("/kg")


@dataclass
class Measurement:
    """A measured table read from one file.

    Attributes
    ----------
    path
        The file.
    sha256
        SHA-256 of the file's bytes (cited by fitted parameter sets).
    columns
        ``quantity -> Column``.
    first_line
        File line of the first data row (for messages: row ``k`` is line
        ``first_line + k - 1`` unless ``row_lines`` says otherwise).
    row_lines
        File line of each data row (comment lines may sit between rows); empty for an
        instrument file.
    """

    path: Path
    sha256: str
    columns: dict[str, Column] = field(default_factory=dict)
    first_line: int = 2
    row_lines: list[int] = field(default_factory=list)
    #: Text columns of hemcell's own files (:data:`LABEL_NAMES`): name -> one label a row.
    labels: dict[str, list[str]] = field(default_factory=dict)

    def __contains__(self, quantity: str) -> bool:
        return quantity in self.columns

    def __getitem__(self, quantity: str) -> np.ndarray:
        return self.columns[quantity].values

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())).values) if self.columns else 0

    def where(self, quantity: str, row: int) -> str:
        """``file: column 'header', row k (line n)`` for an error message (row 1-based)."""
        line = self.row_lines[row - 1] if self.row_lines else self.first_line + row - 1
        header = self.columns[quantity].header
        return f"{self.path.name}: column '{header}', row {row} (line {line})"

    def rows(self, index: np.ndarray) -> Measurement:
        """The measurement of the rows ``index`` (0-based, in order): one spectrum of a
        file that holds several. Messages name the rows' file lines."""
        index = np.asarray(index, int)
        lines = ([self.row_lines[k] for k in index] if self.row_lines else
                 [self.first_line + int(k) for k in index])
        columns = {q: replace(c, values=c.values[index]) for q, c in self.columns.items()}
        labels = {n: [v[k] for k in index] for n, v in self.labels.items()}
        return Measurement(self.path, self.sha256, columns, self.first_line, lines, labels)


def file_sha256(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _split_header(text: str, where: str) -> tuple[str, str]:
    """``'current [mA/g]'`` → (``'current'``, ``'mA/g'``); also as cyclers write the
    unit: ``'Current (mA/g)'`` and ``'current/mA/g'`` (EC-Lab's form). The name comes back
    in lower case with spaces and inner hyphens as underscores (``'C-rate (1/h)'`` →
    ``c_rate``), a leading minus (a negated column) kept; :data:`COLUMN_NAMES` read as
    their quantities. A counter may come without a unit (``Cycle_Index``, ``Step``:
    ``[1]``, :data:`COUNTERS`)."""
    head = text.strip()
    if _column_name(head) in COUNTERS:
        return _column_name(head), "1"
    name = unit = ""
    if head.endswith("]") and "[" in head:
        name, _, unit = head[:-1].partition("[")
    elif head.endswith(")") and "(" in head:
        name, _, unit = head[:-1].rpartition("(")
    elif "/" in head:
        name, _, unit = head.partition("/")
    if not name.strip() or not unit.strip():
        raise InputError(where, head, "a header 'quantity [unit]', e.g. 'time [s]', "
                         "'current [mA/g]', 'voltage [V]', 'capacity [mAh/g]' (or "
                         "'Voltage (V)', 'time/s')", hint=_eclab_hint(head))
    name = name.strip().lower()
    sign, name = (name[0], name[1:].strip()) if name[:1] in ("-", "−") else ("", name)
    return sign + _column_name(name), unit.strip()


def _column_name(name: str) -> str:
    """A header's name in lower case, spaces, hyphens and underscores as one underscore,
    read through :data:`COLUMN_NAMES`."""
    name = re.sub(r"[\s\-_]+", "_", name.strip().lower().replace("′", "'").replace("″", "''"))
    return COLUMN_NAMES.get(name, name)


def _hemcell_column(name: str) -> tuple[str, str] | None:
    """(quantity, unit) of one of hemcell's own column names (:data:`HEMCELL_NAMES`):
    ``capacity_mAh_per_g`` → (``capacity``, ``mAh/g``), ``cycle`` → (``cycle``, ``1``);
    ``None`` for another column hemcell writes (``conversion_capacity_mAh_per_g``,
    ``particle_volumetric_strain``, ``time_to_failure_h``, ``current_density_mA_per_cm2``:
    the unit must follow the stem directly): a model output or another quantity. A
    quantity with a unit named without one (``voltage``) is given back with an empty unit
    (the header check then asks for it)."""
    unit, lower = unit_from_name_suffix(name), name.lower()
    for stem in sorted(HEMCELL_NAMES, key=len, reverse=True):
        quantity = HEMCELL_NAMES[stem]
        if lower == stem:
            return quantity, "1" if QUANTITIES[quantity] == ("dimensionless",) else ""
        if unit is None or not lower.startswith(f"{stem}_"):
            continue
        rest = name[len(stem) + 1:].split("_")[1:]
        # the unit starts right after the stem: without its first word it is another
        if not rest or unit_from_name_suffix("_".join(["x", *rest])) != unit:
            return quantity, unit
    return None


def _eclab_hint(header: str) -> str | None:
    """How an EC-Lab column name is written in a CSV (``'Ewe/V'`` → ``'voltage [V]'``;
    EC-Lab's current and charge count oxidation as positive: ``'-current [mA]'``)."""
    if header.strip() not in _ECLAB:
        return None
    quantity, unit, sign = _ECLAB[header.strip()]
    return (f"EC-Lab's column '{header.strip()}' is read from its .mpr/.mpt files; in a CSV "
            f"write '{'-' if sign < 0 else ''}{quantity} [{unit}]'")


def _si_unit(quantity: str, unit: str, where: str) -> tuple[str, float]:
    """The allowed SI unit of ``quantity`` that ``unit`` converts to, and the factor."""
    if quantity not in QUANTITIES:
        raise InputError(where, quantity, f"one of the quantities {sorted(QUANTITIES)}")
    if quantity == "c_rate" and unit.strip() == "C":  # 'C-rate (C)': a C-rate, 1C = 1/h
        return "1/s", 1.0 / 3600.0  # (a coulomb cannot be one, as C is degC for a temperature)
    text = ("dimensionless" if unit in ("", "-", "1") else "percent" if unit == "%"
            else _pint_unit(unit))
    try:
        given = parse_unit(text, where)
    except InputError as exc:  # the unit as written, not its pint spelling (mA*h g**-1)
        raise InputError(where, unit, exc.allowed) from None
    ureg = unit_registry()
    angle = dict(ureg.Quantity(1.0, given).to_base_units().unit_items()).get("radian", 0)
    if angle:  # pint counts the radian as dimensionless: rad/s would convert to Hz as 1
        if quantity == "frequency" and angle == 1:  # an angular frequency ω = 2π f
            return "1/s", float(ureg.Quantity(1.0, given).to("rad/s").magnitude) / (2 * math.pi)
        one = ureg.Quantity(1.0, given)
        if quantity == "z_phase" and one.dimensionality == ureg.Quantity(1.0, "rad").dimensionality:
            return "radian", float(one.to("rad").magnitude)
        raise InputError(where, unit, f"a unit of {quantity} without an angle (only a "
                         "frequency may be angular: [rad/s] is read as ω = 2π f; and a "
                         "phase, [deg] or [rad])")
    if quantity == "z_phase":
        raise InputError(where, unit, "an angle, [deg] or [rad]")
    if quantity == "temperature" and _offset_unit(unit):
        if ureg.Quantity(1.0, given).dimensionality != ureg.Quantity(1.0, "K").dimensionality:
            raise InputError(where, unit, "a unit of temperature, e.g. [K] or [degC]")
        return "K", math.nan  # an offset: converted by _to_si, not by a factor
    for target in QUANTITIES[quantity]:
        q = ureg.Quantity(1.0, given)
        if q.dimensionality == ureg.Quantity(1.0, target).dimensionality:
            return target, float(q.to(target).magnitude)
    raise InputError(where, unit, f"a unit of {quantity}: one convertible to "
                     f"{' or '.join(QUANTITIES[quantity])}", hint=_areal_hint(quantity, given))


def _offset_unit(unit: str) -> bool:
    """Whether ``unit`` is a temperature scale with an offset (``degC``, ``°C``, ``degF``):
    its values are converted to K by pint's offset conversion, never by a factor."""
    ureg = unit_registry()
    try:
        q = ureg.Quantity(0.0, parse_unit(_pint_unit(unit), "unit"))
        return q.dimensionality == ureg.Quantity(1.0, "K").dimensionality and \
            q.to("K").magnitude != 0
    except InputError:
        return False


def _to_si(quantity: str, unit: str, values: np.ndarray, where: str) -> tuple[str, np.ndarray]:
    """A column's values in the SI unit of ``quantity`` (:func:`_si_unit`); a temperature
    in ``degC``/``°C`` (a cycler's thermocouple column) by pint's offset conversion:
    25 degC is 298.15 K."""
    si_unit, factor = _si_unit(quantity, unit, where)
    if quantity == "temperature" and _offset_unit(unit):
        ureg = unit_registry()
        return si_unit, np.asarray(ureg.Quantity(np.asarray(values, float),
                                                 parse_unit(_pint_unit(unit), where)
                                                 ).to(si_unit).magnitude, float)
    return si_unit, factor * np.asarray(values, float)


def written_value(col: Column, si_value: float) -> float:
    """An SI value of ``col`` in the column's written unit (for messages; an offset
    temperature scale included)."""
    if col.si_unit == "K" and _offset_unit(col.unit):
        ureg = unit_registry()
        return float(ureg.Quantity(si_value, "K").to(parse_unit(_pint_unit(col.unit),
                                                                 col.header)).magnitude)
    return si_value / unit_factor(col)


#: Quantities read per electrode area, with the unit their hint names.
PER_AREA = {"current_density": "mA/cm**2", "areal_capacity": "mAh/cm**2"}


def _areal_hint(quantity: str, given: Any) -> str | None:
    """How to give a value per electrode area (mA/cm², mAh/cm², Ω cm²) where the
    quantity is the electrode's; ``None`` for another unit."""
    ureg = unit_registry()
    one, area = ureg.Quantity(1.0, given), ureg.Quantity(1.0, "m**2")
    wanted = {ureg.Quantity(1.0, t).dimensionality for t in QUANTITIES[quantity]}
    if (one * area).dimensionality in wanted:  # a current or capacity per area
        return ("a value per electrode area: multiply it by the electrode area (an absolute "
                "value, with the data set's active_mass) or divide it by the active-material "
                "loading (mg/cm²) for one per gram")
    if (one / area).dimensionality in wanted:
        if quantity in PER_AREA:  # the cell's current or capacity where one per area is read
            return (f"{quantity.replace('_', ' ')} is read per electrode area, e.g. "
                    f"[{PER_AREA[quantity]}]: divide the value by the electrode area")
        return (f"an area-specific {quantity}: divide it by the electrode area for the "
                "cell's ohm")  # a resistance in ohm cm²
    return None


#: A time column's unit that says its cells are clock times (Neware's and LAND's
#: ``Total Time (h:min:s.ms)``, ``Time (hh:mm:ss)``).
CLOCK_UNIT = re.compile(r"(?i)(h{1,2}):(m{1,2}|min):(s{1,2})(\.(ms|s+|f+))?")
_CLOCK = re.compile(r"(?:(\d+)(?:\s*days?,?\s*|-))?(\d+):([0-5]?\d):([0-5]?\d(?:\.\d*)?)")


def clock_seconds(text: str, decimal_comma: bool = False) -> float:
    """Seconds of a clock time ``h:mm:ss[.fff]`` (hours past 24 allowed), with days
    before it as ``1 day, 02:03:04`` or ``1-02:03:04``; NaN for an empty cell.

    Raises
    ------
    ValueError
        For any other text.
    """
    text = text.strip()
    if not text:
        return math.nan
    m = _CLOCK.fullmatch(text.replace(",", ".", 1) if decimal_comma and "day" not in text
                         else text)
    if m is None:
        raise ValueError(text)
    days, hours, minutes, seconds = m.groups()
    return ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 + float(seconds)


def _number(text: str, decimal_comma: bool = False) -> float:
    """The number in a cell; NaN for an empty cell; ``ValueError`` for text."""
    text = text.strip()
    if not text:
        return math.nan
    return float(text.replace(",", ".") if decimal_comma else text)


#: Column separators of cycler exports: comma, semicolon (locales with a decimal comma), tab.
_DELIMITERS = (",", ";", "\t")


def _delimiter(header: str) -> str:
    """The separator the header row uses most (a one-column file: comma)."""
    return max(_DELIMITERS, key=lambda d: (header.count(d), d == ","))


@dataclass
class TextTable:
    """A delimited text file: its header and data rows, comments and blank lines left out.

    Attributes
    ----------
    header
        The header row's cells (empty for a file of comments only).
    rows
        Each data row's cells, trailing empty cells beyond the header removed.
    lines
        File line (1-based) of each row.
    header_line
        File line of the header row.
    separator
        The column separator (the one the header row uses most).
    """

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    header_line: int
    separator: str

    @property
    def decimal_comma(self) -> bool:
        """With semicolons or tabs between columns a comma is a decimal comma."""
        return self.separator != ","

    def number(self, cell: str) -> float:
        """The number in a cell (NaN when empty; ``ValueError`` for text)."""
        return _number(cell, self.decimal_comma)


def read_table(path: str | Path) -> TextTable:
    """Split a delimited text file (a measurement CSV, a sweep's CSV of points).

    The first line that is neither blank nor a ``#`` comment is the header; its most
    frequent separator (comma, semicolon or tab) separates every row; cells may be
    quoted (``"intercalation,conversion"``). The text is UTF-8 or UTF-16 with or
    without a byte-order mark (:func:`_read_text`).

    Raises
    ------
    InputError
        Bytes that are not such text, or a row with more cells than the header (naming
        the file, the row and its line): a value split by the separator, e.g. a decimal
        comma in a comma-separated file, used to be dropped or read into the next column.
    """
    import csv

    p = Path(path)
    numbered = [(n, line) for n, line in enumerate(_read_text(p).splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return TextTable([], [], [], 0, ",")
    (header_line, head), body = numbered[0], numbered[1:]
    sep = _delimiter(head)

    quoted = any('"' in line for _, line in numbered)

    def cells(line: str) -> list[str]:  # the csv module only where a cell is quoted
        return (next(csv.reader([line], delimiter=sep, skipinitialspace=True)) if quoted
                else line.split(sep))

    header = cells(head)
    while len(header) > 1 and not header[-1].strip():  # a trailing separator
        header.pop()
    rows, lines = [], []
    for k, (n, line) in enumerate(body, start=1):
        row = cells(line)
        while len(row) > len(header) and not row[-1].strip():
            row.pop()
        if len(row) > len(header):
            raise InputError(f"{p.name}: row {k} (line {n})", f"{len(row)} cells",
                             f"at most {len(header)} cells, one per header column "
                             f"('{head.strip()}')",
                             hint="a decimal comma in a comma-separated file splits a number: "
                             "write decimal points, or separate the columns by semicolons"
                             if sep == "," else None)
        rows.append(row)
        lines.append(n)
    return TextTable(header, rows, lines, header_line, sep)


def _read_text(p: Path) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark) or UTF-16 with one.

    Raises
    ------
    InputError
        For bytes that are not such text (a binary or spreadsheet file).
    """
    data = p.read_bytes()
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        if b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), len(data), "NUL")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(p.name, "bytes that are not UTF-8 or UTF-16 text",
                         "a text CSV (UTF-8 or UTF-16), an EC-Lab .mpr/.mpt or a Neware "
                         ".nda/.ndax file",
                         hint="export the data as CSV text with a header 'quantity [unit]' "
                         "per column") from None


def read_csv(path: str | Path, required: Sequence[str] = ("time", "voltage")) -> Measurement:
    """Read a measurement CSV (module doc) and check it (``required``: the columns it
    must have; a table of rate capability needs ``c_rate`` and ``capacity``).

    Raises
    ------
    InputError
        Naming the file, the column and the row: an empty file, fewer than two rows
        in a time series or a spectrum, a header without a unit or with an unknown
        unit or quantity, a missing or non-numeric (NaN) value, a time that does not
        increase.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("data file", str(p), "an existing CSV or instrument file")
    table = read_table(p)
    if not table.header:
        raise InputError(f"{p.name}", "an empty file", f"a header row, e.g. '{_EXAMPLE_HEADER}', "
                         "and at least two data rows")
    headers, rows = table.header, table.rows
    # A curve needs two points, and so does a spectrum: one frequency gives two numbers
    # (Re Z, Im Z) that a two-parameter arc matches exactly, judging nothing. A table
    # (per cycle, per C-rate) may have one row.
    least = 2 if "time" in required or "frequency" in required else 1
    if len(rows) < least:
        raise InputError(f"{p.name}", f"{len(rows)} data row(s)", f"at least {least} data "
                         f"row(s) under the header '{table.separator.join(headers)}'")
    meas = Measurement(p, file_sha256(p), first_line=table.header_line + 1,
                       row_lines=table.lines)
    own = all(_BARE_NAME.fullmatch(h.strip()) for h in headers)  # hemcell's time series
    for j, header in enumerate(headers):
        where = f"{p.name}: column {j + 1} '{header.strip()}'"
        if own and header.strip() in LABEL_NAMES:
            meas.labels[header.strip()] = [r[j].strip() if j < len(r) else "" for r in rows]
            continue
        named = _hemcell_column(header.strip()) if own else None
        if own and named is None:
            continue  # a model output hemcell writes besides (a mechanism's capacity)
        quantity, unit = named if named and named[1] else _split_header(header, where)
        sign = 1.0
        if quantity[:1] in ("-", "−"):  # a negated column: impedance exports' −Z''
            quantity, sign = quantity[1:].strip(), -1.0
        if quantity not in QUANTITIES:
            raise InputError(where, quantity, f"one of the quantities {sorted(QUANTITIES)}",
                             hint=_eclab_hint(header))
        clock = quantity == "time" and bool(CLOCK_UNIT.fullmatch(unit.replace(" ", "")))
        si_unit = "s" if clock else _si_unit(quantity, unit, where)[0]
        if quantity in meas.columns:
            if own and meas.columns[quantity].si_unit.endswith("/kg"):
                continue  # hemcell's current_A beside its specific current: the per gram
            if not (own and si_unit.endswith("/kg")):
                raise InputError(where, header.strip(), "each quantity once")
        cells = [r[j] if j < len(r) else "" for r in rows]
        values = np.full(len(cells), math.nan)
        for k, cell in enumerate(cells):
            try:
                values[k] = clock_seconds(cell, table.decimal_comma) if clock else \
                    table.number(cell)
            except ValueError:
                raise InputError(f"{p.name}: column '{header.strip()}', row {k + 1} "
                                 f"(line {table.lines[k]})", cell.strip(),
                                 "a clock time h:mm:ss (hours may exceed 24; '1 day, "
                                 "2:03:04' and '1-02:03:04' count days) in every row"
                                 if clock else
                                 "a number in every row (the unit belongs in the header)"
                                 ) from None
        if not clock:
            si_unit, values = _to_si(quantity, unit, values, where)
        meas.columns[quantity] = Column(header.strip(), unit, si_unit, sign * values)
    polar_impedance(meas)
    separate_step_rows(meas)
    check(meas, required)
    return meas


def polar_impedance(meas: Measurement) -> None:
    """Add ``z_real`` = |Z| cos φ and ``z_imag`` = |Z| sin φ to a spectrum given as
    modulus and phase (``|Z| [ohm]``, ``phase [deg]``: φ = arg Z, negative on a
    capacitive arc; ``-phase [deg]`` as Autolab writes −φ).

    Raises
    ------
    InputError
        A spectrum with both forms (Re/Im and modulus/phase), or one of modulus and
        phase without the other.
    """
    polar = [q for q in ("z_modulus", "z_phase") if q in meas]
    if not polar:
        return
    cartesian = [q for q in ("z_real", "z_imag") if q in meas]
    if cartesian or len(polar) == 1:
        have = [meas.columns[q].header for q in (*cartesian, *polar)]
        raise InputError(f"{meas.path.name}: columns", have,
                         "one form of the impedance: 'z_real [ohm]' and 'z_imag [ohm]' (or "
                         "'-z_imag [ohm]' for -Z''), or '|Z| [ohm]' and 'phase [deg]'")
    mod, phase = meas.columns["z_modulus"], meas.columns["z_phase"]
    for q, part in (("z_real", np.cos), ("z_imag", np.sin)):
        meas.columns[q] = Column(f"{mod.header} and {phase.header}", "ohm", "ohm",
                                 mod.values * part(phase.values))


#: Quantities that are magnitudes > 0: a frequency, a C-rate, a Li‖Li or Li‖Cu test's
#: current density, areal capacity and time to failure, a nucleation overpotential, an
#: absolute temperature.
POSITIVE_QUANTITIES = ("frequency", "c_rate", "current_density", "areal_capacity",
                       "time_to_failure", "overpotential", "temperature")
#: Quantities that are magnitudes >= 0: a retention, a Coulombic efficiency, and a
#: capacity in a table (a file without time: per cycle, per C-rate; a cycle's charge or
#: discharge capacity). A curve's capacity may count a charge negative.
NON_NEGATIVE_QUANTITIES = ("retention", "coulombic_efficiency", "capacity",
                           "charge_capacity", "discharge_capacity", "z_modulus")


def negated_header(col: Column) -> str:
    """The header that reads ``col`` negated: a minus before its name added, or the one it
    has removed (``Current (mA)`` ↔ ``-Current (mA)``)."""
    head = col.header.strip()
    return head[1:].strip() if head[:1] in ("-", "−") else f"-{head}"


def _check_magnitudes(meas: Measurement) -> None:
    """Refuse a value <= 0 of :data:`POSITIVE_QUANTITIES`, < 0 of
    :data:`NON_NEGATIVE_QUANTITIES` (naming file, column and row)."""
    for q, col in meas.columns.items():
        strict = q in POSITIVE_QUANTITIES
        if not strict and (q not in NON_NEGATIVE_QUANTITIES
                           or (q.endswith("capacity") and "time" in meas)):
            continue
        bad = np.flatnonzero(col.values <= 0 if strict else col.values < 0)
        if not bad.size:
            continue
        k = int(bad[0]) + 1
        if q == "frequency":  # its unit may be angular (rad/s): shown in Hz
            raise InputError(meas.where(q, k), f"{col.values[k - 1]:g} Hz",
                             "a frequency > 0 (any order)")
        flipped = negated_header(col)
        value = col.values[k - 1]
        raise InputError(meas.where(q, k), f"{written_value(col, value):g} {col.unit}",
                         f"{q.replace('_', ' ')} {'> 0' if strict else '>= 0'} in every row "
                         "(a magnitude)",
                         hint="a column the instrument counts negative is read negated with a "
                         f"minus before its name: '{flipped}'" if value < 0 else None)


#: How far before its time a row written at the same time as the next step's first row
#: is put [s] (at most half the gap to the row before it): it is the previous step's last
#: row (a cycler, and hemcell's own timeseries.csv, write both ends of a step change;
#: rounded to a recording resolution they fall on one time). Assumed: below the time
#: resolution exports keep (ms and coarser), so the row's voltage is compared with the
#: model before the step, not after its instantaneous (Ohmic) change.
STEP_ROW_OFFSET_S = 1e-3
#: Counters whose change between two rows marks a step change besides the current.
_STEP_COUNTERS = ("current", "step", "cycle")


def separate_step_rows(meas: Measurement) -> None:
    """Read a row written at the same time as the next, where the current (or the step
    or cycle counter) changes between them, as the previous step's last row:
    :data:`STEP_ROW_OFFSET_S` earlier (at most half the gap to the row before). Two rows
    at one time without such a change are left for :func:`check` to refuse."""
    if "time" not in meas:
        return
    col = meas.columns["time"]
    t = np.array(col.values, float)
    same = np.flatnonzero(np.diff(t) == 0)
    if not same.size:
        return
    change = np.zeros(len(t) - 1, bool)
    for q in _STEP_COUNTERS:
        if q in meas:
            v = meas[q]
            change |= v[1:] != v[:-1]
    moved = False
    for k in same[change[same]]:  # in order: a moved row is the gap of the next
        gap = t[k] - t[k - 1] if k > 0 else math.inf
        if gap > 0:
            t[k] -= min(STEP_ROW_OFFSET_S, 0.5 * gap)
            moved = True
    if moved:
        meas.columns["time"] = replace(col, values=t)


def check(meas: Measurement, required: Sequence[str] = ("time", "voltage")) -> None:
    """Refuse missing columns, NaN/missing values, a magnitude (a frequency, a C-rate, a
    table's capacity, ...: :func:`_check_magnitudes`) <= 0 or < 0, and a time that does
    not strictly increase (frequencies may come in any order: each row is one point).

    Raises
    ------
    InputError
        Naming the file, the column and the first bad row.
    """
    for q, col in meas.columns.items():
        bad = np.flatnonzero(~np.isfinite(col.values))
        if bad.size:
            raise InputError(meas.where(q, int(bad[0]) + 1), "NaN or missing",
                             "a finite number in every row")
    missing = [q for q in required if q not in meas]
    if missing:
        have = [c.header for c in meas.columns.values()]
        raise InputError(f"{meas.path.name}: columns", have,
                         f"columns {' and '.join(repr(q + ' [unit]') for q in required)} "
                         f"(missing: {', '.join(missing)})")
    _check_magnitudes(meas)
    if "time" not in meas:
        return
    t = meas["time"]
    back = np.flatnonzero(np.diff(t) <= 0)
    if back.size:
        k = int(back[0]) + 2
        same = t[k - 1] == t[k - 2]
        raise InputError(meas.where("time", k), f"{t[k - 1]:g} s after {t[k - 2]:g} s",
                         "a strictly increasing time",
                         hint="two rows at one time are read as a step change (the first "
                         "is the step's last row) only where the current, step or cycle "
                         "changes between them; remove the repeated row" if same else None)


#: EC-Lab column (galvani's canonical names) → (quantity, unit, sign).
_ECLAB = {
    "time/s": ("time", "s", 1.0),
    "I/mA": ("current", "mA", -1.0),
    "control/mA": ("current", "mA", -1.0),
    "Ewe/V": ("voltage", "V", 1.0),
    "(Q-Qo)/mA.h": ("capacity", "mAh", -1.0),
    "cycle number": ("cycle", "dimensionless", 1.0),
    "freq/Hz": ("frequency", "Hz", 1.0),
    "Re(Z)/Ohm": ("z_real", "ohm", 1.0),
    "-Im(Z)/Ohm": ("z_imag", "ohm", -1.0),
}
#: Neware column (NewareNDA's names; ``Total Time`` and ``Capacity(mAh)`` as
#: :func:`read_neware_table` derives them, named as Neware's own CSV export names them)
#: → (quantity, unit, sign). Neware counts a charge positive: current and capacity are
#: negated to the hemcell sign, as EC-Lab's are. ``Step`` is NewareNDA's count of step
#: changes (1, 2, ... at every new step; ``Step_Index``, the schedule's step number,
#: repeats in every cycle); ``Cycle`` its cycle number (:data:`NEWARE_CYCLE_MODE`).
_NEWARE = {
    "Total Time": ("time", "s", 1.0),
    "Current(mA)": ("current", "mA", -1.0),
    "Voltage": ("voltage", "V", 1.0),
    "Capacity(mAh)": ("capacity", "mAh", -1.0),
    "Cycle": ("cycle", "dimensionless", 1.0),
    "Step": ("step", "dimensionless", 1.0),
}
#: How NewareNDA numbers cycles (its ``cycle_mode``): ``auto`` starts a new cycle where
#: the test's first kind of step (charge or discharge, rests apart) comes again after the
#: other kind, so a cycle holds one discharge and one charge in the test's order, as
#: ``cell run`` and ``cell cycle-life`` number them (cycle 1 of a HEM half cell:
#: discharge, then charge). Its default, ``chg`` (BTSDA's "charge first"), made a
#: discharge-first record's first discharge a cycle of its own and paired each charge
#: with the next cycle's discharge. The file's own counter (the schedule's loops) is 1
#: throughout a test without a loop step (both fixtures in tests/fixtures/cycler).
NEWARE_CYCLE_MODE = "auto"


def _instrument_measurement(p: Path, table: dict[str, np.ndarray],
                            names: dict[str, tuple[str, str, float]], first_line: int = 1,
                            row_lines: Sequence[int] = ()) -> Measurement:
    """The measurement of an instrument file's columns ``table`` (name → values, in the
    file's order) through its column map ``names`` (name → quantity, unit, sign): each
    mapped column in SI, its sign applied; of two columns of one quantity the first."""
    meas = Measurement(p, file_sha256(p), first_line=first_line, row_lines=list(row_lines))
    for name, values in table.items():
        if name not in names:
            continue
        quantity, unit, sign = names[name]
        if quantity in meas.columns:
            continue
        si_unit, factor = _si_unit(quantity, unit, f"{p.name}: column '{name}'")
        meas.columns[quantity] = Column(name, unit, si_unit,
                                        sign * factor * np.asarray(values, dtype=float))
    return meas


def _read_eclab(p: Path) -> Measurement:
    """The columns of a BioLogic EC-Lab file (``.mpr`` binary or ``.mpt`` text) read with
    galvani, through :data:`_ECLAB`.

    Raises
    ------
    InputError
        A file galvani cannot read.
    """
    from galvani import BioLogic

    try:
        if p.suffix.lower() == ".mpr":
            table = BioLogic.MPRfile(str(p)).data
            first_line = 1
        else:
            # EC-Lab writes .mpt text in the Windows code page (PEIS: ``Cs/µF``, µ = 0xB5);
            # galvani decodes ASCII by default, which refuses that byte; a UTF-8 export next
            try:
                table, comments = BioLogic.MPTfile(str(p), encoding="cp1252")
            except ValueError:
                table, comments = BioLogic.MPTfile(str(p), encoding="utf-8")
            first_line = len(comments) + 4
    except (ValueError, OSError, NotImplementedError, KeyError, StopIteration) as exc:
        raise InputError(p.name, f"{type(exc).__name__}: {exc}"[:120],
                         "a BioLogic EC-Lab .mpr or .mpt file galvani can read") from None
    return _instrument_measurement(p, {n: table[n] for n in table.dtype.names or ()},
                                   _ECLAB, first_line)


def neware_total_time(step_time_s: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Test time [s] of Neware records from their step time and step counter.

    Neware records each step's own time (``Time``: 0 at the step's first record, which
    is written at the instant the step before ended). A record of the same step as the
    one before adds its step-time increment; the first record of a new step adds its
    step time (0) to the previous record's test time, so a step's last record and the
    next step's first fall on one time, as in Neware's CSV export's ``Total Time``
    (:func:`separate_step_rows` reads them as the step's two ends). Time spent paused
    between records is not counted (it is no step's time).
    """
    t = np.asarray(step_time_s, dtype=float)
    if not t.size:
        return t
    new_step = np.diff(np.asarray(step)) != 0
    increment = np.where(new_step, t[1:], np.diff(t))
    return t[0] + np.concatenate([[0.0], np.cumsum(increment)])


def read_neware_table(path: str | Path) -> dict[str, np.ndarray]:
    """The records of a Neware ``.nda`` or ``.ndax`` file as NewareNDA reads them, with the
    two columns hemcell reads derived from them.

    NewareNDA (D. Cogswell, BSD-3) gives ``Time`` [s] (a step's own time), ``Voltage``
    [V], ``Current(mA)``, ``Charge_Capacity(mAh)`` and ``Discharge_Capacity(mAh)`` (both
    from 0 in every step), ``Status`` (``CC_Chg``, ``CC_DChg``, ``CCCV_Chg``, ``Rest``,
    ...), ``Cycle`` (:data:`NEWARE_CYCLE_MODE`), ``Step`` and ``Index`` (the record's
    number), ``Timestamp`` (the clock time, here in s since 1970-01-01 as written,
    local). Added: ``Total Time`` (:func:`neware_total_time`) and ``Capacity(mAh)`` =
    charge − discharge capacity, the step's capacity in Neware's sign (positive in a
    charge), restarting at every step as Neware's export counts it.

    Returns
    -------
    dict
        Column name → values (``Status`` as text, the rest as numbers).

    Raises
    ------
    InputError
        A file NewareNDA cannot read (naming the file and NewareNDA's message), or
        NewareNDA not installed.
    """
    import logging
    import struct
    import warnings
    import zipfile

    # What NewareNDA (or the zip and struct modules under it) raises for bytes that are
    # not a Neware file it reads: an empty or truncated file, a wrong header, an unknown
    # record or version. A TypeError is left out: it comes from an API change (pandas).
    errors = (ValueError, EOFError, KeyError, IndexError, AttributeError,
              NotImplementedError, OSError, struct.error, zipfile.BadZipFile)
    p = Path(path)
    try:
        from NewareNDA.NewareNDA import read_nda
        from NewareNDA.NewareNDAx import read_ndax
    except ImportError:
        raise InputError(p.name, "a Neware file, and NewareNDA is not installed",
                         "a data file this installation reads",
                         hint="pip install 'hemcell[instruments]' (NewareNDA reads Neware "
                         ".nda/.ndax files)") from None
    reader = read_ndax if p.suffix.lower() == ".ndax" else read_nda
    logger = logging.getLogger("newarenda")  # its error lines repeat the message below
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():  # its pandas calls deprecated in pandas 3.1
            warnings.simplefilter("ignore", DeprecationWarning)
            df = reader(str(p), software_cycle_number=True, cycle_mode=NEWARE_CYCLE_MODE)
    except errors as exc:
        message = str(exc).replace(str(p), p.name)
        kind = "struct.error" if isinstance(exc, struct.error) else type(exc).__name__
        raise InputError(p.name, f"{kind}: {message}"[:120],
                         f"a Neware {p.suffix.lower()} file NewareNDA can read",
                         hint=_neware_hint(p)) from None
    finally:
        logger.setLevel(level)
    table = {"Index": df["Index"].to_numpy(dtype=float),
             "Status": df["Status"].astype(str).to_numpy()}
    for name in ("Cycle", "Step", "Step_Index", "Time", "Voltage", "Current(mA)",
                 "Charge_Capacity(mAh)", "Discharge_Capacity(mAh)"):
        table[name] = df[name].to_numpy(dtype=float)
    # the clock time as written (local, 1 s resolution in a .nda) [s since 1970-01-01]
    table["Timestamp"] = df["Timestamp"].to_numpy(dtype="datetime64[us]").astype(
        np.int64) * 1e-6
    table["Total Time"] = neware_total_time(table["Time"], table["Step"])
    table["Capacity(mAh)"] = table["Charge_Capacity(mAh)"] - table["Discharge_Capacity(mAh)"]
    return table


#: The first bytes of a Neware file: a .nda's header, a .ndax's (zip archive's).
_NEWARE_MAGIC = {".nda": b"NEWARE", ".ndax": b"PK\x03\x04"}


def _neware_hint(p: Path) -> str:
    """Why a Neware file was not read: it does not start as one does (another file under
    its suffix), or it does and is damaged or cut short."""
    magic = _NEWARE_MAGIC[p.suffix.lower()]
    with p.open("rb") as f:
        head = f.read(len(magic))
    if head != magic:
        return (f"a Neware {p.suffix.lower()} file starts with {magic!r}, this one with "
                f"{head!r}: not a Neware file (an export is read under its own suffix, "
                ".csv)")
    return ("the file starts as a Neware file does but is damaged or cut short (copied "
            "while the test was running?): copy it again after the test ended")


def _read_neware(p: Path) -> Measurement:
    """The columns of a Neware ``.nda``/``.ndax`` file (:func:`read_neware_table`) through
    :data:`_NEWARE`; a row's "line" in messages is its record number (``Index``)."""
    table = read_neware_table(p)
    return _instrument_measurement(p, table, _NEWARE,
                                   row_lines=[int(k) for k in table["Index"]])


def read_instrument(path: str | Path, required: Sequence[str] = ("time", "voltage")
                    ) -> Measurement:
    """Read a BioLogic EC-Lab file (``.mpr`` binary or ``.mpt`` text) with galvani or a
    Neware file (``.nda``, ``.ndax``) with NewareNDA.

    Current and charge are negated to the hemcell sign (module doc), ``-Im(Z)`` to
    Im Z. Columns other than time, current, voltage, charge, cycle (and Neware's step)
    number and the impedance (frequency, Re Z, −Im Z) are left out.

    Raises
    ------
    InputError
        A file its reader cannot read, or one without time and voltage columns; then the
        checks of :func:`check`.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("data file", str(p), "an existing CSV or instrument file")
    meas = _read_neware(p) if p.suffix.lower() in NEWARE_SUFFIXES else _read_eclab(p)
    if len(meas) < 2:
        raise InputError(p.name, f"{len(meas)} data row(s)", "at least two data rows")
    separate_step_rows(meas)
    check(meas, required)
    return meas


def read_measurement(path: str | Path, required: Sequence[str] = ("time", "voltage")
                     ) -> Measurement:
    """A CSV (:func:`read_csv`) or instrument file (:func:`read_instrument`) by suffix."""
    p = Path(path)
    if p.suffix.lower() in INSTRUMENT_SUFFIXES:
        return read_instrument(p, required)
    return read_csv(p, required)


def check_current_sign(meas: Measurement, sign: float, protocol: str) -> None:
    """Refuse a current column whose sign is opposite to the protocol's.

    Parameters
    ----------
    sign
        +1 for a discharge (lithiation), -1 for a charge.
    protocol
        The protocol text, for the message.

    Raises
    ------
    InputError
        Naming the file, the current column and the first row of the wrong sign.
    """
    if "current" not in meas:
        return
    i = meas["current"]
    wrong = np.flatnonzero(np.sign(i) == -np.sign(sign))
    if wrong.size:
        k = int(wrong[0]) + 1
        col = meas.columns["current"]
        raise InputError(meas.where("current", k), f"{i[k - 1] / unit_factor(col):g} {col.unit}",
                         f"a current of the protocol's sign ('{protocol}': "
                         f"{'positive = discharge' if sign > 0 else 'negative = charge'})",
                         hint="hemcell counts a discharge (lithiation of the anode) as "
                         "positive; negate the column if the cycler counts it the other way")


def check_sign_by_voltage(meas: Measurement) -> None:
    """Refuse a time series whose current is counted the other way round.

    In hemcell's convention a positive current discharges the cell (module doc), and a
    discharge lowers any cell's voltage while a charge raises it. Each run of rows with
    one sign of current (a step) is judged by its voltage from its first row to its last;
    when every step whose voltage moves at all moves the wrong way (up while positive,
    down while negative), the cycler counted a discharge negative (Arbin, Neware and
    Maccor do for a full cell). Read as it was, a Li‖LFP record's per-cycle "discharge"
    capacity was its charge capacity (cycle 1: 160.7 for 150.7 mAh/g) and a curve's
    model was driven the other way.

    Raises
    ------
    InputError
        Naming the file, the current column and the first row of the first such step,
        with the header that negates the column.
    """
    if not all(q in meas for q in ("time", "current", "voltage")):
        return
    i, v = np.sign(meas["current"]), meas["voltage"]
    edges = np.flatnonzero(np.diff(i) != 0) + 1
    moves = []  # (first row, sign, voltage at first row, at last row) of each step
    for start, stop in zip(np.r_[0, edges], np.r_[edges, len(i)], strict=True):
        if i[start] != 0 and stop - start >= 2 and v[stop - 1] != v[start]:
            moves.append((int(start), i[start], v[start], v[stop - 1]))
    if not moves or any(sign * (end - begin) < 0 for _, sign, begin, end in moves):
        return
    k, _, begin, end = moves[0]
    col = meas.columns["current"]
    flipped = negated_header(col)
    raise InputError(meas.where("current", k + 1),
                     f"{written_value(col, meas['current'][k]):g} {col.unit} while the "
                     f"voltage {'rises' if end > begin else 'falls'} from {begin:g} to "
                     f"{end:g} V (so in every step)",
                     "a current counted positive in a discharge (hemcell's convention: "
                     "the voltage falls while the current is positive, rises while it is "
                     "negative)",
                     hint=f"the cycler counts a discharge negative: negate the column with "
                     f"a minus before its name, '{flipped}'")


def unit_factor(col: Column) -> float:
    """Factor from the column's written unit to its SI unit."""
    text = _pint_unit(col.unit)
    return float(unit_registry().Quantity(1.0, text or "dimensionless").to(col.si_unit).magnitude)


#: Superscript digits and minus as papers and some exports write exponents (g⁻¹, cm²).
_SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
#: An exponent written straight after a unit's name (``g-1``, ``cm2``), not after ``**``.
_BARE_EXPONENT = re.compile(r"(?<=[A-Za-zΩµμ])(-?\d+)(?![\d.])")


def _pint_unit(unit: str) -> str:
    """A unit as cyclers and papers write it, in pint syntax: ``mAh`` → ``mA*h``,
    ``Ah`` → ``A*h``, an exponent after the name → ``**`` (``mAh g-1`` and
    ``mAh g⁻¹`` → ``mA*h g**-1``, ``mA cm-2`` → ``mA cm**-2``), ``·`` → ``*``,
    ``Ohm`` → ``ohm``."""
    text = unit.translate(_SUPERSCRIPTS).replace("·", "*").replace("⋅", "*")
    text = text.replace("mAh", "mA*h").replace("Ah", "A*h")
    text = re.sub(r"\b([kmMG]?)Ohm\b", r"\1ohm", text)  # EC-Lab's and Gamry's spelling
    return _BARE_EXPONENT.sub(r"**\1", text)


def check_voltage_window(meas: Measurement, lower_V: float, upper_V: float) -> None:
    """Refuse voltages outside the model's window [lower_V, upper_V].

    Raises
    ------
    InputError
        Naming the file, the voltage column and the first row outside.
    """
    v = meas["voltage"]
    out = np.flatnonzero((v < lower_V) | (v > upper_V))
    if out.size:
        k = int(out[0]) + 1
        edge = "lower" if v[k - 1] < lower_V else "upper"
        raise InputError(meas.where("voltage", k), f"{v[k - 1]:g} V",
                         f"a voltage inside the model's window [{lower_V:g}, {upper_V:g}] V "
                         "(the parameter set's lower/upper voltage cut-offs)",
                         hint="the model stops at its cut-offs: if the measurement's "
                         "cut-off lies beyond the model's, or a point overshot it, move the "
                         f"model's in the spec, model: {{set: [\"{edge}_voltage_cutoff="
                         f"{v[k - 1]:g} V\"]}}, or leave the row out")


def held_charge(times_s: np.ndarray, current: np.ndarray) -> np.ndarray:
    """Charge passed at every row of a cycler time series [A s, or A s/kg for a current
    per mass]: Q_k = Σ_{j<k} I_j (t_{j+1} − t_j).

    A cycler holds its current within a step and writes a row when a step starts (then
    at its recording period): a row's current is held from that row until the next row
    (zero-order hold). The one reading of a row's current, for the data's capacities
    and for the current the fit's model is driven with
    (:func:`hemcell.workflows.fit.held_current`).
    """
    t = np.asarray(times_s, float)
    return np.concatenate([[0.0], np.cumsum(np.asarray(current, float)[:-1] * np.diff(t))])


def capacity_per_cycle(meas: Measurement, direction: str = "discharge"
                       ) -> tuple[np.ndarray, np.ndarray, bool]:
    """Discharge (or charge) capacity of each cycle of a cycler time series.

    The k-th distinct value of the ``cycle`` counter (in order of appearance) is cycle
    k; its discharge capacity is Σ max(I_j, 0) (t_{j+1} − t_j) over its rows j, its
    charge capacity Σ max(−I_j, 0) (t_{j+1} − t_j): each row's current held until the
    next row (:func:`held_charge`; the last row of a cycle holds until the first of the
    next; a positive current is a discharge, module doc).

    Parameters
    ----------
    direction
        ``discharge`` (a Li‖LFP cell's capacity, a half cell's lithiation) or ``charge``
        (a HEM half cell's delithiation: the capacity ``cell cycle-life`` reports).

    Returns
    -------
    tuple
        ``(cycle numbers from 1, capacity [A s or A s/kg], per_mass)``.

    Raises
    ------
    InputError
        Without time, current and cycle columns, a current counted the other way
        (:func:`check_sign_by_voltage`), or a cycle without current of the direction.
    """
    check(meas, ("time", "current", "cycle"))
    check_sign_by_voltage(meas)
    sign = {"discharge": 1.0, "charge": -1.0}[direction]
    t, counter = meas["time"], meas["cycle"]
    i = np.clip(sign * meas["current"], 0.0, None)
    per_row = np.append(np.diff(held_charge(t, i)), 0.0)  # row j: I_j (t_{j+1} - t_j)
    cycles, caps = [], []
    for n, value in enumerate(dict.fromkeys(counter.tolist()), start=1):
        rows = np.flatnonzero(counter == value)
        q = float(np.sum(per_row[rows]))
        if not q > 0:
            raise InputError(meas.where("cycle", int(rows[0]) + 1), f"cycle counter {value:g}",
                             f"cycles that each hold a {direction} ("
                             f"{'positive' if sign > 0 else 'negative'} current)")
        cycles.append(n)
        caps.append(q)
    return np.array(cycles, float), np.array(caps), meas.columns["current"].per_mass


def discharge_capacity_per_cycle(meas: Measurement) -> tuple[np.ndarray, np.ndarray, bool]:
    """:func:`capacity_per_cycle` of the discharge (Σ max(I_j, 0) Δt_j per cycle)."""
    return capacity_per_cycle(meas, "discharge")
