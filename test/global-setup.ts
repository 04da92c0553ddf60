// Starts one real Temporal dev server (the CLI from .tools/, with the project's search attributes)
// for the whole test run, and hands its address to the test files.
import type { TestProject } from 'vitest/node';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalBinaries } from '../shared/temporal-binaries.js';
import { allSearchAttributes } from '../shared/search-attributes.js';

let env: TestWorkflowEnvironment | undefined;

export async function setup(project: TestProject): Promise<void> {
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalBinaries().cli },
      searchAttributes: [...allSearchAttributes],
      log: { format: 'json', level: 'error' },
    },
  });
  project.provide('temporalAddress', env.address);
}

export async function teardown(): Promise<void> {
  await env?.teardown();
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}
