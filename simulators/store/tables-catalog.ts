/** The self-service tables: catalogue requests and their items (SM-04..06), and the knowledge base (SM-08). */
import { fieldDef as f, type TableDef } from './table-def';

export const SC_REQUEST: TableDef = {
  name: 'sc_request',
  from: 'sc_request',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC, number ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    number: f('number', 'string'),
    requested_for: f('requested_for', 'reference', 'sys_user'),
    sys_created_on: f('sys_created_on', 'datetime'),
    sys_created_by: f('sys_created_by', 'string'),
  },
};

export const SC_REQ_ITEM: TableDef = {
  name: 'sc_req_item',
  from: 'sc_req_item',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC, number ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    number: f('number', 'string'),
    request: f('request_id', 'reference', 'sc_request'),
    cat_item: f('cat_item', 'string'),
    short_description: f('short_description', 'string'),
    variables: f('variables::text', 'string'),
    state: f('state', 'string'),
    rejection_reason: f('rejection_reason', 'string'),
    row_problems: f('row_problems::text', 'string'),
    sys_created_on: f('sys_created_on', 'datetime'),
    sys_created_by: f('sys_created_by', 'string'),
    sys_updated_on: f('sys_updated_on', 'datetime'),
  },
};

/** Knowledge articles: one set for every party (SM-08). */
export const KB_KNOWLEDGE: TableDef = {
  name: 'kb_knowledge',
  from: 'knowledge_article',
  partyColumn: null,
  defaultOrder: 'number ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    number: f('number', 'string'),
    short_description: f('short_description', 'string'),
    text: f('text', 'string'),
    category: f('category', 'string'),
    published: f('published_on', 'datetime'),
  },
};
