/*
 * The fleet simulator's own thread in the example backend (see index.ts). It starts the
 * simulator with the options it was given, says where it listens, and stops it when asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator } from '@multicloud-gitops-backstage/fleet-simulator';
import type { SimulatorConfig } from './config';

/** What the simulator's thread tells the backend. */
export type SimulatorThreadMessage =
  | { type: 'ready'; url: string }
  | { type: 'log'; line: string }
  | {
      type: 'failed';
      message: string;
      code?: string;
      port?: number;
      syscall?: string;
    };

const post = (m: SimulatorThreadMessage) => parentPort!.postMessage(m);

startSimulator({
  ...(workerData as SimulatorConfig),
  logger: line => post({ type: 'log', line }),
}).then(
  simulator => {
    post({ type: 'ready', url: simulator.url });
    parentPort!.on('message', async (m: unknown) => {
      if (m !== 'stop') return;
      await simulator.stop();
      // Closing the port ends the thread; the backend waits for that exit.
      parentPort!.close();
    });
  },
  (e: NodeJS.ErrnoException & { port?: number }) => {
    post({
      type: 'failed',
      message: e?.message ?? String(e),
      code: e?.code,
      port: e?.port,
      syscall: e?.syscall,
    });
    parentPort!.close();
  },
);
