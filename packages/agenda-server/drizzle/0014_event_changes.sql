-- Live agenda: every change to an event, whoever made it (a route, calendar sync, the call pipeline,
-- a script of the host's), is kept for a few minutes under an increasing number so an agenda that
-- reconnects is sent what it missed, and announced at commit on the channel "<schema>_event_changes".
CREATE TABLE "agenda"."event_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"before_start" timestamp with time zone,
	"before_end" timestamp with time zone,
	"after_start" timestamp with time zone,
	"after_end" timestamp with time zone,
	"changed_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "event_changes_owner_seq_idx" ON "agenda"."event_changes" USING btree ("tenant_id","user_id","seq");--> statement-breakpoint
CREATE INDEX "event_changes_changed_at_idx" ON "agenda"."event_changes" USING btree ("changed_at");--> statement-breakpoint
-- Per owner, the highest number pruned: a reconnection from before it may have missed changes of
-- that owner and starts over; another owner's pruned changes do not concern it.
CREATE TABLE "agenda"."event_change_horizon" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"pruned_through" bigint NOT NULL,
	CONSTRAINT "event_change_horizon_pkey" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE FUNCTION "agenda"."record_event_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	channel text := TG_TABLE_SCHEMA || '_event_changes';
	seq bigint;
BEGIN
	-- Bookkeeping (sync marks, etags) changes nothing an agenda shows.
	IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'updated_at' - 'synced_at' - 'external_etag' - 'external_updated_at')
		= (to_jsonb(OLD) - 'updated_at' - 'synced_at' - 'external_etag' - 'external_updated_at') THEN
		RETURN NULL;
	END IF;
	-- Only the number travels: a NOTIFY payload must stay under 8,000 bytes whatever the host's ids,
	-- and every instance reads the rows it is told about, one query per burst.
	IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (NEW.tenant_id, NEW.user_id) IS DISTINCT FROM (OLD.tenant_id, OLD.user_id)) THEN
		-- A deleted event, or one handed to another owner: it leaves the first owner's agenda.
		INSERT INTO "agenda"."event_changes" ("tenant_id", "user_id", "event_id", "kind", "before_start", "before_end")
			VALUES (OLD.tenant_id, OLD.user_id, OLD.id, 'deleted', OLD.start_at, OLD.end_at) RETURNING "event_changes"."seq" INTO seq;
		PERFORM pg_notify(channel, seq::text);
		IF TG_OP = 'DELETE' THEN
			RETURN NULL;
		END IF;
	END IF;
	IF TG_OP = 'INSERT' OR (NEW.tenant_id, NEW.user_id) IS DISTINCT FROM (OLD.tenant_id, OLD.user_id) THEN
		INSERT INTO "agenda"."event_changes" ("tenant_id", "user_id", "event_id", "kind", "after_start", "after_end")
			VALUES (NEW.tenant_id, NEW.user_id, NEW.id, 'created', NEW.start_at, NEW.end_at) RETURNING "event_changes"."seq" INTO seq;
	ELSE
		INSERT INTO "agenda"."event_changes" ("tenant_id", "user_id", "event_id", "kind", "before_start", "before_end", "after_start", "after_end")
			VALUES (NEW.tenant_id, NEW.user_id, NEW.id, 'updated', OLD.start_at, OLD.end_at, NEW.start_at, NEW.end_at) RETURNING "event_changes"."seq" INTO seq;
	END IF;
	PERFORM pg_notify(channel, seq::text);
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "events_record_change" AFTER INSERT OR UPDATE OR DELETE ON "agenda"."events" FOR EACH ROW EXECUTE FUNCTION "agenda"."record_event_change"();
