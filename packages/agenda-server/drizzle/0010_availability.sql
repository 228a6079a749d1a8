-- Availability and booking. Whether an event takes the user's time: false for what Google marks
-- transparent and Outlook shows as free (or working elsewhere); cancelled events are removed, not kept.
ALTER TABLE "agenda"."events" ADD COLUMN "busy" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- Made by a booking, so the daily cap counts bookings only.
ALTER TABLE "agenda"."events" ADD COLUMN "booked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE TABLE "agenda"."availability_settings" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"settings" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "availability_settings_pkey" PRIMARY KEY("tenant_id","user_id")
);
