-- jixiao schema version 3: every refusal the server raises names itself. The MESSAGE stays the
-- English a psql user reads; DETAIL is 'jixiao:KEY' (a key of core/faults.py) and HINT the
-- message's fields as JSON, so jixiao says it in the user's language, in the file store's words.

CREATE FUNCTION jixiao.refuse(state text, key text, fields jsonb, message text) RETURNS void
LANGUAGE plpgsql SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message, DETAIL = 'jixiao:' || key,
        HINT = fields::text;
END $$;
REVOKE ALL ON FUNCTION jixiao.refuse(text, text, jsonb, text) FROM PUBLIC;

-- Who a refused role is, as fields of the refusal (core/faults.py "standing_*").
CREATE FUNCTION jixiao.standing(who text) RETURNS jsonb LANGUAGE sql STABLE
SET search_path = jixiao, pg_catalog, pg_temp AS $$
    SELECT jsonb_build_object('user', who, 'role', jixiao.role_of(who), 'units',
        CASE jixiao.role_of(who) WHEN 'owner' THEN
            (SELECT to_jsonb(units) FROM jixiao.grants WHERE user_name = who)
        ELSE '[]'::jsonb END)
$$;

CREATE OR REPLACE FUNCTION jixiao.append_only() RETURNS trigger LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jixiao.refuse('42501', 'db_append_only', jsonb_build_object('table', TG_TABLE_NAME),
        format('%s is append-only: its records are never changed or deleted', TG_TABLE_NAME));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION jixiao.require_admin(doing text) RETURNS void LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE who text := session_user;
BEGIN
    IF jixiao.role_of(who) IS DISTINCT FROM 'admin' THEN
        PERFORM jixiao.refuse('42501', 'need_admin',
            jixiao.standing(who) || jsonb_build_object('doing', doing), format(
            '%s may not %s: that needs the admin role; %s is %s.',
            who, doing, who, jixiao.describe(who)));
    END IF;
END $$;

CREATE OR REPLACE FUNCTION jixiao.require_unit(code text, doing text) RETURNS void
LANGUAGE plpgsql SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE who text := session_user; r text := jixiao.role_of(session_user);
BEGIN
    IF r = 'admin' OR (r = 'owner' AND EXISTS (
            SELECT 1 FROM jixiao.grants WHERE user_name = who AND code = ANY (units))) THEN
        RETURN;
    END IF;
    PERFORM jixiao.refuse('42501', 'need_unit',
        jixiao.standing(who) || jsonb_build_object('doing', doing, 'code', code), format(
        '%s may not %s for unit %s: that needs the owner role for unit %s (or admin); %s is %s. '
        'Ask an admin: jixiao grant %s --role owner --unit %s',
        who, doing, code, code, who, jixiao.describe(who), who, code));
END $$;

CREATE OR REPLACE FUNCTION jixiao.record_progress(entry jsonb) RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE y int; code text; stored jsonb;
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
    stored := entry || jsonb_build_object('author', session_user::text,
                                          'recorded_at', jixiao.stamp());
    INSERT INTO jixiao.progress (id, indicator_id, year, unit_code, doc)
    VALUES (stored->>'id', stored->>'indicator_id', y, code, stored);
    PERFORM jixiao.touch(y, code);
    RETURN stored;
END $$;

CREATE OR REPLACE FUNCTION jixiao.record_spending(entry jsonb) RETURNS jsonb LANGUAGE plpgsql
SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE y int; code text; stored jsonb;
BEGIN
    LOCK TABLE jixiao.grants IN SHARE MODE;
    SELECT year, unit_code INTO y, code FROM jixiao.projects WHERE id = entry->>'project_id';
    IF NOT FOUND THEN
        PERFORM jixiao.refuse('22023', 'db_no_project',
            jsonb_build_object('id', entry->>'project_id'),
            format('no project with id %L in the database', entry->>'project_id'));
    END IF;
    PERFORM jixiao.require_unit(code, 'record spending');
    stored := entry || jsonb_build_object('author', session_user::text,
                                          'recorded_at', jixiao.stamp());
    INSERT INTO jixiao.spending (id, project_id, year, unit_code, doc)
    VALUES (stored->>'id', stored->>'project_id', y, code, stored);
    PERFORM jixiao.touch(y, code);
    RETURN stored;
END $$;

