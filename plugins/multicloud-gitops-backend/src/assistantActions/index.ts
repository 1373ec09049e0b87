/*
 * The plugin's actions in Backstage's actions registry, for AI assistants (over MCP) and
 * other callers of the actions service.
 */
import { registerReadActions, ReadActionOptions } from './readActions';
import { registerSyncAction, SyncActionOptions } from './syncAction';

export function registerAssistantActions(
  options: ReadActionOptions & SyncActionOptions,
) {
  registerReadActions(options);
  registerSyncAction(options);
}
