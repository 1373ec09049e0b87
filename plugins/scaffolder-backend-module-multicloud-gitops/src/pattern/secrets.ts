import fs from 'node:fs/promises';
import nodeFs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { parse } from 'yaml';
import { PatternCheckout } from './checkout';
import { PatternIssue, yamlPath } from './issues';
import { MAX_ALIAS_COUNT } from './yamlSafe';

/** Content that is a credential wherever it appears. */
const SECRET_PATTERNS: Array<{ re: RegExp; what: string }> = [
  { re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, what: 'a private key' },
  { re: /\bsha256~[A-Za-z0-9_-]{20,}/, what: 'an OpenShift access token' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{30,}/, what: 'a GitHub token' },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}/, what: 'a GitLab token' },
  { re: /\bAKIA[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  {
    re: /\bclient-(?:key|certificate)-data:\s*\S{20,}/,
    what: 'kubeconfig client credentials',
  },
  {
    re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
    what: 'a JSON web token (service account token)',
  },
];

/** YAML keys whose literal value is a credential. */
const SECRET_KEYS = new Set(
  [
    'password',
    'passwd',
    'token',
    'apitoken',
    'apikey',
    'api_key',
    'secretkey',
    'secret_key',
    'clientsecret',
    'client_secret',
    'privatekey',
    'private_key',
    'accesskey',
    'aws_secret_access_key',
    'kubeconfig',
    'serviceaccounttoken',
  ].map(k => k.toLowerCase()),
);

const TEXT_EXTENSIONS = new Set([
  '.yaml',
  '.yml',
  '.json',
  '.template',
  '.tpl',
  '.env',
  '.txt',
  '.sh',
  '.cfg',
  '.ini',
  '.conf',
  '.properties',
  '.toml',
  '',
]);

const MAX_FILES = 5000;
const MAX_FILE_BYTES = 512 * 1024;

function looksLikeReference(value: string): boolean {
  // Templated or indirect values are not secrets: Helm/tpl, scaffolder
  // placeholders, environment references and file paths to load from.
  return (
    value.includes('{{') ||
    value.includes('${') ||
    value.startsWith('~/') ||
    value.startsWith('/') ||
    value.startsWith('secret/')
  );
}

function scanYamlKeys(
  data: unknown,
  file: string,
  at: Array<string | number>,
  issues: PatternIssue[],
): void {
  if (Array.isArray(data)) {
    data.forEach((v, i) => scanYamlKeys(v, file, [...at, i], issues));
    return;
  }
  if (typeof data !== 'object' || data === null) {
    return;
  }
  const obj = data as Record<string, unknown>;
  // values-secret v2 format: fields[] {name, value}; a literal value for a
  // credential-like field means the secret itself is in git.
  if (
    typeof obj.name === 'string' &&
    typeof obj.value === 'string' &&
    obj.value !== '' &&
    /pass|token|secret|key|cred/i.test(obj.name) &&
    !looksLikeReference(obj.value) &&
    at.some(s => s === 'fields')
  ) {
    issues.push({
      severity: 'error',
      file,
      path: yamlPath([...at, 'value']),
      message: `holds a literal value for "${obj.name}"; remove it and use onMissingValue: generate|prompt or path: ~/<file> so the secret stays out of git`,
    });
  }
  for (const [k, v] of Object.entries(obj)) {
    if (
      SECRET_KEYS.has(k.toLowerCase()) &&
      typeof v === 'string' &&
      v.trim() !== '' &&
      !looksLikeReference(v)
    ) {
      issues.push({
        severity: 'error',
        file,
        path: yamlPath([...at, k]),
        message:
          'holds a literal credential; remove it and load it from Vault/External Secrets or a values-secret file kept out of git',
      });
      continue;
    }
    scanYamlKeys(v, file, [...at, k], issues);
  }
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    if (out.length >= MAX_FILES) {
      return;
    }
    const entries = await fs.readdir(path.join(root, rel), {
      withFileTypes: true,
    });
    for (const e of entries) {
      if (e.name === '.git' || e.name === 'node_modules') {
        continue;
      }
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        await walk(child);
      } else if (e.isFile()) {
        out.push(child);
      }
    }
  };
  await walk('');
  return out;
}

/** True when .gitignore (or .git/info/exclude) keeps the file out of git. */
export async function isGitIgnored(
  root: string,
  filepath: string,
): Promise<boolean> {
  return git.isIgnored({ fs: nodeFs, dir: root, filepath });
}

/**
 * Looks for credentials in files that git would track. Files ignored through
 * .gitignore are skipped: that is exactly where values-secret*.yaml belongs.
 */
export async function scanForSecrets(
  checkout: PatternCheckout,
): Promise<PatternIssue[]> {
  const issues: PatternIssue[] = [];
  const inMemory = new Map<string, string>();
  for (const f of [
    checkout.global,
    checkout.metadata,
    ...checkout.groups.values(),
  ]) {
    if (f) {
      inMemory.set(f.file, f.text);
    }
  }
  for (const [file, text] of checkout.pending ?? []) {
    inMemory.set(file, text);
  }
  const onDisk = await listFiles(checkout.dir);
  const files = Array.from(new Set([...onDisk, ...inMemory.keys()])).sort();

  const gitignore =
    inMemory.get('.gitignore') ??
    (await fs
      .readFile(path.join(checkout.dir, '.gitignore'), 'utf8')
      .catch(() => ''));
  if (!/^\s*\/?values-secret\*/m.test(gitignore)) {
    issues.push({
      severity: 'warning',
      file: '.gitignore',
      path: '',
      message:
        'does not ignore values-secret*; add a line "values-secret*" so a filled-in secrets file is never committed',
    });
  }

  for (const file of files) {
    if (await isGitIgnored(checkout.dir, file)) {
      continue;
    }
    const base = path.posix.basename(file);
    if (/^values-secret.*\.ya?ml$/.test(base)) {
      issues.push({
        severity: 'error',
        file,
        path: '',
        message:
          'is a secrets file tracked by git; move it to ~/values-secret-<pattern>.yaml (or add values-secret* to .gitignore) and keep only values-secret.yaml.template in the repo',
      });
      continue;
    }
    if (!TEXT_EXTENSIONS.has(path.posix.extname(base))) {
      continue;
    }
    let text = inMemory.get(file);
    if (text === undefined) {
      const stat = await fs.stat(path.join(checkout.dir, file));
      if (stat.size > MAX_FILE_BYTES) {
        continue;
      }
      text = await fs.readFile(path.join(checkout.dir, file), 'utf8');
    }
    for (const { re, what } of SECRET_PATTERNS) {
      const m = re.exec(text);
      if (m) {
        const line = text.slice(0, m.index).split('\n').length;
        issues.push({
          severity: 'error',
          file,
          path: `line ${line}`,
          message: `contains what looks like ${what}; remove it from the repository (and rotate it, it may be in the git history)`,
        });
      }
    }
    // Helm chart templates are not YAML until rendered; the content patterns
    // above still apply to them.
    if (/\.ya?ml$|\.template$/.test(base) && !/(^|\/)templates\//.test(file)) {
      let data: unknown;
      try {
        data = parse(text, {
          maxAliasCount: MAX_ALIAS_COUNT,
          logLevel: 'silent',
        });
      } catch {
        continue; // syntax problems are reported by the reader for values files
      }
      scanYamlKeys(data, file, [], issues);
    }
  }
  return issues;
}
