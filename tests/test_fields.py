"""Title / site suffix splitting, dateline and byline recognition (tasks/fields.py)."""
from __future__ import annotations

import pytest

from tasks.fields import (byline_after_date, credited_name, is_agency, name_credited_in, parse_credit_line, site_around_headline, split_dateline_byline, split_title_site,
                          title_parts)


@pytest.mark.parametrize("line,title,site", [
    ("New York State Attorney General investigating WeWork and former CEO | VentureBeat",
     "New York State Attorney General investigating WeWork and former CEO", "VentureBeat"),
    ("Opinion | Republicans Are Following Trump to Nowhere - The New York Times",
     "Opinion | Republicans Are Following Trump to Nowhere", "The New York Times"),
    ("Grève à la SNCF : le trafic perturbé jeudi – Le Monde", "Grève à la SNCF : le trafic perturbé jeudi", "Le Monde"),
    ("تنسيق عراقي مع قسد لعملية برية مشتركة - الجورنال نيوز", "تنسيق عراقي مع قسد لعملية برية مشتركة", "الجورنال نيوز"),
    ("女主播视频门 韩版大S炫富 少女时代爆猛料-女主播-东北网娱乐", "女主播视频门 韩版大S炫富 少女时代爆猛料", "东北网娱乐"),
    ("被告人刑期与罚金均大幅减少-新闻频道-和讯网", "被告人刑期与罚金均大幅减少", "和讯网"),
    ("中新视频-崔永元缺席中国慈善年会 给农民工主持晚会", "崔永元缺席中国慈善年会 给农民工主持晚会", "中新视频"),   # CJK site first
    ("自由電子報 - 固定運動的人 薪水比不運動者多", "固定運動的人 薪水比不運動者多", "自由電子報"),
    ("Смертность от отравлений алкоголем в России снизилась на 30% | Здоровье | Аргументы и Факты",
     "Смертность от отравлений алкоголем в России снизилась на 30%", "Аргументы и Факты"),   # section cut too
    ("Lockdown: Gottesdienste bleiben unter strengen Auflagen möglich › evang.at",
     "Lockdown: Gottesdienste bleiben unter strengen Auflagen möglich", "evang.at"),
    ("Правительство утвердило программу развития здравоохранения - РИА Новости, 23.11.2026",
     "Правительство утвердило программу развития здравоохранения", "РИА Новости"),   # the date off the name
    ("Alle Termine im Überblick für das ganze Jahr - Brasil 247", "Alle Termine im Überblick für das ganze Jahr",
     "Brasil 247"),                                                                   # a number in the name stays
])
def test_split_title_site(line, title, site):
    assert split_title_site(line) == (title, site)


@pytest.mark.parametrize("line,title,site", [
    ("الجيش العراقي يعلن تأمين الحدود - المدى - 24/11/2026", "الجيش العراقي يعلن تأمين الحدود", "المدى"),
    ("Gorączka krwotoczna znów atakuje na Podkarpaciu - 27 lipca 2011", "Gorączka krwotoczna znów atakuje na Podkarpaciu",
     None),
])
def test_a_date_after_the_title_is_no_site_name(line, title, site):
    assert split_title_site(line) == (title, site)


def test_a_cjk_title_ending_in_a_bare_separator_has_no_site():
    # (the empty part after the bar is no site's name: it crashed the cut)
    assert split_title_site("中文新闻must read | ") == ("中文新闻must read |", None)


def test_title_parts():
    assert title_parts("Ειδήσεις - Νέα - Υγεία & Business - Αγορά 1.374 ιδίων μετοχών") == [
        "Ειδήσεις", "Νέα", "Υγεία & Business", "Αγορά 1.374 ιδίων μετοχών"]
    assert title_parts("Headline: with a colon | Site") == ["Headline: with a colon", "Site"]
    assert title_parts("One part only") == ["One part only"]


@pytest.mark.parametrize("line", [
    "وفد عسكري سوري يجري مباحثات في العراق مع مسؤولين عسكريين عراقيين حول تأمين الحدود",
    "Gut hormone could cure obesity crisis by suppressing appetite",
    "Budget 2024 - what it means for you and your family's finances this year and next",
])
def test_title_without_site_suffix_is_kept_whole(line):
    assert split_title_site(line) == (line, None)


