CREATE TABLE "agenda"."meet_subscriptions" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"expire_time" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meet_subscriptions_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "agenda"."meet_subscriptions" ADD CONSTRAINT "meet_subscriptions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "agenda"."connections"("id") ON DELETE cascade ON UPDATE no action;