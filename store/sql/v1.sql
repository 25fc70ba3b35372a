-- jixiao schema version 1: tables only the schema owner may change, and SECURITY DEFINER
-- functions, the only way anyone else writes. Every function pins its search_path so a caller's
-- own objects can never stand in for the schema's. The role running this becomes the first admin.

CREATE SCHEMA jixiao;

CREATE TABLE jixiao.meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO jixiao.meta VALUES ('schema_version', '1');

CREATE SEQUENCE jixiao.rev;

-- Exactly one settings record, as in the file store's settings.json.
CREATE TABLE jixiao.settings (
    id int PRIMARY KEY CHECK (id = 1),
    doc jsonb NOT NULL,
    rev bigint NOT NULL
);

CREATE TABLE jixiao.grants (
    seq bigserial NOT NULL,
    user_name text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('admin', 'manager', 'owner')),
    units text[] NOT NULL DEFAULT '{}'
);

-- One row per unit and budget year: the file store's partition file. ``rev`` changes with every
-- write to the partition, so a reader knows what to read again.
CREATE TABLE jixiao.partitions (
    year int NOT NULL,
    unit_code text NOT NULL,
    unit jsonb NOT NULL,
    rev bigint NOT NULL,
    PRIMARY KEY (year, unit_code)
);

CREATE TABLE jixiao.projects (
    seq bigserial NOT NULL,
    id text PRIMARY KEY,
    year int NOT NULL,
    unit_code text NOT NULL,
    doc jsonb NOT NULL,
    FOREIGN KEY (year, unit_code) REFERENCES jixiao.partitions
);
CREATE INDEX ON jixiao.projects (year, unit_code, seq);

CREATE TABLE jixiao.indicators (
    seq bigserial NOT NULL,
    id text PRIMARY KEY,
    project_id text NOT NULL,
    year int NOT NULL,
    unit_code text NOT NULL,
    doc jsonb NOT NULL,
    FOREIGN KEY (year, unit_code) REFERENCES jixiao.partitions
);
CREATE INDEX ON jixiao.indicators (year, unit_code, seq);
CREATE INDEX ON jixiao.indicators (project_id);

-- History: append-only for everyone (the triggers below stop even the schema owner).
-- No foreign key to indicators: an import that drops an indicator keeps its history.
CREATE TABLE jixiao.progress (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    indicator_id text NOT NULL,
    year int NOT NULL,
    unit_code text NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX ON jixiao.progress (year, unit_code, seq);

CREATE TABLE jixiao.spending (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    project_id text NOT NULL,
    year int NOT NULL,
    unit_code text NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX ON jixiao.spending (year, unit_code, seq);
CREATE INDEX ON jixiao.spending (project_id);

-- Imports, grant and settings changes; ``user_name`` is always the server's session_user.
CREATE TABLE jixiao.audit (
    seq bigserial PRIMARY KEY,
    at text NOT NULL,
    user_name text NOT NULL,
    action text NOT NULL,
    what text NOT NULL,
    units text[] NOT NULL DEFAULT '{}'
);

CREATE FUNCTION jixiao.append_only() RETURNS trigger LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '42501',
        MESSAGE = format('%s is append-only: its records are never changed or deleted',
                         TG_TABLE_NAME);
END $$;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON jixiao.progress
    FOR EACH ROW EXECUTE FUNCTION jixiao.append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON jixiao.spending
    FOR EACH ROW EXECUTE FUNCTION jixiao.append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON jixiao.audit
    FOR EACH ROW EXECUTE FUNCTION jixiao.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON jixiao.progress
    FOR EACH STATEMENT EXECUTE FUNCTION jixiao.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON jixiao.spending
    FOR EACH STATEMENT EXECUTE FUNCTION jixiao.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON jixiao.audit
    FOR EACH STATEMENT EXECUTE FUNCTION jixiao.append_only();

-- --- who may do what: the rules and refusal texts of store/grants.py --------------------------

CREATE FUNCTION jixiao.role_of(who text) RETURNS text LANGUAGE sql STABLE
SET search_path = jixiao, pg_catalog, pg_temp AS $$
    SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM jixiao.grants) THEN 'admin'
                ELSE (SELECT role FROM jixiao.grants WHERE user_name = who) END
$$;

CREATE FUNCTION jixiao.describe(who text) RETURNS text LANGUAGE sql STABLE
SET search_path = jixiao, pg_catalog, pg_temp AS $$
    SELECT CASE jixiao.role_of(who)
        WHEN 'owner' THEN 'owner of unit(s) ' ||
            (SELECT array_to_string(units, ', ') FROM jixiao.grants WHERE user_name = who)
        ELSE coalesce(jixiao.role_of(who), 'not granted any role') END
$$;

CREATE FUNCTION jixiao.require_admin(doing text) RETURNS void LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE who text := session_user;
BEGIN
    IF jixiao.role_of(who) IS DISTINCT FROM 'admin' THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
            '%s may not %s: that needs the admin role; %s is %s.',
            who, doing, who, jixiao.describe(who));
    END IF;
