"""Generate a large, realistic corpus of raw news text dumps for the benchmarks.

    python bench/generate.py OUT_DIR --files 100000 [--seed 7] [--sites 240]

Article text is real: paragraphs of the sample dumps in samples/raw and of the
devset's gold texts (read from ../shared/devset at generation time; nothing of
the devset is copied into the repository). Each page is one site's chrome
(masthead, date widget, menu, breadcrumb, share bar, newsletter box, related
links, comment block, footer) in the site's language, wrapped around a
document assembled from a few paragraphs of articles in that language, so
that almost every page is unique while looking like the dumps users ingest.

A share of the files are exact duplicates (same bytes, another path) and near
duplicates (one paragraph changed, other chrome), and a share are bad files:
empty, white space only, binary, truncated gzip. A few good pages are gzipped.

Deterministic for a seed (same bytes in the same paths), and streaming: files
are written one at a time, only a small ring of recent pages is kept for the
duplicates, so memory stays flat whatever --files is.

Layout: OUT_DIR/<site>/<nnnnnnnn>.txt[.gz|.bin] (the folder is the site, as
news-etl's discovery expects), plus OUT_DIR/.corpus.json describing the mix (hidden: discovery skips it).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES_RAW = REPO / "samples" / "raw"
DEVSET = REPO.parent / "shared" / "devset"

# --------------------------------------------------------------------------
# per-language chrome vocabulary (menus, widgets, footers); article text is never made up
# --------------------------------------------------------------------------
CHROME = {
    "en": dict(
        menu=["Home", "World", "Politics", "Business", "Tech", "Science", "Health", "Sport", "Culture",
              "Opinion", "Travel", "Video", "Podcasts", "Weather", "Markets", "Climate", "Books", "Style"],
        days=["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        months=["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"],
        date="{day}, {month} {d}, {y}", updated="Updated {h:02d}:{m:02d} GMT",
        masthead=["The {name}", "{name} Daily", "{name} Herald", "{name} Times", "{name} Post"],
        tagline=["Independent journalism since {y}", "News you can trust", "Breaking news and analysis"],
        share=["Share", "Facebook", "Twitter", "WhatsApp", "Email", "Print", "Copy link"],
        follow="Follow us on {net}", nets=["Facebook", "X", "Instagram", "YouTube", "Telegram"],
        newsletter=["Sign up for our morning briefing", "Subscribe to our newsletter",
                    "Get the best stories in your inbox every day"],
        related="Related articles", more="Read more", comments="{n} Comments",
        comment_form=["Leave a comment", "Your email address will not be published.", "Post comment"],
        cookie="We use cookies to improve your experience. By continuing you accept our cookie policy.",
        copyright="© {y} {name}. All rights reserved.",
        footer=["About us", "Contact", "Advertise", "Privacy policy", "Terms of use", "Careers"],
        byline="By {who}", ad="Advertisement", back="Back to top", users=["John", "Maria", "Ahmed", "Li"],
    ),
    "ar": dict(
        menu=["الرئيسية", "أخبار", "سياسة", "اقتصاد", "رياضة", "ثقافة", "فن", "تكنولوجيا", "صحة", "مقالات",
              "حوادث", "عربي ودولي", "محافظات", "فيديو", "منوعات", "تقارير"],
        days=["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"],
        months=["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                "نوفمبر", "ديسمبر"],
        date="{day} {d} {month} {y}", updated="آخر تحديث {h:02d}:{m:02d}",
        masthead=["بوابة {name}", "{name} اليوم", "جريدة {name}", "{name} نيوز"],
        tagline=["رئيس مجلس الإدارة والتحرير", "صحيفة يومية مستقلة", "أخبار عاجلة على مدار الساعة"],
        share=["شارك", "فيسبوك", "تويتر", "واتساب", "البريد", "طباعة"],
        follow="تابعونا على {net}", nets=["فيسبوك", "تويتر", "يوتيوب", "تيليجرام", "google news"],
        newsletter=["اشترك في النشرة البريدية", "تابع أحدث الأخبار عبر تطبيق google news"],
        related="أخبار ذات صلة", more="اقرأ أيضا", comments="{n} تعليقات",
        comment_form=["أضف تعليقك", "لن يتم نشر عنوان بريدك الإلكتروني", "إرسال"],
        cookie="يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك.",
        copyright="جميع الحقوق محفوظة © {name} {y}",
        footer=["من نحن", "اتصل بنا", "أعلن معنا", "سياسة الخصوصية", "شروط الاستخدام"],
        byline="كتب: {who}", ad="إعلان", back="العودة للأعلى", users=["محمد", "أحمد", "سارة", "علي"],
    ),
    "fr": dict(
        menu=["Accueil", "International", "Politique", "Économie", "Société", "Culture", "Sport", "Sciences",
              "Planète", "Idées", "Vidéos", "Régions", "Médias", "Santé"],
        days=["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
        months=["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                "octobre", "novembre", "décembre"],
        date="{day} {d} {month} {y}", updated="Mis à jour à {h:02d}h{m:02d}",
        masthead=["Le {name}", "{name} Matin", "La Gazette de {name}", "{name} Info"],
        tagline=["L'information en continu", "Quotidien indépendant depuis {y}"],
        share=["Partager", "Facebook", "Twitter", "WhatsApp", "E-mail", "Imprimer"],
        follow="Suivez-nous sur {net}", nets=["Facebook", "X", "Instagram", "YouTube"],
        newsletter=["Inscrivez-vous à notre newsletter", "Recevez l'essentiel de l'actualité chaque matin"],
        related="Sur le même sujet", more="Lire aussi", comments="{n} commentaires",
        comment_form=["Laisser un commentaire", "Votre adresse e-mail ne sera pas publiée.", "Envoyer"],
        cookie="Ce site utilise des cookies. En poursuivant votre navigation, vous acceptez leur utilisation.",
        copyright="© {name} {y} - Tous droits réservés",
        footer=["Qui sommes-nous", "Contact", "Publicité", "Mentions légales", "Confidentialité"],
        byline="Par {who}", ad="Publicité", back="Haut de page", users=["Pierre", "Claire", "Karim", "Anne"],
    ),
    "zh": dict(
        menu=["首页", "新闻", "国内", "国际", "财经", "科技", "体育", "娱乐", "军事", "社会", "汽车", "房产",
              "教育", "健康", "视频", "图片"],
        days=["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"],
        months=[f"{i}月" for i in range(1, 13)],
        date="{y}年{month}{d}日 {day}", updated="更新时间 {h:02d}:{m:02d}",
        masthead=["{name}网", "{name}日报", "{name}新闻网", "{name}在线"],
        tagline=["权威新闻门户", "新闻资讯第一站"],
        share=["分享到", "微信", "微博", "QQ空间", "复制链接", "打印"],
        follow="关注我们的{net}", nets=["微信公众号", "微博", "抖音"],
        newsletter=["订阅每日新闻简报", "扫码下载客户端"],
        related="相关新闻", more="延伸阅读", comments="评论（{n}）",
        comment_form=["发表评论", "请遵守互联网相关政策法规", "提交"],
        cookie="本网站使用Cookie以改善您的浏览体验。",
        copyright="版权所有 © {y} {name} 保留所有权利",
        footer=["关于我们", "联系我们", "广告服务", "隐私政策", "网站地图", "违法和不良信息举报"],
        byline="作者：{who}", ad="广告", back="返回顶部", users=["网友", "读者", "匿名用户", "小王"],
    ),
    "ru": dict(
        menu=["Главная", "Новости", "Политика", "Экономика", "Общество", "Происшествия", "Спорт", "Культура",
              "Наука", "Технологии", "Мнения", "Видео"],
        days=["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
        months=["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                "октября", "ноября", "декабря"],
        date="{d} {month} {y}, {day}", updated="Обновлено в {h:02d}:{m:02d}",
        masthead=["{name}.ру", "Вестник {name}", "{name} Сегодня"],
        tagline=["Новости дня", "Главные события"],
        share=["Поделиться", "ВКонтакте", "Одноклассники", "Telegram", "Печать"],
        follow="Подписывайтесь на нас в {net}", nets=["Telegram", "ВКонтакте", "Дзен"],
        newsletter=["Подпишитесь на рассылку", "Самые важные новости на вашу почту"],
        related="Читайте также", more="Ещё по теме", comments="Комментарии ({n})",
        comment_form=["Оставить комментарий", "Ваш e-mail не будет опубликован", "Отправить"],
        cookie="Мы используем файлы cookie для улучшения работы сайта.",
        copyright="© {y} {name}. Все права защищены.",
        footer=["О нас", "Контакты", "Реклама", "Политика конфиденциальности"],
        byline="Автор: {who}", ad="Реклама", back="Наверх", users=["Иван", "Ольга", "Сергей", "Гость"],
    ),
    "el": dict(
        menu=["Αρχική", "Ειδήσεις", "Πολιτική", "Οικονομία", "Κόσμος", "Αθλητισμός", "Πολιτισμός",
              "Τεχνολογία", "Υγεία", "Απόψεις"],
        days=["Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή"],
        months=["Ιανουαρίου", "Φεβρουαρίου", "Μαρτίου", "Απριλίου", "Μαΐου", "Ιουνίου", "Ιουλίου",
                "Αυγούστου", "Σεπτεμβρίου", "Οκτωβρίου", "Νοεμβρίου", "Δεκεμβρίου"],
        date="{day}, {d} {month} {y}", updated="Ενημέρωση {h:02d}:{m:02d}",
        masthead=["{name}.gr", "Η {name}", "{name} Νέα"],
        tagline=["Ειδήσεις από την Ελλάδα και τον κόσμο"],
        share=["Κοινοποίηση", "Facebook", "Twitter", "Email", "Εκτύπωση"],
        follow="Ακολουθήστε μας στο {net}", nets=["Facebook", "Twitter", "Instagram"],
        newsletter=["Εγγραφείτε στο newsletter μας"],
        related="Σχετικά άρθρα", more="Διαβάστε επίσης", comments="{n} σχόλια",
        comment_form=["Αφήστε ένα σχόλιο", "Η διεύθυνση email σας δεν θα δημοσιευθεί", "Υποβολή"],
        cookie="Χρησιμοποιούμε cookies για την καλύτερη εμπειρία σας.",
        copyright="© {y} {name}. Με την επιφύλαξη παντός δικαιώματος.",
        footer=["Ποιοι είμαστε", "Επικοινωνία", "Διαφήμιση", "Όροι χρήσης"],
        byline="Του {who}", ad="Διαφήμιση", back="Επιστροφή στην κορυφή", users=["Γιώργος", "Μαρία", "Νίκος"],
    ),
    "pl": dict(
        menu=["Strona główna", "Wiadomości", "Kraj", "Świat", "Biznes", "Sport", "Kultura", "Nauka",
              "Technologie", "Zdrowie", "Opinie", "Wideo"],
        days=["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"],
        months=["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
                "października", "listopada", "grudnia"],
        date="{day}, {d} {month} {y}", updated="Aktualizacja: {h:02d}:{m:02d}",
        masthead=["Gazeta {name}", "{name}.pl", "Dziennik {name}"],
        tagline=["Najnowsze wiadomości z kraju i ze świata"],
        share=["Udostępnij", "Facebook", "Twitter", "E-mail", "Drukuj"],
        follow="Obserwuj nas na {net}", nets=["Facebooku", "Twitterze", "YouTube"],
        newsletter=["Zapisz się na newsletter", "Najważniejsze informacje prosto na Twoją skrzynkę"],
        related="Zobacz także", more="Czytaj więcej", comments="Komentarze ({n})",
        comment_form=["Dodaj komentarz", "Twój adres e-mail nie zostanie opublikowany", "Wyślij"],
        cookie="Ta strona używa plików cookies. Korzystając z niej, wyrażasz zgodę na ich użycie.",
        copyright="© {y} {name}. Wszelkie prawa zastrzeżone.",
        footer=["O nas", "Kontakt", "Reklama", "Polityka prywatności", "Regulamin"],
        byline="Autor: {who}", ad="Reklama", back="Do góry", users=["Marek", "Ania", "Tomek", "Gość"],
    ),
}
CHROME["de"] = dict(CHROME["en"],
                    days=["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
                    months=["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                            "Oktober", "November", "Dezember"],
                    date="{day}, {d}. {month} {y}", updated="Aktualisiert um {h:02d}:{m:02d} Uhr",
                    masthead=["{name}-Zeitung", "{name} Kurier", "{name} Rundschau"],
                    tagline=["Nachrichten aus der Region und der Welt", "Unabhängig seit {y}"],
                    follow="Folgen Sie uns auf {net}", newsletter=["Jetzt Newsletter abonnieren"],
                    comment_form=["Kommentar schreiben", "Ihre E-Mail-Adresse wird nicht veröffentlicht.", "Absenden"],
                    cookie="Wir verwenden Cookies. Mit der Nutzung der Seite stimmen Sie dem zu.",
                    users=["Klaus", "Petra", "Gast"], menu=["Startseite", "Politik", "Wirtschaft", "Panorama", "Sport", "Kultur",
                                        "Wissen", "Netzwelt", "Reise", "Video"],
                    share=["Teilen", "Facebook", "Twitter", "E-Mail", "Drucken"], related="Mehr zum Thema",
                    more="Lesen Sie auch", comments="{n} Kommentare", ad="Anzeige", back="Nach oben",
                    footer=["Impressum", "Kontakt", "Datenschutz", "Werbung"], byline="Von {who}",
                    copyright="© {name} {y} Alle Rechte vorbehalten")
SITE_NAME_PARTS = {
    "en": ["Harbor", "Capital", "River", "Northern", "Metro", "Coast", "Valley", "Union", "Summit", "Liberty"],
    "ar": ["العرب", "الوطن", "الشروق", "النهار", "الأمة", "الخليج", "الأهرام", "المدينة", "الفجر", "الرأي"],
    "fr": ["Provence", "Nord", "Lyon", "Bretagne", "Matin", "Républicain", "Dauphiné", "Midi", "Est", "Ouest"],
    "zh": ["环球", "东方", "南方", "新华", "长江", "华夏", "北方", "天府", "齐鲁", "岭南"],
    "ru": ["Москва", "Невский", "Урал", "Сибирь", "Волга", "Кавказ", "Балтика", "Дон"],
    "el": ["Αθήνα", "Μακεδονία", "Κρήτη", "Αιγαίο", "Ήπειρος", "Θεσσαλία"],
    "pl": ["Warszawa", "Pomorze", "Śląsk", "Kraków", "Mazowsze", "Wielkopolska"],
    "de": ["Nord", "Rhein", "Alpen", "Elbe", "Main", "Spree"],
}
AUTHORS = {"en": ["Sarah Miller", "James Chen", "Priya Patel", "Tom Weber"], "ar": ["محمد حسن", "سارة علي", "أحمد يوسف"],
           "fr": ["Claire Dubois", "Marc Lefèvre", "Sofia Haddad"], "zh": ["张伟", "李娜", "王芳"],
           "ru": ["Иван Петров", "Анна Смирнова"], "el": ["Νίκος Παππάς", "Ελένη Γεωργίου"],
           "pl": ["Jan Kowalski", "Anna Nowak"], "de": ["Jonas Fischer", "Lena Braun"]}


# --------------------------------------------------------------------------
# article text pools, read at generation time
# --------------------------------------------------------------------------
def load_pools(devset: Path, samples: Path) -> dict[str, list[list[str]]]:
    """language -> list of articles, each a list of paragraphs (real text)."""
    pools: dict[str, list[list[str]]] = {}
    manifest = devset / "manifest.jsonl"
    if manifest.exists():
        with manifest.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                gold = devset / f"{row['id']}.gold.txt"
                if row.get("track") != "full" or not gold.exists():
                    continue
                paras = [p.strip() for p in gold.read_text(encoding="utf-8").splitlines() if len(p.strip()) >= 40]
                if len(paras) >= 2:
                    pools.setdefault(row["language"], []).append(paras)
    for path in sorted(samples.glob("*")) if samples.exists() else []:
        # the samples are Arabic dumps with their chrome: long lines are the article
        paras = [p.strip() for p in path.read_text(encoding="utf-8", errors="replace").splitlines() if len(p.strip()) >= 80]
        if paras:
            pools.setdefault("ar", []).append(paras)
    # a language needs chrome vocabulary and enough paragraphs to vary its pages
    return {lang: arts for lang, arts in pools.items() if lang in CHROME and sum(map(len, arts)) >= 20}


# --------------------------------------------------------------------------
# sites and pages
# --------------------------------------------------------------------------
@dataclass
class Site:
    key: str
    lang: str
    name: str
    masthead: str
    tagline: str
    menu: list[str]
    sections: list[str]
    footer: list[str]
    share: list[str]
    with_comments: bool
    with_cookie: bool
    with_newsletter: bool
    related_n: int
    vocab: dict = field(repr=False, default_factory=dict)


def make_sites(n: int, langs: list[str], weights: list[float], rng: random.Random) -> list[Site]:
    sites = []
    for i in range(n):
        lang = rng.choices(langs, weights)[0]
        v = CHROME.get(lang, CHROME["en"])
        name = rng.choice(SITE_NAME_PARTS.get(lang, SITE_NAME_PARTS["en"])) + ("" if i < 10 else f" {i}")
        year = rng.randint(1890, 2012)
        sites.append(Site(
            key=f"site{i:04d}-{lang}", lang=lang, name=name,
            masthead=rng.choice(v["masthead"]).format(name=name),
            tagline=rng.choice(v["tagline"]).format(y=year),
            menu=rng.sample(v["menu"], k=min(len(v["menu"]), rng.randint(6, 12))),
            sections=rng.sample(v["menu"], k=3),
            footer=rng.sample(v["footer"], k=min(len(v["footer"]), rng.randint(3, 6))),
            share=v["share"][: rng.randint(3, len(v["share"]))],
            with_comments=rng.random() < 0.5, with_cookie=rng.random() < 0.6,
            with_newsletter=rng.random() < 0.5, related_n=rng.randint(2, 6), vocab=v,
        ))
    return sites


def headline(paragraph: str, lang: str) -> str:
    """A title from the first sentence of the lead paragraph (real words, no invention)."""
    cut = 40 if lang in ("zh", "ja") else 110
    for stop in ("。", ". ", "؛", "! ", "? "):
        i = paragraph.find(stop)
        if 20 < i < cut:
            return paragraph[: i + len(stop.strip())].strip()
    return paragraph[:cut].rsplit(" ", 1)[0].strip() if " " in paragraph[:cut] else paragraph[:cut]


def teaser(article: list[str], lang: str) -> str:
    return headline(article[0], lang)


def compose_body(rng: random.Random, pool: list[list[str]], target_bytes: int) -> list[str]:
    """A run of paragraphs from one article, topped up with paragraphs of other articles in the same
    language, up to ~target_bytes: a small pool still gives (nearly) unique pages."""
    base = rng.choice(pool)
    start = rng.randrange(0, max(1, len(base) - 2))
    paras: list[str] = []
    size = 0
    for p in base[start:start + rng.randint(2, 6)]:
        paras.append(p)
        size += len(p.encode("utf-8")) + 1
    seen = set(paras)
    for _ in range(200):
        if size >= target_bytes:
            break
        p = rng.choice(rng.choice(pool))
        if p in seen:
            continue
        seen.add(p)
        paras.append(p)
        size += len(p.encode("utf-8")) + 1
    return paras


def render_page(rng: random.Random, site: Site, pools: dict[str, list[list[str]]], target_bytes: int) -> str:
    v = site.vocab
    pool = pools[site.lang]
    y, mo, d = rng.randint(2015, 2025), rng.randrange(12), rng.randint(1, 28)
    day = v["days"][rng.randrange(7)]
    date_line = v["date"].format(day=day, month=v["months"][mo], d=d, y=y)
    lines: list[str] = []
    # header zone
    if rng.random() < 0.7:
        lines.append(date_line)
    lines += [site.masthead, site.tagline]
    lines += site.menu
    if site.with_cookie and rng.random() < 0.5:
        lines.append(v["cookie"])
    lines.append("")
    body = compose_body(rng, pool, target_bytes - 1400)
    title = headline(body[0], site.lang)
    lines.append(f"{v['menu'][0]} / {site.sections[rng.randrange(3)]} / {title[:40]}")   # breadcrumb
    lines += ["", title, ""]
    lines.append(v["byline"].format(who=rng.choice(AUTHORS.get(site.lang, AUTHORS["en"]))))
    lines.append(date_line if rng.random() < 0.5 else v["updated"].format(h=rng.randrange(24), m=rng.randrange(60)))
    lines += site.share
    lines.append("")
    for i, p in enumerate(body):
        lines.append(p)
        if i == 2 and rng.random() < 0.3:
            lines.append(v["ad"])
        if i == 3 and rng.random() < 0.3:
            lines.append(f"{v['more']}: {teaser(rng.choice(pool), site.lang)}")
    lines.append("")
    lines += site.share[:3]
    lines.append(v["follow"].format(net=rng.choice(v["nets"])))
    if site.with_newsletter:
        lines.append(rng.choice(v["newsletter"]))
    lines += ["", v["related"]]
    lines += [teaser(rng.choice(pool), site.lang) for _ in range(site.related_n)]
    if site.with_comments:
        n = rng.randint(0, 4)
        lines += ["", v["comments"].format(n=n)]
        for _ in range(n):
            lines.append(rng.choice(v["users"]) + f" · {rng.randint(1, 59)} min")
            lines.append(headline(rng.choice(rng.choice(pool)), site.lang))
        lines += v["comment_form"]
    lines += ["", v["back"]]
    lines += site.footer
    lines.append(v["copyright"].format(name=site.name, y=rng.randint(2019, 2025)))
    return "\n".join(lines) + "\n"


def near_duplicate(rng: random.Random, text: str) -> str:
    """Same article, lightly edited: one long line cut short, a correction appended."""
    lines = text.split("\n")
    long_idx = [i for i, ln in enumerate(lines) if len(ln) > 120]
    if long_idx:
        i = rng.choice(long_idx)
        lines[i] = lines[i][: int(len(lines[i]) * 0.8)].rstrip() + "…"
    return "\n".join(lines)


# --------------------------------------------------------------------------
# bad files
# --------------------------------------------------------------------------
def bad_file(rng: random.Random, kind: str, good_text: str) -> tuple[str, bytes]:
    if kind == "empty":
        return ".txt", b""
    if kind == "whitespace":
        return ".txt", b" \n\t\n" * rng.randint(1, 50)
    if kind == "binary":
        return ".bin", bytes(rng.getrandbits(8) for _ in range(rng.randint(256, 4096)))
    if kind == "truncated_gzip":
        blob = gzip.compress(good_text.encode("utf-8"), mtime=0)
        return ".txt.gz", blob[: max(12, len(blob) // 2)]
    raise ValueError(kind)


BAD_KINDS = ["empty", "whitespace", "binary", "truncated_gzip"]


@dataclass
class Mix:
    exact_dup: float = 0.03
    near_dup: float = 0.03
    bad: float = 0.02
    gzip: float = 0.01


def generate(out: Path, n_files: int, seed: int, n_sites: int, mix: Mix, avg_bytes: int = 5000,
             devset: Path = DEVSET, samples: Path = SAMPLES_RAW, progress: bool = False) -> dict:
    rng = random.Random(seed)
    pools = load_pools(devset, samples)
    if not pools:
        raise SystemExit(f"no article text found in {devset} or {samples}")
    langs = sorted(pools)
    # more sites in the languages with more text, but every language present
    weights = [sum(map(len, pools[lang])) ** 0.5 for lang in langs]
    sites = make_sites(n_sites, langs, weights, rng)
    out.mkdir(parents=True, exist_ok=True)
    for s in sites:
        (out / s.key).mkdir(exist_ok=True)
    recent: deque[tuple[Site, str]] = deque(maxlen=256)   # the only state kept: memory stays flat
    counts = {"good": 0, "gzip": 0, "exact_dup": 0, "near_dup": 0} | {k: 0 for k in BAD_KINDS}
    total_bytes = 0
    t0 = time.perf_counter()
    for i in range(n_files):
        site = sites[rng.randrange(len(sites))]
        roll = rng.random()
        suffix = ".txt"
        if recent and roll < mix.exact_dup:
            site, text = recent[rng.randrange(len(recent))]
            data = text.encode("utf-8")
            counts["exact_dup"] += 1
        elif recent and roll < mix.exact_dup + mix.near_dup:
            site, text = recent[rng.randrange(len(recent))]
            data = near_duplicate(rng, text).encode("utf-8")
            counts["near_dup"] += 1
        elif roll < mix.exact_dup + mix.near_dup + mix.bad:
            kind = BAD_KINDS[rng.randrange(len(BAD_KINDS))]
            text = render_page(rng, site, pools, avg_bytes) if kind == "truncated_gzip" else ""
            suffix, data = bad_file(rng, kind, text)
            counts[kind] += 1
        else:
            # page sizes vary around the average (a long tail of long articles)
            target = int(min(4 * avg_bytes, max(1800, rng.lognormvariate(0, 0.35) * avg_bytes * 0.94)))
            text = render_page(rng, site, pools, target)
            recent.append((site, text))
            data = text.encode("utf-8")
            if rng.random() < mix.gzip:
                data, suffix = gzip.compress(data, mtime=0), ".txt.gz"
                counts["gzip"] += 1
            else:
                counts["good"] += 1
        path = out / site.key / f"{i:08d}{suffix}"
        path.write_bytes(data)
        total_bytes += len(data)
        if progress and (i + 1) % 10000 == 0:
            rate = (i + 1) / (time.perf_counter() - t0)
            print(f"  {i + 1:,} files ({rate:,.0f}/s)", file=sys.stderr)
    info = {"files": n_files, "seed": seed, "sites": n_sites, "bytes": total_bytes,
            "avg_bytes": round(total_bytes / max(1, n_files)), "languages": {l: sum(s.lang == l for s in sites) for l in langs},
            "mix": counts, "seconds": round(time.perf_counter() - t0, 1)}
    (out / ".corpus.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sites", type=int, default=240)
    ap.add_argument("--avg-bytes", type=int, default=5000)
    ap.add_argument("--exact-dup", type=float, default=0.03)
    ap.add_argument("--near-dup", type=float, default=0.03)
    ap.add_argument("--bad", type=float, default=0.02)
    ap.add_argument("--devset", type=Path, default=DEVSET)
    args = ap.parse_args(argv)
    if args.out.exists() and any(p for p in args.out.iterdir() if p.name != ".corpus.json"):
        print(f"{args.out} is not empty; generate into a new folder", file=sys.stderr)
        return 2
    info = generate(args.out, args.files, args.seed, args.sites, Mix(args.exact_dup, args.near_dup, args.bad),
                    args.avg_bytes, devset=args.devset, progress=True)
    print(json.dumps(info, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