CREATE OR REPLACE FUNCTION jixiao.set_reading(p_indicator text, expected text, reading jsonb,
                                              what text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE d jsonb; y int; code text;
BEGIN
    LOCK TABLE jixiao.grants IN SHARE MODE;
    PERFORM jixiao.require_admin('change the reading of a target');
    SELECT i.doc, i.year, i.unit_code INTO d, y, code FROM jixiao.indicators i
     WHERE i.id = p_indicator FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM jixiao.refuse('22023', 'db_reading_gone', jsonb_build_object('id', p_indicator),
            format('indicator %s is no longer in the database (a re-import removed it); '
                   'nothing was changed', p_indicator));
    END IF;
    IF reading IS NULL THEN
        IF NOT d ? 'reading' THEN
            RETURN d;
        END IF;
        d := d - 'reading';
    ELSE
        IF d->>'target_text' IS DISTINCT FROM expected THEN
            PERFORM jixiao.refuse('22023', 'db_reading_changed',
                jsonb_build_object('id', p_indicator),
                format('the 指标值 of %s changed meanwhile; nothing was changed', p_indicator));
        END IF;
        d := jsonb_set(d, '{reading}', reading || jsonb_build_object(
            'author', session_user::text, 'at', jixiao.stamp()));
    END IF;
    UPDATE jixiao.indicators i SET doc = d WHERE i.id = p_indicator;
    PERFORM jixiao.audit_row('reading', what, ARRAY[code]);
    PERFORM jixiao.touch(y, code);
    RETURN d;
END $$;

CREATE OR REPLACE FUNCTION jixiao.set_grants(expected jsonb, wanted jsonb, action text,
                                             what text, touched text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE now_list jsonb; g record;
BEGIN
    LOCK TABLE jixiao.grants IN EXCLUSIVE MODE;
    SELECT coalesce(jsonb_agg(jsonb_build_object('user', user_name, 'role', role,
                                                 'units', to_jsonb(units)) ORDER BY seq), '[]')
      INTO now_list FROM jixiao.grants;
    PERFORM jixiao.require_admin('change grants');
    IF now_list <> expected THEN
        PERFORM jixiao.refuse('40001', 'db_grants_changed', '{}',
            'the grants changed while this change was prepared; nothing was changed, try again');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(wanted) w WHERE w->>'role' = 'admin') THEN
        PERFORM jixiao.refuse('22023', 'no_admin_left', '{}', 'this would leave no admin, and '
            'nobody could change grants any more; grant another admin first');
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

-- The two refusals of the import functions, raised before they change anything.
CREATE FUNCTION jixiao.require_staged_units() RETURNS void LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE missing text;
BEGIN
    SELECT s.unit_code INTO missing FROM pg_temp.jx_stage s WHERE s.kind = 'project'
       AND NOT EXISTS (SELECT 1 FROM pg_temp.jx_stage u WHERE u.kind = 'unit'
                       AND u.id = s.unit_code)
     ORDER BY s.year, s.unit_code LIMIT 1;
    IF FOUND THEN
        PERFORM jixiao.refuse('22023', 'db_import_no_unit', jsonb_build_object('code', missing),
            format('the import names no unit %L; nothing was stored', missing));
    END IF;
END $$;
REVOKE ALL ON FUNCTION jixiao.require_staged_units() FROM PUBLIC;

CREATE FUNCTION jixiao.require_new_partitions() RETURNS void LANGUAGE plpgsql
SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE k record;
BEGIN
    SELECT s.year, s.unit_code INTO k FROM pg_temp.jx_stage s JOIN jixiao.partitions pt
        ON pt.year = s.year AND pt.unit_code = s.unit_code WHERE s.kind = 'unit'
     ORDER BY s.seq LIMIT 1;
    IF FOUND THEN
        PERFORM jixiao.refuse('22023', 'db_load_exists',
            jsonb_build_object('code', k.unit_code, 'year', k.year), format(
            'unit %s of %s is in the database already; a bulk load only fills an empty store',
            k.unit_code, k.year));
    END IF;
END $$;
REVOKE ALL ON FUNCTION jixiao.require_new_partitions() FROM PUBLIC;
REVOKE ALL ON FUNCTION jixiao.standing(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION jixiao.import_staged()
RETURNS TABLE (year int, unit_code text, summary text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE
    k record; p record; unit_doc jsonb; old jsonb; changed boolean;
    added int; updated int; dropped int; n int; names text; nproj int; at text := jixiao.stamp();
BEGIN
    PERFORM jixiao.require_admin('import target tables');
    PERFORM jixiao.require_staged_units();
    -- One import at a time; writers of history go on.
    LOCK TABLE jixiao.indicators IN SHARE ROW EXCLUSIVE MODE;
    FOR k IN SELECT DISTINCT s.year AS y, s.unit_code AS code FROM pg_temp.jx_stage s
             WHERE s.kind = 'project' ORDER BY 1, 2 LOOP
        SELECT s.doc INTO unit_doc FROM pg_temp.jx_stage s
         WHERE s.kind = 'unit' AND s.id = k.code ORDER BY s.seq DESC LIMIT 1;
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
    INSERT INTO jixiao.progress (id, indicator_id, year, unit_code, doc)
    SELECT s.id, s.ref, s.year, s.unit_code, s.doc FROM pg_temp.jx_stage s WHERE s.kind = 'progress' ORDER BY s.seq;
    INSERT INTO jixiao.spending (id, project_id, year, unit_code, doc)
    SELECT s.id, s.ref, s.year, s.unit_code, s.doc FROM pg_temp.jx_stage s WHERE s.kind = 'spending' ORDER BY s.seq;
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

