-- dup_of: the first-seen current article with the same match-key body, from another file or outlet.
-- Runs after load_run.sql in the same transaction. Only match keys this run can have changed are
-- recomputed: the keys of the touched documents (old and new versions) and the keys of articles
-- that pointed at a touched document (its body may have changed away from theirs).
-- "First seen" is the earliest ingested_at of any version of a document, so that a later edit
-- of the original does not hand its place to a copy; ties go to the smaller doc_id.
create or replace temp table dup_keys as
select match_key_sha256 from articles where doc_id in (select doc_id from touched_docs)
union
select match_key_sha256 from article_versions where doc_id in (select doc_id from touched_docs)
union
select match_key_sha256 from articles where dup_of in (select doc_id from touched_docs);

-- listed first and applied by row id, in row order (see near_duplicates.sql, section assign)
create or replace temp table dup_changes as
select a.rowid as row_id, ranked.first_doc
from articles as a
join (
    select doc_id, nullif(first_value(doc_id) over (partition by match_key_sha256 order by first_seen, doc_id), doc_id) as first_doc
    from (
        select a.doc_id, a.match_key_sha256, min(v.ingested_at) as first_seen
        from articles as a
        join article_versions as v using (doc_id)
        where a.match_key_sha256 in (select match_key_sha256 from dup_keys)
        group by a.doc_id, a.match_key_sha256
    )
) as ranked using (doc_id)
where a.dup_of is distinct from ranked.first_doc
order by row_id;

update articles set dup_of = c.first_doc
from dup_changes as c
where articles.rowid = c.row_id;
