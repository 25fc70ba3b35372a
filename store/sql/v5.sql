-- jixiao schema version 5: each partition's summary (store/summaries.py), as the file store keeps
-- one beside each unit file. A start-up shows every unit's counts, triage and search from them
-- before any history is read (100k indicators: 390k entries and 100k verdicts the client would
-- otherwise read and compute first).
--
-- A summary is a copy, never the record: the client believes one only while it was made from
-- the partition's current ``rev``, at the current settings, by the same program (all three are
-- in ``doc``; ``rev`` is checked here too). Its verdicts are computed by core/ in a client — the
-- one implementation of the rules — so the server cannot check them; it checks who sends them:
-- the admin, or an owner of that unit (whose own entries decide its colours anyway). The
-- server stamps who made each one; nobody may write the table but through ``save_summaries``.

CREATE TABLE jixiao.summaries (
    year int NOT NULL,
    unit_code text NOT NULL,
    rev bigint NOT NULL,           -- the partition's rev it was made from
    doc text NOT NULL,             -- store.summaries.encode, JSON
    author text NOT NULL,
    made_at text NOT NULL,
    PRIMARY KEY (year, unit_code),
    FOREIGN KEY (year, unit_code) REFERENCES jixiao.partitions ON DELETE CASCADE
);

-- Store the summaries the caller may send, each only if its partition is still at ``revs``
-- (a write since makes it stale before it lands); how many were stored. Each unit at most once
-- a call (jixiao sends each once; a second would be refused with the whole call). Summaries of units the
-- caller may not write are skipped, not refused: renewing them is only ever an aid.
CREATE FUNCTION jixiao.save_summaries(years int[], codes text[], revs bigint[], docs text[])
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE r text; mine text[]; n int;
BEGIN
    -- As record_progress: a grant change waits for this, so a revoked owner sends no more.
    LOCK TABLE jixiao.grants IN SHARE MODE;
    r := jixiao.role_of(session_user);
    IF r IS DISTINCT FROM 'admin' AND r IS DISTINCT FROM 'owner' THEN
        RETURN 0;
    END IF;
    SELECT units INTO mine FROM jixiao.grants WHERE user_name = session_user;
    INSERT INTO jixiao.summaries AS s (year, unit_code, rev, doc, author, made_at)
    SELECT x.y, x.code, x.rev, x.doc, session_user, jixiao.stamp()
      FROM unnest(years, codes, revs, docs) AS x(y, code, rev, doc)
      JOIN jixiao.partitions p ON p.year = x.y AND p.unit_code = x.code AND p.rev = x.rev
     WHERE r = 'admin' OR x.code = ANY (mine)
    ON CONFLICT (year, unit_code) DO UPDATE
       SET rev = EXCLUDED.rev, doc = EXCLUDED.doc, author = EXCLUDED.author,
           made_at = EXCLUDED.made_at
     WHERE EXCLUDED.rev >= s.rev;     -- a slow sender never replaces a newer one
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
REVOKE ALL ON FUNCTION jixiao.save_summaries(int[], text[], bigint[], text[]) FROM PUBLIC;

-- The database privileges that go with a grant, now with save_summaries.
CREATE OR REPLACE FUNCTION jixiao.privileges(who text, give boolean) RETURNS void LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE owner_name text;
BEGIN
    SELECT nspowner::regrole::text INTO owner_name FROM pg_namespace WHERE nspname = 'jixiao';
    IF who = owner_name OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who) THEN
        RETURN;  -- the owner holds them anyway; a role the DBA has not created yet gets them later
    END IF;
    IF give THEN
        EXECUTE format('GRANT USAGE ON SCHEMA jixiao TO %I', who);
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA jixiao TO %I', who);
        EXECUTE format('GRANT EXECUTE ON FUNCTION jixiao.record_progress(jsonb), '
                       'jixiao.record_spending(jsonb), jixiao.save_settings(jsonb, text), '
                       'jixiao.set_grants(jsonb, jsonb, text, text, text[]), '
                       'jixiao.set_reading(text, text, jsonb, text), '
                       'jixiao.import_staged(), jixiao.load_staged(text), '
                       'jixiao.save_summaries(int[], text[], bigint[], text[]) TO %I', who);
    ELSE
        EXECUTE format('REVOKE ALL ON SCHEMA jixiao FROM %I', who);
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA jixiao FROM %I', who);
        EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA jixiao FROM %I', who);
    END IF;
END $$;

-- Everyone granted reads the new table and may call the new function.
DO $$
DECLARE g record;
BEGIN
    FOR g IN SELECT user_name FROM jixiao.grants LOOP
        PERFORM jixiao.privileges(g.user_name, true);
    END LOOP;
END $$;
