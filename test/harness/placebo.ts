// Reads Cloud Custodian placebo recordings ({status_code, data}) in place, datetimes revived as the SDK's Dates.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PlaceboRecording {
  readonly file: string;
  readonly statusCode: number;
  readonly data: unknown;
}

/** Placebo writes a datetime as {"__class__": "datetime", year, month, day, hour, …}; botocore's are UTC. */
function reviveDatetime(_key: string, value: unknown): unknown {
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as { __class__?: unknown }).__class__ !== 'datetime'
  )
    return value;
  const parts = value as Record<string, unknown>;
  const part = (name: string): number => {
    const field = parts[name];
    return typeof field === 'number' ? field : 0;
  };
  return new Date(
    Date.UTC(
      part('year'),
      part('month') - 1,
      part('day'),
      part('hour'),
      part('minute'),
      part('second'),
      Math.floor(part('microsecond') / 1000),
    ),
  );
}

export function readPlacebo(file: string): PlaceboRecording {
  const parsed = JSON.parse(readFileSync(file, 'utf8'), reviveDatetime) as {
    status_code?: unknown;
    data?: unknown;
  };
  if (typeof parsed.status_code !== 'number')
    throw new Error(`${file}: not a placebo recording (no status_code)`);
  return { file, statusCode: parsed.status_code, data: parsed.data };
}

/** Every recording of one operation (e.g. "ec2.DescribeVolumes") under a placebo directory, sorted by path. */
export function placeboRecordings(placeboDir: string, operation: string): PlaceboRecording[] {
  const pattern = new RegExp(`^${operation.replace(/\./g, '\\.')}_\\d+\\.json$`);
  const files: string[] = [];
  for (const testDir of readdirSync(placeboDir, { withFileTypes: true })) {
    if (!testDir.isDirectory()) continue;
    for (const name of readdirSync(join(placeboDir, testDir.name))) {
      if (pattern.test(name)) files.push(join(placeboDir, testDir.name, name));
    }
  }
  return files.sort().map(readPlacebo);
}
