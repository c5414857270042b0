DROP INDEX `usage_records_provider_message_id_unique`;--> statement-breakpoint
ALTER TABLE `usage_records` ADD `call_id` text;--> statement-breakpoint
ALTER TABLE `usage_records` ADD `status` text DEFAULT 'settled' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `usage_records_call_id_unique` ON `usage_records` (`call_id`);--> statement-breakpoint
CREATE INDEX `usage_records_status_idx` ON `usage_records` (`status`);