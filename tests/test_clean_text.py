"""The plain-text cleaner: the samples' gold, and per concept the reason each removed
line gets, on small real-looking pages in several languages."""
from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from tasks.clean_text import (SiteMemory, TextCleanConfig, clean_text, line_fingerprint, short_line_fingerprints,
                              site_line_fingerprints)
from tasks.normalize import normalize_text, tokens
from tasks.reasons import LINE_REASONS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "raw"
GOLD = ROOT / "tests" / "fixtures" / "samples_gold"
SAMPLE_IDS = sorted(p.stem for p in GOLD.glob("*.json"))


def token_f1(pred: str, gold: str) -> float:
    p = Counter(t.casefold() for t in tokens(normalize_text(pred)))
    g = Counter(t.casefold() for t in tokens(normalize_text(gold)))
    tp = sum((p & g).values())
    if not tp:
        return 0.0
    prec, rec = tp / sum(p.values()), tp / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def reasons(cleaned) -> dict[str, str]:
    """line text -> reason, for the removed lines (keyed by the input's text and by its
    normalized form, e.g. fullwidth punctuation folded)."""
    out = {}
    for r in cleaned.removed:
        out[r.text] = r.reason
    return _NormDict(out)


class _NormDict(dict):
    def __getitem__(self, k):
        return super().__getitem__(normalize_text(k))


def assert_accounted(text: str, cleaned) -> None:
    """Every non-blank line is either a kept paragraph or a removed line with a known reason."""
    n = sum(1 for line in normalize_text(text).split("\n") if line)
    assert len(cleaned.removed) + len(cleaned.paragraphs) == n
    assert all(r.reason in LINE_REASONS for r in cleaned.removed)
    nos = [r.line_no for r in cleaned.removed]
    assert len(nos) == len(set(nos))


def assert_page(page: str, body: list[str], line_reasons: dict[str, str], **fields) -> None:
    """The page cleans to `body`, each field (title, site_name, dateline, ...) as given, each listed
    line removed for the reason given, and every other line accounted for."""
    c = clean_text(page)
    assert c.paragraphs == body
    assert {name: getattr(c, name) for name in fields} == fields
    r = reasons(c)
    assert {line: r[line] for line in line_reasons} == line_reasons
    assert_accounted(page, c)


# --------------------------------------------------------------------------------------
# the five samples


@pytest.mark.parametrize("sample_id", SAMPLE_IDS)
def test_sample_gold(sample_id):
    assert len(SAMPLE_IDS) == 5
    gold = json.loads((GOLD / f"{sample_id}.json").read_text(encoding="utf-8"))
    text = (SAMPLES / f"{sample_id}.txt").read_text(encoding="utf-8")
    c = clean_text(text)
    assert token_f1("\n".join(c.paragraphs), "\n".join(gold["body_paragraphs"])) >= 0.98
    assert c.title == gold["title"]
    assert c.dateline == gold["dateline"]
    assert c.byline == gold["byline"]
    assert c.site_name == gold["site_name"]
    assert c.title not in c.paragraphs
    assert_accounted(text, c)


@pytest.mark.parametrize("sample_id", SAMPLE_IDS)
def test_sample_page_date(sample_id):
    gold = json.loads((GOLD / f"{sample_id}.json").read_text(encoding="utf-8"))
    c = clean_text((SAMPLES / f"{sample_id}.txt").read_text(encoding="utf-8"))
    assert (c.page_date.isoformat() if c.page_date else None) == gold["page_date"]


def test_sample_reasons_follow_the_labels():
    """The removed lines of the samples get the reason their gold label names."""
    same = {"section_nav": {"navigation", "section_label"}, "share_print": {"print", "share"}}
    hits = total = 0
    for sid in SAMPLE_IDS:
        gold = json.loads((GOLD / f"{sid}.json").read_text(encoding="utf-8"))
        c = clean_text((SAMPLES / f"{sid}.txt").read_text(encoding="utf-8"))
        for r in c.removed:
            label = gold["line_labels"].get(str(r.line_no))
            if label is None or label == "body":
                continue
            total += 1
            hits += r.reason == label or r.reason in same.get(label, ())
    assert total >= 30 and hits / total >= 0.8


def sample_chrome_around(chrome_id: str, article: dict, n_paragraphs: int) -> str:
    """The page of sample `chrome_id` with another article in it: its body lines give way to the
    article's first paragraphs, its title lines to the article's title (a site's other page)."""
    gold = json.loads((GOLD / f"{chrome_id}.json").read_text(encoding="utf-8"))
    out, placed = [], False
    for no, line in enumerate((SAMPLES / f"{chrome_id}.txt").read_text(encoding="utf-8").split("\n"), 1):
        label = gold["line_labels"].get(str(no))
        if label == "body":
            if not placed:
                out += [p for par in article["body_paragraphs"][:n_paragraphs] for p in (par, "")]
                placed = True
        elif label in ("title", "title_repeat"):
            out.append(article["title"])
        else:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("chrome_id", SAMPLE_IDS)
def test_sample_chrome_around_other_articles(chrome_id):
    """Each sample's page with each sample's article in it, cut to one paragraph, two, or whole:
    the rules are the site's, not the article's, and a one-paragraph story is still the story
    (sample 001 has a reader's comment longer than such a story under its '1 تعليق')."""
    for article_id in SAMPLE_IDS:
        article = json.loads((GOLD / f"{article_id}.json").read_text(encoding="utf-8"))
        for n in (1, 2, len(article["body_paragraphs"])):
            c = clean_text(sample_chrome_around(chrome_id, article, n))
            assert token_f1("\n".join(c.paragraphs), "\n".join(article["body_paragraphs"][:n])) >= 0.98, (article_id, n)
            assert c.title == article["title"], (article_id, n)


# --------------------------------------------------------------------------------------
# hard-wrapped dumps (lynx -dump, html2text: paragraphs broken at a terminal's width)


def hard_wrapped(text: str, width: int) -> str:
    # textwrap is what html2text wraps with
    return "\n".join(part for line in text.split("\n") for part in (textwrap.wrap(line, width) or [""]))


@pytest.mark.parametrize("width", [50, 72, 79, 100])
def test_samples_hard_wrapped_are_unwrapped(width):
    """Each sample wrapped at a terminal's width: the same article and fields as unwrapped."""
    for sample_id in SAMPLE_IDS:
        gold = json.loads((GOLD / f"{sample_id}.json").read_text(encoding="utf-8"))
        text = hard_wrapped((SAMPLES / f"{sample_id}.txt").read_text(encoding="utf-8"), width)
        c = clean_text(text)
        assert token_f1("\n".join(c.paragraphs), "\n".join(gold["body_paragraphs"])) >= 0.98, sample_id
        assert (c.title, c.dateline, c.byline, c.site_name) == (gold["title"], gold["dateline"], gold["byline"],
                                                                gold["site_name"]), sample_id
        # every removed line is numbered by its first line in the input
        lines = normalize_text(text).split("\n")
        assert all(r.text.startswith(lines[r.line_no - 1]) for r in c.removed)


# --------------------------------------------------------------------------------------
# small pages per language

EN_BODY = [
    "The defence ministry said on Wednesday that a military delegation had arrived in Baghdad for talks on border security.",
    "Officials from both countries agreed to set up a joint operations centre to share intelligence about the militants.",
    "The chief of staff told reporters that the meeting was the first of its kind since the start of the war in 2011.",
    "Analysts said the move could change the balance of power along the desert border in the coming months.",
]

EN_PAGE = "\n".join([
    "Iraq and Syria agree on joint operations centre - Example News",
    "Skip to main content",
    "Home",
    "World",
    "Politics",
    "Business",
    "Sport",
    "Home > World > Middle East",
    "Iraq and Syria agree on joint operations centre",
    "By Jane Doe",
    "Share this article",
    *EN_BODY,
    "Advertisement",
    "Related articles",
    "Iran warns US carrier not to return to the Gulf",
    "Oil prices rise after talks collapse in Vienna",
    "Comments",
    "Milan Griffes on September 12, 2018 at 4:47 pm said:",
    "This is a great article, thank you for covering the border talks so carefully and in such detail.",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Enter the code shown above",
    "Sign up for our newsletter",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "© 2019 Example News Ltd. All rights reserved.",
    "Back to top",
])


def test_english_page_reasons():
    assert_page(EN_PAGE, EN_BODY, {
        "Iraq and Syria agree on joint operations centre - Example News": "title",
        "Iraq and Syria agree on joint operations centre": "title_repeat",
        "Skip to main content": "navigation",
        "Politics": "navigation",
        "Home > World > Middle East": "breadcrumb",
        "By Jane Doe": "byline",
        "Share this article": "share",
        "Advertisement": "advertisement",
        "Related articles": "related_links",
        "Iran warns US carrier not to return to the Gulf": "related_links",
        "Milan Griffes on September 12, 2018 at 4:47 pm said:": "user_comment",
        "This is a great article, thank you for covering the border talks so carefully and in such detail.":
            "user_comment",
        "Leave a Reply": "comment_form",
        "Enter the code shown above": "captcha",
        "Sign up for our newsletter": "newsletter",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.": "cookie_notice",
        "© 2019 Example News Ltd. All rights reserved.": "copyright",
        "Back to top": "back_to_top",
    }, title="Iraq and Syria agree on joint operations centre", site_name="Example News", byline="Jane Doe")


FR_BODY = [
    "Le gouvernement a présenté mercredi en Conseil des ministres son projet de réforme des retraites, très attendu.",
    "Les syndicats ont immédiatement appelé à une nouvelle journée de mobilisation dans toute la France jeudi prochain.",
    "Selon le ministre du Travail, le texte sera examiné par l'Assemblée nationale avant la fin du mois de février.",
]
FR_PAGE = "\n".join([
    "Retraites : le projet de loi présenté en Conseil des ministres | Le Quotidien",
    "Accueil",
    "Actualités",
    "Politique",
    "Économie",
    "Retraites : le projet de loi présenté en Conseil des ministres",
    "PARIS (AFP) - " + FR_BODY[0],
    *FR_BODY[1:],
    "Partager sur Facebook",
    "Imprimer l'article",
    "À lire aussi",
    "Grève à la SNCF : le trafic très perturbé jeudi",
    "Laisser un commentaire",
    "Tous droits réservés",
])


def test_french_page_glued_dateline():
    assert_page(FR_PAGE, FR_BODY, {
        "Accueil": "navigation",
        "Partager sur Facebook": "share",
        "Imprimer l'article": "print",
        "À lire aussi": "related_links",
        "Grève à la SNCF : le trafic très perturbé jeudi": "related_links",
        "Laisser un commentaire": "comment_form",
        "Tous droits réservés": "copyright",
    }, title="Retraites : le projet de loi présenté en Conseil des ministres", dateline="PARIS", byline="AFP")


AR_BODY = [
    "أجرى وفد عسكري سوري مباحثات مع مسؤولين عسكريين عراقيين، حول تأمين الحدود المشتركة بين البلدين.",
    "وقالت وزارة الدفاع العراقية، في بيان لها اليوم الأربعاء، إن الجانبين بحثا إنشاء مركز عمليات مشترك.",
    "ويأتي الاجتماع بعد نحو أسبوع من إعلان السلطات العراقية سيطرتها على منفذ حدودي مع سوريا.",
]
AR_PAGE = "\n".join([
    "الخميس 09 مايو 2024",
    "رئيس مجلس الإدارة والتحرير",
    "الرئيسية",
    "أخبار",
    "اقتصاد",
    "رياضة",
    "وفد عسكري سوري يبحث في بغداد تأمين الحدود المشتركة",
    "تابعنا على تويتر",
    "العراق/ علي جواد/ الأناضول-  " + AR_BODY[0],
    *AR_BODY[1:],
    "طباعة",
    "1 تعليق",
    "يبدو أن الجنرال وجد صعوبة في فهم ما يجري على الحدود، وهذا أمر متوقع من الجميع.",
    "اضافة تعليق",
    "تغيير رمز التحقق",
    "جميع الحقوق محفوظة",
])


def test_arabic_page_reasons_and_glued_credit():
    assert_page(AR_PAGE, AR_BODY, {
        "الخميس 09 مايو 2024": "date_widget",
        "رئيس مجلس الإدارة والتحرير": "masthead",
        "الرئيسية": "navigation",
        "تابعنا على تويتر": "social_follow",
        "طباعة": "print",
        "1 تعليق": "comment_count",
        "يبدو أن الجنرال وجد صعوبة في فهم ما يجري على الحدود، وهذا أمر متوقع من الجميع.": "user_comment",
        "اضافة تعليق": "comment_form",
        "تغيير رمز التحقق": "captcha",
        "جميع الحقوق محفوظة": "copyright",
    }, title="وفد عسكري سوري يبحث في بغداد تأمين الحدود المشتركة", dateline="العراق", byline="علي جواد/ الأناضول")


MA_BODY = [
    "صادق مجلس الحكومة، المنعقد اليوم الخميس، على مشروع قانون يتعلق بتنظيم النقل الحضري داخل المدن الكبرى.",
    "وأوضح الناطق الرسمي باسم الحكومة، في ندوة صحافية عقب الاجتماع، أن النص الجديد يروم تحسين جودة الخدمات.",
    "وحسب معطيات الوزارة، فإن عدد مستعملي النقل العمومي في المدن الكبرى تجاوز مليوني راكب يوميا.",
]
MA_PAGE = "\n".join([
    "بوابة المغرب : الحكومة تصادق على مشروع قانون لتنظيم النقل الحضري",
    "الإثنين 23 نونبر 2026 | 8 جمادى الأولى 1448 هـ",
    "الرئيسية",
    "سياسة",
    "اقتصاد",
    "مجتمع",
    "الحكومة تصادق على مشروع قانون لتنظيم النقل الحضري",
    "بوابة المغرب - محمد الراجي",
    *MA_BODY,
    "تعليقات الزوار",
    "1 - مواطن",
    "هذا القانون جاء متأخرا جدا، فالنقل في مدننا أصبح معاناة يومية للمواطن البسيط الذي لا يملك سيارة.",
    "المرجو عدم تضمين التعليقات بعبارات مسيئة",
    "أضف تعليقك",
])


def test_arabic_page_site_before_headline_outlet_credit_and_two_calendar_widget():
    # the site name from "<site> : <headline>"; the outlet before the credit's dash is no place; the
    # date widget prints the Hijri day beside the Gregorian one
    assert_page(MA_PAGE, MA_BODY, {
        "الإثنين 23 نونبر 2026 | 8 جمادى الأولى 1448 هـ": "date_widget",
        "تعليقات الزوار": "comment_count",
        "المرجو عدم تضمين التعليقات بعبارات مسيئة": "comment_policy",
        "أضف تعليقك": "comment_form",
    }, title="الحكومة تصادق على مشروع قانون لتنظيم النقل الحضري", site_name="بوابة المغرب", dateline=None,
        byline="بوابة المغرب - محمد الراجي", page_date=dt.date(2026, 11, 23))


WIRE_BODY = [
    "التقى وزير الخارجية اليوم نظيره الفرنسي في مقر وزارة الخارجية بالعاصمة باريس، وبحثا العلاقات الثنائية.",
    "وجرى خلال اللقاء استعراض سبل تعزيز التعاون في مختلف المجالات، إضافة إلى بحث المستجدات الإقليمية.",
    "حضر اللقاء سفير المملكة لدى فرنسا، ومدير عام مكتب وزير الخارجية.",
]


def test_agency_page_with_a_wire_credit_line_in_two_calendars():
    # the credit line carries the place, the Hijri and the Gregorian date and the agency: it is
    # the dateline (and the publication date), not the headline
    page = "\n".join([
        "وكالة الأنباء السعودية",
        "الاثنين 1448/5/3 هـ الموافق 2026/11/23 م",
        "الرئيسية", "محلي", "دولي", "اقتصادي", "رياضي",
        "وزير الخارجية يلتقي نظيره الفرنسي",
        "باريس 03 جمادى الأولى 1448 هـ الموافق 23 نوفمبر 2026 م واس",
        *WIRE_BODY,
        "// انتهى //",
        "طباعة",
        "أرسل لصديق",
    ])
    assert_page(page, WIRE_BODY, {
        "باريس 03 جمادى الأولى 1448 ه الموافق 23 نوفمبر 2026 م واس": "dateline",
        "وكالة الأنباء السعودية": "site_name",
    }, title="وزير الخارجية يلتقي نظيره الفرنسي", dateline="باريس", byline="واس",
        site_name="وكالة الأنباء السعودية", published_at=dt.datetime(2026, 11, 23))


def test_title_naming_only_the_agency_and_a_wire_credit_glued_to_the_article():
    # "<agency's full name> - <its short name>" is no title: the headline printed above the
    # article is; the credit glued to the first paragraph gives place, agency and date
    body = [
        "طالب رئيس الوزراء المجتمع الدولي بالضغط من أجل وقف الاقتطاعات من أموال المقاصة الفلسطينية.",
        "وقال في مستهل جلسة الحكومة الأسبوعية إن الاقتطاعات المتواصلة تهدد قدرة الحكومة على الوفاء بالتزاماتها.",
        "وأشار إلى أن الحكومة ستعمل مع الشركاء الدوليين والعرب على توفير شبكة أمان مالية تضمن استمرار عمل المؤسسات.",
    ]
    page = "\n".join([
        "وكالة الأنباء والمعلومات الفلسطينية - وفا",
        "الاثنين 23 نوفمبر 2026",
        "الرئيسية", "محلي", "عربي ودولي", "اقتصاد", "ثقافة",
        "رئيس الوزراء يطالب بالضغط لوقف الاقتطاعات من أموال المقاصة",
        "رام الله 23-11-2026 وفا- " + body[0],
        *body[1:],
        "أخبار ذات صلة",
        "الرئيس يستقبل وفداً من الكونغرس الأميركي",
        "الحكومة تصادق على موازنة الطوارئ",
    ])
    assert_page(page, body, {"الاثنين 23 نوفمبر 2026": "date_widget"},
                title="رئيس الوزراء يطالب بالضغط لوقف الاقتطاعات من أموال المقاصة",
                site_name="وكالة الأنباء والمعلومات الفلسطينية", dateline="رام الله", byline="وفا",
                page_date=dt.date(2026, 11, 23), published_at=dt.datetime(2026, 11, 23))


def test_a_line_naming_only_a_year_is_no_date_widget():
    # a tagline or a headline whose only figure is a year tells no day: the widget beside it does
    body = [
        "The council approved the harbour plan on Monday after a debate that lasted most of the night.",
        "Work on the new quay is to start in the spring and should take two years, the mayor said.",
    ]
    page = "\n".join([
        "Council approves harbour plan | The Daily Courier",
        "Independent journalism since 1940",
        "Monday, 23 November 2026",
        "Home", "News", "Sport", "Opinion", "Elections 2026",
        "Council approves harbour plan",
        *body,
        "Read more",
        "Harbour Festival 2026: the programme",
    ])
    c = clean_text(page)
    assert c.paragraphs == body
    r = reasons(c)
    assert r["Monday, 23 November 2026"] == "date_widget"
    assert r["Independent journalism since 1940"] != "date_widget"
    assert r["Elections 2026"] != "date_widget"         # (few letters round it: still no day)
    assert r["Harbour Festival 2026: the programme"] != "metadata"
    assert c.page_date == dt.date(2026, 11, 23)
    assert_accounted(page, c)


def test_a_source_line_naming_the_outlet_gives_way_to_the_reporters_credit_under_it():
    body = ["أقر مجلس الوزراء اللبناني في جلسته المسائية خطة الكهرباء الجديدة التي تقدم بها وزير الطاقة، بعد نقاش طويل.",
            "وتنص الخطة على رفع ساعات التغذية تدريجياً لتصل إلى عشرين ساعة يومياً بحلول نهاية العام المقبل."]
    head = ["النهار العربي", "الأحد 1 كانون الأول 2026", "لبنان", "عربي ودولي", "اقتصاد",
            "مجلس الوزراء يقر خطة الكهرباء الجديدة بعد جلسة ماراتونية", "المصدر: النهار العربي"]
    tail = ["شاهد أيضاً", "وزير الطاقة: لا زيادة على التعرفة قبل تحسين التغذية"]
    c = clean_text("\n".join([*head, "بيروت - ريتا شمعون", "01-12-2026 | 18:20", *body, *tail]))
    assert c.paragraphs == body
    assert (c.dateline, c.byline) == ("بيروت", "ريتا شمعون")
    assert reasons(c)["المصدر: النهار العربي"] == "site_name"
    # with no credit under it, the outlet is the byline, as before
    c = clean_text("\n".join([*head, "01-12-2026 | 18:20", *body, *tail]))
    assert (c.dateline, c.byline) == (None, "النهار العربي")


def test_outlet_then_its_place_and_an_arabic_captcha():
    body = [
        "قرر مجلس الوزراء، اليوم الاثنين، تعطيل الدوام الرسمي في جميع الوزارات والدوائر الحكومية يوم الخميس.",
        "وذكر المكتب الإعلامي في بيان أن المجلس عقد جلسته الاعتيادية وناقش الموضوعات المدرجة على جدول الأعمال.",
        "وأضاف البيان أن المجلس قرر استثناء الدوائر الأمنية والصحية من قرار التعطيل لضمان استمرار الخدمات.",
    ]
    page = "\n".join([
        "السومرية نيوز",
        "الأخبار", "محليات", "أمن", "اقتصاد", "رياضة",
        "مجلس الوزراء يقرر تعطيل الدوام الرسمي يوم الخميس المقبل",
        "السومرية نيوز/ بغداد",
        *body,
        "أضف تعليقك",
        "الاسم",
        "أدخل الرمز الظاهر في الصورة",
        "إرسال",
    ])
    assert_page(page, body, {"السومرية نيوز/ بغداد": "dateline", "أدخل الرمز الظاهر في الصورة": "captcha"},
                title="مجلس الوزراء يقرر تعطيل الدوام الرسمي يوم الخميس المقبل", site_name="السومرية نيوز",
                dateline="بغداد", byline="السومرية نيوز")


@pytest.mark.parametrize("lang,headline,credit,body,chrome", [
    ("hi", "सरकार ने किसानों के लिए नई योजना की घोषणा की", None, [
        "केंद्र सरकार ने मंगलवार को किसानों के लिए एक नई योजना की घोषणा की, जिसके तहत छोटे किसानों को आर्थिक सहायता दी जाएगी।",
        "कृषि मंत्री ने संवाददाता सम्मेलन में बताया कि इस योजना से लगभग दस करोड़ किसान परिवारों को लाभ मिलेगा।",
        "उन्होंने कहा कि सहायता राशि सीधे किसानों के बैंक खातों में भेजी जाएगी।",
    ], {"यह भी पढ़ें": "related_links", "शेयर करें": "share", "संबंधित खबरें": "related_links"}),
    ("id", "Pemerintah Naikkan Harga BBM Subsidi Mulai Bulan Depan", "Reporter: Budi Santoso | Editor: Rina Wati", [
        "Pemerintah resmi mengumumkan kenaikan harga bahan bakar minyak bersubsidi yang berlaku mulai awal bulan depan.",
        "Menteri Energi mengatakan bahwa beban subsidi energi tahun ini telah melampaui target yang ditetapkan dalam anggaran.",
        "Sejumlah ekonom memperkirakan kenaikan harga akan mendorong inflasi naik sekitar satu persen.",
    ], {"Baca Juga: Harga Minyak Dunia Melonjak Tajam": "teaser", "Bagikan:": "share", "Berita Terkait": "related_links",
        "Komentar": "comment_count"}),
    ("he", "הממשלה אישרה את תקציב המדינה לשנת 2027", "מאת: יוסי כהן", [
        "הממשלה אישרה הלילה את הצעת התקציב לשנת 2027, לאחר דיון ארוך שנמשך יותר מעשר שעות.",
        "שר האוצר אמר כי התקציב החדש מתמקד בהפחתת יוקר המחיה ובהשקעה בתשתיות תחבורה, חינוך ובריאות.",
        "לפי ההצעה, הגירעון צפוי לעמוד על שלושה אחוזים מהתוצר, ירידה לעומת השנה הקודמת.",
    ], {"שתפו בפייסבוק": "share", "כתבות נוספות": "related_links", "תגובות": "comment_count"}),
    ("it", "Sciopero dei trasporti, treni fermi in tutta Italia", "di Marco Bianchi", [
        "Giornata difficile per i pendolari in tutta Italia a causa dello sciopero nazionale dei trasporti.",
        "Secondo le prime stime, oltre la metà dei treni regionali è stata cancellata nella mattinata.",
        "I sindacati chiedono il rinnovo del contratto scaduto da oltre due anni e più sicurezza a bordo.",
    ], {"Condividi": "share", "Leggi anche": "related_links", "Commenti": "comment_count"}),
    ("tr", "Merkez Bankası faizi sabit bıraktı", "Haber Merkezi", [
        "Merkez Bankası Para Politikası Kurulu, politika faizini yüzde 35 seviyesinde sabit tuttuğunu açıkladı.",
        "Kurul açıklamasında, enflasyonun ana eğiliminde düşüş görüldüğünü ancak sıkı politikanın süreceğini belirtti.",
        "Ekonomistler, faiz indiriminin gelecek yılın ilk çeyreğinde başlayabileceğini tahmin ediyor.",
    ], {"Paylaş": "share", "İlgili Haberler": "related_links", "Yorumlar": "comment_count",
        "Yorum yapmak için giriş yapın": "comment_form"}),
    ("ko", "정부, 내년 최저임금 5% 인상 확정", "김민수 기자", [
        "정부는 24일 국무회의를 열고 내년도 최저임금을 올해보다 5% 인상한 시간당 1만 1천원으로 확정했다고 밝혔다.",
        "고용노동부 장관은 이번 인상이 물가 상승에 따른 노동자의 실질 소득 감소를 보전하기 위한 조치라고 설명했다.",
        "경영계는 소상공인의 부담이 커질 것이라며 우려를 나타냈고, 노동계는 인상 폭이 충분하지 않다고 반발했다.",
    ], {"공유하기": "share", "관련기사": "related_links", "댓글 0": "comment_count"}),
])
def test_pages_in_languages_with_only_the_common_headers(lang, headline, credit, body, chrome):
    # Devanagari's danda ends a sentence; the common related / share / comment headers of
    # Indonesian, Hebrew, Hindi, Italian, Turkish (a dotted capital İ) and Korean; a byline with what
    # a bar adds after the name, Italian's "di", a desk's name, Korean's title after the name; a
    # place glued to the first paragraph under it
    glued = "JAKARTA - " if lang == "id" else ""
    teaser = "Baca Juga: Harga Minyak Dunia Melonjak Tajam" if lang == "id" else None
    page = "\n".join([headline, "Home", "News", headline, *([credit] if credit else []), glued + body[0], body[1],
                      *([teaser] if teaser else []), body[2], *[c for c in chrome if c != teaser],
                      "Harga Minyak Dunia Melonjak Tajam", "© 2026"])
    fields = {"id": {"byline": "Budi Santoso", "dateline": "JAKARTA"}, "he": {"byline": "יוסי כהן"},
              "it": {"byline": "Marco Bianchi"}, "tr": {"byline": "Haber Merkezi"}, "ko": {"byline": "김민수"}}.get(lang, {})
    assert_page(page, body, chrome, title=headline, **fields)



