-- Privileges, all in one place and last (numbered to stay last as files are
-- added): who may run what (the roles are
-- 00_roles.sql). Nothing is PUBLIC's but the pure rules; no role but the
-- extension's owner may write a table directly. Every write goes through a
-- function; those that write what their caller may not are SECURITY DEFINER
-- with search_path pinned to pg_catalog, pg_temp and schema-qualified names,
-- and check the caller's role and ownership themselves (01_reps.sql,
-- 14_session_manage.sql). Functions called only from inside those need no
-- grant at all.
--
-- What the roles need outside this schema is the installer's to grant
-- (docs/sql-reference.md, "Roles and privileges"): the daemon's login role
-- reads the contact relation (launch re-checks, shared numbers) and writes
-- what the write-back hook writes; reps read the contacts they preview.

REVOKE ALL ON ALL TABLES IN SCHEMA dialer FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA dialer FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA dialer FROM PUBLIC;
GRANT USAGE ON SCHEMA dialer TO PUBLIC;

-- ---------------------------------------------------------------------------
-- PUBLIC: the pure rules (they read the suppression list through
-- dialer._suppressed_numbers, and write nothing).
-- ---------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    dialer.e164(text, text), dialer.e164_immutable(text, text), dialer.phone_info(text, text),
    dialer.maintain_phone_e164(),
    dialer.exclusion(record, integer, timestamptz), dialer.is_dialable(record),
    dialer._rules_support(internal), dialer._exclusion_columns(text[], boolean, integer, timestamptz, "any"),
    dialer._is_dialable_columns(text[], boolean, "any"), dialer._suppressed_numbers(),
    dialer.session_name(text[], text[], jsonb, date), dialer.dial_time(bigint, real),
    dialer.payload(record), dialer.talking_points(record),
    dialer.preview(anyarray, jsonb), dialer.preview_agg(anyelement, jsonb),
    dialer._preview_step(internal, anyelement, jsonb), dialer._preview_final(internal),
    dialer.classify_list(anyarray, jsonb),
    dialer.priority_tier(text), dialer._list_size_limit(), dialer._deal_relation(), dialer._active_deals(),
    dialer.never_contacted(record), dialer.called_this_week(record),
    dialer.filter_fields(), dialer.validate_filter(jsonb), dialer.dialable_count(anyarray),
    dialer.list_export(anyarray, jsonb),
    dialer._next_run(jsonb, timestamptz), dialer._check_schedule(jsonb), dialer._schedule_day(jsonb, date),
    dialer._weekday_number(text), dialer.template_session_name(text, timestamptz, text),
    dialer._template_run_acting(text),
    dialer.minimum_daemon_version(), dialer._version_number(text)
TO PUBLIC;

-- Where a number is (29_number_states.sql): public data.
GRANT SELECT ON dialer.area_code_states TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.number_state(text) TO PUBLIC;

-- The filter language's internal steps (19_filters.sql) are pure and run with
-- the caller's rights wherever a filter is validated or compiled.
GRANT EXECUTE ON FUNCTION
    dialer._filter_operator_kinds(text), dialer._filter_error(text, text, text),
    dialer._filter_value(text, text, jsonb, text, text), dialer._like_literal(text),
    dialer._filter_sql(jsonb, regclass, text[], text, integer), dialer._filter_column(regclass, text, text),
    dialer._filter_day(text, jsonb, text), dialer._day_start(date, text),
    dialer.rep_time_zone(), dialer.rep_today()
TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer._filter_param(text, text, integer) TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer._filter_operator(text, text) TO PUBLIC;

