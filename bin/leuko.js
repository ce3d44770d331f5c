#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm run build produces dist/).
import('../dist/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    console.error('leuko: not built yet; run `npm run build` first (or `npx tsx src/cli/main.ts`).');
    process.exit(70);
  }
  throw error;
});
