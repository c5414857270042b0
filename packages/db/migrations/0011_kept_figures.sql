CREATE TABLE `usage_daily` (
	`day` integer NOT NULL,
	`project_id` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`model` text NOT NULL,
	`calls` integer NOT NULL,
	`total_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_daily_bucket_uq` ON `usage_daily` (`day`,`project_id`,`user_id`,`agent_id`,`model`);--> statement-breakpoint
CREATE INDEX `usage_daily_project_figures_idx` ON `usage_daily` (`project_id`,`agent_id`,`model`,`day`,`calls`,`total_tokens`,`cost_micros`);--> statement-breakpoint
CREATE INDEX `usage_daily_user_day_idx` ON `usage_daily` (`user_id`,`day`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `message_count` integer DEFAULT 0 NOT NULL;