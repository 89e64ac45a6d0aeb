-- Data checks, run after each load. Each check is one query that counts offending rows;
-- a check passes when its count is 0. The header line names it: `-- check: <name>`.
-- $line_reasons, $reject_reasons, $formats and $manifest_statuses are lists of accepted values.
-- The run's accounting identity (loaded + unchanged + rejected = seen) is checked in the flow's summary.

-- check: articles_doc_id_unique
select count(*) - count(distinct doc_id) from articles;

-- check: articles_title_not_null
select count(*) from articles where title is null or trim(title) = '';

-- check: articles_body_not_null
-- (a regex for 'no non-blank character' instead of trim(body) = '': trim copies every body, 15 s vs 0.4 s
-- over 100k articles, on every run; it also counts bodies of tabs and newlines as blank)
select count(*) from articles where body is null or not regexp_matches(body, '\S');

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

-- check: site_memory_key_unique
select count(*) - count(distinct (site, fingerprint)) from site_memory;

-- check: manifest_status_accepted
select count(*) from manifest where status not in (select unnest($manifest_statuses));

-- check: articles_current_version_is_latest
select count(*) from articles as a
join (select doc_id, max(version) as latest from article_versions group by doc_id) as v using (doc_id)
where a.version <> v.latest;

-- check: articles_have_a_version
select count(*) from articles as a
where not exists (select 1 from article_versions as v where v.doc_id = a.doc_id and v.version = a.version);

-- check: articles_source_in_manifest
select count(*) from articles where source_path not in (select source_path from manifest where status = 'loaded');

-- check: dup_of_is_another_current_article_with_the_same_body
select count(*) from articles as a
left join articles as o on o.doc_id = a.dup_of
where a.dup_of is not null and (a.dup_of = a.doc_id or o.doc_id is null or o.match_key_sha256 <> a.match_key_sha256);

-- check: near_dup_group_is_smallest_member_of_two_or_more
select count(*) from (
    select near_dup_group, min(doc_id) as smallest, count(*) as members
    from articles where near_dup_group is not null group by near_dup_group
) where near_dup_group <> smallest or members < 2;
