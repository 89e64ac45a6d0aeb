-- dup_of: the earliest current article with the same match-key body, from another file or outlet.
update articles set dup_of = first.doc_id
from (
    select match_key_sha256, doc_id
    from articles
    qualify row_number() over (partition by match_key_sha256 order by ingested_at, doc_id) = 1
) as first
where articles.match_key_sha256 = first.match_key_sha256
  and articles.doc_id <> first.doc_id
  and articles.match_key_sha256 in (select match_key_sha256 from staged_articles);
