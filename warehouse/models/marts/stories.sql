-- Stories: articles about the same event from different outlets (story_members, computed by
-- warehouse/stories.py, which also labels each story with its five heaviest TF-IDF terms),
-- with the outlets, dates and article count. A story of one article is kept: it may grow
-- in a later run.
--
-- No DISTINCT or ORDER BY inside an aggregate: members are first grouped by outlet and language
-- (a plain GROUP BY), so each story's lists of outlets and languages are short, deduplicated and
-- sorted afterwards. On the 1M generated run's warehouse (589k stories) this builds in half the
-- time of count(distinct) / string_agg(distinct … order by) with the same rows; both still need
-- ~448 MB of DuckDB there, since list aggregates cannot spill either (duckdb_marts_memory_limit).
with members as (
    select
        story_members.story_id,
        story_members.is_anchor,
        story_members.label,
        stg_articles.outlet,
        stg_articles.language,
        stg_articles.day,
        stg_articles.title
    from story_members
    join stg_articles using (doc_id)
),

by_outlet_and_language as (
    select
        story_id,
        outlet,
        language,
        any_value(label) as label,
        count(*) as n_articles,
        min(day) as first_day,
        max(day) as last_day,
        any_value(title) filter (where is_anchor) as anchor_title
    from members
    group by story_id, outlet, language
),

stories as (
    select
        story_id,
        any_value(label) as label,
        sum(n_articles) as n_articles,
        list_sort(list_distinct(list(outlet))) as outlets,
        list_sort(list_distinct(list(language))) as languages,
        min(first_day) as first_day,
        max(last_day) as last_day,
        any_value(anchor_title) as anchor_title   -- any_value skips nulls: the anchor's title
    from by_outlet_and_language
    group by story_id
)

select
    story_id,
    coalesce(label, '') as label,
    cast(n_articles as bigint) as n_articles,
    cast(len(outlets) as bigint) as n_outlets,
    array_to_string(outlets, '; ') as outlets,
    array_to_string(languages, '; ') as languages,
    first_day,
    last_day,
    anchor_title
from stories
order by n_outlets desc, n_articles desc, first_day, story_id
