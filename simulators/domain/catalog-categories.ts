/**
 * The service catalogue's categories (ServiceNow's sc_category), as the portal's catalogue groups its
 * items. Data, kept beside the catalogue: an item in no category is listed under "Other".
 */
export interface CatalogCategory {
  title: string;
  description: string;
  items: readonly string[];
}

export const CATALOG_CATEGORIES: readonly CatalogCategory[] = [
  {
    title: 'Files and data',
    description: 'Signed files that DCC processes by workflow (SM-05, SM-06).',
    items: ['a1d7c0de0000000000000000000000a1', 'a1d7c0de0000000000000000000000a2'],
  },
  {
    title: 'Communications Hubs',
    description: 'Moving Communications Hubs between parties (OMS-10).',
    items: ['a1d7c0de0000000000000000000000a3'],
  },
  {
    title: 'Your organisation',
    description: 'What DCC holds about your party (SM-08).',
    items: ['a1d7c0de0000000000000000000000a4'],
  },
];

/** The items in each category, in catalogue order; categories with none of them are left out. */
export function byCategory<T extends { sys_id: string }>(items: readonly T[]): { category: CatalogCategory; items: T[] }[] {
  const placed = new Set(CATALOG_CATEGORIES.flatMap((c) => c.items));
  const other: CatalogCategory = { title: 'Other', description: 'Everything else you can order.', items: [] };
  return [
    ...CATALOG_CATEGORIES.map((category) => ({ category, items: items.filter((i) => category.items.includes(i.sys_id)) })),
    { category: other, items: items.filter((i) => !placed.has(i.sys_id)) },
  ].filter((c) => c.items.length > 0);
}
