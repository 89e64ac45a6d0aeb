-- article_terms and term_df kept up to date with the current article versions (warehouse/models.py
-- update_article_terms), in the refresh transaction. term_df follows through term_df_delta: the rows
-- dropped and added are counted there and applied at the end, so a run reads only its own terms for it.
-- Sections, in the order models.py runs them: `prepare`; `runs_without_terms`, and for the lake's parts
-- of those runs `copy_from_lake`, `lake_terms_versions`, `insert_lake_terms`; `to_compute`, then
-- `read_batch` / `write_batch` for each batch of versions still without terms; `delta_rows`,
-- `apply_delta` when there is one, `finish`.

-- section: prepare
-- Counted against the versions that have terms (one row each), not every term row: at 1M articles the
-- anti-join built on article_terms' ~40M rows ran out of memory. A view: it is read after the inserts too.
create or replace temp view versions_without_terms as
with versions_with_terms as materialized (
    select doc_id, version from article_terms group by doc_id, version
)
select a.doc_id, a.version, a.run_id from articles a
where not exists (select 1 from versions_with_terms t where t.doc_id = a.doc_id and t.version = a.version);

create or replace temp table term_df_delta as
select term, -count(*) as d from article_terms t
where not exists (select 1 from articles a where a.doc_id = t.doc_id and a.version = t.version)
group by term;

delete from article_terms t
where not exists (select 1 from articles a where a.doc_id = t.doc_id and a.version = t.version);

-- section: runs_without_terms
select distinct run_id from versions_without_terms;

-- section: copy_from_lake
-- The terms the workers wrote ($parts: the lake's article_terms parts of the runs that loaded the
-- articles), for the current versions that have none: a join DuckDB streams, no body leaves it.
-- Materialized once (DuckDB spills it): the count, the df delta and the insert read it, instead of
-- each repeating the Parquet scan and the anti-join with article_terms.
create or replace temp table lake_terms_missing as
select a.doc_id, a.version, t.term, t.tf, t.title_tf, t.term_rank
from read_parquet($parts, hive_partitioning = false) t
join versions_without_terms a on a.doc_id = t.doc_id and a.run_id = t.run_id;

-- section: lake_terms_versions
select count(distinct (doc_id, version)) from lake_terms_missing;

-- section: insert_lake_terms
insert into term_df_delta select term, count(*) from lake_terms_missing group by term;

insert into article_terms select * from lake_terms_missing;

drop table lake_terms_missing;

-- section: to_compute
-- ids first, bodies a batch at a time (read_batch): memory stays flat however many articles are new
select doc_id from versions_without_terms order by doc_id;

-- section: read_batch
select doc_id, version, language, title, body from articles
where doc_id in (select doc_id from terms_batch)
order by doc_id;

-- section: write_batch
-- new_article_terms: a batch of terms computed in Python (tasks/terms.py, as the workers do)
insert into article_terms select * from new_article_terms;

insert into term_df_delta select term, count(*) from new_article_terms group by term;

-- section: delta_rows
select count(*) from term_df_delta;

-- section: apply_delta
-- only when there is a delta (delta_rows): the rewrite of term_df costs a scan of all its rows
create or replace table term_df as
select term, cast(sum(df) as bigint) as df from (
    select term, df from term_df
    union all
    select term, d from term_df_delta
)
group by term
having sum(df) > 0;

-- section: finish
drop table term_df_delta;

drop view versions_without_terms;
