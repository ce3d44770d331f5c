// Child process for the bounded-memory test: reads one file and prints how many records it held.
import { readCloudTrailFile } from '../../../src/sources/cloudtrail/readers.js';

const path = process.argv[2];
if (!path) throw new Error('usage: read-count.ts <file>');
let records = 0;
let errors = 0;
for await (const _item of readCloudTrailFile(path, { onError: () => errors++ })) records++;
process.stdout.write(JSON.stringify({ records, errors, rss: process.memoryUsage().rss }));
