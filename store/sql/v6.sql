-- jixiao schema version 6: the server checks the form of every history entry it is sent.
-- An owner may call record_progress and record_spending without jixiao, so what jixiao's client
-- checks first (store.repository.progress_entry) is checked here again where it can be: a date
-- that is a real YYYY-MM-DD day in the project's budget year or the next (as
-- core.periods.entry_date_problem), text where text belongs (a 完成值 that is not blank, full-
-- width spaces included), one likelihood and a list of causes among the official choices
-- (core/words.py LIKELIHOODS, CAUSES), an amount that is a number from 0 to 10^12 (万元).
-- What a value means for its target (core's reading of 指标值) stays the client's to judge: an
-- owner could record a false value in any form anyway.
-- Entries stored before this version are left as they are.

-- ``year``: the project's budget year; the date must fall in it or the next.
CREATE FUNCTION jixiao.require_date(entry jsonb, field text, year int, zh text, en text)
RETURNS void LANGUAGE plpgsql STABLE SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE v text := entry->>field;
BEGIN
    IF jsonb_typeof(entry->field) IS DISTINCT FROM 'string' OR v !~ '^\d{4}-\d{2}-\d{2}$'
       OR to_char(to_date(v, 'YYYY-MM-DD'), 'YYYY-MM-DD') IS DISTINCT FROM v
       OR left(v, 4)::int NOT IN (year, year + 1) THEN
        PERFORM jixiao.refuse('22023', 'db_entry_date', jsonb_build_object(
            'field_zh', zh, 'field_en', en, 'value', left(coalesce(entry->field, 'null')::text, 40)),
            format('the entry''s %s %s is not a real date written YYYY-MM-DD in the budget year '
                   'or the next; nothing was recorded', en,
                   left(coalesce(entry->field, 'null')::text, 40)));
    END IF;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    PERFORM jixiao.refuse('22023', 'db_entry_date', jsonb_build_object(
        'field_zh', zh, 'field_en', en, 'value', left((entry->field)::text, 40)),
        format('the entry''s %s %s is not a real date written YYYY-MM-DD in the budget year or '
               'the next; nothing was recorded', en, left((entry->field)::text, 40)));
END $$;

-- ``needed``: the field must be there and not blank; otherwise text or absent (null).
CREATE FUNCTION jixiao.require_text(entry jsonb, field text, needed boolean, zh text, en text)
RETURNS void LANGUAGE plpgsql STABLE SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    IF (needed AND (jsonb_typeof(entry->field) IS DISTINCT FROM 'string'
                    OR entry->>field ~ '^[\s\u3000\u00a0\u2000-\u200b\ufeff]*$'))
       OR (NOT needed AND entry->field IS NOT NULL AND jsonb_typeof(entry->field) <> 'null'
           AND jsonb_typeof(entry->field) <> 'string') THEN
        PERFORM jixiao.refuse('22023', 'db_entry_text', jsonb_build_object(
            'field_zh', zh, 'field_en', en,
            'need_zh', CASE WHEN needed THEN '，且不能为空' ELSE '' END,
            'need_en', CASE WHEN needed THEN ' and not empty' ELSE '' END),
            format('the entry''s %s must be text%s; nothing was recorded', en,
                   CASE WHEN needed THEN ' and not empty' ELSE '' END));
    END IF;
END $$;

-- ``many``: a list of choices (causes); otherwise one (likelihood). Absent or null: none.
CREATE FUNCTION jixiao.require_choices(entry jsonb, field text, many boolean, allowed text[],
                                       zh text, en text)
RETURNS void LANGUAGE plpgsql STABLE SET search_path = jixiao, pg_catalog, pg_temp AS $$
DECLARE v jsonb := entry->field; bad text;
BEGIN
    IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
        RETURN;
    END IF;
    IF many AND jsonb_typeof(v) = 'array' THEN
        SELECT e::text INTO bad FROM jsonb_array_elements(v) e
         WHERE jsonb_typeof(e) <> 'string' OR NOT (e #>> '{}') = ANY (allowed) LIMIT 1;
    ELSIF NOT many AND jsonb_typeof(v) = 'string' THEN
        IF NOT (v #>> '{}') = ANY (allowed) THEN
            bad := v::text;
        END IF;
    ELSE
        bad := v::text;        -- a list where one belongs, or one where a list belongs
    END IF;
    IF bad IS NOT NULL THEN
        PERFORM jixiao.refuse('22023', 'db_entry_choice', jsonb_build_object(
            'field_zh', zh, 'field_en', en, 'value', left(bad, 40),
            'allowed', array_to_string(allowed, ' / ')),
            format('the entry''s %s %s is not one of %s; nothing was recorded', en, left(bad, 40),
                   array_to_string(allowed, ' / ')));
    END IF;
END $$;

CREATE FUNCTION jixiao.require_progress_entry(entry jsonb, year int) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jixiao.require_text(entry, 'id', true, '编号', 'id');
    PERFORM jixiao.require_date(entry, 'as_of', year, '日期', 'date');
    PERFORM jixiao.require_text(entry, 'actual', true, '完成值', 'actual value');
    PERFORM jixiao.require_text(entry, 'forecast', false, '全年预计完成值', 'forecast');
    PERFORM jixiao.require_text(entry, 'measures', false, '纠偏措施', 'measures');
    PERFORM jixiao.require_text(entry, 'note', false, '备注', 'note');
    PERFORM jixiao.require_choices(entry, 'likelihood', false,
        ARRAY['确定能', '有可能', '完全不可能'], '完成目标可能性', 'likelihood');
    PERFORM jixiao.require_choices(entry, 'causes', true,
        ARRAY['经费保障', '制度保障', '人员保障', '硬件条件保障', '其他'], '偏差原因', 'causes');
END $$;

CREATE FUNCTION jixiao.require_spending_entry(entry jsonb, year int) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = jixiao, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jixiao.require_text(entry, 'id', true, '编号', 'id');
    PERFORM jixiao.require_date(entry, 'as_of', year, '日期', 'date');
    PERFORM jixiao.require_text(entry, 'note', false, '备注', 'note');
    IF jsonb_typeof(entry->'spent') IS DISTINCT FROM 'number'
       OR NOT (entry->>'spent')::numeric BETWEEN 0 AND 1e12 THEN
        PERFORM jixiao.refuse('22023', 'db_entry_amount', jsonb_build_object(
            'value', left(coalesce(entry->'spent', 'null')::text, 40)),
            format('the amount spent %s must be a number from 0 to 10^12; nothing was recorded',
                   left(coalesce(entry->'spent', 'null')::text, 40)));
    END IF;
END $$;

REVOKE ALL ON FUNCTION jixiao.require_date(jsonb, text, int, text, text),
    jixiao.require_text(jsonb, text, boolean, text, text),
    jixiao.require_choices(jsonb, text, boolean, text[], text, text),
    jixiao.require_progress_entry(jsonb, int), jixiao.require_spending_entry(jsonb, int)
    FROM PUBLIC;

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
    PERFORM jixiao.require_progress_entry(entry, y);
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
    PERFORM jixiao.require_spending_entry(entry, y);
    INSERT INTO jixiao.spending (id, project_id, year, unit_code, as_of, spent, author,
                                 recorded_at, note)
    VALUES (entry->>'id', entry->>'project_id', y, code, entry->>'as_of',
            (entry->>'spent')::float8, session_user, jixiao.stamp(), entry->>'note')
    RETURNING * INTO stored;
    PERFORM jixiao.touch(y, code);
    RETURN jixiao.spending_doc(stored);
END $$;
