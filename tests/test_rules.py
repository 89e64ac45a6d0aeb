"""The rule tables (tasks/rules/*.yaml) and their loader: per concept and language, the
reason a line gets; user rule directories merged over the built-ins."""
from __future__ import annotations

import re

import pytest

from tasks.reasons import LINE_REASONS
from tasks.rules import BUILTIN_DIR, agency_names, byline_prefixes, get_rules, line_key, load_rule_data


def reason_of(line: str, extra_dir: str | None = None) -> str | None:
    rules = get_rules(None, extra_dir)
    c = rules.match(line)
    return rules.reason_of[c] if c else None


def test_every_concept_has_a_known_reason_and_valid_patterns():
    data = load_rule_data(None)
    assert len(data.files) >= 8
    for name, c in data.concepts.items():
        assert c.reason in LINE_REASONS, name
        for pats in c.patterns.values():
            for p in pats:
                re.compile(p)
    # grouped by language, with a language-independent set
    langs = {lang for c in data.concepts.values() for lang in list(c.lines) + list(c.patterns)}
    assert {"any", "ar", "en", "fr", "de", "ru", "zh", "pl", "el", "es"} <= langs


def test_one_file_per_concept_group():
    names = {p.stem for p in BUILTIN_DIR.glob("*.yaml")}
    assert {"share", "comments", "navigation", "related", "legal", "metadata", "agencies", "junk"} <= names