def test_the_glued_credit_under_a_standfirst_lead():
    # the standfirst above the block is the first paragraph; the credit opens the next one
    lead = "Il Consiglio dei ministri ha dato il via libera alla legge di bilancio da trenta miliardi"
    body = ["Il Consiglio dei ministri ha approvato nella notte la legge di bilancio per il 2027, una manovra "
            "che punta soprattutto sul taglio delle tasse per i redditi medi.",
            "Tra le misure principali figurano la riduzione del cuneo fiscale e un nuovo bonus per le famiglie.",
            "Il testo passerà ora all'esame del Parlamento, che dovrà approvarlo entro la fine dell'anno."]
    headline = "Governo approva la manovra: ecco le misure principali"
    c = clean_text("\n".join([headline + " - Corriere della Sera", "Cronache", "Politica", headline, lead,
                              "ROMA - " + body[0], *body[1:], "Leggi anche", "Pensioni, cosa cambia dal primo gennaio"]))
    assert (c.title, c.dateline, c.paragraphs) == (headline, "ROMA", [lead, *body])


def test_breaking_news_ticker_lines_are_teasers_not_the_headline_but_a_breaking_title_stays():
    body = [
        "تأهل فريق المدينة إلى المباراة النهائية لبطولة كأس الاتحاد بعد فوزه على فريق الشرطة بهدفين مقابل هدف واحد.",
        "وسجل هدفي المدينة اللاعب أحمد كريم في الدقيقة العشرين، واللاعب مصطفى جواد في الدقيقة الخامسة والسبعين.",
        "وسيلتقي المدينة في المباراة النهائية مع الفائز من مباراة الزوراء والقوة الجوية.",
    ]
    ticker = ["عاجل: الرئاسة تعلن الحداد الرسمي ثلاثة أيام على ضحايا الفيضانات في المحافظات الجنوبية",
              "عاجل: وزارة الصحة ترفع حالة التأهب في المستشفيات الحكومية استعداداً لموجة البرد القادمة"]
    headline = "فريق المدينة يتأهل إلى نهائي كأس الاتحاد بعد فوزه على الشرطة"
    # no <title> line: the ticker's longer headlines are no candidates
    assert_page("\n".join(["عاجل", *ticker, "الرئيسية", "أخبار", "رياضة", headline, *body]), body,
                {t: "teaser" for t in ticker}, title=headline)
    # a <title> that opens with "عاجل:" is still the title
    title = "عاجل: " + headline
    c = clean_text("\n".join([title + " - الوطن", "الرئيسية", "أخبار", title, *body]))
    assert (c.title, c.paragraphs) == (title, body)


def test_the_masthead_on_the_first_line_is_the_outlet_in_a_credit_and_a_place_with_its_date_a_dateline():
    body = [
        "أجرى وفد من ضباط الجيش السوري زيارة إلى بغداد، التقى خلالها مسؤولين في وزارة الدفاع العراقية.",
        "وبحسب ما رصدته عنب بلدي، فإن الزيارة تأتي في إطار ترتيبات أمنية جديدة على الشريط الحدودي.",
        "ولم تعلن الحكومة رسمياً عن الزيارة حتى لحظة إعداد هذا التقرير.",
    ]
    headline = "ضباط سوريون في بغداد لتنسيق أمن الحدود"
    # "<outlet> – خاص": the outlet (the page's first line), and "exclusive": no place
    c = clean_text("\n".join(["عنب بلدي", "سياسة", "اقتصاد", "مجتمع", headline, "عنب بلدي – خاص", *body]))
    assert (c.title, c.paragraphs, c.dateline, c.byline) == (headline, body, None, "عنب بلدي – خاص")
    # "<place>- <date in figures>" under the headline
    c = clean_text("\n".join(["Rudaw.net", "العراق", "سوريا", headline, "أربيل- 24-11-2026", *body]))
    assert (c.title, c.paragraphs, c.dateline, c.published_at) == (headline, body, "أربيل", dt.datetime(2026, 11, 24))


def test_without_a_title_line_the_headline_above_its_longer_standfirst_is_the_title():
    body = [
        "أجرى وفد عسكري سوري مباحثات في بغداد مع مسؤولين عسكريين عراقيين حول تأمين الحدود المشتركة بين البلدين.",
        "وذكر بيان الوزارة أن الطرفين ناقشا إنشاء مركز عمليات مشترك لتبادل المعلومات الاستخبارية.",
        "ويأتي الاجتماع بعد أسابيع من سيطرة القوات العراقية على مناطق حدودية واسعة.",
    ]
    headline = "وفد عسكري سوري يبحث في بغداد أمن الحدود"
    page = "\n".join(["اندبندنت عربية", "الأخبار", "آراء", headline,
                      "الجانبان ناقشا إنشاء مركز عمليات مشترك وتبادل المعلومات الاستخبارية",
                      "الثلاثاء 24 نوفمبر 2026 10:15", "جنود عراقيون على الحدود مع سوريا (أ ف ب)", *body])
    c = clean_text(page)
    # (the standfirst is the lead, as under a <title>-anchored headline; the caption is no credit)
    assert (c.title, c.dateline, c.byline) == (headline, None, None)
    assert c.paragraphs == ["الجانبان ناقشا إنشاء مركز عمليات مشترك وتبادل المعلومات الاستخبارية", *body]
    assert reasons(c)["جنود عراقيون على الحدود مع سوريا (أ ف ب)"] == "caption"


@pytest.mark.parametrize("last,kept", [
    ("会议还研究了其他事项。", True),                    # Xinhua's closing sentence
    ("The funeral will be held on Friday.", True),
    ('His last words were "thank you."', True),          # the full stop inside the quote
    ("Zum vollständigen Artikel geht es hier...", False),  # an ellipsis closes no statement
    ("Ist der Artikel hilfreich?", False),               # a feedback prompt
    ("Share this article:", False),
])
def test_a_short_last_sentence_under_the_article_before_chrome(last, kept):
    body = ["国务院总理主持召开国务院常务会议，部署进一步稳就业的举措，确定支持小微企业发展的政策。",
            "会议指出，就业是最大的民生。要把稳就业摆在更加突出的位置，落实落细各项政策，多渠道扩大就业。",
            "会议确定，对吸纳高校毕业生就业的小微企业给予一次性补贴，延续实施阶段性降低失业保险费率政策。"]
    c = clean_text("\n".join(["国务院常务会议部署稳就业举措_新闻中心_新浪网", "新闻", "体育", "财经", *body, last,
                              "责任编辑：张三", "相关新闻", "人社部：前十月城镇新增就业1100万人"]))
    assert c.paragraphs == [normalize_text(p) for p in body + ([last] if kept else [])]


PT_BODY = [
    "O governo federal anunciou nesta terça-feira um novo programa de habitação popular que prevê a construção de "
    "500 mil moradias até o fim de 2028.",
    "Segundo o ministro das Cidades, o programa terá investimento de R$ 50 bilhões e vai priorizar famílias com "
    "renda de até dois salários mínimos.",
    "As inscrições devem começar no início do próximo ano, pela internet e nas prefeituras.",
]


def test_a_run_of_short_lines_then_one_long_line_closing_the_page_is_no_part_of_the_article():
    # a language we have no tables for: the share and comment headers go by structure only, and
    # the comment rule after them, a long sentence, does not carry the article on
    page = "\n".join(["Governo anuncia novo programa de habitação popular | Folha", "Poder", "Mercado",
                      "Governo anuncia novo programa de habitação popular", *PT_BODY,
                      "Leia também", "Preço dos aluguéis sobe acima da inflação", "Compartilhe", "Comentários",
                      "Os comentários não representam a opinião do jornal; a responsabilidade é do autor da mensagem."])
    assert clean_text(page).paragraphs == PT_BODY
    # a list inside the article, with more than one paragraph after it, stays
    items = ["Documento de identidade", "Comprovante de renda", "Comprovante de residência", "Certidão de casamento"]
    page = "\n".join(["Governo anuncia novo programa de habitação popular | Folha", "Poder",
                      "Governo anuncia novo programa de habitação popular", *PT_BODY[:2],
                      "Os documentos exigidos são os seguintes:", *items, *PT_BODY[2:],
                      "A lista completa dos municípios participantes será publicada no Diário Oficial da União."])
    assert clean_text(page).paragraphs[-3:] == [items[-1], PT_BODY[2],
                                                "A lista completa dos municípios participantes será publicada no "
                                                "Diário Oficial da União."]
    # ... and so does one that a sentence announces, with one paragraph after it (not a box's
    # header of a word or three: "Leia também:")
    closing = "A lista completa dos municípios participantes será publicada no Diário Oficial da União."
    page = "\n".join(["Governo anuncia novo programa de habitação popular | Folha", "Poder",
                      "Governo anuncia novo programa de habitação popular", *PT_BODY[:2],
                      "Os documentos exigidos para a inscrição no programa são os seguintes:", *items, closing])
    assert clean_text(page).paragraphs[-2:] == [items[-1], closing]
    # ... also when the announcing sentence is short enough to be one of the run, with fewer
    # paragraphs before it than make a block that carries on over the list
    intro = "Here is what made the difference for me:"
    page2 = "\n".join(["Governo anuncia novo programa de habitação popular | Folha", "Poder",
                       "Governo anuncia novo programa de habitação popular", PT_BODY[0], intro, *items, closing,
                       "Compartilhe", "Facebook", "Leia também", "Preço dos aluguéis sobe acima da inflação"])
    assert clean_text(page2).paragraphs == [PT_BODY[0], intro, *items, closing]
    # a share bar and a related box under such a sentence are no list of the article's
    page = page.replace("\n".join(items), "\n".join(["Compartilhe", "Facebook", "Twitter", "Leia também"]))
    assert clean_text(page).paragraphs[-1] == "Os documentos exigidos para a inscrição no programa são os seguintes:"


def test_a_masthead_the_copyright_line_names_again_is_the_site_name():
    body = ["حذرت الأمم المتحدة من تفاقم أزمة الغذاء في اليمن خلال الأشهر المقبلة، مشيرة إلى ملايين المحتاجين.",
            "وقال مكتب تنسيق الشؤون الإنسانية في تقرير صدر اليوم إن تراجع التمويل أجبر المنظمات على تقليص المساعدات.",
            "ودعا التقرير المانحين إلى الوفاء بتعهداتهم وزيادة الدعم المقدم لخطة الاستجابة الإنسانية."]
    headline = "الأمم المتحدة تحذر من تفاقم أزمة الغذاء في اليمن"
    lines = ["المشهد اليمني", "أخبار محلية", "عربي ودولي", "اقتصاد", headline, *body, "أخبار متعلقة",
             "برنامج الأغذية يعلق توزيع المساعدات", "جميع الحقوق محفوظة © المشهد اليمني 2026"]
    assert clean_text("\n".join(lines)).site_name == "المشهد اليمني"
    # a menu item the notice happens to contain is no masthead: whole words, the page's first lines
    lines[0] = "الرئيسية"
    assert clean_text("\n".join(lines)).site_name is None


def test_a_dated_line_closing_with_its_credit_gives_the_byline():
    body = ["Der Herbst ist da, und im Garten gibt es noch einiges zu tun. Die letzten Äpfel sind geerntet.",
            "Besonders freue ich mich über unseren neuen Komposthaufen, den wir im Sommer angelegt haben.",
            "In den nächsten Wochen möchte ich noch ein paar Sträucher zurückschneiden."]
    page = "\n".join(["Unser Garten im Herbst – Mein grüner Blog", "Startseite", "Rezepte", "Kontakt",
                      "Unser Garten im Herbst", "Veröffentlicht am 24. November 2026 von Anna", *body,
                      "Teilen mit:", "Facebook", "Ähnliche Beiträge", "Tomaten richtig überwintern"])
    c = clean_text(page)
    assert (c.paragraphs, c.byline, c.published_at) == (body, "Anna", dt.datetime(2026, 11, 24))


ZH_BODY = [
    "据新华社报道，引起全国关注的天价过路费案十五日在河南省鲁山县人民法院重审。",
    "庭审结束后法官当庭宣判，被告人犯诈骗罪，判处有期徒刑两年六个月，并处罚金。",
    "法院审理查明，被告人在二零零八年至二零一一年间多次使用伪造的军用车牌。",
]
ZH_PAGE = "\n".join([
    "被告人刑期与罚金均大幅减少-新闻频道-和讯网",
    "首页",
    "新闻",
    "财经",
    "体育",
    "和讯网 > 新闻 > 正文",
    "被告人刑期与罚金均大幅减少",
    "发布时间：2011-12-16 00:22",
    *ZH_BODY,
    "分享到：",
    "相关新闻",
    "陕西乾县灭门凶杀案一审宣判 被告人被判死刑",
    "足坛打假扫黑系列案将开庭 被告人多达13名",
    "深圳硫酸泼杀儿童续：被告人一审被判无期",
    "发表评论",
    "版权所有 © 2011 和讯网",
])


def test_chinese_page_measured_in_characters():
    # (the paragraphs are short in characters, long in words)
    assert_page(ZH_PAGE, [normalize_text(p) for p in ZH_BODY], {
        "首页": "navigation",
        "和讯网 > 新闻 > 正文": "breadcrumb",
        "发布时间：2011-12-16 00:22": "metadata",
        "分享到：": "share",
        "相关新闻": "related_links",
        "足坛打假扫黑系列案将开庭 被告人多达13名": "related_links",
        "发表评论": "comment_form",
        "版权所有 © 2011 和讯网": "copyright",
    }, title="被告人刑期与罚金均大幅减少", site_name="和讯网")


@pytest.mark.parametrize("first, title, site", [
    ("El Gobierno aprueba la reforma de las pensiones | Economía | EL PAÍS",
     "El Gobierno aprueba la reforma de las pensiones", "EL PAÍS"),
    ("Can you really be addicted to the internet? | Politics | guardian.co.uk",
     "Can you really be addicted to the internet?", "guardian.co.uk"),
    ("Doctors urged to keep the sex of unborn babies secret | International Federation of Gynecology",
     "Doctors urged to keep the sex of unborn babies secret", "International Federation of Gynecology"),
    # the site first, as a breadcrumb: the headline last
    ("Harbour Watch » Blog Archive » Council approves the new harbour plan",
     "Council approves the new harbour plan", "Harbour Watch"),
    ("研究发现每天散步30分钟可降低心脏病风险|散步|心脏病_网易健康", "研究发现每天散步30分钟可降低心脏病风险", "网易健康"),
    # the channel and the section between underscores, then the site after a hyphen
    ("中兴通讯斩获中国电信终端产业链年会六项大奖_中兴手机_手机厂商稿-中关村在线", "中兴通讯斩获中国电信终端产业链年会六项大奖", "中关村在线"),
])
def test_a_title_line_with_the_section_and_the_site_after_bars(first, title, site):
    # the "|"-menu test calls such a line navigation; its first part, the longest, is the headline
    body = ["The council approved the harbour plan on Monday after a debate that lasted most of the night.",
            "Work on the new quay is to start in the spring and should take two years, the mayor said."]
    c = clean_text("\n".join([first, "Home", "News", "Sport", title, *body, "Share", "Home | Contact | Imprint"]))
    assert c.paragraphs == body
    assert (c.title, c.site_name) == (title, site)
    # a menu or a breadcrumb of short items is no title
    for menu in ("Home | News | Sport | Contact", "Home » World News » Middle East"):
        c = clean_text("\n".join([menu, "Weather", *body, "Share"]))
        assert c.title is None or c.title not in menu


def test_a_title_line_that_only_names_a_chinese_site_and_a_short_headline():
    # "公共電視台 新聞網" names the site (traditional 網 too); the headline under the breadcrumb is the
    # title though it has fewer than 15 characters; a headline's 落网 ("caught") names no site
    body = ["流感疫情來勢洶洶，根據疾管局最新的監測資料，又新增145例流感併發症病例，還有4人死亡。",
            "疾管局提醒，民眾應勤洗手、戴口罩，出現發燒等症狀時應盡速就醫，高風險族群應盡早接種疫苗。"]
    page = ["公共電視台 新聞網", "Loading", "公視新聞網 / 醫療", "B型流感添四死 2歲女童喪命", *body, "晚間新聞"]
    c = clean_text("\n".join(page))
    assert (c.title, c.site_name) == ("B型流感添四死 2歲女童喪命", "公共電視台 新聞網")
    assert c.paragraphs == [normalize_text(p) for p in body]
    from tasks.rules import get_rules
    assert get_rules().match("三名嫌犯昨日落网") != "site_name"


def test_a_japanese_title_with_the_site_after_a_colon():
    # "<headline>：<site>" without spaces round the colon: the page prints the headline alone
    headline = "政府、来年度の最低賃金を5%引き上げへ"
    body = ["政府は24日の閣議で、来年度の最低賃金を全国平均で5%引き上げる方針を正式に決定した。物価上昇による実質賃金の目減りを補う狙いがある。",
            "厚生労働相は記者会見で「働く人の生活を守るために必要な措置だ」と述べ、中小企業への支援策も同時に進める考えを示した。",
            "一方、経済団体からは人件費の増加が中小企業の経営を圧迫するとの懸念の声が上がっている。"]
    page = "\n".join([headline + "：日本ニュース", "ホーム", "政治", "経済", headline, "2026年11月24日 14時30分", *body,
                      "シェアする", "関連記事", "最低賃金審議会が答申", "Copyright © 日本ニュース All rights reserved."])
    c = clean_text(page)
    assert (c.title, c.site_name, c.published_at) == (headline, "日本ニュース", dt.datetime(2026, 11, 24, 14, 30))
    assert c.paragraphs == [normalize_text(p) for p in body]
    r = reasons(c)
    assert (r[headline], r["シェアする"], r["関連記事"]) == ("title_repeat", "share", "related_links")


def test_a_chinese_page_hard_wrapped_cleans_like_its_plain_dump():
    # a wrapper breaks Chinese text where the line is full (no spaces): the full lines, followed by
    # their paragraph's shorter last line, are joined again without a space
    long_body = [p * 3 for p in ZH_BODY]
    page = ZH_PAGE.replace("\n".join(ZH_BODY), "\n".join(long_body))
    wrapped = "\n".join(part for line in page.split("\n") for part in (textwrap.wrap(line, 30) or [""]))
    plain = clean_text(page)
    c = clean_text(wrapped)
    assert c.paragraphs == plain.paragraphs == [normalize_text(p) for p in long_body]
    assert c.title == plain.title


def test_a_chinese_list_of_headlines_cut_to_one_length_is_not_joined():
    # full lines with no paragraph's last line under any of them: headlines cut to the list's
    # length (with or without an ellipsis), each its own line
    heads = ["陕西乾县灭门凶杀案一审宣判被告人被判死刑法院认为其犯罪手段特别残忍情节",
             "足坛打假扫黑系列案将开庭被告人多达十三名涉案金额巨大社会影响极其恶劣影响",
             "深圳硫酸泼杀儿童案续报被告人一审被判无期徒刑附带民事赔偿数额引发广泛争议",
             "北京停售十四种不合格食品满记甜品芒果布丁登上黑榜工商部门责令立即下架处理",
             "广东省政协委员建议医生工资应比当地平均工资高五到十倍医改才能真正成功推进",
             "国家统计局发布数据显示全国规模以上工业增加值同比增长百分之十二点八创新高"]
    cut = [(h + g)[k:k + 44] for k in (0, 3) for h, g in zip(heads, heads[1:])] + [(heads[5] + heads[0])[:41] + "..."]
    page = "\n".join([*ZH_PAGE.split("\n")[:-5], "相关新闻", *cut, "版权所有 © 2011 和讯网"])
    c = clean_text(page)
    removed = {r.text for r in c.removed}
    assert set(cut) <= removed
    assert c.paragraphs == [normalize_text(p) for p in ZH_BODY]


RU_BODY = [
    "Показатель заболеваемости ВИЧ в Башкирии растет: сегодня он составляет 39 человек на 100 000 населения.",
    "Как сообщает министерство здравоохранения республики, на диспансерном учете состоят 9528 человек.",
    "В преддверии Всемирного дня борьбы со СПИДом в Уфе проводится акция «Красная ленточка».",
]
RU_PAGE = "\n".join([
    "В Башкирии заболеваемость ВИЧ выросла на 40% // KP.RU",
    "Главная",
    "Политика",
    "Экономика",
    "Общество",
    "В Башкирии заболеваемость ВИЧ выросла на 40%",
    *RU_BODY,
    "Поделиться",
    "Читайте также",
    "Медведев: «Проблема утечки кадров за границу преувеличена»",
    "Около 400 домов остаются без света в Нижегородской области",
    "Приток инвестиций в Россию за 10 месяцев увеличился на 12%",
    "Великобритания подготовила программу ведения кибервойн",
    "Руководитель телерадиокомпании убит на Украине",
    "Ответить",
    "Все права защищены",
])


def test_russian_related_headlines():
    assert_page(RU_PAGE, RU_BODY, {
        "Главная": "navigation",
        "Поделиться": "share",
        "Читайте также": "related_links",
        **{line: "related_links" for line in RU_PAGE.split("\n")[11:16]},
        "Все права защищены": "copyright",
    })


# a language the rule tables know nothing about (Swahili): structure alone
SW_BODY = [
    "Serikali imetangaza mpango mpya wa kuboresha huduma za afya katika maeneo ya vijijini mwaka huu.",
    "Waziri wa afya alisema kwamba hospitali kumi mpya zitajengwa katika mikoa mbalimbali ya nchi.",
    "Wananchi wengi wamepokea habari hizo kwa furaha, wakisema huduma hizo zimechelewa kwa muda mrefu.",
]
SW_PAGE = "\n".join([
    "Serikali kujenga hospitali kumi mpya vijijini",
    "Mwanzo",
    "Habari",
    "Michezo",
    "Biashara",
    "Burudani",
    *SW_BODY,
    "Habari zaidi kutoka mikoani",
    "Mawasiliano",
    "Kuhusu sisi",
    "Matangazo",
])


def test_unknown_language_by_structure_only():
    c = clean_text(SW_PAGE)
    assert c.title == "Serikali kujenga hospitali kumi mpya vijijini"
    assert c.paragraphs == SW_BODY
    r = reasons(c)
    for line in ("Mwanzo", "Habari", "Michezo", "Biashara", "Burudani", "Mawasiliano", "Kuhusu sisi", "Matangazo"):
        assert r[line] == "navigation"            # a run of short lines
    assert r["Habari zaidi kutoka mikoani"] in {"footer_zone", "navigation"}
    assert_accounted(SW_PAGE, c)


