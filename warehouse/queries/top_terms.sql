-- Top terms per day and site, the most recent day first, one line per (day, site)
select day, site, string_agg(term || ' (' || n_articles || ')', ', ' order by term_rank) as top_terms
from marts.top_terms
group by day, site
order by day desc, site
limit 100