@pytest.mark.parametrize("line,expected", [
    ("بغداد – الجورنال", ("بغداد", "الجورنال")),
    ("بغداد/ المدى", ("بغداد", "المدى")),
    ("بغداد – رزاق الياسري", ("بغداد", "رزاق الياسري")),
    ("By Jane Doe", (None, "Jane Doe")),
    ("Par Jean Dupont", (None, "Jean Dupont")),
    ("كتب/ محمد علي", (None, "محمد علي")),
    ("بقلم: سامي الخطيب", (None, "سامي الخطيب")),
    ("PARIS (AFP)", ("PARIS", "AFP")),
    ("记者 王小明", (None, "王小明")),
    ("Reuters", (None, "Reuters")),
    ("حاوره: سامي الخطيب", (None, "سامي الخطيب")),                # an interview's credit
    ("Propos recueillis par Jean Dupont", (None, "Jean Dupont")),
    ("記者陳鈞凱/台北報導", ("台北", "陳鈞凱")),                   # reporter, then "<place> reports"
    ("本报记者李明、王芳／上海报道", ("上海", "李明、王芳")),
    ("دمشق-سانا", ("دمشق", "سانا")),                             # joined by a bare hyphen
    ("بغداد: علي الموسوي", ("بغداد", "علي الموسوي")),              # place, colon, name
    ("بغداد: «الشرق الأوسط»", ("بغداد", "الشرق الأوسط")),
    ("المصدر: وكالات", (None, "وكالات")),                         # the source named as credit
    ("كتب - محمود السيد", (None, "محمود السيد")),                  # the credit word, a dash, the name
    ("المحرر السياسي", (None, "المحرر السياسي")),                  # a role that names itself
    ("الكاتب: سامي الخطيب", (None, "سامي الخطيب")),
    ("أربيل- 24-11-2026", ("أربيل", None)),                       # a place and the date in figures
    ("ERBIL, 24.11.2026", ("ERBIL", None)),
    ("WASHINGTON, Nov 3 (Reuters)", ("WASHINGTON", "Reuters")),  # the place without its date
    ("الكويت - 23 - 11 (كونا)", ("الكويت", "كونا")),              # ... nor the dash before the date
    # a wire credit: the place, the date (in one calendar or two), the agency
    ("باريس 03 جمادى الأولى 1448 هـ الموافق 23 نوفمبر 2026 م واس", ("باريس", "واس")),
    ("الرباط 23-11-2026 (ومع)", ("الرباط", "ومع")),
    ("الرباط 23-11-2026 الأسبوع", None),                          # no agency after the date
    ("LONDON 23 Nov 2026 AFP", ("LONDON", "AFP")),
    # the credit word, the name, then the date: the name
    ("By Justine Coleman - 11/18/19 11:04 PM EST", (None, "Justine Coleman")),
    ("By Jessica Laurence, Jan 17, 2012", (None, "Jessica Laurence")),
    ("By Ahiza Garcia @ahiza_garcia February 1, 2016", (None, "Ahiza Garcia")),
    ("Autor: Joanna Janczy. Data publikacji Śro, 2011-05-18 15:23", (None, "Joanna Janczy")),
    ("By J. R. Smith 17/01/2012", (None, "J. R. Smith")),                  # an initial's full stop
    # what stands between the name and its date is no part of the name: a month without its year,
    # a handle glued on, a stamp's label
    ("By Erin Cunningham March 18 at 3:57 PM Follow @erinmcunningham", (None, "Erin Cunningham")),
    ("By Jon Porter@JonPorty Jul 3, 2019, 4:22am EDT", (None, "Jon Porter")),
    ("von Diane Buckstegge Veröffentlicht am 1. Mai 2019", (None, "Diane Buckstegge")),
    ("By Theresa May 18/01/2019", (None, "Theresa May")),                 # a year follows: a name's word
    ("by Lighthouse Patent Office / 2016.12.01", (None, "Lighthouse Patent Office")),
    # two authors, the agency after the second
    ("By JENNIFER MCDERMOTT and MICHAEL CASEY Associated Press",
     (None, "JENNIFER MCDERMOTT and MICHAEL CASEY Associated Press")),
    ("Von Anna Schmidt und Peter Müller", (None, "Anna Schmidt und Peter Müller")),
    ("di Marco Bianchi", (None, "Marco Bianchi")),                         # Italian's "di"
    # a role after the name's comma (byline_role) goes; an outlet there stays
    ("By Rachel Green, Science Correspondent", (None, "Rachel Green")),
    ("Von Anna Schmidt, ARD-Hauptstadtstudio", (None, "Anna Schmidt")),
    ("By John Smith, Washington bureau", (None, "John Smith")),
    ("Von Anna Schmidt, Korrespondentin in Paris", (None, "Anna Schmidt")),
    ("كتب: محمد السيد، مراسل الجريدة", (None, "محمد السيد")),
    ("By Jane Doe, CNN", (None, "Jane Doe, CNN")),
    ("김민수 기자", (None, "김민수")),                                       # a title after the name
    ("김민수 기자 minsu@example.co.kr", (None, "김민수")),
    ("워싱턴=이정훈 특파원", ("워싱턴", "이정훈")),                             # the place first
    ("A cura di Anna Verdi", (None, "Anna Verdi")),
    # an Arabic columnist's title and name under the headline: the whole line
    ("د. خالد العمري", (None, "د. خالد العمري")),
    ("الدكتور محمد السيد", (None, "الدكتور محمد السيد")),
    ("أ.د. سامي حسن", (None, "أ.د. سامي حسن")),
    ("كتب- محمد صلاح:", (None, "محمد صلاح")),          # the colon that would open the text is no part of it
    # a place, a comma, an agency: in a script without case, or the place in capitals
    ("नई दिल्ली, एजेंसी", ("नई दिल्ली", "एजेंसी")),
    ("بغداد، رويترز", ("بغداد", "رويترز")),
    ("ROMA, ANSA", ("ROMA", "ANSA")),
    ("Ed Andrieski, AP", None),                           # a photographer's credit
    # where letters have case, a place in capitals or an agency's credit makes a dateline
    ("WASHINGTON / Jane Doe", ("WASHINGTON", "Jane Doe")),
    ("London / CNN", ("London", "CNN")),
    ("МОСКВА - РИА Новости", ("МОСКВА", "РИА Новости")),
    # Taiwan's bracketed credits: the outlet and its reporter, then the place before "reports"
    ("【聯合報╱記者劉明岩／鹿港報導】", ("鹿港", "聯合報╱記者劉明岩")),
    ("【經濟日報╱記者黃文奇／即時報導】", (None, "經濟日報╱記者黃文奇")),       # "as it happens": no place
    ("【中廣新聞／陳奕華】", (None, "中廣新聞／陳奕華")),
    ("彭瑜 賀懷湘文/圖", (None, "彭瑜 賀懷湘")),                               # text and pictures by
    ("von eseppelt", (None, "eseppelt")),                                   # a user's name in lower case
])
def test_credit_line(line, expected):
    assert parse_credit_line(line) == expected