def test_repeated_in_page():
    page = "\n".join(["Example title of a story about the harbour", "Weather: 21°C Sunny",
                      *EN_BODY[:2], "Weather: 21°C Sunny", *EN_BODY[2:], "Weather: 21°C Sunny"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert {r.reason for r in c.removed if r.text == "Weather: 21°C Sunny"} == {"repeated_in_page"}


def test_a_paragraph_the_article_repeats_in_a_row_is_kept_a_second_copy_is_not():
    # A page that prints a paragraph again right under itself, nothing kept between (a share bar
    # aside), means it: a refrain, a test page's "Lorem ipsum …" three times; a copy of the page keeps
    # every one. A second copy of the article, a lead printed again under a paywall's notice, a pull
    # quote printed again where the text reaches it, a teaser's headline twice: other text stands
    # between the copies, and the copy goes as repeated_in_page.
    refrain = "And the river keeps rising, the river keeps rising, and nobody on the hill is listening to us."
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY[:2], refrain, refrain,
                      "Share on Facebook", "Share on Twitter", refrain, *EN_BODY[2:]])
    c = clean_text(page)
    assert c.paragraphs == [*EN_BODY[:2], refrain, refrain, refrain, *EN_BODY[2:]]
    assert not any(r.reason == "repeated_in_page" for r in c.removed)

    twice = "\n".join(["Example title of a story about the harbour", *EN_BODY, *EN_BODY[:3]])
    c = clean_text(twice)
    assert c.paragraphs == EN_BODY
    assert {r.reason for r in c.removed if r.text in EN_BODY} == {"repeated_in_page"}

    notice = "Only 3 free articles left this month. Subscribe to read without limits"
    paywall = "\n".join(["Example title of a story about the harbour", EN_BODY[0], notice, EN_BODY[0], *EN_BODY[1:]])
    c = clean_text(paywall)
    assert c.paragraphs.count(EN_BODY[0]) == 1 and EN_BODY[1] in c.paragraphs
    assert [r.reason for r in c.removed if r.text == EN_BODY[0]] == ["repeated_in_page"]

    quote = EN_BODY[3]
    pulled = "\n".join(["Example title of a story about the harbour", *EN_BODY[:2], quote, *EN_BODY[2:]])
    c = clean_text(pulled)
    assert c.paragraphs.count(quote) == 1


TH_BODY = [
    "กรุงเทพมหานคร เจ้าหน้าที่กรมอุตุนิยมวิทยาเปิดเผยว่า ฝนที่ตกหนักต่อเนื่องตลอดสัปดาห์ที่ผ่านมาทำให้น้ำในแม่น้ำเจ้าพระยาเพิ่มสูงขึ้นอย่างรวดเร็ว"
    " และอาจล้นตลิ่งในหลายพื้นที่ของจังหวัดนนทบุรีและปทุมธานีภายในสองถึงสามวันข้างหน้า",
    "ผู้ว่าราชการจังหวัดนนทบุรีกล่าวว่า ทางจังหวัดได้เตรียมกระสอบทรายกว่าห้าหมื่นใบ พร้อมเครื่องสูบน้ำขนาดใหญ่อีกยี่สิบเครื่อง"
    " เพื่อป้องกันไม่ให้น้ำไหลเข้าท่วมชุมชนริมแม่น้ำ ขณะที่ประชาชนบางส่วนเริ่มขนย้ายทรัพย์สินขึ้นที่สูงแล้ว",
    "นักวิชาการด้านการจัดการน้ำระบุว่า ปริมาณน้ำในเขื่อนหลักทางภาคเหนือยังอยู่ในระดับที่ควบคุมได้ แต่หากมีพายุลูกใหม่เข้ามาในช่วงปลายเดือน"
    " สถานการณ์อาจรุนแรงกว่าที่คาดการณ์ไว้",
    "ทั้งนี้ กรมป้องกันและบรรเทาสาธารณภัยแนะนำให้ประชาชนติดตามประกาศเตือนภัยอย่างใกล้ชิด และเตรียมหมายเลขโทรศัพท์ฉุกเฉินไว้ให้พร้อม",
]


def test_a_script_without_sentence_punctuation_keeps_its_paragraphs():
    # Thai (Lao, Khmer, Myanmar) prose has no mark at a sentence's end: a paragraph shorter than
    # prose_chars read as a short line, and the article ended after its first long one. Past
    # unpunctuated_prose_chars a line in such a script is prose; a menu's and a teaser's are shorter.
    assert all(120 <= len(p) < 300 and p[-1] not in ".!?" for p in TH_BODY)
    page = "\n".join(["น้ำเจ้าพระยาเพิ่มสูง เสี่ยงล้นตลิ่งนนทบุรี | ข่าวไทย", "หน้าแรก", "ข่าว", "การเมือง", "เศรษฐกิจ",
                      "กีฬา", "บันเทิง", "น้ำเจ้าพระยาเพิ่มสูง เสี่ยงล้นตลิ่งนนทบุรี", *TH_BODY, "ข่าวที่เกี่ยวข้อง",
                      "กรมชลประทานเร่งระบายน้ำเขื่อนป่าสักลงสู่ทะเล", "ชาวบ้านริมน้ำเตรียมรับมือน้ำท่วมใหญ่", "หน้าแรก"])
    c = clean_text(page)
    nfkc = normalize_text               # (NFKC writes "ำ" as "ํา")
    assert c.language == "th"
    assert c.title == nfkc("น้ำเจ้าพระยาเพิ่มสูง เสี่ยงล้นตลิ่งนนทบุรี")
    assert c.paragraphs == list(map(nfkc, TH_BODY))
    assert reasons(c)[nfkc("กรมชลประทานเร่งระบายน้ำเขื่อนป่าสักลงสู่ทะเล")] == "related_links"


def test_off_block_and_zones():
    stray = "This sentence is prose that sits far away from the article, after a long menu of links below it."
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY,
                      *[f"Link number {k}" for k in range(12)], stray, "Contact the desk"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    assert r[stray] == "off_block"
    assert r["Link number 3"] == "navigation"


def test_empty_and_blank_input():
    for text in ("", "   \n\n \u00a0\n"):
        c = clean_text(text)
        assert c.paragraphs == [] and c.removed == [] and c.title is None


def test_config_is_explicit():
    cfg = TextCleanConfig(prose_chars=200)
    assert cfg.prose_chars == 200
    assert TextCleanConfig.from_rules_dir(None) == TextCleanConfig()
    c = clean_text(EN_PAGE, cfg)
    assert c.paragraphs == EN_BODY


# --------------------------------------------------------------------------------------
# per-site memory

def _site_page(k: int) -> str:
    body = [f"Story number {k}: " + p for p in EN_BODY]
    return "\n".join([f"Headline of story number {k} about the border",
                      "Harbour Gazette, the voice of the coast since 1901",   # site slogan: no rule knows it
                      *body[:2],
                      "Harbour Gazette, the voice of the coast since 1901",
                      *body[2:]])


def test_site_memory_removes_lines_seen_on_many_pages():
    memory = SiteMemory(min_pages=3)
    slogan = "Harbour Gazette, the voice of the coast since 1901"
    # run 1: two pages seen; not enough yet
    for k in range(2):
        memory.add_page(site_line_fingerprints(_site_page(k)))
    assert not memory.is_repeated(line_fingerprint(slogan))
    c = clean_text(_site_page(10), site_memory=memory)
    assert {r.reason for r in c.removed if r.text == slogan} == {"repeated_in_page"}
    # run 2: a third page is added, the memory (as the warehouse keeps it) has learned
    memory2 = SiteMemory(dict(memory.counts), min_pages=3)
    memory2.add_page(site_line_fingerprints(_site_page(2)))
    assert memory2.is_repeated(line_fingerprint(slogan))
    c = clean_text(_site_page(11), site_memory=memory2)
    assert {r.reason for r in c.removed if r.text == slogan} == {"repeated_on_site"}
    assert len(c.paragraphs) == 4      # the story's own lines are not on other pages


def test_site_fingerprints_are_short_lines_only():
    fps = site_line_fingerprints("short line\n" + "x" * 500 + "\n\nanother short line")
    assert len(fps) == 2
    assert line_fingerprint("Short  Line") == line_fingerprint("short line")


@pytest.mark.parametrize("page", [p.name for p in sorted(SAMPLES.glob("*.txt"))] + ["", "\n\n", "Ｓｈｏｒｔ\u200b line\u0640\n"])
def test_the_cleaners_lines_give_the_pages_site_fingerprints(page):
    # the chunk learns a site's lines from the cleaned page's lines (Cleaned.lines), not by normalizing it again
    text = (SAMPLES / page).read_text(encoding="utf-8") if page.endswith(".txt") else page
    cleaned = clean_text(text)
    assert short_line_fingerprints(cleaned.lines) == site_line_fingerprints(text)
    assert cleaned.lines == normalize_text(text).split("\n")


# --------------------------------------------------------------------------------------
# structure without word lists

SHORT_STORY = ("The city council voted on Tuesday to close the old harbour bridge to cars from March, "
               "after engineers found cracks in two of its supports. Buses and bicycles may still use it.")
LONG_COMMENT = ("I have crossed that bridge every day for twenty years and I am not surprised at all. "
                "The council was warned about the cracks back in 2015, when the first report came out, "
                "and it chose to spend the money on the new parking garage instead. Now we will all sit in "
                "traffic on the ring road for a year while they argue about who pays for the repairs. "
                "Somebody should be held responsible for this before the bridge is reopened.")


@pytest.mark.parametrize("header, form", [("2 Comments", "Leave a Reply"), ("2 commentaires", "Laisser un commentaire"),
                                          ("Kommentare (2)", "Kommentar schreiben")])
def test_short_article_over_a_longer_reader_comment(header, form):
    """A one-paragraph story (its headline only in the <title> line) and, under the comment
    section's header, a reader's comment over twice as long: the story is the article, the comment is not."""
    page = "\n".join(["Council closes harbour bridge to cars - Example Times", "Home", "Local", "Sport",
                      SHORT_STORY, header, "harbourwatcher", LONG_COMMENT, form])
    c = clean_text(page)
    assert c.paragraphs == [SHORT_STORY]
    r = reasons(c)
    assert r[LONG_COMMENT] == "user_comment"
    assert r[header] == "comment_count"
    assert_accounted(page, c)


def test_a_script_the_dumper_kept_does_not_outweigh_the_article():
    """A page's script printed as one long line ("(function() { … });", as some dumpers leave
    it) ends its statements with semicolons, but it is program text, not sentences: it counts as
    an unpunctuated line (capped), and the article wins."""
    script = "(function() { var gallery = genus.readcookie('galleryAutoPlay'); " + " ".join(
        f"if (gallery > {k}) {{ genus.setcookie('galleryAutoPlay', {k}); document.getElementById('slide{k}').style.display = 'none'; }}"
        for k in range(30)) + " })();"
    page = "\n".join(["Council closes harbour bridge to cars - Example Times", "Home", "Local", "Sport",
                      *EN_BODY, "Related stories", "Weather warning for the coast", "Contact us", script])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert script not in c.paragraphs


def test_comment_stamps_end_the_article():
    """Repeated 'date time name' lines below the article are reader comments, whatever the language."""
    comments = ["January 16, 2012 - 8:06am Joe Gomer",
                "What a wonderful story, thank you so much for writing about the harbour and its people.",
                "January 15, 2012 - 10:00am Kimm Bellotto",
                "I grew up near that harbour and I can say the article gets every detail of it right."]
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY, *comments])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    for line in comments:
        assert r[line] == "user_comment"


def test_comment_stamps_that_open_with_the_time_stay_comment_stamps():
    # "20:45 10.04.13" reads as a time and a headline too: three of them are still a comment's stamps
    # (the news ticker takes none of them), and the short article above the long comments wins
    comments = []
    for k, who in enumerate(["Tomek", "Ania", "Marek"]):
        comments += [f"2{k}:45 10.04.13 {who}",
                     "I grew up near that harbour and I can say the article gets every detail of it right, "
                     "from the boats to the old fish market and the people who still work there every day."]
    page = "\n".join(["Example title of a story about the harbour", "Home", "Example title of a story about the harbour",
                      *EN_BODY[:2], "Comments (3)", *comments])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY[:2]
    assert reasons(c)[comments[0]] != "teaser"


def test_table_of_contents_does_not_remove_subheadings():
    toc = ["Introduction", "Method", "Results"]
    body = [EN_BODY[0], "Method", EN_BODY[1], EN_BODY[2], "Results", EN_BODY[3]]
    page = "\n".join(["A study of harbours and the people who work in them", *toc, *body])
    c = clean_text(page)
    assert "Method" in c.paragraphs and "Results" in c.paragraphs


def test_inline_related_line_does_not_cut_the_article():
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY[:2],
                      "Read more: Harbour master retires after forty years at the quay",
                      *EN_BODY[2:]])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert reasons(c)["Read more: Harbour master retires after forty years at the quay"] == "teaser"



@pytest.mark.parametrize("lang", ["en", "ar"])
def test_teasers_with_summaries_and_dates_under_a_related_header_do_not_join_the_article(lang):
    # an inline "Related" box (headlines only) inside the article does not end it; a list of
    # teasers under one, each a headline, a summary sentence and a date, is no continuation
    header, body, teasers = {
        "en": ("Related articles", EN_BODY, [
            "Ferry service to resume after the winter break",
            "The ferry between the two harbours will run again from April, the operator said on Monday.",
            "November 20, 2026",
            "Fishermen protest against new quota rules",
            "Dozens of boats blocked the harbour entrance on Sunday to protest against the new quotas.",
            "November 18, 2026"]),
        "ar": ("شاهد أيضاً", AR_BODY, [
            "التربية تطلق استمارة التقديم على المدارس المتميزة",
            "أطلقت وزارة التربية استمارة إلكترونية للتقديم على المدارس المتميزة للعام الدراسي المقبل، داعية الطلبة إلى التسجيل.",
            "2026-11-20",
            "التعليم العالي تحدد موعد القبول المركزي",
            "حددت وزارة التعليم العالي والبحث العلمي موعد إطلاق استمارة القبول المركزي للطلبة الخريجين في الجامعات الحكومية.",
            "2026-11-18"]),
    }[lang]
    c = clean_text("\n".join(["Example title of a story about the harbour" if lang == "en" else "عنوان", *body,
                              header, *teasers]))
    assert c.paragraphs == body
    # a teaser of another story under the header, with its own dateline, is no continuation either
    other = clean_text("\n".join(["Example title of a story about the harbour", *EN_BODY, header if lang == "en" else "Related",
                                  "Ferry service to resume after the winter break",
                                  "LONDON (Reuters) - The ferry between the two harbours will run again from April, "
                                  "the operator said on Monday, after a winter break of three months."]))
    assert other.paragraphs == EN_BODY
    # a header announcing a list ("…:") right above prose: the teasers are that prose (a headline
    # and a summary on one line); a "Read More" button inside the article is crossed
    listed = clean_text("\n".join(["Example title of a story about the harbour", *EN_BODY, "Read also:",
                                   "Ferry service to resume after the winter break. The ferry between the two "
                                   "harbours will run again from April, the operator said.",
                                   "Fishermen protest against new quota rules. Dozens of boats blocked the harbour "
                                   "entrance on Sunday to protest against the new quotas."]))
    assert listed.paragraphs == EN_BODY
    button = clean_text("\n".join(["Example title of a story about the harbour", *EN_BODY[:2], "Read More",
                                   *EN_BODY[2:]]))
    assert button.paragraphs == EN_BODY
    inline = clean_text("\n".join(["Example title of a story about the harbour", *EN_BODY[:2], "Related",
                                   "Harbour master retires after forty years at the quay",
                                   "New lighthouse keeper named", *EN_BODY[2:]]))
    assert inline.paragraphs == EN_BODY


@pytest.mark.parametrize("skip_link,headline,body,teaser", [
    ("تخطي إلى المحتوى", "وفد عسكري سوري يبحث في بغداد تأمين الحدود المشتركة", AR_BODY,
     "اقرأ أيضًا: البنك المركزي يثبت أسعار الفائدة للمرة الثالثة على التوالي"),
    ("Aller au contenu principal", "Grève à la SNCF : le trafic sera très perturbé jeudi", FR_BODY,
     "Lire aussi : Les syndicats appellent à une nouvelle journée de mobilisation"),
    ("Перейти к содержимому", "В Башкирии растет заболеваемость ВИЧ среди взрослых", RU_BODY,
     "Читайте также: В Уфе открылся новый центр профилактики инфекций"),
], ids=["ar", "fr", "ru"])
def test_skip_link_is_no_title_and_an_inline_read_also_line_is_a_teaser(skip_link, headline, body, teaser):
    # a page whose first line is the skip link, not a <title>: the headline comes from the page
    page = "\n".join([skip_link, "Menu", headline, *body[:2], teaser, *body[2:], "© 2024"])
    c = clean_text(page)
    assert c.title == headline
    assert c.paragraphs == body
    r = reasons(c)
    assert r[skip_link] == "navigation"
    assert r[teaser] == "teaser"


@pytest.mark.parametrize("box", [
    ["Sign up for our morning newsletter", "Get the day's top stories delivered to your inbox.", "Sign up"],
    ["Newsletter", "Jetzt anmelden und keine Nachricht mehr verpassen.", "Anmelden"],
    ["Inscrivez-vous à notre newsletter", "S'inscrire"],
], ids=["en", "de", "fr"])
def test_a_newsletter_box_inside_the_article_does_not_end_it(box):
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home", "World",
                      "Iraq and Syria agree on joint operations centre", "By Jane Doe",
                      *EN_BODY[:2], *box, *EN_BODY[2:], "Related articles",
                      "Iran warns US carrier not to return to the Gulf", "© 2019 Example News Ltd."])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert reasons(c)[box[0]] == "newsletter"


@pytest.mark.parametrize("short", ["Schools in three districts stayed closed.", "Die Schulen blieben zu.",
                                   "Les écoles sont restées fermées."])
def test_a_short_paragraph_under_a_newsletter_box_inside_the_article_is_kept(short):
    # the block under the box starts at its first long line: the short sentence before it joins too
    box = ["Sign up for our morning newsletter", "Get the day's top stories delivered to your inbox.", "Sign up"]
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home", "World",
                      "Iraq and Syria agree on joint operations centre", "By Jane Doe",
                      *EN_BODY[:2], *box, short, *EN_BODY[2:], "Related articles",
                      "Iran warns US carrier not to return to the Gulf", "© 2019 Example News Ltd."])
    c = clean_text(page)
    assert c.paragraphs == [*EN_BODY[:2], short, *EN_BODY[2:]]
    assert reasons(c)[box[0]] == "newsletter"


RECIPES = {
    "en": ("Lemon drizzle cake recipe - Good Kitchen", "Lemon drizzle cake",
           "This classic tea-time cake is soaked in a sharp lemon syrup while it is still warm, which keeps it moist.",
           "Ingredients", ["225g unsalted butter, softened", "225g caster sugar", "4 eggs", "225g self-raising flour",
                           "1 lemon, zested"],
           "Method", ["Heat the oven to 180C and line a loaf tin with baking paper before you start.",
                      "Beat the butter and sugar together until pale and creamy, then add the eggs one at a time.",
                      "Fold in the flour and zest, spoon the mixture into the tin and bake for 45 to 50 minutes."],
           ["Print", "Share", "You might also like", "Chocolate fudge cake", "Victoria sponge"]),
    "de": ("Zitronenkuchen: das einfache Rezept - Gute Küche", "Zitronenkuchen",
           "Dieser saftige Kuchen wird noch warm mit einem Zitronensirup getränkt und hält sich so mehrere Tage frisch.",
           "Zutaten für 12 Stücke", ["225 g weiche Butter", "225 g Zucker", "4 Eier", "225 g Mehl", "1 Bio-Zitrone"],
           "Zubereitung", ["Den Backofen auf 180 Grad vorheizen und eine Kastenform mit Backpapier auslegen.",
                           "Butter und Zucker schaumig rühren, dann die Eier nacheinander gründlich unterrühren.",
                           "Mehl und Zitronenschale unterheben, den Teig in die Form füllen und 45 Minuten backen."],
           ["Drucken", "Teilen", "Das könnte Sie auch interessieren", "Schokoladenkuchen", "Apfelstrudel"]),
}


@pytest.mark.parametrize("lang", RECIPES)
def test_a_recipes_ingredients_between_its_introduction_and_its_method_are_the_article(lang):
    # the items are short lines without a rule's tag, a menu's shape; under a list's header
    # (tasks/rules/article.yaml) they join the introduction above and the method below
    title, headline, intro, ing_head, items, method_head, steps, chrome = RECIPES[lang]
    page = "\n".join([title, "Rezepte" if lang == "de" else "Recipes", "Backen" if lang == "de" else "Baking",
                      headline, intro, ing_head, *items, method_head, *steps, *chrome])
    c = clean_text(page)
    assert c.paragraphs == [intro, ing_head, *items, method_head, *steps]
    assert_accounted(page, c)
    # without an introduction, the list above the method opens the article
    page = "\n".join([title, "Recipes", headline, ing_head, *items, method_head, *steps, *chrome])
    assert clean_text(page).paragraphs == [ing_head, *items, method_head, *steps]


def test_without_a_title_line_a_headline_naming_a_year_is_the_title():
    # a year alone is no date: "… Tour 2020" over the article is its headline; a full date in a
    # short line ("Pressemitteilung Aktuell 02. November 2021") is a date line, no headline
    for stamp in ("Wednesday, February 15, 2022", "Pressemitteilung Aktuell 02. November 2021"):
        page = "\n".join(["Wednesday, February 15, 2022", "Coast Herald", "World", "Culture",
                          "Home / World / The band's tour", "The Doobie Brothers Anniversary Tour 2020", "By James Chen",
                          stamp, "Share", "Facebook", *EN_BODY, "Related articles", "© 2024 Coast Herald"])
        c = clean_text(page)
        assert (c.title, c.paragraphs) == ("The Doobie Brothers Anniversary Tour 2020", EN_BODY)


def test_a_list_under_a_sentence_above_the_article_opens_it():
    intro = "The band announced the dates of its anniversary tour on Monday:"
    dates = ["June 9 -- West Palm Beach, FL", "June 10 -- Tampa, FL", "June 12 -- Atlanta, GA", "June 14 -- Nashville, TN"]
    page = "\n".join(["Band announces anniversary tour - Music News", "Home", "Music", "Band announces anniversary tour",
                      intro, *dates, *EN_BODY, "Share", "© 2026 Music News"])
    assert clean_text(page).paragraphs == [intro, *dates, *EN_BODY]


def test_key_points_under_the_headline_before_the_credit_are_the_article():
    points = ["The budget raises spending on roads by 12 per cent", "Library hours will be extended on weekends",
              "A proposed parking levy was dropped"]
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home", "World",
                      "Iraq and Syria agree on joint operations centre", "Key points:", *points, "By Jane Doe",
                      "Published 24 November 2026", *EN_BODY, "Share this article", "© 2026 Example News"])
    c = clean_text(page)
    assert c.paragraphs == ["Key points:", *points, *EN_BODY]
    assert c.byline == "Jane Doe"
    # a headline that opens with a header's words is no list's header: the teasers under it stay out
    teasers = ["Tencent shares fall after results", "Chip makers rally on demand", "Oil steadies in Asia"]
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home",
                      "Iraq and Syria agree on joint operations centre", *EN_BODY, "Share this article",
                      "What you need to know about Tencent", *teasers, "© 2026 Example News"])
    assert clean_text(page).paragraphs == EN_BODY


def test_list_headers_are_rules_a_user_extends(tmp_path):
    (tmp_path / "lists.yaml").write_text("list_header:\n  en: [Shopping list]\n", encoding="utf-8")
    items = ["2 lemons", "1 bag of flour", "6 eggs", "Butter"]
    steps = ["Heat the oven to 180C and line a loaf tin with baking paper before you start.",
             "Beat the butter and sugar together until pale and creamy, then add the eggs one at a time."]
    page = "\n".join(["Lemon cake - Good Kitchen", "Recipes", "Lemon cake", "Shopping list", *items, *steps, "Print"])
    assert clean_text(page).paragraphs == steps
    assert clean_text(page, TextCleanConfig.from_rules_dir(tmp_path)).paragraphs == ["Shopping list", *items, *steps]


def test_a_gallery_inside_the_article_does_not_end_it():
    # counters and captions between two paragraphs: an inline gallery, as an inline related box is
    gallery = ["1 of 3", "Officials arrive in Baghdad for the first round of talks. Photo: John Smith",
               "2 of 3", "The border crossing at al-Qaim reopened last year. Photo: Anna Lee",
               "3 of 3", "Soldiers patrol the desert road near the border. Photo: Anna Lee"]
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home", "World",
                      "Iraq and Syria agree on joint operations centre", EN_BODY[0], *gallery, EN_BODY[1],
                      "Share this gallery", "More galleries", "Winter lights festival", "© 2026 Example News"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY[:2]
    assert reasons(c)[gallery[1]] == "caption"


