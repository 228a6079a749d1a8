-- One provider account, one owner. Where several CRM users hold the same account, the one who
-- connected it first keeps it (the rule new connections follow from now on); the later rows are
-- deleted with their calendar sync settings and channels, without revoking anything at the provider,
-- since the grant they hold is the keeper's too. Those users see the account as not connected.
DELETE FROM "agenda"."connections" AS later
USING "agenda"."connections" AS first
WHERE later."provider" = first."provider"
  AND later."account_id" = first."account_id"
  AND (first."created_at", first."id") < (later."created_at", later."id");--> statement-breakpoint
DROP INDEX "agenda"."connections_provider_account_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "connections_provider_account_key" ON "agenda"."connections" USING btree ("provider","account_id");
