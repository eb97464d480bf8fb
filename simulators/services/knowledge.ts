/**
 * Knowledge articles (SM-08), the same for every party, seeded from fixtures/knowledge.json when the
 * store has none. Searched through the Table API (`kb_knowledge` with sysparm_query ...LIKE...) and the
 * portal's knowledge page, which runs the same query.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatNumber, newSysId } from '../domain/ids';
import { parseEncodedQuery } from '../domain/encoded-query';
import { listRecords } from '../store/records';
import { KB_KNOWLEDGE } from '../store/tables';
import type { Caller, Core } from './context';

const Articles = z.array(z.object({ short_description: z.string().min(1), category: z.string().min(1), text: z.string().min(1) }).strict());
const SOURCE = join(__dirname, '..', '..', 'fixtures', 'knowledge.json');

export async function seedKnowledge(core: Core, source = SOURCE): Promise<number> {
  const [{ n } = { n: 0 }] = await core.db.query<{ n: number }>('SELECT count(*)::int AS n FROM knowledge_article');
  if (n > 0) return 0;
  const articles = Articles.parse(JSON.parse(readFileSync(source, 'utf8')));
  const now = core.clock.now();
  await core.db.transaction(async (tx) => {
    for (const a of articles) {
      const [{ seq } = { seq: 0 }] = await tx.query<{ seq: number }>("SELECT nextval('knowledge_number')::int AS seq");
      await tx.query('INSERT INTO knowledge_article (sys_id, number, short_description, text, category, published_on) VALUES ($1, $2, $3, $4, $5, $6)', [
        newSysId(), formatNumber('KB', seq), a.short_description, a.text, a.category, now,
      ]);
    }
  });
  return articles.length;
}

/** Articles whose title or text mention `words`, as the Table API's `short_descriptionLIKE...^ORtextLIKE...` finds them. */
export async function searchKnowledge(core: Core, caller: Caller, words: string, limit = 50): Promise<{ sys_id: string; number: string; short_description: string; category: string }[]> {
  core.roles.require(caller.roles, 'knowledge.read');
  const term = words.trim().slice(0, 200).replace(/\^/g, '^^');
  if (!term) return [];
  const query = parseEncodedQuery(`short_descriptionLIKE${term}^ORtextLIKE${term}`);
  const page = await listRecords(core.db, KB_KNOWLEDGE, caller.partyId, { query, limit, offset: 0, fields: ['sys_id', 'number', 'short_description', 'category'] });
  return page.rows.map((r) => ({ sys_id: String(r.sys_id), number: String(r.number), short_description: String(r.short_description), category: String(r.category) }));
}
