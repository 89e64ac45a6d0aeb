"""Marts on a known input with hand-checked rows; story grouping on the samples and on a mixed set.

The warehouse is built with the real loader (staged Parquet parts → load_run → publish_run)
from hand-made article rows, then refreshed with warehouse.models.refresh_models.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tasks.dedup import minhash_signature
from tasks.lake import publish_run, staging_dir, write_part
from tasks.normalize import match_key
from warehouse.analysis import marts_behind, publish_analysis
from warehouse.loader import connect, load_run
from warehouse.models import (MartsOutOfMemory, build_marts, create_staging_views, dependency_order, discover_models,
                              mart_names, refresh_models, register_lake)
from warehouse.stories import StoryParams, group_stories
from tasks.terms import article_terms, content_terms
from tests.conftest import query_warehouse as query

INGESTED = dt.datetime(2024, 3, 5, 9, 30)

# Unrelated articles for the mixed set: (key, language, title, body). Two pairs are stories of
# their own (an earthquake in Arabic, a storm in English); the rest stand alone, one of them
# (Iraqi oil exports) on purpose sharing country names with the samples' story.
MIXED = [
    ("quake-a", "ar", "زلزال بقوة 6.8 درجات يضرب جنوب المغرب ويخلف مئات الضحايا",
     "ضرب زلزال بقوة 6.8 درجات على مقياس ريختر منطقة الحوز جنوب مدينة مراكش في المغرب ليل الجمعة، وأسفر عن سقوط مئات القتلى والجرحى وانهيار عشرات المنازل في القرى الجبلية.\n\n"
     "وقالت وزارة الداخلية المغربية إن فرق الإنقاذ والوقاية المدنية تواصل البحث عن ناجين تحت الأنقاض في إقليم الحوز وتارودانت، فيما شعر سكان الرباط والدار البيضاء بالهزة.\n\n"
     "وأعلن المعهد الوطني للجيوفيزياء أن مركز الزلزال يقع في جبال الأطلس الكبير على عمق نحو ثمانية كيلومترات، وأن هزات ارتدادية تلت الزلزال الرئيسي."),
    ("quake-b", "ar", "ارتفاع حصيلة ضحايا زلزال الحوز في المغرب واستمرار عمليات الإنقاذ",
     "ارتفعت حصيلة ضحايا الزلزال الذي ضرب إقليم الحوز في المغرب، بحسب وزارة الداخلية، فيما تواصل فرق الإنقاذ انتشال الجثث من تحت أنقاض المنازل المنهارة في قرى الأطلس الكبير.\n\n"
     "وتوافد المتطوعون على مراكز التبرع بالدم في مراكش، وأرسلت السلطات المغربية مساعدات وخياما إلى القرى المتضررة التي عزلتها الانهيارات الصخرية عن الطرق.\n\n"
     "وكانت الهزة الأرضية قد بلغت قوتها 6.8 درجات وشعر بها سكان مدن عدة، وتلتها هزات ارتدادية أثارت الذعر بين الناجين."),
    ("oil-ar", "ar", "ارتفاع صادرات النفط العراقية عبر ميناء البصرة الشهر الماضي",
     "أعلنت وزارة النفط العراقية أن صادرات الخام عبر موانئ البصرة الجنوبية ارتفعت الشهر الماضي إلى أكثر من ثلاثة ملايين برميل يوميا، مدعومة بزيادة الطلب في الأسواق الآسيوية.\n\n"
     "وقالت شركة تسويق النفط سومو إن متوسط سعر البرميل بلغ نحو 80 دولارا، وإن الإيرادات الشهرية تجاوزت ثمانية مليارات دولار ستذهب إلى تمويل الموازنة العامة.\n\n"
     "ويعتمد الاقتصاد العراقي على عائدات النفط في تمويل أكثر من تسعين في المئة من إنفاق الدولة، وتسعى الحكومة إلى تنويع مصادر الدخل مع سوريا والأردن."),
    ("football-ar", "ar", "الأهلي يفوز على الزمالك ويتصدر الدوري المصري",
     "حقق النادي الأهلي فوزا ثمينا على غريمه الزمالك بهدفين مقابل هدف في قمة الدوري المصري الممتاز التي أقيمت على ستاد القاهرة الدولي مساء السبت.\n\n"
     "وسجل مهاجم الأهلي الهدف الأول في الشوط الأول من ضربة رأس، قبل أن يعادل الزمالك النتيجة من ركلة جزاء، ثم أحرز لاعب الوسط هدف الفوز في الدقائق الأخيرة.\n\n"
     "وبهذا الفوز رفع الأهلي رصيده في صدارة جدول الترتيب، بينما تجمد رصيد الزمالك في المركز الثالث."),
    ("storm-en-a", "en", "Storm Ciaran batters northern France and southern England",
     "Storm Ciaran swept across northern France and southern England overnight, bringing winds of up to 180 km/h, cutting power to more than a million homes and killing at least two people.\n\n"
     "French authorities said falling trees blocked railway lines in Brittany and Normandy, while in Cornwall schools were closed and ferries between Dover and Calais were cancelled.\n\n"
     "Forecasters warned that flooding remained a risk along the Channel coast as heavy rain continued into the afternoon."),
    ("storm-en-b", "en", "Power cuts and cancelled ferries as Storm Ciaran hits the Channel coast",
     "More than a million homes in Brittany and Normandy were left without power after Storm Ciaran brought record winds to the Channel coast, French grid operators said.\n\n"
     "In southern England, Cornwall and Devon were worst hit; the ferry crossings between Dover and Calais were cancelled and fallen trees blocked several railway lines.\n\n"
     "Meteorologists said the storm was one of the strongest to hit the region in decades and warned of flooding from continuing heavy rain."),
    ("markets-en", "en", "Asian shares rise as investors bet on interest rate cuts",
     "Asian stock markets rose on Monday as investors bet that central banks would begin cutting interest rates next year, with Tokyo's Nikkei and Hong Kong's Hang Seng both gaining more than one percent.\n\n"
     "Bond yields fell after softer inflation figures in the United States, and the dollar weakened against the yen.\n\n"
     "Analysts cautioned that oil prices and the outlook for Chinese growth could still weigh on equities."),
]


def article_row(doc_id: str, title: str, body: str, *, site: str = "site.test", site_name: str | None = None,
                language: str = "en", published_at: dt.datetime | None = None, page_date: dt.date | None = None,
                run_id: str = "r1", ingested_at: dt.datetime = INGESTED, source_path: str | None = None) -> dict:
    """One `articles` lake row with every derived field filled the way the pipeline fills it."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    return {
        "doc_id": doc_id, "source_path": source_path or f"{site}/{doc_id}.txt", "record_index": 0,
        "source_sha256": hashlib.sha256(body.encode()).hexdigest(), "format": "text", "encoding": "utf-8",
        "language": language, "title": title, "body": "\n\n".join(paragraphs), "paragraphs": paragraphs,
        "dateline": None, "byline": None, "site_name": site_name, "site": site, "url": None,
        "page_date": page_date, "published_at": published_at, "n_chars": len(body),
        "n_words": len(body.split()), "body_sha256": hashlib.sha256(body.encode()).hexdigest(),
        "match_key_sha256": hashlib.sha256(match_key(body).encode()).hexdigest(),
        "minhash": minhash_signature(body), "extra": None, "ingested_at": ingested_at, "run_id": run_id,
    }


