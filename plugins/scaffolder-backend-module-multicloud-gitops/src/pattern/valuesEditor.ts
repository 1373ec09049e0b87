import { isDeepStrictEqual } from 'node:util';
import {
  Document,
  Node as YamlNode,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
} from 'yaml';
import { MAX_ALIAS_COUNT } from './yamlSafe';

type Path = ReadonlyArray<string | number>;

interface Patch {
  at: number;
  /** Characters of the original to replace, from `at`. */
  del?: number;
  text: string;
}

interface Insertion {
  parent: Path;
  kind: 'pair' | 'item';
  key?: string;
  value: unknown;
}

/** Line/column helpers over the original text. */
class TextIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n') {
        this.starts.push(i + 1);
      }
    }
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  column(offset: number): number {
    return offset - this.starts[this.lineOf(offset)];
  }

  lineText(line: number): string {
    const end =
      line + 1 < this.starts.length
        ? this.starts[line + 1] - 1
        : this.text.length;
    return this.text.slice(this.starts[line], end);
  }

  lineCount(): number {
    return this.starts.length;
  }

  /** Offset just after the line's newline (or end of text). */
  endOfLine(line: number): number {
    return line + 1 < this.starts.length
      ? this.starts[line + 1]
      : this.text.length;
  }
}

function lastContentOffset(node: unknown): number | undefined {
  if (isMap(node) || isSeq(node)) {
    const items = node.items as unknown[];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (item instanceof Pair) {
        const v = lastContentOffset(item.value);
        const k = lastContentOffset(item.key);
        const best = Math.max(v ?? -1, k ?? -1);
        if (best >= 0) {
          return best;
        }
      } else {
        const o = lastContentOffset(item);
        if (o !== undefined) {
          return o;
        }
      }
    }
    return node.range?.[0];
  }
  const n = node as YamlNode | undefined;
  return n?.range ? n.range[1] : undefined;
}

/**
 * Edits one values file with the `yaml` Document API and writes the result
 * back with the smallest possible textual change.
 *
 * Why two steps: `Document#toString()` keeps comments and key order, but it
 * re-indents comments that sit between nodes and re-wraps long lines. Pattern
 * files are full of such comments, and reviewers of an onboarding pull request
 * should see only the added lines. So each addition is applied to the
 * Document (the source of truth) and also spliced as text into the original
 * file; the spliced text is re-parsed and must equal the Document's data,
 * otherwise the full Document rendering is used. Both keep every comment.
 */
