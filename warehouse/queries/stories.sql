-- Stories across outlets: the biggest first (label = the story's most specific terms)
select story_id, label, n_articles, n_outlets, outlets, first_day, last_day, anchor_title
from marts.stories
order by n_outlets desc, n_articles desc, first_day, story_id
limit 50