@pytest.mark.parametrize("line,reason", [
    # share / print / follow
    ("Share this article", "share"),
    ("Artikel vorlesen", "share"),
    ("Link kopieren", "share"),
    ("استمع إلى المقال", "share"),
    ("أضف للمفضلة", "share"),
    ("Partager sur Facebook", "share"),
    ("شارك الخبر", "share"),
    ("分享到：", "share"),
    ("Поделиться", "share"),
    ("Print Friendly, PDF & Email", "print"),
    ("طباعة", "print"),
    ("Imprimer l'article", "print"),
    ("Follow us on Twitter", "social_follow"),
    ("CLICK HERE TO GET THE FOX NEWS APP", "social_follow"),
    ("Присоединяйтесь к нам на Facebook, Twitter, В контакте.", "social_follow"),
    ("للمزيد من الأخبار تابعونا", "social_follow"),
    ("تابع أحدث الأخبار عبر تطبيق google news", "social_follow"),
    ("Suivez-nous sur Instagram", "social_follow"),
    ("关注我们的微博", "social_follow"),
    # navigation, breadcrumbs, pagination, back to top
    ("Home", "navigation"),
    ("الرئيسية", "navigation"),
    ("Accueil", "navigation"),
    ("首页", "navigation"),
    ("Politics | Business | Sport | Weather", "navigation"),
    ("الرئيسية / أمن / تنسيق عراقي مع قسد لعملية برية", "breadcrumb"),
    ("Home > World > Middle East", "breadcrumb"),
    ("Accueil > International > Afrique", "breadcrumb"),
    ("您现在的位置：首页 > 新闻中心", "breadcrumb"),
    ("Next page »", "pagination"),
    ("« Previous", "pagination"),
    ("poprzednie 1/7 następne", "pagination"),                  # a gallery's pager
    ("« previous 3 of 12 next »", "pagination"),
    # support / membership appeals after the article
    ("Wenn Ihnen unser Artikel gefallen hat: Unterstützen Sie diese Form des Journalismus.", "advertisement"),
    ("If you enjoyed this article, please consider supporting our newsroom.", "advertisement"),
    ("inRead invented by Teads", "advertisement"),
    ("محتوى إعلاني", "advertisement"),
    ("Exklusiv für Abonnenten", "advertisement"),
    ("Win a Piece of $2,500", "advertisement"),                         # contests
    ("Remportez le soin Time-Filler Eyes des Laboratoires Filorga", "advertisement"),
    ("Gewinnen Sie ein Wochenende in Berlin", "advertisement"),
    ("HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS", "advertisement"),
    ("Jump to RecipePrint Recipe", "print"),
    ("Weitere Informationen zum Coronavirus in Thüringen:", "related_links"),
    ("Entdecke weitere Homestorys", "related_links"),
    ("Other People Are Reading", "related_links"),
    ("Recent Posts", "related_links"),
    ("View this post on Instagram", "share"),
    ("Poll: Should your country join a moon base project?", "poll"),
    ("تعليقك", "comment_form"),
    ("المزيد من تعليم", "related_links"),
    ("Audio: 02:45 Min.", "metadata"),
    ("中國廣播公司全球資訊網", "site_name"),
    ("Fot. Lukasz Nowaczyk / Agencja Gazeta", "caption"),
    ("Bild 2 von 12", "caption"),
    ("1 of 5", "caption"),
    ("Gen. Błasik konał kilka minut - szokujący raport z sekcji ...więcej", "teaser"),
    ("Der Minister sagte am Abend, dass …mehr", "teaser"),
    ("Министр заявил, что… подробнее", "teaser"),
    ("公共電視台 新聞網", "site_name"),
    ("Video 01:30", "metadata"),
    ("أخبار اليوم السابع على جوجل نيوز", "social_follow"),
    ("اسمك الكريم", "comment_form"),
    ("استطلاع رأي", "poll"),
    ("Umfrage", "poll"),
    ("View results", "poll"),
    ("نتائج التصويت", "poll"),
    ("A post shared by Spice Girls (@spicegirls) on Jun 16, 2019 at 7:30am PDT", "share"),
    ("Ein Beitrag geteilt von Adele (@adele) am 16. Jun 2019 um 7:30 PDT", "share"),
    ("تمت مشاركة منشور بواسطة Adele (@adele)", "share"),
    ("Latest Articles", "related_links"),
    ("Increase Text Size", "print"),
    ("مقالات قد تعجبك", "related_links"),
    ("الأكثر تفاعلا", "related_links"),
    ("More information about the virus:", "related_links"),
    ("Search for articles and topics on Example", "navigation"),
    # an embedded post's consent stand-in is a social widget, not the page's cookie banner
    ("Twitter freischalten", "share"),
    ("Klicken Sie auf den unteren Button, um den Inhalt von www.komoot.de zu laden.", "share"),
    ("Wir respektieren deine Privatsphäre und stellen deshalb ohne dein Einverständnis keine Verbindung zu Twitter her.", "share"),
    ("Wir respektieren Ihre Privatsphäre", "cookie_notice"),
    ("Click the button below to load the content from YouTube.", "share"),
    ("Previous Next", "pagination"),
    ("Page suivante", "pagination"),
    ("下一页", "pagination"),
    ("Back to top", "back_to_top"),
    ("العودة للأعلى", "back_to_top"),
    ("Haut de page", "back_to_top"),
    ("返回顶部", "back_to_top"),
    # comments
    ("1 تعليق", "comment_count"),
    ("12 Comments", "comment_count"),
    ("Most Recommended first", "comment_count"),
    ("عرض التعليقات", "comment_count"),
    ("Kommentare anzeigen", "comment_count"),
    ("Просмотров: 2015 Комментариев: 0 Версия для печати", "comment_count"),
    ("目前共有网友发表：(点击查看) 条评论。", "comment_count"),
    ("3 commentaires", "comment_count"),
    ("Комментарии (3)", "comment_count"),
    ("اضافة تعليق", "comment_form"),
    ("Please enter your comment!", "comment_form"),
    ("Login or register to post comments", "comment_form"),
    ("Enter your comment here...", "comment_form"),
    ("La rédaction vous conseille :", "related_links"),
    # box headers long enough to read as a sentence announcing a list
    ("You might also be interested in:", "related_links"),
    ("Stories you may have missed:", "related_links"),
    ("Don't miss these stories:", "related_links"),
    ("Ces articles peuvent vous intéresser :", "related_links"),
    ("Más noticias sobre este tema:", "related_links"),
    ("يمكنك أيضا قراءة:", "related_links"),
    ("Teilen auf", "share"),
    ("延伸閱讀", "related_links"),                    # traditional characters (Taiwan, Hong Kong)
    ("相關新聞", "related_links"),                # WordPress's comment box
    ("Fill in your details below or click an icon to log in:", "comment_form"),
    ("يجب تسجيل الدخول للتعليق", "comment_form"),
    ("Jetzt kommentieren", "comment_form"),
    ("Already registered? Sign In", "comment_form"),
    ("Your email address will not be published. Required fields are marked *", "comment_form"),
    ("Laisser un commentaire", "comment_form"),
    ("发表评论", "comment_form"),
    ("Schreibe einen Kommentar Antworten abbrechen", "comment_form"),
    ("Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert.", "comment_form"),
    ("شروط التعليق:", "comment_policy"),
    ("Les commentaires sont modérés avant publication.", "comment_policy"),
    ("All opinions are moderated before being included (to stop spam)", "comment_policy"),
    ("在本网BBS上发表言论者，文责自负。", "comment_policy"),
    ("CNN welcomes a lively and courteous discussion as long as you follow the Rules of Conduct set forth in our "
     "Terms of Service. Comments are not pre-screened before they post.", "comment_policy"),
    ("ترحب شبكة CNN بالنقاش الحيوي والمفيد، وكي لا نضطر في موقع CNN بالعربية إلى مراجعة التعليقات قبل نشرها. "
     "ننصحك بمراجعة إرشادات الاستخدام للتعرف إليها جيداً.", "comment_policy"),
    ("نحتفظ بحق مراجعة التعليقات قبل نشرها", "comment_policy"),
    ("Milan Griffes on September 12, 2018 at 4:47 pm said:", "user_comment"),
    ("تغيير رمز التحقق", "captcha"),
    ("Enter the code shown above", "captcha"),
    ("验证码", "captcha"),
    # related / teasers
    ("شاهد أيضاً", "related_links"),
    ("مقالات ذات صله", "related_links"),
    ("Related articles", "related_links"),
    ("À lire aussi", "related_links"),
    ("Читайте также", "related_links"),
    ("相关新闻", "related_links"),
    ("Continue reading →", "teaser"),
    ("Lire la suite", "teaser"),
    ("阅读全文", "teaser"),
    ("On HoustonChronicle.com: Car sales plunge nearly 17 percent in August", "teaser"),
    ("When you walk into almost any store, you're immediately overloaded with sights... Read more", "teaser"),
    ("20 Pictures: From hobbits to heroes, most-anticipated films of 2012.", "teaser"),
    # legal, cookies, newsletters, ads
    ("© 2019 Example Media Ltd. All rights reserved.", "copyright"),
    ("Not to be reproduced without permission of Medical News Today", "copyright"),
    ("جميع الحقوق محفوظة لموقع المثال 2024", "copyright"),
    ("(內容由新浪北京提供。未經授權，不得轉載。)", "copyright"),
    ("举报电话：020-87373397。谢谢您的支持。", "copyright"),
    ("Tous droits réservés", "copyright"),
    ("版权所有 © 2011 新华网", "copyright"),
    ("We use cookies to improve your experience. By continuing you accept our cookie policy.", "cookie_notice"),
    ("Ce site utilise des cookies pour améliorer votre expérience.", "cookie_notice"),
    ("[ 167 comments ]", "comment_count"),
    ("Top Rated Comments", "comment_count"),
    ("L'actu Libé tous les matins par email", "newsletter"),
    ("Ссылки по теме:", "related_links"),
    ("Все права на материалы и новости, опубликованные на сайте, охраняются в соответствии с законодательством РФ", "copyright"),
    ("Самая читаемая статья из раздела ЗДРАВООХРАНЕНИЕ:", "related_links"),
    ("Przeczytaj więcej o: Hiszpania, linie lotnicze, strajk", "metadata"),
    ("Żadna część jak i całość utworów zawartych w dzienniku nie może być powielana i rozpowszechniana", "copyright"),
    ("Sign up for our newsletter", "newsletter"),
    ("Sign Up for e-mail newsletters", "newsletter"),
    ("اشترك في نشرتنا البريدية", "newsletter"),
    ("No spam, we promise. You can unsubscribe at any time and we'll never share your details.", "newsletter"),
    ("订东北网彩信手机报，移动发KTDBW到10658333，联通发DBWY到1065566600。", "newsletter"),
    ("اشترك في النشرة البريدية", "newsletter"),
    ("凡注明为其他媒体来源的信息，均为转载自其他媒体，转载并不代表本网赞同其观点。", "copyright"),
    ("Advertisement", "advertisement"),
    ("إعلان", "advertisement"),
    ("Publicité", "advertisement"),
    ("广告", "advertisement"),
    # masthead, site name, metadata, captions, junk
    ("رئيس مجلسى الإدارة والتحرير", "masthead"),
    ("Rédacteur en chef : Jean Dupont", "masthead"),
    ("البوابة نيوز", "site_name"),
    ("Published Monday, November 18th, 2019 at 11:08 a.m.", "metadata"),
    ("AP Science Writer Malcolm Ritter in New York contributed to this report.", "metadata"),
    ("Słowa kluczowe / Alerty", "metadata"),
    ("Schlagworte", "metadata"),
    ("Posted by John Smith", "metadata"),
    ("Stand: 12.03.2022", "metadata"),
    ("Published: 12 March 2019", "metadata"),
    ("Publié le 12 mars 2019 à 10h", "metadata"),
    ("发布时间：2011-12-16", "metadata"),
    ("5 min read", "metadata"),
    ("19 Jan, 2021. 3 min read", "metadata"),              # a reading time closing a date stamp
    ("12. März 2024 · 4 Min. Lesezeit", "metadata"),
    ("3 de mayo de 2023 · 5 min de lectura", "metadata"),
    ("5 января 2012 · 3 минуты на чтение", "metadata"),
    ("Tags: Iraq, Syria", "metadata"),
    ("Photo: Reuters/John Smith", "caption"),
    ("FILE PHOTO: An oil pump jack is seen at sunset in Midland, Texas, U.S., August 21, 2019. REUTERS/Nick Oxford/File Photo",
     "caption"),
    ("A boy at the port of Port-au-Prince, 13 September 2011 [REUTERS/Swoan Parker]", "caption"),
    ("وزير المالية - صورة أرشيفية", "caption"),
    ("قصص مقترحة", "related_links"),
    ("هذا المحتوى متاح للمشتركين فقط", "newsletter"),          # a paywall's prompt
    ("اشترك الآن للوصول إلى جميع المقالات", "newsletter"),
    ("Already a subscriber? Log in", "newsletter"),
    ("Leggi anche", "related_links"),
    ("Leia também: Preço dos aluguéis sobe acima da inflação", "teaser"),
    ("Deel artikel:", "share"),
    ("Comentários", "comment_count"),
    ("جنود عراقيون على الحدود مع سوريا (أ ف ب)", "caption"),
    ("Firefighters battle a blaze in Athens (Reuters)", "caption"),
    ("جانب من الاجتماع (أرشيفية)", "caption"),
    ("In Gottesdiensten gilt FFP2-Maskenpflicht. Foto: ccnull/Marco Verch/cc by sa 2.0", "caption"),
    ("Roman Prymula, photo: Ondřej Tomšů", "caption"),
    ("Paris Haute Couture SS14, Serkan Cura, Bild via", "caption"),
    ("The harbour at dawn (image via Wikimedia Commons)", "caption"),
    ("Image caption Assange gestures after he was arrested by officers in London", "caption"),
    ("Image copyright Reuters", "caption"),
    ("Christopher Battin Submitted photo", "caption"),
    ("Ein Jäger im Wald. (Quelle: Fleischmann/Unsplash/DJV)", "caption"),   # a picture's source, "who/where"
    ("Firefighters battle a wildfire near Malaga, Spain, on Wednesday. (AP Photo/Jorge Gil)", "caption"),
    ("Die Feuerwehr im Einsatz bei Malaga. (dpa-Bild/Jorge Gil)", "caption"),
    ("圖說：第一名得主東和婦產科家庭醫學診所院長夫婦。", "caption"),
    ("图为游客在湘江边拍照。", "caption"),
    ("12月15日，长沙市橘子洲附近湘江河床大面积裸露。本报记者 郭立亮 摄", "caption"),
    ("第一名得主東和婦產科診所院長夫婦。（林歆芳攝）", "caption"),
    ("UUUIIII", "junk"),
    ("Media playback is unsupported on your device", "junk"),
    ("Спасибо! Ваша мнение учтено.", "junk"),
    ("<div class=\"cb_result\" style=\"margin: 0px\">", "junk"),
    ("|", "junk"),
    # toolbars flattened into one line, in any mix of languages
    ("Print Send Share", "share"),
    ("Decrease font size Increase font size", "share"),
    ("A A | Email | Print Tweet", "share"),
    ("A A A Drukuj", "share"),
    ("Email Εκτύπωση", "share"),
    ("Αποστολή Εκτύπωση Μέγεθος κειμένου Μοιραστείτε το:", "share"),
    ("Facebook • Twitter • Pinterest", "share"),
    ("• • •", "junk"),
    ("À lire aussi » Ballonnements, lourdeurs : quel est votre profil digestif ?", "teaser"),   # » for ":"
    ("Also read › How the harbour was rebuilt", "teaser"),
    ("Lee también » Cómo se reconstruyó el puerto", "teaser"),
    ("Redakteur in der Wirtschaft.", "byline"),           # an author's role line, under the name
    ("Leiterin Redaktion Leben und Gesundheit", "byline"),
    ("Senior reporter covering health", "byline"),
    ("Rédactrice au service Politique", "byline"),
    ("Continue Reading Below", "advertisement"),          # the article goes on under an inline widget
    ("Story continues below advertisement", "advertisement"),
    ("La suite après cette publicité", "advertisement"),
    ("Weiterlesen nach der Anzeige", "advertisement"),
    ("Dalsza część artykułu pod reklamą", "advertisement"),
    ("Great post! [url=http://example.com/bags]cheap handbags[/url] for everyone", "junk"),   # BBCode link spam
    ("Anna | dodano: 27 stycznia, 18:01", "user_comment"),     # a Polish comment's stamp
    ("javascript:void(0);", "junk"),
    # Arabic chrome of the kinds above, in the words sites use for it
    ("أخر الأخبار", "related_links"),          # "latest news" written without the madda
    ("ننصحك بقراءة", "related_links"),
    ("روابط ذات صلة", "related_links"),
    ("نسخ الرابط", "share"),
    ("رابط مختصر", "share"),
    ("انستجرام", "share"),
    ("الرجوع إلى الأعلى", "back_to_top"),
    ("مشاهدات: 1234", "comment_count"),
    ("كن أول من يعلق", "comment_count"),
    ("كلمات دلالية", "metadata"),
    ("منذ 3 ساعات", "metadata"),                  # a relative stamp: "3 hours ago"
    ("منذ يومين", "metadata"),
    ("حرر في 12 مايو 2024 - 10:30", "metadata"),
    ("3 hours ago", "metadata"),
    ("il y a 3 heures", "metadata"),
    ("vor einer Stunde", "metadata"),
    ("hace 3 horas", "metadata"),
    ("2 дня назад", "metadata"),
    ("3 godziny temu", "metadata"),
    ("5分钟前", "metadata"),
    ("عرض المزيد", "navigation"),
    ("للمزيد اضغط هنا", "navigation"),
    ("مواقيت الصلاة", "navigation"),
    ("أسعار العملات", "navigation"),
    ("اختر لغتك", "navigation"),
    ("اقرأ أيضًا", "related_links"),            # tanween typed on the letter before the alef
    ("إقرأ أيضًا: مستشفى جديد يفتح أبوابه", "related_links"),
    ("شاركْ", "share"),                          # a sukun
    ("أقرأ أيضا", "related_links"),             # hamza on the wrong alef, teh marbuta written as heh,
    ("الاكثر قراءه", "related_links"),          # alef maqsura for yeh: the spellings of the web
    ("جميع الحقوق محفوظه", "copyright"),
    ("مواضيع ذات صله", "related_links"),
    ("الصفحة 1 من 3", "pagination"),
    ("Page 1 sur 3", "pagination"),
    ("Страница 1 из 3", "pagination"),
    ("اشترك في نشرتنا الإخبارية", "newsletter"),
    ("انضم إلى قناتنا على واتساب", "social_follow"),
    ("Join our WhatsApp channel", "social_follow"),
    ("Follow Rachel Green on Twitter @rachelgreen", "social_follow"),      # an author's account
    ("شاهد: فيديو يوثق لحظة الحادث", "teaser"),           # a video teaser inside the article
    ("WATCH: Can the senator hold his lead?", "teaser"),
    ("Видео: как это было", "teaser"),
    # Turkish: a dotted capital İ opens the phrase ("i" and a combining dot once casefolded)
    ("İlgili Haberler", "related_links"),
    ("Yorum yapmak için giriş yapın", "comment_form"),
    ("登录名： 密码：", "comment_form"),
    # a download's format and size: the page's list of files
    ("Jahresbericht 2021 (PDF, 1,2 MB)", "related_links"),
    ("Riesling_Torte.jpg 344 KB", "related_links"),
    ("Übersicht der SteuergegenständePDF | 58 KB | Datei ist nicht barrierefrei", "related_links"),   # format glued
    ("Rapport annuel (PDF - 2 Mo)", "related_links"),
    ("Отчёт за 2021 год (pdf, 1,5 Мб)", "related_links"),
    ("Download the report (245 KB, PDF)", "related_links"),
    # a news service's picture labels, the source and the caption, in its languages
    ("Image source, Getty Images", "caption"),
    ("مصدر الصورة، Getty Images", "caption"),
    ("التعليق على الصورة، ناخب يدلي بصوته في العاصمة", "caption"),
    ("Автор фото, Getty Images", "caption"),
    ("Подпись к фото, Избиратель на участке", "caption"),
    ("Fuente de la imagen, Getty Images", "caption"),
    ("Crédit photo : KB / Bondy Blog", "caption"),
    ("قبل 3 ساعات", "metadata"),                  # a relative stamp ("منذ 3 ساعات")
    # more of the Arabic chrome: a page to follow, sponsored content, a sign-up box, the comments'
    # rules, the tags, the reading time printed the other way round
    ("تابعوا صفحتنا على فيسبوك", "social_follow"),
    ("محتوى مدفوع", "advertisement"),
    ("سجل بريدك الإلكتروني", "newsletter"),
    ("المرجو الالتزام بآداب الحوار", "comment_policy"),
    ("إرسال التعليق", "comment_form"),
    ("لا يوجد تعليقات", "comment_count"),
    ("كلمات دالة: مصر، السودان", "metadata"),
    ("قراءة 3 دقائق", "metadata"),
    ("موضوعات تهمك", "related_links"),
    # French and English chrome of the same kind: comment buttons, the paywall's lines, a toolbar's
    # buttons, picture labels
    ("Réagir", "comment_form"),
    ("Se connecter pour commenter", "comment_form"),
    ("Il vous reste 80% de cet article à lire.", "newsletter"),
    ("Déjà abonné ? Connectez-vous", "newsletter"),
    ("Offrir cet article", "share"),
    ("Crédits photo : AFP", "caption"),
    ("Listen to this article", "share"),
    ("Toggle caption", "caption"),
    # the reader's actions on the article in more languages: report an error, rate it, load more
    ("Сообщить об ошибке", "share"),
    ("Zgłoś błąd", "share"),
    ("Report an error", "share"),
    ("Поделиться в Facebook", "share"),
    ("Comentar", "comment_form"),
    ("Показать еще", "navigation"),
    ("Αρχή σελίδας", "back_to_top"),
    ("Wszystkie prawa zastrzeżone", "copyright"),
    ("Ημερομηνία δημοσίευσης: 12/01/2012", "metadata"),
    ("Bereits Abonnent? Hier anmelden", "newsletter"),
    # a wire's closing credits (a sentence that opens with "Reporting by" is prose: below)
    ("Reporting by Florence Tan; Editing by Richard Pullin", "metadata"),
    ("(Reporting by Greg Roumeliotis, Joshua Franklin, with reporting by Herb Lash, editing by Martin Howell.)", "metadata"),
    ("Email icon", "junk"),                       # a button's icon named by its alt text
    ("Chevron icon", "junk"),
    # Japanese chrome (its tables had little beyond share and related) and more of the Chinese
    ("ページの先頭へ", "back_to_top"),
    ("次のページ", "pagination"),
    ("無断転載を禁じます", "copyright"),
    ("写真：共同通信", "caption"),
    ("有料会員限定記事", "newsletter"),
    ("続きを読む", "teaser"),
    ("詳しくはこちら", "teaser"),
    # a paywall's notice where the article stops, and a button's label glued to its empty link
    ("[有料会員限定] この記事は会員限定です。電子版に登録すると続きをお読みいただけます。", "newsletter"),
    ("This article is only available to subscribers.", "newsletter"),
    ("To continue reading, subscribe now.", "newsletter"),
    ("保存javascript:void(0)", "junk"),
    ("Save javascript:void(0);", "junk"),
    # the "found a mistake?" widget: select the text and press Ctrl+Enter to tell the editors
    ("Нашли опечатку? Выделите ее и нажмите Ctrl+Enter", "comment_form"),
    ('Ошибка в тексте? Пожалуйста, выделите ее и нажмите "Ctrl + Enter"', "comment_form"),
    ("Iezīmējiet tekstu un spiediet Ctrl+Enter, lai nosūtītu labojamo teksta fragmentu redaktoram!", "comment_form"),
    ("If you spot an error, select it and press Ctrl+Enter to let our editors know.", "comment_form"),
    # a photo gallery's controls, and a graphic's link after its title
    ("Full Screen", "caption"), ("Autoplay", "caption"), ("View this image ›", "caption"),
    ("HIDE CAPTION", "caption"), ("Photo 3 of 12", "caption"),
    ("Map: Flow of foreign fighters to Syria View Graphic", "caption"),
    # a comment section's policy and its header, a sign-up prompt under the form, a related header
    ("Our Comment Policy", "comment_policy"),
    ("We encourage lively discussion here. Please be aware when you leave a comment your user name may be displayed.",
     "comment_policy"),
    ("We welcome healthy discussions and friendly debate! Please click Flag to alert us of an abusive comment.",
     "comment_policy"),
    ("Not a member? Register for a free account.", "comment_form"),
    ("Liked this? Read these....", "related_links"),
    ("Javascript is needed to use most of these tools:", "junk"),
    # an appeal for supporters, a reader's followed topics
    ("Support Us", "advertisement"),
    ("Werde jetzt Supporter und mach das Magazin noch besser!", "advertisement"),
    ("Meine Themen", "related_links"),
    ("My Topics", "related_links"),
    # a comment section's count and sign-in line as a news site prints them, a story's expand button
    ("Reader comments 75", "comment_count"),
    ("You must login or create an account to comment.", "comment_form"),
    ("Expand full story", "teaser"),
    ("このニュースをシェア", "share"),
    ("weiterlesen 10 Minuten", "teaser"),            # a teaser's link and its reading time
    ("更多精彩内容，请关注微信公众号", "social_follow"),
    ("京公网安备11010502000001号", "copyright"),
    ("原标题：国务院常务会议部署稳就业", "metadata"),
    # a picture's credit, not the page's copyright notice
    ("© REUTERS / POOL", "caption"),
    ("Foto: © Jan Nowak / Agencja Gazeta", "caption"),
    ("(Image: © TNG Collaboration)", "caption"),
    ("© 2022 Bundesministerium für Familie, Senioren, Frauen und Jugend", "copyright"),
    # patterns that ask for the bracket or quote a line opens with (the others see the line without it)
    ("(photo AFP)", "caption"),
    ("[公司播报][国际财经][富豪・财富]", "junk"),
    ("« 1 2 3 »", "pagination"),
    # a Latin word glued to Chinese text is still found by the gate of the patterns that need it
    ("本网站使用Cookie以改善您的浏览体验。", "cookie_notice"),
    # a comment count written as a label and its number
    ("Comments: 12", "comment_count"),
    ("Комментарии: 0", "comment_count"),
    ("Commentaires : 2", "comment_count"),
    ("Komentarze: 7", "comment_count"),
    ("Σχόλια: 3", "comment_count"),
    # a market-data disclaimer under a finance page's quotes
    ("Quotes delayed at least 15 minutes. Real-time quotes provided by BATS BZX Real-Time Price.", "copyright"),
    ("Data is delayed by 20 minutes.", "copyright"),
    # a legal footer of 400 to 500 characters is still one
    ("Все права защищены. " + "Перепечатка материалов без письменного согласия редакции запрещена. " * 6, "copyright"),
])
def test_reason_of_line(line, reason):
    assert reason_of(line) == reason


