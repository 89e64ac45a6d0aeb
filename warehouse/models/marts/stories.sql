-- Stories: articles about the same event from different outlets (story_members, computed by
-- warehouse/stories.py), with a label (the story's five most specific terms), the outlets,
-- dates and article count. A story of one article is kept: it may grow in a later run.
with members as (
    select story_members.story_id, story_members.is_anchor, stg_articles.*
    from story_members
    join stg_articles using (doc_id)
),

corpus as (
    select count(*) as n_docs from stg_articles
),

term_df as (
    select term, count(*) as df from article_terms group by term
),

story_terms as (
    select
        members.story_id,
        article_terms.term,
        sum(article_terms.tf + 2 * article_terms.title_tf) * (ln((1 + any_value(corpus.n_docs)) / (1 + any_value(term_df.df))) + 1) as weight
    from members
    join article_terms using (doc_id)
    join term_df using (term)
    cross join corpus
    group by members.story_id, article_terms.term
),

labels as (
    select story_id, string_agg(term, ' ' order by weight desc, term) as label
    from (
        select *, row_number() over (partition by story_id order by weight desc, term) as term_rank
        from story_terms
    )
    where term_rank <= 5
    group by story_id
),

stories as (
    select
        story_id,
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
    stories.story_id,
    coalesce(labels.label, '') as label,
    stories.n_articles,
    stories.n_outlets,
    stories.outlets,
    stories.languages,
    stories.first_day,
    stories.last_day,
    stories.anchor_title
from stories
left join labels using (story_id)
order by n_outlets desc, n_articles desc, first_day, story_id
