import { useEffect, useRef, useState } from 'react';

/**
 * Follows `value`, changing at most once per `intervalMs` (the latest value wins). Used
 * where a fast-changing input (the fleet version) drives a slower, costlier fetch.
 */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [throttled, setThrottled] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, throttled)) return undefined;
    const wait = last.current + intervalMs - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      setThrottled(value);
      return undefined;
    }
    const t = setTimeout(() => {
      last.current = Date.now();
      setThrottled(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, throttled, intervalMs]);
  return throttled;
}
