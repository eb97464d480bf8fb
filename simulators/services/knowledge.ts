/**
 * Knowledge articles (SM-08), the same for every party, seeded from fixtures/knowledge.json when the
 * store has none. Searched through the Table API (`kb_knowledge` with sysparm_query ...LIKE...) and the
 * portal's knowledge page, which runs the same query.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatNumber, newSysId } from '../domain/ids';
import type { Caller, Core } from './context';
import type { RecordService } from './records';

const Articles = z.array(z.object({ short_description: z.string().min(1), category: z.string().min(1), text: z.string().min(1) }).strict());
const SOURCE = join(__dirname, '..', '..', 'fixtures', 'knowledge.json');

/** Seeds the articles when the store has none; answers how many were added. */
export async function seedKnowledge(core: Core, source = SOURCE): Promise<number> {
  const [{ n } = { n: 0 }] = await core.db.query<{ n: number }>('SELECT count(*)::int AS n FROM knowledge_article');
  if (n > 0) return 0;
  const articles = Articles.parse(JSON.parse(readFileSync(source, 'utf8')));
  const now = core.clock.now();
  await core.db.transaction(async (tx) => {
    for (const a of articles) {
      const [{ seq } = { seq: 0 }] = await tx.query<{ seq: number }>("SELECT nextval('knowledge_number')::int AS seq");
      await tx.query(
        'INSERT INTO knowledge_article (sys_id, number, short_description, text, category, published_on) VALUES ($1, $2, $3, $4, $5, $6)',
        [newSysId(), formatNumber('KB', seq), a.short_description, a.text, a.category, now],
      );
    }
  });
  return articles.length;
}

export class KnowledgeService {
  constructor(
    private readonly core: Core,
    private readonly records: RecordService,
  ) {}

  seed(source = SOURCE): Promise<number> {
    return seedKnowledge(this.core, source);
  }

  /** Articles whose title or text mention `words`, as the Table API's `short_descriptionLIKE...^ORtextLIKE...` finds them. */
  async search(
    caller: Caller,
    words: string,
    limit = 50,
  ): Promise<{ sys_id: string; number: string; short_description: string; category: string }[]> {
    this.records.table(caller, 'kb_knowledge', 'read');
    const term = words.trim().slice(0, 200).replace(/\^/g, '^^');
    if (!term) return [];
    const fields = ['sys_id', 'number', 'short_description', 'category'];
    const page = await this.records.list(caller, 'kb_knowledge', {
      query: `short_descriptionLIKE${term}^ORtextLIKE${term}`,
      limit,
      offset: 0,
      fields,
    });
    return page.rows.map((r) => ({
      sys_id: String(r.sys_id),
      number: String(r.number),
      short_description: String(r.short_description),
      category: String(r.category),
    }));
  }
}