export class ValuesEditor {
  readonly doc: Document;
  private readonly original: Document;
  private readonly index: TextIndex;
  private readonly insertions: Insertion[] = [];
  private readonly indentStep: number;
  private readonly indentSeq: boolean;
  /** Line ending of the file, so inserted lines match (Windows checkouts use CRLF). */
  private readonly eol: string;

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { uniqueKeys: true });
    this.original = parseDocument(text, { uniqueKeys: true });
    this.index = new TextIndex(text);
    const step =
      /^[^\s#][^\n]*:[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*( +)\S/m.exec(
        text,
      );
    this.indentStep = step ? Math.min(step[1].length, 8) : 2;
    // Sequences under a key: indented ("key:\n  - a") or flush ("key:\n- a")?
    const seq = /^( *)[^\s#-][^\n]*:[ \t]*\r?\n( *)- /m.exec(text);
    this.indentSeq = seq ? seq[2].length > seq[1].length : true;
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  get data(): unknown {
    return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  }

  get changed(): boolean {
    return this.insertions.length > 0;
  }

  /** The collection node at a path, or undefined. */
  node(path: Path): unknown {
    return path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
  }

  /** Adds `key: value` to the map at `parent` (which must exist and be a map or empty). */
  addPair(parent: Path, key: string, value: unknown): void {
    const node = this.node(parent);
    if (isMap(node)) {
      node.add(this.doc.createPair(key, value));
    } else if (
      node === undefined ||
      node === null ||
      (isScalar(node) && node.value === null)
    ) {
      const map = new YAMLMap();
      map.add(this.doc.createPair(key, value));
      this.doc.setIn(parent, map);
    } else {
      throw new Error(`${parent.join('.')} is not a map`);
    }
    this.insertions.push({ parent, kind: 'pair', key, value });
  }

  /** Appends an item to the sequence at `parent`. */
  addItem(parent: Path, value: unknown): void {
    const node = this.node(parent);
    if (isSeq(node)) {
      node.add(this.doc.createNode(value));
    } else if (
      node === undefined ||
      node === null ||
      (isScalar(node) && node.value === null)
    ) {
      const seq = new YAMLSeq();
      seq.add(this.doc.createNode(value));
      this.doc.setIn(parent, seq);
    } else {
      throw new Error(`${parent.join('.')} is not a list`);
    }
    this.insertions.push({ parent, kind: 'item', value });
  }

  private renderFragment(ins: Insertion[], indent: number): string {
    const fragment =
      ins[0].kind === 'pair'
        ? Object.fromEntries(ins.map(i => [i.key, i.value]))
        : ins.map(i => i.value);
    const rendered = new Document(fragment).toString({
      indent: this.indentStep,
      indentSeq: this.indentSeq,
      lineWidth: 0,
      nullStr: '',
    });
    const pad = ' '.repeat(indent);
    return rendered
      .replace(/\n$/, '')
      .split('\n')
      .map(l => (l ? pad + l : l))
      .join(this.eol);
  }

  /** Splices one group of insertions into the original text; undefined if not possible. */
  private splice(parent: Path, ins: Insertion[]): Patch | undefined {
    const node =
      parent.length === 0
        ? this.original.contents
        : this.original.getIn(parent, true);
    if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
      const first = node.items[0] as unknown;
      const firstNode = (first instanceof Pair ? first.key : first) as
        | YamlNode
        | undefined;
      const firstOffset = firstNode?.range?.[0];
      const end = lastContentOffset(node);
      if (firstOffset === undefined || end === undefined) {
        return undefined;
      }
      // Sequence items start at the "-", which precedes the item node.
      let itemIndent = this.index.column(firstOffset);
      if (isSeq(node)) {
        const lineText = this.index.lineText(this.index.lineOf(firstOffset));
        itemIndent = lineText.indexOf('-');
        if (itemIndent < 0) {
          return undefined;
        }
      }
      // Comments indented deeper than the items after the last item belong
      // to it (e.g. commented-out options); keep them above the new entry.
      let lastLine = this.index.lineOf(Math.max(end - 1, 0));
      for (let l = lastLine + 1; l < this.index.lineCount(); l++) {
        const t = this.index.lineText(l);
        if (t.trim() === '') {
          continue;
        }
        const m = /^( *)#/.exec(t);
        if (m && m[1].length > itemIndent) {
          lastLine = l;
          continue;
        }
        break;
      }
      const at = this.index.endOfLine(lastLine);
      const needsNewline = at === this.text.length && !this.text.endsWith('\n');
      return {
        at,
        text: `${needsNewline ? this.eol : ''}${this.renderFragment(
          ins,
          itemIndent,
        )}${this.eol}`,
      };
    }
    if (
      (isMap(node) || isSeq(node)) &&
      node.flow &&
      node.items.length === 0 &&
      node.range &&
      parent.length > 0
    ) {
      // `key: {}` / `key: []` (how new files spell empty sections): replace the
      // empty flow collection with a block, if nothing else follows on the line.
      const [start, end] = node.range;
      const line = this.index.lineOf(start);
      const rest = this.text.slice(end, this.index.endOfLine(line)).trim();
      if (rest !== '') {
        return undefined;
      }
      const keyIndent = /^ */.exec(this.index.lineText(line))![0].length;
      const childIndent =
        keyIndent +
        (ins[0].kind === 'item' && !this.indentSeq ? 0 : this.indentStep);
      const lineEnd = this.index.endOfLine(line);
      let from = start;
      while (from > 0 && this.text[from - 1] === ' ') {
        from--;
      }
      return {
        at: from,
        del: lineEnd - from,
        text: `${this.eol}${this.renderFragment(ins, childIndent)}${this.eol}`,
      };
    }
    if (
      isScalar(node) &&
      node.value === null &&
      (node as Scalar).source === '' &&
      parent.length > 0
    ) {
      // `key:` with nothing after it: put the block on the following lines.
      const keyNode = this.original.getIn(parent.slice(0, -1), true) as unknown;
      if (!isMap(keyNode)) {
        return undefined;
      }
      const pair = keyNode.items.find(
        p => isScalar(p.key) && p.key.value === parent[parent.length - 1],
      );
      const keyOffset = (pair?.key as YamlNode | undefined)?.range?.[0];
      if (keyOffset === undefined) {
        return undefined;
      }
      const line = this.index.lineOf(keyOffset);
      const keyIndent = this.index.column(keyOffset);
      const childIndent =
        keyIndent +
        (ins[0].kind === 'item' && !this.indentSeq ? 0 : this.indentStep);
      return {
        at: this.index.endOfLine(line),
        text: `${this.renderFragment(ins, childIndent)}${this.eol}`,
      };
    }
    return undefined;
  }

  /** The edited file content; equals the input when nothing was added. */
  toString(): string {
    if (!this.changed) {
      return this.text;
    }
    const groups = new Map<string, Insertion[]>();
    for (const ins of this.insertions) {
      const k = JSON.stringify([ins.parent, ins.kind]);
      groups.set(k, [...(groups.get(k) ?? []), ins]);
    }
    const patches: Patch[] = [];
    for (const ins of groups.values()) {
      const patch = this.splice(ins[0].parent, ins);
      if (!patch) {
        return this.fullRender();
      }
      patches.push(patch);
    }
    let out = this.text;
    patches.sort((a, b) => b.at - a.at);
    for (const p of patches) {
      out = out.slice(0, p.at) + p.text + out.slice(p.at + (p.del ?? 0));
    }
    // Trust but verify: the splice must mean exactly what the Document says.
    try {
      const check = parseDocument(out, { uniqueKeys: true });
      if (
        check.errors.length === 0 &&
        isDeepStrictEqual(
          check.toJS({ maxAliasCount: MAX_ALIAS_COUNT }),
          this.data,
        )
      ) {
        return out;
      }
    } catch {
      // fall through to the full rendering
    }
    return this.fullRender();
  }

  private fullRender(): string {
    return this.doc.toString({
      lineWidth: 0,
      indentSeq: this.indentSeq,
      indent: this.indentStep,
    });
  }
}