# the chrome of languages beyond the first tables' (Italian, Portuguese, Dutch, Turkish, Indonesian,
# Vietnamese, Hindi, Hebrew, Persian, Korean), concept by concept
@pytest.mark.parametrize("line,reason", [
    ("Ana Sayfa", "navigation"), ("Kültür Sanat", "navigation"), ("Beranda", "navigation"),
    ("Trang chủ", "navigation"), ("דף הבית", "navigation"), ("صفحه نخست", "navigation"), ("전체메뉴", "navigation"),
    ("Chi siamo", "navigation"), ("Últimas notícias", "navigation"), ("मुख्य पृष्ठ", "navigation"),
    ("Yukarı Çık", "back_to_top"), ("Torna su", "back_to_top"), ("Voltar ao topo", "back_to_top"),
    ("Terug naar boven", "back_to_top"), ("맨 위로", "back_to_top"), ("بازگشت به بالا", "back_to_top"),
    ("Articolo successivo", "pagination"), ("Önceki Haber", "pagination"), ("다음 기사", "pagination"),
    ("Yazdır", "print"), ("Versione stampabile", "print"), ("글자크기", "print"), ("הדפסה", "print"),
    ("Abone Ol", "social_follow"), ("Seguici su Instagram", "social_follow"), ("Siga-nos no Twitter", "social_follow"),
    ("עקבו אחרינו", "social_follow"), ("ما را در اینستاگرام دنبال کنید", "social_follow"),
    ("Simak breaking news dan berita pilihan kami langsung di ponselmu. Akses berita Kompas.com WhatsApp Channel",
     "social_follow"),
    ("Iscriviti alla newsletter", "newsletter"), ("Schrijf je in voor onze nieuwsbrief", "newsletter"),
    ("Đăng ký nhận tin", "newsletter"), ("뉴스레터 구독", "newsletter"),
    ("Tüm hakları saklıdır. © 2024", "copyright"), ("© 2024 Editora. Todos os direitos reservados.", "copyright"),
    ("כל הזכויות שמורות", "copyright"), ("کلیه حقوق این سایت متعلق به خبرگزاری است.", "copyright"),
    ("저작권자 © 한국일보 무단전재 및 재배포 금지", "copyright"), ("Riproduzione riservata", "copyright"),
    ("Utilizziamo i cookie per essere sicuri che tu possa avere la migliore esperienza sul nostro sito.", "cookie_notice"),
    ("Este site utiliza cookies para melhorar a sua experiência.", "cookie_notice"),
    ("Sitemizde çerezler kullanılmaktadır.", "cookie_notice"), ("Tümünü kabul et", "cookie_notice"),
    ("Pubblicità", "advertisement"), ("Publicidade", "advertisement"), ("Advertorial", "advertisement"),
    ("광고", "advertisement"), ("Scroll to continue with content", "advertisement"),
    ("Pubblicato il: 30 Settembre 2020", "metadata"), ("Giriş: 21.11.2024 14:02", "metadata"),
    ("פורסם: 25.11.24, 16:05", "metadata"), ("입력 2024.11.21 14:02", "metadata"), ("Diperbarui 01/12/2024", "metadata"),
    ("Etiketler: ekonomi, faiz", "metadata"), ("برچسب ها", "metadata"), ("Tempo di lettura: 3 minuti", "metadata"),
    ("Nessun commento", "comment_count"), ("12 comentários", "comment_count"), ("3 yorum", "comment_count"),
    ("Il tuo indirizzo email non sarà pubblicato.", "comment_form"), ("Deixe uma resposta", "comment_form"),
    ("Je e-mailadres wordt niet gepubliceerd.", "comment_form"), ("Tinggalkan Balasan", "comment_form"),
    ("הוספת תגובה", "comment_form"), ("نظر شما", "comment_form"),
    ("Kuralları okudum, kabul ediyorum.", "comment_policy"), ("I commenti sono moderati.", "comment_policy"),
    ("O conhecimento liberta. Saiba mais. Siga-nos no Telegram.", "social_follow"), ("Apoie o 247", "advertisement"),
    ("Devamını oku", "teaser"), ("Leia mais", "teaser"), ("Lees verder", "teaser"), ("ادامه مطلب", "teaser"),
    # Arabic chrome the first tables missed, and a line of hashtags in any language
    ("(صورة أرشيفية)", "caption"), ("صورة تعبيرية", "caption"), ("عرض الكل", "navigation"), ("هيئة التحرير", "navigation"),
    ("تحميل التطبيق", "social_follow"), ("تغريد", "share"), ("ملف PDF", "print"),
    ("#سوريا #العراق", "metadata"), ("#Brexit #UK #EU", "metadata"),
    # a wire's closing link to its editorial standards, a related list's header
    ("Our Standards: The Thomson Reuters Trust Principles.", "copyright"), ("Editorial Standards", "copyright"),
    ("Read Next", "related_links"),
    ("More", "navigation"), ("More...", "navigation"), ("More:", "related_links"),   # a menu's link; a box's header
    # a sign-up box inside the article, the reCAPTCHA notice under its form, a caption glued to its credit
    ("Breaking News Emails", "newsletter"),
    ("Get breaking news alerts and special reports. The news and stories that matter, delivered weekday mornings.",
     "newsletter"),
    ("This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply.", "captcha"),
    ("Rep. Ilhan Omar, D-Minn., speaks at the Capitol on July 25, 2019.J. Scott Applewhite / AP file", "caption"),
    ("President Trump at the Economic Club of New York last week.Credit...Anna Moneymaker/The New York Times", "caption"),
    # a fundraising appeal under the article
    ("Do you rely on Snopes reporting? Click here to support it.", "advertisement"),
    ("Support Snopes and make a difference for readers everywhere.", "advertisement"),
    ("A Word to Our Loyal Readers", "advertisement"),
    ("Follow The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and Instagram.", "social_follow"),
    ("Get access to India's fastest growing financial subscriptions service Moneycontrol Pro for as little as Rs 599",
     "advertisement"),
    ("Have a tip? Amy Kuperinsky may be reached at akuperinsky@example.com. Follow her on Twitter @AmyKup.",
     "social_follow"),
    # a blog theme's strings, in English and in German: tags, share and like bars, a comment form's
    # header and its cancel link, previous/next links, a featured image's and a screenshot's captions
    ("This entry was posted in Uncategorized. Bookmark the permalink.", "metadata"),
    ("Dieser Beitrag wurde unter Allgemein veröffentlicht. Setze ein Lesezeichen auf den Permalink.", "metadata"),
    ("Tagged with: Berlin, Demo", "metadata"), ("getaggt mit:Grundeinkommen", "metadata"),
    ("Verschlagwortet mit: Reisen", "metadata"), ("Posted in News | Leave a comment", "metadata"),
    ("Like this:", "share"), ("Gefällt mir Wird geladen …", "share"), ("Teilen mit:", "share"), ("Teile dies:", "share"),
    ("Was denkst du?", "comment_count"), ("Click here to cancel reply.", "comment_form"),
    ("Hier klicken, um das Antworten abzubrechen.", "comment_form"),
    ("Nächste Vorherige", "pagination"), ("Vorheriger Beitrag", "pagination"), ("Next Previous", "pagination"),
    ("Zurück zur Übersicht", "navigation"), ("Seite drucken", "print"), ("Als PDF herunterladen", "print"),
    ("Das Thema könnte dich auch interessieren:", "related_links"),
    ("Beitragsbild: Titelseite der FAZ vom 2.4.2019", "caption"), ("Featured image: the harbour at dawn", "caption"),
    ("Zum Vergrößern bitte anklicken", "caption"), ("Click to enlarge", "caption"),
    ("Photograph by Ed Marshall, Redonda Restoration Programme", "caption"),
    ("Przeczytaj także: Zburzą 100-metrowy wieżowiec. W jego miejsce gigant", "teaser"),
    ("Zobacz więcej na temat:", "metadata"),
    ("incurvy Autorin", "byline"), ("Gastautorin", "byline"),
    ("Wellness-Tipps was last modified: Januar 8th, 2017 by Eleonore", "metadata"),
    ("Leave this field empty if you're human:", "newsletter"), ("E-Mail-Adresse", "newsletter"),
    ("CHANGELOG ABONNIEREN", "newsletter"), ("Aktuelle Recherchen per Mail", "newsletter"),
    ("Dieses Skript als PDF herunterladen", "print"), ("Download the full report as PDF", "print"), ("(1,2 MB)", "print"),
])
def test_reason_of_line_in_more_languages(line, reason):
    assert reason_of(line) == reason


