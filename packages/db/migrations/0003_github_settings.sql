CREATE TABLE `github_etags` (
	`user_id` text NOT NULL,
	`url` text NOT NULL,
	`etag` text NOT NULL,
	`item_ids` text DEFAULT '[]' NOT NULL,
	`next_url` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`user_id`, `url`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `github_settings` (
	`id` text PRIMARY KEY DEFAULT 'default' NOT NULL,
	`web_url` text,
	`api_url` text,
	`client_id` text,
	`client_secret_encrypted` text,
	`app_id` text,
	`app_private_key_encrypted` text,
	`webhook_secret_encrypted` text,
	`updated_by_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`updated_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
ALTER TABLE `github_connections` ADD `token_invalid_at` integer;