#!/usr/bin/env node
// Entry point: runs the built CLI (npm run build compiles to dist/ and bundles that into dist/bundle/).
import('../dist/bundle/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bundle/main.js')) {
    console.error('leuko: not built yet; run `npm run build` first (or `npx tsx src/cli/main.ts`).');
    process.exit(70);
  }
  throw error;
});