def test_a_count_written_as_label_and_number_opens_no_comment_section():
    # ("Комментарии: 0" by a headline is a counter: as a section's opening it made an article comments)
    rules = get_rules()
    for line in ("Comments: 12", "Комментарии: 0", "Kommentare: 3", "Σχόλια: 3"):
        concept = rules.match(line)
        assert rules.reason_of[concept] == "comment_count" and concept not in rules.section_of, line
    assert rules.match("12 comments") in rules.section_of     # a header of the section does


@pytest.mark.parametrize("line", [
    "The minister said the talks would continue next week in Baghdad.",
    "وقالت وزارة الدفاع العراقية، في بيان لها اليوم الأربعاء، إن الجانبين بحثا التنسيق الأمني.",
    "Le ministre a déclaré que les discussions reprendraient la semaine prochaine.",
    "庭审结束后法官当庭宣判，被告人犯诈骗罪。",
    "图书馆今天重新开放，读者排起长队。",          # 图 opens a word here, not a caption
    "Показатель заболеваемости ВИЧ в Башкирии растет.",
    "Share prices rose sharply on Monday after the central bank cut rates.",   # 'share' inside prose
    "Prevalence",                     # a subheading, not 'prev' pagination
    "Preventing Heart Attacks",
    "Komentarz",                      # a lone singular heads an analysis as often as a comment section
    "Data showed that only five out of 965 medical staff came down with the disease.",   # 'data' (pl: date)
    "Standard deviation is the square root of the variance.",                             # 'stand' (de)
    "Released prisoners said they had been held in the camp for months.",                 # 'released'
    "Published research shows the drug works in mice.",
    "Share prices fell",              # a button's word opens it, but the rest are no buttons
    "In Print",                       # two-letter buttons ("in") are words too
    "Save the date",
    "This article is available in English and French.",      # not a paywall: no subscribers
    "Select the cells and press Ctrl+Enter to fill them all at once.",   # a how-to's shortcut, no widget
    "Visitors to the museum can view photos.",            # a sentence, not a gallery's link
    "You must log in to the portal before you can file the claim, the agency said.",
    "The report is only available to members of the committee, the minister said.",
    "PARIS (AFP)",                    # a credit, not a caption: a place before the agency
    "举报",                            # "report abuse", not a paper's name ending in 报
    "The minister said on Tuesday. (AP)",     # a sentence's credit
    "Redakteur Hans Müller sagte am Montag, dass der Streik weitergeht.",   # a role word opens a sentence
    "Reporter Jane Smith asked the minister about the plan.",
    "Editor’s Bulletin",
    "حرر الجيش 20 قرية من قبضة المسلحين في الشمال.",      # 'حرر' (edited) also means 'freed'
    "منذ سنوات طويلة يعيش الناس هنا في فقر.",            # 'منذ' (ago) opens a sentence
    "3 hours ago the minister said the talks were over.",
    "Reporting by ProPublica has shown that the agency ignored the warnings for years.",
    "Fashion icon",                   # (a heading: only a button's words before "icon")
    "越来越多的年轻人开始关注这个公众号，并在上面分享自己的生活。",   # a sentence about an account
    "Il y a 3 heures, le ministre a annoncé la fin des négociations.",
    "Vor 3 Stunden hat der Minister gesprochen.",
    "شاهد العالم كله كيف انهارت الأسواق.",                # 'watch' opens a sentence
    "Video games are popular with teenagers, the survey found.",
    "Page two of the report shows growth.",
    "Die Aktie fiel um fünf Prozent. (Quelle: dpa)",      # an agency credit, not a picture's "who/where"
    "Win or lose, the team will play again on Sunday.",    # 'win' with no prize after it
    "Gagner du temps est devenu une obsession.",
    "The new model has 128 GB of storage and a 6.1-inch screen.",   # a size with no file's format
    "Speicher: 256 GB",
    "Das Netz liefert bis zu 300 MB/s.",
    "Support the troops and make sure they come home.",      # 'support' opening a sentence, no appeal
    "The pizzas were delivered every morning to the school.",
    "He bought the tickets for just $5 each, the cheapest in years.",
    'He said: "It works."Reuters reported the same day.',
    "Support for the bill grew, and we expect a vote soon.",
    "Dieser Beitrag wurde von der Redaktion gekürzt.",              # a note, no theme's "posted in"
    "Photographs by the museum's founder line the walls of the hall.",
    "Click here to read the full report, the ministry said.",
    "128 GB",                         # a size alone: no file's, a spec's
    "The city council welcomes a lively debate on the budget, the mayor said on Tuesday.",   # no comments' rules
    "نرحب بالنقاش حول هذه القضية، قال الوزير.",
    "We encourage lively debate in parliament, the minister said after the vote on Tuesday.",
    "JavaScript is required for most modern web applications, and developers rely on it every day.",
    "Liked this year's show? The organisers say the next one will be bigger.",
])
def test_prose_is_not_matched(line):
    assert reason_of(line) is None


