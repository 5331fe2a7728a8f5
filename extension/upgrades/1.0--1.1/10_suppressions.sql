-- A registry listing carries the date of the newest registry data that listed it (32_registry_scrubs.sql).
ALTER TABLE dialer.suppressions ADD COLUMN registry_scrubbed_at timestamptz;
