import { InputError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DNS1123_LABEL,
  DNS1123_MAX,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import type { z as zod } from 'zod/v3';
import {
  EditPlan,
  PathTraversalError,
  PatternIssue,
  PatternValidationError,
  formatIssue,
  renderDiff,
  resolveInside,
} from '../pattern';

/** The pattern checkout inside the workspace; refuses paths that leave it. */
export function workspaceDir(
  workspacePath: string,
  sourcePath?: string,
): string {
  if (!sourcePath || sourcePath === '.') {
    return workspacePath;
  }
  try {
    return resolveInside(workspacePath, sourcePath, 'sourcePath');
  } catch (e) {
    if (e instanceof PathTraversalError) {
      throw new InputError(e.message);
    }
    throw e;
  }
}

/**
 * Library refusals become InputErrors (the user's input or repository is at
 * fault, not the server), with every finding in the message.
 */
export async function asInputErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (
      e instanceof PatternValidationError ||
      e instanceof PathTraversalError
    ) {
      throw new InputError(e.message);
    }
    throw e;
  }
}

export function logIssues(logger: LoggerService, issues: PatternIssue[]): void {
  for (const issue of issues) {
    if (issue.severity === 'error') {
      logger.error(formatIssue(issue));
    } else {
      logger.warn(formatIssue(issue));
    }
  }
}

export function logPlan(logger: LoggerService, plan: EditPlan): string {
  logIssues(logger, plan.validation.warnings);
  for (const note of plan.notes) {
    logger.info(note);
  }
  const diff = renderDiff(plan.changes);
  if (diff) {
    logger.info(`changes:\n${diff}`);
  }
  return diff;
}

/**
 * Input schema of a name that becomes a namespace or hostname: the DNS-1123
 * label rule from -common, so the actions accept what the pattern library and
 * the frontend's form field accept.
 */
export function dns1123Label(z: typeof zod) {
  return z.string().regex(DNS1123_LABEL).max(DNS1123_MAX);
}

/** zod-free record check for label maps from templates. */
export function stringRecord(
  value: unknown,
  name: string,
): Record<string, string> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${name} must be a map of strings`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new InputError(`${name}.${k} must be a string`);
    }
    out[k] = v;
  }
  return out;
}
