CREATE TABLE `notification_preferences` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`enabled` integer NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `usage_hourly` (
	`hour` integer NOT NULL,
	`project_id` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`model` text NOT NULL,
	`calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`total_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_hourly_bucket_uq` ON `usage_hourly` (`hour`,`project_id`,`user_id`,`agent_id`,`model`);--> statement-breakpoint
CREATE INDEX `usage_hourly_project_figures_idx` ON `usage_hourly` (`project_id`,`hour`,`user_id`,`agent_id`,`model`,`calls`,`input_tokens`,`output_tokens`,`total_tokens`,`cost_micros`);--> statement-breakpoint
CREATE TABLE `usage_shifted_daily` (
	`shift` integer NOT NULL,
	`day` integer NOT NULL,
	`project_id` text NOT NULL,
	`user_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`model` text NOT NULL,
	`calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`total_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_shifted_daily_bucket_uq` ON `usage_shifted_daily` (`shift`,`day`,`project_id`,`user_id`,`agent_id`,`model`);--> statement-breakpoint
CREATE INDEX `usage_shifted_daily_figures_idx` ON `usage_shifted_daily` (`shift`,`day`,`project_id`,`user_id`,`agent_id`,`model`,`calls`,`input_tokens`,`output_tokens`,`total_tokens`,`cost_micros`);--> statement-breakpoint
CREATE INDEX `usage_shifted_daily_project_figures_idx` ON `usage_shifted_daily` (`project_id`,`shift`,`day`,`user_id`,`agent_id`,`model`,`calls`,`input_tokens`,`output_tokens`,`total_tokens`,`cost_micros`);