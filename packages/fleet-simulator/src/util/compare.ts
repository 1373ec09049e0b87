/** Byte-order string comparison (what etcd and Go's sort use; localeCompare would not). */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
