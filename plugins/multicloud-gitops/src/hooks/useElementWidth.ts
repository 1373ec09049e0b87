import { RefObject, useLayoutEffect, useState } from 'react';

/**
 * Width of an element, kept current on resize. Virtualised lists need a number; in an
 * environment without layout (jsdom) the element measures 0 and `fallback` is used.
 */
export function useElementWidth(
  ref: RefObject<HTMLElement>,
  fallback = 1200,
): number {
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => setWidth(el.clientWidth || fallback);
    measure();
    if (typeof ResizeObserver !== 'undefined') {
      const observer = new ResizeObserver(measure);
      observer.observe(el);
      return () => observer.disconnect();
    }
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [ref, fallback]);
  return width;
}