END $$;

CREATE FUNCTION jixiao.require_unit(code text, doing text) RETURNS void LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE who text := session_user; r text := jixiao.role_of(session_user);
BEGIN
    IF r = 'admin' OR (r = 'owner' AND EXISTS (
            SELECT 1 FROM jixiao.grants WHERE user_name = who AND code = ANY (units))) THEN
        RETURN;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
        '%s may not %s for unit %s: that needs the owner role for unit %s (or admin); %s is %s. '
        'Ask an admin: jixiao grant %s --role owner --unit %s',
        who, doing, code, code, who, jixiao.describe(who), who, code);
END $$;

CREATE FUNCTION jixiao.stamp() RETURNS text LANGUAGE sql VOLATILE
SET search_path = jixiao, pg_catalog, pg_temp AS $$
    -- The file store's now_iso(): UTC to the microsecond, from the server's clock.
    SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'
$$;

CREATE FUNCTION jixiao.touch(y int, code text) RETURNS void LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    UPDATE jixiao.partitions SET rev = nextval('jixiao.rev') WHERE year = y AND unit_code = code;
    PERFORM pg_notify('jixiao', y || ' ' || code);
END $$;

CREATE FUNCTION jixiao.audit_row(action text, what text, units text[]) RETURNS void
LANGUAGE sql SET search_path = jixiao, pg_catalog, pg_temp AS $$
    INSERT INTO jixiao.audit (at, user_name, action, what, units)
    VALUES (jixiao.stamp(), session_user, action, what, units)
$$;

-- An indicator as imported: a reading the table's columns settle, not yet stamped, gets the
-- importing admin and the time of the import (store.repository._stamped).
CREATE FUNCTION jixiao.stamped(doc jsonb, at text) RETURNS jsonb LANGUAGE sql STABLE
SET search_path = jixiao, pg_catalog, pg_temp AS $$
    SELECT CASE WHEN doc ? 'reading' AND coalesce(doc->'reading'->>'author', '') = ''
                THEN jsonb_set(doc, '{reading}', doc->'reading'
                               || jsonb_build_object('author', session_user::text, 'at', at))
                ELSE doc END
$$;

-- --- the writes anyone may ask for; each checks the caller's grant itself --------------------

CREATE FUNCTION jixiao.record_progress(entry jsonb) RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE y int; code text; stored jsonb;
BEGIN
    -- A grant change waits for writes in flight and the other way round: a revoked owner
    -- never writes after the revoke.
    LOCK TABLE jixiao.grants IN SHARE MODE;
    SELECT year, unit_code INTO y, code FROM jixiao.indicators WHERE id = entry->>'indicator_id';
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('no indicator with id %L in the database', entry->>'indicator_id');
    END IF;
    PERFORM jixiao.require_unit(code, 'record progress');
    stored := entry || jsonb_build_object('author', session_user::text,
                                          'recorded_at', jixiao.stamp());
    INSERT INTO jixiao.progress (id, indicator_id, year, unit_code, doc)
    VALUES (stored->>'id', stored->>'indicator_id', y, code, stored);
    PERFORM jixiao.touch(y, code);
    RETURN stored;
END $$;