def build_warehouse(data_dir: Path, articles: list[dict], removed_lines: list[dict] = (),
                    rejects: list[dict] = (), run_id: str = "r1") -> Path:
    """Stage the rows as Parquet parts, load them with the real loader, publish them to the lake."""
    lake = data_dir / "lake"
    stage = staging_dir(lake, run_id)
    now = INGESTED
    write_part(stage, "articles", "00000", articles)
    write_part(stage, "removed_lines", "00000", [r | {"run_id": run_id} for r in removed_lines])
    write_part(stage, "rejects", "00000", [r | {"run_id": run_id, "rejected_at": now, "record_index": None}
                                           for r in rejects])
    write_part(stage, "files", "00000", [
        {"source_path": a["source_path"], "root": "/landing", "size": len(a["body"]), "mtime_ns": 1,
         "sha256": a["source_sha256"], "status": "loaded", "n_articles": 1, "run_id": run_id, "seen_at": now}
        for a in articles])
    run_row = {"run_id": run_id, "started_at": now, "finished_at": now, "files_seen": len(articles) + len(rejects),
               "files_new": len(articles) + len(rejects), "files_unchanged": 0, "articles_written": len(articles),
               "rejected": len(rejects), "status": "completed"}
    load_run(data_dir, lake, run_id, run_row, [])
    publish_run(lake, run_id)
    return data_dir


