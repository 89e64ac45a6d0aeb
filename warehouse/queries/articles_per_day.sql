-- Articles per day by site and language, most recent days first
select day, day_source, site, language, n_articles, n_words
from marts.articles_per_day
order by day desc, n_articles desc, site, language
limit 200
