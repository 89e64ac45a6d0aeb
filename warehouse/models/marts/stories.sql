-- Stories: articles about the same event from different outlets (story_members, computed by
-- warehouse/stories.py, which also labels each story with its five heaviest TF-IDF terms),
-- with the outlets, dates and article count. A story of one article is kept: it may grow
-- in a later run.
--
-- The long strings (the anchor's title, the label) never enter an aggregate: aggregate states that
-- held them did not spill at 1M, so the counts and the outlet and language lists are grouped from
-- keys and dates only, and the anchor's row is joined to them (a join can spill). Members are
-- grouped by outlet and language first, so each story's lists are short before they are
-- deduplicated and sorted. On the 1M generated run's warehouse (589k stories) this gives the same
-- rows in the same order as aggregating the titles did, and fits in duckdb_marts_memory_limit,
-- which that did not (it needed the retry's limit).
with members as (
    select
        story_members.story_id,
        stg_articles.outlet,
        stg_articles.language,
        stg_articles.day
    from story_members
    join stg_articles using (doc_id)
),

anchors as (
    select
        story_members.story_id,
        story_members.label,
        stg_articles.title as anchor_title
    from story_members
    join stg_articles using (doc_id)
    where story_members.is_anchor
),

by_outlet_and_language as (
    select
        story_id,
        outlet,
        language,
        count(*) as n_articles,
        min(day) as first_day,
        max(day) as last_day
    from members
    group by story_id, outlet, language
),

story_counts as (
    select
        story_id,
        sum(n_articles) as n_articles,
        list_sort(list_distinct(list(outlet))) as outlets,
        list_sort(list_distinct(list(language))) as languages,
        min(first_day) as first_day,
        max(last_day) as last_day
    from by_outlet_and_language
    group by story_id
),

stories as (
    select
        story_counts.*,
        anchors.label,
        anchors.anchor_title
    from story_counts
    left join anchors using (story_id)
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
