import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Thrown when a caller-supplied path would leave its root. Kept distinct so the
 * CLI can exit 2 (usage) and actions can report an InputError.
 */
export class PathTraversalError extends Error {
  constructor(what: string, value: string, root: string) {
    super(
      `${what} "${value}" points outside ${root}; give a relative path inside it without ".." segments`,
    );
    this.name = 'PathTraversalError';
  }
}

/**
 * Resolves a relative path against a root and refuses anything that escapes it:
 * absolute paths, `..` segments, NUL bytes and backslashes (which other tools
 * treat as separators).
 */
export function resolveInside(
  root: string,
  relative: string,
  what = 'path',
): string {
  if (
    typeof relative !== 'string' ||
    relative.includes('\0') ||
    relative.includes('\\') ||
    path.isAbsolute(relative) ||
    relative.split('/').some(seg => seg === '..')
  ) {
    throw new PathTraversalError(what, String(relative), root);
  }
  const resolvedRoot = path.resolve(root);
  const resolved = path.resolve(resolvedRoot, relative);
  const rel = path.relative(resolvedRoot, resolved);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new PathTraversalError(what, relative, root);
  }
  return resolved;
}

/**
 * Like resolveInside, but also follows symlinks that already exist so a link
 * inside the checkout cannot make us read or overwrite a file elsewhere.
 */
export async function resolveInsideReal(
  root: string,
  relative: string,
  what = 'path',
): Promise<string> {
  const resolved = resolveInside(root, relative, what);
  const realRoot = await fs.realpath(root);
  let probe = resolved;
  // Walk up to the nearest existing ancestor; new files are fine as long as
  // their directory is inside the root.
  for (;;) {
    try {
      const real = await fs.realpath(probe);
      const rel = path.relative(realRoot, real);
      if (rel.startsWith('..') || path.isAbsolute(rel)) {
        throw new PathTraversalError(what, relative, root);
      }
      return resolved;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw e;
      }
      const parent = path.dirname(probe);
      if (parent === probe) {
        return resolved;
      }
      probe = parent;
    }
  }
}

/** Relative POSIX-style paths written into values files (e.g. chart paths). */
export function checkRepoRelativePath(value: string): string | undefined {
  if (
    value.length === 0 ||
    value.includes('\0') ||
    value.includes('\\') ||
    value.startsWith('/') ||
    value.split('/').some(seg => seg === '..')
  ) {
    return `path "${value}" must be relative to the pattern repository (e.g. charts/all/my-app) without ".." segments`;
  }
  return undefined;
}