@pytest.mark.parametrize("line,site_name,expected", [
    # the outlet or an agency before the separator is no place: the whole line is the credit
    ("هسبريس - محمد الراجي", "هسبريس", (None, "هسبريس - محمد الراجي")),
    ("APA/Georg Hochmuth", None, (None, "APA/Georg Hochmuth")),
    ("الأناضول - علي جواد", None, (None, "الأناضول - علي جواد")),
    # a place stays a place, whatever the site is called
    ("بغداد – الجورنال", "الجورنال", ("بغداد", "الجورنال")),
    # the outlet, then one word: the place it files from
    ("السومرية نيوز/ بغداد", "السومرية نيوز", ("بغداد", "السومرية نيوز")),
    ("Reuters / Berlin", None, ("Berlin", "Reuters")),
    # a run of the outlet's words, or a domain, is no place either
    ("الغد - محمد علي", "جريدة الغد", (None, "الغد - محمد علي")),
    ("العربية.نت - محمد العلي", None, (None, "العربية.نت - محمد العلي")),
    ("KOMPAS.com - Jane Doe", None, (None, "KOMPAS.com - Jane Doe")),
    ("عنب بلدي – خاص", "عنب بلدي", (None, "عنب بلدي – خاص")),     # "exclusive" is no place
])
def test_credit_line_led_by_the_outlet(line, site_name, expected):
    assert parse_credit_line(line, site_name=site_name) == expected


