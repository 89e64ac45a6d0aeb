-- story_members: which story each current article belongs to (warehouse/models.py update_story_members,
-- the linking itself in warehouse/stories.py), in the refresh transaction, after article_terms.sql.
-- The articles are numbered (idx) and their TF-IDF postings leave DuckDB as numpy arrays; story ids,
-- labels and rows are made here. Sections by step: `prepare`, `counts`; `drop_stale`; the document
-- frequencies (`df_consistent`, `df_recount`, `df_view`); the full grouping (`all_*`); the extension of
-- the stories by new articles (`extend_*`, `prior_rows`, `involved_order`, `label_weights`); `write_rows`.

-- section: prepare
-- An article term's TF-IDF weight before normalization, the formula of warehouse.stories.tfidf_vectors
-- ($title_extra: how many more times a title occurrence counts; $n_docs: the current articles).
create or replace temp macro story_tfidf(tf, title_tf, df, title_extra, n_docs) as
    (1 + ln(tf + title_extra * title_tf)) * (ln((1 + n_docs) / (1 + df)) + 1);

-- current versions not in a story yet: new articles, and new versions of old ones
create or replace temp view story_new_versions as
select doc_id from stg_articles a
where not exists (select 1 from story_members m where m.doc_id = a.doc_id and m.version = a.version);

-- section: counts
select
    (select count(*) from stg_articles) as n_current,
    (select count(*) from story_new_versions) as n_new,
    (select count(*) from story_members m
     where not exists (select 1 from stg_articles a where a.doc_id = m.doc_id and a.version = m.version)) as n_stale;

-- section: drop_stale
delete from story_members m
where not exists (select 1 from stg_articles a where a.doc_id = m.doc_id and a.version = m.version);

-- section: new_versions
select doc_id from story_new_versions;

-- section: df_consistent
-- term_df is kept by article_terms.sql; when it does not add up to article_terms (first use, terms
-- written by other means, rows of versions no longer current) it is recounted (df_recount)
select (select coalesce(sum(df), 0) from term_df) = (select count(*) from article_terms);

-- section: df_recount
create or replace table term_df as
select t.term, count(*) as df
from article_terms t join stg_articles a using (doc_id, version)
group by t.term;

-- section: df_view
create or replace temp view story_df as select term, df from term_df;

-- section: all_docs
-- Every current article, numbered in anchor order (ingested_at, doc_id): a story's root index is its anchor.
create or replace temp table story_docs as
select cast(row_number() over (order by ingested_at asc nulls first, doc_id) - 1 as integer) as idx,
       doc_id, version,
       case when published_at is null then null
            else date_diff('day', date '1970-01-01', cast(published_at as date)) end as day
from stg_articles;

-- section: all_weights
-- term ids in term order: ties between label terms are broken by term, as story_label does
create or replace temp table story_terms as
select term, df, cast(row_number() over (order by term) as integer) as term_id from story_df;

create or replace temp table story_weights as
select d.idx, s.term_id, s.df, story_tfidf(t.tf, t.title_tf, s.df, $title_extra, $n_docs) as w
from article_terms t join story_docs d using (doc_id, version) join story_terms s using (term);

create or replace temp table story_norms as
select idx, sqrt(sum(w * w)) as norm from story_weights group by idx;

-- section: all_postings
-- only the postings that can link: terms carried by 2..$max_df articles, normalized, in (term, article) order
select w.idx, w.term_id, w.w / n.norm as weight
from story_weights w join story_norms n using (idx)
where w.df between 2 and $max_df
order by w.term_id, w.idx;

-- section: all_days
select day from story_docs order by idx;

-- section: all_term_totals
-- A story's label: its members' weights summed per term, the $label_terms heaviest (ties by term). In steps,
-- the top terms by an aggregate (max_by) rather than a window: at 1M articles the ~40M term totals ranked
-- in one statement ran out of memory. story_roots(idx, root, best_similarity) comes from the linking.
create or replace temp table story_term_totals as
select r.root, w.term_id, round(sum(w.w / n.norm), 9) as total
from story_weights w join story_norms n using (idx) join story_roots r using (idx)
group by r.root, w.term_id;

create or replace temp table story_labels (root integer, label varchar);

-- section: all_labels
-- the stories whose root is in [$lo, $hi): the top-terms states of all 1M stories at once did not fit
insert into story_labels
with top_terms as (
    select root, max_by(term_id, {'total': total, 'term_order': -term_id}, $label_terms) as term_ids
    from story_term_totals where root >= $lo and root < $hi group by root
),
ranked as (
    select root, unnest(term_ids) as term_id, generate_subscripts(term_ids, 1) as rank
    from top_terms
)
select ranked.root, string_agg(s.term, ' ' order by ranked.rank) as label
from ranked join story_terms s using (term_id)
group by ranked.root;

