CREATE TABLE `provider_settings` (
	`provider` text PRIMARY KEY NOT NULL,
	`api_key_encrypted` text,
	`base_url` text,
	`updated_by_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`updated_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
ALTER TABLE `run_steps` ADD `checkpoint` text;--> statement-breakpoint
ALTER TABLE `run_steps` ADD `message_id` text;