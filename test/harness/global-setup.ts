// Starts one moto server for the whole test run and hands its endpoint to every test file.
import type { TestProject } from 'vitest/node';
import { startMotoServer, type MotoServer } from '../../src/demo/moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

let server: MotoServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startMotoServer({ log: (line) => console.log(`[moto] ${line}`) });
  project.provide('motoEndpoint', server.endpoint);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