def test_line_key_strips_outer_punctuation_and_case():
    assert line_key("  » Share: ") == "share"
    assert line_key("【打印】") == "打印"
    assert line_key("Read More...") == "read more"


def test_user_rules_dir_is_merged_over_builtins(tmp_path):
    (tmp_path / "extra.yaml").write_text(
        "share:\n"
        "  xx:\n"
        "    lines: [Teilen Sie das jetzt]\n"
        "house_ads:\n"
        "  reason: advertisement\n"
        "  max_chars: 80\n"
        "  any:\n"
        "    patterns: ['^buy our print edition\\b']\n",
        encoding="utf-8")
    d = str(tmp_path)
    assert reason_of("Teilen Sie das jetzt", d) == "share"
    assert reason_of("Buy our print edition today", d) == "advertisement"
    assert reason_of("Share this article", d) == "share"          # built-ins still there
    assert reason_of("Buy our print edition today") is None        # not without the directory


def test_a_phrase_is_compared_in_the_form_of_the_normalized_line(tmp_path):
    # a page's lines lose zero-width non-joiners and full-width punctuation (normalize_text) before
    # the rules see them; a phrase typed with them ("دیدگاه‌ها", "字号：大 中 小") must meet them
    from tasks.normalize import normalize_text

    (tmp_path / "extra.yaml").write_text(
        "share:\n  fa:\n    lines: [\"بازنشر\u200cشده\"]\n  ar:\n    lines: [\"ابعثـــه لصديقك\"]\n"
        "print:\n  zh:\n    lines: [\"字体：特大 大\"]\n", encoding="utf-8")
    d = str(tmp_path)
    for typed, reason in [("دیدگاه\u200cها", "comment_count"), ("اشتراک\u200cگذاری", "share"),
                          ("字号：大 中 小", "print"), ("用户名：", "comment_form"),
                          ("بازنشر\u200cشده", "share"), ("ابعثـــه لصديقك", "share"), ("字体：特大 大", "print")]:
        line = normalize_text(typed)
        assert line != typed and reason_of(line, d) == reason, typed


