import { describe, expect, it } from 'vitest';
import { DeadlineQueue, type Expiring } from '../drivers/deadline-queue.js';

interface Item extends Expiring {
  name: string;
}

const item = (name: string): Item => ({ name, deadline: 0, settled: false, lane: 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DeadlineQueue', () => {
  it('expires what was not settled, in order, and never what was', async () => {
    const expired: string[] = [];
    const q = new DeadlineQueue<Item>((i) => expired.push(i.name));
    const [a, b, c] = [item('a'), item('b'), item('c')];
    q.add(a, 30);
    q.add(b, 30);
    q.add(c, 30);
    expect(q.settle(b)).toBe(true);
    await sleep(120);
    expect(expired).toEqual(['a', 'c']);
    // already expired: settling again reports it
    expect(q.settle(a)).toBe(false);
  });

  it('keeps timeouts of different lengths apart: a short one behind a long one still expires on time', async () => {
    const expired: string[] = [];
    const q = new DeadlineQueue<Item>((i) => expired.push(i.name));
    const long = item('long');
    q.add(long, 5_000);
    q.add(item('short'), 20);
    await sleep(120);
    expect(expired).toEqual(['short']);
    q.settle(long);
  });

  it('lets an entry added from an expiry callback expire too', async () => {
    const expired: string[] = [];
    const q: DeadlineQueue<Item> = new DeadlineQueue<Item>((i) => {
      expired.push(i.name);
      if (i.name === 'first') q.add(item('second'), 20);
    });
    q.add(item('first'), 20);
    await sleep(200);
    expect(expired).toEqual(['first', 'second']);
  });

  it('stays short when answers come in order, and holds no timer once nothing waits', async () => {
    const expired: string[] = [];
    const q = new DeadlineQueue<Item>((i) => expired.push(i.name));
    for (let n = 0; n < 10_000; n++) {
      const i = item(String(n));
      q.add(i, 10_000);
      q.settle(i);
    }
    const internals = q as unknown as { fifos: Map<number, { items: Item[] }>; timer: unknown };
    expect(internals.fifos.get(10_000)?.items.length ?? 0).toBe(0);
    expect(internals.timer).toBeUndefined();
    expect(expired).toEqual([]);
  });
});
