/*
 * The fleet simulator's own thread in the example backend (see index.ts). It starts the
 * simulated hubs with the options it was given, says where they listen, and stops them all
 * when asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SimulatorConfig } from './config';
import { startConfiguredHubs } from './start';

/** What the simulator's thread tells the backend. */
export type SimulatorThreadMessage =
  | { type: 'ready'; urls: string[] }
  | { type: 'log'; line: string }
  | {
      type: 'failed';
      message: string;
      code?: string;
      port?: number;
      syscall?: string;
    };

const post = (m: SimulatorThreadMessage) => parentPort!.postMessage(m);

startConfiguredHubs(workerData as SimulatorConfig, line =>
  post({ type: 'log', line }),
).then(
  simulator => {
    post({ type: 'ready', urls: simulator.urls });
    parentPort!.on('message', async (m: unknown) => {
      if (m === 'follow') {
        simulator.followLocalGit().then(
          () =>
            post({
              type: 'log',
              line: 'the seeded Pattern follows the local repository',
            }),
          (e: Error) => post({ type: 'log', line: e.message }),
        );
        return;
      }
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