def test_user_rule_with_unknown_reason_is_refused(tmp_path):
    (tmp_path / "bad.yaml").write_text("x:\n  reason: not_a_reason\n  en:\n    lines: [foo]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown reason"):
        load_rule_data(str(tmp_path))


def test_agency_tables_for_fields():
    names = agency_names()
    assert "Reuters" in names and "الأناضول" in names and "新华社" in names
    assert "By" in byline_prefixes() and "بقلم" in byline_prefixes()


def test_list_headers_are_a_word_list_not_a_concept():
    # no line is removed for being a list's header: it names lines that belong to the article
    data = load_rule_data(None)
    assert "list_header" not in data.concepts
    rules = get_rules()
    assert {"ingredients", "zutaten", "key points", "المكونات", "材料"} <= rules.list_headers
    assert rules.match("Ingredients") is None and rules.match("Zutaten") is None


def test_no_phrase_is_a_spelling_variant_of_another():
    # the rules compare lines in one Arabic spelling (rule_form), so a variant listed beside its
    # phrase ("اقرأ أيضا" / "اقرا ايضا") is dead weight that suggests variants must be listed
    import yaml

    from tasks.rules import BUILTIN_DIR, folded_line_key, line_key

    variants = []
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        for concept, body in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            for lang, tables in (body or {}).items():
                if not isinstance(tables, dict):
                    continue
                seen: dict[str, str] = {}
                for x in (str(x) for x in tables.get("lines") or []):
                    k = line_key(x)
                    if k in seen and folded_line_key(x.casefold()) != folded_line_key(seen[k].casefold()):
                        variants.append((path.name, concept, lang, seen[k], x))
                    seen.setdefault(k, x)
    assert variants == []


