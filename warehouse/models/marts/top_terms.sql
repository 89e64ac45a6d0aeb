-- Top ten terms per day and site: match-key terms minus the stopwords of each article's
-- language (tasks/terms.py), ranked by how many articles have them among their ten
-- heaviest terms, then by mentions. (Ten a document keeps the refresh fast at 1M articles.)
with terms as (
    select stg_articles.day, stg_articles.site, article_terms.doc_id, article_terms.term, article_terms.tf
    from article_terms
    join stg_articles using (doc_id, version)
    where article_terms.term_rank <= 10
),

per_day as (
    -- article_terms holds one row per (article, term): count(*) counts articles
    select day, site, term, count(*) as n_articles, cast(sum(tf) as bigint) as mentions
    from terms
    group by day, site, term
),

ranked as (
    select *, row_number() over (partition by day, site order by n_articles desc, mentions desc, term) as term_rank
    from per_day
)

select day, site, term_rank, term, n_articles, mentions
from ranked
where term_rank <= 10
order by day, site, term_rank
