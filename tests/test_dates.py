"""tasks/dates.py: every month system, Arabic-Indic digits, Hijri, the traps."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from tasks import dates
from tasks.dates import find_dates, hijri_to_gregorian, parse_date

D = dt.date


def one(s: str):
    hits = find_dates(s)
    assert len(hits) == 1, (s, hits)
    return hits[0]


def greg(s: str) -> dt.date:
    h = one(s)
    assert h.calendar == "gregorian", (s, h)
    return h.date


# ---- numeric ----------------------------------------------------------------------

@pytest.mark.parametrize("s, want", [
    ("2024-05-09", D(2024, 5, 9)),
    ("2024/05/09", D(2024, 5, 9)),
    ("2024.5.9", D(2024, 5, 9)),
    ("09/05/2024", D(2024, 5, 9)),      # d/m preferred
    ("9.5.2024", D(2024, 5, 9)),
    ("09-05-2024", D(2024, 5, 9)),
    ("13/05/2024", D(2024, 5, 13)),
    ("05/13/2024", D(2024, 5, 13)),     # only m/d is possible
    ("٢٠٢٤/٠٥/٠٩", D(2024, 5, 9)),       # Arabic-Indic digits
    ("۲۰۲۴-۰۵-۰۹", D(2024, 5, 9)),       # Persian digits
    ("2024. 5. 9.", D(2024, 5, 9)),      # Korean: a space after each dot
    ("2024년 5월 9일", D(2024, 5, 9)),
])
def test_numeric(s, want):
    assert greg(s) == want


def test_iso_with_time():
    h = one("Published: 2024-05-09T10:00:00Z")
    assert (h.date, h.time) == (D(2024, 5, 9), dt.time(10, 0))
    assert h.text == "2024-05-09T10:00:00Z"


@pytest.mark.parametrize("s", ["31/02/2024", "31 February 2024", "13/13/2024", "30 فبراير 2024",
                               "2024-13-01", "00/05/2024", "32 May 2024"])
def test_impossible_dates_rejected(s):
    assert find_dates(s) == []


def test_version_numbers_and_ip_like_runs_are_not_dates():
    assert find_dates("version 1.2.2024.5 and 10.12.2024.1") == []
    assert find_dates("24/11/20261 and 24/11/2026123:30") == []    # five digits, or no time, after the year


# ---- month names, European ---------------------------------------------------------

@pytest.mark.parametrize("s, want", [
    ("9 May 2024", D(2024, 5, 9)),
    ("May 9, 2024", D(2024, 5, 9)),
    ("Thursday 09 May 2024", D(2024, 5, 9)),
    ("Thu, Sept. 5th, 2019", D(2019, 9, 5)),
    ("9 mai 2024", D(2024, 5, 9)),
    ("1er janvier 2024", D(2024, 1, 1)),
    ("le 3 FÉVRIER 2020", D(2020, 2, 3)),
    ("3 fevrier 2020", D(2020, 2, 3)),           # accent left out
    ("9. Mai 2024", D(2024, 5, 9)),
    ("Donnerstag, 9. März 2023", D(2023, 3, 9)),
    ("9 de mayo de 2024", D(2024, 5, 9)),
    ("9 de mayo del 2024", D(2024, 5, 9)),
    ("9 de março de 2024", D(2024, 3, 9)),
    ("9 maggio 2024", D(2024, 5, 9)),
    ("9 мая 2024", D(2024, 5, 9)),                # Russian genitive
    ("9 maja 2024", D(2024, 5, 9)),               # Polish genitive
    ("9 Μαΐου 2024", D(2024, 5, 9)),              # Greek genitive
    ("9 ΜΑΪΟΥ 2024", D(2024, 5, 9)),              # Greek capitals, different diaeresis
    ("2024年5月9日", D(2024, 5, 9)),
    ("2024 年 5 月 9 日", D(2024, 5, 9)),
    ("2024년 5월 9일", D(2024, 5, 9)),
    ("09-May-24", D(2024, 5, 9)),
    # Urdu, Persian (the Gregorian months), Hebrew (also glued to its "in"), Hindi, Indonesian
    ("جمعرات 21 نومبر 2024", D(2024, 11, 21)),
    ("سه شنبه ۲۱ نوامبر ۲۰۲۴", D(2024, 11, 21)),
    ("יום חמישי, 21 בנובמבר 2024", D(2024, 11, 21)),
    ("21 מרץ 2024", D(2024, 3, 21)),
    ("गुरुवार, 21 नवंबर 2024", D(2024, 11, 21)),
    ("Minggu, 1 Desember 2024", D(2024, 12, 1)),
])
def test_month_names(s, want):
    assert greg(s) == want


@pytest.mark.parametrize("s", ["Fr, 18. Oktober 2019", "Mi., 24.11.2026", "ven. 24 novembre 2026",
                               "Selasa, 24 November 2026", "Salı, 24 Kasım 2026", "dinsdag 24 november 2026"])
def test_abbreviated_and_other_languages_weekdays_are_part_of_the_span(s):
    assert one(s).start == 0


def test_weekday_is_part_of_the_span():
    h = one("Posted Thursday 09 May 2024 by staff")
    assert h.text == "Thursday 09 May 2024"
    # also behind a spaced dash or bar ("الثلاثاء - 24-11-2026": the weekday, not a place)
    assert one("الثلاثاء - 24-11-2026").text == "الثلاثاء - 24-11-2026"
    assert one("Tuesday | 24.11.2026").text == "Tuesday | 24.11.2026"
    assert one("Paris - 24.11.2026").text == "24.11.2026"


@pytest.mark.parametrize("s, t", [
    ("May 9, 2024 10:30 PM", dt.time(22, 30)),
    ("May 9, 2024 at 12:05 a.m.", dt.time(0, 5)),
    ("9 mai 2024 à 10h30", dt.time(10, 30)),
    ("9. Mai 2024, 10:30 Uhr", dt.time(10, 30)),
    ("9 مايو 2024 10:30 م", dt.time(22, 30)),
    ("9 مايو 2024 الساعة 10:30 ص", dt.time(10, 30)),
    ("10:30 - 09/05/2024", dt.time(10, 30)),       # time before the date
    ("6:12 PM UTC, May 9, 2024", dt.time(18, 12)),   # ... with its time zone
    ("4:00 am CST, Thursday, May 9, 2024", dt.time(4, 0)),
    ("19 November 2019 • 1:16pm", dt.time(13, 16)),
    ("09/05/202410:30", dt.time(10, 30)),           # glued to the year by the dumper
    ("9 мая 2024 г., 11:57", dt.time(11, 57)),       # the year's word between ("г.", "года", "r.", "roku")
    ("9 maja 2024 roku o 11:57", dt.time(11, 57)),
    ("2024年5月9日 10時30分", dt.time(10, 30)),      # Japanese
    ("2024年5月9日 22时5分", dt.time(22, 5)),        # Chinese
    ("2024. 5. 9. 14:30", dt.time(14, 30)),          # Korean
    ("Wednesday 14 December 2011 18.29 GMT", dt.time(18, 29)),   # a dot between hours and minutes
    ("19.6.2007 9.40 Uhr", dt.time(9, 40)),
    ("9 May 2024 10.30 pm", dt.time(22, 30)),
])
def test_times_next_to_a_date(s, t):
    h = one(s)
    assert h.time == t
    assert h.text == s


@pytest.mark.parametrize("s,day,t", [
    ("פורסם: 25.11.24, 16:05", D(2024, 11, 25), dt.time(16, 5)),
    ("Aktualisiert: 25.11.24 16:05 Uhr", D(2024, 11, 25), dt.time(16, 5)),
    ("bl2 (gość), 05.01.12, 18:46:41", D(2012, 1, 5), dt.time(18, 46, 41)),
])
def test_a_two_digit_year_in_figures_with_its_time(s, day, t):
    h = find_dates(s)[0]
    assert (h.date, h.time) == (day, t)


@pytest.mark.parametrize("s", ["Version 25.11.24", "Score 2.1.24 at half time", "Release 3.11.12 notes"])
def test_a_two_digit_year_in_figures_without_a_time_is_no_date(s):
    assert find_dates(s) == []


@pytest.mark.parametrize("s", ["12 May 2020 3.5 million", "3 March 2020 2.45", "9 May 2024 18.29"])
def test_a_dotted_figure_after_a_date_is_no_time(s):
    # only a zone, am/pm or "Uhr" after it says "18.29" is a time and not a figure
    h = find_dates(s)[0]
    assert h.time is None and h.date is not None


def test_bad_time_is_left_out_not_the_date():
    h = one("9 May 2024 25:61")
    assert h.date == D(2024, 5, 9) and h.time is None and h.text == "9 May 2024"


# ---- Arabic: every month system ----------------------------------------------------

EGYPT_GULF = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
              "أكتوبر", "نوفمبر", "ديسمبر"]
LEVANT = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
          "تشرين الأول", "تشرين الثاني", "كانون الأول"]
ALGERIA_TUNISIA = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر",
                   "أكتوبر", "نوفمبر", "ديسمبر"]
MOROCCO = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر",
           "نونبر", "دجنبر"]


@pytest.mark.parametrize("system", [EGYPT_GULF, LEVANT, ALGERIA_TUNISIA, MOROCCO],
                         ids=["egypt_gulf", "levant_iraq", "algeria_tunisia", "morocco"])
def test_every_arabic_month_system(system):
    for month, name in enumerate(system, start=1):
        assert greg(f"15 {name} 2024") == D(2024, month, 15), name
        # Arabic-Indic digits
        assert greg(f"١٥ {name} ٢٠٢٤") == D(2024, month, 15), name


@pytest.mark.parametrize("s, want", [
    ("15 إبريل 2024", D(2024, 4, 15)),
    ("15 ابريل 2024", D(2024, 4, 15)),
    ("15 يونيه 2024", D(2024, 6, 15)),
    ("15 يوليه 2024", D(2024, 7, 15)),
    ("15 اغسطس 2024", D(2024, 8, 15)),
    ("15 اكتوبر 2024", D(2024, 10, 15)),
    ("15 ايار 2024", D(2024, 5, 15)),             # no hamza
    ("15 اذار 2024", D(2024, 3, 15)),
    ("15 اب 2024", D(2024, 8, 15)),
    ("15 ايلول 2024", D(2024, 9, 15)),
    ("15 جويليه 2024", D(2024, 7, 15)),           # ه for ة
    ("15 كانون الاول 2024", D(2024, 12, 15)),
    ("15 أيـــار 2024", D(2024, 5, 15)),          # tatweel, unnormalized text
])
def test_arabic_spelling_variants(s, want):
    assert greg(s) == want


@pytest.mark.parametrize("s, want", [
    ("15 كانون 2 2022", D(2022, 1, 15)),
    ("15 كانون2 2022", D(2022, 1, 15)),
    ("15 كانون ٢ ٢٠٢٢", D(2022, 1, 15)),
    ("3 تشرين 1 2023", D(2023, 10, 3)),
    ("3 تشرين 2 2023", D(2023, 11, 3)),
    ("3 كانون 1 2023", D(2023, 12, 3)),
    ("3 تشرين أول 2023", D(2023, 10, 3)),
    ("3 تشرين ثاني 2023", D(2023, 11, 3)),
    ("3 كانون ثاني 2023", D(2023, 1, 3)),
])
def test_numbered_levantine_months(s, want):
    assert greg(s) == want


@pytest.mark.parametrize("s, want", [
    ("9 أيار (مايو) 2024", D(2024, 5, 9)),
    ("9 مايو/أيار 2024", D(2024, 5, 9)),
    ("9 تشرين الأول/ أكتوبر 2016", D(2016, 10, 9)),
    ("الخميس 09 مايو 2024", D(2024, 5, 9)),
    ("الأحد , مايو 27 2018", D(2018, 5, 27)),      # month before day
    ("يوم الأحد 27 مايو 2018", D(2018, 5, 27)),
])
def test_double_forms_weekdays_month_first(s, want):
    h = one(s)
    assert (h.date, h.calendar) == (want, "gregorian")
    assert h.text == s


# ---- Hijri -------------------------------------------------------------------------

@pytest.mark.parametrize("s, want", [
    ("15 رمضان 1445 هـ", D(2024, 3, 25)),
    ("١٥ رمضان ١٤٤٥ هـ", D(2024, 3, 25)),
    ("1445/09/15هـ", D(2024, 3, 25)),
    ("15/09/1445 هـ", D(2024, 3, 25)),
    ("15 شوال 1445", D(2024, 4, 24)),            # a Hijri month name is enough
    ("1 ذو الحجة 1445 هـ", D(2024, 6, 7)),
    ("1 ذي الحجة 1445هـ", D(2024, 6, 7)),
    ("10 ربيع الأول 1446 هـ", D(2024, 9, 13)),
    ("Ramadan 15, 1445 AH", D(2024, 3, 25)),
])
def test_hijri_recognised_with_gregorian_equivalent(s, want):
    h = one(s)
    assert h.calendar == "hijri"
    # tabular arithmetic: within two days of Umm al-Qura
    assert abs((h.date - want).days) <= 2


def test_hijri_conversion_anchor_points():
    assert hijri_to_gregorian(1, 1, 1) == dt.date(622, 7, 19)   # 16 July 622 Julian
    assert hijri_to_gregorian(1445, 9, 1) == D(2024, 3, 11)
    # tabular, not Umm al-Qura: 1 Muharram 1446 was 7 July 2024 in Saudi Arabia
    assert hijri_to_gregorian(1446, 1, 1) == D(2024, 7, 8)


@pytest.mark.parametrize("s", [
    "1445/09/15",            # Hijri-looking year without its suffix: not Gregorian 1445
    "15/09/1445",
    "15 صفر 2024",           # Hijri month with a Gregorian year: contradictory
    "15 مايو 1445 هـ",       # Gregorian month with a Hijri marker
    "رمضان 1445",            # month + year, no day
])
def test_hijri_never_read_as_gregorian(s):
    assert all(h.calendar == "hijri" for h in find_dates(s))
    assert not any(h.date.year in (1445, 1446) for h in find_dates(s))
    assert [h for h in find_dates(s) if h.calendar == "gregorian"] == []


def test_hijri_and_gregorian_side_by_side():
    hits = find_dates("الأحد 15 رمضان 1445 هـ الموافق 25 مارس 2024 م")
    assert [(h.calendar, h.date) for h in hits] == [("hijri", D(2024, 3, 25)), ("gregorian", D(2024, 3, 25))]
    assert hits[0].text == "الأحد 15 رمضان 1445 هـ"
    assert hits[1].text == "25 مارس 2024 م"
    assert parse_date("الأحد 15 رمضان 1445 هـ الموافق 25 مارس 2024 م").calendar == "gregorian"
    assert parse_date("15 رمضان 1445 هـ").calendar == "hijri"


# ---- traps -------------------------------------------------------------------------

@pytest.mark.parametrize("s", [
    "2014", "عام 2014", "منتصف عام 2014", "في عام ٢٠١٤", "the 2014 season", "Copyright © 2024",
    "أكتوبر/ تشرين الأول 2016",      # month + year, no day: not a full date
    "May 2024", "mai 2024", "كانون 2 2022", "تشرين 1 2022", "أيار 2024",
    "1er janvier",                   # no year
    "May 9, 24 people died",         # two-digit "year" followed by a word
    "09/05/24",                      # two-digit year without a month name
    "10 of 2024", "page 3 / 2024",
])
def test_no_full_date_gives_nothing(s):
    assert find_dates(s) == [], s


def test_a_solar_hijri_date_is_no_gregorian_one():
    # Persian pages date by the solar Hijri calendar: its months are in no table, its years no Gregorian year
    assert find_dates("جمعه ۲ آذر ۱۴۰۳") == [] and find_dates("۱۴۰۳/۰۸/۳۰ - ۱۰:۴۵") == []


def test_two_digit_year_with_month_name():
    assert greg("9 May 24") == D(2024, 5, 9)
    assert greg("May 9, '98") == D(1998, 5, 9)


def test_several_dates_in_order_with_spans():
    text = "Updated 10/05/2024.\nFirst published May 9, 2024 10:30 PM — ١٥ أيار ٢٠٢٤"
    hits = find_dates(text)
    assert [h.date for h in hits] == [D(2024, 5, 10), D(2024, 5, 9), D(2024, 5, 15)]
    for h in hits:
        assert text[h.start:h.end] == h.text
    assert parse_date(text).date == D(2024, 5, 10)


def test_parse_date_none():
    assert parse_date("no date here") is None
    assert parse_date("") is None


# ---- the tables are data -----------------------------------------------------------

def test_tables_are_yaml_data_and_consistent():
    data = yaml.safe_load(dates.MONTHS_FILE.read_text(encoding="utf-8"))
    systems = data["months"]["gregorian"]
    for key in ("ar_egypt_gulf", "ar_levant_iraq", "ar_maghreb", "ar_morocco", "en", "fr", "de", "ru", "pl", "el"):
        assert key in systems
    assert len(data["months"]["hijri"]["ar"]) == 12


def test_user_table_extends_the_finder(tmp_path):
    data = yaml.safe_load(dates.MONTHS_FILE.read_text(encoding="utf-8"))
    data["months"]["gregorian"]["xx"] = {5: ["Flormonat"]}
    p = tmp_path / "months.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    c = dates._compiled(str(p))
    m = c.regex.match("9 Flormonat 2024")
    assert m is not None and dates._hit_date(m, c.months) == (D(2024, 5, 9), "gregorian")


def test_conflicting_names_are_rejected(tmp_path):
    p = tmp_path / "months.yaml"
    p.write_text("months:\n  gregorian:\n    a: {1: [Foo]}\n    b: {2: [foo]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="means both"):
        dates._compiled(str(p))