def test_rules_are_compiled_once():
    assert get_rules(None) is get_rules(None)


def test_compile_all_compiles_every_alternation_and_matches_the_same():
    # benchmarks call it in their warm-up; lazily compiled tables must give the same answers
    from tasks.rules import LineRules, load_rule_data
    lazy, eager = LineRules(load_rule_data(None), None), LineRules(load_rule_data(None), None)
    eager.compile_all()
    buckets = list(eager._any2.values()) + [b for d in eager._by2.values() for b in d.values()]
    assert buckets and all(b.rx is not None for b in buckets)
    assert any(b.rx is None for b in list(lazy._any2.values()) + [b for d in lazy._by2.values() for b in d.values()])
    lines = ["Share this article", "اقرأ أيضا", "© 2024 Example News", "Tous droits réservés", "版权所有 © 2011 新华网",
             "Published: 12 March 2019", "» Read more", "(Alle Angaben ohne Gewähr)", "Photo: Reuters/John Smith",
             "A plain sentence about the minister's visit to the capital on Tuesday."]
    assert [eager.match(x) for x in lines] == [lazy.match(x) for x in lines]


def test_word_gate_in_c_equals_its_python_twin():
    # tasks/_native.c word_heads finds which word-gated patterns a line may match; without a
    # compiler re's findall does. Both must find the same token heads in every script, with
    # digits, "_", combining marks and chars past the BMP.
    import random

    from tasks import rules as rl
    from tasks._native import word_heads       # `pip install -e .` builds it

    keys = get_rules()._word_keys
    rnd = random.Random(11)
    alphabet = list("abc xyz_09.,-'’") + list("ابت ـ١٢") + list("中文 ") + ["é", "\u0301", "ß", "Ⅻ", "²", "𝐀", "😀", "\t"]
    heads = sorted(keys)
    cases = ["", " ", "share this", "шарить", "éa_b 12x", "__init__ x"]
    for _ in range(3000):
        parts = [rnd.choice(heads) if rnd.random() < 0.3 else rnd.choice(alphabet) for _ in range(rnd.randint(0, 25))]
        cases.append("".join(parts))
    for s in cases:
        got = word_heads(s, keys)
        assert len(got) == len(set(got))
        assert set(got) == rl.word_heads_py(s, keys), s
    # another key set rebuilds the compiled table; a mutable set is refused (it could change)
    assert word_heads("ab abc abcd", frozenset({"ab", "abc"})) == ["ab", "abc"]
    with pytest.raises(TypeError):
        word_heads("ab", {"ab"})


