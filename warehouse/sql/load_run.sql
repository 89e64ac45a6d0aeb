-- Load one run's staged parts (registered as staged_<table>) in the caller's transaction.
-- Statements run in order; $run_id is the run being loaded. The same script replays a committed
-- run from the lake in `news-etl rebuild`, so it must depend only on the staged rows and on
-- what earlier runs loaded (never on the clock or on the raw files).
-- Sections: `prepare` once, `slice` once for each slice of the staged parts (listed by `slices`), then `finish`.

-- section: prepare
-- A file that vanished between the scan and its read was not really seen: its current articles
-- and its manifest row stay as they were (had it been deleted before the scan, the run would not
-- have seen it at all), and the next run that finds it again reads it.
create or replace temp table vanished_files as
select distinct source_path from staged_rejects where reason = 'vanished' and record_index is null;

create or replace temp table changed_files as
select source_path from staged_files
where status <> 'unchanged' and source_path not in (select source_path from vanished_files);

-- 0. the documents this run touches: new versions, plus the current articles of files that
--    changed (a changed file may now give fewer records, or none). Their old near-dup group
--    is kept so that near_duplicates.sql can regroup what they leave behind.
create or replace temp table touched_docs as
select doc_id, near_dup_group as old_group from articles
where doc_id in (select doc_id from staged_articles)
   or source_path in (select source_path from changed_files)
union
select doc_id, null from staged_articles where doc_id not in (select doc_id from articles);

-- 1. every new version of an article, numbered after the versions already loaded, and the newest
--    of each document marked: it becomes the current article. Versions are numbered on narrow columns
--    (the staged row's file and row number, doc id, time); whole rows are read only from the Parquet
--    parts, streamed, one slice of parts at a time (section `slice`): a window over whole rows, a
--    scan of rows this transaction inserted, or one join over all of a 1M-file run's rows held more
--    than DuckDB's memory_limit at once (out of memory).
create or replace temp table staged_versions as
with prior as (
    select doc_id, max(version) as version from article_versions
    where doc_id in (select doc_id from staged_articles)
    group by doc_id
),
numbered as (
    select filename, file_row_number, doc_id,
           row_number() over (partition by doc_id order by ingested_at) as nth,
           count(*) over (partition by doc_id) as n_staged
    from (select filename, file_row_number, doc_id, ingested_at from staged_articles)
)
select filename, file_row_number, doc_id,
       coalesce(prior.version, 0) + nth as version,
       nth = n_staged as is_latest
from numbered
left join prior using (doc_id);

-- the slices: consecutive parts of at most $slice_rows staged rows (a part bigger than that alone)
create or replace temp table staged_slices as
with rows_per_part as (
    select filename, count(*) as n_rows from staged_versions group by filename
),
running as (
    select filename, sum(n_rows) over (order by filename rows unbounded preceding) - n_rows as rows_before
    from rows_per_part
)
select filename, (rows_before // $slice_rows)::integer as slice from running;

-- 2. the current version replaces the previous one in `articles` (inserted by the slices)
delete from articles where doc_id in (select doc_id from staged_versions);

-- removed lines belong to the current version only
delete from removed_lines where doc_id in (select doc_id from touched_docs);

-- section: slices
-- read by the caller: each slice's parts, in order
select slice, list(filename order by filename) as files from staged_slices group by slice order by slice;

-- section: slice
-- One slice of the run's parts: the caller registers them as staged_articles_slice (a view with
-- filename and file_row_number), $slice is its number in staged_slices.
create or replace temp table slice_versions as
select * from staged_versions where filename in (select filename from staged_slices where slice = $slice);

create or replace temp view staged_article_versions as
select
    s.doc_id, v.version,
    s.source_path, s.record_index, s.source_sha256, s.format, s.encoding, s.language, s.title, s.body,
    s.dateline, s.byline, s.site_name, s.site, s.url, s.page_date, s.published_at,
    s.n_chars, s.n_words, s.body_sha256, s.match_key_sha256, s.minhash, s.extra, s.ingested_at, s.run_id,
    v.is_latest
from staged_articles_slice as s
join slice_versions as v using (filename, file_row_number);

-- by name: `paragraphs` is computed from `body` (ddl.sql)
insert into article_versions by name select * exclude (is_latest) from staged_article_versions;

insert into articles by name
select * exclude (is_latest), null as dup_of, null as near_dup_group
from staged_article_versions
where is_latest;

-- section: finish
-- a file whose new version yields fewer records: its leftover records are no longer current
delete from articles
where source_path in (select source_path from changed_files)
  and run_id <> $run_id;

insert into removed_lines select doc_id, line_no, text, reason, run_id from staged_removed_lines;

insert into rejects select source_path, record_index, reason, detail, run_id, rejected_at from staged_rejects;

-- 3. the manifest moves in the same transaction as the data
merge into manifest as m
using (select * from staged_files where source_path not in (select source_path from vanished_files)) as f
on m.source_path = f.source_path
when matched then update set
    root = f.root, size = f.size, mtime_ns = f.mtime_ns,
    -- a file rejected as a whole has no hash: forget the old one, or restoring the old bytes
    -- later would look `unchanged` while its article is no longer current
    sha256 = case when f.status = 'unchanged' then m.sha256 else f.sha256 end,
    status = case when f.status = 'unchanged' then m.status else f.status end,
    n_articles = case when f.status = 'unchanged' then m.n_articles else f.n_articles end,
    last_seen = f.seen_at, last_run_id = f.run_id
when not matched then insert
    values (f.source_path, f.root, f.size, f.mtime_ns, f.sha256, f.status, f.n_articles, f.seen_at, f.seen_at, f.run_id);

-- 4. per-site memory of chrome lines, learned across runs
merge into site_memory as m
using (select site, fingerprint, sum(n_pages)::integer as n_pages from staged_site_lines group by site, fingerprint) as s
on m.site = s.site and m.fingerprint = s.fingerprint
when matched then update set n_pages = m.n_pages + s.n_pages
when not matched then insert values (s.site, s.fingerprint, s.n_pages);

insert into step_stats select * from staged_step_stats;
