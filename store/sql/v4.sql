-- jixiao schema version 4: progress and spending history in real columns instead of one JSONB
-- document per entry. Loading 390k entries made the server turn every document into columns
-- and the client build a dict per entry; now the client fetches each field of a unit's history
-- as one array (store/pg_history.py) and builds the entries a field at a time.
-- The tables are rebuilt (existing entries keep their seq, so their order) and stay
-- append-only; the write functions keep their signatures, so grants stay as they are.

ALTER TABLE jixiao.progress RENAME TO progress_v3;
ALTER TABLE jixiao.spending RENAME TO spending_v3;

CREATE TABLE jixiao.progress (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    indicator_id text NOT NULL,
    year int NOT NULL,
    unit_code text NOT NULL,
    as_of text NOT NULL,
    actual text NOT NULL,
    author text NOT NULL,
    recorded_at text NOT NULL,
    forecast text,
    likelihood text,
    causes text[],          -- NULL for none, as the file store leaves the field out
    measures text,
    note text
);

CREATE TABLE jixiao.spending (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    project_id text NOT NULL,
    year int NOT NULL,
    unit_code text NOT NULL,
    as_of text NOT NULL,
    spent float8 NOT NULL,
    author text NOT NULL,
    recorded_at text NOT NULL,
    note text
);

INSERT INTO jixiao.progress (seq, id, indicator_id, year, unit_code, as_of, actual, author,
                             recorded_at, forecast, likelihood, causes, measures, note)
SELECT seq, id, indicator_id, year, unit_code, doc->>'as_of', doc->>'actual', doc->>'author',
       doc->>'recorded_at', doc->>'forecast', doc->>'likelihood',
       CASE WHEN jsonb_typeof(doc->'causes') = 'array' AND doc->'causes' <> '[]'
            THEN ARRAY(SELECT jsonb_array_elements_text(doc->'causes')) END,
       doc->>'measures', doc->>'note'
  FROM jixiao.progress_v3 ORDER BY seq;
INSERT INTO jixiao.spending (seq, id, project_id, year, unit_code, as_of, spent, author,
                             recorded_at, note)
SELECT seq, id, project_id, year, unit_code, doc->>'as_of', (doc->>'spent')::float8,
       doc->>'author', doc->>'recorded_at', doc->>'note'
  FROM jixiao.spending_v3 ORDER BY seq;
SELECT setval(pg_get_serial_sequence('jixiao.progress', 'seq'),
              coalesce((SELECT max(seq) FROM jixiao.progress), 0) + 1, false);
SELECT setval(pg_get_serial_sequence('jixiao.spending', 'seq'),
              coalesce((SELECT max(seq) FROM jixiao.spending), 0) + 1, false);
DROP TABLE jixiao.progress_v3, jixiao.spending_v3;

CREATE INDEX ON jixiao.progress (year, unit_code, seq);
CREATE INDEX ON jixiao.progress (indicator_id);
CREATE INDEX ON jixiao.spending (year, unit_code, seq);
CREATE INDEX ON jixiao.spending (project_id);

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON jixiao.progress
    FOR EACH ROW EXECUTE FUNCTION jixiao.append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON jixiao.spending
    FOR EACH ROW EXECUTE FUNCTION jixiao.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON jixiao.progress
    FOR EACH STATEMENT EXECUTE FUNCTION jixiao.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON jixiao.spending
    FOR EACH STATEMENT EXECUTE FUNCTION jixiao.append_only();

-- One entry as the document the client and the file store know: fields without a value left
-- out (store.partition.compact).
CREATE FUNCTION jixiao.progress_doc(p jixiao.progress) RETURNS jsonb LANGUAGE sql IMMUTABLE
SET search_path = jixiao, pg_catalog, pg_temp AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', p.id, 'indicator_id', p.indicator_id, 'as_of', p.as_of, 'actual', p.actual,
        'author', p.author, 'recorded_at', p.recorded_at, 'forecast', p.forecast,
        'likelihood', p.likelihood, 'causes', to_jsonb(p.causes), 'measures', p.measures,
        'note', p.note))
$$;

CREATE FUNCTION jixiao.spending_doc(s jixiao.spending) RETURNS jsonb LANGUAGE sql IMMUTABLE
SET search_path = jixiao, pg_catalog, pg_temp AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', s.id, 'project_id', s.project_id, 'as_of', s.as_of, 'spent', s.spent,
        'author', s.author, 'recorded_at', s.recorded_at, 'note', s.note))
$$;

