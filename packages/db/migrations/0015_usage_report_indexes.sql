DROP INDEX `usage_records_created_idx`;--> statement-breakpoint
DROP INDEX `usage_records_status_idx`;--> statement-breakpoint
CREATE INDEX `usage_records_created_figures_idx` ON `usage_records` (`created_at`,`project_id`,`user_id`,`agent_id`,`model`,`input_tokens`,`output_tokens`,`cache_read_tokens`,`cache_write_tokens`,`cost_micros`);--> statement-breakpoint
CREATE INDEX `usage_records_status_created_idx` ON `usage_records` (`status`,`created_at`);