def test_a_news_ticker_after_the_article_is_teasers_not_its_continuation():
    # "14:44 <headline>" lines, some with a tweet or a summary between them: a live column of other
    # stories (the sign-up box between would otherwise let the block run on into it)
    ticker = ["14:44 Accusations de viols : 14 militaires mis en cause", "14:32 Un artiste arrêté pour un geyser",
              "Un tremblement de terre de magnitude 6,8 a touché la Papouasie-Nouvelle-Guinée, selon l'institut.",
              "13:54 En Islande, tuer un Basque est désormais interdit", "13:43 Les calories bientôt affichées",
              "La troisième victime française du séisme au Népal a été identifiée ce matin par le ministère.",
              "13:18 Loi renseignement : le Conseil constitutionnel saisi"]
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home", "World",
                      "Iraq and Syria agree on joint operations centre", *EN_BODY, "Recevoir la newsletter",
                      "L'actu tous les matins par email", "Direct", *ticker, "© 2026 Example News"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert reasons(c)[ticker[0]] == "teaser"
    # a time and a date is a stamp, not a ticker's headline; a live blog's entries are sentences
    entries = ["23:52 The first result has been declared in the north, where the governing party held on.",
               "23:31 Turnout appears to be higher than at the last election, according to officials.",
               "23:05 The exit poll suggests the opposition will become the largest party in parliament."]
    page = "\n".join(["Election night live - Example News", "Home", "Election night live", "10:11 24 November 2026",
                      "10:12 24 November 2026", "10:13 24 November 2026", *entries, "© 2026 Example News"])
    c = clean_text(page)
    assert c.paragraphs == entries
    assert reasons(c)["10:11 24 November 2026"] != "teaser"


def test_a_newsletter_box_after_the_article_still_ends_it():
    blurb = "Example News is an independent newsroom that has covered the Middle East since 1998."
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home", "World",
                      "Iraq and Syria agree on joint operations centre", *EN_BODY,
                      "Sign up for our newsletter", "Get the day's top stories delivered to your inbox.", blurb])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY


def test_a_long_line_without_letters_is_junk_not_prose():
    # inside the article, rules longer than any rule table's phrase: no paragraph (a long line
    # weighs as prose), no subheading (a run-on line alone between paragraphs reads as one)
    rule, tildes = "-=*" * 200, "~" * 500
    page = "\n".join(["Example title of a story about the harbour", EN_BODY[0], tildes, *EN_BODY[1:3], rule,
                      EN_BODY[3]])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    assert r[rule] == "junk" and r[tildes] == "junk"


def test_a_name_alone_under_the_headline_is_the_byline_when_the_page_credits_it():
    # "Florence Tan" under the headline and "Reporting by Florence Tan" under the article; a label
    # the page credits nowhere ("Asia Pacific") stays what it was
    body = [*EN_BODY, "Reporting by Florence Tan; Editing by Kenneth Maxwell"]
    page = "\n".join(["Asian refiners cut runs as margins slump | Reuters", "Business", "Markets",
                      "Asian refiners cut runs as margins slump", "Florence Tan", "3 Min Read", *body,
                      "More From Reuters", "Oil steadies as traders weigh supply risks"])
    c = clean_text(page)
    assert c.byline == "Florence Tan" and c.paragraphs[:4] == EN_BODY
    assert reasons(c)["Florence Tan"] == "byline"
    c = clean_text(page.replace("Florence Tan\n", "Asia Pacific\n", 1))
    assert c.byline is None and reasons(c)["Asia Pacific"] != "byline"


def test_the_place_before_the_date_under_the_credit_is_the_dateline():
    body = ["El Consejo de Ministros aprobó este martes una subida del salario mínimo del 4% para el próximo año.",
            "La ministra de Trabajo defendió que la medida permitirá recuperar el poder adquisitivo perdido.",
            "Las organizaciones empresariales advirtieron de que la subida puede afectar al empleo."]
    head = ["El Gobierno aprueba la subida del salario mínimo | El Diario", "Portada", "Economía",
            "El Gobierno aprueba la subida del salario mínimo", "Por Ana García"]
    c = clean_text("\n".join([*head, "Madrid, 24 nov 2026 - 13:45 CET", *body, "Lo más leído"]))
    assert (c.dateline, c.byline, c.paragraphs) == ("Madrid", "Ana García", body)
    assert c.published_at == dt.datetime(2026, 11, 24, 13, 45)
    # a weekday before the date is no place; a place glued to the first paragraph comes first
    c = clean_text("\n".join([*head, "Fr, 18. Oktober 2019", *body]))
    assert c.dateline is None
    c = clean_text("\n".join([*head, "Selasa, 24 November 2026 | 10:15 WIB", "BARCELONA - " + body[0], *body[1:]]))
    assert (c.dateline, c.paragraphs) == ("BARCELONA", body)
    # a script without case, its own comma ("،")
    ar_body = ["أعلنت الحكومة المصرية اليوم عن حزمة جديدة من الإجراءات لدعم الأسر الأكثر احتياجا في مواجهة ارتفاع الأسعار.",
               "وقال المتحدث باسم مجلس الوزراء إن الحزمة تشمل زيادة الدعم النقدي وتوسيع برامج الحماية الاجتماعية.",
               "ومن المنتظر أن تبدأ الحكومة تطبيق الإجراءات الجديدة مع بداية العام المقبل في جميع المحافظات."]
    c = clean_text("\n".join(["الحكومة تعلن حزمة دعم جديدة | الأهرام", "الرئيسية", "اقتصاد", "الحكومة تعلن حزمة دعم جديدة",
                              "كتب: أحمد علي", "القاهرة، 24 نوفمبر 2026 - 10:15", *ar_body, "اقرأ أيضا"]))
    assert (c.dateline, c.byline, c.paragraphs) == ("القاهرة", "أحمد علي", ar_body)


def test_credit_under_a_standfirst_the_block_starts_with():
    standfirst = "Officials from both countries met in Baghdad to discuss the security of the border."
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home", "World",
                      "Iraq and Syria agree on joint operations centre", standfirst, "By Jane Doe",
                      "March 3, 2024", *EN_BODY, "© 2024 Example News"])
    c = clean_text(page)
    assert c.byline == "Jane Doe"
    assert c.paragraphs == [standfirst, *EN_BODY]
    assert reasons(c)["By Jane Doe"] == "byline"


def test_arabic_interview_credit_and_its_questions():
    qa = ["س: هناك شكاوى من نقص بعض الأدوية في الصيدليات، ما حقيقة ذلك؟",
          "ج: لا يوجد نقص في الأدوية الأساسية، ما يحدث هو تأخر في توزيع بعض الأصناف بسبب إجراءات الاستيراد.",
          "س: وماذا عن أسعار الأدوية؟",
          "ج: الأسعار مستقرة، ولن تكون هناك أي زيادة على الأدوية الأساسية هذا العام."]
    page = "\n".join(["وزير الصحة: لا نقص في الأدوية والمخزون يكفي لستة أشهر", "الرئيسية", "حوارات",
                      "وزير الصحة: لا نقص في الأدوية والمخزون يكفي لستة أشهر", "حاوره: سامي الخطيب",
                      AR_BODY[0], *qa, "شارك", "جميع الحقوق محفوظة"])
    c = clean_text(page)
    assert c.byline == "سامي الخطيب"
    assert c.paragraphs == [AR_BODY[0], *qa]        # the short questions stay between their answers


@pytest.mark.parametrize("first", ["Quanta Magazine", "Είσοδος Μελών", "The Island"])
def test_a_first_line_that_only_names_the_site_is_no_title(first):
    # a dump without its <title>: the headline above the article is the title, not the masthead
    headline = "Iraq and Syria agree on joint operations centre"
    page = "\n".join([first, "Home", "World", "Politics", headline, "By Jane Doe", *EN_BODY, "© 2024 Example"])
    c = clean_text(page)
    assert c.title == headline
    assert c.paragraphs == EN_BODY
    assert reasons(c)[first] != "title"


def test_a_first_line_naming_the_site_is_the_title_when_the_page_prints_no_headline():
    page = "\n".join(["The River", "Home", "World", "Politics", *EN_BODY, "© 2024 The River"])
    c = clean_text(page)
    assert c.title == "The River"          # better than no title (the pipeline rejects a record without one)
    assert c.paragraphs == EN_BODY


@pytest.mark.parametrize("head", [
    ["https://www.example.com/world/iraq-syria-agree-123",                     # the address above the <title>
     "Iraq and Syria agree on joint operations centre - Example News"],
    ["Title: Iraq and Syria agree on joint operations centre",                 # a key-value header
     "URL: https://www.example.com/world/iraq-syria-agree-123", "Date: 2024-05-09"],
], ids=["address", "key-value"])
def test_a_scraper_header_above_the_title(head):
    headline = "Iraq and Syria agree on joint operations centre"
    page = "\n".join([*head, "Home", "World", headline, *EN_BODY, "© 2024 Example News"])
    c = clean_text(page)
    assert c.title == headline
    assert c.paragraphs == EN_BODY                    # the printed headline is the title's repeat
    r = reasons(c)
    assert r[head[0]] == ("junk" if head[0].startswith("http") else "title")
    assert r[headline] == "title_repeat"


def test_a_title_field_inside_the_article_stays():
    book = "Titel: The Casquette Girls"
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home",
                      *EN_BODY[:2], book, *EN_BODY[2:]])
    assert clean_text(page).paragraphs == [*EN_BODY[:2], book, *EN_BODY[2:]]


@pytest.mark.parametrize("label", ["Live", "Opinion", "Podkarpacie", "Medical News"])
def test_a_title_labelled_before_a_colon_finds_its_headline(label):
    # "<label>: <headline>" in the <title>, the headline alone in the page: it anchors the article
    headline = "Iraq and Syria agree on joint operations centre"
    page = "\n".join([f"{label}: {headline} | Example News", "Home", "World", headline, *EN_BODY,
                      "© 2024 Example News"])
    c = clean_text(page)
    assert c.title == headline
    assert c.paragraphs == EN_BODY
    assert reasons(c)[headline] == "title_repeat"


def test_a_short_title_printed_again_is_still_the_title():
    page = "\n".join(["Budget talks stall", "Home", "World", "Budget talks stall", *EN_BODY, "© 2024 Example"])
    c = clean_text(page)
    assert c.title == "Budget talks stall"
    assert [(r.line_no, r.reason) for r in c.removed if r.text == "Budget talks stall"] == [(1, "title"),
                                                                                         (4, "title_repeat")]


def test_the_subject_named_in_a_table_inside_the_article_does_not_cut_it():
    # an encyclopedia page names its subject again in a navigation box between two of its sections
    head = ["The United Kingdom is a country in Europe, off the north-western coast of the continental mainland.",
            "It comprises England, Scotland, Wales and Northern Ireland, and is often called Britain for short.",
            "The capital and largest city is London, a global city and the centre of a metropolitan area.",
            "The kingdom is a constitutional monarchy with a parliament that sits in the Palace of Westminster."]
    tail = ["The total area of the kingdom is approximately 244,000 square kilometres, with uplands in the north.",
            "The climate is temperate, with plentiful rainfall all year round and mild winters in the south-west.",
            "Its economy is the sixth largest by nominal gross domestic product, led by the service sector.",
            "London is one of the largest financial centres in the world, with the stock exchange at its heart."]
    navbox = ["v", "t", "e", "Countries of Northern Europe", "Denmark", "Ireland", "Iceland", "United Kingdom", "Sweden",
              "Dependencies", "Faroe Islands", "Greenland"]
    page = ["United Kingdom - Wikipedia", "United Kingdom", "From Wikipedia, the free encyclopedia", *head, *navbox,
            "Geography", *tail[:2], "Economy", *tail[2:], "Retrieved from the encyclopedia"]
    c = clean_text("\n".join(page))
    assert set(head + tail) <= set(c.paragraphs)
    assert [r.reason for r in c.removed if r.line_no == page.index("Sweden")] == ["title_repeat"]   # (1-based: the line above)


def test_the_headline_printed_again_among_other_headlines_still_ends_the_article():
    # a news page lists its own headline among the latest ones, above its footer and another text
    body = ["The conference will take place at the convention centre in June and last five days, organisers said.",
            "About 1,500 participants are expected from 140 countries, among them ministers of trade and industry.",
            "Local presenters include the head of the port authority and the chief executive of the free zone.",
            "Panel discussions cover global taxation and its impact on the zones, logistics and digital trade.",
            "On the last two days, investors will visit several of the zones and the sites of planned projects.",
            "The organisers said the goal was to make investors look at the country as a place to do business.",
            "Throughout the week, participants can also meet local and international firms at an exhibition.",
            "Registration for the conference is now open and can be completed on the organisers' website."]
    other = ["The training programme gives officer cadets a year of basic military instruction at the academy.",
             "Its syllabus follows the approach of the royal military academy, adapted to the region's forces.",
             "The academy lies in the hills above the capital, in a station founded for a regiment in 1841.",
             "Cadets spend their last term on exercises with the regular battalions before they are commissioned.",
             "The first class of the programme graduated in the spring, watched by the chief of the defence staff.",
             "Most of the graduates joined the infantry, and a few went on to the coast guard and the air wing.",
             "The academy also trains officers of neighbouring countries, who make up a third of every class.",
             "Instructors come from the regular force and from the partner academies abroad, for two years each.",
             "Applications for the next class close at the end of the month, the defence force said on Monday."]
    headline = "Wide Range Of Investment Opportunities At The Conference"
    page = [f"{headline} | Information Service", "News", headline, *body, "Advertisements", "Information Service",
            "News", "Health Agency Continues To Partner With Member States On Vaccines", headline,
            "Foundation Provides Scholarships Worth $4.5 Million To Students", "Clinical Management Summary For Monday",
            "Contact", "Office:", "58a Half Way Tree Road, Kingston 10", "Tel:", "1 (876) 926-3590-4",
            "Copyright 2020 The Information Service. All Rights Reserved.", "Designed & Developed by", "INTRODUCTION",
            *other]
    c = clean_text("\n".join(page))
    assert c.paragraphs == body


def test_standfirst_then_credit_stamps_and_toolbar_then_the_article():
    # the article's own "published" and "reading time" stamps under its standfirst are no teaser
    # list, and the standfirst goes on into the article under six lines of credit and toolbar
    standfirst = "Le ministre de la santé a détaillé mercredi une enveloppe de 3 milliards d'euros."
    page = "\n".join(["Retraites : le projet de loi présenté en Conseil des ministres", "Accueil", "Politique",
                      "Retraites : le projet de loi présenté en Conseil des ministres", standfirst,
                      "Par Claire Martin", "Publié le 23 novembre 2026 à 14h05, modifié à 16h30", "Lecture 3 min.",
                      "Article réservé aux abonnés", "Partager", "Lire plus tard", *FR_BODY,
                      "Les plus lus", "Mentions légales"])
    c = clean_text(page)
    assert c.paragraphs == [standfirst, *FR_BODY]
    assert c.byline == "Claire Martin"


def test_rules_dir_in_config(tmp_path):
    (tmp_path / "house.yaml").write_text(
        "house_promo:\n  reason: advertisement\n  any:\n    lines: [Harbour Gazette Plus – try it free]\n", encoding="utf-8")
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY, "Harbour Gazette Plus – try it free"])
    c = clean_text(page, TextCleanConfig.from_rules_dir(tmp_path))
    assert reasons(c)["Harbour Gazette Plus – try it free"] == "advertisement"
    assert c.paragraphs == EN_BODY


@pytest.mark.parametrize("name", ["Jane Harbourside", "J. Harbourside", "Mary Jane Ann Harbourside"])
def test_author_box_after_the_article(name):
    # the page's author (credited under the headline), then a line of bio, close the article
    page = "\n".join(["Example title of a story about the harbour", f"By {name}", *EN_BODY, name,
                      "Jane covers the port and the city for the paper since 2009."])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    assert r[name] == "byline"
    assert r["Jane covers the port and the city for the paper since 2009."] == "byline"


def test_a_credit_line_closing_the_article_opens_its_author_box():
    # the credit printed under the article, then a line of bio: the name line is a credit itself
    bio = "Jane covers the port and the city for the paper since 2009."
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY, "Von Jane Harbourside", bio])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert reasons(c)[bio] == "byline"


@pytest.mark.parametrize("credit", [[], ["By Jane Harbourside"]])
def test_a_subheading_over_the_last_paragraph_is_no_author_box(credit):
    # a two-word subheading looks like a name, and the paragraph under it is short: without a bio
    # opening with it ("Jane Doe is …"), only the page's author's name makes them an author box
    closing = ["Finished Terrarium",
               "Displayed alone or in a group, these pretty arrangements add a little nature to your table."]
    page = "\n".join(["Example title of a story about the harbour", *credit, *EN_BODY, *closing])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY + closing


def test_a_short_subheading_of_a_caseless_script_closing_the_article_is_no_author_box():
    body = ["أعلنت محافظة القاهرة عن خطة شاملة لتطوير المناطق غير الآمنة خلال العامين المقبلين بتكلفة تتجاوز ملياري جنيه.",
            "وقال المحافظ إن الخطة تتضمن بناء وحدات سكنية جديدة ونقل السكان إليها بعد تجهيزها بالكامل بالمرافق.",
            "وأضاف أن المرحلة الأولى ستبدأ الشهر المقبل في أحياء شرق القاهرة وتشمل أكثر من خمسة آلاف وحدة.",
            "معالجة العشوائيات",
            "وأشار إلى أن الخطة تشمل أيضاً تمليك الأراضي لشاغليها."]
    c = clean_text("\n".join(["القاهرة تطلق خطة لتطوير المناطق غير الآمنة", *body]))
    assert c.paragraphs == body


def test_bio_behind_an_author_header_is_not_merged_into_the_article():
    bio = ("Jake is the co-founder of a small consultancy in Pittsburgh. He also produced a video series "
           "about the language for a publisher and is an organizer of the local meetup, where he has "
           "given talks on tooling, testing and the history of the compiler for many years now.")
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY, "Author", "Jake Goulding", bio])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    assert r["Author"] == "byline"
    assert r[bio] == "related_links"          # inside the author box's section


def test_teaser_list_with_repeated_read_more_is_not_merged():
    teasers = []
    for title, summary in [
            ("Why does my memory use grow over time?",
             "Why on earth does my memory consumption chart look like that? It is a question I hear every week, "
             "so I wrote a small web server that shows what the allocator does and how to read its numbers."),
            ("A debugging story from the night shift",
             "For quite some time we have received reports from our larger customers about a mysterious "
             "connection error showing up for their apps, and here is how we finally tracked it down.")]:
        teasers += [title, summary, "Read More"]
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY, "Read More", *teasers])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    assert r["Read More"] == "related_links"
    assert r[teasers[1]] == "related_links" and r[teasers[4]] == "related_links"


def test_citation_marks_after_the_sentence_end_do_not_hide_it():
    """"… results.[2]": a table of films whose descriptions close with footnote marks is read as
    prose with its rows (the marks used to make every description a short line off the block)."""
    intro = ("This list of films featuring time loops names the films in which characters relive the same "
             "period of time over and over, with a short description of each.")
    rows = [("Repeat Performance", "1947", "A woman who shot her husband on New Year's Eve wishes she could live "
             "the year all over again and somehow gets her chance, to futile results.[2]"),
            ("The Time Travelers", "1964", "Scientists test a time-viewing device, but the screen becomes a portal "
             "which they enter, stranding them in a future devastated by war. [3]"),
            ("Groundhog Day", "1993", "A self-centred weatherman is forced to relive the same day over and over "
             "again in a small town until he changes his ways.[4][5]"),
            ("Run Lola Run", "1998", "A woman needs to obtain a large sum of money in twenty minutes to save her "
             "boyfriend, and the day restarts each time she fails.[6]"),
            ("Naken", "2000", "On the day of his wedding a man wakes up naked in an elevator and relives the "
             "morning until he pieces together what happened.[7]")]
    page = ["List of films featuring time loops - Wikipedia", "Main menu", "Search", "Log in",
            "List of films featuring time loops", intro, "Film", "Year", "Description"]
    for row in rows:
        page += row
    page += ["References", "Privacy policy", "About Wikipedia", "Disclaimers"]
    c = clean_text("\n".join(page))
    for _, _, description in rows:
        assert description in c.paragraphs
    assert c.paragraphs[0] == intro
    assert "Privacy policy" not in c.paragraphs


def _teaser_list(items: list[tuple[str, str]], stamp_lines) -> list[str]:
    """Other stories listed under an article: each one's headline, stamp lines (stamp_lines(k) for
    the k-th) and summary."""
    out = []
    for k, (head, summary) in enumerate(items):
        out += [head, *stamp_lines(k), summary]
    return out