@pytest.mark.parametrize("line,headline,site", [
    ("بوابة الأهرام : وزير التعليم العالي يفتتح المؤتمر الدولي للطاقة المتجددة",
     "وزير التعليم العالي يفتتح المؤتمر الدولي للطاقة المتجددة", "بوابة الأهرام"),
    ("BBC News - Minister opens a renewable energy conference", "Minister opens a renewable energy conference",
     "BBC News"),
    ("Minister opens a renewable energy conference :: Daily Courier", "Minister opens a renewable energy conference",
     "Daily Courier"),
    # no separator between them, or the headline not in the line, or a sentence beside it: no site
    ("Minister opens a renewable energy conference today", "Minister opens a renewable energy conference", None),
    ("Daily Courier - Storm closes the harbour", "Minister opens a renewable energy conference", None),
    ("It rained all day and the match was called off. - Minister opens a new conference",
     "Minister opens a new conference", None),
    # a date beside the headline is no site
    ("The 'birth lottery' and economic mobility - Feb. 1, 2016", "The 'birth lottery' and economic mobility", None),
    ("Doktór zbada, wyleczy i doradzi - 9 stycznia 2012", "Doktór zbada, wyleczy i doradzi", None),
])
def test_site_around_the_printed_headline(line, headline, site):
    assert site_around_headline(line, headline) == site


@pytest.mark.parametrize("line", [
    "The minister said the talks would continue next week.",
    "Fot. Jan Nowak / Agencja Gazeta",              # a picture's credit: no place, no author
    "Foto: dpa",
    "الصورة: أحمد علي",                              # a picture's credit
    "جنود عراقيون على الحدود مع سوريا (أ ف ب)",        # a photo's caption with its agency
    "WikiLeaks founder Julian Assange (AFP)",
    "Berlin: Hans Müller",                          # "Word: Name" outside Arabic script: a label as often
    "الثلاثاء - 24-11-2026",                        # a weekday, not a place
    "Updated - 24.11.2026",
    "Anti-AP",                                      # a hyphenated word, not "PLACE-AGENCY"
    "وقالت وزارة الدفاع العراقية في بيان لها اليوم الأربعاء إن الجانبين بحثا التنسيق.",
    "",
    "Dr. Martin Sabry",                 # in English, a photo's caption naming the story's subject as often
    "د. خالد العمري يكتب عن الاقتصاد العربي",    # a title, then a sentence
    "By 1 April 2013 all GP practices must be registered",
    "By the time the storm arrived and the power went out",     # "and" joins no names here
    # two capitalised words about a separator, where letters have case: a menu's items, a teaser
    "Kontakt/Impressum",
    "Economy/Finance",
    "View/Post Comments",
    "Upcycling – Basteln mit Müll",
    "File photo / Thinkstock",
    "TV/Serie/DVD",                                 # two capitals are no place
    "Από τις αντίστοιχες περσινές εκδηλώσεις",      # "from last year's events": words in lower case
])
def test_not_a_credit_line(line):
    assert parse_credit_line(line) is None


