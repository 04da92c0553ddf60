// Worker Versioning: every worker of a process belongs to one Worker Deployment Version
// (deployment name + build id). Temporal then sends a pinned workflow's tasks, and the activities it
// schedules on queues this version polls, only to workers of the build that started it, so a
// rollout never replays a running order on code it did not start with (docs/operating.md, "Rolling
// out a new build"). Which workflows are pinned is declared beside each workflow (setWorkflowOptions).
import type { NativeConnection, WorkerDeploymentOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { WorkerDeployment } from '../shared/config.js';

export type { WorkerDeployment };

/** Options for Worker.create: versioned, with PINNED for workflows that do not declare a behavior. */
export function workerDeploymentOptions(
  d: Pick<WorkerDeployment, 'deploymentName' | 'buildId'>,
): WorkerDeploymentOptions {
  return {
    version: { deploymentName: d.deploymentName, buildId: d.buildId },
    useWorkerVersioning: true,
    defaultVersioningBehavior: 'PINNED',
  };
}

/**
 * Makes this build the Current Version when `promote` says so. Waits (up to `timeoutMs`) until the
 * server knows the version, which happens once this process's workers have polled.
 */
export async function promoteIfWanted(opts: {
  connection: Pick<NativeConnection, 'workflowService'>;
  namespace: string;
  deployment: WorkerDeployment;
  logger?: Logger;
  identity?: string;
  timeoutMs?: number;
}): Promise<'promoted' | 'already current' | 'left to the operator'> {
  const { connection, namespace, deployment: d } = opts;
  if (d.promote === 'never') return 'left to the operator';
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    try {
      const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
        namespace,
        deploymentName: d.deploymentName,
      });
      const current = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId;
      const known = (workerDeploymentInfo?.versionSummaries ?? []).some(
        (v) => v.deploymentVersion?.buildId === d.buildId,
      );
      if (current === d.buildId) return 'already current';
      if (d.promote === 'first' && current) return 'left to the operator';
      if (known) {
        await connection.workflowService.setWorkerDeploymentCurrentVersion({
          namespace,
          deploymentName: d.deploymentName,
          buildId: d.buildId,
          identity: opts.identity ?? 'worker start-up',
        });
        opts.logger?.info(
          { deployment: d.deploymentName, buildId: d.buildId },
          'this build is now the current version of the worker deployment',
        );
        return 'promoted';
      }
    } catch (err) {
      // NOT_FOUND until the first poll registers the deployment; a concurrent change is retried.
      if (Date.now() > deadline)
        throw new Error(
          `could not make build ${d.buildId} current in worker deployment ${d.deploymentName}: ${(err as Error).message}`,
          { cause: err },
        );
    }
    if (Date.now() > deadline)
      throw new Error(
        `worker deployment ${d.deploymentName} did not register build ${d.buildId} within ${(opts.timeoutMs ?? 60_000) / 1000} s`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}
