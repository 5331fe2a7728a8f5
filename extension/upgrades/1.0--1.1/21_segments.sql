-- 21_segments.sql in 1.1: a dump keeps the built-in smart lists an admin
-- changed, and a restore merges them into the shipped rows (in 1.0 an
-- admin's change to a smart list was lost by pg_dump / pg_restore).
SELECT pg_catalog.pg_extension_config_dump('dialer.segments', 'WHERE NOT builtin OR updated_at > created_at');

CREATE FUNCTION dialer._merge_restored_smart_list()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE dialer.segments s
    SET name = NEW.name, description = NEW.description, filter = NEW.filter, shared = NEW.shared,
        created_by = NEW.created_by, created_at = NEW.created_at, updated_at = NEW.updated_at
    WHERE s.id = NEW.id AND s.builtin;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER segments_merge_restored_smart_list BEFORE INSERT ON dialer.segments
FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION dialer._merge_restored_smart_list();

COMMENT ON FUNCTION dialer._merge_restored_smart_list() IS
'Trigger of dialer.segments: a built-in smart list inserted where the shipped row of its id is (pg_restore of an admin''s change) updates that row instead.';

-- As 90_privileges.sql: no function is PUBLIC's unless granted.
REVOKE ALL ON FUNCTION dialer._merge_restored_smart_list() FROM PUBLIC;
