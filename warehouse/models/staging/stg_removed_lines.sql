-- Boilerplate lines removed from the current version of each article, from the Parquet lake.
-- The lake keeps the lines of every version; a line belongs to the current one when its run
-- loaded that version.
with lake_lines as (
    select doc_id, line_no, reason, run_id from lake_removed_lines
),

current_versions as (
    select doc_id, run_id, site from stg_articles
),

current_lines as (
    select
        lake_lines.doc_id,
        lake_lines.line_no,
        lake_lines.reason,
        -- title, dateline and byline lines were taken into the article's fields: not chrome
        lake_lines.reason not in ('title', 'dateline', 'byline') as is_chrome,
        current_versions.site
    from lake_lines
    join current_versions using (doc_id, run_id)
)

select * from current_lines
