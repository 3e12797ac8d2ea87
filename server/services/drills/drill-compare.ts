export interface TableComparison {
  table: string;
  expectedRows: number | null;
  actualRows: number | null;
  expectedChecksum: string | null;
  actualChecksum: string | null;
  ok: boolean;
}

export interface DrillComparison {
  passed: boolean;
  tables: TableComparison[];
  /** One line per mismatch, for the job log and the badge's title. */
  problems: string[];
}

/**
 * Compares what the scratch database holds after a restore with what was recorded when the backup
 * was taken: every recorded table must exist with the same row count, no table may appear from
 * nowhere, and where both sides have a digest of the table's rows they must agree.
 */
export function compareDrill(
  expected: { rowCounts: Record<string, number>; checksums: Record<string, string> | null },
  actual: { rowCounts: Record<string, number>; checksums: Record<string, string> | null },
): DrillComparison {
  const names = [...new Set([...Object.keys(expected.rowCounts), ...Object.keys(actual.rowCounts)])].sort();
  const problems: string[] = [];
  const tables = names.map((table): TableComparison => {
    const expectedRows = expected.rowCounts[table] ?? null;
    const actualRows = actual.rowCounts[table] ?? null;
    const expectedChecksum = expected.checksums?.[table] ?? null;
    const actualChecksum = actual.checksums?.[table] ?? null;
    let ok = true;
    if (expectedRows === null) {
      ok = false;
      problems.push(`${table}: restored but not recorded in the backup`);
    } else if (actualRows === null) {
      ok = false;
      problems.push(`${table}: missing after restore (expected ${expectedRows} rows)`);
    } else if (expectedRows !== actualRows) {
      ok = false;
      problems.push(`${table}: ${actualRows} rows restored, ${expectedRows} recorded`);
    } else if (expectedChecksum !== null && actualChecksum !== null && expectedChecksum !== actualChecksum) {
      ok = false;
      problems.push(
        `${table}: the restored rows differ from the backup's (digest ${short(actualChecksum)} restored, ${short(expectedChecksum)} recorded)`,
      );
    }
    return { table, expectedRows, actualRows, expectedChecksum, actualChecksum, ok };
  });
  return { passed: problems.length === 0, tables, problems };
}

const short = (digest: string) => digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, "$1…");
