import { PatternIssue, yamlPath } from './issues';
import { Shape } from './shapes';
import { isObj } from './yamlSafe';

type Segments = Array<string | number>;

function typeName(value: unknown): string {
  if (value === null || value === undefined) {
    return 'empty';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'a map';
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}

function matches(shape: Shape, value: unknown): boolean {
  switch (shape.kind) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value);
    case 'enum':
      return typeof value === 'string' && shape.values.includes(value);
    case 'union':
      return shape.of.some(s => matches(s, value));
    case 'list':
      return Array.isArray(value);
    case 'listOrMap':
      return (
        Array.isArray(value) ||
        isObj(value) ||
        (!!shape.nullable && value === null)
      );
    case 'object':
      return isObj(value) || (!!shape.nullable && value === null);
    default:
      return false;
  }
}

function expected(shape: Shape): string {
  switch (shape.kind) {
    case 'string':
      return 'a string (quote values such as 1.0 or 0.9.* that YAML would read as numbers)';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return 'an integer';
    case 'enum':
      return `one of ${shape.values.map(v => JSON.stringify(v)).join(', ')}`;
    case 'union':
      return shape.describe;
    case 'list':
      return 'a list';
    case 'listOrMap':
      return 'a map (recommended) or a list';
    case 'object':
      return 'a map';
    default:
      return 'a value';
  }
}

/**
 * Walks plain data against a Shape and reports every mismatch with its YAML
 * path. It reports all findings rather than stopping at the first, so a user
 * fixes a file in one pass.
 */
export function checkShape(
  value: unknown,
  shape: Shape,
  file: string,
  at: Segments,
  issues: PatternIssue[],
): void {
  const path = yamlPath(at);
  if (!matches(shape, value)) {
    issues.push({
      severity: 'error',
      file,
      path,
      message: `is ${typeName(value)}; it must be ${expected(shape)}`,
    });
    return;
  }
  if (shape.kind === 'union') {
    const first = shape.of.find(s => matches(s, value));
    if (first && first.kind !== 'union') {
      checkShape(value, first, file, at, issues);
    }
    return;
  }
  if (shape.kind === 'list') {
    (value as unknown[]).forEach((item, i) =>
      checkShape(item, shape.items, file, [...at, i], issues),
    );
    return;
  }
  if (shape.kind === 'listOrMap') {
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        checkShape(item, shape.items, file, [...at, i], issues),
      );
    } else if (isObj(value)) {
      for (const [k, item] of Object.entries(value)) {
        checkShape(item, shape.items, file, [...at, k], issues);
      }
    }
    return;
  }
  if (shape.kind !== 'object' || !isObj(value)) {
    return;
  }
  for (const req of shape.required ?? []) {
    if (value[req] === undefined || value[req] === null) {
      issues.push({
        severity: 'error',
        file,
        path: yamlPath([...at, req]),
        message: `is required; add ${req} under ${path || 'the top level'}`,
      });
    }
  }
  const allowed = Object.keys(shape.props);
  for (const [k, v] of Object.entries(value)) {
    const replacement = shape.deprecated?.[k];
    if (replacement) {
      issues.push({
        severity: 'warning',
        file,
        path: yamlPath([...at, k]),
        message: `is deprecated; use ${replacement} instead`,
      });
    }
    const propShape = shape.props[k];
    if (propShape) {
      // Empty values (`key:`) are how YAML spells "not set" and Helm treats
      // them as unset; required ones were reported above.
      if (v !== null) {
        checkShape(v, propShape, file, [...at, k], issues);
      }
      continue;
    }
    if (shape.additional === 'allow') {
      continue;
    }
    issues.push({
      severity: shape.additional === 'error' ? 'error' : 'warning',
      file,
      path: yamlPath([...at, k]),
      message: `is not an allowed key here; remove it or use one of: ${allowed.join(
        ', ',
      )}`,
    });
  }
}
