import { SseParser } from './sse';

describe('SseParser', () => {
  it('dispatches named events, joins multi-line data and skips comments', () => {
    const p = new SseParser();
    expect(
      p.push(
        ': keep-alive\n\nevent: topology-changed\ndata: {"a":\ndata: 1}\nid: 7\n\n',
      ),
    ).toEqual([{ event: 'topology-changed', data: '{"a":\n1}', id: '7' }]);
  });

  it('handles chunks split anywhere, including inside CRLF', () => {
    const p = new SseParser();
    const text =
      'event: x\r\ndata: hello\r\n\r\nevent: y\r\ndata: world\r\n\r\n';
    const out = [];
    for (const ch of text) out.push(...p.push(ch));
    expect(out.map(m => [m.event, m.data])).toEqual([
      ['x', 'hello'],
      ['y', 'world'],
    ]);
  });

  it('reads retry, defaults the event name and ignores events without data', () => {
    const p = new SseParser();
    expect(p.push('retry: 3000\n\nevent: empty\n\ndata: plain\n\n')).toEqual([
      { event: 'message', data: 'plain', id: undefined },
    ]);
    expect(p.retry).toBe(3000);
  });
});
