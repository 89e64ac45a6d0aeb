-- Data checks, run after each load. Each check is one query that counts offending rows;
-- a check passes when its count is 0. The header line names it: `-- check: <name>`.
-- $line_reasons, $reject_reasons and $formats are lists of accepted values.

-- check: articles_doc_id_unique
select count(*) - count(distinct doc_id) from articles;

-- check: articles_title_not_null
select count(*) from articles where title is null or trim(title) = '';

-- check: articles_body_not_null
select count(*) from articles where body is null or trim(body) = '';

-- check: articles_format_accepted
select count(*) from articles where format not in (select unnest($formats));

-- check: articles_language_iso639_1
select count(*) from articles where language is not null and not regexp_full_match(language, '[a-z]{2}');

-- check: removed_lines_reason_accepted
select count(*) from removed_lines where reason not in (select unnest($line_reasons));

-- check: rejects_reason_accepted
select count(*) from rejects where reason not in (select unnest($reject_reasons));

-- check: article_versions_key_unique
select count(*) - count(distinct (doc_id, version)) from article_versions;

-- check: manifest_path_unique
select count(*) - count(distinct source_path) from manifest;
