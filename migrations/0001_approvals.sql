CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant` text,
	`at` text NOT NULL,
	`message` text NOT NULL,
	`attempts` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dead_letters_tenant` ON `dead_letters` (`tenant`,`at`);--> statement-breakpoint
ALTER TABLE `jobs` ADD `outcome` text;