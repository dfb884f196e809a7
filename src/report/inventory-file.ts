import { writeFileSync } from 'node:fs';
import type { InventoryRow } from '../model/identity.js';
import { UsageError } from '../cli/errors.js';

/** The inventory columns, in CSV order (README "Inventory"). */
export const INVENTORY_COLUMNS = ['kind', 'id', 'name', 'provider', 'owner', 'created', 'lastUsed', 'ageDays', 'status', 'privilege', 'permissions', 'where', 'findings', 'highestScore'] as const;

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  // Quote when needed; a leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function inventoryCsv(rows: InventoryRow[]): string {
  const lines = [INVENTORY_COLUMNS.join(',')];
  for (const r of rows) lines.push(INVENTORY_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Write the inventory as CSV (by extension) or JSON. */
export function writeInventory(path: string, rows: InventoryRow[]): void {
  const text = /\.csv$/i.test(path) ? inventoryCsv(rows) : `${JSON.stringify({ inventory: rows }, null, 2)}\n`;
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
