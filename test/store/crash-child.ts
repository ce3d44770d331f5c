// Child process of the crash test: applies listing after listing to a store until it is killed.
// Usage: node --import tsx test/store/crash-child.ts <db> <first generation> <first scope index>
import { writeSync } from 'node:fs';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { CRASH_ACCOUNT, CRASH_SCOPES, crashListing } from './crash-fixtures.js';

const [path, fromArg, scopeArg] = process.argv.slice(2);
if (path === undefined || fromArg === undefined || scopeArg === undefined) {
  throw new Error('usage: crash-child.ts <db> <first generation> <first scope index>');
}

// Written synchronously to fd 1, so the parent has every line the child wrote before SIGKILL.
function say(line: string): void {
  writeSync(1, `${line}\n`);
}

// A parent that dies without killing us must not leave us writing forever.
const deadline = Date.now() + 60_000;
const store = await openSqliteStore(path);
const scanId = await store.beginScan({
  accounts: [CRASH_ACCOUNT],
  regions: CRASH_SCOPES.map((scope) => String(scope.region)),
  types: ['aws.ec2.security-group'],
});
say('ready');
let firstScope = Number(scopeArg);
for (let generation = Number(fromArg); Date.now() < deadline; generation += 1) {
  for (let index = firstScope; index < CRASH_SCOPES.length; index += 1) {
    const scope = CRASH_SCOPES[index];
    if (scope === undefined) continue;
    const listing = crashListing(scope, generation);
    say(`begin ${generation} ${index}`);
    await store.applyListing(scope, listing, { scanId, at: new Date().toISOString() });
    say(`applied ${generation} ${index}`);
  }
  firstScope = 0;
}
await store.close();