@pytest.mark.parametrize("par,dateline,byline,rest_start", [
    ("العراق/ علي جواد/ الأناضول-  أجرى وفد عسكري سوري مباحثات مع مسؤولين عسكريين عراقيين، حول تأمين الحدود",
     "العراق", "علي جواد/ الأناضول", "أجرى وفد عسكري"),
    ("WASHINGTON (Reuters) - The New York State Attorney General is investigating WeWork, two sources said.",
     "WASHINGTON", "Reuters", "The New York State"),
    ("(Reuters) — The New York State Attorney General (NYAG) is investigating WeWork, two people said.",
     None, "Reuters", "The New York State"),
    ("PARIS (AFP) - Le gouvernement a présenté mercredi son projet de loi sur les retraites au Conseil.",
     "PARIS", "AFP", "Le gouvernement"),
    ("دمشق – سانا: استقبل الرئيس السوري وفدا عسكريا عراقيا رفيع المستوى في العاصمة دمشق اليوم.",
     "دمشق", "سانا", "استقبل الرئيس"),
    ("دمشق-سانا استقبل الرئيس السوري وفدا عسكريا عراقيا رفيع المستوى في العاصمة دمشق اليوم.",
     "دمشق", "سانا", "استقبل الرئيس"),
    ("LONDON, Nov 23 (Reuters) - Britain said on Wednesday it would raise taxes on energy companies.",
     "LONDON", "Reuters", "Britain said"),
    ("МОСКВА, 23 ноя — РИА Новости. Правительство России утвердило программу развития здравоохранения.",
     "МОСКВА", "РИА Новости", "Правительство России"),
    ("عمان 23 تشرين الثاني (بترا) – أعلنت وزارة الصحة اليوم عن إطلاق حملة تطعيم جديدة ضد الإنفلونزا.",
     "عمان", "بترا", "أعلنت وزارة"),
    # the date between the place and the agency, in figures
    ("الكويت - 23 - 11 (كونا) -- بعث سمو ولي العهد ببرقية تهنئة إلى الرئيس اللبناني بمناسبة ذكرى الاستقلال.",
     "الكويت", "كونا", "بعث سمو"),
    ("رام الله 23-11-2026 وفا- طالب رئيس الوزراء المجتمع الدولي بالضغط من أجل وقف الاقتطاعات من أموال المقاصة.",
     "رام الله", "وفا", "طالب رئيس"),
    # the place alone before a dash: in a script without case, or in capitals
    ("الجزائر - استقبل رئيس الجمهورية يوم الاثنين وزير الشؤون الخارجية الإيطالي بمقر الرئاسة.",
     "الجزائر", None, "استقبل رئيس"),
    ("OTTAWA - The requirement for bilingualism costs governments $2.4 billion per year, a report says.",
     "OTTAWA", None, "The requirement"),
    ("رويترز - قال مسؤولون إن الحكومة ستعلن خطة جديدة لدعم الصادرات الزراعية خلال الأسبوع المقبل.",
     None, "رويترز", "قال مسؤولون"),
    # any short name in the brackets when a dash follows them
    ("القاهرة (الأهرام أونلاين) - انطلقت اليوم فعاليات الدورة الجديدة من معرض الكتاب الدولي بمشاركة أربعين دولة.",
     "القاهرة", "الأهرام أونلاين", "انطلقت اليوم"),
    ("JERUSALEM (JTA) — Israel's parliament approved the budget on Tuesday after a long night of debate.",
     "JERUSALEM", "JTA", "Israel's parliament"),
    # two agencies in the brackets; a Chinese wire without its place
    ("Berlin (dpa/AFP) - Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung beschlossen.",
     "Berlin", "dpa/AFP", "Die Bundesregierung"),
    ("中新网11月24日电 据国家统计局网站消息，全国规模以上工业增加值同比增长。", None, "中新网", "据国家统计局"),
    # a colon closing the credit, in Arabic script
    ("واشنطن/ الأناضول: أعلنت الإدارة الأمريكية اليوم عن حزمة مساعدات جديدة لأوكرانيا بقيمة مليار دولار.",
     "واشنطن", "الأناضول", "أعلنت الإدارة"),
    ("بغداد – متابعة الجورنال: أعلنت وزارة الداخلية العراقية اليوم عن خطة أمنية جديدة لحماية الزائرين.",
     "بغداد", "متابعة الجورنال", "أعلنت وزارة"),
    # the Russian wires: the day without its year, the agency in slashes or after a full stop
    ("МОСКВА, 24 ноября. /ТАСС/. Правительство России утвердило программу развития здравоохранения.",
     "МОСКВА", "ТАСС", "Правительство России"),
    ("Москва. 24 ноября. INTERFAX.RU - Правительство России утвердило программу развития здравоохранения.",
     "Москва", "INTERFAX.RU", "Правительство России"),
    # a Chinese wire credit: agency, place, date, "电", and the reporters in brackets
    ("新华社北京11月24日电 国务院总理主持召开国务院常务会议，部署进一步稳就业的举措。", "北京", "新华社", "国务院总理"),
    ("中新社上海11月24日电 (记者 李四) 上海市政府24日宣布新的住房政策。", "上海", "李四", "上海市政府"),
    # the outlet in quotes after the place (the tatweel that stood as a dash dropped)
    ("بغداد «القدس العربي»: أجرى وفد عسكري سوري مباحثات في العاصمة العراقية بغداد مع مسؤولين في وزارة الدفاع.",
     "بغداد", "القدس العربي", "أجرى وفد"),
    # the place in capitals, a comma, then its date or the outlet (a domain, an agency), no brackets
    ("BEIJING, Nov. 24 -- China's exports rose faster than expected in October, customs data showed.",
     "BEIJING", None, "China's exports"),
    ("JAKARTA, KOMPAS.com - Presiden meresmikan jalan tol baru yang menghubungkan dua provinsi di Jawa.",
     "JAKARTA", "KOMPAS.com", "Presiden meresmikan"),
    ("BANDUNG, ANTARA - Gempa bumi bermagnitudo 5,6 mengguncang wilayah Jawa Barat pada Selasa pagi.",
     "BANDUNG", "ANTARA", "Gempa bumi"),
    ("LONDON, UK — Britain's economy grew by 0.2 per cent in the third quarter, official figures show.",
     "LONDON", None, "Britain's economy"),       # the place's country: no credit
    # the text glued to the bracket (a dump of "<span>(CNN)</span>The …"): its capital shows the seam
    ("(CNN)The Senate on Thursday passed a short-term spending bill to avert a government shutdown.",
     None, "CNN", "The Senate"),
    ("London (CNN)It was the interview that some within Buckingham Palace must have feared most.",
     "London", "CNN", "It was the interview"),
    # no separator after the agency's bracket where the script has no case
    ("القاهرة (أ ف ب) أعلنت وزارة الصحة المصرية اليوم عن إجراءات جديدة لمواجهة انتشار الفيروس.",
     "القاهرة", "أ ف ب", "أعلنت وزارة"),
    ("नई दिल्ली (भाषा) केंद्र सरकार ने गुरुवार को किसानों के लिए एक नई योजना की घोषणा की।",
     "नई दिल्ली", "भाषा", "केंद्र सरकार"),
    ("London (Reuters) the text of a page that starts in lower case for some reason.", None, None, "London"),
    # a Korean wire: the place and the agency in brackets, then the reporters and "="
    ("(세종=연합뉴스) 김철수 기자 = 정부가 내년도 예산안을 677조원 규모로 확정했다.", "세종", "김철수", "정부가"),
    ("[서울=뉴시스]홍길동 이영희 기자 = 서울시가 새로운 교통 정책을 발표했다.", "서울", "홍길동 이영희", "서울시가"),
    ("(워싱턴=뉴스1) 김영수 특파원 = 미국 정부가 새로운 제재를 발표했다.", "워싱턴", "김영수", "미국 정부가"),
    ("(서울=연합뉴스) 정부가 새로운 정책을 발표했다고 밝혔다.", "서울", "연합뉴스", "정부가"),
    ("(사진=연합뉴스) 정부가 새로운 정책을 발표했다고 밝혔다.", None, None, "(사진=연합뉴스)"),  # a picture's credit
])
def test_glued_dateline_byline(par, dateline, byline, rest_start):
    d, b, rest = split_dateline_byline(par)
    assert (d, b) == (dateline, byline)
    assert rest.startswith(rest_start)


