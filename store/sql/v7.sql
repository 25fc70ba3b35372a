-- jixiao schema version 7: the red and amber verdicts of every unit summary, in a table the
-- server sorts. A province's screen reads 5,000 summaries (200 MB of JSON, ~10 s) before it can
-- rank every alert; with this table it asks first which units hold the worst few hundred,
-- reads just those units' summaries, and shows the head of the triage list within a second.
--
-- The verdicts stay core's (the one implementation of the rules, computed in a client and
-- stored in the summary's ``doc``): the server only copies the colour and ratio of each red and
-- amber one out of the doc it stores, so the table never says anything the summary does not.
-- A summary whose doc PostgreSQL cannot read as JSON, whose ``source`` is not the revision it
-- is stored at, or whose verdicts jixiao would refuse, gets no rows and ``alerts_kept = false``:
-- a screen treats it as stale.

ALTER TABLE jixiao.summaries
    ADD COLUMN program text,           -- the doc's "program" and "settings" (store.summaries):
    ADD COLUMN settings jsonb,         -- a screen uses a summary only when both are its own
    ADD COLUMN alerts_kept boolean NOT NULL DEFAULT false;

CREATE TABLE jixiao.alerts (
    year int NOT NULL,
    unit_code text NOT NULL,
    pos int NOT NULL,              -- the indicator's place in the summary, which is table order
    severity smallint NOT NULL,    -- core.colours.SEVERITY: 0 red, 1 amber
    ratio float8 NOT NULL,         -- the verdict's ratio; -1 when it has none (as tui.view ranks)
    PRIMARY KEY (year, unit_code, pos),
    FOREIGN KEY (year, unit_code) REFERENCES jixiao.summaries ON DELETE CASCADE
);
-- Triage order: worst colour, furthest behind, then reading order (unit code by code point,
-- budget year, table order) — exactly tui.view.Browser.triage, so the server's first rows are
-- the screen's first rows.
CREATE INDEX alerts_worst ON jixiao.alerts (severity, ratio, unit_code COLLATE "C", year, pos);

-- Copy the alerts out of the stored summary of one partition (replacing any it had).
CREATE FUNCTION jixiao.index_summary(y int, code text) RETURNS void LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE d jsonb; made_of bigint; colours jsonb; ratios jsonb;
BEGIN
    DELETE FROM jixiao.alerts WHERE year = y AND unit_code = code;
    UPDATE jixiao.summaries SET program = NULL, settings = NULL, alerts_kept = false
     WHERE year = y AND unit_code = code;
    BEGIN
        SELECT s.doc::jsonb, s.rev INTO d, made_of FROM jixiao.summaries s
         WHERE s.year = y AND s.unit_code = code;
        IF d IS NULL OR d->'source' IS DISTINCT FROM jsonb_build_array(made_of) THEN
            RETURN;
        END IF;
        -- Each array once: an element taken from ``d`` per row would copy the whole doc.
        colours := d->'verdicts'->'colour';
        ratios := d->'verdicts'->'ratio';
        -- What summaries.accept refuses, so far as it shows here: verdict arrays not one per
        -- indicator, a colour jixiao does not know. (A summary believed here and refused by
        -- a screen could hold alerts the ranking never saw.)
        IF jsonb_typeof(colours) IS DISTINCT FROM 'array'
           OR jsonb_typeof(ratios) IS DISTINCT FROM 'array'
           OR jsonb_typeof(d->'indicators'->'id') IS DISTINCT FROM 'array'
           OR jsonb_array_length(colours) <> jsonb_array_length(ratios)
           OR jsonb_array_length(colours) <> jsonb_array_length(d->'indicators'->'id')
           OR EXISTS (SELECT 1 FROM jsonb_array_elements(colours) AS c(colour)
                       WHERE c.colour NOT IN ('"red"', '"amber"', '"grey"', '"blue"', '"green"'))
        THEN
            RETURN;
        END IF;
        INSERT INTO jixiao.alerts (year, unit_code, pos, severity, ratio)
        SELECT y, code, x.k - 1, CASE x.colour WHEN 'red' THEN 0 ELSE 1 END,
               CASE WHEN x.ratio = 'null'::jsonb THEN -1 ELSE x.ratio::float8 END
          FROM ROWS FROM (jsonb_array_elements_text(colours), jsonb_array_elements(ratios))
               WITH ORDINALITY AS x(colour, ratio, k)
         WHERE x.colour IN ('red', 'amber');
        UPDATE jixiao.summaries SET program = d->>'program', settings = d->'settings',
               alerts_kept = true
         WHERE year = y AND unit_code = code;
    EXCEPTION WHEN others THEN
        -- Not JSON to PostgreSQL (a NaN ratio), a ratio that is no number: no alerts, and the
        -- summary counts as stale for a screen's first rows (it may still serve the rest).
        RETURN;
    END;
END $$;
REVOKE ALL ON FUNCTION jixiao.index_summary(int, text) FROM PUBLIC;

-- save_summaries as in version 5, now indexing each summary it stores.
CREATE OR REPLACE FUNCTION jixiao.save_summaries(years int[], codes text[], revs bigint[],
                                                 docs text[])
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE r text; mine text[]; n int := 0; k record;
BEGIN
    -- As record_progress: a grant change waits for this, so a revoked owner sends no more.
    LOCK TABLE jixiao.grants IN SHARE MODE;
    r := jixiao.role_of(session_user);
    IF r IS DISTINCT FROM 'admin' AND r IS DISTINCT FROM 'owner' THEN
        RETURN 0;
    END IF;
    SELECT units INTO mine FROM jixiao.grants WHERE user_name = session_user;
    FOR k IN
        INSERT INTO jixiao.summaries AS s (year, unit_code, rev, doc, author, made_at)
        SELECT x.y, x.code, x.rev, x.doc, session_user, jixiao.stamp()
          FROM unnest(years, codes, revs, docs) AS x(y, code, rev, doc)
          JOIN jixiao.partitions p ON p.year = x.y AND p.unit_code = x.code AND p.rev = x.rev
         WHERE r = 'admin' OR x.code = ANY (mine)
        ON CONFLICT (year, unit_code) DO UPDATE
           SET rev = EXCLUDED.rev, doc = EXCLUDED.doc, author = EXCLUDED.author,
               made_at = EXCLUDED.made_at
         WHERE EXCLUDED.rev >= s.rev     -- a slow sender never replaces a newer one
        RETURNING s.year, s.unit_code
    LOOP
        PERFORM jixiao.index_summary(k.year, k.unit_code);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
REVOKE ALL ON FUNCTION jixiao.save_summaries(int[], text[], bigint[], text[]) FROM PUBLIC;

-- The summaries stored before this version.
SELECT jixiao.index_summary(year, unit_code) FROM jixiao.summaries;

-- Everyone granted reads the new table.
DO $$
DECLARE g record;
BEGIN
    FOR g IN SELECT user_name FROM jixiao.grants LOOP
        PERFORM jixiao.privileges(g.user_name, true);
    END LOOP;
END $$;