-- ---------------------------------------------------------------------------
-- dialer_analyst: read-only. The dashboard views (they read the tables with
-- the owner's rights), the small tables the views' functions read, and
-- contact_state (which the app joins into its contact relation).
-- ---------------------------------------------------------------------------
GRANT SELECT ON dialer.sessions_overview, dialer.session_stats, dialer.session_contacts,
                dialer.session_activity, dialer.unmapped_dispositions,
                dialer.configuration, dialer.disposition_map, dialer.reps, dialer.contact_state,
                dialer.metrics_push_time, dialer.metrics_rep_weeks, dialer.metrics_push_quality,
                dialer.metrics_connection_rate
TO dialer_analyst;
GRANT EXECUTE ON FUNCTION
    dialer.acting_user(), dialer.current_rep(),
    dialer.activity_status(text, bigint, bigint, timestamptz, timestamptz),
    dialer.call_connected(boolean, text), dialer.disposition_outcome(text),
    dialer.session_export(bigint)
TO dialer_analyst;

-- Lists and segments, read (20_lists.sql, 21_segments.sql, 22_entry_points.sql):
-- shared ones, and their own. These run with the caller's rights over the
-- contact relation; the definer steps check who may read which list or
-- segment.
GRANT SELECT ON dialer.lists_overview, dialer.segments_overview TO dialer_analyst;
GRANT EXECUTE ON FUNCTION
    dialer.filter_sql(jsonb, regclass),
    dialer.preview_list(bigint, jsonb), dialer.preview_segment(bigint, jsonb),
    dialer.preview_contacts(anyarray, jsonb), dialer.preview_deal(text, jsonb),
    dialer.list_contacts(bigint), dialer.list_contacts(bigint, anyelement),
    dialer.segment_contacts(bigint), dialer.segment_contacts(bigint, anyelement),
    dialer.dialable_count(bigint, bigint), dialer.list_export(bigint, bigint, jsonb),
    dialer._is_admin(), dialer._contact_relation(text), dialer._deal_contacts_relation(),
    dialer._list_member_ids(bigint), dialer._segment_filter(bigint),
    dialer._source_query(text, text), dialer._id_array(anyarray), dialer._list_or_segment(bigint, bigint),
    dialer._preview_source(text, text, jsonb), dialer._source_ids(text, text),
    dialer._source_rows(text, text, anyelement)
TO dialer_analyst;
-- The smart lists with their counts (26_smart_lists.sql): read like segments.
GRANT EXECUTE ON FUNCTION dialer.suggested_lists() TO dialer_analyst;
-- The calling rules and holidays (28_calling_rules.sql) are no secret: whoever
-- previews sees why a contact waits.
GRANT SELECT ON dialer.calling_rules, dialer.calling_rules_in_force, dialer.calling_holidays TO dialer_analyst;

-- ---------------------------------------------------------------------------
-- dialer_rep (and so dialer_app and dialer_admin): push, launch, and their
-- own sessions; ownership is checked inside.
-- ---------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    dialer.push(anyarray, text, bigint, jsonb), dialer.push_status(bigint), dialer.cancel(bigint),
    dialer.suggest_session(jsonb),
    dialer.launch(bigint), dialer.launch_link(bigint),
    dialer.create_session(text, text), dialer.rename_session(bigint, text), dialer.pause_session(bigint),
    dialer.resume_session(bigint), dialer.complete_session(bigint), dialer.delete_session(bigint),
    dialer.add_suppression(text, text, text), dialer.phoneburner_link(bigint),
    dialer.create_list(text, boolean, text), dialer.rename_list(bigint, text), dialer.share_list(bigint, boolean),
    dialer.delete_list(bigint), dialer.add_to_list(bigint, anyarray), dialer.remove_from_list(bigint, anyarray),
    dialer.create_segment(text, jsonb, boolean, text),
    dialer.update_segment(bigint, text, jsonb, boolean, text), dialer.delete_segment(bigint),
    dialer.push_list(bigint, text, bigint, jsonb), dialer.push_segment(bigint, text, bigint, jsonb),
    dialer.push_contacts(anyarray, text, bigint, jsonb), dialer.push_deal(text, text, bigint, jsonb),
    dialer._push_source(text, text, text, bigint, jsonb),
    dialer._push_with_source(anyarray, text, bigint, jsonb, text), dialer._source_list_source(text, text),
    dialer.set_rep_time_zone(text, text)
TO dialer_rep;
-- dialer.add_to_list runs with the caller's rights (it reads the contacts to
-- warn about unknown ids); these are its steps. dialer._change_list_members
-- checks the list's owner itself, as add_to_list and remove_from_list did.
GRANT EXECUTE ON FUNCTION
    dialer._element_id(jsonb), dialer._change_list_members(bigint, text[], boolean),
    dialer._warn_unknown_contacts(bigint, text[], integer)