@pytest.mark.parametrize("par", [
    "The cat - a big one - sat on the mat all day long and nothing happened at all.",
    "وفي تطور مفاجئ، استقبلت قيادة أركان الجيش العراقي، الأربعاء الماضي، وفدًا عسكريًا سوريًا.",
    "庭审结束后法官当庭宣判：被告人时建锋犯诈骗罪，判处有期徒刑两年6个月。",
    "Anti-AP protesters gathered outside the building on Tuesday, police said, and the crowd grew.",
    "Update - The council met again on Tuesday and voted to close the harbour for the winter.",  # a word
    "ΤΕΛ ΑΒΙΒ - ΤΖΟΥΜΠΑ.-- Αρκούντως συμβολική ήταν η επιλογή του προέδρου να επισκεφθεί το Ισραήλ.",
    "الرئيس الأمريكي الجديد - الذي وصل أمس إلى المنطقة - سيلتقي القادة العرب في قمة طارئة.",
    "أكد الرئيس - خلال لقائه الوفد الزائر - أن العلاقات بين البلدين تشهد تطوراً ملحوظاً في المجالات كافة.",
    "London 2012 Reuters reported that the games had cost more than any before them, officials said.",
    "The minister (who resigned) - said on Tuesday that the talks would go on without him, aides said.",
    "London - Sources: the government will announce a new plan for the economy tomorrow morning.",
    "Fazit/ Meinung: Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung beschlossen.",
    "Paris, Nov. 24 - the city's mayor said on Tuesday that the river would be clean enough to swim in.",
    "NASA, ESA - THE two agencies announced a joint mission to study the sun's outer atmosphere.",
    "(AP)the two sides met again on Tuesday, officials said, and talks went on into the night.",   # no seam
])
def test_no_glued_credit(par):
    assert split_dateline_byline(par) == (None, None, par)