def test_teasers_stamped_date_then_reading_time_do_not_join_the_article():
    """"19 Jan, 2021. 3 min read" under each teaser of a list after the article: the stamps (a
    date closed by a reading time) mark the list, so the block ends with the article's last
    paragraph instead of running into the teasers' text."""
    body = ["Engineers have developed an algorithm that lets consumer printers read ahead of their "
            "programming and print up to twice as fast without losing quality.",
            "The software predicts when the machine will vibrate and adjusts its commands before it "
            "happens, the researchers said in a paper published this week.",
            "The team now wants to see the algorithm built into the firmware of commercial printers."]
    teasers = _teaser_list([
        ("Podcast: machine learning and flight", "The next step in machine learning, how printing changes "
         "the airline industry and what flies teach robots, in this week's episode."),
        ("Programmable materials heal broken bones", "Researchers introduce materials that help bones heal "
         "faster and could replace metal implants in many operations."),
        ("Inspecting harvesting machines in 3D", "Dimensional inspections of fruit harvesting machines "
         "cut the time needed to calibrate them by half, the makers said.")],
        lambda k: ["Jane Roe", f"{19 + k} Jan, 2021. {3 + k} min read"])
    page = ["Printers get a turbo boost - Site", "Printers get a turbo boost", *body,
            "Search for articles and topics", "Explore topics", *teasers, "About us", "Contact"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == body
    assert reasons(c)["20 Jan, 2021. 4 min read"] == "metadata"


def test_arabic_teasers_stamped_hours_ago_do_not_join_the_article():
    """"منذ 3 ساعات" ("3 hours ago") under each teaser of a list after the article: relative
    stamps are publication stamps, so the list is seen as one and the article ends before it.
    (A neighbour block behind a gap of four lines or fewer still joins the article across such
    stamps: a live blog stamps its entries so.)"""
    body = ["قالت وزارة الصحة في بيان لها اليوم الأربعاء إن المستشفى الجديد سيفتح أبوابه أمام المرضى مطلع العام المقبل.",
            "وأضاف البيان أن المستشفى يضم مئتي سرير وقسما للطوارئ يعمل على مدار الساعة.",
            "ويأتي افتتاح المستشفى ضمن خطة لتطوير الخدمات الصحية في المحافظات الجنوبية."]
    teasers = _teaser_list([
        ("ارتفاع أسعار الذهب في الأسواق المحلية", "سجلت أسعار الذهب ارتفاعا جديدا في تعاملات اليوم مع زيادة الطلب "
         "على المشغولات قبل موسم الأعياد في المدن الكبرى."),
        ("افتتاح معرض الكتاب بمشاركة واسعة", "افتتح وزير الثقافة معرض الكتاب السنوي بمشاركة أكثر من ثلاثمئة دار نشر "
         "عربية وأجنبية تعرض آلاف العناوين الجديدة."),
        ("منتخب الشباب يتأهل إلى النهائي", "تأهل منتخب الشباب إلى المباراة النهائية للبطولة بعد فوزه في نصف النهائي "
         "بهدفين مقابل هدف في مباراة مثيرة.")],
        lambda k: [f"منذ {k + 2} ساعات"])
    page = ["مستشفى جديد يفتح أبوابه العام المقبل - الموقع", "الرئيسية", "أخبار", "مستشفى جديد يفتح أبوابه العام المقبل",
            *body, "شارك", "فيسبوك", "تويتر", "كلمات دلالية", "الصحة", *teasers, "اتصل بنا", "جميع الحقوق محفوظة"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == body
    assert reasons(c)["منذ 3 ساعات"] == "metadata"


def test_chinese_title_with_section_and_site_after_a_space():
    """"<headline> 质量监督 南方网": a Chinese <title> may part the section and the site from the
    headline with spaces only. The headline printed alone above the article still anchors it, so a
    bigger list of other stories' summaries above does not win."""
    teasers = []
    for k in range(4):
        teasers += [f"第{k + 1}条其他新闻的标题在这里", "记者今天从有关部门获悉，本市将在明年春节前完成全部老旧小区的改造工作，"
                    f"涉及居民三万多户，总投资超过十亿元，改造内容包括外墙、管网和电梯，第{k + 1}批工程已经开工。"]
    body = ["日前，中国高端家电评选“红顶奖”在北京颁布，本市一家企业榜上有名。",
            "据介绍，本届评选委托专业公司对国内大城市的卖场进行了调查。",
            "企业负责人说，公司的竞争优势在于完整的产业链。"]
    page = ["企业独揽两项“红顶奖” 质量监督 南方网", "首页", "新闻", "科技", *teasers,
            "您现在: 南方网首页>科技> 质量监督", "企业独揽两项“红顶奖”", *body, "分享到：", "关于我们"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == [normalize_text(p) for p in body]     # (NFKC: "，" -> ",")
    assert c.title == "企业独揽两项“红顶奖”"


def test_german_closing_quote_ends_a_sentence():
    """„…“: a paragraph ending in the German closing quote is prose, kept with the article."""
    body = ["Die Regierung hat am Mittwoch ein neues Gesetz zum Schutz der Küsten beschlossen, teilte das Ministerium mit.",
            "Die Opposition kritisierte den Entwurf als zu zaghaft und forderte schärfere Regeln für die Häfen.",
            "Der Minister sagte am Abend: „Wir werden die Küsten schützen, und zwar so schnell wie möglich.“"]
    page = "\n".join(["Neues Gesetz zum Schutz der Küsten beschlossen", *body, "Weiterlesen", "Impressum", "Datenschutz"])
    c = clean_text(page)
    assert c.paragraphs == body
    assert reasons(c)["Impressum"] in ("navigation", "copyright")


def test_a_title_in_guillemets_does_not_end_a_sentence():
    """"…!》" closes a book's or a show's title: a list of such headlines is no prose."""
    body = ["台北市政府今天宣布，春节期间捷运将延长营运时间至凌晨两点，方便民众返乡与出游。",
            "市府交通局表示，除夕至初五每天加开班次，并在主要车站增派人力维持秩序，请旅客提早规划行程。",
            "交通局也提醒，连假期间道路车流量大，民众可多加利用大众运输，以减少塞车与停车的困扰。"]
    headlines = ["抢搭过年旅游热 团购业推《寒假亲子游 一起出发去!》", "剧团年度新戏上演 导演推《梦想家 再出发!》",
                 "书展开幕人潮涌现 出版社推《一起来读书吧!》", "电台新节目开播 主持人推《早安台北 早安你!》",
                 "贺岁新片抢先看 影评人推《冬日恋曲 暖心上映!》", "美术馆年度大展 策展人推《城市的光 夜之美!》"]
    page = "\n".join(["春节捷运延长营运", *body, "生活最新:", *headlines, "关于我们"])
    c = clean_text(page)
    assert c.paragraphs == [normalize_text(p) for p in body]     # (NFKC: "，" -> ",")
    assert not any(h in c.paragraphs for h in headlines)


def test_a_long_caption_inside_the_article_is_a_caption_and_a_paragraph_naming_an_agency_is_not():
    body = ["Das Forum Waffenrecht fordert umfassende und schnelle Aufklärung des Amoklaufs, teilte der Verband am Dienstag mit.",
            "Das Thema mit den meisten Hindernissen wird seit Jahren diskutiert: die elektronische Patientenakte (ePA)",
            "Die Tatwaffen seien nach ersten Erkenntnissen legal im Ausland gekauft worden, hieß es weiter aus Ermittlerkreisen.",
            "Der Verband fordert die Bundesregierung auf, mögliche Vollzugsdefizite bei den geltenden Regeln rasch zu beheben."]
    caption = ("Das Forum reagiert mit Entsetzen auf den Amoklauf und fordert eine schnelle Aufklärung der Tat. "
               "(Quelle: Fleischmann/Unsplash/DJV)")
    assert len(caption) > 100         # (longer than the lines every pattern is tried on)
    page = ["Verband fordert Aufklärung nach Amoklauf", *body[:2], caption, "Bild 1 von 3", *body[2:], "Impressum"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == body
    assert reasons(c)[caption] == "caption" and reasons(c)["Bild 1 von 3"] == "caption"


def test_a_caption_closed_by_a_copyright_credit_inside_the_article_is_a_caption():
    body = ["Das Bundeskabinett hat sich auf ein Programm für die diesjährige Präsidentschaft in der Gruppe der Sieben verständigt.",
            "Am 1. Januar hat Deutschland turnusgemäß den Vorsitz in der Gruppe der Sieben von Großbritannien übernommen.",
            # a misdecoded "é" is no credit: the sentence goes on after the sign
            "Ever since he can remember, 10-year-old Benjamin CÃ´tÃ© has always suffered from ear infections, his mother said.",
            "Die Ministerin betonte, dass Gleichstellung ein Schwerpunkt der deutschen Präsidentschaft sein werde."]
    captions = ["Das Bundeskabinett bei seiner Klausurtagung am 21. Januar, bei der es das Programm der "
                "Präsidentschaft festlegt© Bundesregierung/Steffen Kugler",
                "Bundesfamilienministerin Anne Spiegel nahm digital an der Auftaktveranstaltung der \"Women7\" teil © BMFSFJ"]
    assert all(len(x) > 100 for x in captions)    # (longer than the lines every pattern is tried on)
    page = ["Bundeskabinett legt Schwerpunkte der Präsidentschaft fest", body[0], captions[0], *body[1:3],
            captions[1], body[3], "© 2022 Bundesministerium für Familie, Senioren, Frauen und Jugend"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == [normalize_text(p) for p in body]      # (NFKC: "´" -> " ́")
    assert all(reasons(c)[x] == "caption" for x in captions)


def test_a_paragraph_printed_again_behind_a_counter_is_kept_once():
    body = ["Полиция штата Калифорния предупреждает бездомных о серийном убийце, охотящемся на спящих на улице людей.",
            "В качестве средств защиты бездомным предлагают иметь при себе фонарики и свистки и не ночевать в одиночку."]
    page = ["Полиция предупреждает бездомных о серийном убийце", *body, *("0" + p for p in body), "Комментарии"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == body
    assert reasons(c)["0" + body[0]] == "repeated_in_page"


@pytest.mark.parametrize("body, printed", [
    # a comment count glued before each paragraph, whatever word or quote comes first
    (["Сегодня в столичном регионе сохранится аномально теплая погода, сообщили синоптики Росгидромета.",
      "В рождественскую ночь станет облачно, пойдет мокрый снег, местами на дорогах будет гололед.",
      "«Днем 7 января в столице потеплеет до четырех градусов выше ноля», — сообщает Росгидромет."],
     ["0Сегодня в столичном регионе сохранится аномально теплая погода, сообщили синоптики Росгидромета.",
      "0В рождественскую ночь станет облачно, пойдет мокрый снег, местами на дорогах будет гололед.",
      "0«Днем 7 января в столице потеплеет до четырех градусов выше ноля», — сообщает Росгидромет."]),
    (["Apple threatened on Tuesday to sue a Chinese company that made a doll of its late founder.",
      "The company insists that the maker stop selling the toy, which it says looks too much like him."],
     ["3Apple threatened on Tuesday to sue a Chinese company that made a doll of its late founder.",
      "3The company insists that the maker stop selling the toy, which it says looks too much like him."]),
])
def test_a_counter_glued_before_each_paragraph_is_cut_off(body, printed):
    c = clean_text("\n".join(["Погода и новости дня", *printed]))
    assert c.paragraphs == body


@pytest.mark.parametrize("body", [
    # footnote marks differ from one paragraph to the next
    ["22Sometimes known as alert fatigue, this happens when the pager goes off too often for anyone to care.",
     "23If one per cent of your requests fail, one user in a hundred sees an error page every single day."],
    # a number that belongs to the first word
    ["3D printers have become cheap enough for schools to buy several of them for their science classes.",
     "3D printing also lets hospitals make models of a patient's heart before the surgeons operate on it."],
    # a year before a word of a script without case
    ["2012年1月，国家统计局公布了上一年的经济数据，国内生产总值比上年增长百分之九点二。",
     "2012年2月，央行宣布下调存款准备金率零点五个百分点，这是三个月内的第二次下调。"],
])
def test_numbers_opening_paragraphs_that_are_no_counter_stay(body):
    c = clean_text("\n".join(["Headline of the article for the test", *body]))
    assert c.paragraphs == [normalize_text(p) for p in body]      # (NFKC: "，" -> ",")


def test_long_author_bio_opening_with_the_name_before_a_comment_form():
    bio = ("Jane Harbourside ist Redakteurin mit langjähriger Berufserfahrung. Seit über 14 Jahren schreibe ich über "
           "Häfen, Schiffe und die Menschen, die dort arbeiten, und betreue Projekte von Anfang bis Ende. Vorher war "
           "ich Korrespondentin in Rotterdam und Antwerpen, wo ich über die Container-Logistik, die Gewerkschaften "
           "und die Stadtentwicklung an den alten Kais berichtet habe. Ich lebe mit meiner Familie in Hamburg.")
    assert len(bio) > 400
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY, "Jane Harbourside", bio,
                      "Schreibe einen Kommentar Antworten abbrechen"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    assert r["Jane Harbourside"] == "byline" and r[bio] == "byline"
    assert r["Schreibe einen Kommentar Antworten abbrechen"] == "comment_form"



def test_standfirst_above_credit_date_and_photo_lines_is_kept():
    lead = "Two brothers caused two upsets on the same day in Pune and Montpellier."
    body = EN_BODY + [
        "The older brother beat the top seed in straight sets on Thursday and will now face a veteran in the quarter-finals.",
        "His younger brother, ranked outside the top hundred, needed three sets and almost three hours to win his match.",
        "Their coach said that both of them had worked hard through the winter and deserved the results of this week.",
        "The federation hopes that the two wins will bring more young players to the courts across the whole country."]
    page = "\n".join(["Two upsets in one day - Example Sport", "Home", "Tennis",
                      "Two upsets in one day", lead, "By Jane Harbourside", "Updated: 04.02.2022, 08:27",
                      "© Getty Images", "Elias during the final round in Madrid", *body, "Share", "Facebook"])
    c = clean_text(page)
    assert c.title == "Two upsets in one day"
    assert c.paragraphs == [lead, *body]
    assert reasons(c)["© Getty Images"] == "copyright"


def test_numbered_steps_are_a_list_not_pagination():
    steps = ["Sift the flour, the sugar and the salt into a large bowl and mix them well.",
             "Add the egg and the soft butter and mix quickly with your fingertips.",
             "Shape small balls, put them on a greased tray and bake for twenty minutes.",
             "Melt the chocolate and dip half of each biscuit into it once they are cold."]
    lines = ["Chocolate biscuits - Example Recipes", "Chocolate biscuits", "Method"]
    for k, st in enumerate(steps, 1):
        lines += [f"{k}.", st]
    lines += ["1 2 3 »", "You may also like"]
    c = clean_text("\n".join(lines))
    for st in steps:
        assert st in c.paragraphs
    assert reasons(c)["1 2 3 »"] == "pagination"


def test_singular_commentary_heading_does_not_open_a_comment_section():
    """'Komentarz' heading an analysis's commentary part is not a reader-comment header
    (plural 'Komentarze' is)."""
    analysis = ["Informacja o ataku na terytorium Czech wywołała szok w całym kraju i osłabiła pozycję prezydenta.",
                "Nagłośnienie wyników pracy kontrwywiadu mocno zachwiało pozycją prezydenta i wzmocniło premiera.",
                "Czeski rząd nie będzie zainteresowany dalszym eskalowaniem napięcia w stosunkach z sąsiadami."]
    page = "\n".join(["Zamachy w Czechach – kontekst krajowy", *EN_BODY, "Komentarz", *analysis])
    c = clean_text(page)
    assert c.paragraphs[-3:] == analysis
    page2 = "\n".join(["Zamachy w Czechach – kontekst krajowy", *EN_BODY, "Komentarze", *analysis])
    c2 = clean_text(page2)
    assert c2.paragraphs == EN_BODY
    assert reasons(c2)["Komentarze"] == "comment_count" and reasons(c2)[analysis[0]] == "user_comment"


def test_promo_box_after_the_copyright_line_is_not_the_article():
    promo = ["Der digitale SPIEGEL", "Diese Ausgabe jetzt digital lesen",
             "Die digitale Welt der Nachrichten. Mit interaktiven Grafiken, spannenden Videos und 3-D-Modellen.",
             "Sie lesen die neue Ausgabe noch vor Erscheinen der Print-Ausgabe, schon freitags ab 18 Uhr.",
             "Den SPIEGEL lesen oder verschenken und Vorteile sichern!"]
    body = EN_BODY + [
        "The older delegation members said the talks had been the most open in years and would continue in the spring.",
        "Both governments promised to publish a joint report on the results of the centre before the end of the year.",
        "Diplomats in the region welcomed the agreement but warned that much would depend on the militias in the south.",
        "The centre will be staffed by officers from both armies and is expected to open in a former airbase next month.",
        "Its first task will be to map the smuggling routes that the militants have used to move fighters across the desert.",
        "Officials declined to say how many officers would work there or who would pay for the equipment and the buildings.",
        "A spokesman for the opposition said parliament had not been consulted and demanded a debate on the agreement soon."]
    page = "\n".join(["Example title of a story about the harbour", *body, "Alle Rechte vorbehalten", *promo])
    c = clean_text(page)
    assert c.paragraphs == body
    r = reasons(c)
    assert r["Alle Rechte vorbehalten"] == "copyright"
    assert r[promo[2]] == "off_block"


def test_embedded_post_placeholder_inside_the_article_does_not_end_it():
    body = EN_BODY + [
        "The older delegation members said the talks had been the most open in years and would continue in the spring.",
        "Both governments promised to publish a joint report on the results of the centre before the end of the year."]
    embed = ["Twitter freischalten",
             "Wir respektieren deine Privatsphäre und stellen deshalb ohne dein Einverständnis keine Verbindung zu Twitter her."]
    page = "\n".join(["Example title of a story about the harbour", *body[:3], *embed, *body[3:]])
    c = clean_text(page)
    assert c.paragraphs == body
    assert reasons(c)[embed[0]] == "share" and reasons(c)[embed[1]] == "share"


def test_long_disclosure_sentence_above_the_article_gets_its_rule():
    """Rule tables apply to long sentence-like lines too: an affiliate disclosure reads as prose."""
    disclosure = ("This post contains references to products from one or more of our advertisers. We may receive "
                  "compensation when you click on links to those products. Terms apply to the offers listed on this page here.")
    assert len(disclosure) > 200
    page = "\n".join(["Example title of a story about the harbour", disclosure, *EN_BODY])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert reasons(c)[disclosure] == "copyright"


def test_subtitle_printed_twice_around_its_caption_is_kept_once():
    sub = "Bishop: “Parish councils should be there for everyone who needs to talk during the lockdown”"
    caption = "Services continue with masks for everyone. Foto: ccnull/Marco Verch/cc by sa 2.0"
    page = "\n".join(["Services stay possible under strict rules › example.at", "Parishes", "Press",
                      "Services stay possible under strict rules", sub, caption, sub, *EN_BODY, "Further posts"])
    c = clean_text(page)
    assert c.title == "Services stay possible under strict rules"
    assert c.paragraphs == [sub, *EN_BODY]
    r = reasons(c)
    assert r[caption] == "caption"


@pytest.mark.parametrize("end", ["poll 🙂", "poll… 😀", "poll!! 😀", "poll... 😂😂"])
def test_sentence_closed_by_an_emoji_is_prose(end):
    # (an ellipsis before the emoji too: NFKC writes "…" as three dots)
    last = ("I have entered my own app in the contest as well, and I would be very happy about "
            "every vote in the online " + end)
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY, last, "Vote now", "Category: News"])
    c = clean_text(page)
    assert c.paragraphs == [*EN_BODY, normalize_text(last)]
    assert reasons(c)["Category: News"] in ("metadata", "footer_zone", "navigation")
    # the article's first paragraph so closed is no header line above it
    c = clean_text("\n".join(["Example title of a story about the harbour", "Home", "News",
                              "Example title of a story about the harbour", last, *EN_BODY, "Category: News"]))
    assert c.paragraphs == [normalize_text(last), *EN_BODY]


def test_block_finding_in_c_equals_its_python_twin():
    # tasks/_native.c max_segments picks the candidate blocks; without a compiler the Python
    # twin does. Both must pick the same segments, ties and the barrier included.
    import random

    from tasks import clean_text as ct

    assert ct._max_segments is not None          # `pip install -e .` builds it
    rnd = random.Random(5)
    pieces = [-18.0, -45.0, -150.0, ct._BARRIER, 0.0, 45, 120, 301, 12.5, 300.25]
    cases = [[], [-1.0], [60], [30, -10, 30, -60, 61, 0, 61]]
    cases += [[rnd.choice(pieces) for _ in range(rnd.randint(1, 300))] for _ in range(300)]
    for scores in cases:
        for min_score in (0.0, 60.0, 200.0):
            want = ct._segments_py(scores, 0, len(scores), min_score)
            assert ct._max_segments(scores, min_score, ct._SEGMENT_DEPTH) == want
            for long_run in (1, 3, 15):          # long runs of negative scores doubled, in C and in the twin
                doubled = ct._long_runs_doubled(scores, long_run)
                assert ct._max_segments(scores, min_score, ct._SEGMENT_DEPTH, long_run) == \
                    ct._segments_py(doubled, 0, len(doubled), min_score)
    assert ct._segments([30, -10, 30, -60, 61, 0, 61], 60.0) == [(122.0, 4, 7)]
    assert ct._long_runs_doubled([5, -1, -1, -1, 2, -3, -3], 2) == [5, -1, -1, -2, 2, -3, -3]
    with pytest.raises(TypeError):
        ct._max_segments(["x"], 0.0, 12)


def _twin_lines() -> list[str]:
    """Lines of every shape the per-line step meets: the samples' lines, every whole-line rule
    phrase, and random mixes of phrases with bullets, bars, dates, times, emoji, CJK, closing
    quotes and runs of spaces."""
    import random

    from tasks.rules import get_rules

    lines = []
    for p in sorted(Path(__file__).resolve().parents[1].joinpath("samples", "raw").glob("*.txt")):
        lines += [s for s in normalize_text(p.read_text(encoding="utf-8")).split("\n") if s]
    phrases = sorted(get_rules().exact)
    lines += phrases
    rnd = random.Random(13)
    bits = ["• ", "» ", "(", ")", " | ", ": ", "12:30", " 2024-05-01 ", "15/03/2023", "…", "..", ".", "!", "؟",
            "”", "」", " 🙂", "👍", "中文新闻", "  ", "\t", "x" * 120, "Share", "© 2024", "Read more", "كانون 2",
            "İlgili Haberler", "İ"]
    for _ in range(4000):
        parts = [rnd.choice(phrases) if rnd.random() < 0.4 else rnd.choice(bits) for _ in range(rnd.randint(1, 6))]
        s = "".join(parts).strip("\n")
        if s:
            lines.append(s)
    # toolbars flattened into one line: buttons (and now and then another phrase) joined by spaces or
    # separators
    buttons = sorted(get_rules()._toolbar_phrases)
    for _ in range(600):
        sep = rnd.choice([" ", " | ", " • ", ": ", "/"])
        lines.append(sep.join(rnd.choice(buttons if rnd.random() < 0.85 else phrases)
                              for _ in range(rnd.randint(2, 4))))
    # long lines of phrases run together, with and without sentence ends, in scripts with and
    # without sentence punctuation
    for _ in range(200):
        words = [rnd.choice(phrases) for _ in range(rnd.randint(30, 80))]
        if rnd.random() < 0.3:
            words = [w + rnd.choice([".", "", "", "。"]) for w in words]
        lines.append(" ".join(words) + rnd.choice(["", "", ".", " กรุงเทพ", " x = f(y)"]))
    # Arabic marks (harakat, tanween, shadda): the rules see the line without them
    for head in ("اقرأ أيضًا", "إقرأ أيضًا: عنوان خبر آخر", "شاركْ", "ً", "ًً ً", "وقال الوزيرُ إنَّ المستشفى سيفتح قريبًا.",
                 "Share ًthis", "الأكثر قراءةً", "ٰ", "أقرأ أيضا", "الاكثر قراءه", "مستشفى إقليمي جديد", "ک ی ٱ"):
        lines.append(head)
    # Greek vowels with and without their tonos (capitals drop it): the rules see them without
    lines += ["ΣΧΕΤΙΚΑ ΑΡΘΡΑ", "Σχετικά άρθρα", "ΆΈΉΊΌΎΏ ΐΰ άέήίόύώ", "ΕΚΤΥΠΩΣΗ", "Ή", "ΰ",
              "Η Βουλή ψήφισε χθες τον προϋπολογισμό."]
    # lines opening with a bracket or a quote that some anchored patterns ask for first
    lines += ["(photo AFP)", "(Photos: Jan Nowak)", "[公司播报][国际财经][富豪・财富]", "[News] [Sport]", "« 1 2 3 »",
              "‹ Previous", "(123)", "(Alle Angaben ohne Gewähr)", "[Werbung]", "«Read more»"]
    # citation marks closing a sentence, and bracketed things that are not marks
    for head in ("x", "It ended in futile results.", "Er sagte: „Ja.“", "新闻。", "[5]", " ", "Year"):
        for end in ("[2]", " [3][4]", "[12] [7]", "[1234]", "[a]", "[]", "[", "]", ".[2", "[ 1]"):
            lines.append(head + end)
    # lines without a letter or digit, around the length where they would read as prose
    for mark in ("-", "=-", ".", "* ", "─", "🙂", "۔", "_"):
        for n in (44, 45, 46, 300, 301):
            lines.append((mark * n)[:n])
    lines += ["-" * 60 + "x", "=" * 50 + "٣", "." * 50 + "五"]
    return lines


def test_line_step_in_c_equals_its_python_twin():
    # tasks/_native.c line_entry / line_columns and rule_match do the per-line step (features and
    # rule matching); without a compiler _line_entry and LineRules.match_py do. Same answers,
    # line by line, deep and not.
    from tasks import _native
    from tasks import clean_text as ct
    from tasks import rules as rl

    assert ct._native_line_columns is not None and rl._rule_match is not None   # `pip install -e .` builds them
    rules = rl.get_rules()
    cfg = TextCleanConfig()
    plan = ct._line_plan(rules, cfg)
    lines = _twin_lines()
    hits = Counter()
    want_all = []
    for s in lines:
        want = ct._line_entry(s, rules, cfg.deep_match_chars, cfg.prose_chars, cfg.punct_prose_chars)
        want_all.append(want)
        assert _native.line_entry(s, plan) == want, s
        hits[want[2] is not None] += 1
        low = s.casefold()
        key = rl.folded_line_key(low)
        for deep in (False, True):
            assert rules.match(s, key, low, deep) == rules.match_py(s, key, low, deep), s
    assert hits[True] > 1000 and hits[False] > 1000      # both outcomes are exercised
    assert sum(w[2] == "share_toolbar" for w in want_all) > 50     # and the toolbar test
    assert sum(w[2] == "navigation" and w[5] >= 400 for w in want_all) > 50     # and the run-on test
    # a page's columns: blank lines from the cache, a line repeated, lines past the cache limit
    page = ["", *lines[:300], "", lines[5], "y" * 350, "y" * 350]
    cache = {"": ct._BLANK_ENTRY}
    cols = _native.line_columns(page, cache, plan, 300)
    want_page = [ct._BLANK_ENTRY if not s else ct._line_entry(s, rules, cfg.deep_match_chars, cfg.prose_chars,
                                                               cfg.punct_prose_chars) for s in page]
    assert cols == tuple(zip(*want_page))
    assert "y" * 350 not in cache and lines[5] in cache and cache[lines[0]] == want_all[0]
    with pytest.raises(TypeError):
        _native.line_entry("x", ("not", "a", "plan"))
    with pytest.raises(ValueError):
        _native.line_entry("", plan)


@pytest.mark.parametrize("step", ["_native_paragraph_reasons", "_native_block_scores"])
def test_page_steps_in_c_equal_their_python_twins(monkeypatch, step):
    # tasks/_native.c paragraph_reasons turns the block into paragraphs and gives every other line
    # its reason, block_scores scores the lines for the choice of the block; _paragraphs_and_reasons_py
    # and _block_scores_py do without a compiler. Same paragraphs, same removed lines and reasons, on
    # pages of every kind of line, a glued credit, comments, a page memory's lines too.
    import random

    from tasks import clean_text as ct

    assert getattr(ct, step) is not None      # `pip install -e .` builds it
    lines = _twin_lines()
    rnd = random.Random(11)
    pages = ["\n".join(rnd.choice(lines) for _ in range(rnd.randint(1, 80))) for _ in range(300)]
    pages.append("\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home", "World",
                            "BAGHDAD (Reuters) - " + EN_BODY[0], *EN_BODY[1:], EN_BODY[1], "Comments", "Nice article!",
                            "Related", "Another story of the day", "Home", "World"]))
    refrain = "And the river keeps rising, the river keeps rising, and nobody on the hill is listening to us."
    for tail in ([refrain, "Home"], ["Home"]):
        pages.append("\n".join(["A story about the harbour - Example News", "Home", EN_BODY[0], refrain, refrain,
                                "Share on Facebook", refrain, *EN_BODY[1:], *tail]))
    memory = SiteMemory(min_pages=1)
    memory.add_page(site_line_fingerprints("Home\nWorld"))

    def fields(c):
        return c.paragraphs, [(r.line_no, r.text, r.reason) for r in c.removed], c.dateline, c.byline

    compiled = [fields(clean_text(p)) for p in pages] + [fields(clean_text(p, None, memory)) for p in pages[-5:]]
    monkeypatch.setattr(ct, step, None)
    assert [fields(clean_text(p)) for p in pages] + [fields(clean_text(p, None, memory)) for p in pages[-5:]] \
        == compiled
    assert compiled[-8][2] == "BAGHDAD" and compiled[-8][0].count(EN_BODY[1]) == 1     # (printed twice: kept once)
    # a refrain kept three times; with one more copy under other paragraphs, a repeated line, kept once
    assert compiled[-7][0].count(refrain) == 1 and compiled[-6][0].count(refrain) == 3
    assert {r for _, _, r in [x for c in compiled for x in c[1]]} >= {
        "navigation", "repeated_in_page", "off_block", "user_comment", "related_links"}
    with pytest.raises(TypeError):
        ct._native_paragraph_reasons(*([None] * 22))
    with pytest.raises(TypeError):
        ct._native_block_scores(*([None] * 25))


def test_page_steps_in_c_reject_a_malformed_page():
    # a page's columns of different lengths, a line number past them: an exception, no crash
    from tasks import _native
    from tasks.records import RemovedLine

    kc = Counter({"a": 1, "b": 1})
    ok = _native.paragraph_reasons([0, 1], ["a", "b"], ["a", "b"], kc, [True, False], [1, 2], {}, {}, {0}, set(),
                                   {}, {}, frozenset(), 0, 1, 3, 10.0, 3, "0 ", lambda s: s, lambda k: False,
                                   RemovedLine)
    assert ok == (["a"], [RemovedLine(2, "b", "footer_zone")])
    with pytest.raises(ValueError):
        _native.paragraph_reasons([0], ["a", "b"], ["a"], kc, [True, False], [1, 2], {}, {}, {0}, set(), {}, {},
                                  frozenset(), 0, 0, 3, 10.0, 3, "0 ", lambda s: s, lambda k: False, RemovedLine)
    scores = ([5], ["a"], ["a"], kc, [True], [1], [True], {}, {}, {}, frozenset(), -1, set(), set(), set(), 0,
              lambda s: None, lambda s: False, 100.0, 600.0, -1e9, -45.0, -150.0, -18.0, -45.0)
    with pytest.raises(IndexError):
        _native.block_scores(*scores)
    with pytest.raises(ValueError):
        _native.block_scores([0], ["a"], ["a"], kc, [True], [1], [True, False], *scores[7:])
    assert _native.block_scores([0], *scores[1:]) == ([1], [])


def test_the_pure_python_cleaner_gives_the_same_pages(monkeypatch):
    # Without a C compiler the cleaner runs its Python twins end to end (the line step, the
    # matcher, the block finding): the same pages must come out, every field and removed line.
    import random

    from tasks import clean_text as ct
    from tasks import rules as rl

    lines = _twin_lines()
    rnd = random.Random(8)
    from tests.conftest import SAMPLES_RAW

    pages = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES_RAW.glob("*.txt"))]
    pages += ["\n".join(rnd.choice(lines) for _ in range(rnd.randint(5, 60))) for _ in range(150)]

    def fields(c):
        return (c.title, c.paragraphs, [(r.line_no, r.text, r.reason) for r in c.removed], c.dateline, c.byline,
                c.site_name, c.page_date, c.published_at, c.language)

    compiled = [fields(clean_text(p)) for p in pages]
    monkeypatch.setattr(ct, "_native_line_columns", None)
    monkeypatch.setattr(ct, "_max_segments", None)
    monkeypatch.setattr(ct, "_native_paragraph_reasons", None)
    monkeypatch.setattr(ct, "_native_block_scores", None)
    monkeypatch.setattr(rl, "_rule_match", None)
    monkeypatch.setattr(ct, "_CACHES", {})          # no line entry the compiled step computed
    assert [fields(clean_text(p)) for p in pages] == compiled