TO dialer_rep;

-- List templates (27_templates.sql): reps manage and run their own (admins
-- anyone's, checked inside); the preview reads the contacts with the
-- caller's rights.
GRANT SELECT ON dialer.templates_overview, dialer.template_run_history TO dialer_rep;
GRANT EXECUTE ON FUNCTION
    dialer.create_template(text, text, jsonb, bigint, bigint, text, jsonb, boolean, boolean),
    dialer.update_template(bigint, text, text, jsonb, bigint, bigint, text, jsonb, boolean),
    dialer.enable_template(bigint, boolean), dialer.disable_template(bigint), dialer.delete_template(bigint),
    dialer.run_template_now(bigint), dialer.preview_template(bigint), dialer._template_for_preview(bigint),
    dialer._start_template_run(bigint), dialer._run_template(dialer.template_run_step),
    dialer._push_template_source(text, text, text, bigint, jsonb), dialer._push_template(anyarray, text, bigint, jsonb),
    dialer._finish_template_run(bigint, text, bigint, text, text)
TO dialer_rep;

-- ---------------------------------------------------------------------------
-- dialer_admin: the team's settings, and reading the trails. (The functions
-- also check dialer_admin themselves.)
-- ---------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    dialer.add_rep(text, text, text, text), dialer.update_rep(text, text, text, text, boolean),
    dialer.configure(regclass), dialer.configure_writeback(regprocedure, text),
    dialer.configure_session_idle_days(integer), dialer.configure_list_size(integer),
    dialer.configure_deals(regclass),
    dialer.map_disposition(text, text), dialer.remap_dispositions(text), dialer.retry_writebacks(),
    dialer.remove_suppression(text, text), dialer.assign_session(bigint, text, text),
    dialer.configure_deal_contacts(regclass)
TO dialer_admin;
GRANT EXECUTE ON FUNCTION
    dialer.set_calling_rule(text, time, time, boolean, boolean, integer, integer, text),
    dialer.remove_calling_rule(text), dialer.set_calling_holiday(date, text, text),
    dialer.remove_calling_holiday(date, text)
TO dialer_admin;
GRANT SELECT ON dialer.lists, dialer.list_members, dialer.segments, dialer.list_templates, dialer.template_runs
TO dialer_admin;
GRANT SELECT ON dialer.audit_log, dialer.overrides, dialer.session_changes, dialer.suppressions,
                dialer.writeback_failures, dialer.writeback_queue, dialer.webhook_events, dialer.call_activity,
                dialer.daemon_versions
TO dialer_admin;

