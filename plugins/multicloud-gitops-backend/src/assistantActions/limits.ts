/** Most items one list in an action's answer carries; the rest are counted, not sent. */
export const ACTION_LIST_MAX = 200;

/** A list cut to {@link ACTION_LIST_MAX}, with how many there were. */
export function cap<T>(items: T[]): { total: number; items: T[] } {
  return { total: items.length, items: items.slice(0, ACTION_LIST_MAX) };
}