_BLURBS = [f"Our sister site number {n} brings you the latest news, interviews and reports from the whole "
           f"industry, with daily market prices, job offers and a calendar of the trade fairs." for n in range(9)]
# under a short article: tags, a list of other stories, the footer and a network's blurbs (more prose than the article)
_FOOTER_BLURBS_AFTER_THE_ARTICLE = ["Keywords", "Iraq", "Syria", "Most read",
                                    *[f"Headline number {n} of another story on the site" for n in range(12)],
                                    "Contact", "Advertise", "Terms", "Our network", *_BLURBS]


def test_headline_printed_with_a_section_label_glued_after_it_anchors_the_article():
    """A dump that glues the headline to its section label ("<headline> World") still prints the
    headline: the short article right after it wins over a longer block of blurbs in the footer."""
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News",
                      "Home", "World", "Politics", "Business",
                      "Iraq and Syria agree on joint operations centre World",
                      *EN_BODY, *_FOOTER_BLURBS_AFTER_THE_ARTICLE])
    c = clean_text(page)
    assert c.title == "Iraq and Syria agree on joint operations centre"
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    assert r["Iraq and Syria agree on joint operations centre World"] == "title_repeat"
    assert all(b in r for b in _BLURBS)


def test_headline_named_in_a_title_with_its_section_path_anchors_the_article():
    """'News - Health - <headline>': the page prints the headline alone, then its article; a
    longer block of blurbs further down does not win, and the printed headline is the title."""
    headline = "Iraq and Syria agree on joint operations centre"
    page = "\n".join([f"News - World & Politics - {headline}",
                      "Home", "World", "Politics", "Business",
                      headline, "Published: 4 January 2012",
                      *EN_BODY, *_FOOTER_BLURBS_AFTER_THE_ARTICLE])
    c = clean_text(page)
    assert c.title == headline
    assert c.paragraphs == EN_BODY
    assert reasons(c)[headline] == "title_repeat"


def test_a_site_name_from_the_title_printed_inside_the_article_is_not_its_headline():
    """A part of the <title> printed more than once (the site's name over an address block inside
    the article) is not the headline, even where a sentence follows one of its printings."""
    site = "Harbour Rowing Federation of the Coast"
    more = ["The older delegation members said the talks had been the most open in years and would continue in the spring.",
            "Both governments promised to publish a joint report on the results of the centre before the end of the year.",
            "Diplomats in the region welcomed the agreement but warned that much would depend on the militias in the south.",
            "The centre will be staffed by officers from both armies and is expected to open in a former airbase next month."]
    last = "Its first task will be to map the smuggling routes that the militants have used to move fighters across the desert."
    address = [site, "Rowing department", "Mrs Jane Miller", "12 Harbour Street", "PO1 2AB Portsmouth",
               "Phone: 01234 567 890", "Fax: 01234 567 891", "Open Monday to Thursday"]
    page = "\n".join([f"Rowing - News - Rowing | {site}", "Home", "News", "Clubs",
                      *EN_BODY, *address, *more, site, "Bank: 1234 5678", last])
    c = clean_text(page)
    assert [p for p in c.paragraphs if p in EN_BODY + more + [last]] == EN_BODY + more + [last]
    assert [r.reason for r in c.removed if r.text == site] == ["repeated_in_page", "repeated_in_page"]


def test_headline_printed_with_other_punctuation_anchors_the_article():
    """The <title> says 'VIDEO. Iraq and Syria ...', the page prints 'VIDEO Iraq and Syria ...':
    the same headline, so the article after it wins over a longer block of blurbs further down."""
    page = "\n".join(["Border talks: what comes next? VIDEO. Iraq and Syria agree on joint operations centre",
                      "Home", "World", "Politics", "Business",
                      "Border talks: what comes next? VIDEO Iraq and Syria agree on joint operations centre",
                      *EN_BODY, *_FOOTER_BLURBS_AFTER_THE_ARTICLE])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert reasons(c)["Border talks: what comes next? VIDEO Iraq and Syria agree on joint operations centre"] == "title_repeat"


def test_chinese_sentences_ending_in_a_credit_are_prose():
    """A Chinese paragraph whose last sentence is followed by the agency's credit ("。新华社发")
    does not end in punctuation, but its sentences make it prose: it is the article, not the
    reprint disclaimer under it (a legal line)."""
    body = ("以巧克力为主题的“上海世界巧克力梦公园”今日将在上海浦东正式开园。“梦公园”位于浦东喜马拉雅中心内，"
            "由巧克力制作的上海外滩景观、兵马俑、敦煌石窟等作品将与公众见面。新华社发")
    disclaimer = ("• 凡注明为其他媒体来源的信息，均为转载自其他媒体，转载并不代表本网赞同其观点，"
                  "也不代表本网对其真实性负责。如有侵权，请与本网联系，我们将及时处理。")
    page = "\n".join(["巧克力梦公园今日开园_娱乐_新民网", "首页", "新闻", "娱乐", "体育",
                      "您现在的位置：首页 > 娱乐 > 正文", "巧克力梦公园今日开园", "2011-12-16 01:01 来源：北京娱乐信报",
                      body, "上海滩爆料平台 最高奖励500元>>", "声明：", disclaimer, "网友评论", "发表评论"])
    c = clean_text(page)
    assert c.paragraphs == [normalize_text(body)]
    assert reasons(c)[disclaimer] == "copyright"