def set_links(data_dir: Path, dup_of: dict[str, str | None], near: dict[str, str | None]) -> None:
    """Fix the duplicate links by hand: the loader's dedup has its own tests; here the mart is under test."""
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"))
    try:
        con.execute("update articles set dup_of = null, near_dup_group = null")
        for doc_id, target in dup_of.items():
            con.execute("update articles set dup_of = ? where doc_id = ?", [target, doc_id])
        for doc_id, group in near.items():
            con.execute("update articles set near_dup_group = ? where doc_id = ?", [group, doc_id])
    finally:
        con.close()


BODY_A = "The council approved the new budget for the city schools.\n\nTeachers welcomed the vote on Monday."
BODY_B = "A fire broke out in the old market overnight.\n\nNobody was hurt, the fire brigade said."
BODY_C = "افتتح وزير النقل الطريق السريع الجديد بين المدينتين.\n\nويختصر الطريق زمن الرحلة إلى ساعة واحدة."


@pytest.fixture(scope="module")
def known_warehouse(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("marts") / "data"
    articles = [
        article_row("a1", "Budget approved", BODY_A, site="a.example", language="en",
                    published_at=dt.datetime(2024, 3, 1, 10, 0)),
        article_row("a2", "Market fire", BODY_B, site="a.example", language="en",
                    published_at=dt.datetime(2024, 3, 1, 18, 0)),
        article_row("b1", "طريق سريع جديد", BODY_C, site="b.example", site_name="صحيفة ب", language="ar",
                    page_date=dt.date(2024, 3, 2)),
        # the same text on a third site: an exact copy of b1, dated by nothing but its ingestion
        article_row("c1", "طريق سريع جديد", BODY_C, site="c.example", language="ar",
                    ingested_at=dt.datetime(2024, 3, 5, 11, 0)),
    ]
    removed = [
        {"doc_id": "a1", "line_no": 1, "text": "Home | News | Sport", "reason": "navigation"},
        {"doc_id": "a1", "line_no": 2, "text": "World | Business", "reason": "navigation"},
        {"doc_id": "a1", "line_no": 9, "text": "Share on Facebook", "reason": "share"},
        {"doc_id": "a1", "line_no": 4, "text": "Budget approved", "reason": "title"},   # a field, not chrome
        {"doc_id": "a2", "line_no": 1, "text": "Home | News | Sport", "reason": "navigation"},
    ]
    build_warehouse(data, articles, removed, rejects=[{"source_path": "x/empty.txt", "reason": "empty",
                                                       "detail": "0 bytes"}])
    set_links(data, dup_of={"c1": "b1"}, near={"b1": "nd-1", "c1": "nd-1"})
    refresh_models(data)
    return data


def test_models_load_staging_first_then_marts_in_dependency_order():
    order = dependency_order(discover_models())
    layers = [m.layer for m in order]
    assert layers == sorted(layers, key=["staging", "marts"].index)
    position = {m.name: i for i, m in enumerate(order)}
    for m in order:
        assert all(position[d] < position[m.name] for d in m.depends_on), m
    assert "stg_articles" in next(m for m in order if m.name == "articles_per_day").depends_on
    assert set(mart_names()) == {"articles_per_day", "boilerplate_by_site", "syndication", "stories", "top_terms"}


def test_articles_per_day_says_which_date_gave_the_day(known_warehouse):
    rows = query(known_warehouse, "select day, day_source, site, language, n_articles from marts.articles_per_day "
                                  "order by day, site")
    assert rows == [
        (dt.date(2024, 3, 1), "published_at", "a.example", "en", 2),
        (dt.date(2024, 3, 2), "page_date", "b.example", "ar", 1),
        (dt.date(2024, 3, 5), "ingested_at", "c.example", "ar", 1),
    ]


def test_boilerplate_share_counts_kept_and_removed_lines(known_warehouse):
    # a.example: a1 and a2 keep 2 paragraphs each; 5 lines removed, 4 of them chrome -> 9 lines
    rows = query(known_warehouse, "select site, reason, n_articles, lines_removed, lines_total, share_of_lines, "
                                  "site_share_removed, lines_removed_per_article from marts.boilerplate_by_site "
                                  "order by reason")
    assert rows == [
        ("a.example", "navigation", 2, 3, 9, pytest.approx(3 / 9), pytest.approx(4 / 9), pytest.approx(1.5)),
        ("a.example", "share", 2, 1, 9, pytest.approx(1 / 9), pytest.approx(4 / 9), pytest.approx(0.5)),
    ]


def test_syndication_groups_list_outlets_and_first_last_seen(known_warehouse):
    rows = query(known_warehouse, "select group_kind, group_id, n_articles, n_outlets, outlets, first_seen, last_seen "
                                  "from marts.syndication order by group_kind")
    assert rows == [
        ("exact", "b1", 2, 2, "c.example; صحيفة ب", dt.date(2024, 3, 2), dt.date(2024, 3, 5)),
        ("near", "nd-1", 2, 2, "c.example; صحيفة ب", dt.date(2024, 3, 2), dt.date(2024, 3, 5)),
    ]


def test_top_terms_drop_stopwords_and_fold_arabic(known_warehouse):
    rows = query(known_warehouse, "select day, site, term, n_articles, mentions from marts.top_terms "
                                  "where site = 'a.example' and term_rank <= 3 order by term_rank")
    # 'fire' twice in a2 (title counts as a mention too), 'the' is a stopword
    assert rows[0] == (dt.date(2024, 3, 1), "a.example", "fire", 1, 3)
    terms = {r[0] for r in query(known_warehouse, "select term from marts.top_terms")}
    assert not terms & {"the", "for", "on", "في", "الى", "بين"}
    # الطريق and طريق are one term (match key + the attached article stripped)
    assert ("طريق", 1, 3) in query(known_warehouse, "select term, n_articles, mentions from marts.top_terms "
                                                    "where site = 'b.example'")


def test_stories_list_each_outlet_and_language_once_sorted_with_the_anchors_title(known_warehouse):
    rows = query(known_warehouse, "select n_articles, n_outlets, outlets, languages, first_day, last_day, anchor_title "
                                  "from marts.stories order by n_articles desc, anchor_title")
    # b1 (صحيفة ب) is the anchor of its copy c1 (c.example, which prints no name)
    assert rows[0] == (2, 2, "c.example; صحيفة ب", "ar", dt.date(2024, 3, 2), dt.date(2024, 3, 5), "طريق سريع جديد")
    assert [r[:4] for r in rows[1:]] == [(1, 1, "a.example", "en")] * 2


def test_a_story_counts_an_outlet_once_however_many_of_its_articles_it_has(known_warehouse, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(known_warehouse, data)
    with connect(data) as con:
        story = con.execute("select story_id from story_members where doc_id = 'b1'").fetchone()[0]
        # a1 and a2 (both a.example, English) join b1's story: 4 articles, 3 outlets, 2 languages
        con.execute("update story_members set story_id = ?, is_anchor = false where doc_id in ('a1', 'a2')", [story])
        register_lake(con, data / "lake")
        create_staging_views(con)
        build_marts(con)
        row = con.execute("select n_articles, n_outlets, outlets, languages, first_day, last_day, anchor_title "
                          "from marts.stories").fetchall()
    assert row == [(4, 3, "a.example; c.example; صحيفة ب", "ar; en", dt.date(2024, 3, 1), dt.date(2024, 3, 5),
                    "طريق سريع جديد")]


def test_marts_out_of_memory_roll_back_and_are_built_again_under_the_retry_limit(known_warehouse, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(known_warehouse, data)
    before = query(data, "select * from marts.stories order by story_id")
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MARTS_MEMORY_LIMIT", "1KB")   # no mart fits
    with connect(data) as con:
        register_lake(con, data / "lake")
        create_staging_views(con)
        with pytest.raises(MartsOutOfMemory):
            build_marts(con)
    out = refresh_models(data, full_stories=True)
    assert out["marts_memory_retries"] == 1
    assert query(data, "select * from marts.stories order by story_id") == before
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MARTS_RETRY_MEMORY_LIMIT", "1KB")   # nor under the retry limit: the error
    with pytest.raises(MartsOutOfMemory):
        refresh_models(data, full_stories=True)
    assert query(data, "select * from marts.stories order by story_id") == before   # rolled back


def test_marts_that_fail_after_a_commit_are_rebuilt_by_the_next_analysis(known_warehouse, tmp_path, monkeypatch):
    """The derived tables commit before the marts are built; marts that then fail (even under the retry
    limit) stay as they were, and are behind the warehouse until an analysis rebuilds them, also one of
    a run that brought nothing new."""
    data = tmp_path / "data"
    shutil.copytree(known_warehouse, data)
    stories_before = query(data, "select * from marts.stories order by story_id")
    assert not marts_behind(data)
    build_warehouse(data, [article_row("d1", "Harbour reopens", BODY_B.replace("fire", "storm"), site="d.example",
                                       run_id="r2")], run_id="r2")
    assert marts_behind(data)   # r2 committed a new file after the marts were built
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MARTS_MEMORY_LIMIT", "1KB")
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MARTS_RETRY_MEMORY_LIMIT", "1KB")
    with pytest.raises(MartsOutOfMemory):
        publish_analysis(data, "r2", changed=True)
    assert query(data, "select count(*) from story_members where doc_id = 'd1'") == [(1,)]   # committed first
    assert query(data, "select * from marts.stories order by story_id") == stories_before   # rolled back
    assert marts_behind(data)
    monkeypatch.delenv("NEWS_ETL_DUCKDB_MARTS_MEMORY_LIMIT")
    monkeypatch.delenv("NEWS_ETL_DUCKDB_MARTS_RETRY_MEMORY_LIMIT")
    assert publish_analysis(data, "r3", changed=False)["refreshed"]   # a run with nothing new still rebuilds them
    assert query(data, "select sum(n_articles) from marts.stories") == [(5,)]
    assert not marts_behind(data)
    assert not publish_analysis(data, "r4", changed=False)["refreshed"]
    with connect(data) as con:   # a warehouse from before the stamp: its marts are rebuilt once
        con.execute("drop table marts_refreshed")
    assert marts_behind(data)


def test_refresh_is_incremental_and_repeatable(known_warehouse):
    first = query(known_warehouse, "select * from marts.stories order by story_id")
    again = refresh_models(known_warehouse)
    assert again["article_terms_added"] == 0
    assert query(known_warehouse, "select * from marts.stories order by story_id") == first


def test_content_terms_through_the_match_key():
    assert content_terms("وقال الجيشُ العراقيّ إنّ العمليات في الرقة", "ar") == ["جيش", "عراقي", "عمليات", "رقه"]
    assert content_terms("The Army said it would leave", "en") == ["army", "leave"]


def test_the_token_memo_restarts_when_full_and_gives_the_same_terms(monkeypatch):
    from tasks import terms as tm

    text = "The Army said it would leave the city; the army left Mosul and the city of Mosul"
    expected = content_terms(text, "en")
    assert expected == ["army", "leave", "city", "army", "left", "mosul", "city", "mosul"]
    monkeypatch.setattr(tm, "_TOKEN_MEMO_MAX", 3)
    tm._token_terms.cache_clear()      # a fresh memo per language, which fills up within the text
    try:
        assert content_terms(text, "en") == expected
        assert len(tm._token_terms("en")) <= 3
    finally:
        tm._token_terms.cache_clear()


def test_the_lead_is_cut_from_the_body_key_and_a_workers_key_gives_the_same_terms():
    from tasks.normalize import key_tokens, match_key
    from tasks.terms import LEAD_CHARS, article_terms, lead_key

    words = ["Der", "Bundestag", "beschloss", "gestern", "das", "Gesetz", "über", "Häfen,", "Schiffe", "—", "2024!"]
    body = " ".join(words[i % len(words)] for i in range(2 * LEAD_CHARS // 5)) + " Zuletzt"
    key = match_key(body)
    assert len(body) > len(key) > LEAD_CHARS
    lead = lead_key(key)
    assert len(lead) <= LEAD_CHARS and key.startswith(lead + " ")
    assert lead_key("kurz") == "kurz"
    # a term only past the lead does not count; the key a worker built gives what the body gives
    terms = article_terms("Häfen", body, "de")
    assert "zuletzt" not in {t for t, _, _ in terms}
    assert terms == article_terms("Häfen", body, "de", body_key=key, body_tokens=key_tokens(key))
    short = "Der Bundestag beschloss das Gesetz"
    short_key = match_key(short)
    assert article_terms(None, short, "de", body_key=short_key, body_tokens=key_tokens(short_key)) == \
        article_terms(None, short, "de") == [("beschloss", 1, 0), ("bundestag", 1, 0), ("gesetz", 1, 0)]


def test_without_a_workers_key_only_a_prefix_of_the_body_is_keyed_and_the_lead_is_the_same():
    """article_terms without body_key keys the body up to a space past 2 x LEAD_CHARS: the same
    lead as the whole body's key, also with marks, tatweel and joiners right after the cut's space."""
    import random

    from tasks.normalize import match_key
    from tasks.terms import LEAD_CHARS, _lead_source_key, lead_key

    words = ["Häfen,", "الْعِرَاقِيَّة", "Шёл", "日本語の", "ﬁnal", "Ⅻ", "x\u0301", "قـــال", "e\u200dmoji", "١٢٣"]
    after_space = ["\u0301", "\u064b", "\u0670", "\u3099", "\u200d", "\u0640", "\ufe0f", ""]
    rng = random.Random(3)
    for _ in range(20):
        body = "".join(rng.choice(words) + rng.choice([" ", "\n", " ", "\n\n"]) + rng.choice(after_space)
                       for _ in range(rng.randint(300, 1500)))
        whole = match_key(body)
        assert lead_key(_lead_source_key(body)) == lead_key(whole)
        if len(body) > 3 * LEAD_CHARS:
            assert len(_lead_source_key(body)) < len(whole)     # a prefix was keyed, not the whole body


def test_term_ranking_in_c_equals_its_python_twin():
    # tasks/_native.c rank_terms counts and ranks an article's terms; without a compiler
    # rank_terms_py does. Same rows in the same order: ties by the term, the title weighted,
    # any limit (the twin slices, so a negative one too).
    import random

    from tasks import terms as tm

    assert tm._rank_terms is not None              # `pip install -e .` builds it
    rnd = random.Random(4)
    words = ["army", "leave", "جيش", "عراقي", "中", "中文", "é", "e", "Army", "a" * 30, "z"]
    for _ in range(500):
        title = [rnd.choice(words) for _ in range(rnd.randint(0, 8))]
        lead = [rnd.choice(words) for _ in range(rnd.randint(0, 60))]
        for limit in (48, 5, 1, 0, -2):
            for weight in (3, 1):
                assert tm._rank_terms(title, lead, limit, weight) == tm.rank_terms_py(title, lead, limit, weight)
    # an article's few hundred distinct terms, most of them tied: the C side selects the heaviest
    # `limit` before sorting them, the twin sorts all
    vocabulary = ["".join(rnd.choice("abcdeжзиعرب中") for _ in range(rnd.randint(1, 6))) for _ in range(600)]
    for _ in range(200):
        title = [rnd.choice(vocabulary) for _ in range(rnd.randint(0, 12))]
        lead = [rnd.choice(vocabulary) for _ in range(rnd.randint(0, 900))]
        for limit in (48, 1, 200, 500):
            assert tm._rank_terms(title, lead, limit, 3) == tm.rank_terms_py(title, lead, limit, 3)
    assert tm._rank_terms(["b", "a"], ["a", "c", "c"], 48, 3) == [("a", 2, 1), ("b", 1, 1), ("c", 2, 0)]
    with pytest.raises(TypeError):
        tm._rank_terms([1], [], 48, 3)


# -- stories ---------------------------------------------------------------------------------------

def group(docs: dict[str, tuple[str, str, str]], params: StoryParams | None = None) -> dict[str, str]:
    """doc key -> story id, for docs given as key -> (language, title, body)."""
    terms = {k: article_terms(title, body, lang) for k, (lang, title, body) in docs.items()}
    rows = group_stories(terms, {k: None for k in docs}, {k: (k,) for k in docs}, params)
    return {r["doc_id"]: r["story_id"] for r in rows}


@pytest.fixture(scope="module")
def sample_articles(tmp_path_factory, prefect_harness) -> tuple[Path, dict[str, tuple[str, str, str]]]:
    """The five samples through the real flow: their cleaned title and body, as the pipeline gives them."""
    from flows.etl import news_etl
    from tests.conftest import SAMPLES_RAW

    base = tmp_path_factory.mktemp("stories")
    shutil.copytree(SAMPLES_RAW, base / "landing")
    result = news_etl(inputs=[str(base / "landing")], data_dir=str(base / "data"))
    assert result["status"] == "completed"
    rows = query(base / "data", "select doc_id, language, title, body from articles")
    assert len(rows) == 5
    return base / "data", {doc_id: (lang, title, body) for doc_id, lang, title, body in rows}


def test_the_workers_keep_the_terms_the_analysis_copies_into_article_terms(sample_articles):
    from tasks.lake import committed_files
    from warehouse.models import terms_columns

    data, _ = sample_articles
    parts = [str(p) for p in committed_files(data / "lake", "article_terms")]
    assert parts, "the chunk wrote no article_terms part"
    wrote = duckdb.sql(f"select doc_id, term, tf, title_tf, term_rank from read_parquet({parts}) order by all").fetchall()
    # what the analysis step computes itself from the loaded articles when the lake has no terms
    columns = terms_columns(query(data, "select doc_id, version, language, title, body from articles"))
    computed = sorted(zip(*(columns[name] for name in ("doc_id", "term", "tf", "title_tf", "term_rank"))))
    assert len(computed) > 5 * 10
    assert wrote == computed
    assert query(data, "select doc_id, term, tf, title_tf, term_rank from article_terms order by all") == computed
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:   # as if the versions were new: copied again
        con.execute("delete from article_terms")
        con.execute("delete from term_df")
    out = refresh_models(data)
    assert (out["article_terms_added"], out["article_terms_from_lake"]) == (5, 5)
    assert query(data, "select doc_id, term, tf, title_tf, term_rank from article_terms order by all") == computed
    assert query(data, "select sum(df) from term_df") == [(len(computed),)]


def test_the_five_samples_are_one_story(sample_articles):
    data, _ = sample_articles
    stories = query(data, "select n_articles, label from marts.stories")
    assert len(stories) == 1 and stories[0][0] == 5, stories
    assert len(query(data, "select distinct story_id from story_members")) == 1


def test_a_mixed_set_keeps_separate_stories_apart(sample_articles):
    _, samples = sample_articles
    docs = dict(samples) | {key: (lang, title, body) for key, lang, title, body in MIXED}
    story_of = group(docs)
    assert len({story_of[d] for d in samples}) == 1
    sample_story = story_of[next(iter(samples))]
    assert story_of["quake-a"] == story_of["quake-b"] != sample_story
    assert story_of["storm-en-a"] == story_of["storm-en-b"] != sample_story
    for alone in ("oil-ar", "football-ar", "markets-en"):
        assert list(story_of.values()).count(story_of[alone]) == 1, alone
    # deterministic: the same input gives the same ids
    assert group(docs) == story_of


def test_the_time_window_splits_dated_articles_far_apart():
    docs = {key: (lang, title, body) for key, lang, title, body in MIXED if key.startswith("storm")}
    terms = {k: article_terms(t, b, lang) for k, (lang, t, b) in docs.items()}
    far = {"storm-en-a": 0, "storm-en-b": 30}
    rows = group_stories(terms, far, {k: (k,) for k in docs})
    assert len({r["story_id"] for r in rows}) == 2
    near = {"storm-en-a": 0, "storm-en-b": 1}
    assert len({r["story_id"] for r in group_stories(terms, near, {k: (k,) for k in docs})}) == 1


def test_stories_grow_incrementally_like_a_full_regrouping(tmp_path):
    """Run 1 loads one article of each pair, run 2 the others: the second refresh extends the
    stories (ids kept: the earlier article stays the anchor) and equals a full regrouping."""
    data = tmp_path / "data"
    by_key = {key: (lang, title, body) for key, lang, title, body in MIXED}
    first = ["quake-a", "storm-en-a", "oil-ar", "markets-en"]
    second = ["quake-b", "storm-en-b", "football-ar"]

    def rows(keys, run_id, ingested):
        return [article_row(k, by_key[k][1], by_key[k][2], language=by_key[k][0], site=f"{k}.example",
                            run_id=run_id, ingested_at=ingested) for k in keys]

    build_warehouse(data, rows(first, "r1", INGESTED))
    refresh_models(data)
    before = dict(query(data, "select doc_id, story_id from story_members"))
    build_warehouse(data, rows(second, "r2", INGESTED + dt.timedelta(hours=1)), run_id="r2")
    refresh_models(data)
    incremental = dict(query(data, "select doc_id, story_id from story_members"))
    assert incremental["quake-b"] == incremental["quake-a"] == before["quake-a"]
    assert incremental["storm-en-b"] == incremental["storm-en-a"] == before["storm-en-a"]
    assert len(set(incremental.values())) == 5
    refresh_models(data, full_stories=True)
    assert dict(query(data, "select doc_id, story_id from story_members")) == incremental
    assert query(data, "select count(*) from marts.stories where n_articles = 2") == [(2,)]


def test_article_terms_in_worker_processes_equal_the_serial_ones(tmp_path, monkeypatch):
    import warehouse.models as models

    articles = [article_row(f"{key}-{i}", title, body, language=lang, site="s.example")
                for i in range(3) for key, lang, title, body in MIXED]
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build_warehouse(serial, articles)
    build_warehouse(parallel, articles)
    refresh_models(serial)
    monkeypatch.setattr(models, "TERMS_PARALLEL_MIN", 1)
    monkeypatch.setattr(models, "TERMS_BATCH", 4)
    assert refresh_models(parallel)["article_terms_added"] == len(articles)
    sql = "select * from article_terms order by doc_id, term_rank"
    assert query(parallel, sql) == query(serial, sql)
