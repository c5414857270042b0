CREATE TABLE `emergency_stops` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text,
	`triggered_by_id` text,
	`reason` text NOT NULL,
	`resumed_at` integer,
	`resumed_by_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`triggered_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resumed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `emergency_stops_project_idx` ON `emergency_stops` (`project_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `emergency_stops_active_uq` ON `emergency_stops` (coalesce("project_id", '*')) WHERE "emergency_stops"."resumed_at" is null;