def test_numbered_list_right_after_the_article_continues_it():
    """'Here are the offers: 1) … 2) … 3) …' right under the last paragraph is the article's own
    list (its links are still junk); a list of other articles comes under a header of its own."""
    items = ["1) Lego Star Wars bomber of the Resistance", "2) Electric racing track with two cars",
             "3) Blade Runner, the final cut on Blu-ray", "4) Complete collection of a detective series"]
    links = [f"http://amzn.to/item{n}" for n in range(4)]
    page = "\n".join(["Black Friday offers for nostalgic readers - Example News", "Home", "Tech", "Deals",
                      *EN_BODY, *[x for pair in zip(items, links) for x in pair],
                      "Most read", "Headline of another story on the site", "Headline of a second story on the site",
                      "Headline of a third story on the site"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY + items
    r = reasons(c)
    assert all(r[link] == "junk" for link in links)
    assert r["Headline of another story on the site"] == "related_links"


def test_a_list_the_last_paragraph_announces_continues_the_article():
    """"The 2020 dates:" then a list of short lines the page prints once and no rule tags: the
    article's own list, up to the box after it; not a box's links ("… | more") nor a run under a
    related header ("More videos")."""
    dates = ["June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL", "June 10 -- Credit Union Amphitheatre, Tampa, FL",
             "June 14 -- Bank Amphitheatre, Alpharetta, GA", "June 17 -- Bridgestone Arena, Nashville, TN"]
    intro = "The band's 50th Anniversary Tour will play these 2020 dates:"
    others = ["Most read", "Headline of another story on the site", "Headline of a second story on the site",
              "Headline of a third story on the site"]
    page = "\n".join(["The band sets its 2020 tour - Example News", "Home", "Music", "Tours", *EN_BODY, intro, *dates,
                      *others])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY + [intro] + dates
    assert reasons(c)[others[1]] == "related_links"
    # French sets its colon apart: the colon is no fifth word of a box's header
    c = clean_text(page.replace(intro, "Dates de tournée :"))
    assert c.paragraphs[-1] == EN_BODY[-1]
    # a header of a word or three is no announcing sentence
    c = clean_text(page.replace(intro, "Tour dates:"))
    assert c.paragraphs[-1] == EN_BODY[-1]
    # a box's links
    linked = [f"{d} | more" for d in dates]
    c = clean_text(page.replace("\n".join(dates), "\n".join(linked)))
    assert not set(linked) & set(c.paragraphs)
    # a toolbar that a dumper glued to the last paragraph, ending in "Share it:", announces nothing
    # (its words twice each: a link's icon and its text)
    bar = "Send by email Send Print Print Text size Text size Share it Share it:"
    c = clean_text(page.replace(intro, EN_BODY[-1] + " " + bar).replace(EN_BODY[-1] + "\n", "", 1))
    assert not set(dates) & set(c.paragraphs)
    # a box's header that reads as a sentence is a rule's: its teasers are no list of the article's
    c = clean_text(page.replace(intro, "You might also be interested in:"))
    assert c.paragraphs == EN_BODY
    # the items under a related header
    c = clean_text(page.replace(dates[0], "More videos"))
    assert c.paragraphs[-1] == intro
    assert reasons(c)["More videos"] == "related_links"


def test_prose_block_above_the_printed_headline_is_not_merged_into_the_article():
    """A ticker of other headlines flattened into one long line sits above the headline: the
    article starts under its headline, so the block above does not join it across it."""
    ticker = " ".join(["Court admits plea on the army chief", "Striker threatens walkout over unpaid wages",
                       "Health officials begin culling poultry", "Cabinet clears new rules for private growers",
                       "Magazine editor gets anticipatory bail", "Bank posts higher quarterly profit",
                       "Party says poll body ruling on statues is unfair", "Defence ties set to grow stronger",
                       "Squads for the series to be named on Sunday", "Industry promised steps to boost output",
                       "Drone strikes resume near the border", "Rupee ends three-day rally against the dollar"])
    headline = "Iraq and Syria agree on joint operations centre"
    page = "\n".join([f"{headline} - Example News", "Home", "World", ticker,
                      f"You are here: Home » World » {headline}", headline, *EN_BODY, "Share", "Go to Top"])
    c = clean_text(page)
    assert c.title == headline
    assert c.paragraphs == EN_BODY
    assert ticker in reasons(c)


RUN_ON_TAGS = " ".join(["antibiotics", "cancer", "caring for our future", "chief nursing officer", "children",
                        "clinical commissioning", "dementia", "diabetes", "drugs", "emergency care", "flu",
                        "general practice", "health visitors", "hospitals", "immunisation", "learning disabilities",
                        "long term conditions", "maternity", "mental health", "midwives", "nurses", "obesity",
                        "older people", "organ donation", "patient safety", "pharmacy", "public health",
                        "screening", "sexual health", "smoking", "social care", "stroke", "winter pressures"])


def test_a_long_line_of_tags_run_together_is_navigation():
    """A tag cloud flattened into one 400-character line, with no sentence end in it, is a menu."""
    assert len(RUN_ON_TAGS) >= 400
    page = "\n".join([EN_PAGE, "Topics", RUN_ON_TAGS, "Share", "Print"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert reasons(c)[RUN_ON_TAGS] == "navigation"


def test_long_lines_of_code_and_of_unpunctuated_scripts_are_not_run_ons():
    """Thai prose has no sentence punctuation and a SQL query has brackets instead: neither
    is a list run together."""
    thai = ["กรุงเทพมหานครประกาศแผนพัฒนาระบบขนส่งสาธารณะฉบับใหม่ในวันพุธ " * 8,
            "ผู้ว่าราชการกล่าวว่าโครงการนี้จะช่วยลดปัญหาการจราจรติดขัดในใจกลางเมือง " * 7,
            "นักวิเคราะห์ระบุว่าการลงทุนดังกล่าวอาจส่งผลดีต่อเศรษฐกิจของประเทศในระยะยาว " * 7]
    thai = [t.strip() for t in thai]
    assert all(len(t) >= 400 for t in thai)
    c = clean_text("\n".join(["แผนพัฒนาระบบขนส่งสาธารณะฉบับใหม่", *thai, "แชร์"]))
    assert c.paragraphs == thai
    query = ("WITH calculations_over_window AS ( SELECT status_code, period, entries, AVG(entries) OVER "
             "status_window AS mean_entries, STDDEV(entries) OVER status_window AS stddev_entries FROM "
             "server_log_summary WINDOW status_window AS ( PARTITION BY status_code ORDER BY period ROWS "
             "BETWEEN 60 PRECEDING AND CURRENT ROW ) ) SELECT * FROM calculations_over_window WHERE "
             "period = '2020-08-01 17:20:00+00' AND status_code = 400 ORDER BY period DESC LIMIT 20")
    assert len(query) >= 400
    body = [*EN_BODY, "The query the analysts ran over the logs:", query]
    c = clean_text("\n".join(["Iraq and Syria agree on joint operations centre - Example News", *body]))
    assert c.paragraphs == body


def test_article_continues_below_an_inline_widget_longer_than_a_gap():
    """'Continue Reading Below' over a stock ticker: 16 short cells (one of them 'Last', which
    elsewhere is pagination) stand between the first paragraph and the rest; the rest is still
    the article."""
    ticker = ["Ticker", "Security", "Last", "Change", "Change %", "HD", "THE HOME DEPOT INC.", "225.86",
              "-12.99", "-5.44%", "LOW", "LOWE'S COMPANIES INC.", "113.40", "-1.62", "-1.41%"]
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News",
                      "Iraq and Syria agree on joint operations centre", EN_BODY[0], "Continue Reading Below",
                      *ticker, *EN_BODY[1:], "Related Articles", "Markets rally on rate hopes",
                      "Oil slips as stocks build up"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    r = reasons(c)
    assert r["Continue Reading Below"] == "advertisement"
    assert all(cell in r for cell in ticker)


def test_long_licence_note_after_the_copyright_line_is_not_the_article():
    """A licence note of 500+ characters after "© …" reads as a paragraph; past the block's last
    legal line, its first characters get every pattern and tell it is one."""
    note = ("Żadna część jak i całość utworów zawartych w dzienniku nie może być powielana i rozpowszechniana "
            "lub dalej rozpowszechniana w jakiejkolwiek formie i w jakikolwiek sposób (w tym także elektroniczny "
            "lub mechaniczny lub inny albo na wszelkich polach eksploatacji) włącznie z kopiowaniem, szeroko "
            "pojętą digitalizacją, fotokopiowaniem lub kopiowaniem, w tym także zamieszczaniem w Internecie - bez "
            "pisemnej zgody wydawcy. Jakiekolwiek użycie lub wykorzystanie utworów w całości lub w części bez "
            "zgody wydawcy lub autorów z naruszeniem prawa jest zabronione pod groźbą kary.")
    assert len(note) > 500
    body = ["Rząd przyjął w środę projekt ustawy o ochronie wybrzeża, poinformowało ministerstwo w komunikacie.",
            "Opozycja skrytykowała projekt jako zbyt ostrożny i zażądała surowszych przepisów dla portów.",
            "Minister powiedział wieczorem, że rząd będzie chronił wybrzeże tak szybko, jak to możliwe."]
    page = "\n".join(["Rząd przyjął projekt ustawy o ochronie wybrzeża | Example", *body,
                      "© Wszystkie prawa zastrzeżone", note, "Napisz do redakcji"])
    c = clean_text(page)
    assert c.paragraphs == body
    assert reasons(c)[note] == "copyright"


def test_a_long_run_of_chrome_lines_does_not_carry_the_block_to_a_promo():
    """Twenty short lines in a row (a staff list) weigh more past the fifteenth: the promo
    paragraphs under them no longer pull the block across."""
    staff = ["Editorial", "David Miller", "Doreen March", "David Emery", "Bond Huber", "Jordan Lyles", "Alex Kasper",
             "Dan McGill", "Bethany Palmer", "Liz Donald", "Operations", "Vinny Green", "Ryan Millerton", "Chris Reilly",
             "Chad Orton", "Elyssa Young", "Brandon Hill", "Sarah Stone", "Tom Becker", "Mia Lorenz"]
    promo = ["Most of our assignments begin when readers ask us whether something is true, and those tips launch our "
             "team of fact-checkers on sprints across a vast range of political and scientific topics every day.",
             "We do this work every day at no cost to you, but it is far from free to produce, and we cannot afford to "
             "slow down, so please consider supporting our newsroom with a monthly contribution today."]
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News",
                      "Iraq and Syria agree on joint operations centre", *EN_BODY, *staff, *promo, "Share"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert all(p in reasons(c) for p in promo)


def test_a_columnist_under_the_headline_and_a_credit_before_its_date_are_bylines():
    body = ["يتساءل كثيرون اليوم عن مستقبل الوظائف في عالمنا العربي في ظل التسارع الكبير لتقنيات الذكاء الاصطناعي.",
            "والحقيقة أن التجارب السابقة مع الثورات الصناعية تشير إلى أن التقنية تغير طبيعة العمل أكثر مما تلغيه.",
            "إن الاستثمار في التعليم والتدريب المستمر هو السبيل الوحيد لتأهيل الشباب لوظائف المستقبل."]
    page = "\n".join(["الشرق", "الرئيسية", "محليات", "رأي", "الذكاء الاصطناعي وسوق العمل العربي", "د. خالد العمري",
                      "الاثنين 23 نوفمبر 2026", *body, "مقالات أخرى للكاتب", "التحول الرقمي في التعليم"])
    c = clean_text(page)
    assert (c.paragraphs, c.byline, c.published_at) == (body, "د. خالد العمري", dt.datetime(2026, 11, 23))
    assert reasons(c)["د. خالد العمري"] == "byline"
    page = "\n".join(["Minister opens a renewable energy conference - Daily Courier", "Home", "News",
                      "Minister opens a renewable energy conference", "By Louie Smith 17/01/2012", *EN_BODY,
                      "Share", "Most read"])
    c = clean_text(page)
    assert (c.paragraphs, c.byline, c.published_at) == (EN_BODY, "Louie Smith", dt.datetime(2012, 1, 17))


def test_a_share_toolbar_above_the_article_links_to_mail_and_comments():
    """'E-Mail' and 'Kommentare' in the share bar under the standfirst are links (send by mail, go
    to the comments): the article under them is no reader's comment, and the standfirst goes on
    into it. The same bar under the article still opens the comments."""
    standfirst = ("Der Bundestag hat das umstrittene Klimapaket verabschiedet. Pendler werden entlastet, "
                  "Heizöl und Benzin werden teurer.")
    body = ["Der Bundestag hat am Freitag das Klimaschutzpaket der Bundesregierung beschlossen. Für das Gesetz "
            "stimmten die Abgeordneten von Union und SPD.",
            "Kern des Pakets ist ein Preis für den Ausstoß von Kohlendioxid im Verkehr und beim Heizen. Er soll "
            "2021 bei zehn Euro pro Tonne beginnen.",
            "Im Gegenzug sollen Pendler mit einer höheren Pauschale entlastet werden. Auch die Mehrwertsteuer auf "
            "Bahntickets sinkt."]
    bar = ["Artikel teilen", "Facebook", "Twitter", "E-Mail", "Kommentare"]
    comment = ("Ich finde das Paket viel zu schwach, damit erreichen wir die Klimaziele niemals, und die Pendler "
               "auf dem Land zahlen am Ende die Zeche.")
    page = "\n".join(["Bundestag beschließt Klimapaket - Beispiel-Zeitung", "Politik", "Wirtschaft",
                      "Bundestag beschließt Klimapaket", standfirst, "Von Anna Schmidt", "24.11.2019, 18.32 Uhr",
                      *bar, *body, *bar, comment])
    c = clean_text(page)
    assert c.paragraphs == [standfirst, *body]
    by_line = {x.line_no: x.reason for x in c.removed}
    assert [by_line[n] for n in range(8, 13)] == ["share"] * 5              # the bar under the standfirst
    assert [by_line[n] for n in range(16, 21)][-2:] == ["comment_form", "comment_count"]   # ... under the article
    assert reasons(c)[comment] == "user_comment"


def test_an_inline_related_box_is_related_links_and_ends_where_the_article_goes_on():
    body = EN_BODY
    page = "\n".join(["Minister opens a renewable energy conference - Daily Courier", "Home", "News",
                      "Minister opens a renewable energy conference", body[0], "Related articles",
                      "Wind farm plans approved by the council", *body[1:], "Contact the newsroom"])
    c = clean_text(page)
    assert c.paragraphs == body
    r = reasons(c)
    assert r["Wind farm plans approved by the council"] == "related_links"
    assert r["Contact the newsroom"] != "related_links"        # the box ended: the article went on


def test_teasers_that_end_like_sentences_under_a_related_header_close_the_article():
    # a teaser may end in "!" or "?" (a sentence's end): under the header that opened a list of
    # other articles, lines a headline long end the article; a paragraph under the box goes on with it
    page = ["Minister opens a renewable energy conference - Daily Courier", "Home", "News",
            "Minister opens a renewable energy conference", *EN_BODY, "Related articles",
            "Ten kitchen gadgets you never knew you needed until today!", "Is this really the end of the petrol car in Europe?",
            "Newsletter"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == EN_BODY
    assert reasons(c)["Is this really the end of the petrol car in Europe?"] == "related_links"
    last = ("The conference continues on Tuesday with sessions on storage, grid connections and the training "
            "of engineers, and the minister is expected to return for the closing debate on Thursday evening.")
    c = clean_text("\n".join(page[:-3] + ["Ten kitchen gadgets you never knew you needed until today!", last, "Newsletter"]))
    assert c.paragraphs[:len(EN_BODY)] == EN_BODY and c.paragraphs[-1] == last
    # "Related: <headline>" on one line is a teaser inside the article, not the header of a list:
    # the short sentence after it is the article's
    close = "The minister is expected to speak again on Thursday evening."
    c = clean_text("\n".join(page[:-4] + ["Related: Wind farm plans approved", close, "Newsletter"]))
    assert c.paragraphs[:len(EN_BODY)] == EN_BODY and c.paragraphs[-1] == close
    # the dot of "2012 г." (an abbreviation of one letter) ends no sentence: a teaser's date stamp
    body = ["Вооруженные мужчины ворвались в церковь во время службы и открыли огонь по прихожанам, погибли шесть человек.",
            "Как рассказал журналистам пастор, нападение произошло накануне вечером, когда в церкви находились десятки людей.",
            "Ответственность за нападение пока никто на себя не взял, полиция начала расследование и ищет свидетелей."]
    page = ["В церкви открыли огонь: шесть прихожан убиты - Новости", "Главная", "В мире",
            "В церкви открыли огонь: шесть прихожан убиты", *body, "Ссылки по теме:",
            "Исламисты выгоняют христиан с севера страны под угрозой геноцида",
            "// Новости дня // В мире и в России // 3 января 2012 г.",
            "После серии терактов в стране начались погромы", "// Новости дня // В мире и в России // 26 декабря 2011 г.",
            "Реклама"]
    assert clean_text("\n".join(page)).paragraphs == body


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_poll_inside_the_article_is_a_poll_and_the_article_goes_on_under_it(lang):
    body = {"en": ["The council approved the harbour plan on Monday after a debate that lasted most of the night.",
                   "Work on the new quay is to start in the spring and should take two years, the mayor said.",
                   "The opposition said it would challenge the decision in court, citing procedural errors.",
                   "Residents of the old town have complained for years about lorries using the narrow streets."],
            "ar": ["أقر مجلس المدينة يوم الاثنين خطة توسيع الميناء بعد نقاش استمر معظم ساعات الليل.",
                   "ومن المقرر أن تبدأ الأعمال في الرصيف الجديد في فصل الربيع وتستغرق عامين، بحسب رئيس البلدية.",
                   "وقالت المعارضة إنها ستطعن في القرار أمام المحكمة بسبب أخطاء إجرائية.",
                   "ويشتكي سكان البلدة القديمة منذ سنوات من مرور الشاحنات في الشوارع الضيقة."]}[lang]
    poll = {"en": ["Poll", "Do you support the new harbour plan?", "Yes", "No", "Don't know", "Vote"],
            "ar": ["استطلاع رأي", "هل تؤيد خطة توسيع الميناء؟", "نعم", "لا", "لا أعرف", "التصويت"]}[lang]
    page = ["Harbour plan approved", *body[:2], *poll, *body[2:], "Contact"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == body
    r = reasons(c)
    assert {r[line] for line in poll} == {"poll"}
    # the header alone, with no button under it, says nothing of the lines that follow it
    c = clean_text("\n".join(["Harbour plan approved", *body[:2], *poll[:-1], *body[2:], "Contact"]))
    assert reasons(c)[poll[0]] == "poll" and reasons(c).get(poll[2]) != "poll"


@pytest.mark.parametrize("split", [1, 3])
def test_a_table_flattened_one_cell_a_line_does_not_end_the_article(split):
    body = ["Turnout rose in every region in Sunday's local elections, official results published on Monday show.",
            "The electoral commission said 61 percent of registered voters cast a ballot, up from 54 percent in 2022.",
            "Analysts attributed the rise to a close race for several city councils and to the new option of voting by post.",
            "The commission will publish the final distribution of seats on Wednesday, after the last recounts."]
    table = ["Region", "Turnout 2022", "Turnout 2026", "North", "52%", "63%", "South", "55%", "61%",
             "East", "54%", "62%", "West", "56%", "64%"]
    page = ["Election results: turnout rises in all regions - Daily Courier", "Home", "Politics",
            "Election results: turnout rises in all regions", *body[:split], *table, *body[split:],
            "Share", "Related articles", "Mayor concedes defeat in tight race"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == [*body[:split], *table, *body[split:]]


def test_a_chinese_sentence_announces_its_list_right_under_the_article():
    """'会议确定了以下几项措施：' (too short for prose, so under the block, not in it) announces the
    items after it, and the closing sentence follows them; '分享到：' announces nothing."""
    body = ["国务院总理主持召开国务院常务会议，部署进一步支持农业发展的措施，确保粮食安全和重要农产品稳定供给。",
            "会议指出，今年以来我国农业生产总体平稳，但部分地区遭受严重干旱，农民收入增长面临压力。"]
    items = ["加大对受灾地区的财政补贴", "延长农业贷款还款期限", "免费发放种子和化肥"]
    page = "\n".join(["国务院出台措施支持农业发展_新闻中心_新浪网", "新浪首页", "新闻", "国务院出台措施支持农业发展",
                      "2026年11月24日 10:30", *body, "会议确定了以下几项措施：", *items,
                      "会议要求各地区各部门抓好落实。", "相关新闻", "农业农村部部署秋冬种工作"])
    c = clean_text(page)
    assert c.paragraphs == [normalize_text(p) for p in [*body, "会议确定了以下几项措施：", *items,
                                                        "会议要求各地区各部门抓好落实。"]]
    c = clean_text(page.replace("会议确定了以下几项措施：", "分享到："))
    assert c.paragraphs == [normalize_text(p) for p in body]
    # headlines run together, the last one cut at its colon: a space parts them, no sentence
    c = clean_text(page.replace("会议确定了以下几项措施：", "女子選後憂鬱 夜夜重播敗選感言 選前企業表態 調查："))
    assert not set(items) & set(c.paragraphs)


def test_a_short_gap_that_an_announced_list_fills_joins_the_article():
    """A four-word sentence announces three items between two parts of the article: the gap is
    short enough to cross anyway, and the list in it is the article's, not chrome left out of it."""
    body = ["МОСКВА, 24 ноя — РИА Новости. Правительство России утвердило пакет мер поддержки "
            "сельхозпроизводителей, пострадавших от засухи, сообщил премьер-министр на заседании кабмина.",
            "По его словам, засуха затронула более двадцати регионов страны, а ущерб аграриев оценивается в "
            "десятки миллиардов рублей."]
    listed = ["Пакет включает следующие меры:", "отсрочка по льготным кредитам на год;",
              "бесплатные семена и удобрения;", "компенсация за погибший урожай."]
    closing = "Реализация мер начнется с первого декабря, уточнил глава правительства."
    page = "\n".join(["Правительство утвердило меры поддержки аграриев - РИА Новости, 24.11.2026", "РИА Новости",
                      "Главное", "Политика", "Экономика", "Правительство утвердило меры поддержки аграриев",
                      "10:30 24.11.2026", *body, *listed, closing, "Читайте также:",
                      "Минсельхоз ожидает рекордный урожай зерна в следующем году", "Поделиться", "ВКонтакте",
                      "Одноклассники", "Telegram", "© 2026 МИА «Россия сегодня»"])
    c = clean_text(page)
    assert c.paragraphs == [body[0].split("РИА Новости. ", 1)[1], body[1], *listed, closing]


# the outlet's own name glued before the article as its credit (its name from the <title>)
AR_OUTLET_BODY = [
    "صوت مجلس النواب العراقي، مساء يوم الاثنين، على قانون الموازنة العامة الاتحادية للسنوات الثلاث المقبلة، "
    "بعد خلافات استمرت أسابيع بين الكتل السياسية حول عدد من المواد.",
    "وقال مصدر برلماني إن الجلسة شهدت حضور أكثر من 250 نائبا، وإن التصويت جرى على مواد القانون مادة مادة.",
    "وأضاف المصدر أن الخلافات تركزت على حصة الإقليم وآلية تسليم النفط المنتج فيه إلى شركة التسويق الوطنية.",
]


def _outlet_page(head: list[str], glued: str, body: list[str], tail: list[str]) -> str:
    return "\n".join(head + [glued + body[0]] + body[1:] + tail) + "\n"


@pytest.mark.parametrize("glue,extra_head,byline", [
    ("شفق نيوز/ ", [], "شفق نيوز"),
    ("شفق نيوز: ", [], "شفق نيوز"),
    # under a reporter's byline the outlet's name is still cut off; the byline stays the reporter's
    ("شفق نيوز/ ", ["كتب محمد علي"], "محمد علي"),
])
def test_the_outlets_name_glued_to_the_first_paragraph_is_its_credit(glue, extra_head, byline):
    headline = "البرلمان العراقي يصوت على قانون الموازنة"
    page = _outlet_page([f"{headline} | شفق نيوز", "الرئيسية", "سياسة", "اقتصاد", headline] + extra_head, glue,
                        AR_OUTLET_BODY, ["مواضيع ذات صلة", "الحكومة تحدد موعد صرف الرواتب", "© شفق نيوز 2024"])
    c = clean_text(page)
    assert (c.title, c.site_name, c.byline, c.dateline) == (headline, "شفق نيوز", byline, None)
    assert c.paragraphs == AR_OUTLET_BODY
    assert_accounted(page, c)


def test_the_place_and_a_word_of_the_outlets_name_glued_to_the_first_paragraph():
    headline = "الحكومة ترفع أسعار المحروقات للشهر الثالث"
    page = _outlet_page([f"{headline} - جريدة الغد", "محليات", "اقتصاد", headline], "عمان - الغد - ",
                        AR_OUTLET_BODY, ["طباعة", "العودة إلى الأعلى"])
    c = clean_text(page)
    assert (c.dateline, c.byline, c.paragraphs) == ("عمان", "الغد", AR_OUTLET_BODY)
    # another outlet's page: the same words stay in the article
    other = clean_text(page.replace(" - جريدة الغد", " - جريدة الرأي"))
    assert other.paragraphs[0].startswith("عمان - الغد - صوت") and other.byline is None


# a "Published:" stamp under the article (the stamps above it are taken first); a stamp under the
# headline whose labels no table knows: its first date is the publication's
@pytest.mark.parametrize("stamp,when,under_headline", [
    ("نشر في: 30 أيلول 2019 الساعة 22:10", dt.datetime(2019, 9, 30, 22, 10), False),
    ("Erstellt am: 01.11.2023", dt.datetime(2023, 11, 1), False),
    ("Published: Monday, November 18th, 2019 at 11:08 a.m.", dt.datetime(2019, 11, 18, 11, 8), False),
    ("Giriş: 21.11.2024 14:02 Güncelleme: 21.11.2024 14:15", dt.datetime(2024, 11, 21, 14, 2), True),
    ("03.01.2012 , aktualizacja: 03.01.2012 11:13", dt.datetime(2012, 1, 3), True),
    ("guardian.co.uk, Wednesday 14 December 2011 18.29 GMT", dt.datetime(2011, 12, 14, 18, 29), True),
])
def test_a_publication_stamp(stamp, when, under_headline):
    headline = "البرلمان العراقي يصوت على قانون الموازنة"
    head = [headline, "الرئيسية", "سياسة", headline]
    lines = [stamp, *AR_OUTLET_BODY] if under_headline else [*AR_OUTLET_BODY, stamp, "طباعة"]
    c = clean_text("\n".join(head + lines) + "\n")
    assert (c.published_at, c.page_date, c.paragraphs) == (when, None, AR_OUTLET_BODY)
    assert reasons(c)[stamp] == "metadata"


def test_a_stamp_of_unknown_labels_above_the_headline_is_no_publication_date():
    headline = "البرلمان العراقي يصوت على قانون الموازنة"
    above = "03.01.2012 , aktualizacja: 03.01.2012 11:13"
    c = clean_text("\n".join([headline, above, "الرئيسية", "سياسة", headline, *AR_OUTLET_BODY]) + "\n")
    assert c.published_at is None and c.paragraphs == AR_OUTLET_BODY


@pytest.mark.parametrize("related_header,n_teasers", [(["Related articles"], 2), ([], 3)])
def test_the_stamps_of_a_list_of_teasers_under_the_article_are_not_its_date(related_header, n_teasers):
    # under a related list's header, or three stamps and more: other articles' dates
    headline = "Council votes to close the harbour for the winter"
    body = ["The council voted on Tuesday to close the harbour for the winter, after a long debate about the costs.",
            "The mayor said the decision would be reviewed in the spring, when the new budget is presented.",
            "Fishermen said they would protest outside the town hall on Friday morning, as they did last year."]
    teasers = ["Published: 07.12.2011", "Harbour fees to rise", "Published: 10.11.2011", "New ferry for the island",
               "Published: 27.10.2011", "Storm damages the pier"]
    page = "\n".join([headline, "Home", "News", headline] + body + related_header + teasers[:2 * n_teasers]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == body and c.published_at is None


@pytest.mark.parametrize("caps,plain,reason", [
    ("ΣΧΕΤΙΚΑ ΑΡΘΡΑ", "Σχετικά άρθρα", "related_links"),
    ("ΔΙΑΒΑΣΤΕ ΕΠΙΣΗΣ", "Διαβάστε επίσης", "related_links"),
    ("ΕΚΤΥΠΩΣΗ", "Εκτύπωση", "print"),
])
def test_greek_chrome_in_capitals_without_its_accents(caps, plain, reason):
    # Greek capitals drop the tonos: the rules see the line without it, as the tables' phrases
    headline = "Η Βουλή ψήφισε τον προϋπολογισμό του 2012"
    body = ["Η Βουλή ψήφισε χθες το βράδυ τον προϋπολογισμό του 2012, μετά από πενθήμερη συζήτηση στην Ολομέλεια.",
            "Υπέρ ψήφισαν 258 βουλευτές, ενώ κατά τάχθηκαν 41, σύμφωνα με την ανακοίνωση του προεδρείου.",
            "Ο υπουργός Οικονομικών δήλωσε ότι ο προϋπολογισμός είναι ο πιο δύσκολος των τελευταίων δεκαετιών."]
    for line in (caps, plain):
        page = "\n".join([headline, "Αρχική", "Πολιτική", headline] + body + [line, "Νέα μέτρα για τις συντάξεις"]) + "\n"
        c = clean_text(page)
        assert c.paragraphs == body and reasons(c)[line] == reason


@pytest.mark.parametrize("header,sources", [
    ("Quellenangaben:", ["₁ WWF (2020): Living Planet Report 2020, abrufbar unter https://www.wwf.de/living-planet-report.",
                         "₂ Umweltbundesamt (2021): Flächenverbrauch in Deutschland, abrufbar unter https://www.uba.de/flaeche."]),
    ("Sources", ["Congressional Budget Office, \"The Effects of Tariffs and Trade Barriers\", Aug. 22, 2019",
                 "Federal Reserve Board, \"Beige Book\", Oct. 16, 2019"]),
    ("المصادر", ["منظمة الصحة العالمية، تقرير الصحة في العالم 2020، جنيف.",
                 "وزارة الصحة، النشرة الإحصائية السنوية، 2021."]),
])
def test_the_sources_listed_under_the_article_are_not_its_text(header, sources):
    headline = "Flächenverbrauch: Warum wir weniger Ackerland bräuchten"
    body = ["Jeder von uns hat täglich die Chance, den Flächenverbrauch für die eigene Ernährung niedrig zu halten.",
            "Für ein Kilogramm Rindfleisch werden im Durchschnitt rund 27 Quadratmeter Ackerfläche gebraucht, sagen Forscher.",
            "Pflanzliche Lebensmittel brauchen dagegen nur einen Bruchteil davon, wie mehrere Studien gezeigt haben."]
    page = "\n".join([headline, "Startseite", "Blog", headline] + body + [header] + sources + ["Teilen", "Impressum"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == body
    assert {reasons(c)[line] for line in [header] + sources} == {"related_links"}


AR_BARE_NAME_BODY = [
    "أكد وزير الموارد المائية والري أن مصر لن تقبل بأي إجراء أحادي الجانب فيما يتعلق بملء وتشغيل سد النهضة، "
    "مشددا على أن الدولة تتابع الملف بكل دقة.",
    "وأضاف الوزير، خلال لقائه أعضاء لجنة الزراعة والري بمجلس النواب، أن المفاوضات الفنية مستمرة.",
    "وأشار إلى أن الحكومة تعمل على تنفيذ خطة قومية لترشيد استهلاك المياه تشمل تبطين الترع.",
]
EN_BARE_NAME_BODY = [
    "Britain could see its hottest day on record this week, with temperatures forecast to reach 39C in parts "
    "of the south-east on Thursday, the Met Office has said.",
    "The current UK record is 38.5C, set in Faversham, Kent, in August 2003, and forecasters put the chance at 30%.",
    "Network Rail said it would introduce speed restrictions on some lines because of the risk of tracks buckling.",
]


@pytest.mark.parametrize("headline,name,stamp,body", [
    ("وزير الري: مصر لن تقبل بأي إجراء أحادي", "محمد السيد", "الإثنين، 15 يوليو 2019 02:30 م", AR_BARE_NAME_BODY),
    ("Heatwave to bring record temperatures to UK this week", "Damien Gayle", "Mon 22 Jul 2019 13.45 BST",
     EN_BARE_NAME_BODY),
    # a stamp a rule labels ("Posted:", "פורסם:")
    ("Heatwave to bring record temperatures to UK this week", "Damien Gayle", "Posted: Jan 11, 2012 9:10 AM ET",
     EN_BARE_NAME_BODY),
])
def test_a_bare_name_right_above_the_date_stamp_is_the_byline(headline, name, stamp, body):
    head = [headline, "Home", "News", "Politics", headline]
    c = clean_text("\n".join(head + [name, stamp] + body + ["Share"]) + "\n")
    assert (c.byline, c.paragraphs) == (name, body)
    assert reasons(c)[name] == "byline"
    # under the stamp a name-shaped line is a section's label or a subheading as often: no byline
    c = clean_text("\n".join(head + [stamp, name] + body + ["Share"]) + "\n")
    assert c.byline is None
    # nor is one the page printed above it too, in its menu: a section's label
    c = clean_text("\n".join([headline, "Home", name, "Politics", headline, name, stamp] + body + ["Share"]) + "\n")
    assert c.byline is None and c.paragraphs == body
    # a desk's name printed again under the stamp is still the byline
    c = clean_text("\n".join(head + [name, stamp, name] + body + ["Share"]) + "\n")
    assert c.byline == name and c.paragraphs == body


KO_HEADLINE = "정부, 내년 예산 677조원 확정…복지 지출 확대"
KO_BODY = ["정부가 내년도 예산안을 677조원 규모로 확정했다고 기획재정부가 21일 밝혔다.",
           "기획재정부는 21일 국무회의에서 내년 예산안을 의결했다고 밝혔다. 이는 올해보다 3.2% 늘어난 규모다.",
           "복지 분야 지출은 전체 예산의 약 37%를 차지하며, 저출생 대응 예산도 크게 늘었다."]
UR_HEADLINE = "حکومت کا پیٹرول کی قیمت میں کمی کا اعلان"
UR_BODY = ["وزارت خزانہ کی جانب سے جاری نوٹیفکیشن کے مطابق پیٹرول کی نئی قیمت کا اطلاق آج رات 12 بجے سے ہوگا۔",
           "وزیر خزانہ نے کہا کہ عالمی منڈی میں تیل کی قیمتوں میں کمی کا فائدہ عوام کو منتقل کیا جا رہا ہے۔",
           "ڈیزل کی قیمت میں بھی 3 روپے فی لیٹر کمی کی گئی ہے جبکہ مٹی کے تیل کی قیمت برقرار رکھی گئی ہے۔"]
UR_TAIL = {"مزید پڑھیں": "related_links", "شیئر کریں": "share", "تبصرے": "comment_count",
           "اپنی رائے کا اظہار کریں": "comment_form", "جملہ حقوق محفوظ ہیں": "copyright"}


@pytest.mark.parametrize("lines,body,dateline,byline,published,tail", [
    # a Korean wire credit glued to the first paragraph
    ([KO_HEADLINE + " | 연합뉴스", "전체메뉴", "정치", "경제", KO_HEADLINE, "송고2024-11-21 14:02",
      "(세종=연합뉴스) 김철수 기자 = " + KO_BODY[0], *KO_BODY[1:], "관련 뉴스", "맨 위로"],
     KO_BODY, "세종", "김철수", dt.datetime(2024, 11, 21, 14, 2), {}),
    # an Urdu page: its desk's credit, its date, its chrome
    ([UR_HEADLINE + " - ایکسپریس اردو", "ہوم", "پاکستان", "کھیل", UR_HEADLINE, "ویب ڈیسک", "جمعرات 21 نومبر 2024",
      *UR_BODY, "مزید پڑھیں", "ڈالر کی قیمت میں کمی", "شیئر کریں", "تبصرے", "اپنی رائے کا اظہار کریں",
      "جملہ حقوق محفوظ ہیں"],
     UR_BODY, None, "ویب ڈیسک", dt.datetime(2024, 11, 21), UR_TAIL),
])
def test_credit_date_and_chrome_of_pages_in_their_own_layouts(lines, body, dateline, byline, published, tail):
    c = clean_text("\n".join(lines) + "\n")
    assert (c.paragraphs, c.dateline, c.byline, c.published_at) == (body, dateline, byline, published)
    got = reasons(c)
    assert {x: got[x] for x in tail} == tail


def test_an_inline_box_under_more_colon_is_cut_and_the_article_goes_on():
    # "More:" over three headlines inside the article; "More" alone is the menu's link, so the
    # header is not one the page repeats (a list's sections) and the article resumes under the box
    box = ["More:", "Afghan woman politician sees talks as only hope", "Young people must be heard: UN envoy",
           "China invites officials for two-day talks"]
    page = "\n".join(["Council votes to close the harbour | News", "News", "More", "Sport",
                      "Council votes to close the harbour", *EN_BODY[:2], *box, *EN_BODY[2:], "More",
                      "Privacy policy"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert {reasons(c)[x] for x in box} == {"related_links"}



def test_a_subheading_in_capitals_over_the_last_paragraph_is_no_author_box():
    # "Jane Doe" + a short bio closing the article is an author box; a line in capitals is one only
    # when the bio opens with it ("JANE DOE is …"): else a subheading ("WHAT HAPPENS NEXT")
    head = ["Council votes to close the harbour | News", "News", "Council votes to close the harbour"]
    c = clean_text("\n".join([*head, *EN_BODY[:3], "WHAT HAPPENS NEXT", EN_BODY[3], "Share"]) + "\n")
    assert c.paragraphs == [*EN_BODY[:3], "WHAT HAPPENS NEXT", EN_BODY[3]]
    bio = "JANE DOE is a reporter who covers defence and security for the paper."
    c = clean_text("\n".join([*head, *EN_BODY, "JANE DOE", bio, "Share"]) + "\n")
    assert c.paragraphs == EN_BODY and reasons(c)["JANE DOE"] == "byline"



def test_a_headline_in_capitals_between_the_paragraphs_is_a_linked_story():
    link = "SEAN SPICER ELIMINATED FROM 'DANCING WITH THE STARS'"
    subheading = "WHAT HAPPENS NEXT"
    page = "\n".join(["Van Der Beek eliminated from the show | Fox News", "Entertainment", "Van Der Beek eliminated from the show",
                      EN_BODY[0], link, EN_BODY[1], subheading, *EN_BODY[2:], "Share"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == [EN_BODY[0], EN_BODY[1], subheading, *EN_BODY[2:]]
    assert reasons(c)[link] == "teaser"
    # a page written in capitals keeps its lines
    caps = [p.upper() for p in EN_BODY]
    c = clean_text("\n".join(["VAN DER BEEK ELIMINATED", caps[0], link, *caps[1:]]) + "\n")
    assert link in c.paragraphs
    # a line of a script without case that names "CNN" is not in capitals (str.isupper says it is):
    # an Arabic lead with the agency in it, closed by a quote's mark after its full stop, stays
    lead = ("دمشق، سوريا (CNN) -- أكدت جهات سورية معارضة أن فصائل مسلحة تمكنت من السيطرة على مستودعات للأسلحة"
            ' بريف دمشق، في الوقت الذي حض فيه الائتلاف الفصائل المتقاتلة على "ضبط النفس."')
    assert lead.isupper() and lead[-1] == '"'
    c = clean_text("\n".join(["وفد عسكري سوري يبحث في بغداد تأمين الحدود", "أخبار", lead, *AR_BODY]) + "\n")
    assert lead in c.paragraphs or any(p.endswith(lead[22:]) for p in c.paragraphs)     # (the credit cut off)
    assert not any(r.reason == "teaser" for r in c.removed)


@pytest.mark.parametrize("caption", [
    "Trump asked voters in Louisiana for a big win on Saturday evening. He didn’t get it.Credit...Doug Mills/The New York Times",
    "Wer bei VW nicht den Mindestabstand einhalten kann, muss eine Nase-Mund-Bedeckung tragen.Foto: Swen Pfoertner/Reuters",
])
def test_a_long_caption_inside_the_article_closed_by_its_credit(caption):
    # past deep_match_chars the costlier patterns are tried inside the article only on a line whose
    # tail can be a credit: a bracket, a "©", or a photographer's "Name/Agency"
    assert len(caption) > 100
    page = "\n".join(["Council votes to close the harbour | News", "News", "Council votes to close the harbour",
                      EN_BODY[0], caption, *EN_BODY[1:], "Share"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == EN_BODY and reasons(c)[caption] == "caption"


def test_a_read_more_box_repeated_inside_the_article_does_not_end_it():
    # two inline boxes (another story's headline, then "Read more") inside one article: the header
    # is on the page twice, as it would be after each teaser of a list, but what follows the first
    # box outweighs the paragraphs above it, so it is the article going on
    lead = ["Thousands of academic staff at British universities are being treated as second-class citizens.",
            "The report by the union claims institutions have created a pool of low-paid staff to teach."]
    middle = ["A Labour MP who is supporting the report said it showed that precarious employment was spreading.",
              "One academic told the authors how she had been plunged into a teaching contract without any training.",
              "Others reported supervisors unfairly demanding credit for research, despite having little involvement.",
              "The union's general secretary said students would be shocked by the levels of insecurity among staff.",
              "The report explores data showing that 67,000 research staff were on fixed-term contracts last year.",
              "But a spokesperson for the employers' association said its members had been reducing their use of them."]
    end = ["The findings come in the middle of long-running industrial action over pensions and pay at universities.",
           "The union's members are to be balloted again in the spring, its executive said on Monday evening."]
    boxes = ["Third of university staff 'have experienced bullying'", "Temporary work at £9 an hour for lecturers"]
    page = "\n".join(["Academics 'treated as second-class citizens' | Education | The Daily Courier", "Education",
                      "Academics 'treated as second-class citizens'", "Mon 20 Jan 2020 06.05 GMT", *lead,
                      boxes[0], "Read more", *middle, boxes[1], "Read more", *end, "Topics", "Universities",
                      "Reuse this content"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == [*lead, *middle, *end]
    assert reasons(c)["Read more"] == "related_links"
    assert_accounted(page, c)


def _most_popular_box() -> list[str]:
    return ["Most Popular", "Gear", "The Essential Home Repair Tools You Should Have", "Matt Jancer",
            "Business", "A Chatbot With Few Guardrails Goes on Sale", "Will Knight",
            "Culture", "First Users of Social Media Have Nowhere to Go", "Jason Parham",
            "Ideas", "How Citizen Surveillance Ate the City", "Lauren Smiley"]


def test_a_box_the_page_prints_again_between_the_paragraphs_does_not_end_the_article():
    # the same "Most Popular" box after every few paragraphs (a magazine's inline insert), longer
    # than any gap a block is merged across: the article goes on under each copy
    parts = [EN_BODY[:2], EN_BODY[2:3], EN_BODY[3:]]
    body = [*parts[0], *_most_popular_box(), *parts[1], *_most_popular_box(), *parts[2]]
    page = "\n".join(["Council votes to close the harbour | The Courier", "Sign In", "Search",
                      "Council votes to close the harbour", *body, "You Might Also Like",
                      "Generative tools play a surprising role in the election", "Privacy policy"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == [*parts[0], *parts[1], *parts[2]]
    r = reasons(c)
    assert r["Most Popular"] == "related_links" and r["Matt Jancer"] == "related_links"
    assert_accounted(page, c)


def test_a_box_printed_once_still_ends_the_article():
    # the same box printed once, long: the prose under it is not known to be the article's
    page = "\n".join(["Council votes to close the harbour | The Courier", "Sign In", "Search",
                      "Council votes to close the harbour", *EN_BODY[:2], *_most_popular_box(),
                      *EN_BODY[2:], "Privacy policy"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == EN_BODY[:2]


def test_headlines_with_a_summary_each_under_a_related_header_are_no_continuation():
    # "more stories" and other columns under the article, each a headline and a sentence or two of
    # summary: prose-long, but a list of other articles, not the article going on
    teasers = [("Wave of stupidity", "JOE HILDEBRAND How is it that ideas and philosophies that are patently "
                "absurd capture people's imagination? It seems we are living through a new wave of them."),
               ("Ikea challenge", "SUSIE O'BRIEN The good thing about flat-pack furniture is that it is cheap and "
                "of good quality. The bad thing is the whole, exhausting business of building it."),
               ("Own backyard", "TOM ELLIOTT It is nice to think that the country is a player on the world stage "
                "but, really, we are not. So forget the global posturing and look at home."),
               ("True liberal", "LAURIE OAKES It was said that the former leader moved to the left after losing "
                "office, but he did not change at all; the party around him did.")]
    page = "\n".join(["Council votes to close the harbour | The Courier", "Opinion",
                      "Council votes to close the harbour", *EN_BODY, "more stories", "Other Opinion Columns",
                      *[x for pair in teasers for x in pair], "Most Popular Stories", "Privacy policy"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert reasons(c)[teasers[0][1]] == "related_links"


def test_the_article_going_on_under_an_inline_related_box_is_kept():
    # one headline under the inline box, then the article's own paragraphs, not a headline each
    page = "\n".join(["Council votes to close the harbour | The Courier", "Opinion",
                      "Council votes to close the harbour", *EN_BODY[:2], "Related",
                      "Harbour workers strike for a second week", *EN_BODY[2:], *WIRE_BODY[:2],
                      "Most Popular Stories", "Privacy policy"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == [*EN_BODY, *WIRE_BODY[:2]]


def test_a_bare_credit_between_two_paragraphs_is_a_caption_and_does_not_end_the_article():
    # "© Fox News" and the picture's caption between two paragraphs: a picture's credit, not the
    # page's copyright notice (which ended the article there, with most of it still to come)
    page = "\n".join(["Council votes to close the harbour | The Courier", "News",
                      "Council votes to close the harbour", *EN_BODY[:3], "© Fox News",
                      "The mayor interviewed on television", *EN_BODY[3:], *WIRE_BODY[:3],
                      "© The Courier", "Privacy policy", "Imprint"]) + "\n"
    c = clean_text(page)
    # (the picture's caption is a short line inside the article: whether it stays is not asked here)
    assert [p for p in c.paragraphs if p != "The mayor interviewed on television"] == [*EN_BODY, *WIRE_BODY[:3]]
    r = reasons(c)
    assert r["© Fox News"] == "caption"
    assert r["© The Courier"] == "copyright"       # under the article's end: the page's notice


def test_a_copyright_notice_after_a_sign_stays_one_between_paragraphs():
    page = "\n".join(["Council votes to close the harbour | The Courier", "News",
                      "Council votes to close the harbour", *EN_BODY[:2], "© All rights reserved",
                      *EN_BODY[2:], "Privacy policy"]) + "\n"
    assert reasons(clean_text(page))["© All rights reserved"] == "copyright"


def test_the_authors_bio_closing_the_article_without_a_name_line_is_the_byline():
    # the bio under the article opens with the author's name, printed as the byline above it
    bio = "Mark di Stefano is a breaking news reporter for The Courier and is based in Sydney, Australia."
    page = "\n".join(["Council votes to close the harbour | The Courier", "News",
                      "Council votes to close the harbour", "Mark Di Stefano", *EN_BODY, *WIRE_BODY[:2], bio,
                      "Contact Mark Di Stefano at mark@example.com", "Privacy policy"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == [*EN_BODY, *WIRE_BODY[:2]]
    assert reasons(c)[bio] == "byline"


def test_a_closing_paragraph_about_someone_else_or_the_outlet_stays():
    # the article ends on a person it quotes, and the outlet's name opens the byline's tail: neither
    # is the author's bio
    last = "Fiona Parry is a nurse at the town's hospital and has campaigned against the closure for years."
    page = "\n".join(["Council votes to close the harbour | The Courier", "News",
                      "Council votes to close the harbour", "By Mark Di Stefano, The Courier", *EN_BODY,
                      *WIRE_BODY[:2], last, "Privacy policy"]) + "\n"
    assert clean_text(page).paragraphs == [*EN_BODY, *WIRE_BODY[:2], last]
    outlet = "The Courier is now using a new comment system on its stories and blog posts."
    page = page.replace(last, outlet)
    assert reasons(clean_text(page)).get(outlet) != "byline"


def test_teasers_inside_the_article_a_summary_cut_off_before_its_link_and_a_headline_said_thrice():
    # an inline box of two other articles between the paragraphs: each headline printed three times
    # over in one line (the link's text, title and picture's alt), each summary cut off before
    # "Read more"; a paragraph of the article's own that trails off stays
    heads = ["How Stores Manipulate Your Senses So You Spend More Money",
             "How Your Brain Corrupts Your Shopping Choices When You Least Expect It"]
    sums = ["When you walk into almost any store, you're immediately overloaded with sights, sounds,... Read more Read more",
            "Ever come home from a day of shopping and wondered why on earth you purchased certain items? As it... Read more"]
    trailing = ("The chief of staff told reporters that the talks would go on, and that the border would stay open "
                "for now... and then he left the room without another word")
    body = [EN_BODY[0], EN_BODY[1], " ".join([heads[0]] * 3), sums[0], " ".join([heads[1]] * 3), sums[1],
            EN_BODY[2], trailing, EN_BODY[3]]
    page = "\n".join(["Council votes to close the harbour | The Courier", "News",
                      "Council votes to close the harbour", *body, "Privacy policy"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == [EN_BODY[0], EN_BODY[1], EN_BODY[2], trailing, EN_BODY[3]]
    r = reasons(c)
    assert r[sums[0]] == "teaser" and r[" ".join([heads[1]] * 3)] == "teaser"


def test_a_caption_inside_the_article_that_ends_in_a_licence_is_the_pictures():
    # "Zum Vergrößern auf das Bild klicken" and a Creative Commons licence close the line: a
    # picture's caption between the paragraphs, long as it is
    caption = ("Firmen- und Beziehungsgeflecht der Cider Connection, wie es die Recherche zeigt. "
               "Zum Vergrößern auf das Bild klicken. (Stand Juni 2016) CC-BY-SA 2.0")
    body = ["Seit Dezember 2015 verschickt eine Firma zahlreiche Abmahnungen wegen fehlerhafter Bildnachweise an Blogs.",
            "Zwei Männer stehen Arm in Arm auf dem Foto, sie lachen und haben Weingläser in der Hand.",
            "Der eine ist Vorstandsvorsitzender eines Verbandes, der andere hat als Anwalt dessen Fälle übernommen.",
            "Beide wohnen in Kiel und kommen ursprünglich aus derselben Stadt, wie die Unterlagen zeigen."]
    page = "\n".join(["Abmahnungen gegen Nutzer freier Bilder | Netz", "Netz",
                      "Abmahnungen gegen Nutzer freier Bilder", *body[:2], caption, *body[2:], "Impressum"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == body and reasons(c)[caption] == "caption"


def test_a_screenshot_caption_between_the_steps_of_an_announced_list_keeps_the_list():
    # "Click to enlarge" under each screenshot is a caption; between the steps a sentence announces
    # it does not make them a box after the article: the steps and the paragraph under them stay
    steps = ["Click » Start – Control Panel «", "Click » Programs – Installed Updates «", "Click » Uninstall «", "Done"]
    page = "\n".join(["How to remove the tracking updates | Tech Blog", "Home", "Windows", "Security",
                      "How to remove the tracking updates", *EN_BODY, "To remove them, do the following:",
                      steps[0], "Click to enlarge", steps[1], steps[2], "Click to enlarge", steps[3], "Click to enlarge",
                      "When Microsoft will block this workaround cannot be said yet, the vendor declined to comment.",
                      "Latest posts", "Privacy policy", "Imprint"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == [*EN_BODY, "To remove them, do the following:", *steps,
                            "When Microsoft will block this workaround cannot be said yet, the vendor declined to comment."]
    assert reasons(c)["Click to enlarge"] == "caption"


def test_a_long_chrome_line_printed_twice_goes_with_its_copy_the_rules_tagged():
    # the sign-up box's consent line above the article (outside it, where the costlier patterns
    # run) and again right under it (inside the block, where they do not): both are the newsletter's
    consent = ("I agree to the privacy policy of the Daily Courier and of our newsletter service provider, "
               "and I know that I can unsubscribe from the newsletter at any time with one click.")
    page = "\n".join(["Council votes to close the harbour | The Daily Courier", "Subscribe to the Daily Courier",
                      consent, "News", "Sport", "Council votes to close the harbour", *EN_BODY, consent,
                      "Privacy policy", "Imprint"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert [r.reason for r in c.removed if c.lines[r.line_no - 1] == consent] == ["newsletter", "newsletter"]


def test_a_link_line_between_the_article_and_the_sentence_announcing_its_list():
    # the event's link, then its timetable announced by a sentence, then the address: all the
    # article's; a teaser's "Read also: …" line in that place is no link of the article's
    body = ["Blue Tomato läutet mit The Captain’s Quest 2017 die dritte Runde des Contest-Formats am See ein.",
            "Der Wakebeach bietet mit dem abfallenden Rasen am Ufer sowie Plattformen im See ideale Bedingungen."]
    tail = ["Hier geht’s zur Facebook Veranstaltung", "So sieht der vorläufige Timetable aus:", "Warm Up 11:00 Uhr",
            "Contest 12:00 Uhr", "Siegerehrung 18:30 Uhr", "Afterparty im Club Veedel in Köln ab 23:00 Uhr"]
    head = ["The Captain’s Quest 2017 – Contest auf schwimmender Miniramp | MSM", "News", "Shop",
            "The Captain’s Quest 2017 – Contest auf schwimmender Miniramp"]
    chrome = ["Ähnliche Artikel", "SHOP NEWS | Blue Tomato feiert 30-jähriges Jubiläum", "Impressum"]
    c = clean_text("\n".join([*head, *body, *tail, *chrome]) + "\n")
    assert c.paragraphs == [*body, *tail]
    teaser = "Przeczytaj także: Zburzą 100-metrowy wieżowiec w centrum miasta"
    c = clean_text("\n".join([*head, *body, teaser, *tail[1:], *chrome]) + "\n")
    assert c.paragraphs == body
    assert reasons(c)[teaser] == "teaser"


GALLERY_BODY = [
    "The storm that crossed the east of the country on Tuesday left less damage than feared, officials said.",
    '"We were lucky this time," said a spokesman for the transport department, standing by a cleared road.',
    "Airports reported delays of half an hour on average, and only a few flights were cancelled outright.",
    "Forecasters expect a quiet day on Thursday, with light winds and some snow over the northern lakes.",
    "More than forty million people were expected to travel over the holiday weekend, the motoring club said.",
    "Rail operators added seats on their busiest routes and said their trains ran on time through the storm.",
    "In the mountains, crews worked through the night to clear the passes before the first of the traffic.",
    "The weather service warned that strong gusts could still ground the parade's balloons in the morning.",
    "A decision on the balloons will be taken before the parade starts, the police commissioner said.",
    "Last year, icy roads were blamed for dozens of crashes over the same weekend in the western states.",
    "Officials urged drivers to check the forecast and to leave early if they had a long way to go.",
    "Reporters from the agency's regional offices contributed to this report from five different cities.",
]
GALLERY_CAPTIONS = [
    "Police officers adjust a barricade as people wait in the cold along the route of the parade on Thursday.",
    "Passengers wait for a bus to arrive during a light rain on Wednesday, November 27, in the city.",
    "A balloon for the parade is partially inflated on Wednesday as high winds threaten to keep it down.",
    "An employee signals a plane out of the gate at the national airport outside the capital on Tuesday.",
    "Travellers wait in security lines at the national airport on Tuesday, November 26.",
    "A pedestrian walks through snow showers along the avenue in the northern city on Tuesday.",
    "Employees at the international airport de-ice a plane before its departure on Monday, November 25.",
    "Cars slide on a steep road in the mountain town on Sunday, November 24, after the first snow.",
]


@pytest.mark.parametrize("before,after", [
    ([], ["Hide Caption"]),                          # the caption's toggle closes the gallery
    (["1 of 8"], []),                                # its counter opens it
])
def test_a_photo_gallery_under_the_headline_is_not_the_article(before, after):
    # the first block under the headline wins over a bigger one further down (a comment section,
    # legal text), but not when it is a photo gallery: its controls stand right before or after it
    # (here the gallery's strip of slide numbers parts it from the article)
    headline = "After the storm, forecasters see smooth sailing for the holiday"
    page = [f"{headline} - Agency News", "Home", "World", "Business", "Travel", headline,
            "By Dana Ford and Tom Watkins, Agency", "November 28, 2013 -- Updated 0203 GMT",
            *before, *GALLERY_CAPTIONS, *after, "Weather threatens holiday plans", "<<", "<",
            *map(str, range(1, 9)), ">", ">>", "Story highlights", *GALLERY_BODY,
            "Comments", "Share this", "Print", "Email"]
    c = clean_text("\n".join(page))
    assert c.paragraphs == GALLERY_BODY
    removed = {r.text: r.reason for r in c.removed}
    assert [removed[s] for s in before + after] == ["caption"] * len(before + after)


def test_the_first_block_under_the_headline_still_wins_when_a_picture_credit_closes_it():
    # a credit under the article's last paragraph is a picture's, not a gallery's control: the
    # short recipe under its headline stays the article over the longer comment form below
    steps = ["Put all the ingredients in a bowl and knead them with the dough hook into a smooth dough.",
             "Roll it out on a floured work surface and cut out any shapes you like.",
             "Preheat the oven to 200 °C and line a baking tray with baking paper.",
             "Spread the raw biscuits on the tray and press a few almond flakes onto each.",
             "Bake them in the middle of the oven for 15 minutes until they are golden brown."]
    form = ["Enter your details below or click an icon to log in, and we will keep your address private.",
            "You are commenting using your account, and your name will be shown beside your comment.",
            "Notify me of new comments by email, and of new posts by email, whenever they are published.",
            "Comments are moderated, so it can take a little while before yours appears under the post.",
            "Please keep to the topic of the post and be kind to the other readers and to the author.",
            "We read every comment, and we answer the questions about the recipes as soon as we can.",
            "Links in comments are removed, and so are comments that advertise shops or other blogs."]
    page = ["Almond biscuits | Kitchen at home", "Home", "Recipes", "Almond biscuits", *steps,
            "(Picture: Cosy Kitchen)", "Like this:", "Leave a comment", *form]
    c = clean_text("\n".join(page))
    assert c.paragraphs == steps


@pytest.mark.parametrize("credit", ["–Reuters", "- AFP", "— Staff reporter"])
def test_a_last_paragraph_closed_by_its_wire_credit_is_prose(credit):
    # no sentence's mark ends the line, but a sentence does, before the credit: under a comment
    # section's header right below, it is still the article's last paragraph
    last = f"She added that parents can set a good example by choosing fruit as a snack themselves. {credit}"
    page = "\n".join(["Example title of a story about the harbour", *EN_BODY, last,
                      "We welcome healthy discussions and friendly debate! Please click Flag to report a comment.",
                      "Comments Powered by Disqus"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY + [last]


@pytest.mark.parametrize("credit,bio", [
    ("Von Markus Reuter", "Markus Reuter ist Redakteur der Zeitung und schreibt über Bürgerrechte und Überwachung."),
    ("Par Claire Martin", "Claire Martin est journaliste au service politique du journal depuis 2015."),
])
def test_the_authors_bio_is_found_by_any_languages_credit_word(credit, bio):
    # the page credits the author with its language's credit word, under the bio (the author box's
    # link to the author's other articles)
    page = "\n".join(["Council votes to close the harbour | The Courier", "News",
                      "Council votes to close the harbour", *EN_BODY, *WIRE_BODY[:2], bio, credit,
                      "Privacy policy"]) + "\n"
    c = clean_text(page)
    assert c.paragraphs == [*EN_BODY, *WIRE_BODY[:2]]
    assert reasons(c)[bio] == "byline"


def test_a_credit_deep_inside_a_menu_far_from_headline_and_article_is_not_the_byline():
    # the headline printed in a menu far above the article: the window between them is the menu's
    headline = "Iraq and Syria agree on joint operations centre"
    menu = [f"Topic number {k} of the menu" for k in range(60)]
    menu[30] = "By Walzer and Mozart"            # a menu item shaped like "By <name> and <name>"
    page = "\n".join([f"{headline} - Example News", "Home", headline, *menu, headline, *EN_BODY, "Share",
                      "© 2026 Example News"])
    assert clean_text(page).byline is None
    # the same credit right under the headline the article follows is the byline
    page = "\n".join([f"{headline} - Example News", "Home", *menu[:14], headline, "By Jane Doe and John Roe",
                      *EN_BODY, "Share", "© 2026 Example News"])
    assert clean_text(page).byline == "Jane Doe and John Roe"


def test_a_menu_item_shaped_like_an_outlet_in_lower_case_is_no_site_name():
    body = ["The defence ministry said on Wednesday that a delegation had arrived for talks on border security.",
            *EN_BODY[1:]]
    lines = ["Iraq and Syria agree on joint operations centre", "Unread news", "World", "Business",
             "Iraq and Syria agree on joint operations centre", *body, "Share"]
    assert clean_text("\n".join(lines)).site_name is None
    lines[1] = "Example News"
    assert clean_text("\n".join(lines)).site_name == "Example News"


def test_a_picture_credit_after_a_separator_is_a_caption():
    page = "\n".join(["Iraq and Syria agree on joint operations centre - Example News", "Home",
                      "Iraq and Syria agree on joint operations centre", EN_BODY[0],
                      "The delegation in Baghdad// Photo courtesy Defence Ministry", *EN_BODY[1:], "Share"])
    c = clean_text(page)
    assert c.paragraphs == EN_BODY
    assert dict((r.line_no, r.reason) for r in c.removed)[5] == "caption"


def test_the_longest_part_of_the_title_printed_before_the_first_sentence_is_the_headline():
    # "SITE : <headline>": the headline printed twice, in the issue's list and above the article
    headline = "Iraq and Syria agree on joint operations centre"
    menu = ["Oil prices rise again", headline, "Talks resume in Geneva", "Strike at the port", "Weather"]
    page = "\n".join([f"DAILY COURIER : {headline}", "Home", "Today's issue", *menu, "Archive", headline,
                      *EN_BODY, "Similar stories", "© 2026 Daily Courier"])
    c = clean_text(page)
    assert (c.title, c.site_name, c.paragraphs) == (headline, "DAILY COURIER", EN_BODY)
    # "The Press Association: <headline>": a label of up to 30 characters before the colon
    page = "\n".join([f"The Press Association: {headline}", "Web Images Videos Maps News", headline,
                      "(UKPA) – 6 hours ago", *EN_BODY, "© 2026 Google"])
    assert clean_text(page).title == headline


def test_a_date_right_over_the_headline_below_the_menu_is_the_storys():
    """'NEWS' / '24 September 2019' / <headline>: a date over the headline, below the page's first
    lines, is the publication's; a today's-date widget heads the page, and a date after another
    is a dated list's."""
    menu = ["The Daily Courier", "Home", "News", "Sport", "Opinion", "Culture", "NEWS"]
    headline = "Council approves harbour plan"
    page = "\n".join([f"{headline} | The Daily Courier", *menu, "24 September 2019", headline, *EN_BODY,
                      "Share", "© 2026 The Daily Courier"])
    c = clean_text(page)
    assert (c.page_date, c.published_at, c.paragraphs) == (None, dt.datetime(2019, 9, 24), EN_BODY)
    assert reasons(c)["24 September 2019"] == "metadata"
    # the page's first line: a widget, however close the headline
    page = "\n".join([f"{headline} | The Daily Courier", "Monday, 23 November 2026", "Home", headline,
                      *EN_BODY, "Share"])
    c = clean_text(page)
    assert (c.page_date, c.published_at) == (dt.date(2026, 11, 23), None)
    # a list of dated events over the headline: none is the story's; a stamp under it is
    events = ["20 February 2020", "13 February 2020", "6 February 2020"]
    page = "\n".join([f"{headline} | The Daily Courier", *menu, *events, headline, *EN_BODY, "Share"])
    assert clean_text(page).published_at is None
    page = page.replace(f"\n{headline}\n", f"\n{headline}\n21 September 2019\n")
    assert clean_text(page).published_at == dt.datetime(2019, 9, 21)


def test_a_date_alone_on_a_line_of_the_article_is_a_stamp():
    """'von <names>' / '14. May 2019' / <article>: a date alone inside the block is no text; in the
    block's first lines it is the story's date. A date inside a sentence stays."""
    headline = "Council approves harbour plan"
    sentence = "The vote on 14 May 2019 was the first since the war."
    page = "\n".join([f"{headline} | The Daily Courier", "Home", "News", headline, EN_BODY[0], "By Jane Doe",
                      "14 May 2019", *EN_BODY[1:], sentence, "18 June 2019", EN_BODY[0] + " Again.", "Share"])
    c = clean_text(page)
    assert c.published_at == dt.datetime(2019, 5, 14)
    assert "14 May 2019" not in c.paragraphs and "18 June 2019" not in c.paragraphs and sentence in c.paragraphs
    assert reasons(c)["18 June 2019"] == "metadata"


def test_a_dated_credit_right_over_the_headline_gives_the_publication_date():
    headline = "Council approves harbour plan"
    menu = ["The Daily Courier", "Home", "News", "Sport", "Opinion"]
    page = "\n".join([f"{headline} | The Daily Courier", *menu, "Tuesday, 13 May 2014, by Jane Doe", "Share Print",
                      headline, *EN_BODY, "© 2026 The Daily Courier"])
    c = clean_text(page)
    assert (c.published_at, c.page_date, c.paragraphs) == (dt.datetime(2014, 5, 13), None, EN_BODY)