CREATE OR REPLACE FUNCTION jixiao.record_progress(entry jsonb) RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE y int; code text; stored jixiao.progress;
BEGIN
    -- A grant change waits for writes in flight and the other way round: a revoked owner
    -- never writes after the revoke.
    LOCK TABLE jixiao.grants IN SHARE MODE;
    SELECT year, unit_code INTO y, code FROM jixiao.indicators WHERE id = entry->>'indicator_id';
    IF NOT FOUND THEN
        PERFORM jixiao.refuse('22023', 'db_no_indicator',
            jsonb_build_object('id', entry->>'indicator_id'),
            format('no indicator with id %L in the database', entry->>'indicator_id'));
    END IF;
    PERFORM jixiao.require_unit(code, 'record progress');
    INSERT INTO jixiao.progress (id, indicator_id, year, unit_code, as_of, actual, author,
                                 recorded_at, forecast, likelihood, causes, measures, note)
    VALUES (entry->>'id', entry->>'indicator_id', y, code, entry->>'as_of', entry->>'actual',
            session_user, jixiao.stamp(), entry->>'forecast', entry->>'likelihood',
            CASE WHEN jsonb_typeof(entry->'causes') = 'array' AND entry->'causes' <> '[]'
                 THEN ARRAY(SELECT jsonb_array_elements_text(entry->'causes')) END,
            entry->>'measures', entry->>'note')
    RETURNING * INTO stored;
    PERFORM jixiao.touch(y, code);
    RETURN jixiao.progress_doc(stored);
END $$;

CREATE OR REPLACE FUNCTION jixiao.record_spending(entry jsonb) RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE y int; code text; stored jixiao.spending;
BEGIN
    LOCK TABLE jixiao.grants IN SHARE MODE;
    SELECT year, unit_code INTO y, code FROM jixiao.projects WHERE id = entry->>'project_id';
    IF NOT FOUND THEN
        PERFORM jixiao.refuse('22023', 'db_no_project',
            jsonb_build_object('id', entry->>'project_id'),
            format('no project with id %L in the database', entry->>'project_id'));
    END IF;
    PERFORM jixiao.require_unit(code, 'record spending');
    INSERT INTO jixiao.spending (id, project_id, year, unit_code, as_of, spent, author,
                                 recorded_at, note)
    VALUES (entry->>'id', entry->>'project_id', y, code, entry->>'as_of',
            (entry->>'spent')::float8, session_user, jixiao.stamp(), entry->>'note')
    RETURNING * INTO stored;
    PERFORM jixiao.touch(y, code);
    RETURN jixiao.spending_doc(stored);
END $$;

CREATE OR REPLACE FUNCTION jixiao.load_staged(what text) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jixiao.require_admin('load data');
    LOCK TABLE jixiao.indicators IN SHARE ROW EXCLUSIVE MODE;
    PERFORM jixiao.require_new_partitions();
    INSERT INTO jixiao.partitions SELECT s.year, s.unit_code, s.doc, nextval('jixiao.rev')
      FROM pg_temp.jx_stage s WHERE s.kind = 'unit' ORDER BY s.seq;
    INSERT INTO jixiao.projects (id, year, unit_code, doc)
    SELECT s.id, s.year, s.unit_code, s.doc FROM pg_temp.jx_stage s WHERE s.kind = 'project' ORDER BY s.seq;
    INSERT INTO jixiao.indicators (id, project_id, year, unit_code, doc)
    SELECT s.id, s.ref, s.year, s.unit_code, s.doc FROM pg_temp.jx_stage s WHERE s.kind = 'indicator' ORDER BY s.seq;
    -- History arrives column by column in pg_temp.jx_progress / jx_spending (COPY).
    INSERT INTO jixiao.progress (id, indicator_id, year, unit_code, as_of, actual, author,
                                 recorded_at, forecast, likelihood, causes, measures, note)
    SELECT h.id, h.indicator_id, h.year, h.unit_code, h.as_of, h.actual, h.author,
           h.recorded_at, h.forecast, h.likelihood, h.causes, h.measures, h.note
      FROM pg_temp.jx_progress h ORDER BY h.seq;
    INSERT INTO jixiao.spending (id, project_id, year, unit_code, as_of, spent, author,
                                 recorded_at, note)
    SELECT h.id, h.project_id, h.year, h.unit_code, h.as_of, h.spent, h.author, h.recorded_at,
           h.note
      FROM pg_temp.jx_spending h ORDER BY h.seq;
    INSERT INTO jixiao.audit (at, user_name, action, what, units)
    SELECT jixiao.stamp(), session_user, 'import',
           format('%s %s project(s), %s indicator(s)', load_staged.what,
                  coalesce(c.projects, 0), coalesce(c.indicators, 0)),
           ARRAY[s.unit_code]
      FROM pg_temp.jx_stage s
      LEFT JOIN (SELECT t.year, t.unit_code,
                        count(*) FILTER (WHERE t.kind = 'project') AS projects,
                        count(*) FILTER (WHERE t.kind = 'indicator') AS indicators
                   FROM pg_temp.jx_stage t GROUP BY t.year, t.unit_code) c
        ON c.year = s.year AND c.unit_code = s.unit_code
     WHERE s.kind = 'unit' ORDER BY s.seq;
    PERFORM pg_notify('jixiao', 'load');
END $$;

-- Everyone granted reads the rebuilt tables, as before.
DO $$
DECLARE g record;
BEGIN
    FOR g IN SELECT user_name FROM jixiao.grants LOOP
        PERFORM jixiao.privileges(g.user_name, true);
    END LOOP;
END $$;
