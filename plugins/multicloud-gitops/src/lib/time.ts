/** "5 min ago"-style wording; precise enough for "how long has this been broken". */
export function formatAge(
  iso: string | undefined,
  now: number = Date.now(),
): string {
  if (!iso) return 'unknown time';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'unknown time';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** Absolute time in the user's locale, with the relative age for quick reading. */
export function formatSince(
  iso: string | undefined,
  now: number = Date.now(),
): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return 'an unknown time';
  return `${new Date(iso).toLocaleString()} (${formatAge(iso, now)})`;
}
