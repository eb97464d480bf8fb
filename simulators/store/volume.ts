/**
 * Volume data for benchmarks and rehearsals at scale (`fsm-harness sim --seed-volume N`): parties,
 * one administrator each, and N incidents spread over them with realistic states and priorities,
 * made inside the database with generate_series so that 300,000 rows take seconds, not minutes.
 */
import type { Db } from './db';

export interface VolumeResult {
  parties: number;
  incidents: number;
  ms: number;
}

export async function seedVolume(db: Db, incidents: number, parties = 100, passwordHash = 'volume-seed-no-login'): Promise<VolumeResult> {
  const started = Date.now();
  await db.transaction(async (tx) => {
    const batch = `vol${Date.now().toString(36)}`;
    await tx.query(
      `INSERT INTO party (id, name, user_roles, regions, gateway_connected, created_at)
       SELECT md5($1 || i), 'Volume Party ' || $1 || '-' || i, ARRAY['IS'], ARRAY['North'], true, now() FROM generate_series(1, $2::int) AS i`,
      [batch, parties],
    );
    await tx.query(
      `INSERT INTO account (id, party_id, username, display_name, password_hash, password_must_change, status, identity_path, roles, created_at, updated_at)
       SELECT md5('acct' || $1 || i), md5($1 || i), 'admin' || i || '@' || $1 || '.volume.example', 'Volume Admin ' || i, $3, false, 'active', 'local',
         ARRAY['ORG_ADMIN', 'SERVICE_USER'], now(), now()
       FROM generate_series(1, $2::int) AS i`,
      [batch, parties, passwordHash],
    );
    await tx.query(
      `INSERT INTO incident (sys_id, number, party_id, caller_id, short_description, description, category, impact, urgency, priority, state, active,
         assignment_group, sys_created_on, sys_created_by, sys_updated_on, sys_updated_by, sys_mod_count)
       SELECT md5('inc' || $1 || i), 'INC' || lpad(nextval('incident_number')::text, 7, '0'), md5($1 || (1 + i % $2)), md5('acct' || $1 || (1 + i % $2)),
         'Volume incident ' || i, '', 'inquiry', 1 + i % 3, 1 + (i / 3) % 3,
         CASE (1 + i % 3) + (1 + (i / 3) % 3) WHEN 2 THEN 1 WHEN 3 THEN 2 WHEN 4 THEN 3 WHEN 5 THEN 4 ELSE 5 END,
         (ARRAY[1, 2, 3, 6, 7, 8])[1 + i % 6], (i % 6) < 4, 'DCC Service Desk',
         now() - make_interval(mins => i), 'volume', now() - make_interval(mins => i), 'volume', 0
       FROM generate_series(1, $3::int) AS i`,
      [batch, parties, incidents],
    );
  });
  await db.exec('ANALYZE incident');
  return { parties, incidents, ms: Date.now() - started };
}