-- section: all_members
drop table story_term_totals;

create or replace table story_members as
select cast('story-' || substr(sha256(anchor.doc_id), 1, 12) as varchar) as story_id,
       d.doc_id, cast(d.version as integer) as version, d.idx = r.root as is_anchor,
       r.best_similarity, coalesce(labels.label, '') as label
from story_docs d
join story_roots r using (idx)
join story_docs anchor on anchor.idx = r.root
left join story_labels as labels on labels.root = r.root
order by story_id, d.doc_id;

-- section: all_cleanup
drop table if exists story_docs;

drop table if exists story_terms;

drop table if exists story_weights;

drop table if exists story_norms;

drop table if exists story_term_totals;

drop table if exists story_labels;

-- section: extend_candidates
-- The new articles (story_new_docs) link to the articles sharing one of their terms (df <= $max_df):
-- only those terms' postings leave DuckDB, with weights already normalized, so the cost follows them,
-- not the warehouse size.
create or replace temp table story_new_terms as
select term, cast(row_number() over (order by term) - 1 as integer) as term_id from (
    select distinct t.term from article_terms t
    join stg_articles a using (doc_id, version)
    join story_df using (term)
    where t.doc_id in (select doc_id from story_new_docs) and story_df.df <= $max_df
);

-- the articles sharing one of those terms, numbered, with what linked_pairs needs of them
create or replace temp table story_candidates as
select cast(row_number() over (order by a.doc_id) - 1 as integer) as idx, a.doc_id, a.version,
       a.doc_id in (select doc_id from story_new_docs) as is_new,
       case when a.published_at is null then null
            else date_diff('day', date '1970-01-01', cast(a.published_at as date)) end as day
from stg_articles a
where exists (select 1 from article_terms t join story_new_terms n using (term)
              where t.doc_id = a.doc_id and t.version = a.version);

create or replace temp table story_candidate_norms as
select c.idx, sqrt(sum(w * w)) as norm from (
    select c.idx, story_tfidf(t.tf, t.title_tf, story_df.df, $title_extra, $n_docs) as w
    from article_terms t join story_candidates c using (doc_id, version) join story_df using (term)
) c
group by c.idx;

-- section: extend_postings
select c.idx, n.term_id, story_tfidf(t.tf, t.title_tf, story_df.df, $title_extra, $n_docs) / cn.norm as weight
from article_terms t
join story_candidates c using (doc_id, version)
join story_new_terms n using (term)
join story_df using (term)
join story_candidate_norms cn on cn.idx = c.idx
order by n.term_id, c.idx;

-- section: extend_candidate_rows
select doc_id, is_new, day from story_candidates order by idx;

-- section: extend_cleanup
drop table if exists story_new_terms;

drop table if exists story_candidates;

drop table if exists story_candidate_norms;

-- section: prior_rows
-- the members of the stories the new articles linked into (story_linked: the older articles linked)
select doc_id, story_id, best_similarity from story_members
where story_id in (select story_id from story_members where doc_id in (select doc_id from story_linked));

-- section: involved_order
select doc_id, ingested_at from stg_articles where doc_id in (select doc_id from story_involved);

-- section: label_weights
-- TF-IDF weights of the articles in story_label_docs, L2-normalized over all their terms (IDF over the warehouse)
with weighted as (
    select t.doc_id, t.term, story_tfidf(t.tf, t.title_tf, story_df.df, $title_extra, $n_docs) as w
    from article_terms t
    join stg_articles a using (doc_id, version)
    join story_df using (term)
    where t.doc_id in (select doc_id from story_label_docs)
)
select doc_id, term, w / sqrt(sum(w * w) over (partition by doc_id)) as weight
from weighted;

-- section: write_rows
-- Replace the rows of the stories a run touched (new_story_members, replaced_stories: registered by the
-- caller); the version is the article's current one.
delete from story_members
where story_id in (select story_id from replaced_stories)
   or doc_id in (select doc_id from new_story_members);

insert into story_members (story_id, doc_id, version, is_anchor, best_similarity, label)
select r.story_id, r.doc_id, a.version, r.is_anchor, r.best_similarity, r.label
from new_story_members r join stg_articles a using (doc_id)
order by r.story_id, r.doc_id;