CREATE FUNCTION jixiao.record_spending(entry jsonb) RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE y int; code text; stored jsonb;
BEGIN
    LOCK TABLE jixiao.grants IN SHARE MODE;
    SELECT year, unit_code INTO y, code FROM jixiao.projects WHERE id = entry->>'project_id';
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('no project with id %L in the database', entry->>'project_id');
    END IF;
    PERFORM jixiao.require_unit(code, 'record spending');
    stored := entry || jsonb_build_object('author', session_user::text,
                                          'recorded_at', jixiao.stamp());
    INSERT INTO jixiao.spending (id, project_id, year, unit_code, doc)
    VALUES (stored->>'id', stored->>'project_id', y, code, stored);
    PERFORM jixiao.touch(y, code);
    RETURN stored;
END $$;

CREATE FUNCTION jixiao.save_settings(new_settings jsonb, what text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jixiao.require_admin('change settings');
    INSERT INTO jixiao.settings (id, doc, rev) VALUES (1, new_settings, nextval('jixiao.rev'))
    ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, rev = EXCLUDED.rev;
    PERFORM jixiao.audit_row('settings', what, '{}');
    PERFORM pg_notify('jixiao', 'settings');
END $$;

-- An officer settles the reading of one 指标值 (``reading``), or goes back to the inferred one
-- (NULL); ``expected`` is the 指标值 text it was settled against.
CREATE FUNCTION jixiao.set_reading(p_indicator text, expected text, reading jsonb, what text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE d jsonb; y int; code text;
BEGIN
    LOCK TABLE jixiao.grants IN SHARE MODE;
    PERFORM jixiao.require_admin('change the reading of a target');
    SELECT i.doc, i.year, i.unit_code INTO d, y, code FROM jixiao.indicators i
     WHERE i.id = p_indicator FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('indicator %s is no longer in '
            'the database (a re-import removed it); nothing was changed', p_indicator);
    END IF;
    IF reading IS NULL THEN
        IF NOT d ? 'reading' THEN
            RETURN d;
        END IF;
        d := d - 'reading';
    ELSE
        IF d->>'target_text' IS DISTINCT FROM expected THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format(
                'the 指标值 of %s changed meanwhile; nothing was changed', p_indicator);
        END IF;
        d := jsonb_set(d, '{reading}', reading || jsonb_build_object(
            'author', session_user::text, 'at', jixiao.stamp()));
    END IF;
    UPDATE jixiao.indicators i SET doc = d WHERE i.id = p_indicator;
    PERFORM jixiao.audit_row('reading', what, ARRAY[code]);
    PERFORM jixiao.touch(y, code);
    RETURN d;
END $$;

-- The database privileges that go with a grant: read the schema, call its functions.
CREATE FUNCTION jixiao.privileges(who text, give boolean) RETURNS void LANGUAGE plpgsql
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
                       'jixiao.import_staged(), jixiao.load_staged(text) TO %I', who);
    ELSE
        EXECUTE format('REVOKE ALL ON SCHEMA jixiao FROM %I', who);
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA jixiao FROM %I', who);
        EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA jixiao FROM %I', who);
    END IF;
END $$;

-- Grants are decided by store/grants.py (the same rules and messages as the file store); the
-- server insists that the caller is an admin of the grants as they are now (``expected``), that
-- an admin is left, and writes the audit row itself.
CREATE FUNCTION jixiao.set_grants(expected jsonb, wanted jsonb, action text, what text,
                                  touched text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE now_list jsonb; g record;
BEGIN
    LOCK TABLE jixiao.grants IN EXCLUSIVE MODE;
    SELECT coalesce(jsonb_agg(jsonb_build_object('user', user_name, 'role', role,
                                                 'units', to_jsonb(units)) ORDER BY seq), '[]')
      INTO now_list FROM jixiao.grants;
    PERFORM jixiao.require_admin('change grants');
    IF now_list <> expected THEN
        RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE =
            'the grants changed while this change was prepared; nothing was changed, try again';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(wanted) w WHERE w->>'role' = 'admin') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'this would leave no admin, and nobody '
            'could change grants any more; grant another admin first';
    END IF;
    FOR g IN SELECT user_name FROM jixiao.grants
             WHERE user_name NOT IN (SELECT w->>'user' FROM jsonb_array_elements(wanted) w) LOOP
        PERFORM jixiao.privileges(g.user_name, false);
    END LOOP;
    DELETE FROM jixiao.grants;
    INSERT INTO jixiao.grants (user_name, role, units)
    SELECT w->>'user', w->>'role',
           ARRAY(SELECT jsonb_array_elements_text(coalesce(w->'units', '[]')))
      FROM jsonb_array_elements(wanted) WITH ORDINALITY AS t(w, n) ORDER BY n;
    FOR g IN SELECT user_name FROM jixiao.grants LOOP
        PERFORM jixiao.privileges(g.user_name, true);
    END LOOP;
    PERFORM jixiao.audit_row(action, what, touched);
    PERFORM pg_notify('jixiao', 'grants');
END $$;

-- Imports and bulk loads arrive through COPY into the caller's temporary table pg_temp.jx_stage
-- (kind, id, ref, year, unit_code, doc), then one of these moves them in.
CREATE FUNCTION jixiao.import_staged()
RETURNS TABLE (year int, unit_code text, summary text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE
    k record; p record; unit_doc jsonb; old jsonb; changed boolean;
    added int; updated int; dropped int; n int; names text; nproj int; at text := jixiao.stamp();
BEGIN
    PERFORM jixiao.require_admin('import target tables');
    -- One import at a time; writers of history go on.
    LOCK TABLE jixiao.indicators IN SHARE ROW EXCLUSIVE MODE;
    FOR k IN SELECT DISTINCT s.year AS y, s.unit_code AS code FROM pg_temp.jx_stage s
             WHERE s.kind = 'project' ORDER BY 1, 2 LOOP
        SELECT s.doc INTO unit_doc FROM pg_temp.jx_stage s
         WHERE s.kind = 'unit' AND s.id = k.code ORDER BY s.seq DESC LIMIT 1;
        IF unit_doc IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE =
                format('the import names no unit %L; nothing was stored', k.code);
        END IF;
        changed := false; added := 0; updated := 0; dropped := 0;
        SELECT pt.unit INTO old FROM jixiao.partitions pt WHERE pt.year = k.y AND pt.unit_code = k.code;
        IF NOT FOUND THEN
            INSERT INTO jixiao.partitions VALUES (k.y, k.code, unit_doc, nextval('jixiao.rev'));
            changed := true;
        ELSIF old <> unit_doc THEN
            UPDATE jixiao.partitions pt SET unit = unit_doc WHERE pt.year = k.y AND pt.unit_code = k.code;
            changed := true;
        END IF;
        names := NULL; nproj := 0;
        FOR p IN SELECT s.id, s.doc FROM pg_temp.jx_stage s
                 WHERE s.kind = 'project' AND s.year = k.y AND s.unit_code = k.code ORDER BY s.seq LOOP
            nproj := nproj + 1;
            names := CASE WHEN names IS NULL THEN p.doc->>'name' ELSE names || ', ' || (p.doc->>'name') END;
            SELECT pr.doc INTO old FROM jixiao.projects pr WHERE pr.id = p.id;
            IF NOT FOUND THEN
                INSERT INTO jixiao.projects (id, year, unit_code, doc) VALUES (p.id, k.y, k.code, p.doc);
                changed := true;
            ELSIF old <> p.doc THEN
                UPDATE jixiao.projects pr SET doc = p.doc, year = k.y, unit_code = k.code WHERE pr.id = p.id;
                changed := true;
            END IF;
            DELETE FROM jixiao.indicators i WHERE i.project_id = p.id AND (
                NOT EXISTS (SELECT 1 FROM pg_temp.jx_stage s WHERE s.kind = 'indicator'
                            AND s.ref = p.id AND s.id = i.id)
                OR EXISTS (SELECT 1 FROM pg_temp.jx_stage s WHERE s.kind = 'removed' AND s.id = i.id));
            GET DIAGNOSTICS n = ROW_COUNT; dropped := dropped + n;
            UPDATE jixiao.indicators i SET doc = jixiao.stamped(s.doc, at) FROM pg_temp.jx_stage s
             WHERE s.kind = 'indicator' AND s.ref = p.id AND s.id = i.id
               AND i.doc <> jixiao.stamped(s.doc, at);
            GET DIAGNOSTICS n = ROW_COUNT; updated := updated + n;
            INSERT INTO jixiao.indicators (id, project_id, year, unit_code, doc)
            SELECT s.id, p.id, k.y, k.code, jixiao.stamped(s.doc, at) FROM pg_temp.jx_stage s
             WHERE s.kind = 'indicator' AND s.ref = p.id
               AND NOT EXISTS (SELECT 1 FROM jixiao.indicators i WHERE i.id = s.id)
             ORDER BY s.seq;
            GET DIAGNOSTICS n = ROW_COUNT; added := added + n;
        END LOOP;
        IF changed OR added > 0 OR updated > 0 OR dropped > 0 THEN
            summary := format('import %s project(s) (%s): %s indicator(s) added, %s changed, '
                              '%s removed', nproj, names, added, updated, dropped);
            PERFORM jixiao.audit_row('import', summary, ARRAY[k.code]);
            PERFORM jixiao.touch(k.y, k.code);
            year := k.y; unit_code := k.code;
            RETURN NEXT;
        END IF;
    END LOOP;
END $$;

-- Whole datasets (the demo, benches, ``jixiao db copy --from``) into partitions that do not
-- exist yet; history keeps the authors and times it had where it came from.
CREATE FUNCTION jixiao.load_staged(what text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE k record;
BEGIN
    PERFORM jixiao.require_admin('load data');
    LOCK TABLE jixiao.indicators IN SHARE ROW EXCLUSIVE MODE;
    SELECT s.year, s.unit_code INTO k FROM pg_temp.jx_stage s JOIN jixiao.partitions pt
        ON pt.year = s.year AND pt.unit_code = s.unit_code WHERE s.kind = 'unit' LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format(
            'unit %s of %s is in the database already; a bulk load only fills an empty store',
            k.unit_code, k.year);
    END IF;
    INSERT INTO jixiao.partitions SELECT s.year, s.unit_code, s.doc, nextval('jixiao.rev')
      FROM pg_temp.jx_stage s WHERE s.kind = 'unit' ORDER BY s.seq;
    INSERT INTO jixiao.projects (id, year, unit_code, doc)
    SELECT s.id, s.year, s.unit_code, s.doc FROM pg_temp.jx_stage s WHERE s.kind = 'project' ORDER BY s.seq;
    INSERT INTO jixiao.indicators (id, project_id, year, unit_code, doc)
    SELECT s.id, s.ref, s.year, s.unit_code, s.doc FROM pg_temp.jx_stage s WHERE s.kind = 'indicator' ORDER BY s.seq;
    INSERT INTO jixiao.progress (id, indicator_id, year, unit_code, doc)
    SELECT s.id, s.ref, s.year, s.unit_code, s.doc FROM pg_temp.jx_stage s WHERE s.kind = 'progress' ORDER BY s.seq;
    INSERT INTO jixiao.spending (id, project_id, year, unit_code, doc)
    SELECT s.id, s.ref, s.year, s.unit_code, s.doc FROM pg_temp.jx_stage s WHERE s.kind = 'spending' ORDER BY s.seq;
    INSERT INTO jixiao.audit (at, user_name, action, what, units)
    SELECT jixiao.stamp(), session_user, 'import',
           format('%s %s project(s), %s indicator(s)', what,
                  (SELECT count(*) FROM pg_temp.jx_stage p WHERE p.kind = 'project'
                      AND p.year = s.year AND p.unit_code = s.unit_code),
                  (SELECT count(*) FROM pg_temp.jx_stage i WHERE i.kind = 'indicator'
                      AND i.year = s.year AND i.unit_code = s.unit_code)),
           ARRAY[s.unit_code]
      FROM pg_temp.jx_stage s WHERE s.kind = 'unit' ORDER BY s.seq;
    PERFORM pg_notify('jixiao', 'load');
END $$;

-- Nobody but the owner calls anything until ``jixiao grant`` gives them the privileges.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA jixiao FROM PUBLIC;
INSERT INTO jixiao.grants (user_name, role) VALUES (session_user, 'admin');
INSERT INTO jixiao.audit (at, user_name, action, what)
VALUES (jixiao.stamp(), session_user, 'grant', session_user || ' → admin (jixiao db init)');
