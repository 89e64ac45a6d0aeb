"""The reason codes: why a line was removed, why an input was rejected.

These are part of the output contract (README, 'Reason codes') and the data
checks accept only these values, so adding one is a deliberate act.
"""

LINE_REASONS: dict[str, str] = {
    "navigation": "menu or section navigation",
    "breadcrumb": "breadcrumb trail (Home / Section / ...)",
    "date_widget": "today's date printed in the page chrome",
    "masthead": "masthead: editor-in-chief, publisher, slogan lines",
    "site_name": "the outlet's name on a line of its own",
    "section_label": "a section or category label",
    "share": "share / send / print-this buttons",
    "social_follow": "follow us / app / social network calls",
    "print": "print or font-size controls",
    "comment_count": "number of comments or views",
    "user_comment": "a reader's comment",
    "comment_form": "comment form fields and buttons",
    "comment_policy": "comment rules and disclaimers",
    "captcha": "captcha / verification code prompts",
    "related_links": "related / see-also / most-read headline lists",
    "teaser": "teaser of another article",
    "newsletter": "newsletter sign-up",
    "cookie_notice": "cookie or privacy banner",
    "copyright": "copyright and legal footer",
    "advertisement": "advertisement label or sponsored block",
    "title_repeat": "the title printed again",
    "back_to_top": "back-to-top link",
    "junk": "icon glyphs, stray characters, empty markup residue",
    "repeated_on_site": "a line seen on many pages of the same site",
    "repeated_in_page": "a line repeated inside the page",
    "dateline": "dateline/byline line taken into the dateline/byline fields",
    "byline": "author credit taken into the byline field",
    "header_zone": "short line before the article starts",
    "footer_zone": "short line after the article ends",
    "off_block": "prose outside the main block of the article",
    "title": "the headline, taken into the title field",
    "pagination": "page numbers / next / previous",
    "metadata": "publication date, reading time, tags line",
    "caption": "image caption or credit",
    "poll": "a reader poll: its header, question, answers and vote buttons",
}

REJECT_REASONS: dict[str, str] = {
    "empty": "the file has no bytes",
    "whitespace_only": "the file has only white space",
    "binary": "the file is not text, HTML, JSONL, WARC or gzip",
    "undecodable": "no encoding decodes the bytes cleanly",
    "truncated": "a compressed or archive file ends early",
    "too_large": "over the size cap (counted after decompression)",
    "timeout": "cleaning took longer than the per-document limit (HTML_TIMEOUT_S, TEXT_TIMEOUT_S)",
    "no_content": "nothing left after cleaning",
    "no_title": "an article body but no headline (the contract requires a title)",
    "bad_record": "a JSONL or WARC record that cannot be read",
    "vanished": "the file disappeared before it could be read",
    "unreadable": "the file cannot be opened (permissions, I/O error)",
    "symlink_outside_root": "a symbolic link that leads outside its input root",
}