@pytest.mark.parametrize("par,outlet,dateline,byline,rest_start", [
    # the outlet's own name as the credit: alone before a slash, a colon or a dash, or after the place
    ("شفق نيوز/ صوت مجلس النواب العراقي، مساء يوم الاثنين، على قانون الموازنة العامة الاتحادية.",
     "شفق نيوز", None, "شفق نيوز", "صوت مجلس"),
    ("عمان - الغد - قررت لجنة تسعير المشتقات النفطية رفع أسعار البنزين للشهر الثالث على التوالي.",
     "جريدة الغد", "عمان", "الغد", "قررت لجنة"),           # a run of the name's words
    ("247 – Embora o ministro da Defesa tenha dito ao presidente do Supremo que as forças armadas estão.",
     "Brasil 247", None, "247", "Embora o ministro"),
    ("Gazeta: Rząd przyjął w środę projekt ustawy budżetowej na przyszły rok, poinformował rzecznik.",
     "Gazeta", None, "Gazeta", "Rząd przyjął"),
    # in Arabic script the text may follow the whole name without a separator, after a place or brackets
    ("الرباط - هسبريس أعلنت وزارة الصحة اليوم عن إطلاق حملة تطعيم جديدة ضد الإنفلونزا.",
     "هسبريس", "الرباط", "هسبريس", "أعلنت وزارة"),
    ("دبي (الاتحاد) أعلنت وزارة الصحة اليوم عن إطلاق حملة تطعيم جديدة ضد الإنفلونزا.",
     "الاتحاد", "دبي", "الاتحاد", "أعلنت وزارة"),
    ("عكاظ (جدة) أعلنت وزارة الصحة اليوم عن إطلاق حملة تطعيم جديدة ضد الإنفلونزا.",
     "عكاظ", "جدة", "عكاظ", "أعلنت وزارة"),                # the outlet, then its place in brackets
    # the outlet's whole name, where an agency's table knows only its first words
    ("أبوظبي - سكاي نيوز عربية أعلنت وزارة الصحة اليوم عن إطلاق حملة تطعيم جديدة ضد الإنفلونزا.",
     "سكاي نيوز عربية", "أبوظبي", "سكاي نيوز عربية", "أعلنت وزارة"),
    # the place after the outlet, closed by a separator
    ("السومرية نيوز/ بغداد - أعلنت وزارة الصحة اليوم عن إطلاق حملة تطعيم جديدة ضد الإنفلونزا.",
     "السومرية نيوز", "بغداد", "السومرية نيوز", "أعلنت وزارة"),
    ("Gazeta: WARSZAWA - Rząd przyjął w środę projekt ustawy budżetowej na przyszły rok.",
     "Gazeta", "WARSZAWA", "Gazeta", "Rząd przyjął"),
    ("Gazeta: Rząd - przyjął w środę projekt ustawy budżetowej na przyszły rok, mówi rzecznik.",
     "Gazeta", None, "Gazeta", "Rząd - przyjął"),         # a capitalised word: no place
])
def test_the_outlets_own_name_glued_as_its_credit(par, outlet, dateline, byline, rest_start):
    d, b, rest = split_dateline_byline(par, outlet=outlet)
    assert (d, b) == (dateline, byline)
    assert rest.startswith(rest_start)
    # the same words are no credit on another outlet's page, nor on a page whose outlet is unknown
    assert split_dateline_byline(par, outlet="Other Times")[:2] == split_dateline_byline(par)[:2] != (d, b)


