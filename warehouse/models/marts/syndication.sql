-- Syndication: groups of exact duplicates (same match-key body: dup_of) and of near-duplicates
-- (MinHash-LSH: near_dup_group), with the outlets that carried each, first and last seen.
-- first_seen / last_seen are article days (see articles_per_day); an exact group's id is the
-- doc_id of its earliest article.
with exact_members as (
    select 'exact' as group_kind, coalesce(dup_of, doc_id) as group_id, doc_id, outlet, day, ingested_at, title
    from stg_articles
    where dup_of is not null
       or doc_id in (select dup_of from stg_articles where dup_of is not null)
),

near_members as (
    select 'near' as group_kind, near_dup_group as group_id, doc_id, outlet, day, ingested_at, title
    from stg_articles
    where near_dup_group is not null
),

members as (
    select * from exact_members
    union all
    select * from near_members
),

groups as (
    select
        group_kind,
        group_id,
        count(*) as n_articles,
        count(distinct outlet) as n_outlets,
        string_agg(distinct outlet, '; ' order by outlet) as outlets,
        min(day) as first_seen,
        max(day) as last_seen,
        min(ingested_at) as first_ingested_at,
        arg_min(title, ingested_at) as title
    from members
    group by group_kind, group_id
    having count(*) > 1
)

select * from groups
order by n_outlets desc, n_articles desc, group_kind, group_id
