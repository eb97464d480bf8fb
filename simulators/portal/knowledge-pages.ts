/**
 * Knowledge and nominated contacts (SM-08) in the Service Portal: search articles (`?id=kb_search&q=`),
 * read one (`?id=kb_article&sys_id=`), and the party's nominated contacts (`?id=contacts`). The
 * old /portal/knowledge and /portal/contacts addresses redirect.
 */
import { Router } from 'express';
import { escapeHtml as e } from '../http/html';
import type { SimConfig } from '../config';
import type { Services } from '../services';
import { link, table } from './layout';
import { spPaths } from './sp-paths';
import { queryText, type SpPage } from './sp-router';

const date = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export function knowledgePages(
  config: SimConfig,
  { knowledge, contacts, requests, records }: Services,
): { router: Router; pages: Map<string, SpPage> } {
  const router = Router();
  const sp = spPaths(config.portal.prefix);

  const search: SpPage = async ({ caller, req }) => {
    const words = queryText(req, 'q');
    const form = `<form method="get" action="${e(sp.home)}" role="search" aria-label="Knowledge articles"><input type="hidden" name="id" value="kb_search"><label for="f-q">Search knowledge articles</label><input id="f-q" name="q" type="search" value="${e(words)}"><button type="submit">Search</button></form>`;
    // Searched even when empty: the search is where reading knowledge is checked, for the bare page too.
    const found = await knowledge.search(caller, words);
    if (!words.trim()) return { title: 'Knowledge', body: form };
    const list = found.length
      ? `<h2 id="results">Articles that mention "${e(words)}"</h2><ul aria-labelledby="results">${found.map((a) => `<li>${link(sp.page('kb_article', { sys_id: a.sys_id }), a.short_description)}</li>`).join('')}</ul>`
      : `<h2>No articles mention "${e(words)}"</h2>`;
    return { title: 'Knowledge', body: `${form}${list}` };
  };

  const article: SpPage = async ({ caller, req }) => {
    const row = await records.read(caller, 'kb_knowledge', queryText(req, 'sys_id', 64));
    const paragraphs = String(row.text ?? '')
      .split(/\n{2,}/)
      .map((p) => `<p>${e(p)}</p>`)
      .join('');
    return {
      title: String(row.short_description ?? ''),
      body: `<p>${e(String(row.number ?? ''))} · ${e(String(row.category ?? ''))}</p><article aria-label="Article">${paragraphs}</article><p>${link(sp.page('kb_search'), 'Search knowledge')}</p>`,
    };
  };

  const nominated: SpPage = async ({ caller }) => {
    const rows = (await contacts.list(caller)).map((c) => [e(c.role), e(c.name), e(c.email), e(date(c.updated_on))]);
    const change = requests.catalog(caller).find((i) => i.onFulfil === 'nominated-contact');
    const how = change ? `<p>${link(sp.page('sc_cat_item', { sys_id: change.sys_id }), 'Ask DCC to change a nominated contact')}</p>` : '';
    return {
      title: 'Nominated contacts',
      body: `${table("Your party's nominated contacts", ['Role', 'Name', 'Email', 'Updated'], rows, 'DCC holds no nominated contacts for your party.')}${how}`,
    };
  };

  router.get('/knowledge', (req, res) => res.redirect(301, sp.page('kb_search', queryText(req, 'q') ? { q: queryText(req, 'q') } : {})));
  router.get('/contacts', (_req, res) => res.redirect(301, sp.page('contacts')));
  const pages = new Map<string, SpPage>([
    ['kb_search', search],
    ['kb_article', article],
    ['contacts', nominated],
  ]);
  return { router, pages };
}
