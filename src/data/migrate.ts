// Versioned migrations, run at start and by `gridwork migrate`. New migrations are appended to the list.
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import { sql } from 'kysely';
import type { Db } from './db.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_workflow.js';
import * as m0003 from './migrations/0003_calendar.js';
import * as m0004 from './migrations/0004_geography.js';
import * as m0005 from './migrations/0005_intake.js';
import * as m0006 from './migrations/0006_command_centre.js';
import * as m0007 from './migrations/0007_stats_covering.js';
import * as m0008 from './migrations/0008_calendar_years.js';
import * as m0012 from './migrations/0012_administration.js';
import * as m0009 from './migrations/0009_hardening.js';
import * as m0011 from './migrations/0011_speed.js';
import * as m0013 from './migrations/0013_user_scopes.js';
import * as m0015 from './migrations/0015_assessment.js';
import * as m0016 from './migrations/0016_hazards.js';
import * as m0020 from './migrations/0020_assessment_speed.js';
import * as m0022 from './migrations/0022_notice_messages.js';
import * as m0023 from './migrations/0023_checklists_plans_edit.js';
import * as m0021 from './migrations/0021_queue_unsatisfied.js';
import * as m0028 from './migrations/0028_list_counts.js';
import * as m0018 from './migrations/0018_enterprise_registry.js';
import * as m0017 from './migrations/0017_admin_completion.js';
import * as m0019 from './migrations/0019_hazard_notices_plans.js';
import * as m0027 from './migrations/0027_stats_open.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_workflow': m0002,
  '0003_calendar': m0003,
  '0004_geography': m0004,
  '0005_intake': m0005,
  '0006_command_centre': m0006,
  '0007_stats_covering': m0007,
  '0008_calendar_years': m0008,
  '0012_administration': m0012,
  '0009_hardening': m0009,
  '0011_speed': m0011,
  '0013_user_scopes': m0013,
  '0015_assessment': m0015,
  '0016_hazards': m0016,
  '0020_assessment_speed': m0020,
  '0022_notice_messages': m0022,
  '0023_checklists_plans_edit': m0023,
  '0021_queue_unsatisfied': m0021,
  '0028_list_counts': m0028,
  '0018_enterprise_registry': m0018,
  '0017_admin_completion': m0017,
  '0019_hazard_notices_plans': m0019,
  '0027_stats_open': m0027,
};

class StaticProvider implements MigrationProvider {
  async getMigrations() {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  // Kysely looks for its bookkeeping tables across all schemas; name ours, so two schemas of one database
  // (tests on PostgreSQL) never mistake each other's tables for their own.
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]!.s;
  const migrator = new Migrator({ db, provider: new StaticProvider(), migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Runs the migrations up to and including `name` (tests of a data migration start from the schema before it). */
export async function migrateUpTo(db: Db, name: string): Promise<void> {
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]!.s;
  const migrator = new Migrator({ db, provider: new StaticProvider(), migrationTableSchema: schema });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
