"""tasks/language.py: ISO 639-1 codes from py3langid plus script shortcuts."""
from __future__ import annotations

import pytest

from tasks import language
from tasks.language import detect_language

SENTENCES = {
    "ar": "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في القاهرة بمشاركة وفود من عدة دول "
          "عربية، مؤكداً أن الحكومة تسعى إلى اتفاق شامل قبل نهاية العام.",
    "en": "The foreign minister said on Thursday that talks with the neighbouring countries would resume "
          "next week, adding that the government hoped to reach a broad agreement before the end of the year.",
    "fr": "Le ministre des Affaires étrangères a déclaré jeudi que les négociations reprendraient la semaine "
          "prochaine et que le gouvernement espérait parvenir à un accord avant la fin de l'année.",
    "de": "Der Außenminister sagte am Donnerstag, die Gespräche mit den Nachbarländern würden in der kommenden "
          "Woche fortgesetzt; die Regierung hoffe auf eine Einigung vor dem Jahresende.",
    "ru": "Министр иностранных дел заявил в четверг, что переговоры с соседними странами возобновятся на "
          "следующей неделе, и правительство надеется достичь соглашения до конца года.",
    "zh": "外交部长周四表示，与邻国的谈判将于下周恢复，政府希望在年底前达成全面协议。各方代表团都将出席会议。",
    "ja": "外務大臣は木曜日、近隣諸国との交渉が来週再開されると述べ、政府は年末までに包括的な合意に達することを望んでいると付け加えた。",
    "el": "Ο υπουργός Εξωτερικών δήλωσε την Πέμπτη ότι οι συνομιλίες με τις γειτονικές χώρες θα συνεχιστούν "
          "την επόμενη εβδομάδα και ότι η κυβέρνηση ελπίζει σε συμφωνία πριν από το τέλος του έτους.",
    "pl": "Minister spraw zagranicznych powiedział w czwartek, że rozmowy z sąsiednimi krajami zostaną wznowione "
          "w przyszłym tygodniu, a rząd ma nadzieję na porozumienie przed końcem roku.",
    "es": "El ministro de Asuntos Exteriores dijo el jueves que las negociaciones con los países vecinos se "
          "reanudarán la próxima semana y que el gobierno espera alcanzar un acuerdo antes de fin de año.",
    "ko": "외교부 장관은 목요일 이웃 국가들과의 협상이 다음 주에 재개될 것이라고 말했다.",
}


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_real_sentences(lang):
    assert detect_language(SENTENCES[lang]) == lang


def test_persian_and_urdu_are_not_taken_for_arabic():
    fa = ("وزیر امور خارجه ایران روز پنجشنبه گفت که گفتگوها با کشورهای همسایه هفته آینده از سر گرفته "
          "خواهد شد و دولت امیدوار است پیش از پایان سال به توافق برسد.")
    ur = ("وزیر خارجہ نے جمعرات کو کہا کہ پڑوسی ممالک کے ساتھ مذاکرات اگلے ہفتے دوبارہ شروع ہوں گے اور "
          "حکومت کو امید ہے کہ سال کے آخر تک معاہدہ ہو جائے گا۔")
    assert detect_language(fa) == "fa"
    assert detect_language(ur) == "ur"


def test_arabic_shortcut_needs_no_model(monkeypatch):
    def boom():
        raise AssertionError("the model must not be consulted")
    monkeypatch.setattr(language, "_get_model", boom)
    assert detect_language(SENTENCES["ar"]) == "ar"
    assert detect_language(SENTENCES["zh"]) == "zh"
    assert detect_language(SENTENCES["ja"]) == "ja"
    assert detect_language(SENTENCES["el"]) == "el"


def test_chinese_with_a_few_kana_quoted_is_still_chinese_but_kana_text_is_japanese():
    assert detect_language("我们今天在北京讨论了经济政策和国际贸易问题，并达成了多项共识。") == "zh"
    assert detect_language("東京都は木曜日、新しい経済政策を発表しました。") == "ja"


def test_latin_page_with_a_chinese_name_goes_to_the_model():
    s = SENTENCES["en"] + " 习近平"
    assert detect_language(s) == "en"


@pytest.mark.parametrize("s", ["", "Hello", "12345 678 90", "— | — | —", "OK OK"])
def test_too_short_or_no_letters_is_none(s):
    assert detect_language(s) is None


def test_only_a_prefix_is_read():
    s = SENTENCES["fr"] + " " + SENTENCES["de"] * 20
    assert detect_language(s) == "fr"


def test_model_is_loaded_once_and_answers_only_listed_languages():
    m1 = language._get_model()
    m2 = language._get_model()
    assert m1 is m2
    assert set(m1.classes) <= set(language.LANGUAGES)
    # same answer as py3langid's own classify on the same restricted model
    for lang in ("en", "fr", "de", "ru", "pl", "es"):
        assert m1.classify(SENTENCES[lang])[0] == m1.ident.classify(SENTENCES[lang])[0] == lang


# texts for comparing the two scorers: whole sentences, pieces of them, shouting, no letters
_SCORED = ([s for s in SENTENCES.values()] + [s[a:a + 60] for s in SENTENCES.values() for a in (0, 30, 90)]
           + [SENTENCES["en"].upper(), SENTENCES["fr"] + " " + SENTENCES["pl"], "\U0001F600 " * 20, "a", ""])


def test_the_compiled_scorer_is_built_and_in_use():
    # `pip install -e .` builds tasks/_native.c; the speed figures in the README count on it
    from tasks import _native  # noqa: F401
    assert language._get_model().native is not None


def test_compiled_and_numpy_scorers_give_the_same_answers(monkeypatch):
    model = language._get_model()
    native = [model.classify(s) for s in _SCORED]
    monkeypatch.setattr(model, "native", None)
    numpy = [model.classify(s) for s in _SCORED]
    assert [c for c, _ in native] == [c for c, _ in numpy]
    assert max(abs(p - q) for (_, p), (_, q) in zip(native, numpy)) < 1e-4
    assert native[-1] == numpy[-1] == ("und", 0.0)


def test_compiled_scorer_refuses_tables_that_do_not_fit():
    import array
    from tasks._native import langid_score as score
    model = language._get_model()
    nextmove, rowbase, output, ptc, pc, alias_to, alias_from = model.native_tables
    with pytest.raises(ValueError):     # a move past the end of the table
        score(array.array("I", [0] * 10), rowbase, output, ptc, pc, alias_to, alias_from, b"hello world")
    with pytest.raises(ValueError):     # states that lead nowhere
        score(nextmove, array.array("i", [0]), array.array("i", [0]), ptc, pc, alias_to, alias_from, b"hi")
    with pytest.raises(ValueError):     # 8-byte elements where 4-byte ones are read
        score(nextmove, rowbase, output, ptc, pc, array.array("q", [0]), array.array("q", [0]), b"hi")
