-- Articles per day by site and language. `day_source` says which date gave the day:
-- published_at, else page_date (a date printed on the page), else the ingestion date.
with articles as (
    select day, day_source, site, language, n_words from stg_articles
),

per_day as (
    select
        day,
        day_source,
        site,
        language,
        count(*) as n_articles,
        cast(sum(n_words) as bigint) as n_words
    from articles
    group by day, day_source, site, language
)

select * from per_day
order by day, site, language, day_source
