-- Every article of every multi-article story, with its outlet, day and title
select m.story_id, s.label, a.outlet, a.day, a.day_source, a.title, m.best_similarity, a.doc_id
from story_members as m
join marts.stories as s using (story_id)
join (
    select doc_id, coalesce(nullif(trim(site_name), ''), nullif(site, ''), 'unknown') as outlet,
           coalesce(cast(published_at as date), page_date, cast(ingested_at as date)) as day,
           case when published_at is not null then 'published_at'
                when page_date is not null then 'page_date' else 'ingested_at' end as day_source,
           title
    from articles
) as a using (doc_id)
where s.n_articles > 1
order by s.n_articles desc, m.story_id, a.day, a.doc_id
