CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant` text NOT NULL,
	`role` text NOT NULL,
	`secret_hash` text NOT NULL,
	`name` text,
	`created_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE INDEX `api_keys_tenant` ON `api_keys` (`tenant`);--> statement-breakpoint
CREATE TABLE `audit_records` (
	`tenant` text NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`job_id` text,
	`actor` text,
	`decision` text,
	`rule_id` text,
	`reason` text,
	`risk_tags` text NOT NULL,
	`capability` text,
	`snapshot_hash` text,
	`request_hash` text,
	`detail` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`tenant`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `audit_tenant_at` ON `audit_records` (`tenant`,`at`);--> statement-breakpoint
CREATE INDEX `audit_tenant_job` ON `audit_records` (`tenant`,`job_id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`tenant` text NOT NULL,
	`id` text NOT NULL,
	`client_id` text,
	`created_at` text NOT NULL,
	`state` text NOT NULL,
	`decision` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`job` text NOT NULL,
	PRIMARY KEY(`tenant`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_tenant_client` ON `jobs` (`tenant`,`client_id`);