-- ---------------------------------------------------------------------------
-- dialer_sync: exactly the daemon's API (16_daemon_api_jobs.sql,
-- 17_daemon_api_calls.sql), and what its invoker-rights parts call: the
-- write-back (13_write_back.sql) and the launch re-check, which read the
-- app's relation and run the app's hook with the daemon's own rights, and the
-- list templates' step (27_templates.sql), which reads the contacts with them too.
-- ---------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    dialer.claim_push_job(text, integer), dialer.renew_push_lease(bigint, text, integer),
    dialer.set_push_step(bigint, text, text), dialer.set_session_folder(bigint, text, text),
    dialer.push_job_session(bigint, text), dialer.push_job_items(bigint, text, integer, integer),
    dialer.record_push_item(bigint, text, integer, text, text, text),
    dialer._record_push_item(bigint, text, integer, text, text, text),
    dialer.finish_push_job(bigint, text, text, boolean, boolean),
    dialer.release_push_job(bigint, text, text, interval),
    dialer.fail_push_attempt(bigint, text, text, interval, boolean, boolean),
    dialer.job_counts(),
    dialer.prepare_launch(bigint, text), dialer._launch_plan(bigint, text), dialer._store_launch(bigint, text, dialer.list_verdict[]),
    dialer.launch_batches(bigint, text), dialer.launch_batch_contacts(bigint, text, integer),
    dialer.record_dial_session(bigint, text, integer, text, text, integer, text, text),
    dialer.record_call_event(jsonb), dialer._record_call_event(jsonb),
    dialer.apply_writebacks(integer), dialer._take_writebacks(integer),
    dialer._writeback_outcome(dialer.writeback_queue, text, text, text, text), dialer._writeback_hook(),
    dialer._writeback_callable(text),
    dialer._contact_relation(text), dialer._contacts_with_number(text, text),
    dialer.write_contact_state(text, jsonb),
    dialer.run_due_templates(text, integer), dialer._claim_due_templates(text, integer),
    dialer._run_template(dialer.template_run_step), dialer._push_template_source(text, text, text, bigint, jsonb),
    dialer._push_template(anyarray, text, bigint, jsonb), dialer._finish_template_run(bigint, text, bigint, text, text),
    dialer._source_query(text, text), dialer._list_member_ids(bigint), dialer._segment_filter(bigint),
    dialer.filter_sql(jsonb, regclass),
    dialer.daemon_hello(text, text, text, text)
TO dialer_sync;

-- Frequency caps (31_frequency_caps.sql): whether a cap is in force and the
-- preview's section are everyone's (the section checks the caller may read
-- the caps); the caps of numbers read the call history: analysts; the
-- launch's hold-back is the daemon's; a launch's refusals, reps' (ownership
-- checked inside).
GRANT EXECUTE ON FUNCTION
    dialer.frequency_caps_in_force(), dialer._frequency_capped_section(text[], text[], text[], timestamptz)
TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.frequency_capped(text[], text[], timestamptz) TO dialer_analyst;
GRANT EXECUTE ON FUNCTION dialer.launch_refusals(bigint) TO dialer_rep;
GRANT EXECUTE ON FUNCTION
    dialer._launch_frequency_caps(bigint, text, dialer.list_verdict[]), dialer._count_launch_refusals(bigint, text)
TO dialer_sync;
-- Registry scrub dates (32_registry_scrubs.sql): the limit is public, the
-- status no secret (whoever previews may see how fresh the registry data
-- is); the loader (an admin) records refreshes; admins read the history.
GRANT EXECUTE ON FUNCTION dialer.registry_max_age() TO PUBLIC;
GRANT SELECT ON dialer.registry_scrub_status TO dialer_analyst;
GRANT EXECUTE ON FUNCTION dialer.registry_data_date(), dialer.registry_warning(timestamptz) TO dialer_analyst;
GRANT EXECUTE ON FUNCTION dialer.record_registry_scrub(timestamptz, text, text, bigint, text) TO dialer_admin;
GRANT SELECT ON dialer.registry_scrubs TO dialer_admin;

-- Retention (33_retention.sql): the period is public; purging is an admin's.
GRANT EXECUTE ON FUNCTION dialer.retention_period() TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.purge_records(interval, boolean) TO dialer_admin;
-- Calling windows (30_calling_windows.sql): a pure rule, like dialer.exclusion.
GRANT EXECUTE ON FUNCTION dialer.calling_window(record, timestamptz), dialer._calling_window_data() TO PUBLIC;
-- Calling windows at launch (30_calling_windows.sql): who was held back is
-- every rep's to read (like dialer.push_status); exemptions are admins' to set.
GRANT SELECT ON dialer.launch_window_holds TO dialer_rep, dialer_analyst;
GRANT SELECT ON dialer.calling_window_exemptions TO dialer_analyst;
GRANT EXECUTE ON FUNCTION
    dialer.set_calling_window_exemption(text, text, text), dialer.remove_calling_window_exemption(text)
TO dialer_admin;
GRANT EXECUTE ON FUNCTION
    dialer._hold_outside_window(bigint, text, dialer.list_verdict[], dialer.launch_window_holds[])
TO dialer_sync;
