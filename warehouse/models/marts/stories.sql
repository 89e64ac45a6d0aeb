-- Stories: articles about the same event from different outlets (story_members, computed by
-- warehouse/stories.py, which also labels each story with its five heaviest TF-IDF terms),
-- with the outlets, dates and article count. A story of one article is kept: it may grow
-- in a later run.
with members as (
    select story_members.story_id, story_members.is_anchor, story_members.label, stg_articles.*
    from story_members
    join stg_articles using (doc_id)
),

stories as (
    select
        story_id,
        any_value(label) as label,
        count(*) as n_articles,
        count(distinct outlet) as n_outlets,
        string_agg(distinct outlet, '; ' order by outlet) as outlets,
        string_agg(distinct language, '; ' order by language) as languages,
        min(day) as first_day,
        max(day) as last_day,
        any_value(title) filter (where is_anchor) as anchor_title
    from members
    group by story_id
)

select
    story_id,
    coalesce(label, '') as label,
    n_articles,
    n_outlets,
    outlets,
    languages,
    first_day,
    last_day,
    anchor_title
from stories
order by n_outlets desc, n_articles desc, first_day, story_id
