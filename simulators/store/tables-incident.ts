/**
 * The incident table (SM-01..03) and what the Table API shows of every record: its comments (the
 * journal) and its attachments' metadata.
 */
import { STATE_LABELS } from '../domain/incident';
import { choiceField, fieldDef as f, type TableDef } from './table-def';

/** ServiceNow's labels of the incident's choice fields (what sysparm_display_value shows). */
const LEVELS = { 1: '1 - High', 2: '2 - Medium', 3: '3 - Low' };
const PRIORITIES = { 1: '1 - Critical', 2: '2 - High', 3: '3 - Moderate', 4: '4 - Low', 5: '5 - Planning' };

export const INCIDENT: TableDef = {
  name: 'incident',
  from: 'incident',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC, number ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    number: f('number', 'string'),
    caller_id: f('caller_id', 'reference', 'sys_user'),
    company: f('party_id', 'reference', 'core_company'),
    short_description: f('short_description', 'string'),
    description: f('description', 'string'),
    category: f('category', 'string'),
    impact: choiceField('impact', LEVELS),
    urgency: choiceField('urgency', LEVELS),
    priority: choiceField('priority', PRIORITIES),
    state: choiceField('state', STATE_LABELS),
    incident_state: choiceField('state', STATE_LABELS),
    active: f('active', 'boolean'),
    on_hold_reason: f('on_hold_reason', 'string'),
    assignment_group: f('assignment_group', 'string'),
    close_notes: f('close_notes', 'string'),
    resolved_at: f('resolved_at', 'datetime'),
    closed_at: f('closed_at', 'datetime'),
    sys_created_on: f('sys_created_on', 'datetime'),
    sys_created_by: f('sys_created_by', 'string'),
    sys_updated_on: f('sys_updated_on', 'datetime'),
    sys_updated_by: f('sys_updated_by', 'string'),
    sys_mod_count: f('sys_mod_count', 'integer'),
    affected_service: f('affected_service', 'string'),
    target_resolution_at: f('target_resolution_at', 'datetime'),
    reopen_count: f('reopen_count', 'integer'),
    legacy_number: f('legacy_number', 'string'),
  },
};

/** Comments on records, as ServiceNow's journal; a User's reads never include DCC's work notes. */
export const SYS_JOURNAL_FIELD: TableDef = {
  name: 'sys_journal_field',
  from: 'journal_entry',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC',
  always: "element = 'comments'",
  fields: {
    sys_id: f('sys_id', 'string'),
    name: f('table_name', 'string'),
    element_id: f('element_id', 'string'),
    element: f('element', 'string'),
    value: f('value', 'string'),
    sys_created_by: f('sys_created_by', 'string'),
    sys_created_on: f('sys_created_on', 'datetime'),
  },
};

/** Attachments' metadata, as ServiceNow's Attachment API lists it (the bytes are fetched by /file). */
export const SYS_ATTACHMENT: TableDef = {
  name: 'sys_attachment',
  from: 'attachment',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    file_name: f('file_name', 'string'),
    content_type: f('content_type', 'string'),
    size_bytes: f('size_bytes', 'integer'),
    hash: f('hash', 'string'),
    table_name: f('table_name', 'string'),
    table_sys_id: f('table_sys_id', 'string'),
    sys_created_by: f('sys_created_by', 'string'),
    sys_created_on: f('sys_created_on', 'datetime'),
  },
};