@pytest.mark.parametrize("par,outlet", [
    # an aside between dashes whose words are not the outlet's
    ("أكد الرئيس - خلال لقائه الوفد الزائر - أن العلاقات بين البلدين تشهد تطوراً ملحوظاً في المجالات كافة.",
     "جريدة الغد"),
    # the outlet's name inside the sentence, or with a word more before the separator
    ("Die Zeit: Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung beschlossen, hieß es.",
     "Zeit Online"),
    ("قالت صحيفة الغد/ إن الحكومة ستعلن خطة جديدة لدعم الصادرات الزراعية خلال الأسبوع المقبل.", "جريدة الغد"),
    # without a separator: a word of the name ("today") is prose, and the name alone opens a sentence
    ("القاهرة - اليوم أعلنت وزارة الصحة عن إطلاق حملة تطعيم جديدة ضد الإنفلونزا في المحافظات.", "أخبار اليوم"),
    ("الغد أعلنت وزارة الصحة اليوم عن إطلاق حملة تطعيم جديدة ضد الإنفلونزا في جميع المحافظات.", "الغد"),
])
def test_no_outlet_credit(par, outlet):
    # the outlet's name changes nothing: what is left is what the shapes alone find
    got = split_dateline_byline(par, outlet=outlet)
    assert got == split_dateline_byline(par) and got[1] is None


@pytest.mark.parametrize("line,who", [
    ("Veröffentlicht am 24. November 2026 von Anna", "Anna"),
    ("Posted on November 24, 2026 by Jane Doe", "Jane Doe"),
    ("January 11, 2012 - 4:35am By MARILLA STEPHENSON", "MARILLA STEPHENSON"),
    ("Publié le 24 novembre 2026 par Jean Dupont", "Jean Dupont"),
    ("November 24, 2026 by the editors of the magazine and more", None),     # no name: a phrase
    ("Produced by Jane Doe", None),                                         # no date before it
    ("January 12, 2012 by Deborah Condon www.irishhealth.com]", None),      # no name after the word
    # the credit word first, the date after the name
    ("By Louie Smith 17/01/2012", "Louie Smith"),
    ("By Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m.", "Louis Jacobson"),
    ("By Jane Doe", None),                                                  # no date
])
def test_a_dated_line_closing_with_its_credit(line, who):
    assert byline_after_date(line) == who


def test_agencies_come_from_the_rules():
    assert is_agency("Reuters") and is_agency("الأناضول") and is_agency("新华社")
    assert not is_agency("Baghdad")


def test_a_name_credited_elsewhere_in_the_page():
    text = "The plan was approved.\nReporting by Florence Tan; Editing by Kenneth Maxwell\nVon Anna Schmidt"
    assert name_credited_in("Florence Tan", text) and name_credited_in("Kenneth Maxwell", text)
    assert name_credited_in("Anna Schmidt", text)
    assert not name_credited_in("Florence", text)                # one word is no name
    assert not name_credited_in("Asia Pacific", text)            # not credited
    assert not name_credited_in("florence tan", text)            # not capitalised
    assert not name_credited_in("Tan", "by Florence Tan")
    # a label's colon is no part of a name: "From: Daily Mail" is a source line, not a person
    assert not name_credited_in("From: Daily Mail", "Written by From: Daily Mail")


def test_byline_titles_come_from_the_rules(tmp_path):
    # a user adds the titles of another language without touching code
    (tmp_path / "titles.yaml").write_text("byline_title:\n  en: [Dr., Prof.]\n", encoding="utf-8")
    assert parse_credit_line("Dr. Jane Doe", str(tmp_path)) == (None, "Dr. Jane Doe")
    assert parse_credit_line("Dr. Jane Doe") is None
    assert parse_credit_line("Dr. Strange returns to the cinema", str(tmp_path)) is None   # not a name


@pytest.mark.parametrize("key,name", [
    ("by jane doe", "jane doe"), ("von markus reuter", "markus reuter"), ("par claire martin", "claire martin"),
    ("كتب محمد السيد", "محمد السيد"),
    ("bystanders said", None), ("jane doe", None), ("by", None),
])
def test_credited_name_after_a_one_word_credit(key, name):
    assert credited_name(key) == name
