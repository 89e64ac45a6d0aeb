-- Near-duplicate groups (near_dup_group), computed incrementally against what is already loaded.
-- Runs after load_run.sql and exact_duplicates.sql in the same transaction.
--
-- Every current article with a signature has $bands rows in lsh_bands: the hash of each band of
-- $rows MinHash values. Two articles sharing any band bucket are candidates; a candidate pair is
-- an edge when its estimated Jaccard (share of equal MinHash values) is at least $threshold.
-- A group is a connected component of edges; its id is the smallest doc_id in it, so it is
-- deterministic and the same after `news-etl rebuild`. Singletons have no group (null).
--
-- Only the part of the graph this run can change is recomputed: the touched documents, the old
-- groups they were in (they may split), their candidates and those candidates' groups (they may
-- merge). Groups are closed components, so no document outside that set can change group.
-- The Python side (warehouse/loader.py, tasks/dedup.py) makes the candidate pairs of each shared
-- bucket (a corpus of many copies of the same texts gives millions), keeps those whose signatures
-- agree on at least NEAR_DUP_THRESHOLD of their values, joins them into components (near_dup_roots)
-- and registers nd_roots(i, root) for the assign section.

-- section: prepare
delete from lsh_bands where doc_id in (select doc_id from touched_docs);

-- an all-max signature is that of a text too short to shingle: it gets no bands
insert into lsh_bands
select a.doc_id, b.band::utinyint, hash(b.band, a.minhash[b.band * $rows + 1 : (b.band + 1) * $rows])
from articles as a, range($bands) as b(band)
where a.doc_id in (select doc_id from touched_docs)
  and a.minhash is not null
  and len(a.minhash) = $bands * $rows
  and list_min(a.minhash) < 4294967295;

create or replace temp table nd_seed as
select doc_id from articles where doc_id in (select doc_id from touched_docs)
union
select doc_id from articles where near_dup_group in (select old_group from touched_docs where old_group is not null)
union
-- the members of the touched documents' buckets: a semi-join on those buckets, not a self-join of
-- lsh_bands, whose pairs (buckets of a thousand copies of a text at 1M articles) ran out of memory
select other.doc_id
from lsh_bands as other
semi join (
    select band, bucket from lsh_bands
    where doc_id in (select doc_id from touched_docs)
    group by band, bucket
) as hit on other.band = hit.band and other.bucket = hit.bucket;

create or replace temp table nd_affected as
select doc_id from nd_seed
union
select doc_id from articles
where near_dup_group in (select near_dup_group from articles where doc_id in (select doc_id from nd_seed));

-- numbered in doc_id order: a component's smallest number is its smallest doc_id
create or replace temp table nd_affected_index as
select doc_id, cast(row_number() over (order by doc_id) - 1 as integer) as i from nd_affected;

-- section: buckets
-- affected articles that share a band bucket with another affected article, as numbers, bucket by
-- bucket: the candidate pairs are made from them in numpy, a block at a time (a DISTINCT over the
-- pairs themselves, ~6.5M at 100k generated files, did not fit a 256 MB memory_limit)
select x.i, s.band, s.bucket
from lsh_bands as s
join nd_affected_index as x using (doc_id)
qualify count(*) over (partition by s.band, s.bucket) > 1
order by s.band, s.bucket, x.i;

-- section: signatures
-- the MinHash signatures of the articles in those buckets (registered as nd_candidates), in any
-- order (the caller places each at its number's row): the pairs are verified in numpy, blockwise
select c.i, a.minhash
from nd_candidates as c
join nd_affected_index as x using (i)
join articles as a using (doc_id);

-- section: assign
-- nd_roots.root is -1 for an article with no near-duplicate: no index matches, the group is null.
-- The changes are listed first and applied by row id, in row order: the rows a load inserted are in its
-- transaction's own storage, spilled to disk at 1M articles, and an update in hash-join order loaded
-- a spilled block for nearly every row (264 s at 1M)
create or replace temp table nd_changes as
select a.rowid as row_id, g.near_dup_group
from articles as a
join (select member.doc_id, root.doc_id as near_dup_group
      from nd_roots as r
      join nd_affected_index as member on member.i = r.i
      left join nd_affected_index as root on root.i = r.root) as g using (doc_id)
where a.near_dup_group is distinct from g.near_dup_group
order by row_id;

update articles set near_dup_group = c.near_dup_group
from nd_changes as c
where articles.rowid = c.row_id;