def test_no_rule_pattern_backtracks_catastrophically():
    # A rule pattern with nested repetition can take exponential time on a long run of one
    # character that then fails to match ("aaaa…a!"), and the cleaner has no timeout: one such
    # line would stall a whole batch. Every pattern must answer quickly on such lines up to its
    # concept's length limit (two were rewritten with possessive and atomic parts for this).
    import signal
    import time

    data = load_rule_data(None)
    pieces = ["x", "a", "1", "٣", " ", "-", ".", "ا", "中", "_", "/", ":", "|", ",", "é", "A", "ab", "1 ", "a ", "x."]
    lines = [(p * 300)[:n] + tail for p in pieces for n in (40, 100, 290) for tail in ("", "!", "\u2603", " x")]

    def too_slow(*_):
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, too_slow)
    try:
        for name, concept in data.concepts.items():
            for lang, patterns in concept.patterns.items():
                for p in patterns:
                    rx = re.compile(p, re.I)
                    for s in lines:
                        if len(s) > concept.max_chars + 20:
                            continue
                        signal.setitimer(signal.ITIMER_REAL, 2.0)
                        t = time.perf_counter()
                        try:
                            rx.match(s)
                            rx.search(s)
                        except TimeoutError:
                            pytest.fail(f"{name}.{lang} pattern {p!r} backtracks on {s[:30]!r}… ({len(s)} chars)")
                        finally:
                            signal.setitimer(signal.ITIMER_REAL, 0)
                        assert time.perf_counter() - t < 0.5, (name, lang, p, s)
    finally:
        signal.signal(signal.SIGALRM, old)


def test_rewritten_patterns_match_the_same_lines():
    # the two patterns made backtrack-free must match exactly the lines their old forms did
    import itertools

    rules = get_rules()
    cases = {
        "junk": (r"^(?:(?P<_rep>[A-Za-z])(?P=_rep)+){2,}$", "aAb!", 8),
        "pagination": (r"^(\d{1,3}\s*[|,]?\s*){3,}(»|>|next|…)?$", ["1", "٣", " ", "|", ",", ">", "x", "next", "…"], 6),
    }
    for concept, (old_pattern, alphabet, max_len) in cases.items():
        old = re.compile(old_pattern, re.I)
        new = [rx for c, rx in [(c, rx) for lst in rules.by_first.values() for c, rx in lst] if c == concept
               and "+" in rx.pattern and ("++" in rx.pattern or "*+" in rx.pattern)][0]
        for n in range(max_len + 1):
            for t in itertools.product(alphabet, repeat=n):
                s = "".join(t)
                assert bool(old.match(s)) == bool(new.match(s)), (concept, s)


def test_toolbar_concept_takes_the_phrases_of_the_concepts_it_names(tmp_path):
    def rules_dir(name: str, text: str) -> str:          # one folder each: the tables are cached per folder
        (tmp_path / name).mkdir()
        (tmp_path / name / "extra.yaml").write_text(text, encoding="utf-8")
        return str(tmp_path / name)

    d = rules_dir("button", "print:\n  xx:\n    lines: [Ausdrucken bitte]\n")
    assert reason_of("Ausdrucken bitte | Teilen", d) == "share"     # a user's button joins the toolbar
    assert reason_of("Ausdrucken bitte | Teilen") is None
    with pytest.raises(ValueError, match="unknown concept"):
        load_rule_data(rules_dir("unknown", "share_toolbar:\n  toolbar_of: [share, no_such_concept]\n"))
    with pytest.raises(ValueError, match="one toolbar concept"):
        load_rule_data(rules_dir("second", "bar:\n  reason: share\n  toolbar_of: [share]\n"))


def test_continue_reading_markers_are_their_own_concept_in_every_language():
    # the cleaner joins the article across the widget under these; advertisement must not take them first
    rules = get_rules()
    for line in ["Continue Reading Below", "Story continues below advertisement", "La suite après cette publicité",
                 "CONTINUA DEPOIS DA PUBLICIDADE",
                 "Weiter nach der Anzeige", "Artikel weiter nach der Anzeige", "Dalsza część artykułu pod reklamą"]:
        assert rules.match(line) == "continues_below", line
