/**
 * A minimal Server-Sent Events parser. We cannot use the browser's EventSource because it
 * cannot send the Authorization header that fetchApi adds, so the stream is read through
 * fetch and parsed here, following the WHATWG "event stream interpretation" rules.
 */

/** One dispatched SSE message. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | undefined;
  /** Last `retry:` value the server sent, in milliseconds. */
  retry: number | undefined;

  /** Feeds a decoded chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    this.#buffer += chunk;
    const out: SseMessage[] = [];
    // A line ends at CRLF, LF or CR. A trailing CR may be the first half of a CRLF split
    // across chunks, so keep it until the next chunk arrives.
    const lines = this.#buffer.split(/\r\n|\n|\r(?!$)/);
    this.#buffer = lines.pop() ?? '';
    for (const line of lines) {
      const message = this.#line(line);
      if (message) out.push(message);
    }
    return out;
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined; // comment, used as keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored by the spec
    }
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const id = this.#id;
    const hasData = this.#data.length > 0;
    const message: SseMessage = {
      event: this.#event || 'message',
      data: this.#data.join('\n'),
      id,
    };
    this.#event = '';
    this.#data = [];
    return hasData ? message : undefined;
  }
}
