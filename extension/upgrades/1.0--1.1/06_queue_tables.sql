-- push_jobs records the registry data each job was made with (32_registry_scrubs.sql).
ALTER TABLE dialer.push_jobs
    ADD COLUMN registry_scrubbed_at timestamptz,
    ADD COLUMN registry_warning text;
