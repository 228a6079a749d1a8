CREATE TABLE "agenda"."deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"delivery_key" text NOT NULL,
	"event_type" text NOT NULL,
	"job_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_source_key" ON "agenda"."deliveries" USING btree ("source","delivery_key");