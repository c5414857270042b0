ALTER TABLE `run_steps` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `run_steps` ADD `lease_expires_at` integer;